"""`lingting assessment_run [--month YYYY-MM]`: compute the monthly agent assessment.

Meant for the scheduler (or cron) early on the 1st, for the month just ended; running it
again recomputes the same month with the weights and best/worst points then in force.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lingting.performance.services import assessment_compute


def month_arg(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise CommandError(f"--month wants a month as YYYY-MM, not {text!r}") from None


class Command(BaseCommand):
    help = "Compute every agent's monthly assessment (default: last month)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="YYYY-MM (default: the month before this one)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["month"]:
            month = month_arg(options["month"])
        else:
            first_of_this = timezone.localdate().replace(day=1)
            month = (first_of_this - timedelta(days=1)).replace(day=1)
        agents = assessment_compute(actor=None, month=month)
        self.stdout.write(f"assessment {month:%Y-%m}: {agents} agents assessed")
