"""`lingting knowledge_import FILE [--publish]`: load articles into the vault."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lingting.engine.knowledge import read_articles
from lingting.engine.reader import LineError, UnreadableFileError
from lingting.knowledge.services.articles import article_import


class Command(BaseCommand):
    help = (
        "Create or update knowledge articles from a .yaml list or a .jsonl file (the format "
        "of lingting/engine/knowledge.py). An article with a code already stored is updated "
        "as a new draft; --publish makes every new or changed article live at once. A bad "
        "record is reported with its line number and reason on stderr; the rest are stored. "
        "Exit status 0: all stored; 1: some records rejected; 2: the file could not be read."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", metavar="FILE")
        parser.add_argument(
            "--publish", action="store_true", help="publish what is imported (skip review)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        records = []
        rejected: list[LineError] = []
        try:
            for item in read_articles(path):
                if isinstance(item, LineError):
                    rejected.append(item)
                else:
                    records.append(item)
        except (UnreadableFileError, OSError) as exc:
            raise CommandError(f"cannot read {path}: {exc}", returncode=2) from exc
        result = article_import(actor=None, records=records, publish=options["publish"])
        rejected += result.errors
        for error in sorted(rejected, key=lambda e: e.line):
            self.stderr.write(f"line {error.line}: {error.reason}")
        self.stdout.write(
            f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged,"
            f" {len(rejected)} rejected"
            + (" (published)" if options["publish"] else " (drafts, waiting for review)")
        )
        if rejected:
            sys.exit(1)
