"""The shape every `lingting import_*` command of a line file shares (agent states, survey
results): bad lines reported with their number and reason (the first few on stderr, all
of them with --errors), the rest stored, and an exit status a script can act on —
0 all lines stored, 1 some lines rejected, 2 nothing could be read."""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any, Protocol

import orjson
from django.core.management.base import BaseCommand, CommandError

from lingting.engine.reader import LineError, UnreadableFileError

SHOWN_ERRORS = 10


class LineImportReport(Protocol):
    @property
    def read(self) -> int: ...

    @property
    def rejected(self) -> int: ...


class LineFileImportCommand(BaseCommand):
    """Subclasses say what the lines are and how to store a file of them."""

    what = "lines"  # "no {what} in the file"

    def import_file(self, path: str, on_error: Callable[[LineError], None]) -> LineImportReport:
        raise NotImplementedError

    def summary(self, report: Any) -> str:
        raise NotImplementedError

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
                report = self.import_file(path, on_error)
            except (UnreadableFileError, OSError) as exc:
                raise CommandError(f"cannot read {path}: {exc}", returncode=2) from exc
        self.stdout.write(self.summary(report))
        if report.read == 0:
            raise CommandError(f"no {self.what} in the file", returncode=2)
        if report.rejected:
            where = f"all are in {errors_path}" if errors_path else "save them with --errors FILE"
            raise CommandError(f"{report.rejected} line(s) rejected; {where}", returncode=1)
