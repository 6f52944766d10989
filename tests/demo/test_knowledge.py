"""The demo's vault step: every article of the vault files is published through the
knowledge import, once — a second run finds nothing to change."""

from __future__ import annotations

from datetime import date

import pytest

from lingting.core.models import User
from lingting.demo.knowledge import VAULT, demo_knowledge, vault_records
from lingting.knowledge.models import Article, ArticleStatus

pytestmark = pytest.mark.django_db

SHOWN_ON = date(2026, 10, 31)


def test_the_vault_is_published_and_a_second_run_changes_nothing(qa_zhao: User) -> None:
    in_files = sum(1 for path in VAULT.glob("*.yaml") for _ in vault_records(path))

    first = demo_knowledge(users={"qa_zhao": qa_zhao})
    again = demo_knowledge(users={"qa_zhao": qa_zhao})

    assert first == f"knowledge vault: {in_files} articles published, 0 updated, 0 unchanged"
    assert again == f"knowledge vault: 0 articles published, 0 updated, {in_files} unchanged"
    assert Article.objects.filter(live__isnull=False).count() == in_files


def test_offers_show_only_within_their_dates(qa_zhao: User) -> None:
    demo_knowledge(users={"qa_zhao": qa_zhao})
    ended = Article.objects.get(title="2026暑期流量畅享季（已结束）")
    to_come = Article.objects.get(title="冬季千兆宽带续费优惠")

    assert ended.status_on(SHOWN_ON) == ArticleStatus.EXPIRED
    assert not ended.shown_on(SHOWN_ON)
    assert not to_come.shown_on(SHOWN_ON)
    assert to_come.shown_on(date(2026, 12, 1))
