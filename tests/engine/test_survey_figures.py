"""Survey figures carry their margin of error (issue 17): at 100 answers an NPS moves by
about fifteen points; a share of 100% from five answers is not certain."""

from __future__ import annotations

import pytest

from lingting.engine.survey_figures import nps_estimate, share_estimate


def test_an_nps_from_a_hundred_answers_is_give_or_take_fifteen_points() -> None:
    estimate = nps_estimate(promoters=40, detractors=30, count=100)

    assert estimate.value == pytest.approx(10)
    # adjusted Wald: P′ = 40.75/103, D′ = 30.75/103, ± 1.96·√((P′ + D′ − (P′ − D′)²)/103)
    assert estimate.margin == pytest.approx(16.0, abs=0.1)
    assert estimate.low == pytest.approx(100 * 10 / 103 - 16.0, abs=0.1)


def test_the_nps_margin_shrinks_with_the_square_root_of_the_answers() -> None:
    hundred = nps_estimate(40, 30, 100).margin
    ten_thousand = nps_estimate(4000, 3000, 10_000).margin

    assert hundred is not None
    assert ten_thousand is not None
    assert hundred / ten_thousand == pytest.approx(10, rel=0.03)


def test_a_share_of_everyone_from_five_answers_still_has_a_margin() -> None:
    estimate = share_estimate(5, 5)

    assert estimate.value == 1
    assert estimate.high == 1
    assert estimate.low is not None
    assert estimate.low < 0.6


def test_a_share_from_many_answers_matches_the_textbook_margin() -> None:
    estimate = share_estimate(900, 1000)

    assert estimate.margin == pytest.approx(1.96 * (0.9 * 0.1 / 1000) ** 0.5, rel=0.02)


def test_an_nps_of_a_hundred_from_one_answer_is_not_certain() -> None:
    estimate = nps_estimate(promoters=1, detractors=0, count=1)

    assert estimate.value == 100
    assert estimate.margin is not None
    assert estimate.margin > 50  # the plain interval would say ±0


def test_no_answers_give_no_figure_not_zero() -> None:
    assert share_estimate(0, 0).value is None
    assert nps_estimate(0, 0, 0).margin is None
