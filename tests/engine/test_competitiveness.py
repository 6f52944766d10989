"""Seed 004 篇1's service competitiveness index and its retention and market parts."""

from __future__ import annotations

import pytest

from lingting.engine.competitiveness import OperatorAnswers, WaveError, competitiveness

WAVE = [
    OperatorAnswers("联通", subscribers=1_000, asked=400, choosing_us=320, ours=True),
    OperatorAnswers("移动", subscribers=3_000, asked=600, choosing_us=60),
    OperatorAnswers("电信", subscribers=1_000, asked=300, choosing_us=45),
]


def test_the_index_weights_each_operators_choice_by_its_subscribers() -> None:
    figures = competitiveness(WAVE)

    # (0.8 × 1000 + 0.1 × 3000 + 0.15 × 1000) / 5000 × 100
    assert figures.index == pytest.approx(25.0)
    assert figures.retention == pytest.approx(80.0)
    # (0.1 × 3000 + 0.15 × 1000) / 4000 × 100
    assert figures.market == pytest.approx(11.25)


def test_a_wave_of_our_users_only_has_no_market_part() -> None:
    figures = competitiveness(WAVE[:1])

    assert figures.index == figures.retention == pytest.approx(80.0)
    assert figures.market is None


@pytest.mark.parametrize(
    "wave",
    [
        WAVE[1:],  # no operator of ours
        [*WAVE, OperatorAnswers("其他", 10, 0, 0)],  # nobody asked
        [*WAVE[:2], OperatorAnswers("电信", 1000, 10, 11)],  # more choosing us than asked
    ],
)
def test_a_wave_that_cannot_give_an_index_says_why(wave: list[OperatorAnswers]) -> None:
    with pytest.raises(WaveError):
        competitiveness(wave)
