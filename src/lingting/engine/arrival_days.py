"""A queue's arrival history as days × intervals, and which days and intervals are open.

FORMATS.md ("Forecast"): the history is one count per interval, and an interval missing
from it is one the center was closed. Which intervals are open is learned from the history
per weekday and, with a business calendar, from the Chinese calendar: official days off
(法定节假日) are closed and make-up workdays (调休) are worked. This module turns the
(interval start, count) pairs into that picture; `arrival_methods` forecasts from it and
`arrivals` ties the two together.

- **Kinds of day.** Every open day follows a weekly pattern, its *kind*: its weekday
  (0 = Monday), except a make-up workday, which is worked like the first weekday that is
  open (Monday at most centers) — the rule `calendars.WorkingHours.periods_on` follows too.
- **Open pattern.** A kind is open when the history has at least half of its expected days
  in the last `PATTERN_WEEKS` weeks, and an interval of it when at least half of those days
  have that interval: recent weeks decide, so a change of hours is followed quickly, and a
  single odd row (a call logged at midnight) opens nothing.
- **Holiday blocks.** `BusinessCalendar.holidays` lists the official days off that fall on
  weekdays; a block's weekend days are "days off anyway" (calendars.official_days). A
  center that opens at weekends closes them too, so a weekend day joined to a day off by
  other weekend days is part of its block.
- **Month position.** Banks, utilities and telecoms get more calls at the turn of a month
  (statements, bills, pay days); each open day is labelled with its place among the month's
  open days (`s1`–`s5`, the first five; `e1`, `e2`, the last two; `mid` the rest) for the
  methods that model it.
- **After a closure.** The first open day after a day the weekly pattern expected open but
  the center was closed (a holiday, an outage) takes the calls of the closed day too: it is
  marked, so the models do not learn an ordinary day from it.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

import numpy as np
import numpy.typing as npt

from lingting.engine.calendars import BusinessCalendar

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

MINUTES_PER_DAY = 24 * 60
WEEK = 7
WORKDAYS = range(5)  # Monday to Friday: the weekdays a make-up workday may follow
PATTERN_WEEKS = 8
MONTH_START_DAYS = 5
MONTH_END_DAYS = 2
MID_MONTH = "mid"
LONGEST_BLOCK_DAYS = 16  # the longest run of closed days looked through (Spring Festival: 9)


class ArrivalsError(ValueError):
    """A history or a request nothing can be forecast from (the reason says which)."""


@dataclass(frozen=True, slots=True)
class DayRules:
    """Which kind of day a date is, from the calendar and the open pattern.

    `masks` holds the open intervals of each open kind; a kind absent from it is closed.
    """

    calendar: BusinessCalendar | None
    masks: dict[int, BoolArray]
    makeup_kind: int | None  # the kind a make-up workday follows; None: no weekday is open

    def kind_of(self, day: date) -> int | None:
        """The kind `day` is worked as, or None where the center is closed that day."""
        if self.calendar is not None:
            if is_calendar_day_off(day, self.calendar):
                return None
            if day in self.calendar.workdays:
                return self.makeup_kind
        weekday = day.weekday()
        return weekday if weekday in self.masks else None

    def follows_days_off(self, day: date) -> bool:
        """Whether the calendar closed a day the weekly pattern opens, right before `day`."""
        before = day - timedelta(days=1)
        for _ in range(LONGEST_BLOCK_DAYS):
            if self.kind_of(before) is not None:
                return False
            if before.weekday() in self.masks:
                return True
            before -= timedelta(days=1)
        return False

    def open_days(self, first: date, last: date) -> list[tuple[date, int]]:
        """Every open day from `first` to `last` inclusive, with its kind."""
        days: list[tuple[date, int]] = []
        for offset in range((last - first).days + 1):
            day = first + timedelta(days=offset)
            kind = self.kind_of(day)
            if kind is not None:
                days.append((day, kind))
        return days


@dataclass(frozen=True, eq=False)
class DayTable:
    """The open days of the history, oldest first, one row of interval counts each.

    `counts[i, s]` is the count of interval `s` (minutes `s·interval` after midnight) on
    `dates[i]`; an interval without a row counts 0.
    """

    interval_minutes: int
    dates: tuple[date, ...]
    counts: FloatArray
    kinds: IntArray
    after_closure: BoolArray

    def before(self, origin: date) -> DayTable:
        """The days before `origin`: what a forecast made on `origin` could have known."""
        end = bisect.bisect_left(self.dates, origin)
        return DayTable(
            interval_minutes=self.interval_minutes,
            dates=self.dates[:end],
            counts=self.counts[:end],
            kinds=self.kinds[:end],
            after_closure=self.after_closure[:end],
        )


@dataclass(frozen=True, slots=True)
class History:
    """A history ready to forecast from: its days, the rules for any date, and its clock."""

    table: DayTable
    rules: DayRules
    zone: tzinfo | None  # the zone of the times (their latest), None for local times
    first_day: date  # the history's first and last dates, closed days included
    last_day: date


def read_history(
    points: Iterable[tuple[datetime, float]],
    *,
    interval_minutes: int,
    calendar: BusinessCalendar | None,
) -> History:
    """Bucket (interval start, count) pairs into days × intervals and learn the open pattern.

    Times are read on the clock of the latest one: aware times are converted to its zone
    (a history exported across offsets stays on one clock), naive ones are local. A history
    counted in intervals that do not fit `interval_minutes` (hourly rows asked for 15
    minutes) is refused, never spread out evenly.
    """
    check_interval(interval_minutes)
    series = sorted(points, key=lambda point: _sort_key(point[0]))
    if not series:
        raise ArrivalsError("the history has no rows")
    zone = _common_zone([moment for moment, _ in series])
    local = [(_on_clock(moment, zone), count) for moment, count in series]
    _check_granularity([moment for moment, _ in local], interval_minutes)
    by_day, seen = _bucket(local, interval_minutes)
    rules = _learn_rules(by_day, seen, calendar)
    table = _table(by_day, rules, interval_minutes)
    return History(
        table=table,
        rules=rules,
        zone=zone,
        first_day=min(by_day),
        last_day=max(by_day),
    )


def check_interval(interval_minutes: int) -> None:
    """An interval must divide the day, so every day has the same intervals."""
    if interval_minutes <= 0 or MINUTES_PER_DAY % interval_minutes:
        raise ArrivalsError(
            f"the interval must be a whole number of minutes that divides a day "
            f"(5, 15, 30, 60…), not {interval_minutes}"
        )


def is_calendar_day_off(day: date, calendar: BusinessCalendar) -> bool:
    """An official day off, or a weekend day of a holiday block (see the module's docstring)."""
    if day in calendar.holidays:
        return True
    if day.weekday() < 5 or day in calendar.workdays:
        return False
    for step in (timedelta(days=-1), timedelta(days=1)):
        neighbour = day + step
        while neighbour.weekday() >= 5 and neighbour not in calendar.workdays:
            neighbour += step
        if neighbour in calendar.holidays:
            return True
    return False


def month_positions(open_days: Sequence[date]) -> dict[date, str]:
    """Each open day's place in its month: `s1`… from the start, `e1`… from the end, or `mid`.

    `open_days` must hold every open day of each month it touches, else the places are off.
    """
    by_month: dict[tuple[int, int], list[date]] = {}
    for day in sorted(open_days):
        by_month.setdefault((day.year, day.month), []).append(day)
    labels: dict[date, str] = {}
    for days in by_month.values():
        for index, day in enumerate(days):
            from_end = len(days) - 1 - index
            if index < MONTH_START_DAYS:
                labels[day] = f"s{index + 1}"
            elif from_end < MONTH_END_DAYS:
                labels[day] = f"e{from_end + 1}"
            else:
                labels[day] = MID_MONTH
    return labels


def month_position_labels() -> tuple[str, ...]:
    """Every label `month_positions` gives, `mid` first (the baseline of the models)."""
    starts = tuple(f"s{n}" for n in range(1, MONTH_START_DAYS + 1))
    ends = tuple(f"e{n}" for n in range(1, MONTH_END_DAYS + 1))
    return (MID_MONTH, *starts, *ends)


def positions_through(history: History, last: date) -> dict[date, str]:
    """Month positions of the history's open days and of the open days after it to `last`.

    The history's own days are the open days of its span; before it (in its first month)
    and after it (to the end of `last`'s month) the rules say which days are open.
    """
    month_start = history.first_day.replace(day=1)
    before = history.rules.open_days(month_start, history.first_day - timedelta(days=1))
    end = _month_end(max(last, history.last_day))
    after = history.rules.open_days(history.last_day + timedelta(days=1), end)
    days = [day for day, _ in before] + list(history.table.dates) + [day for day, _ in after]
    return month_positions(days)


def _month_end(day: date) -> date:
    next_month = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return next_month - timedelta(days=1)


def _sort_key(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None) - (moment.utcoffset() or timedelta(0))


def _common_zone(moments: list[datetime]) -> tzinfo | None:
    aware = [moment.utcoffset() is not None for moment in moments]
    if any(aware) and not all(aware):
        raise ArrivalsError("the history mixes times with and without a UTC offset")
    return moments[-1].tzinfo if aware[-1] else None


def _on_clock(moment: datetime, zone: tzinfo | None) -> datetime:
    """`moment` as a wall-clock time of `zone` (naive), the clock intervals are read on."""
    return moment if zone is None else moment.astimezone(zone).replace(tzinfo=None)


def _check_granularity(moments: list[datetime], interval_minutes: int) -> None:
    """The history's own interval must fit the one asked: its rows sit on multiples of it
    from midnight (the greatest common divisor of their minutes of the day), so hourly rows
    are never spread over half hours. The minutes from midnight, not the gaps between rows:
    a tiny pool's calls at 09:00, 14:30 and 20:00 are 330 minutes apart but half-hourly rows.
    A day with one row says nothing of it (a lone 09:00 would read as 180-minute rows)."""
    rows_per_day = Counter(moment.date() for moment in moments)
    step = 0
    for moment in moments:
        if rows_per_day[moment.date()] > 1:
            step = math.gcd(step, moment.hour * 60 + moment.minute, MINUTES_PER_DAY)
    if step and interval_minutes % step:
        raise ArrivalsError(
            f"the history counts per {step} minutes, which does not add up to intervals of "
            f"{interval_minutes} minutes; ask for a multiple of {step} minutes"
        )


def _bucket(
    moments: list[tuple[datetime, float]], interval_minutes: int
) -> tuple[dict[date, FloatArray], dict[date, BoolArray]]:
    """Counts per day and interval (summing finer rows), and which intervals had a row."""
    slots = MINUTES_PER_DAY // interval_minutes
    counts: dict[date, FloatArray] = {}
    seen: dict[date, BoolArray] = {}
    for moment, count in moments:
        day = moment.date()
        if day not in counts:
            counts[day] = np.zeros(slots)
            seen[day] = np.zeros(slots, dtype=np.bool_)
        slot = (moment.hour * 60 + moment.minute) // interval_minutes
        counts[day][slot] += count
        seen[day][slot] = True
    return counts, seen


def _learn_rules(
    counts: dict[date, FloatArray], seen: dict[date, BoolArray], calendar: BusinessCalendar | None
) -> DayRules:
    """The open kinds and their open intervals, from the last `PATTERN_WEEKS` weeks."""
    last = max(counts)
    window_start = max(min(counts), last - timedelta(weeks=PATTERN_WEEKS) + timedelta(days=1))
    expected: dict[int, int] = {}
    for offset in range((last - window_start).days + 1):
        day = window_start + timedelta(days=offset)
        if calendar is None or not (is_calendar_day_off(day, calendar) or day in calendar.workdays):
            expected[day.weekday()] = expected.get(day.weekday(), 0) + 1
    present: dict[int, list[date]] = {}
    for day in counts:
        if day >= window_start and _plain_day(day, calendar):
            present.setdefault(day.weekday(), []).append(day)
    open_kinds = [k for k, days in present.items() if 2 * len(days) >= expected.get(k, 0)]
    makeup_kind = min((k for k in open_kinds if k in WORKDAYS), default=None)
    if calendar is not None and makeup_kind is not None:
        makeups = [day for day in counts if day >= window_start and day in calendar.workdays]
        present.setdefault(makeup_kind, []).extend(makeups)
    masks = {kind: _majority(seen, present[kind]) for kind in sorted(open_kinds)}
    return DayRules(calendar=calendar, masks=masks, makeup_kind=makeup_kind)


def _plain_day(day: date, calendar: BusinessCalendar | None) -> bool:
    """A day that follows its own weekday: neither a day off nor a make-up workday."""
    if calendar is None:
        return True
    return not is_calendar_day_off(day, calendar) and day not in calendar.workdays


def _majority(seen: dict[date, BoolArray], days: list[date]) -> BoolArray:
    """Intervals that at least half of `days` had a row for."""
    rows = np.array([seen[day] for day in days])
    mask: BoolArray = 2 * rows.sum(axis=0) >= len(days)
    return mask


def _table(counts: dict[date, FloatArray], rules: DayRules, interval_minutes: int) -> DayTable:
    """The history's days that fall on an open kind, with their after-closure marks."""
    kept = [(day, kind) for day in sorted(counts) if (kind := rules.kind_of(day)) is not None]
    dates = tuple(day for day, _ in kept)
    slots = MINUTES_PER_DAY // interval_minutes
    matrix = np.array([counts[day] for day in dates]) if dates else np.zeros((0, slots))
    return DayTable(
        interval_minutes=interval_minutes,
        dates=dates,
        counts=matrix,
        kinds=np.array([kind for _, kind in kept], dtype=np.int64),
        after_closure=_after_closure(dates, rules),
    )


def _after_closure(dates: tuple[date, ...], rules: DayRules) -> BoolArray:
    """Days right after a day the weekly pattern alone expected open but that was closed."""
    marks = np.zeros(len(dates), dtype=np.bool_)
    for index in range(1, len(dates)):
        gap = (dates[index] - dates[index - 1]).days
        skipped = (dates[index - 1] + timedelta(days=n) for n in range(1, gap))
        marks[index] = any(day.weekday() in rules.masks for day in skipped)
    return marks
