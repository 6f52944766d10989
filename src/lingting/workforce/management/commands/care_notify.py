"""`lingting care_notify [--at YYYY-MM-DDTHH:MM]`: send the care notices now due.

Timed reminders and break-due notices to the agents on a published shift, and strain alerts
to team leaders (issue 14, seed 000 §1(2)). Run it every minute (`lingting scheduler` does,
as the job "care"; from cron: `* * * * * lingting care_notify`). Each notice goes out once,
so running it twice, or late by a few minutes, is harmless.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lingting.workforce.services.care import LOOKBACK, care_notify


class Command(BaseCommand):
    help = (
        "Send the agents on a published shift their timed reminders and break-due notices, "
        "and team leaders a strain alert after a run of difficult contacts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--at",
            metavar="YYYY-MM-DDTHH:MM",
            help=f"act as at this local time (default: now); looks back {LOOKBACK}",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["at"]:
            try:
                now = timezone.make_aware(datetime.strptime(options["at"], "%Y-%m-%dT%H:%M"))
            except ValueError:
                raise CommandError(
                    f"--at must look like 2026-10-01T10:25, not {options['at']!r}"
                ) from None
        report = care_notify(now=now)
        self.stdout.write(
            f"reminders {report.reminders}, break notices {report.break_notices}, "
            f"strain alerts {report.strain_alerts}"
            + (
                f" ({report.leaderless} more with no team leader to tell)"
                if report.leaderless
                else ""
            )
        )
