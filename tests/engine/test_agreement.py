"""Calibration figures: per-item agreement, alpha on totals, and who scores harsher."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lingting.engine.agreement import calibration_summary

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the example with
# 4 coders, 12 units and missing values (None); also in the `krippendorff` package's docs.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def _session(
    table: list[list[int | None]], *, item: str = "q1"
) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, dict[str, str]]]]:
    """A coders × units table as calibration input: each value is a total and, as text, the
    outcome of `item`."""
    totals = {
        f"qa{coder}": {f"c{unit:02}": float(v) for unit, v in enumerate(row) if v is not None}
        for coder, row in enumerate(table)
    }
    outcomes = {
        f"qa{coder}": {f"c{unit:02}": {item: str(v)} for unit, v in enumerate(row) if v is not None}
        for coder, row in enumerate(table)
    }
    return totals, outcomes


def test_krippendorffs_own_nominal_example_gives_0_743() -> None:
    totals, outcomes = _session(KRIPPENDORFF_2011)
    summary = calibration_summary(totals=totals, outcomes=outcomes)
    (item,) = summary.items
    assert item.alpha == pytest.approx(0.743, abs=5e-4)
    assert summary.total_alpha == pytest.approx(0.849, abs=5e-4)  # his interval figure
    # Unit 12 has one coder, so 11 units are pairable; 8 of them unanimous.
    assert item.units == 11
    assert item.percent_agreement == pytest.approx(8 / 11)


def test_perfect_agreement_gives_alpha_1() -> None:
    table: list[list[int | None]] = [[1, 2, 3, 1, 2], [1, 2, 3, 1, 2], [1, 2, 3, 1, 2]]
    totals, outcomes = _session(table)
    summary = calibration_summary(totals=totals, outcomes=outcomes)
    assert summary.items[0].alpha == 1.0
    assert summary.items[0].percent_agreement == 1.0
    assert summary.total_alpha == 1.0
    assert all(r.mean_abs_deviation == 0 and r.item_disagreements == 0 for r in summary.reviewers)


def test_alpha_is_none_not_nan_when_everyone_always_passes() -> None:
    outcomes = {r: {"c1": {"greeting": "pass"}, "c2": {"greeting": "pass"}} for r in ("a", "b")}
    summary = calibration_summary(totals={}, outcomes=outcomes)
    (item,) = summary.items
    assert item.alpha is None
    assert item.percent_agreement == 1.0
    assert summary.total_alpha is None


def test_alpha_is_none_when_no_contact_has_two_reviewers() -> None:
    outcomes = {"a": {"c1": {"greeting": "pass"}}, "b": {"c2": {"greeting": "fail"}}}
    totals = {"a": {"c1": 90.0}, "b": {"c2": 60.0}}
    summary = calibration_summary(totals=totals, outcomes=outcomes)
    (item,) = summary.items
    assert item.alpha is None
    assert item.percent_agreement is None
    assert item.units == 0
    assert summary.total_alpha is None
    # Alone on a contact, a reviewer has nothing to deviate from.
    assert summary.reviewers[0].units == 0
    assert summary.reviewers[0].mean_signed_deviation is None


def test_a_reviewer_consistently_10_points_harsher_shows_minus_10() -> None:
    scores = {"c1": 90.0, "c2": 75.0, "c3": 82.0, "c4": 60.0}
    totals = {
        "qa_zhao": scores,
        "qa_qian": dict(scores),
        "qa_harsh": {unit: score - 10 for unit, score in scores.items()},
    }
    summary = calibration_summary(totals=totals, outcomes={})
    by_reviewer = {r.reviewer: r for r in summary.reviewers}
    assert by_reviewer["qa_harsh"].mean_signed_deviation == pytest.approx(-10)
    assert by_reviewer["qa_harsh"].mean_abs_deviation == pytest.approx(10)
    assert by_reviewer["qa_harsh"].units == 4
    assert by_reviewer["qa_zhao"].mean_abs_deviation == 0
    assert summary.consensus_totals == scores


def test_a_lenient_reviewer_deviates_upwards_from_the_agreed_answer() -> None:
    totals = {"qa_zhao": {"c1": 80.0, "c2": 70.0}, "qa_kind": {"c1": 95.0, "c2": 85.0}}
    summary = calibration_summary(
        totals=totals, outcomes={}, agreed_totals={"c1": 80.0, "c2": 70.0}
    )
    by_reviewer = {r.reviewer: r for r in summary.reviewers}
    assert by_reviewer["qa_kind"].mean_signed_deviation == pytest.approx(15)
    assert by_reviewer["qa_zhao"].mean_signed_deviation == 0


def test_the_agreed_outcome_overrides_the_majority() -> None:
    outcomes = {
        "qa_zhao": {"c1": {"empathy": "fail"}},
        "qa_qian": {"c1": {"empathy": "pass"}},
        "qa_sun": {"c1": {"empathy": "pass"}},
    }
    by_majority = calibration_summary(totals={}, outcomes=outcomes)
    agreed = calibration_summary(
        totals={}, outcomes=outcomes, agreed_outcomes={"c1": {"empathy": "fail"}}
    )
    assert {r.reviewer: r.item_disagreements for r in by_majority.reviewers} == {
        "qa_qian": 0,
        "qa_sun": 0,
        "qa_zhao": 1,
    }
    assert {r.reviewer: r.item_disagreements for r in agreed.reviewers} == {
        "qa_qian": 1,
        "qa_sun": 1,
        "qa_zhao": 0,
    }


def test_a_tied_vote_counts_no_disagreement() -> None:
    outcomes = {"a": {"c1": {"empathy": "fail"}}, "b": {"c1": {"empathy": "pass"}}}
    summary = calibration_summary(totals={}, outcomes=outcomes)
    assert [r.item_disagreements for r in summary.reviewers] == [0, 0]
    assert summary.items[0].percent_agreement == 0.0


def test_not_applicable_is_an_answer_reviewers_can_disagree_on() -> None:
    outcomes = {
        "a": {"c1": {"upsell": "na"}, "c2": {"upsell": "pass"}},
        "b": {"c1": {"upsell": "fail"}, "c2": {"upsell": "pass"}},
    }
    (item,) = calibration_summary(totals={}, outcomes=outcomes).items
    assert item.percent_agreement == 0.5
    assert item.alpha is not None
    assert item.alpha < 1


def test_consensus_total_is_the_median_unless_agreed() -> None:
    totals = {"a": {"c1": 70.0, "c2": 50.0}, "b": {"c1": 80.0, "c2": 60.0}, "c": {"c1": 95.0}}
    summary = calibration_summary(totals=totals, outcomes={}, agreed_totals={"c2": 58.0})
    assert summary.consensus_totals == {"c1": 80.0, "c2": 58.0}


def test_items_and_reviewers_are_listed_in_order() -> None:
    outcomes = {
        "zz": {"c1": {"b_item": "pass", "a_item": "fail"}},
        "aa": {"c1": {"b_item": "pass", "a_item": "pass"}},
    }
    summary = calibration_summary(totals={}, outcomes=outcomes)
    assert [i.item for i in summary.items] == ["a_item", "b_item"]
    assert [r.reviewer for r in summary.reviewers] == ["aa", "zz"]


@given(
    table=st.lists(
        st.lists(st.integers(min_value=0, max_value=100), min_size=6, max_size=6),
        min_size=2,
        max_size=5,
    ),
    shift=st.integers(min_value=-20, max_value=20),
)
def test_alpha_is_at_most_1_and_a_shift_shows_in_the_signed_deviation(
    table: list[list[int]], shift: int
) -> None:
    # Every reviewer agrees with the first, except one who adds `shift` everywhere; with three
    # or more reviewers the median is the shared answer and the shifted one deviates by `shift`.
    rows: list[list[int | None]] = [list(table[0]) for _ in table]
    rows[-1] = [v + shift for v in table[0]]
    totals, outcomes = _session(rows)
    summary = calibration_summary(totals=totals, outcomes=outcomes)
    for figure in (summary.total_alpha, *(i.alpha for i in summary.items)):
        assert figure is None or (math.isfinite(figure) and figure <= 1 + 1e-9)
    if len(rows) >= 3:
        shifted = summary.reviewers[-1]
        assert shifted.mean_signed_deviation == pytest.approx(shift)
        assert shifted.mean_abs_deviation == pytest.approx(abs(shift))
