"""The HTTP API: the case library (see the package's docstring)."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from lingting.core.params import RowId
from lingting.core.permissions import request_user
from lingting.core.personal_numbers import MaskedText
from lingting.quality.models import (
    Case,
)
from lingting.quality.models.cases import CaseKind
from lingting.quality.selectors.cases import CaseFilters, case_page_for, cases_for
from lingting.quality.services.cases import CaseInput, case_save

router = Router()


class CaseIn(Schema):
    contact_id: RowId
    kind: CaseKind
    title: str
    note: str = ""
    tags: list[str] = Field(default_factory=list)
    shared: bool = False


class CaseOut(Schema):
    id: int
    contact_id: RowId
    kind: str
    title: MaskedText  # a case is read by everyone alike, as its masked transcript
    note: MaskedText
    tags: list[str]
    shared: bool
    created_at: datetime


class CaseDetailOut(CaseOut):
    turns: list[dict[str, object]]  # speaker and text, personal numbers always masked


@router.get("/cases", response=list[CaseOut])
def case_list(request: HttpRequest, kind: str = "", tag: str = "", q: str = "") -> list[Case]:
    filters = CaseFilters(kind=kind, tag=tag, text=q)
    return list(cases_for(user=request_user(request), filters=filters)[:500])


@router.post("/cases", response={201: CaseOut})
def case_create(request: HttpRequest, body: CaseIn) -> Status[Case]:
    from lingting.quality.selectors.contact_page import contact_detail_for

    user = request_user(request)
    contact = contact_detail_for(user=user, contact_id=body.contact_id)
    case_input = CaseInput(
        kind=body.kind, title=body.title, note=body.note, tags=body.tags, shared=body.shared
    )
    return Status(201, case_save(actor=user, case_input=case_input, contact=contact))


@router.get("/cases/{case_id}", response=CaseDetailOut)
def case_detail(request: HttpRequest, case_id: RowId) -> CaseDetailOut:
    page = case_page_for(user=request_user(request), case_id=case_id)
    return CaseDetailOut(
        **CaseOut.from_orm(page.case).model_dump(),
        turns=[{"speaker": t.speaker, "text": t.shown_text} for t in page.detail.turns],
    )
