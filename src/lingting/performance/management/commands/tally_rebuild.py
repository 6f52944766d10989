"""`lingting tally_rebuild`: count the daily tallies again from every stored contact.

For a new installation with contacts already stored, after a restore, or whenever the tallies
are in doubt. One transaction: the pages read the old tallies until it commits.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from lingting.performance.tallies import tallies_rebuild


class Command(BaseCommand):
    help = "Count the daily tallies (KPI, QA and assessment sums) again from every contact."

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.perf_counter()
        rows = tallies_rebuild()
        self.stdout.write(f"{rows} daily tallies counted in {time.perf_counter() - began:.1f} s")
