"""Next-period forecast of a short series (a quality report's pass rate, its volume).

Seed 002 §七 asks the monthly report to "与下月指标作出质量趋势预测分析" and §一.9 the QA team
to "对质量趋势做出判断". A contact center has a handful of months of history, so the method
must be small and honest about its error:

- **Method**: Holt's exponential smoothing with a damped trend (Gardner & McKenzie). Level
  ``l`` and trend ``b`` are updated each period; the next period is ``l + φ·b``. The
  smoothing weights α (level), β (trend) and the damping φ are chosen from a small grid by
  the least sum of squared one-step errors over the series itself; φ = 1 is plain Holt
  (a straight line continues exactly), φ < 1 flattens a trend that may not last.
- With fewer than ``MIN_POINTS_FOR_TREND`` points there is no trend to fit: the forecast is
  the last value (naive).
- **Error shown**: a rolling-origin backtest. For each period t after the first
  ``MIN_POINTS_FOR_TREND``, the method is fitted on the periods before t only and its
  forecast of t compared with what happened; MAE and MAPE are over those one-step errors.
- **Band**: ±1.96 × the backtest's root mean squared error (about 95 % if errors were
  normal), present only when the backtest has at least two points.

Pure Python, no Django: the web app and any script call the same function.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product

MIN_POINTS_FOR_TREND = 3
Z_95 = 1.96
ALPHAS = (0.1, 0.3, 0.5, 0.7, 0.9)
BETAS = (0.1, 0.3, 0.5, 0.7, 0.9)
PHIS = (1.0, 0.9, 0.8)  # 1.0 first: on a tie the plain trend wins

METHOD_HOLT_DAMPED = "holt_damped"
METHOD_NAIVE = "naive"
METHOD_NONE = "none"


@dataclass(frozen=True, slots=True)
class BacktestPoint:
    index: int  # position in the series of the period forecast
    actual: float
    predicted: float

    @property
    def error(self) -> float:
        return self.predicted - self.actual


@dataclass(frozen=True, slots=True)
class Forecast:
    method: str  # METHOD_HOLT_DAMPED, METHOD_NAIVE, or METHOD_NONE (empty series)
    value: float | None  # the next period
    low: float | None  # the band, None without enough backtest points
    high: float | None
    backtest: tuple[BacktestPoint, ...]
    alpha: float | None = None
    beta: float | None = None
    phi: float | None = None

    @property
    def mae(self) -> float | None:
        """Mean absolute one-step error of the backtest."""
        if not self.backtest:
            return None
        return sum(abs(p.error) for p in self.backtest) / len(self.backtest)

    @property
    def mape(self) -> float | None:
        """Mean absolute percentage error (a fraction), over backtest points whose actual
        value is not zero; None when there are none."""
        usable = [p for p in self.backtest if p.actual != 0]
        if not usable:
            return None
        return sum(abs(p.error / p.actual) for p in usable) / len(usable)

    @property
    def rmse(self) -> float | None:
        if not self.backtest:
            return None
        return math.sqrt(sum(p.error**2 for p in self.backtest) / len(self.backtest))


@dataclass(frozen=True, slots=True)
class _Fit:
    alpha: float
    beta: float
    phi: float
    sse: float
    next_value: float


def _run(series: Sequence[float], alpha: float, beta: float, phi: float) -> tuple[float, float]:
    """(sum of squared one-step errors from the third point on, next-period forecast)."""
    level, trend = series[1], series[1] - series[0]
    sse = 0.0
    for y in series[2:]:
        predicted = level + phi * trend
        sse += (y - predicted) ** 2
        new_level = alpha * y + (1 - alpha) * predicted
        trend = beta * (new_level - level) + (1 - beta) * phi * trend
        level = new_level
    return sse, level + phi * trend


def _fit(series: Sequence[float]) -> _Fit:
    best: _Fit | None = None
    for phi, alpha, beta in product(PHIS, ALPHAS, BETAS):
        sse, next_value = _run(series, alpha, beta, phi)
        if best is None or sse < best.sse - 1e-12:
            best = _Fit(alpha, beta, phi, sse, next_value)
    assert best is not None
    return best


def _one_step(series: Sequence[float]) -> float:
    if len(series) < MIN_POINTS_FOR_TREND:
        return series[-1]
    return _fit(series).next_value


def _clip(value: float, lower: float | None, upper: float | None) -> float:
    if lower is not None:
        value = max(lower, value)
    if upper is not None:
        value = min(upper, value)
    return value


def forecast_next(
    series: Sequence[float], *, lower: float | None = None, upper: float | None = None
) -> Forecast:
    """Forecast the period after `series` (oldest first), with its backtest and band.

    `lower`/`upper` bound the forecast and the band (0 and 1 for a rate, 0 for a count).
    """
    values = [float(v) for v in series]
    if any(not math.isfinite(v) for v in values):
        raise ValueError("a forecast series must hold finite numbers")
    if not values:
        return Forecast(METHOD_NONE, None, None, None, ())
    backtest = tuple(
        BacktestPoint(t, values[t], _clip(_one_step(values[:t]), lower, upper))
        for t in range(MIN_POINTS_FOR_TREND, len(values))
    )
    if len(values) < MIN_POINTS_FOR_TREND:
        method, value = METHOD_NAIVE, values[-1]
        alpha = beta = phi = None
    else:
        fit = _fit(values)
        method, value = METHOD_HOLT_DAMPED, fit.next_value
        alpha, beta, phi = fit.alpha, fit.beta, fit.phi
    value = _clip(value, lower, upper)
    low = high = None
    if len(backtest) >= 2:
        spread = Z_95 * math.sqrt(sum(p.error**2 for p in backtest) / len(backtest))
        low, high = _clip(value - spread, lower, upper), _clip(value + spread, lower, upper)
    return Forecast(method, value, low, high, backtest, alpha, beta, phi)
