"""QA sampling: reproducible draws, stratified allocation, per-agent minimums, dealing the
sample to reviewers, and the §六 arithmetic of capacity against sample size."""

from __future__ import annotations

import random
from collections import Counter
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lingting.engine.sampling import (
    Allocation,
    Candidate,
    daily_sample_advice,
    draw_sample,
    margin_for_sample,
    review_capacity,
    sample_size_for_rate,
    split_by_quota,
)


def _contacts(strata: dict[str, int], *, agents: int = 5) -> list[Candidate]:
    """`strata[name]` contacts in each stratum, agents a0…a{agents-1} taking turns."""
    contacts: list[Candidate] = []
    for name, count in strata.items():
        for _ in range(count):
            n = len(contacts)
            contacts.append(Candidate(contact_id=n + 1, stratum=name, agent=f"a{n % agents}"))
    return contacts


def _ids(sample: list[Candidate]) -> list[int]:
    return [c.contact_id for c in sample]


stratum_sizes = st.dictionaries(
    st.sampled_from("ABCDEFG"), st.integers(min_value=0, max_value=40), min_size=1
)


# --- draw_sample ---------------------------------------------------------------------------


def test_same_seed_draws_the_same_sample_whatever_the_input_order() -> None:
    contacts = _contacts({"A": 60, "B": 30, "C": 10})
    shuffled = contacts[:]
    random.Random(99).shuffle(shuffled)
    for allocation in (None, Allocation.PROPORTIONAL, Allocation.EQUAL):
        first = draw_sample(contacts, size=17, seed=7, allocation=allocation)
        again = draw_sample(shuffled, size=17, seed=7, allocation=allocation)
        assert first == again


def test_a_different_seed_draws_a_different_sample() -> None:
    contacts = _contacts({"": 500})
    assert _ids(draw_sample(contacts, size=20, seed=1)) != _ids(
        draw_sample(contacts, size=20, seed=2)
    )


def test_sample_is_sorted_by_contact_id() -> None:
    sample = draw_sample(_contacts({"A": 50, "B": 50}), size=30, seed=3)
    assert _ids(sample) == sorted(_ids(sample))


def test_proportional_allocation_matches_stratum_shares() -> None:
    contacts = _contacts({"A": 600, "B": 300, "C": 100})
    sample = draw_sample(contacts, size=50, seed=11, allocation=Allocation.PROPORTIONAL)
    assert Counter(c.stratum for c in sample) == {"A": 30, "B": 15, "C": 5}


def test_equal_allocation_gives_each_stratum_the_same_number() -> None:
    contacts = _contacts({"A": 600, "B": 300, "C": 100})
    sample = draw_sample(contacts, size=30, seed=11, allocation=Allocation.EQUAL)
    assert Counter(c.stratum for c in sample) == {"A": 10, "B": 10, "C": 10}


def test_a_small_stratum_gives_its_shortfall_to_the_others() -> None:
    contacts = _contacts({"A": 100, "B": 100, "small": 2})
    sample = draw_sample(contacts, size=30, seed=5, allocation=Allocation.EQUAL)
    assert Counter(c.stratum for c in sample) == {"A": 14, "B": 14, "small": 2}


def test_asking_for_more_than_there_is_returns_every_candidate() -> None:
    contacts = _contacts({"A": 4, "B": 3})
    for allocation in (None, Allocation.PROPORTIONAL, Allocation.EQUAL):
        assert draw_sample(contacts, size=50, seed=1, allocation=allocation) == contacts


def test_minimum_per_agent_is_honoured_even_beyond_the_size() -> None:
    contacts = _contacts({"": 200}, agents=10)
    sample = draw_sample(contacts, size=5, seed=4, agent_minimums={"a1": 3, "a2": 4})
    by_agent = Counter(c.agent for c in sample)
    assert by_agent["a1"] == 3
    assert by_agent["a2"] == 4
    assert len(sample) == 7


def test_minimums_come_first_and_the_allocation_fills_the_rest() -> None:
    contacts = _contacts({"A": 100, "B": 100}, agents=10)
    sample = draw_sample(
        contacts, size=20, seed=4, allocation=Allocation.EQUAL, agent_minimums={"a3": 6}
    )
    assert len(sample) == 20
    assert Counter(c.agent for c in sample)["a3"] >= 6
    assert len(set(_ids(sample))) == 20


def test_a_minimum_beyond_what_the_agent_has_takes_all_of_theirs() -> None:
    contacts = [*_contacts({"": 30}, agents=3), Candidate(contact_id=999, agent="rare")]
    sample = draw_sample(contacts, size=2, seed=0, agent_minimums={"rare": 5})
    assert 999 in _ids(sample)
    assert len(sample) == 2


def test_nothing_to_draw_gives_an_empty_sample() -> None:
    assert draw_sample(_contacts({"A": 10}), size=0, seed=1) == []
    assert draw_sample([], size=10, seed=1, allocation=Allocation.PROPORTIONAL) == []


def test_negative_size_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="sample size must be 0 or more"):
        draw_sample(_contacts({"A": 10}), size=-1, seed=1)


def test_negative_agent_minimum_is_refused() -> None:
    with pytest.raises(ValueError, match="negative for a1"):
        draw_sample(_contacts({"A": 10}), size=3, seed=1, agent_minimums={"a1": -2})


def test_a_contact_listed_twice_is_refused() -> None:
    twice = [Candidate(contact_id=1, stratum="A"), Candidate(contact_id=1, stratum="B")]
    with pytest.raises(ValueError, match="more than once: 1"):
        draw_sample(twice, size=1, seed=1)


@given(
    strata=stratum_sizes,
    size=st.integers(min_value=0, max_value=300),
    seed=st.integers(),
    allocation=st.sampled_from([None, Allocation.PROPORTIONAL, Allocation.EQUAL]),
)
def test_without_minimums_the_sample_has_min_of_size_and_candidates_and_no_duplicates(
    strata: dict[str, int], size: int, seed: int, allocation: Allocation | None
) -> None:
    contacts = _contacts(strata)
    sample = draw_sample(contacts, size=size, seed=seed, allocation=allocation)
    assert len(sample) == min(size, len(contacts))
    assert len(set(_ids(sample))) == len(sample)
    assert set(sample) <= set(contacts)


@given(strata=stratum_sizes, size=st.integers(min_value=0, max_value=300), seed=st.integers())
def test_every_stratum_is_within_one_of_its_proportional_quota(
    strata: dict[str, int], size: int, seed: int
) -> None:
    contacts = _contacts(strata)
    sample = draw_sample(contacts, size=size, seed=seed, allocation=Allocation.PROPORTIONAL)
    drawn = Counter(c.stratum for c in sample)
    total = min(size, len(contacts))
    for name, count in strata.items():
        exact = Fraction(total * count, len(contacts)) if contacts else Fraction(0)
        assert abs(drawn[name] - exact) < 1


@given(
    strata=stratum_sizes,
    size=st.integers(min_value=0, max_value=300),
    seed=st.integers(),
    minimums=st.dictionaries(
        st.sampled_from(["a0", "a1", "a2", "nobody"]), st.integers(min_value=0, max_value=20)
    ),
    allocation=st.sampled_from([None, Allocation.PROPORTIONAL, Allocation.EQUAL]),
)
def test_minimums_are_met_as_far_as_each_agent_allows_without_duplicates(
    strata: dict[str, int],
    size: int,
    seed: int,
    minimums: dict[str, int],
    allocation: Allocation | None,
) -> None:
    contacts = _contacts(strata)
    sample = draw_sample(
        contacts, size=size, seed=seed, allocation=allocation, agent_minimums=minimums
    )
    assert len(set(_ids(sample))) == len(sample)
    available = Counter(c.agent for c in contacts)
    drawn = Counter(c.agent for c in sample)
    owed = sum(min(n, available[agent]) for agent, n in minimums.items())
    for agent, minimum in minimums.items():
        assert drawn[agent] >= min(minimum, available[agent])
    assert len(sample) == max(owed, min(size, len(contacts)))


# --- split_by_quota ------------------------------------------------------------------------


def test_split_follows_the_quota_weights() -> None:
    sample = _contacts({"": 30})
    dealt = split_by_quota(sample, {"qa_zhao": 2, "qa_qian": 1}, seed=1)
    assert {r: len(cs) for r, cs in dealt.items()} == {"qa_zhao": 20, "qa_qian": 10}


def test_split_spreads_each_agents_calls_over_the_reviewers() -> None:
    sample = _contacts({"": 12}, agents=2)  # six calls each from a0 and a1
    dealt = split_by_quota(sample, {"qa_zhao": 1, "qa_qian": 1, "qa_sun": 1}, seed=8)
    for contacts in dealt.values():
        assert Counter(c.agent for c in contacts) == {"a0": 2, "a1": 2}


def test_split_is_reproducible_whatever_the_input_order() -> None:
    sample = _contacts({"": 25}, agents=4)
    backwards = sample[::-1]
    quotas = {"qa_zhao": 3, "qa_qian": 2}
    assert split_by_quota(sample, quotas, seed=5) == split_by_quota(backwards, quotas, seed=5)


def test_a_reviewer_with_quota_zero_gets_nothing() -> None:
    dealt = split_by_quota(_contacts({"": 9}), {"qa_zhao": 1, "on_leave": 0}, seed=2)
    assert dealt["on_leave"] == []
    assert len(dealt["qa_zhao"]) == 9


@pytest.mark.parametrize("quotas", [{}, {"qa_zhao": 0, "qa_qian": 0}])
def test_split_without_any_quota_is_refused(quotas: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="at least one reviewer needs a quota"):
        split_by_quota(_contacts({"": 3}), quotas, seed=1)


@given(
    size=st.integers(min_value=0, max_value=120),
    quotas=st.dictionaries(
        st.text(alphabet="abcdefgh", min_size=1, max_size=3),
        st.integers(min_value=0, max_value=50),
        min_size=1,
    ).filter(lambda q: any(q.values())),
    agents=st.integers(min_value=1, max_value=8),
    seed=st.integers(),
)
def test_split_covers_every_contact_once_and_respects_quotas_within_one(
    size: int, quotas: dict[str, int], agents: int, seed: int
) -> None:
    sample = _contacts({"": size}, agents=agents)
    dealt = split_by_quota(sample, quotas, seed=seed)
    assert dealt.keys() == quotas.keys()
    everything = [c for contacts in dealt.values() for c in contacts]
    assert sorted(_ids(everything)) == _ids(sample)
    weight = sum(quotas.values())
    for reviewer, quota in quotas.items():
        assert abs(len(dealt[reviewer]) - Fraction(size * quota, weight)) < 1


# --- capacity and sample size --------------------------------------------------------------


def test_capacity_matches_seed_example() -> None:
    # §六: 3 reviewers, 6 effective hours, 4-minute calls plus 2 minutes to score each:
    # 10 reviews an hour, 60 a day each.
    assert review_capacity(reviewers=3, effective_hours=6, avg_handle_s=240) == 180


def test_capacity_counts_whole_reviews_per_reviewer() -> None:
    # 1 h / 25 min = 2.4 reviews each: two people finish 4, not 4.8 rounded to 5.
    assert review_capacity(reviewers=2, effective_hours=1, avg_handle_s=1380) == 4


def test_capacity_is_not_lost_to_binary_rounding() -> None:
    # 7.2 h = 25,920 s = exactly 72 reviews of 360 s, though 7.2 * 3600 is not exact in binary.
    assert review_capacity(reviewers=1, effective_hours=7.2, avg_handle_s=300, overhead_s=60) == 72


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"reviewers": 0}, "reviewers must be at least 1"),
        ({"effective_hours": 0}, "effective hours must be above 0"),
        ({"avg_handle_s": -5}, "average handle time must be above 0"),
        ({"overhead_s": -1}, "overhead per review"),
    ],
)
def test_capacity_refuses_impossible_inputs(kwargs: dict[str, Any], message: str) -> None:
    arguments: dict[str, Any] = {"reviewers": 2, "effective_hours": 6, "avg_handle_s": 200}
    with pytest.raises(ValueError, match=message):
        review_capacity(**(arguments | kwargs))


def test_sample_size_for_five_points_at_95_percent_is_the_textbook_385() -> None:
    assert sample_size_for_rate(margin=0.05) == 385


def test_a_population_of_1000_needs_278() -> None:
    assert sample_size_for_rate(margin=0.05, population=1000) == 278


def test_a_lopsided_expected_rate_needs_fewer_reviews() -> None:
    assert sample_size_for_rate(margin=0.05, expected_rate=0.9) < sample_size_for_rate(margin=0.05)


def test_a_sample_of_the_whole_population_has_no_margin() -> None:
    assert margin_for_sample(sample=500, population=500) == 0.0
    assert margin_for_sample(sample=800, population=500) == 0.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"margin": 0}, "margin must be between 0 and 1"),
        ({"margin": 0.05, "confidence": 1}, "confidence must be between 0 and 1"),
        ({"margin": 0.05, "expected_rate": 0}, "expected rate must be strictly between"),
        ({"margin": 0.05, "population": 0}, "population must be at least 1"),
    ],
)
def test_sample_size_refuses_impossible_inputs(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sample_size_for_rate(**kwargs)


def test_margin_needs_at_least_one_review() -> None:
    with pytest.raises(ValueError, match="sample must be at least 1"):
        margin_for_sample(sample=0)


@given(
    margin=st.floats(min_value=0.005, max_value=0.5),
    confidence=st.floats(min_value=0.5, max_value=0.999),
    expected_rate=st.floats(min_value=0.01, max_value=0.99),
    population=st.none() | st.integers(min_value=1, max_value=1_000_000),
)
def test_the_sample_size_is_the_smallest_that_reaches_the_margin(
    margin: float, confidence: float, expected_rate: float, population: int | None
) -> None:
    n = sample_size_for_rate(
        margin=margin, confidence=confidence, expected_rate=expected_rate, population=population
    )
    assert n >= 1
    assert population is None or n <= population

    def achieved(sample: int) -> float:
        return margin_for_sample(
            sample=sample, confidence=confidence, expected_rate=expected_rate, population=population
        )

    assert achieved(n) <= margin * (1 + 1e-9)
    if n > 1:
        assert achieved(n - 1) > margin * (1 - 1e-9)


# --- daily advice ----------------------------------------------------------------------------


def test_daily_advice_weighs_capacity_against_the_margin() -> None:
    advice = daily_sample_advice(
        avg_daily_volume=3000,
        avg_handle_s=240,
        reviewers=3,
        effective_hours=6,
        margin=0.05,
    )
    assert advice.capacity == 180
    assert advice.share_reviewable == pytest.approx(180 / 3000)
    assert advice.needed_for_margin == sample_size_for_rate(margin=0.05, population=3000)
    assert advice.margin_at_capacity == pytest.approx(
        margin_for_sample(sample=180, population=3000)
    )
    assert advice.margin_at_capacity is not None
    assert advice.margin_at_capacity > 0.05  # the team is short of the requested margin
    assert advice.recommended_daily_sample == 180
    assert advice.needed_for_margin == 341
    assert advice.reviewers_needed == 6  # 341 reviews at 60 a day each


def test_a_team_that_can_review_the_whole_day_has_no_margin_left() -> None:
    advice = daily_sample_advice(
        avg_daily_volume=100,
        avg_handle_s=60,
        reviewers=5,
        effective_hours=7,
        margin=0.05,
    )
    assert advice.capacity > 100
    assert advice.share_reviewable == 1.0
    assert advice.margin_at_capacity == 0.0
    assert advice.recommended_daily_sample == advice.needed_for_margin
    assert advice.reviewers_needed == 1


def test_a_call_longer_than_the_working_day_leaves_no_capacity() -> None:
    advice = daily_sample_advice(
        avg_daily_volume=50,
        avg_handle_s=8 * 3600,
        reviewers=2,
        effective_hours=6,
        margin=0.1,
    )
    assert advice.capacity == 0
    assert advice.margin_at_capacity is None
    assert advice.reviewers_needed is None
    assert advice.recommended_daily_sample == 0


def test_daily_advice_refuses_a_day_without_calls() -> None:
    with pytest.raises(ValueError, match="average daily volume must be above 0"):
        daily_sample_advice(
            avg_daily_volume=0, avg_handle_s=240, reviewers=3, effective_hours=6, margin=0.05
        )
