"""`lingting tally_update`: count every waiting figure change into the daily tallies.

Pages count a few waiting changes themselves and leave many to the task worker; the
scheduler runs this hourly, and an import script can run it after loading a file.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lingting.performance.tallies import tallies_drain


class Command(BaseCommand):
    help = "Count the contacts imported, scored or reviewed since into the daily tallies."

    def handle(self, *args: Any, **options: Any) -> None:
        counted = tallies_drain()
        self.stdout.write(f"{counted} figure changes counted")
