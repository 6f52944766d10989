"""Report periods: a day, an ISO week or a calendar month, named as FORMATS.md groups them
(``2026-10-05``, ``2026-W40``, ``2026-10``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.utils.translation import gettext

from lingting.core.params import BadParameter, date_in_range


class PeriodKind(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True, slots=True)
class Period:
    kind: PeriodKind
    start: date  # first day
    end: date  # the day after the last

    @property
    def key(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == PeriodKind.WEEK:
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        return self.start.isoformat()

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def previous(self, count: int = 1) -> Period:
        period = self
        for _ in range(count):
            period = period_containing(period.kind, period.start - timedelta(days=1))
        return period

    def next(self) -> Period:
        return period_containing(self.kind, self.end)

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The period as [start, end) instants in `tz` (the center's time zone)."""
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end, time.min, tzinfo=tz),
        )


def period_containing(kind: PeriodKind, day: date) -> Period:
    if kind == PeriodKind.MONTH:
        start = day.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1)
        return Period(kind, start, end)
    if kind == PeriodKind.WEEK:
        start = day - timedelta(days=day.weekday())
        return Period(kind, start, start + timedelta(days=7))
    return Period(kind, day, day + timedelta(days=1))


def last_full_period(kind: PeriodKind, today: date) -> Period:
    """The latest period that has ended by `today` (a report's default: last month)."""
    return period_containing(kind, today).previous()


def parse_period(kind: PeriodKind, text: str) -> Period:
    """`2026-10` (month), `2026-W40` (week) or `2026-10-05` (day); ValueError says what
    was expected."""
    text = text.strip()
    try:
        if kind == PeriodKind.MONTH:
            year, month = text.split("-")
            first = date(int(year), int(month), 1)
        elif kind == PeriodKind.WEEK:
            year, week = text.upper().split("-W")
            first = date.fromisocalendar(int(year), int(week), 1)
        else:
            first = date.fromisoformat(text)
        # A period at the calendar's edge would overflow when it becomes times of day.
        return period_containing(kind, date_in_range(first, "period"))
    except (ValueError, BadParameter) as error:
        example = {"month": "2026-10", "week": "2026-W40", "day": "2026-10-05"}[kind]
        raise ValueError(f"period {text!r} is not a {kind} like {example}") from error


def period_label(period: Period) -> str:
    """A period as a report's heading names it: its key and its first and last day."""
    return gettext("%(key)s（%(start)s 至 %(end)s）") % {
        "key": period.key,
        "start": period.start.isoformat(),
        "end": period.last_day.isoformat(),
    }
