"""Cyclic shift rotations (四班三运转) on an absolute time axis; their hours against the standard.

Seed 004 篇9: the Tibetan-language 95598 seats of a provincial grid company (安多 today, 康巴
when 玉树 joins) work 四班三运转 — four teams on three shifts, so that the line answers 24 hours
a day, holidays included. A rotation is a **cycle** of day codes (default 早早中中夜夜休休: two
mornings, two evenings, two nights, two days off) that every team walks through, each team
starting at its own **phase offset**: with four teams 2 days apart, on every date one team is
on 早, one on 中, one on 夜 and one resting, so every hour of every day is covered.

**The absolute time axis.** A shift belongs to the date it starts on and covers the hours it
runs, whatever date they fall on: a 22:00–06:00 night shift of 10-01 covers 10-02 00:00–06:00.
A start of ``24:00`` is allowed and means the midnight that ends the date: the default night
shift 夜 is 24:00–08:00, the night that follows the date. With 00:00–08:00 of the date itself
the second 中 (16:00–24:00) would end the moment the first 夜 begins, with no rest at all
(`shortest_rest` shows it); 24:00 gives a full day of rest there and keeps the rotation
forward (早 → 中 → 夜: every shift starts later than the one before).

**Hours against the standard.** China's standard month is 20.83 working days × 8 h = 166.64 h
(劳社部发〔2008〕3号: 250 working days a year, 62.5 a quarter). 四班三运转 works 6 shifts of 8 h
every 8 days, 42 h a week on average, more than the 40 h standard: a 24-hour line runs it under
综合计算工时 (hours compared over a cycle of a month, a quarter or a year), and the hours above
the cycle's standard are overtime (150 %). A 24-hour line works holidays: the hours that fall
inside a 法定节假日 date (clock hours from 00:00 to 24:00 of the statutory day, e.g. 10-01..03,
whatever date the shift started on) are 法定节假日加班, paid 300 % however many hours the
cycle holds (《工资支付暂行规定》第十三条). The other days off of a holiday block (调休) are rest
days, which under 综合计算工时 count only towards the cycle's total.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import Literal

from lingting.engine.statutory import hours_by_date

REST = "休"
DAY = timedelta(days=1)
NIGHT_START = timedelta(hours=22)  # night work: 22:00–06:00
NIGHT_LENGTH = timedelta(hours=8)
MORNING_STARTS = (timedelta(hours=4), timedelta(hours=10))  # an early start: 04:00 up to 10:00

Period = Literal["month", "quarter", "year"]
# Standard hours of a 综合计算工时 cycle: 20.83, 62.5 and 250 working days of 8 hours.
STANDARD_HOURS: dict[Period, float] = {"month": 166.64, "quarter": 500.0, "year": 2000.0}
PERIOD_MONTHS: dict[Period, int] = {"month": 1, "quarter": 3, "year": 12}


class RotationError(ValueError):
    """A shift time, cycle or team setup that cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class ShiftTemplate:
    """A shift as rostered: a code (早, 中, 夜, or any label), when it starts counted from the
    midnight that opens its date (0 h to 24 h), and how long it runs."""

    code: str
    start: timedelta
    length: timedelta

    def __post_init__(self) -> None:
        if not self.code or self.code == REST:
            raise RotationError(f"a shift needs a code other than {REST!r} (the day off)")
        if not timedelta(0) <= self.start <= DAY:
            raise RotationError(f"shift {self.code}: the start must lie in 00:00–24:00")
        if not timedelta(0) < self.length < DAY:
            raise RotationError(f"shift {self.code}: the length must be above 0 and below 24 h")

    @classmethod
    def parse(cls, code: str, span: str) -> ShiftTemplate:
        """``ShiftTemplate.parse("夜", "22:00-06:00")``: an end at or before the start is on
        the next day; ``24:00`` as a start is the midnight that ends the date."""
        start_text, separator, end_text = span.replace("–", "-").replace("~", "-").partition("-")
        if not separator:
            raise RotationError(f"shift {code}: {span!r} is not a span like 08:00-16:00")
        start, end = _clock(start_text, code), _clock(end_text, code)
        length = (end - start) % DAY
        if length == timedelta(0):
            raise RotationError(f"shift {code}: {span!r} starts and ends at the same time")
        return cls(code, start, length)

    @property
    def hours(self) -> float:
        return self.length / timedelta(hours=1)

    @property
    def night_hours(self) -> float:
        """Hours of the shift between 22:00 and 06:00."""
        nights = (NIGHT_START - DAY * offset for offset in (-1, 0, 1))
        overlap = sum((_overlap(self.start, self.length, night) for night in nights), timedelta())
        return overlap / timedelta(hours=1)

    @property
    def is_night(self) -> bool:
        """Half or more of the shift falls in the night (22:00–06:00): 22:00–06:00 and
        24:00–08:00 are night shifts, 16:00–24:00 (two night hours of eight) is not."""
        return 2 * self.night_hours >= self.hours

    @property
    def is_morning(self) -> bool:
        """An early shift (早): it starts from 04:00 up to 10:00 of its date."""
        return MORNING_STARTS[0] <= self.start < MORNING_STARTS[1]

    def span_on(self, day: date) -> tuple[datetime, datetime]:
        """When the shift of `day` starts and ends on the absolute axis."""
        start = datetime.combine(day, time()) + self.start
        return start, start + self.length

    def __str__(self) -> str:
        end = self.start + self.length
        end = end - DAY if end > DAY else end  # an end at midnight reads 24:00
        return f"{self.code} {_clock_text(self.start)}–{_clock_text(end)}"


def _clock(text: str, code: str) -> timedelta:
    hour, separator, minute = text.strip().partition(":")
    if not (separator and hour.isdigit() and minute.isdigit()):
        raise RotationError(f"shift {code}: {text.strip()!r} is not a time of day (HH:MM)")
    moment = timedelta(hours=int(hour), minutes=int(minute))
    if int(minute) > 59 or moment > DAY:
        raise RotationError(f"shift {code}: {text.strip()!r} is not a time from 00:00 to 24:00")
    return moment


def _clock_text(moment: timedelta) -> str:
    minutes = int(moment / timedelta(minutes=1))
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _overlap(start: timedelta, length: timedelta, window_start: timedelta) -> timedelta:
    end, window_end = start + length, window_start + NIGHT_LENGTH
    return max(timedelta(0), min(end, window_end) - max(start, window_start))


def cycle_codes(cycle: str) -> tuple[str, ...]:
    """The day codes of a written cycle: ``"早早中中夜夜休休"`` is one character a day; codes
    longer than a character are written with spaces or commas (ASCII or a Chinese keyboard's
    full-width ，) between them (``"A1 A1 B1 休"``). A setup page reads them to name the codes
    it does not know."""
    words = cycle.replace(",", " ").replace("，", " ").split()
    return tuple(words) if len(words) > 1 else tuple(cycle.strip())


@dataclass(frozen=True, slots=True)
class RotationPattern:
    """A cycle of day codes, one per day (`REST` for a day off), and the shifts they name."""

    cycle: tuple[str, ...]
    shifts: tuple[ShiftTemplate, ...]

    def __post_init__(self) -> None:
        if not self.cycle:
            raise RotationError("a rotation cycle needs at least one day")
        known = {shift.code for shift in self.shifts}
        if len(known) != len(self.shifts):
            raise RotationError("two shifts of the rotation have the same code")
        unknown = sorted({code for code in self.cycle if code != REST} - known)
        if unknown:
            raise RotationError(f"the cycle names shifts with no times: {', '.join(unknown)}")

    @classmethod
    def parse(cls, cycle: str, shifts: Iterable[ShiftTemplate]) -> RotationPattern:
        """``"早早中中夜夜休休"`` with the shifts it names (`cycle_codes` reads the days)."""
        return cls(cycle_codes(cycle), tuple(shifts))

    @classmethod
    def four_teams_three_shifts(cls) -> RotationPattern:
        """四班三运转: 早早中中夜夜休休 with 早 08:00–16:00, 中 16:00–24:00, 夜 24:00–08:00."""
        shifts = (
            ShiftTemplate.parse("早", "08:00-16:00"),
            ShiftTemplate.parse("中", "16:00-24:00"),
            ShiftTemplate.parse("夜", "24:00-08:00"),
        )
        return cls.parse("早早中中夜夜休休", shifts)

    def shift(self, code: str) -> ShiftTemplate:
        return next(shift for shift in self.shifts if shift.code == code)

    def code_on(self, position: int) -> str:
        return self.cycle[position % len(self.cycle)]


@dataclass(frozen=True, slots=True)
class Team:
    """A team (班组) and the cycle day it is on at the rotation's anchor date."""

    name: str
    offset: int


def evenly_spaced_teams(pattern: RotationPattern, names: Sequence[str]) -> tuple[Team, ...]:
    """Teams spread evenly over the cycle: four teams on an 8-day cycle start 0, 2, 4 and 6
    days in, so on any date each is on a different pair of the cycle."""
    if not names or len(pattern.cycle) % len(names):
        raise RotationError(
            f"{len(names)} teams cannot be spread evenly over a {len(pattern.cycle)}-day cycle"
        )
    step = len(pattern.cycle) // len(names)
    return tuple(Team(name, index * step) for index, name in enumerate(names))


@dataclass(frozen=True, slots=True)
class DatedShift:
    """One team's shift on one date, placed on the absolute axis."""

    team: str
    day: date
    code: str
    start: datetime
    end: datetime

    @property
    def hours(self) -> float:
        return (self.end - self.start) / timedelta(hours=1)


def expand_rotation(
    pattern: RotationPattern, teams: Iterable[Team], *, anchor: date, first: date, last: date
) -> list[DatedShift]:
    """Every team's shifts from `first` to `last` (inclusive), by date then team. On
    `anchor` a team is on cycle day `offset`; days off give no shift."""
    if last < first:
        raise RotationError(f"the range ends ({last}) before it starts ({first})")
    shifts = []
    for day in _dates(first, last):
        for team in teams:
            code = pattern.code_on((day - anchor).days + team.offset)
            if code != REST:
                start, end = pattern.shift(code).span_on(day)
                shifts.append(DatedShift(team.name, day, code, start, end))
    return shifts


def coverage_gaps(
    shifts: Iterable[DatedShift], start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """The spans from `start` to `end` that no shift covers (empty: staffed throughout)."""
    gaps, reached = [], start
    for shift in sorted(shifts, key=lambda shift: shift.start):
        if shift.start > reached and reached < end:
            gaps.append((reached, min(shift.start, end)))
        reached = max(reached, shift.end)
    if reached < end:
        gaps.append((reached, end))
    return gaps


def shortest_rest(pattern: RotationPattern) -> timedelta:
    """The shortest time off between the end of one shift and the start of the next, as a
    team walks the cycle round and round (negative where shifts overlap)."""
    anchor = date(2001, 1, 1)  # any date: the cycle repeats
    spans = [
        pattern.shift(code).span_on(anchor + DAY * position)
        for position, code in enumerate(pattern.cycle * 2)
        if code != REST
    ]
    if len(spans) < 2:
        raise RotationError("a cycle with fewer than two shifts has no rest between shifts")
    return min(later[0] - earlier[1] for earlier, later in pairwise(spans))


@dataclass(frozen=True, slots=True)
class HoursAgainstStandard:
    """A team's hours in a 综合计算工时 cycle against the standard hours of that cycle."""

    team: str
    first: date
    last: date
    hours: float  # shifts whose date lies in the cycle
    standard: float
    statutory_holiday_hours: float  # clock hours inside 法定节假日 dates: paid 300 %

    @property
    def over_standard(self) -> float:
        """Hours above the standard (overtime under 综合计算工时); negative when below."""
        return self.hours - self.standard


def hours_against_standard(
    shifts: Iterable[DatedShift],
    *,
    period: Period,
    first: date,
    statutory_holidays: Iterable[date] = (),
) -> list[HoursAgainstStandard]:
    """Each team's hours in the month, quarter or year starting on `first` (a 1st), teams in
    the order their first shift comes.

    A shift counts in the cycle of the date it belongs to; its 法定节假日 hours are counted
    by the clock, so a night shift from 09-30 22:00 puts 6 holiday hours into September's
    figures (pass every statutory date, not only those inside the cycle).
    """
    if first.day != 1:
        raise RotationError(f"a {period} starts on the 1st of a month, not on {first}")
    last = _month_start(first, PERIOD_MONTHS[period]) - DAY
    holidays = frozenset(statutory_holidays)
    teams: dict[str, list[DatedShift]] = {}
    for shift in shifts:
        if first <= shift.day <= last:
            teams.setdefault(shift.team, []).append(shift)
    return [
        HoursAgainstStandard(
            team=team,
            first=first,
            last=last,
            hours=sum(shift.hours for shift in worked),
            standard=STANDARD_HOURS[period],
            statutory_holiday_hours=sum(
                holiday_hours(shift.start, shift.end, holidays) for shift in worked
            ),
        )
        for team, worked in teams.items()
    ]


def holiday_hours(start: datetime, end: datetime, holidays: frozenset[date]) -> float:
    """Clock hours from `start` to `end` that fall inside the dates of `holidays`."""
    return sum(hours for day, hours in hours_by_date(start, end).items() if day in holidays)


def _month_start(first: date, months_later: int) -> date:
    month_index = first.year * 12 + first.month - 1 + months_later
    return date(month_index // 12, month_index % 12 + 1, 1)


def _dates(first: date, last: date) -> Iterable[date]:
    return (first + DAY * offset for offset in range((last - first).days + 1))
