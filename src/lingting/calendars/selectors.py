"""Reads of the business calendar: the engine's `BusinessCalendar`, gaps, a year's month grids."""

from __future__ import annotations

import calendar as gregorian
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import DatabaseError
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.calendars.models import CalendarDay, CalendarYear, DayKind
from lingting.engine.calendars import BusinessCalendar, WorkingHours
from lingting.engine.statutory import statutory_days, statutory_known

WARN_FROM_MONTH = 11  # the State Council publishes next year's schedule in Nov or Dec

_cached: tuple[tuple[object, ...], BusinessCalendar] | None = None


def business_calendar() -> BusinessCalendar:
    """The calendar the table holds, for SLA deadlines (`lingting.engine.sla`).

    Built once and kept until the table changes: each call costs one small aggregate query
    (row counts and latest change of both tables), so every process sees a correction at once.
    """
    global _cached
    days = CalendarDay.objects.aggregate(rows=Count("id"), changed=Max("changed_at"))
    years = CalendarYear.objects.aggregate(rows=Count("id"), changed=Max("loaded_at"))
    signature = (days["rows"], days["changed"], years["rows"], years["changed"])
    if _cached is not None and _cached[0] == signature:
        return _cached[1]
    rows = list(CalendarDay.objects.values_list("date", "kind"))
    built = BusinessCalendar(
        holidays=frozenset(day for day, kind in rows if kind == DayKind.HOLIDAY),
        workdays=frozenset(day for day, kind in rows if kind == DayKind.WORKDAY),
        years=frozenset(CalendarYear.objects.values_list("year", flat=True)),
    )
    _cached = (signature, built)
    return built


def center_hours() -> WorkingHours:
    """Office hours read in the center's zone (settings.TIME_ZONE), whatever zone the
    moments given are in: stored times come back in UTC, a workday's hours are local."""
    return WorkingHours.office(tz=timezone.get_default_timezone())


def loaded_years() -> list[int]:
    return list(CalendarYear.objects.order_by("year").values_list("year", flat=True))


def calendar_gap_year(today: date | None = None) -> int | None:
    """The year whose official schedule is missing and needed: this year at any time, next
    year from November on (when it is published). None when nothing is missing."""
    today = today or timezone.localdate()
    needed = [today.year] + ([today.year + 1] if today.month >= WARN_FROM_MONTH else [])
    known = set(CalendarYear.objects.filter(year__in=needed).values_list("year", flat=True))
    return next((year for year in needed if year not in known), None)


def calendar_gap_year_or_none(today: date | None = None) -> int | None:
    """`calendar_gap_year`, or None where the calendar tables are not migrated yet."""
    try:
        return calendar_gap_year(today)
    except DatabaseError:
        return None


@dataclass(frozen=True, slots=True)
class GridDay:
    date: date
    in_month: bool
    workday: bool
    kind: str  # "" for an ordinary day, else a DayKind value
    name: str
    source: str
    block: str  # the festival of the run of days off this day is part of (国庆节 on 10-03)
    statutory: str  # the 法定节假日 this day is (10-01..03), "" for a bridged day off (10-04)


@dataclass(frozen=True, slots=True)
class MonthGrid:
    month: date  # the 1st
    weeks: list[list[GridDay]]  # Monday first
    holidays: int  # weekdays off this month
    workdays: int  # worked days this month


def year_grids(year: int) -> list[MonthGrid]:
    """Twelve month grids of `year`, each day marked worked or not and with its exception."""
    cal = business_calendar()
    rows = {row.date: row for row in CalendarDay.objects.filter(date__year=year)}
    blocks = _holiday_blocks(year, cal, rows)
    statutory = (
        {day.date: day.name for day in statutory_days(year)}
        if statutory_known(year)
        else {}  # older rules, or past the lunar tables: not computed
    )
    grids = []
    weeks_of = gregorian.Calendar(firstweekday=0)
    for month in range(1, 13):
        weeks = []
        for week in weeks_of.monthdatescalendar(year, month):
            line = []
            for day in week:
                row = rows.get(day) if day.month == month else None
                line.append(
                    GridDay(
                        date=day,
                        in_month=day.month == month,
                        workday=cal.is_workday(day),
                        kind=row.kind if row else "",
                        name=row.name if row else "",
                        source=row.source if row else "",
                        block=blocks.get(day, "") if day.month == month else "",
                        statutory=statutory.get(day, "") if day.month == month else "",
                    )
                )
            weeks.append(line)
        in_month = [day for week in weeks for day in week if day.in_month]
        grids.append(
            MonthGrid(
                month=date(year, month, 1),
                weeks=weeks,
                holidays=sum(1 for day in in_month if day.kind == DayKind.HOLIDAY),
                workdays=sum(1 for day in in_month if day.workday),
            )
        )
    return grids


def _holiday_blocks(
    year: int, cal: BusinessCalendar, rows: dict[date, CalendarDay]
) -> dict[date, str]:
    """Each day off of `year` in a run of days off that holds a holiday → the holiday's name,
    so the weekend inside a holiday block shows as part of it (as the official notice says:
    10月1日至7日放假)."""
    named: dict[date, str] = {}
    run: list[date] = []
    day, last = date(year, 1, 1), date(year, 12, 31)
    while day <= last + timedelta(days=1):
        if day <= last and not cal.is_workday(day):
            run.append(day)
        else:
            names = [rows[d].name for d in run if d in rows and rows[d].kind == DayKind.HOLIDAY]
            if names:
                named.update(dict.fromkeys(run, names[0] or _("放假")))
            run = []
        day += timedelta(days=1)
    return named


def calendar_day(day: date) -> CalendarDay | None:
    return CalendarDay.objects.filter(date=day).select_related("changed_by").first()


def admin_corrections(year: int) -> list[CalendarDay]:
    return list(
        CalendarDay.objects.filter(date__year=year, source="admin").select_related("changed_by")
    )
