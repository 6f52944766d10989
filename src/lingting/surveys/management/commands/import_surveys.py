"""`lingting import_surveys FILE.jsonl|FILE.csv`: store survey results, report bad lines."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.timezone import get_default_timezone

from lingting.core.management.line_import import LineFileImportCommand
from lingting.engine.reader import LineError
from lingting.surveys.services.responses import SurveyImportReport, survey_responses_import_file


class Command(LineFileImportCommand):
    help = (
        "Import post-contact survey results (contact_id, score, answered_at, channel, "
        "optional scale, comment and question: csat, the default, or nps for the 0-10 "
        "recommend question) from a JSON-lines or CSV file (UTF-8 or GBK). A result "
        "for a contact that is not stored is rejected. Exit status 0: all lines stored; "
        "1: some lines rejected; 2: nothing could be read."
    )
    what = "survey results"

    def import_file(self, path: str, on_error: Callable[[LineError], None]) -> SurveyImportReport:
        return survey_responses_import_file(path, tz=get_default_timezone(), on_error=on_error)

    def summary(self, report: SurveyImportReport) -> str:
        return (
            f"read {report.read} · stored {report.stored} · updated {report.updated} · "
            f"rejected {report.rejected}"
        )
