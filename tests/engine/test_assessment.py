"""The monthly assessment, weekly ranking order and best/worst rule (seed 003)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lingting.engine.assessment import (
    AgentPeriod,
    AssessmentError,
    Weights,
    assess,
    best_and_worst,
    competition_ranks,
    components_of,
    highlighted,
    volume_scores,
    weighted_total,
)


def period(agent: str, **fields: Any) -> AgentPeriod:
    return AgentPeriod(agent=agent, **fields)


def test_components_from_scores_sections_and_volume() -> None:
    li = period(
        "A1",
        scored=4,
        score_sum=360,
        section_points={"attitude": 20, "product_knowledge": 10, "communication": 0},
        section_lost={"attitude": 5, "product_knowledge": 0},
    )
    assert components_of(li, 50.0) == {
        "qa_score": 90.0,
        "attitude": 75.0,
        "proficiency": 100.0,
        "explanation": None,  # nothing decided in the section
        "speech": None,
        "volume": 50.0,
    }


def test_quality_comes_first_by_default() -> None:
    weights = Weights()
    quality = sum(weights.as_dict().values()) - weights.volume
    assert quality >= 4 * weights.volume
    # an agent doing the queue's usual share well beats one racing through calls poorly
    careful = weighted_total({"qa_score": 95.0, "attitude": 95.0, "volume": 100.0}, weights)
    fast = weighted_total({"qa_score": 75.0, "attitude": 75.0, "volume": 100.0}, weights)
    slow = weighted_total({"qa_score": 95.0, "attitude": 95.0, "volume": 70.0}, weights)
    assert careful is not None
    assert fast is not None
    assert slow is not None
    assert careful > slow > fast  # 70% of the usual calls costs less than 20 points of quality


def test_the_total_weighs_only_the_components_present() -> None:
    weights = Weights(qa_score=3, attitude=1, proficiency=0, explanation=0, speech=0, volume=1)
    assert weighted_total({"qa_score": 80.0, "attitude": None, "volume": 30.0}, weights) == 67.5
    assert weighted_total({"volume": 100.0}, weights) is None  # no quality, no assessment


def test_weights_that_weigh_no_quality_or_go_negative_are_refused() -> None:
    with pytest.raises(AssessmentError, match="quality"):
        Weights(qa_score=0, attitude=0, proficiency=0, explanation=0, speech=0, volume=10)
    with pytest.raises(AssessmentError, match="≥ 0"):
        Weights(volume=-1)


def test_volume_is_measured_against_the_main_queues_median_and_capped() -> None:
    periods = [
        period("A1", queue="Q1", handled=10),
        period("A2", queue="Q1", handled=20),
        period("A3", queue="Q1", handled=30),
        period("A4", queue="Q1", handled=80),
        period("B1", queue="Q2", handled=0),  # alone in a queue with nothing answered
    ]
    assert volume_scores(periods) == {
        "A1": 40.0,  # median 25
        "A2": 80.0,
        "A3": 100.0,
        "A4": 100.0,  # racing past the median earns no more
        "B1": 100.0,
    }


def test_ranks_share_places_on_ties() -> None:
    assert competition_ranks({"a": 90.0, "b": 80.0, "c": 90.0, "d": 70.0, "e": None}) == {
        "a": 1,
        "c": 1,
        "b": 3,
        "d": 4,
    }


def test_assessment_adds_the_points_and_ranks_the_final_figure() -> None:
    periods = [
        period("A1", queue="Q", handled=10, scored=2, score_sum=180),  # 90
        period("A2", queue="Q", handled=10, scored=2, score_sum=176),  # 88
        period("A3", queue="Q", handled=10),  # calls but no QA: not ranked
    ]
    weights = Weights(volume=0)
    rows = assess(periods, weights, points={"A2": 5.0, "A1": -5.0})
    assert [(r.agent, r.total, r.points, r.final, r.rank) for r in rows] == [
        ("A2", 88.0, 5.0, 93.0, 1),
        ("A1", 90.0, -5.0, 85.0, 2),
        ("A3", None, 0.0, None, None),
    ]


def test_best_and_worst_by_reviewed_mean_with_a_minimum_of_reviews() -> None:
    periods = [
        period("A1", reviewed=3, reviewed_sum=270, auto_scored=10, auto_sum=850),  # 90
        period("A2", reviewed=3, reviewed_sum=270, auto_scored=10, auto_sum=900),  # 90, auto 90
        period("A3", reviewed=4, reviewed_sum=240, auto_scored=10, auto_sum=700),  # 60
        period("A4", reviewed=2, reviewed_sum=100),  # 50, but only two reviews
    ]
    assert best_and_worst(periods, min_reviewed=3) == ("A2", "A3")
    assert best_and_worst(periods, min_reviewed=2) == ("A2", "A4")
    assert best_and_worst(periods[:1], min_reviewed=3) == ("A1", None)
    assert best_and_worst(periods, min_reviewed=5) == (None, None)


def test_highlights_never_overlap() -> None:
    assert [highlighted(n) for n in (0, 1, 2, 5, 6, 20)] == [0, 0, 1, 2, 3, 3]


@given(
    st.lists(
        st.tuples(st.integers(0, 50), st.integers(0, 5), st.floats(0, 100)),
        min_size=1,
        max_size=12,
    )
)
def test_every_total_is_between_0_and_100_and_ranks_follow_the_final_figure(
    agents: list[tuple[int, int, float]],
) -> None:
    periods = [
        period(f"A{n}", queue="Q", handled=handled, scored=scored, score_sum=scored * mean)
        for n, (handled, scored, mean) in enumerate(agents)
    ]
    rows = assess(periods, Weights())
    ranked = [r for r in rows if r.rank is not None]
    for row in ranked:
        assert row.total is not None
        assert 0 <= row.total <= 100 + 1e-9
    finals = [r.final for r in ranked if r.final is not None]
    assert len(finals) == len(ranked)
    assert finals == sorted(finals, reverse=True)
