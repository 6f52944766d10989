"""`lingting calendar_load [--year 2026 ...]`: official holidays and make-up workdays, loaded.

Without --year it loads last year, this year and next year, as far as the installed
``chinese_calendar`` knows them, and says loudly which of them it does not know (next year's
schedule is published in November or December; upgrade the package then, or enter the days
on /calendars/ and mark the year complete). A named year the package lacks is an error.
Run it from cron after each package upgrade, or monthly: `0 6 1 * * lingting calendar_load`.
Administrators' corrections are never overwritten; the output lists what changed.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lingting.calendars.selectors import WARN_FROM_MONTH, calendar_gap_year
from lingting.calendars.services import YearLoad, calendar_load
from lingting.engine.calendars import CalendarGap


class Command(BaseCommand):
    help = "Load the official Chinese holidays and make-up workdays (chinese_calendar)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, action="append", help="a year to load (repeatable)")

    def handle(self, *args: Any, **options: Any) -> None:
        named: list[int] | None = options["year"]
        today = timezone.localdate()
        this_year = today.year
        years = sorted(set(named)) if named else [this_year - 1, this_year, this_year + 1]
        unknown: set[int] = set()
        for year in years:
            try:
                load = calendar_load(year=year)
            except CalendarGap as error:
                if named:
                    raise CommandError(str(error)) from None
                if year > this_year and today.month < WARN_FROM_MONTH:
                    self.stdout.write(f"{year}: not published yet (due in November or December)")
                    continue
                unknown.add(year)
                self.stderr.write(
                    self.style.ERROR(
                        f"WARNING: {error}. Until then SLA deadlines in {year} count Monday to "
                        "Friday only, without holidays or make-up workdays."
                    )
                )
                continue
            self.stdout.write(_summary(load))
        gap = calendar_gap_year()
        if gap is not None and gap not in unknown:
            self.stderr.write(
                self.style.ERROR(
                    f"WARNING: the official schedule of {gap} is not loaded: SLA deadlines in "
                    f"{gap} count Monday to Friday only, without holidays or make-up workdays"
                )
            )


def _summary(load: YearLoad) -> str:
    if not load.changes and not load.kept:
        return f"{load.year}: up to date"
    parts = []
    for label, days in (
        ("added", load.added),
        ("changed", load.changed),
        ("removed", load.removed),
        ("kept as corrected by an administrator", load.kept),
    ):
        if days:
            parts.append(f"{label} {len(days)} ({', '.join(f'{d:%m-%d}' for d in days)})")
    return f"{load.year}: " + "; ".join(parts)
