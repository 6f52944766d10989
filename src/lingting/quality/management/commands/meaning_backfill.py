"""`lingting meaning_backfill [--all]`: store what contacts meant (customer emotion,
resolution, predicted satisfaction) for contacts scored before it was stored.

Scoring stores a contact's meaning with its score, so a database scored from this version on
needs nothing; one scored earlier runs this once after `lingting migrate`. It reads the
transcripts only (no re-scoring, no score changes, no audit events). `--all` reads every
contact with a transcript again.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lingting.quality.services.meaning import meaning_backfill


class Command(BaseCommand):
    help = (
        "Store the customer emotion, resolution and predicted satisfaction of contacts "
        "that have none yet (--all: of every contact with a transcript)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all", action="store_true", help="every contact with a transcript again"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stored = meaning_backfill(everything=options["all"])
        self.stdout.write(f"stored the meaning of {stored} contact(s)")
