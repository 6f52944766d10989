"""`lingting sampling_run [--day YYYY-MM-DD]`: draw every daily sampling plan due today.

Run it from cron (or a systemd timer) each morning, e.g. `5 7 * * * lingting sampling_run`;
a plan that already drew for the day is left alone, so running it twice is harmless.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lingting.quality.services.sampling import sampling_run_due


class Command(BaseCommand):
    help = "Draw the samples of every active daily plan that has not drawn for the day."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", type=date.fromisoformat, help="default: today")

    def handle(self, *args: Any, **options: Any) -> None:
        draws = sampling_run_due(day=options["day"])
        for draw in draws:
            self.stdout.write(
                f"{draw.plan.name}: {draw.drawn} of {draw.candidates} candidates for {draw.day}"
            )
        if not draws:
            self.stdout.write("no daily plan is due")
