"""`lingting leavers_deactivate`: deactivate the logins of agents whose last day has come.

A leaving recorded ahead (its `left_on` in the future) takes effect on its day: run this
daily (`lingting scheduler` does, as the job "leavers"). Each deactivation is audited; a
second run deactivates nobody more.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from lingting.workforce.services.leavers import leavers_deactivate


class Command(BaseCommand):
    help = "Deactivate the logins of agents whose leaving date is today or past."

    def handle(self, *args: Any, **options: Any) -> None:
        codes = leavers_deactivate(today=timezone.localdate())
        self.stdout.write(
            f"logins deactivated: {len(codes)}" + (f" ({', '.join(codes)})" if codes else "")
        )
