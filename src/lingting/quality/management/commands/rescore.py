"""`lingting rescore --missing | --all`: score stored contacts with the active scorecard.

`--missing` scores every contact with a transcript and no current result: those whose
import died before it sent them for scoring, or whose scoring was lost. The scheduler runs
it hourly (LINGTING_SCHEDULE) as a sweep, so a contact is never left unscored for long.
`--all` scores every contact with a transcript again (as activating a version does).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lingting.quality.services import scorecard_version_ensure_current
from lingting.quality.tasks import rescore_all, score_missing


class Command(BaseCommand):
    help = (
        "Score stored contacts with the active scorecard, here and now: --missing those "
        "with a transcript and no current result, --all every contact with a transcript."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument(
            "--missing", action="store_true", help="only contacts without a current result"
        )
        which.add_argument("--all", action="store_true", help="every contact with a transcript")

    def handle(self, *args: Any, **options: Any) -> None:
        version = scorecard_version_ensure_current()  # the built-in one on a new database
        scored = rescore_all.call(version.pk) if options["all"] else score_missing.call()
        self.stdout.write(f"scored {scored} contact(s)")
