"""Demo step: the official calendar of the demo's years, so SLA deadlines skip holidays."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from lingting.calendars.selectors import calendar_gap_year
from lingting.calendars.services import calendar_load
from lingting.core.models import User
from lingting.engine.calendars import package_years


def demo_calendars(*, users: dict[str, User], months: list[date]) -> str:
    """Load the official schedule of every year the demo's `months` and today fall in, as far
    as ``chinese_calendar`` knows them (2026 with 1.11.0). `users` is unused: the load is the
    system's. Returns a one-line summary, naming a missing year that the banner will show."""
    del users
    wanted = sorted({month.year for month in months} | {timezone.localdate().year})
    loads = [calendar_load(year=year) for year in wanted if year in package_years()]
    summary = ", ".join(f"{load.year} ({load.changes} days)" for load in loads) or "none"
    gap = calendar_gap_year()
    missing = f"; {gap} not published yet, warning shown" if gap is not None else ""
    return f"business calendar: loaded {summary}{missing}"
