"""`lingting care_prune`: delete the care notices kept past their retention.

`care_notify` writes a row per notice (several a day per agent on shift) only so that each
goes out once; reminders and break notices are kept 90 days, strain alerts a year
(`lingting.workforce.services.care`). Run it daily (`lingting scheduler` does, as the job
"care prune"); running it twice deletes nothing more.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from lingting.workforce.services.care import care_notices_prune


class Command(BaseCommand):
    help = "Delete the care notices older than their retention (90 days; strain alerts a year)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = care_notices_prune(now=timezone.now())
        summary = ", ".join(f"{kind} {count}" for kind, count in sorted(deleted.items()))
        self.stdout.write(f"care notices deleted: {summary or 'none'}")
