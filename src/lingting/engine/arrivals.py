"""Contacts per interval, forecast from a queue's history (issue 14; FORMATS.md "Forecast").

The web app (per queue, from the center's stored contacts) and `lingting forecast` (from a
file) call `forecast_arrivals` with (interval start, count) pairs and get back an
`ArrivalForecast`: a row per open interval with an 80% interval, the method chosen for
each band of lead times, the backtest that chose it, and warnings for a person to read.

1. **Days.** `arrival_days` buckets the history into days × intervals and learns which days
   and intervals are open (per weekday, and from the business calendar: official days off
   closed, make-up workdays worked).
2. **Backtest.** A rolling-origin backtest on the history alone (Tashman 2000): origins
   every week back from its end, up to `MAX_ORIGINS`, each with at least
   `MIN_TRAINING_DAYS` days before it. Every candidate of `arrival_methods` is fitted on
   the days before each origin and forecasts the following `BACKTEST_LEAD_DAYS` days. Errors
   are kept by *lead time*, in days after the last day known (the same weekday as the real
   forecast's origin, so leads mean the same): WAPE = Σ|actual − forecast| ÷ Σ actual, and
   MAPE = the mean of |actual − forecast| ÷ actual over intervals with calls.
3. **Choice.** Per band of lead times (`LEAD_BANDS`), the method with the least WAPE
   there: Taylor (2008) found the best method changes with the lead. A band the backtest
   could not reach borrows the choice of the nearest band it reached.
4. **Interval.** From the chosen method's backtest errors in its band: the errors are
   scaled by sd = √(f + c²·f²) — Poisson noise plus a share c of the level that the
   forecast misses, c² fitted by moments — and the 10% and 90% points of the scaled
   errors give the 80% interval. It is never narrower than the Poisson spread of the
   forecast (no forecast knows better than chance), and never below zero.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

import numpy as np

from lingting.engine.arrival_days import (
    ArrivalsError,
    FloatArray,
    History,
    positions_through,
    read_history,
)
from lingting.engine.arrival_methods import (
    Known,
    Method,
    Predictor,
    Target,
    candidate_methods,
    same_weekday_mean,
)
from lingting.engine.calendars import BusinessCalendar

__all__ = [
    "ArrivalForecast",
    "ArrivalsError",
    "BandChoice",
    "ForecastWarning",
    "LeadScore",
    "WarningKind",
    "forecast_arrivals",
]

LEAD_BANDS: tuple[tuple[int, int | None], ...] = (
    (1, 2),
    (3, 7),
    (8, 14),
    (15, 28),
    (29, 56),
    (57, None),
)
MAX_ORIGINS = 16
MIN_TRAINING_DAYS = 28
BACKTEST_LEAD_DAYS = 56
MIN_CALIBRATION_INTERVALS = 30
COVERAGE = 0.8
Z_80 = 1.2815515655446004  # the standard normal's 90% point: 80% lies within ±Z_80
SHORT_HISTORY_METHOD = "same_weekday_mean"


class WarningKind(StrEnum):
    """What a warning is about, so that a page can say it in its own language."""

    UNKNOWN_YEARS = "unknown_years"  # the business calendar lacks these years
    TOO_SHORT_TO_BACKTEST = "too_short_to_backtest"  # `count` open days of history
    NOTHING_OPEN = "nothing_open"  # no open day between days[0] and days[1]
    AFTER_DAYS_OFF = "after_days_off"  # these days reopen after official days off


@dataclass(frozen=True, slots=True)
class ForecastWarning:
    kind: WarningKind
    text: str  # in English, for the command line
    years: tuple[int, ...] = ()
    days: tuple[date, ...] = ()
    count: int = 0


@dataclass(frozen=True, slots=True)
class ForecastRow:
    """One open interval: its start (on the history's clock), forecast and 80% interval."""

    start: datetime
    forecast: float
    lower: float
    upper: float
    lead_days: int  # days after the history's last day
    method: str


@dataclass(frozen=True, slots=True)
class LeadScore:
    """A method's backtest errors at one lead time (None where nothing could be measured)."""

    method: str
    lead_days: int
    wape: float | None
    mape: float | None
    intervals: int


@dataclass(frozen=True, slots=True)
class BandChoice:
    """The method used for a band of lead times, and what the backtest said of it there.

    `tested` is False where no backtest day fell in the band: the choice (and its errors)
    are those of `borrowed_from`, the nearest band that had some.
    """

    first_lead: int
    last_lead: int | None
    method: str
    wape: float | None
    mape: float | None
    tested: bool
    borrowed_from: tuple[int, int | None]
    method_wapes: tuple[tuple[str, float | None], ...]  # every candidate's WAPE in the band
    lower_quantile: float  # the 10% and 90% points of the scaled errors
    upper_quantile: float
    overdispersion: float  # c²: the squared share of the level the forecast misses

    def covers(self, lead: int) -> bool:
        return lead >= self.first_lead and (self.last_lead is None or lead <= self.last_lead)

    @property
    def label(self) -> str:
        last = "" if self.last_lead is None else str(self.last_lead)
        return f"{self.first_lead}–{last}" if last != str(self.first_lead) else last


@dataclass(frozen=True, slots=True)
class ArrivalForecast:
    interval_minutes: int
    rows: tuple[ForecastRow, ...]
    bands: tuple[BandChoice, ...]
    backtest: tuple[LeadScore, ...]  # every candidate at every lead time tested
    origins: int  # backtest origins used
    history_last_day: date
    warnings: tuple[ForecastWarning, ...]


@dataclass(frozen=True, slots=True)
class _Errors:
    """A method's backtest pairs: lead time, actual and forecast, one per interval."""

    leads: FloatArray
    actual: FloatArray
    forecast: FloatArray

    def within(self, band: tuple[int, int | None]) -> _Errors:
        first, last = band
        keep = (self.leads >= first) & (self.leads <= (math.inf if last is None else last))
        return _Errors(self.leads[keep], self.actual[keep], self.forecast[keep])


def forecast_arrivals(
    points: Iterable[tuple[datetime, float]],
    *,
    first: date,
    last: date,
    interval_minutes: int = 15,
    calendar: BusinessCalendar | None,
) -> ArrivalForecast:
    """Forecast every open interval from `first` to `last` from (interval start, count) pairs.

    `calendar` None reads no holidays (foreign data). Raises ArrivalsError when nothing can
    be forecast: no rows, no open day, a range that is empty or does not start after the
    history, intervals that do not fit the history's.
    """
    if last < first:
        raise ArrivalsError(f"the range ends ({last}) before it starts ({first})")
    history = read_history(points, interval_minutes=interval_minutes, calendar=calendar)
    if first <= history.last_day:
        raise ArrivalsError(
            f"the forecast must start after the history's last day ({history.last_day}), "
            f"not on {first}"
        )
    if not history.table.dates:
        raise ArrivalsError(
            "no day of the history can be learned from: its days are official days off, "
            "or fall on weekdays the center opens too rarely"
        )
    known = Known(masks=history.rules.masks, positions=positions_through(history, last))
    horizon = min((last - history.last_day).days, BACKTEST_LEAD_DAYS)
    methods = candidate_methods(history.table)
    errors, origins = _backtest(history, known, methods, horizon)
    bands = _choose(errors) if origins else _untested_bands()
    rows = _forecast_rows(history, known, methods, bands, first, last)
    warnings = _calendar_warnings(calendar, history.first_day, last)
    warnings += _range_warnings(history, rows, origins, first, last)
    return ArrivalForecast(
        interval_minutes=interval_minutes,
        rows=tuple(rows),
        bands=bands,
        backtest=_lead_scores(errors),
        origins=origins,
        history_last_day=history.last_day,
        warnings=tuple(warnings),
    )


def _backtest(
    history: History, known: Known, methods: Sequence[Method], horizon: int
) -> tuple[dict[str, _Errors], int]:
    """Every method's errors over weekly origins back from the end of the history."""
    table = history.table
    pairs: dict[str, list[tuple[int, FloatArray, FloatArray]]] = {m.name: [] for m in methods}
    origins = 0
    for weeks_back in range(1, MAX_ORIGINS + 1):
        origin = history.last_day + timedelta(days=1) - timedelta(weeks=weeks_back)
        if (origin - table.dates[0]).days < MIN_TRAINING_DAYS:
            break
        targets = [
            index
            for index, day in enumerate(table.dates)
            if origin <= day < origin + timedelta(days=max(horizon, 1))
        ]
        if not targets:
            continue
        origins += 1
        train = table.before(origin)
        for method in methods:
            predict = method.fit(train, known)
            for index in targets:
                day, kind = table.dates[index], int(table.kinds[index])
                mask = known.masks[kind]
                forecast = predict(Target(day, kind, known.positions[day]))[mask]
                lead = (day - origin).days + 1
                pairs[method.name].append((lead, table.counts[index][mask], forecast))
    return {name: _stack(found) for name, found in pairs.items()}, origins


def _stack(pairs: list[tuple[int, FloatArray, FloatArray]]) -> _Errors:
    if not pairs:
        empty = np.zeros(0)
        return _Errors(empty, empty, empty)
    return _Errors(
        leads=np.concatenate([np.full(len(actual), lead) for lead, actual, _ in pairs]),
        actual=np.concatenate([actual for _, actual, _ in pairs]),
        forecast=np.concatenate([np.maximum(forecast, 0.0) for _, _, forecast in pairs]),
    )


def wape(actual: FloatArray, forecast: FloatArray) -> float | None:
    """Σ|actual − forecast| ÷ Σ actual: the share of the calls the forecast got wrong."""
    total = float(actual.sum())
    return float(np.abs(actual - forecast).sum()) / total if total > 0 else None


def mape(actual: FloatArray, forecast: FloatArray) -> float | None:
    """The mean of |actual − forecast| ÷ actual over the intervals that had calls."""
    busy = actual > 0
    if not busy.any():
        return None
    return float(np.mean(np.abs(actual[busy] - forecast[busy]) / actual[busy]))


def _lead_scores(errors: dict[str, _Errors]) -> tuple[LeadScore, ...]:
    scores: list[LeadScore] = []
    for name, found in errors.items():
        for lead in sorted({int(lead) for lead in found.leads}):
            at = found.within((lead, lead))
            scores.append(
                LeadScore(
                    method=name,
                    lead_days=lead,
                    wape=wape(at.actual, at.forecast),
                    mape=mape(at.actual, at.forecast),
                    intervals=len(at.actual),
                )
            )
    return tuple(scores)


def _choose(errors: dict[str, _Errors]) -> tuple[BandChoice, ...]:
    """Per band, the method of least WAPE; an untested band borrows the nearest tested one."""
    tested = [
        band for band in LEAD_BANDS if any(len(e.within(band).leads) for e in errors.values())
    ]
    choices: list[BandChoice] = []
    for band in LEAD_BANDS:
        source = band if band in tested else _nearest(band, tested)
        wapes = [
            (name, wape(e.within(source).actual, e.within(source).forecast))
            for name, e in errors.items()
        ]
        best = min(
            (pair for pair in wapes if pair[1] is not None),
            key=lambda pair: pair[1] or 0.0,
            default=(next(iter(errors)), None),
        )
        chosen = errors[best[0]].within(source)
        low, high, c2 = _calibrate(chosen.actual, chosen.forecast)
        choices.append(
            BandChoice(
                first_lead=band[0],
                last_lead=band[1],
                method=best[0],
                wape=best[1],
                mape=mape(chosen.actual, chosen.forecast),
                tested=source == band,
                borrowed_from=source,
                method_wapes=tuple(wapes),
                lower_quantile=low,
                upper_quantile=high,
                overdispersion=c2,
            )
        )
    return tuple(choices)


def _nearest(
    band: tuple[int, int | None], tested: list[tuple[int, int | None]]
) -> tuple[int, int | None]:
    """The tested band nearest to `band`, an earlier one on a tie."""
    position = LEAD_BANDS.index(band)
    return min(
        tested, key=lambda other: (abs(LEAD_BANDS.index(other) - position), LEAD_BANDS.index(other))
    )


def _untested_bands() -> tuple[BandChoice, ...]:
    """Without a backtest: the same-weekday mean, with the Poisson spread alone."""
    return tuple(
        BandChoice(
            first_lead=band[0],
            last_lead=band[1],
            method=SHORT_HISTORY_METHOD,
            wape=None,
            mape=None,
            tested=False,
            borrowed_from=band,
            method_wapes=(),
            lower_quantile=-Z_80,
            upper_quantile=Z_80,
            overdispersion=0.0,
        )
        for band in LEAD_BANDS
    )


def _calibrate(actual: FloatArray, forecast: FloatArray) -> tuple[float, float, float]:
    """The 10% and 90% points of the scaled errors, and c² (see the module's docstring)."""
    busy = forecast > 0
    actual, forecast = actual[busy], forecast[busy]
    if len(actual) < MIN_CALIBRATION_INTERVALS:
        return -Z_80, Z_80, 0.0
    excess = float(((actual - forecast) ** 2 - forecast).sum())
    c2 = max(0.0, excess / float((forecast**2).sum()))
    scaled = (actual - forecast) / np.sqrt(forecast + c2 * forecast**2)
    tail = (1 - COVERAGE) / 2
    low, high = np.quantile(scaled, [tail, 1 - tail])
    return float(low), float(high), c2


def _forecast_rows(
    history: History,
    known: Known,
    methods: Sequence[Method],
    bands: Sequence[BandChoice],
    first: date,
    last: date,
) -> list[ForecastRow]:
    fitted: dict[str, Predictor] = {}
    by_name = {method.name: method for method in methods}
    rows: list[ForecastRow] = []
    for day, kind in history.rules.open_days(first, last):
        lead = (day - history.last_day).days
        band = next(band for band in bands if band.covers(lead))
        if band.method not in fitted:
            fit = by_name[band.method].fit if band.method in by_name else same_weekday_mean
            fitted[band.method] = fit(history.table, known)
        mask = known.masks[kind]
        means = np.maximum(fitted[band.method](Target(day, kind, known.positions[day])), 0.0)
        lower, upper = _interval(means, band)
        for slot in np.flatnonzero(mask):
            minutes = int(slot) * history.table.interval_minutes
            start = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=history.zone)
            rows.append(
                ForecastRow(
                    start=start,
                    forecast=float(means[slot]),
                    lower=float(lower[slot]),
                    upper=float(upper[slot]),
                    lead_days=lead,
                    method=band.method,
                )
            )
    return rows


def _interval(means: FloatArray, band: BandChoice) -> tuple[FloatArray, FloatArray]:
    spread = np.sqrt(means + band.overdispersion * means**2)
    poisson_low, poisson_high = poisson_bounds(means)
    lower = np.minimum(means + band.lower_quantile * spread, poisson_low)
    upper = np.maximum(means + band.upper_quantile * spread, poisson_high)
    return np.maximum(lower, 0.0), upper


def poisson_bounds(means: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The 10% and 90% points of Poisson(mean), by the Cornish–Fisher expansion
    mean ± z·√mean + (z² − 1)/6: the spread chance alone gives a count."""
    root = np.sqrt(means)
    skew = (Z_80**2 - 1) / 6
    return np.maximum(means - Z_80 * root + skew, 0.0), means + Z_80 * root + skew


def _calendar_warnings(
    calendar: BusinessCalendar | None, first: date, last: date
) -> list[ForecastWarning]:
    """A year the calendar does not know is said, never silently read as Monday–Friday."""
    if calendar is None:
        return []
    missing = tuple(y for y in range(first.year, last.year + 1) if y not in calendar.years)
    if not missing:
        return []
    years = ", ".join(str(year) for year in missing)
    return [
        ForecastWarning(
            WarningKind.UNKNOWN_YEARS,
            f"the business calendar has no official holidays for {years}: days off and make-up "
            "workdays there are not known, so those days follow the history's weekly pattern",
            years=missing,
        )
    ]


def _range_warnings(
    history: History, rows: list[ForecastRow], origins: int, first: date, last: date
) -> list[ForecastWarning]:
    warnings: list[ForecastWarning] = []
    if not origins:
        open_days = len(history.table.dates)
        warnings.append(
            ForecastWarning(
                WarningKind.TOO_SHORT_TO_BACKTEST,
                f"the history's {open_days} open day(s) are too few to backtest "
                f"(it needs more than {MIN_TRAINING_DAYS} days): each weekday is forecast as "
                "the mean of its days, with the Poisson spread alone as its interval",
                count=open_days,
            )
        )
    if not rows:
        warnings.append(
            ForecastWarning(
                WarningKind.NOTHING_OPEN,
                f"no open day from {first} to {last}: nothing to forecast",
                days=(first, last),
            )
        )
    open_days_ahead = sorted({row.start.date() for row in rows})
    reopening = tuple(day for day in open_days_ahead if history.rules.follows_days_off(day))
    if reopening:
        days = ", ".join(day.isoformat() for day in reopening)
        warnings.append(
            ForecastWarning(
                WarningKind.AFTER_DAYS_OFF,
                f"{days}: the first open day(s) after official days off usually take more "
                "calls than an ordinary day (the closed days' too); forecast as ordinary days",
                days=reopening,
            )
        )
    return warnings
