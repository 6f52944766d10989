"""`lingting broadcast_hourly [--hour YYYY-MM-DDTHH]`: tell each team how the last hour went.

Run it at minute 0 of every hour (`lingting scheduler` does, as the job "broadcast"; from
cron: `0 * * * * lingting broadcast_hourly`). A team already told about the hour is not told
again, so running it twice is harmless.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lingting.workforce.services import broadcast_hour


class Command(BaseCommand):
    help = (
        "Send every team its calls in the hour just ended, its calls so far today and its "
        "satisfaction so far today, as notifications to its agents and team leader."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hour",
            metavar="YYYY-MM-DDTHH",
            help="the hour to broadcast, local time (default: the hour just ended)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["hour"]:
            try:
                start = datetime.strptime(options["hour"], "%Y-%m-%dT%H")
            except ValueError:
                raise CommandError(
                    f"--hour must look like 2026-10-01T09, not {options['hour']!r}"
                ) from None
            hour_start = timezone.make_aware(start)
        else:
            hour_start = timezone.localtime() - timedelta(hours=1)
        sent = broadcast_hour(hour_start=hour_start)
        for broadcast in sent:
            self.stdout.write(
                f"{broadcast.team.name}: {broadcast.calls_hour} calls, "
                f"{broadcast.calls_today} today, told {broadcast.recipients} people"
            )
        if not sent:
            self.stdout.write("no team to tell (no calls in the hour, or told already)")
