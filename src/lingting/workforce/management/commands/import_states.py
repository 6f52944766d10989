"""`lingting import_states FILE.jsonl|FILE.csv`: store agent state events, report bad lines."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.timezone import get_default_timezone

from lingting.core.management.line_import import LineFileImportCommand
from lingting.engine.reader import LineError
from lingting.workforce.services import StateImportReport, agent_states_import_file


class Command(LineFileImportCommand):
    help = (
        "Import agent state events (login, ready, not_ready, busy, acw, logout) from a "
        "JSON-lines or CSV file (UTF-8 or GBK). Idempotent: an event already stored is not "
        "stored again. Exit status 0: all lines stored; 1: some lines rejected; 2: nothing "
        "could be read."
    )
    what = "events"

    def import_file(self, path: str, on_error: Callable[[LineError], None]) -> StateImportReport:
        return agent_states_import_file(path, tz=get_default_timezone(), on_error=on_error)

    def summary(self, report: StateImportReport) -> str:
        return (
            f"read {report.read} · stored {report.stored} · "
            f"already stored {report.already_stored} · rejected {report.rejected}"
        )
