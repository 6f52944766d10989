"""The FAQ matcher as the bot, the vault search and `lingting faq-match` use it."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import numpy as np
import pytest

from lingting.engine.faq import (
    FaqEntry,
    FaqError,
    FaqMatcher,
    FaqModel,
    Pair,
    train_model,
)
from tests.engine.faq_examples import ENTRIES, training_pairs


@pytest.fixture(scope="module")
def model() -> FaqModel:
    return train_model(training_pairs())


def best(matcher: FaqMatcher, text: str) -> str | int:
    return matcher.match(text, 1)[0].kb_id


@pytest.mark.parametrize(
    ("asked", "entry"),
    [
        ("借呗能提额吗", "limit"),
        ("我换了手机号码,怎么修改", "phone"),
        ("退款几天能到账", "refund"),
        ("家里宽带坏了", "broadband"),
        ("办理５Ｇ套餐", "plan"),  # full-width letters and digits
    ],
)
def test_a_customers_rewording_finds_its_entry_first(asked: str, entry: str) -> None:
    assert best(FaqMatcher(ENTRIES), asked) == entry


def test_an_alternate_wording_finds_its_entry() -> None:
    without = [FaqEntry(e.id, e.question, e.answer) for e in ENTRIES]
    asked = "花呗如何还钱呢"

    with_alternates = FaqMatcher(ENTRIES).match(asked, 1)[0]
    only_questions = FaqMatcher(without).match(asked, len(ENTRIES))

    assert with_alternates.kb_id == "repay"
    assert with_alternates.score > next(m.score for m in only_questions if m.kb_id == "repay")


def test_an_entry_appears_once_however_many_wordings_match() -> None:
    matches = FaqMatcher(ENTRIES).match("花呗怎么还钱", len(ENTRIES))

    ids = [m.kb_id for m in matches]
    assert len(ids) == len(set(ids)) == len(ENTRIES)


def test_top_limits_the_matches_and_scores_descend() -> None:
    matcher = FaqMatcher(ENTRIES)

    three = matcher.match("花呗还款逾期怎么办", 3)
    every = matcher.match("花呗还款逾期怎么办", 100)

    assert len(three) == 3
    assert len(every) == len(ENTRIES)
    assert [m.score for m in every] == sorted((m.score for m in every), reverse=True)
    assert three == every[:3]


def test_a_question_the_knowledge_base_does_not_cover_scores_low() -> None:
    matcher = FaqMatcher(ENTRIES)

    covered = matcher.match("花呗怎么还款", 1)[0].score
    uncovered = matcher.match("今天天气怎么样", 1)[0].score

    assert covered == pytest.approx(1.0)
    assert uncovered < 0.3


def test_an_empty_knowledge_base_is_refused() -> None:
    with pytest.raises(FaqError, match="no entries"):
        FaqMatcher([])


def test_a_trained_model_finds_rewordings_and_scores_as_a_probability(model: FaqModel) -> None:
    matcher = FaqMatcher(ENTRIES, model)

    for asked, entry in [("花呗的钱在哪还", "repay"), ("手机号换了要改", "phone")]:
        matches = matcher.match(asked, 3)
        assert matches[0].kb_id == entry
        assert all(0 <= m.score <= 1 for m in matches)
        assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert matcher.match("今天天气怎么样", 1)[0].score < 0.5


def test_a_model_saved_in_plain_files_loads_and_matches_the_same(
    model: FaqModel, tmp_path: Path
) -> None:
    model.save(tmp_path / "model")

    loaded = FaqModel.load(tmp_path / "model")

    assert sorted(p.name for p in (tmp_path / "model").iterdir()) == ["arrays.npz", "model.json"]
    json.loads((tmp_path / "model" / "model.json").read_text(encoding="utf-8"))
    np.load(tmp_path / "model" / "arrays.npz", allow_pickle=False)  # no pickled objects
    asked = ["借呗怎么提高额度", "宽带断网了", "查话费"]
    again = FaqMatcher(ENTRIES, loaded).match_many(asked, 5)
    before = FaqMatcher(ENTRIES, model).match_many(asked, 5)
    assert [[m.kb_id for m in ms] for ms in again] == [[m.kb_id for m in ms] for ms in before]
    assert [m.score for ms in again for m in ms] == pytest.approx(
        [m.score for ms in before for m in ms], abs=1e-5
    )


def test_training_twice_on_the_same_pairs_gives_the_same_model() -> None:
    first, second = train_model(training_pairs()), train_model(training_pairs())

    assert first.weights == pytest.approx(second.weights)


def test_training_needs_same_intent_pairs() -> None:
    with pytest.raises(FaqError, match="same-intent"):
        train_model([Pair("花呗怎么还款", "借呗怎么提额", False)] * 10)


def test_a_folder_that_holds_no_model_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FaqError, match="no FAQ model"):
        FaqModel.load(tmp_path)


def test_training_and_matching_never_reach_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the FAQ matcher tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)

    trained = train_model(training_pairs())
    assert FaqMatcher(ENTRIES, trained).match("怎么还花呗", 1)[0].kb_id == "repay"
