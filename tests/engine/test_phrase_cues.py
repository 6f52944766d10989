"""The readers' shared arithmetic gives exactly what the plain Python it replaces gives."""

import random

import pytest

from lingting.engine.phrase_cues import clip, combined_weight, to_hundredths


@pytest.mark.parametrize(
    "value",
    [0.0, -0.0, 0.125, 0.375, -0.125, 0.005, 1.005, 2.675, 0.285, -0.001, 0.999, 1e12, -1e12],
)
def test_hundredths_are_rounds_own_at_ties_signs_and_extremes(value: float) -> None:
    # repr tells -0.0 from 0.0, which JSON output would show.
    assert repr(to_hundredths(value)) == repr(round(value, 2))


def test_hundredths_match_round_over_the_readers_whole_range() -> None:
    draw = random.Random(15)
    values = [draw.uniform(-2.0, 2.0) for _ in range(20_000)]
    values += [step / 1000 for step in range(-2000, 2001)]  # every tie of the third decimal
    assert [repr(to_hundredths(v)) for v in values] == [repr(round(v, 2)) for v in values]


def test_an_intensity_is_kept_to_zero_to_one() -> None:
    assert (clip(-0.2), clip(0.456), clip(1.3)) == (0.0, 0.46, 1.0)


def test_further_cues_add_a_little_to_the_strongest() -> None:
    assert combined_weight([]) == 0.0
    assert combined_weight([0.3, 0.7, 0.5]) == pytest.approx(0.7 + 2 * 0.1)
