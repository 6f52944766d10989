"""The demo's report archive: each demo month's quality report, as cron would have left it,
and the last month's case analysis and training plan."""

from __future__ import annotations

from datetime import date

from lingting.core.models import User
from lingting.documents.periods import PeriodKind, period_containing
from lingting.reports.models import ReportKind
from lingting.reports.services.generation import report_generate


def demo_reports(*, users: dict[str, User], months: list[date]) -> str:
    """Generate (as the scheduled run, idempotently) the monthly report of each of `months`
    (any day of the month) and the case analysis and training plan of the last; `users` is
    the demo's users by login (unused today: the archive is the scheduler's). One line back."""
    del users
    made = 0
    periods = sorted(
        {period_containing(PeriodKind.MONTH, day) for day in months}, key=lambda p: p.start
    )
    for period in periods:
        made += report_generate(kind=ReportKind.MONTHLY, period=period, actor=None).created
    if periods:
        for kind in (ReportKind.CASES, ReportKind.TRAINING):
            made += report_generate(kind=kind, period=periods[-1], actor=None).created
    keys = ", ".join(p.key for p in periods)
    return f"reports: {made} generated into the archive (monthly {keys})"
