"""The candidate methods that forecast a day's arrivals per interval, fitted on a `DayTable`.

Issue 14 asks for methods that hold up in the literature on call arrivals. Taylor (2008,
"A comparison of univariate time series methods for forecasting intraday arrivals at a call
center", Management Science 54(2)) found that beyond two or three days ahead simple
historical averages of the same weekday are hard to beat; Weinberg, Brown & Stroud (2007,
JASA 102(480)), on the bank arrivals in ../shared/data/bank_calls, model a day's calls as
its total times the shares of its intervals. The candidates:

- **Naive** (the yardsticks every method must beat): `last_week` — the same weekday of the
  latest week; `mean_4w`, `median_4w`, `mean_8w`, `median_8w` — per interval, the mean or
  median of the same weekday over its last 4 or 8 weeks. They use every day as it came.
- **Daily total × intraday profile** (`daily_profile`): log day totals are fitted by least
  squares as a level for each week plus an effect for each kind of day (its weekday);
  the forecast total is the level of the last `LEVEL_WEEKS` weeks plus the kind's effect,
  spread over the intervals by the kind's profile (its mean shares over the last
  `PROFILE_DAYS` such days). Pooling a whole week for the level and many weeks for the shape
  leaves much less noise in a forecast than any same-weekday average. Days after a closure
  are left out of the fit (they carry the closed day's calls too).
- **… with the turn of the month** (`daily_profile_month`): the same with an effect for the
  day's place in the month (`arrival_days.month_positions`), offered only once the history
  holds `MIN_MONTH_SPAN_DAYS` days, so that every place has been seen a few times; fitted on
  fewer (an early origin of the backtest) it is the plain model, as it would be offered.
- **… carrying over the latest day** (`daily_profile_ar`; `daily_month_ar`, the month
  model's, named to fit the command line's column of methods): Taylor (2008) found that one
  to three days ahead the methods that read the latest days win, and Weinberg, Brown &
  Stroud (2007) give day totals an AR(1) day effect. A day's *deviation* is its log total
  less what the model would forecast for it then: the kind's (and place's) effects and the
  level of the `LEVEL_WEEKS` weeks to its own. The latest usable day's deviation d is
  carried into a day h steps on as φ^h·d, where φ is the least squares slope of each
  deviation on the one before over pairs of consecutive open days, clipped to [0,
  `MAX_CARRY_OVER`]: a history without autocorrelation fits φ ≈ 0 and the method is its
  plain model. The level has already taken in part of each deviation, so φ comes out under
  the process's own (about 0.6 for 0.7): the share that predicts best on top of that level.
  Steps count the days the weekly pattern opens, closed holidays among them (a deviation
  fades with time, not only with days worked), and make-up workdays; a day after a closure
  neither starts nor ends a pair, nor is it the latest deviation (it carries the closed
  day's calls). A carry-over under `MIN_CARRY_OVER` of the day's total is dropped, so that
  far ahead the method is exactly its plain model and the backtest's tie keeps the simpler
  one.

Which one is used for which lead time is decided by the backtest in `arrivals`, never here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

import numpy as np

from lingting.engine.arrival_days import (
    BoolArray,
    DayTable,
    FloatArray,
    IntArray,
    month_position_labels,
)

FIT_WEEKS = 52  # the level model reads at most a year back: older weekday effects have moved
LEVEL_WEEKS = 4
PROFILE_DAYS = 20
MIN_MONTH_SPAN_DAYS = 90
MAX_CARRY_OVER = 0.95  # φ below 1: a deviation always fades (a unit root is a level, not a day)
MIN_CARRY_OVER = 0.005  # in log total: half a percent of a day's calls


@dataclass(frozen=True, slots=True)
class Target:
    """A day to forecast: its date, the kind of day it is worked as, its place in the month."""

    day: date
    kind: int
    position: str


@dataclass(frozen=True, slots=True)
class Known:
    """What every method may read besides the counts: the open intervals of each kind and
    the month position of every open day (past and future)."""

    masks: dict[int, BoolArray]
    positions: dict[date, str]


Predictor = Callable[[Target], FloatArray]


@dataclass(frozen=True, slots=True)
class Method:
    name: str
    fit: Callable[[DayTable, Known], Predictor]


def candidate_methods(table: DayTable) -> tuple[Method, ...]:
    """The naive yardsticks first (a tie keeps the simpler method), then the models."""
    methods = [
        Method("last_week", partial(_fit_same_weekday, days=1, average=_latest)),
        Method("mean_4w", partial(_fit_same_weekday, days=4, average=_mean)),
        Method("median_4w", partial(_fit_same_weekday, days=4, average=_median)),
        Method("mean_8w", partial(_fit_same_weekday, days=8, average=_mean)),
        Method("median_8w", partial(_fit_same_weekday, days=8, average=_median)),
        Method("daily_profile", partial(_fit_daily_profile, by_month=False, carry=False)),
        Method("daily_profile_ar", partial(_fit_daily_profile, by_month=False, carry=True)),
    ]
    if _spans_months(table):
        methods += [
            Method("daily_profile_month", partial(_fit_daily_profile, by_month=True, carry=False)),
            Method("daily_month_ar", partial(_fit_daily_profile, by_month=True, carry=True)),
        ]
    return tuple(methods)


def _spans_months(table: DayTable) -> bool:
    return bool(table.dates) and (table.dates[-1] - table.dates[0]).days >= MIN_MONTH_SPAN_DAYS


def same_weekday_mean(table: DayTable, known: Known) -> Predictor:
    """The mean of every same-kind day there is: the forecast of a history too short to test."""
    return _fit_same_weekday(table, known, days=len(table.dates), average=_mean)


def _latest(rows: FloatArray) -> FloatArray:
    latest: FloatArray = rows[-1]
    return latest


def _mean(rows: FloatArray) -> FloatArray:
    mean: FloatArray = rows.mean(axis=0)
    return mean


def _median(rows: FloatArray) -> FloatArray:
    median: FloatArray = np.median(rows, axis=0)
    return median


def _fit_same_weekday(
    table: DayTable, known: Known, *, days: int, average: Callable[[FloatArray], FloatArray]
) -> Predictor:
    slots = table.counts.shape[1]
    by_kind = {
        kind: average(table.counts[table.kinds == kind][-days:])
        for kind in known.masks
        if np.any(table.kinds == kind)
    }

    def predict(target: Target) -> FloatArray:
        return by_kind.get(target.kind, np.zeros(slots))

    return predict


def _fit_daily_profile(table: DayTable, known: Known, *, by_month: bool, carry: bool) -> Predictor:
    totals = _open_totals(table, known.masks)
    usable = ~table.after_closure & (totals > 0)
    if table.dates:
        since = table.dates[-1] - timedelta(weeks=FIT_WEEKS)
        usable &= np.array([day > since for day in table.dates])
    if not usable.any():
        return same_weekday_mean(table, known)
    rows = np.flatnonzero(usable)
    # Fitted on fewer days (an early origin of the backtest), the month's effects would be
    # guesses: the method is then what it would have been offered as, the plain model.
    by_month = by_month and _spans_months(table)
    fit = _fit_log_totals(table, known, rows, totals, by_month)
    profiles = {kind: _profile(table, rows, kind, mask) for kind, mask in known.masks.items()}
    carry_over = _fit_carry_over(table, known, rows, totals, fit) if carry else None

    def predict(target: Target) -> FloatArray:
        log_total = fit.level + fit.kind_effects.get(target.kind, 0.0)
        log_total += fit.month_effects.get(target.position, 0.0)
        if carry_over is not None:
            log_total += carry_over.at(target.day, known)
        forecast: FloatArray = np.exp(log_total) * profiles[target.kind]
        return forecast

    return predict


def _open_totals(table: DayTable, masks: dict[int, BoolArray]) -> FloatArray:
    """Each day's calls in the intervals its kind is open now (a change of hours aside)."""
    totals = np.zeros(len(table.dates))
    for kind, mask in masks.items():
        days = table.kinds == kind
        totals[days] = table.counts[days][:, mask].sum(axis=1)
    return totals


@dataclass(frozen=True, slots=True)
class _LogTotals:
    """The least squares fit of log day totals: a level per week, effects per kind and place.

    `level` is the forecast level: the day-weighted mean of the last `LEVEL_WEEKS` week
    levels. Kinds' effects are against the first kind, places' against `mid`.
    """

    week_levels: FloatArray
    days_per_week: IntArray
    week_index: IntArray  # of each fitted row
    kind_effects: dict[int, float]
    month_effects: dict[str, float]

    @property
    def level(self) -> float:
        return self.level_up_to(len(self.week_levels) - 1)

    def level_up_to(self, week: int) -> float:
        recent = slice(max(0, week + 1 - LEVEL_WEEKS), week + 1)
        weights = self.days_per_week[recent]
        return float(np.average(self.week_levels[recent], weights=weights))


def _fit_log_totals(
    table: DayTable, known: Known, rows: IntArray, totals: FloatArray, by_month: bool
) -> _LogTotals:
    """Least squares of log day totals on week, kind (and month position) indicators."""
    monday = table.dates[rows[0]] - timedelta(days=table.dates[rows[0]].weekday())
    week_of = np.array([(table.dates[i] - monday).days // 7 for i in rows])
    weeks = np.unique(week_of)
    week_index = np.searchsorted(weeks, week_of)
    kinds = sorted({int(k) for k in table.kinds[rows]})
    labels = month_position_labels()[1:] if by_month else ()
    design = np.zeros((len(rows), len(weeks) + len(kinds) - 1 + len(labels)))
    design[np.arange(len(rows)), week_index] = 1.0
    for column, kind in enumerate(kinds[1:], start=len(weeks)):
        design[:, column] = table.kinds[rows] == kind
    for column, label in enumerate(labels, start=len(weeks) + len(kinds) - 1):
        design[:, column] = [known.positions.get(table.dates[i]) == label for i in rows]
    coefficients = np.linalg.lstsq(design, np.log(totals[rows]), rcond=None)[0]
    kind_column = len(weeks)
    month_column = kind_column + len(kinds) - 1
    kind_effects = {kinds[0]: 0.0}
    kind_effects |= {
        kind: float(coefficients[column])
        for column, kind in enumerate(kinds[1:], start=kind_column)
    }
    return _LogTotals(
        week_levels=coefficients[: len(weeks)],
        days_per_week=np.bincount(week_index, minlength=len(weeks)),
        week_index=week_index,
        kind_effects=kind_effects,
        month_effects={
            label: float(coefficients[column])
            for column, label in enumerate(labels, start=month_column)
        },
    )


@dataclass(frozen=True, slots=True)
class _CarryOver:
    """The latest usable day's deviation of its log total, and how much of it a step keeps."""

    phi: float
    deviation: float
    since: date  # the day of that deviation

    def at(self, day: date, known: Known) -> float:
        """What is left of the deviation on `day`: φ^steps·d, or 0 once it is negligible."""
        steps = sum(
            1
            for offset in range(1, (day - self.since).days + 1)
            if _steps_on(self.since + timedelta(days=offset), known)
        )
        carried = self.phi**steps * self.deviation
        return carried if abs(carried) >= MIN_CARRY_OVER else 0.0


def _steps_on(day: date, known: Known) -> bool:
    """A day the weekly pattern opens (a holiday closing it too) or a make-up workday."""
    return day.weekday() in known.masks or day in known.positions


def _fit_carry_over(
    table: DayTable, known: Known, rows: IntArray, totals: FloatArray, fit: _LogTotals
) -> _CarryOver:
    """φ: the slope through the origin of each day's deviation on the previous open day's."""
    effects = np.array(
        [
            fit.kind_effects.get(int(table.kinds[i]), 0.0)
            + fit.month_effects.get(known.positions.get(table.dates[i], ""), 0.0)
            for i in rows
        ]
    )
    trailing = np.array([fit.level_up_to(week) for week in range(len(fit.week_levels))])
    deviations = np.log(totals[rows]) - effects - trailing[fit.week_index]
    # Neighbouring rows of the table are consecutive open days; a day after a closure is
    # not among `rows`, so no pair straddles a closure.
    consecutive = np.diff(rows) == 1
    before, after = deviations[:-1][consecutive], deviations[1:][consecutive]
    spread = float(before @ before)
    phi = float(before @ after) / spread if spread > 0 else 0.0
    return _CarryOver(
        phi=min(max(phi, 0.0), MAX_CARRY_OVER),
        deviation=float(deviations[-1]),
        since=table.dates[rows[-1]],
    )


def _profile(table: DayTable, rows: IntArray, kind: int, mask: BoolArray) -> FloatArray:
    """The kind's mean shares of a day's calls per open interval, over its latest days."""
    days = rows[table.kinds[rows] == kind][-PROFILE_DAYS:]
    profile = np.zeros(table.counts.shape[1])
    if len(days) == 0:
        profile[mask] = 1.0 / max(1, int(mask.sum()))
        return profile
    counts = table.counts[days][:, mask]
    profile[mask] = (counts / counts.sum(axis=1, keepdims=True)).mean(axis=0)
    return profile
