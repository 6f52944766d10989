"""Writes of the surveys app: storing survey results against stored contacts."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from itertools import batched

from django.db import transaction

from lingting.core.models import User
from lingting.core.services import audit_record
from lingting.engine.csat import SurveyResult, read_survey_results
from lingting.engine.reader import LineError
from lingting.engine.survey_reasons import format_reason_rules, parse_reason_rules
from lingting.interactions.models import Contact
from lingting.surveys.models import ReasonChoice, SurveyResponse, SurveySettings

BATCH = 2000

ErrorSink = Callable[[LineError], None]


@dataclass(slots=True)
class SurveyImportReport:
    read: int = 0
    stored: int = 0
    updated: int = (
        0  # responses already stored (same contact, channel and time): score kept up to date
    )
    rejected: int = 0


def survey_responses_import_file(
    path: str, *, tz: tzinfo, on_error: ErrorSink | None = None
) -> SurveyImportReport:
    """Store the survey results of a .jsonl or .csv file (README, "Survey results");
    raises `UnreadableFileError` when the file as a whole cannot be read."""
    report = survey_responses_import(lines=read_survey_results(path, tz=tz), on_error=on_error)
    audit_record(
        actor=None,
        action="survey_responses.import",
        object_type="survey_file",
        object_id=os.path.basename(path),
        after={
            "read": report.read,
            "stored": report.stored,
            "updated": report.updated,
            "rejected": report.rejected,
        },
    )
    return report


def survey_responses_import(
    *,
    lines: Iterable[tuple[int, SurveyResult] | LineError],
    on_error: ErrorSink | None = None,
) -> SurveyImportReport:
    """Store parsed results, a batch per transaction. A result about a contact that is not
    stored is rejected (the line is reported), never stored without its contact; the same
    contact, channel and time again updates the stored response instead of adding one."""
    report = SurveyImportReport()

    def reject(error: LineError) -> None:
        report.rejected += 1
        if on_error is not None:
            on_error(error)

    for batch in batched(lines, BATCH):
        results: list[tuple[int, SurveyResult]] = []
        for item in batch:
            report.read += 1
            if isinstance(item, LineError):
                reject(item)
            else:
                results.append(item)
        stored, updated = _store(results, reject)
        report.stored += stored
        report.updated += updated
    return report


@transaction.atomic
def _store(
    results: list[tuple[int, SurveyResult]], reject: Callable[[LineError], None]
) -> tuple[int, int]:
    contacts: dict[str, int] = dict(
        Contact.objects.filter(external_id__in={r.contact_id for _, r in results}).values_list(
            "external_id", "id"
        )
    )
    rows: dict[tuple[int, str, datetime], SurveyResponse] = {}
    for line, result in results:
        contact_id = contacts.get(result.contact_id)
        if contact_id is None:
            reject(
                LineError(
                    line,
                    f"no contact {result.contact_id!r} is stored; import the contact first",
                    result.contact_id,
                    result.contact_id,
                )
            )
            continue
        rows[(contact_id, result.channel, result.answered_at)] = SurveyResponse(
            contact_id=contact_id,
            channel=result.channel,
            question=result.question,
            score=result.score,
            scale=result.scale,
            answered_at=result.answered_at,
            comment=result.comment,
        )
    if not rows:
        return 0, 0
    existing = set(
        SurveyResponse.objects.filter(contact_id__in={key[0] for key in rows}).values_list(
            "contact_id", "channel", "answered_at"
        )
    )
    SurveyResponse.objects.bulk_create(
        rows.values(),
        update_conflicts=True,
        unique_fields=["contact", "channel", "answered_at"],
        update_fields=["question", "score", "scale", "comment"],
    )
    updated = len(rows.keys() & existing)
    return len(rows) - updated, updated


def survey_reason_set(*, actor: User, response: SurveyResponse, reason: str) -> None:
    """A person's reason for the customer's dissatisfaction ("" hands it back to the rules);
    audited with the reason it replaced."""
    before = response.reason
    response.reason = ReasonChoice(reason) if reason else ""
    with transaction.atomic():
        response.save(update_fields=["reason"])
        audit_record(
            actor=actor,
            action="survey_response.reason",
            object_type="survey_response",
            object_id=response.pk,
            before={"reason": before},
            after={"reason": response.reason},
        )


def survey_reason_rules_save(*, actor: User, text: str) -> None:
    """The words per kind of dissatisfaction, as a supervisor wrote them; ValueError naming
    the line that is not ``kind: word, word``."""
    rules = parse_reason_rules(text)
    stored = format_reason_rules(rules)
    with transaction.atomic():
        settings_row = SurveySettings.objects.select_for_update().first()
        before = settings_row.reason_rules if settings_row else ""
        SurveySettings.objects.update_or_create(pk=1, defaults={"reason_rules": stored})
        audit_record(
            actor=actor,
            action="survey_settings.reason_rules",
            object_type="survey_settings",
            object_id=1,
            before={"reason_rules": before},
            after={"reason_rules": stored},
        )
