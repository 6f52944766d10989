"""`lingting report_run --kind monthly|weekly|daily|cases|training [--period 2026-10]`:
generate the center's report of a period into the archive and notify the QA supervisors.

Run it from cron after each period closes, e.g.::

    10 6 * * *   lingting report_run --kind daily      # yesterday's monitoring detail
    20 6 * * 1   lingting report_run --kind weekly     # last ISO week
    30 6 1 * *   lingting report_run --kind monthly    # last month (also cases, training)

Without --period it reports the last full period. A period already in the archive is left
alone, so running it twice is harmless; --force generates it again.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lingting.documents.exports.fonts import ReportFontMissing
from lingting.documents.periods import last_full_period, parse_period
from lingting.reports.layouts.kinds import PERIOD_OF_KIND
from lingting.reports.models import GeneratedReport, ReportKind
from lingting.reports.services.generation import report_generate


class Command(BaseCommand):
    help = "Generate a quality report of a period into the archive (idempotent per period)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", required=True, choices=ReportKind.values)
        parser.add_argument(
            "--period", help="2026-10 (month), 2026-W40 (week), 2026-10-05 (day); default: last"
        )
        parser.add_argument("--force", action="store_true", help="generate it again")

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        period_kind = PERIOD_OF_KIND[kind]
        try:
            period = (
                parse_period(period_kind, options["period"])
                if options["period"]
                else last_full_period(period_kind, timezone.localdate())
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        if options["force"]:
            GeneratedReport.objects.filter(kind=kind, period=period.key).delete()
        try:
            generated = report_generate(kind=kind, period=period, actor=None)
        except ReportFontMissing as error:
            raise CommandError(str(error)) from error
        report = generated.report
        if generated.created:
            self.stdout.write(
                f"{kind} {period.key}: generated (xlsx {len(report.xlsx)} bytes, "
                f"pdf {len(report.pdf)} bytes)"
            )
        else:
            self.stdout.write(f"{kind} {period.key}: already generated, left alone")
