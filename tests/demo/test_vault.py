"""The demo's knowledge vault (src/lingting/demo/vault/*.yaml): every record imports, codes
are unique, all four kinds are there, and it speaks of the demo's own queues and products."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lingting.demo.generator.hotline import LINE_QUEUES
from lingting.demo.generator.organisation import QUEUES
from lingting.demo.generator.scenarios import PLANS, PRODUCTS
from lingting.demo.knowledge import VAULT, VaultError, vault_records
from lingting.engine.knowledge import ArticleKind, ArticleRecord

# The demo's "today" for the vault's offers: one ended before it, one starts after it.
SHOWN_ON = date(2026, 10, 31)


def _records(path: Path) -> list[ArticleRecord]:
    return [record for _, record in vault_records(path)]


@pytest.fixture(scope="module")
def vault() -> list[ArticleRecord]:
    files = sorted(VAULT.glob("*.yaml"))
    assert files, f"no vault files in {VAULT}"
    return [record for path in files for record in _records(path)]


def test_every_file_parses_as_articles() -> None:
    for path in sorted(VAULT.glob("*.yaml")):
        assert _records(path), f"{path.name} is empty"


def test_a_bad_record_is_named_by_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "- {kind: answer, title: 查余额, body: 发送CXYE到10001}\n- {kind: memo, title: 备忘}\n",
        encoding="utf-8",
    )

    with pytest.raises(VaultError, match=r"bad.yaml:2: kind 'memo'"):
        _records(path)


def test_the_vault_holds_a_few_hundred_articles_with_unique_codes(
    vault: list[ArticleRecord],
) -> None:
    codes = [record.code for record in vault]
    assert len(vault) >= 300
    assert all(codes), "every article has a code, so importing again updates it"
    assert len(set(codes)) == len(codes)


def test_every_kind_is_there_and_most_are_standard_answers(vault: list[ArticleRecord]) -> None:
    kinds = {kind: sum(r.content.kind is kind for r in vault) for kind in ArticleKind}
    assert all(kinds.values()), kinds
    assert kinds[ArticleKind.ANSWER] > len(vault) / 2


def test_answers_come_with_the_ways_customers_ask(vault: list[ArticleRecord]) -> None:
    for record in vault:
        if record.content.kind is ArticleKind.ANSWER:
            assert 2 <= len(record.content.alternates) <= 5, record.code


def test_every_article_is_filed_and_tagged(vault: list[ArticleRecord]) -> None:
    for record in vault:
        assert "/" in record.content.category, record.code
        assert record.content.tags, record.code


def test_an_ended_offer_and_one_still_to_come(vault: list[ArticleRecord]) -> None:
    ended = [r for r in vault if r.expires_on and r.expires_on < SHOWN_ON]
    to_come = [r for r in vault if r.effective_from and r.effective_from > SHOWN_ON]
    assert ended
    assert to_come
    assert all(r.content.kind is ArticleKind.POLICY for r in ended + to_come)


def test_queues_are_the_demo_organisations(vault: list[ArticleRecord]) -> None:
    known = {code for code, _ in QUEUES} | {code for code, _ in LINE_QUEUES}
    used = {queue for record in vault for queue in record.content.queues}
    assert used <= known, used - known
    assert used == known, "every queue of the demo has articles"


def test_every_product_the_demo_calls_sell_has_articles(vault: list[ArticleRecord]) -> None:
    covered = {product for record in vault for product in record.content.products}
    sold = {name for name, _ in PLANS} | {product["product"] for product in PRODUCTS}
    assert sold <= covered, sold - covered


def test_the_abusive_caller_script_warns_twice_then_ends_the_call(
    vault: list[ArticleRecord],
) -> None:
    scripts = [
        r.content
        for r in vault
        if r.content.kind is ArticleKind.SCRIPT and "辱骂" in r.content.tags
    ]
    assert scripts
    for content in scripts:
        names = [step.name for step in content.steps]
        assert names.index("第一次警告") < names.index("第二次警告") < names.index("结束通话")
        assert content.steps[-1].say == "感谢您的使用，再见。"
        assert all(step.words for step in content.steps)
