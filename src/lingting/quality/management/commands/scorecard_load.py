"""`lingting scorecard_load FILE_OR_NAME [--activate]`: store a scorecard version."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lingting.engine.scorecard import ScorecardError
from lingting.engine.scorecard_yaml import load_scorecard
from lingting.quality.services import scorecard_load, scorecard_version_activate


class Command(BaseCommand):
    help = (
        "Load a scorecard (a YAML file, or the name of a built-in one such as 'standard'). "
        "A new version is stored only when its text changed; --activate makes it the one "
        "that scores contacts and re-scores every contact in the background."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("scorecard", metavar="FILE_OR_NAME")
        parser.add_argument("--activate", action="store_true", help="activate this version")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            scorecard = load_scorecard(options["scorecard"])
        except (ScorecardError, OSError) as exc:
            raise CommandError(f"cannot load {options['scorecard']}: {exc}") from exc
        version = scorecard_load(scorecard=scorecard, actor=None)
        self.stdout.write(f"{version} · fingerprint {version.fingerprint[:12]}")
        if version.is_active:
            self.stdout.write("already the active version")
        elif options["activate"]:
            scorecard_version_activate(version=version, actor=None)
            self.stdout.write("activated; the task worker re-scores every contact with it")
        else:
            self.stdout.write("stored, not active (use --activate)")
