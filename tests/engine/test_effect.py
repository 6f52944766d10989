"""Difference in differences on synthetic panels whose true effect is known."""

from __future__ import annotations

import random

import pytest

from lingting.engine.effect import Observation, Verdict, difference_in_differences

PRE, POST = (0, 1, 2), (3, 4, 5)


def _panel(
    *,
    effect: float,
    treated: int = 15,
    control: int = 30,
    seed: int = 1,
    treated_level: float = 70.0,
    trend_gap: float = 0.0,
) -> list[Observation]:
    """Monthly QA scores: every agent has their own level and noise, everyone gains 1
    point a month (the season), the treated start lower and gain `effect` after month 2;
    `trend_gap` adds a pre-period trend to the treated only."""
    rng = random.Random(seed)
    rows: list[Observation] = []
    for index in range(treated + control):
        is_treated = index < treated
        level = (treated_level if is_treated else 80.0) + rng.gauss(0, 3)
        for month in PRE + POST:
            value = level + month + rng.gauss(0, 2)
            if is_treated and month in POST:
                value += effect
            if is_treated and month in PRE:
                value += trend_gap * month
            rows.append(Observation(f"A{index}", month, value, is_treated))
    return rows


def test_a_known_effect_is_recovered_within_its_interval() -> None:
    result = difference_in_differences(_panel(effect=4.0), pre_periods=PRE, post_periods=POST)

    assert result.effect is not None
    assert result.effect.low <= 4.0 <= result.effect.high
    assert result.effect.low > 0
    assert abs(result.effect.estimate - 4.0) < 1.5
    assert result.verdict is Verdict.BETTER
    assert (result.treated.agents, result.control.agents) == (15, 30)


def test_the_season_alone_is_not_an_effect() -> None:
    """Everyone gains 1 point a month: the coached agents' raw before/after change (the
    seed 000 kind of claim) is about +3, yet the estimate of the effect covers zero."""
    result = difference_in_differences(_panel(effect=0.0), pre_periods=PRE, post_periods=POST)

    assert result.treated.change is not None
    assert result.treated.change > 2
    assert result.effect is not None
    assert result.effect.covers_zero
    assert result.verdict is Verdict.NO_EVIDENCE


@pytest.mark.parametrize("seed", range(5))
def test_null_effects_give_intervals_covering_zero(seed: int) -> None:
    result = difference_in_differences(
        _panel(effect=0.0, seed=seed), pre_periods=PRE, post_periods=POST, seed=seed
    )

    assert result.effect is not None
    assert result.effect.covers_zero


def test_lower_is_better_turns_a_drop_into_an_improvement() -> None:
    result = difference_in_differences(
        _panel(effect=-5.0), pre_periods=PRE, post_periods=POST, higher_is_better=False
    )

    assert result.verdict is Verdict.BETTER


def test_too_few_agents_says_so_and_gives_no_interval() -> None:
    result = difference_in_differences(
        _panel(effect=4.0, treated=2), pre_periods=PRE, post_periods=POST
    )

    assert result.verdict is Verdict.TOO_FEW
    assert result.effect is None
    assert result.treated.agents == 2


def test_parallel_trends_check_flags_a_diverging_pre_period() -> None:
    steady = difference_in_differences(_panel(effect=0.0), pre_periods=PRE, post_periods=POST)
    diverging = difference_in_differences(
        _panel(effect=0.0, trend_gap=3.0), pre_periods=PRE, post_periods=POST
    )

    assert steady.pre_trend is not None
    assert not steady.parallel_trends_doubtful
    assert diverging.pre_trend is not None
    assert diverging.parallel_trends_doubtful


def test_agents_without_figures_on_both_sides_are_left_out() -> None:
    rows = [*_panel(effect=0.0), Observation("new", 4, 90.0, False)]

    result = difference_in_differences(rows, pre_periods=PRE, post_periods=POST)

    assert result.dropped == 1
    assert result.control.agents == 30


def test_same_seed_same_interval() -> None:
    first = difference_in_differences(_panel(effect=2.0), pre_periods=PRE, post_periods=POST)
    again = difference_in_differences(_panel(effect=2.0), pre_periods=PRE, post_periods=POST)

    assert first.effect == again.effect


def test_an_agent_cannot_be_in_both_groups() -> None:
    rows = [Observation("A", 0, 1.0, True), Observation("A", 3, 1.0, False)]

    with pytest.raises(ValueError, match="both groups"):
        difference_in_differences(rows, pre_periods=PRE, post_periods=POST)
