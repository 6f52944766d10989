"""`lingting import_surveys FILE.jsonl|FILE.csv`: store survey results, report bad lines."""

from __future__ import annotations

from argparse import ArgumentParser
from contextlib import ExitStack
from typing import Any

import orjson
from django.core.management.base import BaseCommand, CommandError
from django.utils.timezone import get_default_timezone

from lingting.engine.reader import LineError, UnreadableFileError
from lingting.surveys.services import survey_responses_import_file

SHOWN_ERRORS = 10


class Command(BaseCommand):
    help = (
        "Import post-contact survey results (contact_id, score, answered_at, channel, "
        "optional scale and comment) from a JSON-lines or CSV file (UTF-8 or GBK). A result "
        "for a contact that is not stored is rejected. Exit status 0: all lines stored; "
        "1: some lines rejected; 2: nothing could be read."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="FILE.jsonl or FILE.csv")
        parser.add_argument("--errors", metavar="ERRORS.jsonl", help="write every bad line here")

    def handle(self, *args: Any, **options: Any) -> None:
        path: str = options["file"]
        errors_path: str | None = options["errors"]
        shown = 0
        with ExitStack() as stack:
            errors_out = stack.enter_context(open(errors_path, "wb")) if errors_path else None

            def on_error(error: LineError) -> None:
                nonlocal shown
                if errors_out is not None:
                    errors_out.write(orjson.dumps(error.to_dict()) + b"\n")
                if shown < SHOWN_ERRORS:
                    shown += 1
                    self.stderr.write(f"line {error.line}: {error.reason}")

            try:
                report = survey_responses_import_file(
                    path, tz=get_default_timezone(), on_error=on_error
                )
            except (UnreadableFileError, OSError) as exc:
                raise CommandError(f"cannot read {path}: {exc}", returncode=2) from exc
        self.stdout.write(
            f"read {report.read} · stored {report.stored} · updated {report.updated} · "
            f"rejected {report.rejected}"
        )
        if report.read == 0:
            raise CommandError("no survey results in the file", returncode=2)
        if report.rejected:
            where = f"all are in {errors_path}" if errors_path else "save them with --errors FILE"
            raise CommandError(f"{report.rejected} line(s) rejected; {where}", returncode=1)
