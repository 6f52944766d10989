"""Business time: which dates are workdays in China, when a department works, and working time.

Work orders are due in *business* time (seed 004: 95598 counts its time limits in working days
and hours; seed 003 names 时限预警, the time-limit warning, as a step of the closed loop). Two
facts decide business time:

- **Which dates are workdays** (`BusinessCalendar`). Normally Monday to Friday; the State
  Council moves days every year: official days off (法定节假日, e.g. 2026-10-01..07) and make-up
  workdays (调休, e.g. Sunday 2026-09-20 and Saturday 2026-10-10), published each November or
  December for the next year and packaged by ``chinese_calendar``. A year whose schedule is not
  loaded falls back to Monday–Friday; `BusinessCalendar.covers` says whether a date is known.
- **When a department works on a workday** (`WorkingHours`): periods of the day per weekday.

The business clock runs only on workdays, inside the day's periods. Hours are wall-clock
times of the zone `WorkingHours.tz` (or, without one, the zone of the moment given), so dates
and hours are read where the department sits, whatever zone a datetime is stored in.

A make-up workday usually falls on a weekend, when the hours have no periods; it is worked
on the hours of the first weekday that has periods (Monday's for `WorkingHours.office`).
`WorkingHours.around_the_clock` under the business clock counts whole workdays: a limit of
two days ends at the same time of day two workdays later.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

import chinese_calendar

Period = tuple[time, time]
WEEK = 7
SEARCH_LIMIT_DAYS = 3660  # ten years without a working minute means the setup is wrong


class CalendarGap(ValueError):
    """A year the calendar package has no official schedule for."""


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """When a department works, per weekday (0 = Monday): a tuple of (start, end) per day.

    An end at or before its start ends on the next day, so ``(time(0), time(0))`` is the whole
    day (00:00–24:00) and ``(time(22), time(6))`` a night shift; the period belongs to the
    date it starts on. Overlapping periods are merged.
    """

    periods: tuple[tuple[Period, ...], ...]
    tz: tzinfo | None = None  # the zone hours are read in; None: the zone of the moment given

    def __post_init__(self) -> None:
        if len(self.periods) != WEEK:
            raise ValueError(
                f"working hours need 7 weekdays (Monday first), got {len(self.periods)}"
            )
        if not any(self.periods[:5]):
            raise ValueError("working hours need periods on at least one day from Monday to Friday")

    @classmethod
    def office(cls, *, tz: tzinfo | None = None) -> WorkingHours:
        """Office hours of a Chinese back office: Monday–Friday 08:30–12:00 and 13:30–17:30.

        7.5 working hours a day, the lunch break 12:00–13:30 excluded.
        """
        day = ((time(8, 30), time(12, 0)), (time(13, 30), time(17, 30)))
        return cls(periods=(day,) * 5 + ((), ()), tz=tz)

    @classmethod
    def around_the_clock(cls, *, tz: tzinfo | None = None) -> WorkingHours:
        """Every day 00:00–24:00 (under the business clock: every hour of every workday)."""
        return cls(periods=(((time(0), time(0)),),) * WEEK, tz=tz)

    @property
    def workday_length(self) -> timedelta:
        """The working time of a make-up workday: the first weekday with periods."""
        return sum((_length(period) for period in self._fallback()), timedelta())

    def periods_on(self, day: date, *, workday: bool) -> tuple[Period, ...]:
        """The periods worked on `day`: none on a day off, nor on a weekday (Monday–Friday)
        left empty (a department closed that day); a weekend day worked as a make-up
        workday (调休) without periods of its own borrows those of the first day that has."""
        if not workday:
            return ()
        weekday = day.weekday()
        if weekday < 5:
            return self.periods[weekday]
        return self.periods[weekday] or self._fallback()

    def _fallback(self) -> tuple[Period, ...]:
        return next(periods for periods in self.periods if periods)


@dataclass(frozen=True, slots=True)
class BusinessCalendar:
    """Which dates are workdays: Monday–Friday, less official days off, plus make-up workdays."""

    holidays: frozenset[date]  # official days off (a holiday block's weekend days may be in it)
    workdays: frozenset[date]  # make-up workdays (调休): weekend days that are worked
    years: frozenset[int]  # years whose official schedule is loaded

    def is_workday(self, day: date) -> bool:
        """Whether `day` is worked; outside the loaded years, Monday–Friday (see `covers`)."""
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def covers(self, day: date) -> bool:
        """Whether the official schedule of `day`'s year is loaded."""
        return day.year in self.years

    def covers_span(self, first: date, last: date) -> bool:
        """Whether every year from `first` to `last` is loaded: a deadline computed across
        an unloaded year counts Monday–Friday there and may be wrong."""
        return all(year in self.years for year in range(first.year, last.year + 1))

    @classmethod
    def weekdays_only(cls) -> BusinessCalendar:
        """Monday to Friday, no holidays known: what a calendar falls back to."""
        return cls(holidays=frozenset(), workdays=frozenset(), years=frozenset())

    @classmethod
    def from_package(cls, years: Iterable[int]) -> BusinessCalendar:
        """The official schedule of `years` from ``chinese_calendar``; CalendarGap if missing."""
        wanted = frozenset(years)
        days = [day for year in sorted(wanted) for day in official_days(year)]
        return cls(
            holidays=frozenset(day.date for day in days if day.kind == "holiday"),
            workdays=frozenset(day.date for day in days if day.kind == "workday"),
            years=wanted,
        )


@dataclass(frozen=True, slots=True)
class OfficialDay:
    """A date the official schedule moves: a day off or a make-up workday, and its festival."""

    date: date
    kind: str  # "holiday" | "workday"
    name: str  # the festival in Chinese, e.g. 国庆节


def package_years() -> range:
    """The years ``chinese_calendar`` has official schedules for (2004–2026 in 1.11.0)."""
    known = _package_holidays()
    return range(min(known).year, max(known).year + 1)


def package_version() -> str:
    return str(getattr(chinese_calendar, "__version__", "unknown"))


def official_days(year: int) -> list[OfficialDay]:
    """Every exception to Monday–Friday in `year`: days off on weekdays, worked weekend days.

    A holiday block's weekend days are days off anyway and are left out. CalendarGap when
    the installed package has no schedule for `year` (it is published late each year).
    """
    if year not in package_years():
        raise CalendarGap(
            f"chinese_calendar {package_version()} has no official holiday schedule for {year} "
            f"(it knows {package_years().start}–{package_years().stop - 1}); "
            "upgrade the package or enter the year's days by hand"
        )
    chinese = {holiday.value: holiday.chinese for holiday in chinese_calendar.constants.Holiday}
    days = [
        OfficialDay(day, "holiday", chinese.get(name, str(name)))
        for day, name in _package_holidays().items()
        if day.year == year and day.weekday() < 5
    ]
    days += [
        OfficialDay(day, "workday", chinese.get(name, str(name)))
        for day, name in chinese_calendar.constants.workdays.items()
        if day.year == year and day.weekday() >= 5
    ]
    return sorted(days, key=lambda official: official.date)


def _package_holidays() -> dict[date, Any]:
    holidays: dict[date, Any] = chinese_calendar.constants.holidays
    return holidays


def add_working_time(
    start: datetime, duration: timedelta, *, calendar: BusinessCalendar, hours: WorkingHours
) -> datetime:
    """The earliest moment by which `duration` of working time has passed since `start`.

    `start` must be aware; the answer is in `start`'s zone. A zero duration gives `start`
    itself, even outside working time; a positive one that ends with a period ends at the
    period's end (12:00), not at the next period's start.
    """
    _require_aware(start)
    if duration < timedelta(0):
        raise ValueError(f"working time cannot be negative: {duration}")
    remaining = duration
    cursor = start.astimezone(UTC)
    if not remaining:
        return start
    for begin, end in _working_intervals(start, calendar=calendar, hours=hours):
        begin = max(begin, cursor)
        if end <= begin:
            continue
        if end - begin >= remaining:
            return (begin + remaining).astimezone(start.tzinfo)
        remaining -= end - begin
    raise AssertionError("unreachable: the intervals never end")  # pragma: no cover


def working_time_between(
    start: datetime, end: datetime, *, calendar: BusinessCalendar, hours: WorkingHours
) -> timedelta:
    """The working time from `start` to `end` (zero when `end` is not after `start`)."""
    _require_aware(start)
    _require_aware(end)
    low, high = start.astimezone(UTC), end.astimezone(UTC)
    total = timedelta(0)
    if high <= low:
        return total
    for begin, finish in _working_intervals(start, calendar=calendar, hours=hours):
        if begin >= high:
            break
        overlap = min(finish, high) - max(begin, low)
        if overlap > timedelta(0):
            total += overlap
    return total


def _working_intervals(
    start: datetime, *, calendar: BusinessCalendar, hours: WorkingHours
) -> Iterator[tuple[datetime, datetime]]:
    """Working intervals in UTC, merged and in order, from the local day before `start` on.

    The day before is included so that a night shift that began yesterday counts. Raises
    ValueError after ten years without working time (every date marked a holiday, say).
    """
    zone = hours.tz or start.tzinfo
    assert zone is not None
    day = start.astimezone(zone).date() - timedelta(days=1)
    pending: tuple[datetime, datetime] | None = None
    idle_days = 0
    while idle_days < SEARCH_LIMIT_DAYS:
        periods = hours.periods_on(day, workday=calendar.is_workday(day))
        idle_days = 0 if periods else idle_days + 1
        for begin, end in sorted(_interval(day, period, zone) for period in periods):
            if pending is not None and begin <= pending[1]:
                pending = (pending[0], max(pending[1], end))
                continue
            if pending is not None:
                yield pending
            pending = (begin, end)
        day += timedelta(days=1)
        # an interval that ends before the next day starts cannot merge with anything later
        next_day_start = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
        if pending is not None and pending[1] < next_day_start:
            yield pending
            pending = None
    raise ValueError(f"no working time in {SEARCH_LIMIT_DAYS} days from {start:%Y-%m-%d}")


def _interval(day: date, period: Period, zone: tzinfo) -> tuple[datetime, datetime]:
    begin, end = period
    end_day = day if end > begin else day + timedelta(days=1)
    return (
        datetime.combine(day, begin, tzinfo=zone).astimezone(UTC),
        datetime.combine(end_day, end, tzinfo=zone).astimezone(UTC),
    )


def _length(period: Period) -> timedelta:
    day = date(2001, 1, 1)
    begin, end = _interval(day, period, UTC)
    return end - begin


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"business time needs an aware datetime, got {moment.isoformat()}")
