"""The cases about a period's contacts, with their monitoring records (案例分析)."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.utils import timezone

from lingting.core.models import User
from lingting.core.personal_numbers import text_shown_to
from lingting.documents.periods import Period
from lingting.quality.models import (
    AssignmentKind,
    Case,
    Evaluation,
)
from lingting.quality.selectors.quotes import quote_shown_to
from lingting.reports.permissions import report_scope
from lingting.reports.selectors.rows import (
    CaseFinding,
    CaseRow,
)


def period_cases(user: User | None, period: Period) -> QuerySet[Case]:
    """The cases about the period's contacts (by when the call was, like the reviews: a case
    filed on the 2nd about a call of the 30th belongs to the month of the call)."""
    low, high = period.bounds(timezone.get_current_timezone())
    cases = Case.objects.filter(contact__started_at__gte=low, contact__started_at__lt=high)
    if user is not None:
        cases = cases.filter(report_scope(user, via="contact"))
    return cases


def case_rows(user: User | None, period: Period, mask: Callable[[str], str]) -> list[CaseRow]:
    cases = period_cases(user, period).select_related("contact__agent", "contact__queue")
    cases = cases.order_by("created_at", "id")
    listed = list(cases)
    records: dict[int, Evaluation] = {}
    for evaluation in (
        Evaluation.objects.filter(
            kind=AssignmentKind.SAMPLE, contact__in=[c.contact_id for c in listed]
        )
        .prefetch_related("findings")
        .order_by("submitted_at")
    ):
        records[evaluation.contact_id] = evaluation  # the latest record of the contact
    rows = []
    for case in listed:
        record = records.get(case.contact_id)
        contact = case.contact
        rows.append(
            CaseRow(
                case_id=case.pk,
                kind=case.kind,
                kind_label=str(case.get_kind_display()),
                title=case.title,
                note=mask(case.note),
                shared=case.shared,
                created_at=case.created_at,
                agent=str(contact.agent) if contact.agent else "",
                queue=str(contact.queue) if contact.queue else "",
                contact_id=contact.pk,
                external_id=contact.external_id,
                score=record.score if record else None,
                passed=record.passed if record else None,
                summary=mask(record.summary) if record else "",
                findings=tuple(
                    CaseFinding(f.scope, quote_shown_to(f, user), mask(f.note))
                    for f in (record.findings.all() if record else [])
                ),
            )
        )
    return rows


def cases_count(user: User | None, period: Period) -> int:
    return period_cases(user, period).count()


def case_analysis(*, user: User | None, period: Period) -> list[CaseRow]:
    """The cases about `period`'s contacts with the findings and notes of their monitoring record
    (002 §一.6: "汇总、整理、编写案例分析")."""
    return case_rows(user, period, text_shown_to(user))
