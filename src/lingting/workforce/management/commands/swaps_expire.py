"""`lingting swaps_expire`: close the open shift swaps that can no longer go ahead.

A swap whose shift has started, whose roster was replaced or whose shift changed hands is
stored as expired and both agents are told. Run hourly (`lingting scheduler` does, as the job
"swaps"); a second run closes nothing more.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from lingting.workforce.services.swaps import swaps_expire


class Command(BaseCommand):
    help = "Close the open shift swaps whose shift has started or changed."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = swaps_expire(now=timezone.now())
        self.stdout.write(f"swaps expired: {closed}")
