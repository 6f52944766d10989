"""Next-period forecast (Holt's damped trend) with its rolling-origin backtest."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lingting.engine.forecast import (
    METHOD_HOLT_DAMPED,
    METHOD_NAIVE,
    METHOD_NONE,
    forecast_next,
)

levels = st.floats(min_value=-1000, max_value=1000, allow_nan=False)


@given(level=levels, length=st.integers(min_value=1, max_value=12))
def test_a_flat_series_forecasts_its_level_with_no_error(level: float, length: int) -> None:
    forecast = forecast_next([level] * length)

    assert forecast.value == pytest.approx(level)
    if forecast.backtest:
        assert forecast.mae == pytest.approx(0, abs=1e-9)


@given(
    start=st.floats(min_value=-100, max_value=100),
    slope=st.floats(min_value=-10, max_value=10),
    length=st.integers(min_value=4, max_value=12),
)
def test_a_straight_line_continues(start: float, slope: float, length: int) -> None:
    forecast = forecast_next([start + slope * t for t in range(length)])

    assert forecast.method == METHOD_HOLT_DAMPED
    assert forecast.value == pytest.approx(start + slope * length, abs=1e-6)
    assert forecast.mae == pytest.approx(0, abs=1e-6)


def test_backtest_forecasts_each_period_from_the_ones_before_it_only() -> None:
    series = [0.80, 0.82, 0.85, 0.83, 0.86, 0.88]

    forecast = forecast_next(series)

    assert [p.index for p in forecast.backtest] == [3, 4, 5]
    assert [p.actual for p in forecast.backtest] == [0.83, 0.86, 0.88]
    # The first backtest point sees 0.80, 0.82, 0.85 only: a straight line fits them best
    # among the plain-Holt fits, so its forecast is below 0.88 and above 0.85.
    first = forecast_next(series[:3]).value
    assert forecast.backtest[0].predicted == pytest.approx(first)
    assert forecast.mae == pytest.approx(
        sum(abs(p.predicted - p.actual) for p in forecast.backtest) / 3
    )
    assert forecast.mape == pytest.approx(
        sum(abs(p.predicted - p.actual) / p.actual for p in forecast.backtest) / 3
    )


def test_band_is_symmetric_about_the_forecast_and_widens_with_the_error() -> None:
    steady = forecast_next([10, 11, 12, 13, 14, 15.2])
    noisy = forecast_next([10, 15, 9, 16, 8, 17])

    for forecast in (steady, noisy):
        assert forecast.low is not None
        assert forecast.high is not None
        assert forecast.value
        assert forecast.value - forecast.low == pytest.approx(forecast.high - forecast.value)
    assert (noisy.high or 0) - (noisy.low or 0) > (steady.high or 0) - (steady.low or 0)


def test_a_rate_stays_between_its_bounds() -> None:
    forecast = forecast_next([0.90, 0.95, 0.97, 0.99, 0.999], lower=0, upper=1)

    assert forecast.value is not None
    assert 0 <= forecast.value <= 1
    assert forecast.high is not None
    assert forecast.high <= 1


def test_short_series_fall_back_to_the_last_value() -> None:
    assert forecast_next([]).method == METHOD_NONE
    assert forecast_next([]).value is None
    two = forecast_next([0.7, 0.9])
    assert two.method == METHOD_NAIVE
    assert two.value == 0.9
    assert two.backtest == ()
    assert two.mae is None
    assert two.low is None


def test_mape_leaves_out_periods_that_were_zero() -> None:
    forecast = forecast_next([0, 0, 0, 0, 5])

    assert forecast.mape is not None
    assert len([p for p in forecast.backtest if p.actual]) == 1


def test_a_series_with_nan_is_refused() -> None:
    with pytest.raises(ValueError, match="finite"):
        forecast_next([1.0, float("nan"), 2.0])


@given(st.lists(st.floats(min_value=0, max_value=1), min_size=0, max_size=10))
def test_any_rate_series_gives_a_bounded_forecast(series: list[float]) -> None:
    forecast = forecast_next(series, lower=0, upper=1)

    if series:
        assert forecast.value is not None
        assert 0 <= forecast.value <= 1
    assert len(forecast.backtest) == max(0, len(series) - 3)
