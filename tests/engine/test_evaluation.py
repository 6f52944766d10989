"""A reviewer's answers become the monitoring record, scored like the engine scores."""

from __future__ import annotations

import pytest

from lingting.engine.evaluation import Answer, EvaluationError, evaluate_answers
from lingting.engine.scorecard import Scorecard
from lingting.engine.scorecard_yaml import builtin_scorecard


@pytest.fixture(scope="module")
def standard() -> Scorecard:
    return builtin_scorecard()


def all_pass(scorecard: Scorecard, **changes: Answer) -> dict[str, Answer]:
    answers = {item.id: Answer("pass") for item in scorecard.items}
    answers.update(changes)
    return answers


def points_of(scorecard: Scorecard, item_id: str) -> float:
    return next(i.points for i in scorecard.items if i.id == item_id)


def test_all_items_passed_scores_100_and_passes(standard: Scorecard) -> None:
    outcome = evaluate_answers(standard, all_pass(standard), auto_results={})

    assert outcome.score == 100.0
    assert outcome.passed
    assert not outcome.fatal
    assert len(outcome.items) == len(standard.items)


def test_a_failed_manual_item_loses_its_points(standard: Scorecard) -> None:
    total = sum(item.points for item in standard.items)
    lost = points_of(standard, "patience")

    outcome = evaluate_answers(
        standard, all_pass(standard, patience=Answer("fail")), auto_results={}
    )

    assert outcome.score == round(100 * (total - lost) / total, 1)
    assert (
        outcome.severity_counts[next(i.severity for i in standard.items if i.id == "patience")] == 1
    )


def test_partial_deduction_is_kept_within_the_item(standard: Scorecard) -> None:
    outcome = evaluate_answers(
        standard,
        all_pass(standard, filler_words=Answer("fail", points_lost=1)),
        auto_results={"filler_words": "fail"},
    )
    filler = next(i for i in outcome.items if i.item == "filler_words")

    assert filler.points_lost == 1
    assert not filler.overturned


def test_na_items_leave_the_total(standard: Scorecard) -> None:
    everything_na = {item.id: Answer("na") for item in standard.items}

    outcome = evaluate_answers(standard, everything_na, auto_results={})

    assert outcome.score == 100.0


def test_a_fatal_failure_zeroes_the_contact(standard: Scorecard) -> None:
    outcome = evaluate_answers(
        standard,
        all_pass(standard, insults=Answer("fail", reason="客服辱骂客户")),
        auto_results={"insults": "pass"},
    )

    assert outcome.fatal
    assert outcome.score == 0.0
    assert not outcome.passed


def test_an_a_class_failure_fails_the_contact_whatever_the_points(standard: Scorecard) -> None:
    a_item = next(i for i in standard.items if i.severity == "A" and not i.fatal)

    outcome = evaluate_answers(
        standard, all_pass(standard, **{a_item.id: Answer("fail")}), auto_results={}
    )

    assert outcome.score > standard.pass_mark
    assert not outcome.passed


def test_overturning_the_engine_needs_a_reason(standard: Scorecard) -> None:
    with pytest.raises(EvaluationError) as raised:
        evaluate_answers(
            standard,
            all_pass(standard, forbidden_phrases=Answer("pass")),
            auto_results={"forbidden_phrases": "fail"},
        )

    assert "forbidden_phrases" in raised.value.problems[0]
    assert "理由" in raised.value.problems[0]


def test_an_overturn_with_a_reason_is_recorded_as_overturned(standard: Scorecard) -> None:
    outcome = evaluate_answers(
        standard,
        all_pass(standard, forbidden_phrases=Answer("pass", reason="“不清楚的话我帮您查”是帮助")),
        auto_results={"forbidden_phrases": "fail", "opening": "pass"},
    )
    by_id = {item.item: item for item in outcome.items}

    assert by_id["forbidden_phrases"].overturned
    assert by_id["forbidden_phrases"].auto_result == "fail"
    assert not by_id["opening"].overturned
    assert by_id["patience"].auto_result == ""  # a manual item has no machine answer


def test_every_problem_is_reported_at_once(standard: Scorecard) -> None:
    answers = all_pass(standard, patience=Answer("fail", points_lost=99))
    del answers["smile"]
    answers["no_such_item"] = Answer("pass")

    with pytest.raises(EvaluationError) as raised:
        evaluate_answers(standard, answers, auto_results={})

    problems = " ".join(raised.value.problems)
    assert "no_such_item" in problems
    assert "smile" in problems
    assert "未评分" in problems
    assert "patience" in problems
    assert "超出" in problems
