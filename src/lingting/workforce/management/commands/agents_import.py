"""`lingting agents_import FILE.csv|FILE.jsonl`: agents' names, teams, hire and leaving dates.

Columns (CSV header) or keys (JSON lines): code, and any of name, team (code or name),
hired_on, left_on, leaving_reason; UTF-8 or GBK. Each bad line is reported with its number
and reason and changes nothing; the rest are stored, audited. A leaver whose last day has
come loses their login at once (later ones on their day: `lingting leavers_deactivate`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from lingting.core.management.line_import import LineFileImportCommand
from lingting.engine.reader import LineError
from lingting.workforce.services.leavers import AgentImportReport, agents_import_file


class Command(LineFileImportCommand):
    help = (
        "Create or update agents (code, name, team, hired_on, left_on, leaving_reason) from a "
        "JSON-lines or CSV file (UTF-8 or GBK). Exit status 0: all lines stored; 1: some lines "
        "rejected; 2: nothing could be read."
    )
    what = "agents"

    def import_file(self, path: str, on_error: Callable[[LineError], None]) -> AgentImportReport:
        return agents_import_file(path, actor=None, today=timezone.localdate(), on_error=on_error)

    def summary(self, report: AgentImportReport) -> str:
        return (
            f"read {report.read} · created {report.created} · updated {report.updated} · "
            f"unchanged {report.unchanged} · rejected {report.rejected} · "
            f"logins deactivated {report.deactivated}"
        )
