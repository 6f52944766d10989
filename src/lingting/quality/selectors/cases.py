"""Reading the case library: what each role may find, and one case laid out to read."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from lingting.core.models import User
from lingting.quality.models import Case
from lingting.quality.permissions import may_curate_cases, may_read_qa_reports
from lingting.quality.selectors.contact_page import ContactDetail, contact_training_page


@dataclass(frozen=True, slots=True)
class CaseFilters:
    kind: str = ""
    tag: str = ""
    text: str = ""  # in the title or the note


def cases_for(*, user: User, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """QA, trainers and managers find every case; everyone else the shared ones."""
    filters = filters or CaseFilters()
    cases = Case.objects.select_related("contact__agent", "contact__queue", "created_by")
    if not (may_curate_cases(user) or may_read_qa_reports(user)):
        cases = cases.filter(shared=True)
    if filters.kind:
        cases = cases.filter(kind=filters.kind)
    if filters.text:
        cases = cases.filter(Q(title__icontains=filters.text) | Q(note__icontains=filters.text))
    if filters.tag:
        # Tags are few per case and the library is small next to contacts: match in Python
        # rather than in JSON, which SQLite and PostgreSQL query differently.
        ids = [pk for pk, tags in cases.values_list("pk", "tags") if filters.tag in (tags or [])]
        cases = cases.filter(pk__in=ids)
    return cases


@dataclass(frozen=True, slots=True)
class CasePage:
    case: Case
    detail: ContactDetail  # personal numbers masked for every reader
    may_edit: bool


def case_page_for(*, user: User, case_id: int) -> CasePage:
    case = cases_for(user=user).filter(pk=case_id).first()
    if case is None:
        raise Http404("no such case")
    return CasePage(
        case=case,
        detail=contact_training_page(contact_id=case.contact_id),
        may_edit=may_curate_cases(user),
    )
