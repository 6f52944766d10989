"""`lingting import FILE.jsonl|FILE.csv`: store contacts, report every bad line, and score
the new and changed transcripts (a quality command: the store of contacts knows nothing of
scoring)."""

from __future__ import annotations

import gc
from argparse import ArgumentParser
from contextlib import ExitStack
from typing import IO, Any

import orjson
from django.core.management.base import BaseCommand, CommandError
from django.utils.timezone import get_default_timezone

from lingting.engine.processes import EXIT_STOPPED, Terminated, stopped_reason, terminate_raises
from lingting.engine.reader import LineError, UnreadableFileError
from lingting.interactions.services import ImportReport, contacts_import_file
from lingting.quality.services import scorecard_version_ensure_current
from lingting.quality.tasks import score_after_import

SHOWN_ERRORS = 10


class _ErrorSink:
    """Writes every bad line to the errors file and shows the first few to a person."""

    def __init__(self, out: IO[bytes] | None, stderr: Any) -> None:
        self._out = out
        self._stderr = stderr
        self.shown = 0

    def __call__(self, error: LineError) -> None:
        if self._out is not None:
            self._out.write(orjson.dumps(error.to_dict()) + b"\n")
        if self.shown < SHOWN_ERRORS:
            self.shown += 1
            named = f" (id {error.id})" if error.id else ""
            self._stderr.write(f"line {error.line}{named}: {error.reason}")


class Command(BaseCommand):
    help = (
        "Import contacts from a JSON-lines or CDR-only CSV file (UTF-8 or GBK). "
        "Idempotent: a contact id already stored is updated, never duplicated. "
        "Exit status 0: all lines imported; 1: some lines rejected; 2: nothing could be read; "
        "3: interrupted or crashed (run it again)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="FILE.jsonl or FILE.csv")
        parser.add_argument("--errors", metavar="ERRORS.jsonl", help="write every bad line here")
        parser.add_argument(
            "--no-score", action="store_true", help="store only; do not score the contacts"
        )
        parser.add_argument(
            "--sync",
            action="store_true",
            help="score (and index for search) in this process, not in the task worker",
        )
        parser.add_argument(
            "--workers",
            type=int,
            metavar="N",
            help="processes that read a big JSON-lines file while this one writes to "
            "PostgreSQL (0: read it here; default: one less than the cores, at least one)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: str = options["file"]
        errors_path: str | None = options["errors"]
        # Each batch's objects outlive the young generations, so a big import triggers many
        # full collections; freezing what is loaded by now (Django, the apps) spares each
        # of them a rescan of hundreds of thousands of objects that are never garbage.
        gc.freeze()
        try:
            with terminate_raises(), ExitStack() as stack:
                errors_out = stack.enter_context(open(errors_path, "wb")) if errors_path else None
                report = self._import(path, options, _ErrorSink(errors_out, self.stderr))
        except CommandError:
            raise
        except (KeyboardInterrupt, Terminated, Exception) as exc:
            # Never 1 ("some lines rejected"): a stopped run is told apart, to be run again.
            raise CommandError(
                f"the import {stopped_reason(exc)}. Run it again to finish: what is stored"
                " stays, and nothing is stored twice.",
                returncode=EXIT_STOPPED,
            ) from exc
        self._summarize(report, options, errors_path)

    def _import(self, path: str, options: dict[str, Any], sink: _ErrorSink) -> ImportReport:
        scoring = None
        if not options["no_score"]:
            scorecard_version_ensure_current()  # the built-in one on a new database
            scoring = score_after_import(in_process=options["sync"])
        try:
            return contacts_import_file(
                path,
                tz=get_default_timezone(),
                workers=options["workers"],
                on_stored=scoring,
                in_process=options["sync"],
                on_error=sink,
            )
        except (UnreadableFileError, OSError) as exc:
            raise CommandError(f"cannot read {path}: {exc}", returncode=2) from exc

    def _summarize(
        self, report: ImportReport, options: dict[str, Any], errors_path: str | None
    ) -> None:
        self.stdout.write(
            f"read {report.read} · imported {report.imported} · updated {report.updated} · "
            f"rejected {report.rejected} · {report.seconds:.2f} s · "
            f"{report.contacts_per_second:,.0f} contacts/s"
        )
        if options["no_score"]:
            self.stdout.write("not scored (--no-score)")
        elif options["sync"]:
            self.stdout.write("new and changed transcripts scored")
        else:
            self.stdout.write("new and changed transcripts queued for scoring (lingting worker)")
        if report.read == 0:
            raise CommandError("no contacts in the file", returncode=2)
        if report.rejected:
            where = f"all are in {errors_path}" if errors_path else "save them with --errors FILE"
            raise CommandError(f"{report.rejected} line(s) rejected; {where}", returncode=1)
