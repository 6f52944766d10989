"""The HTTP API: calibration sessions (校准) (see the package's docstring)."""

from datetime import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from lingting.core.models import User
from lingting.core.params import RowId
from lingting.core.permissions import request_user, require
from lingting.core.personal_numbers import ShownText
from lingting.engine.evaluation import ReviewResult
from lingting.interactions.models import Contact
from lingting.quality.models import (
    AgreedAnswer,
    CalibrationSession,
)
from lingting.quality.permissions import may_manage_qa, may_review
from lingting.quality.selectors.calibration import calibration_session_for, calibration_sessions_for
from lingting.quality.selectors.calibration_agreement import (
    CalibrationPage,
    ContactAnswers,
    calibration_page_for,
)
from lingting.quality.selectors.calibration_examples import (
    calibration_examples_yaml,
    examples_filename,
)
from lingting.quality.services.calibration import (
    AgreedInput,
    calibration_agree,
    calibration_session_close,
    calibration_session_create,
)

router = Router()


class CalibrationIn(Schema):
    title: str = Field(max_length=200)
    contact_ids: list[RowId]
    reviewers: list[str]  # usernames of QA analysts or supervisors, at least two


class SessionOut(Schema):
    id: int
    title: str
    status: Literal["open", "closed"]
    version: str  # the scorecard version's label
    created_by: str
    created_at: datetime
    closed_at: datetime | None
    note: ShownText
    contact_count: int
    reviewer_count: int
    submitted_count: int  # records in

    @staticmethod
    def resolve_version(session: CalibrationSession) -> str:
        return session.version.label

    @staticmethod
    def resolve_created_by(session: CalibrationSession) -> str:
        return session.created_by.username


class ReviewerProgressOut(Schema):
    reviewer: str
    scored: int
    assigned: int
    # against the consensus; null until the viewer may see the figures, or with nothing to
    # compare
    mean_abs_deviation: float | None
    mean_signed_deviation: float | None  # < 0 harsher than the consensus, > 0 more lenient
    item_disagreements: int | None
    compared_contacts: int | None


class ItemAgreementOut(Schema):
    item: str
    title: str
    percent_agreement: float | None  # share of contacts every reviewer answered alike
    alpha: float | None  # Krippendorff's alpha, nominal
    units: int  # contacts scored by two reviewers or more
    reliability: str  # reliable | tentative | unreliable | unanimous | undefined


class CalibrationContactOut(Schema):
    id: int
    external_id: str


class CellOut(Schema):
    reviewer: str
    result: str  # pass | fail | na; "" not scored yet
    points_lost: float
    note: ShownText
    differs: bool  # from the consensus


class AgreedOut(Schema):
    contact_id: RowId
    item: str
    result: str
    points_lost: float
    note: ShownText


class AnswerRowOut(Schema):
    item: str
    title: str
    consensus: str | None  # the agreed answer, else the majority; null on a tie
    agreed: AgreedOut | None
    auto: str  # the engine's result ("" for a manual item)
    rule_disagrees: bool
    cells: list[CellOut]


class ContactAnswersOut(Schema):
    contact_id: RowId
    external_id: str
    totals: dict[str, float | None]  # reviewer → total (null: not scored yet)
    consensus_total: float | None
    agreed_total: float | None
    agreed_items: int
    rows: list[AnswerRowOut]


class CalibrationSummaryOut(Schema):
    session: SessionOut
    manages: bool
    answers_visible: bool  # false for a reviewer with contacts still to score
    submitted: int
    expected: int
    own_pending: list[int]  # the viewer's assignments still to score
    contacts: list[CalibrationContactOut]
    progress: list[ReviewerProgressOut]
    items: list[ItemAgreementOut]
    total_alpha: float | None  # Krippendorff's alpha, interval, on the total scores
    total_reliability: str
    examples: int  # agreed answers on automatic items
    examples_against_rule: int
    answers: list[ContactAnswersOut]


class AgreedAnswerIn(Schema):
    result: ReviewResult
    # a fail: none means the item's full points
    points_lost: float | None = Field(default=None, ge=0, le=1000, allow_inf_nan=False)
    note: str = Field(default="", max_length=500)


class AgreeIn(Schema):
    answers: dict[str, AgreedAnswerIn]  # item id → the agreed answer


class CloseIn(Schema):
    note: str = Field(default="", max_length=5000)  # the conclusion


def _contact_answers(answers: ContactAnswers, reviewers: list[User]) -> dict[str, object]:
    return {
        "contact_id": answers.contact.pk,
        "external_id": answers.contact.external_id,
        "totals": {
            reviewer.username: total
            for reviewer, total in zip(reviewers, answers.totals, strict=True)
        },
        "consensus_total": answers.consensus_total,
        "agreed_total": answers.agreed_total,
        "agreed_items": answers.agreed_items,
        "rows": [
            {
                "item": row.item.id,
                "title": row.item.title,
                "consensus": row.consensus,
                "agreed": row.agreed,
                "auto": row.auto,
                "rule_disagrees": row.rule_disagrees,
                "cells": [
                    {
                        "reviewer": cell.reviewer.username,
                        "result": cell.result,
                        "points_lost": cell.points_lost,
                        "note": cell.note,
                        "differs": cell.differs,
                    }
                    for cell in row.cells
                ],
            }
            for row in answers.rows
        ],
    }


def _summary(page: CalibrationPage) -> dict[str, object]:
    return {
        "session": page.session,
        "manages": page.manages,
        "answers_visible": page.answers_visible,
        "submitted": page.submitted,
        "expected": page.expected,
        "own_pending": [a.pk for a in page.own_pending],
        "contacts": page.contacts,
        "progress": [
            {
                "reviewer": p.reviewer.username,
                "scored": p.scored,
                "assigned": p.assigned,
                "mean_abs_deviation": p.deviation.mean_abs_deviation if p.deviation else None,
                "mean_signed_deviation": p.deviation.mean_signed_deviation if p.deviation else None,
                "item_disagreements": p.deviation.item_disagreements if p.deviation else None,
                "compared_contacts": p.deviation.units if p.deviation else None,
            }
            for p in page.progress
        ],
        "items": [
            {
                "item": f.item.id,
                "title": f.item.title,
                "percent_agreement": f.agreement.percent_agreement if f.agreement else None,
                "alpha": f.agreement.alpha if f.agreement else None,
                "units": f.agreement.units if f.agreement else 0,
                "reliability": f.reliability.value,
            }
            for f in page.items
        ],
        "total_alpha": page.total_alpha,
        "total_reliability": page.total_reliability.value,
        "examples": page.examples,
        "examples_against_rule": page.examples_against_rule,
        "answers": [_contact_answers(a, page.reviewers) for a in page.answers],
    }


@router.get("/calibrations", response=list[SessionOut], tags=["calibration"])
def calibration_list(request: HttpRequest) -> list[CalibrationSession]:
    """The sessions the user may open: a supervisor all, a reviewer their own."""
    user = request_user(request)
    require(may_manage_qa(user) or may_review(user))
    return list(calibration_sessions_for(user))


@router.post("/calibrations", response={201: SessionOut}, tags=["calibration"])
def calibration_create(request: HttpRequest, body: CalibrationIn) -> Status[CalibrationSession]:
    """A QA supervisor opens a session: every contact goes to every reviewer's queue, to be
    scored blind through `POST /api/quality/reviews/{assignment_id}`."""
    user = request_user(request)
    require(may_manage_qa(user))
    contacts = Contact.objects.in_bulk(body.contact_ids)
    reviewers = User.objects.in_bulk(body.reviewers, field_name="username")
    problems: list[str] = []
    if missing := [str(pk) for pk in body.contact_ids if pk not in contacts]:
        problems.append(_("找不到这些联络：%s") % "、".join(missing))
    if unknown := [name for name in body.reviewers if name not in reviewers]:
        problems.append(_("找不到这些用户：%s") % "、".join(unknown))
    if problems:
        raise ValidationError(problems)
    session = calibration_session_create(
        supervisor=user,
        title=body.title,
        contacts=[contacts[pk] for pk in body.contact_ids],
        reviewers=[reviewers[name] for name in body.reviewers],
    )
    return Status(201, calibration_session_for(user=user, session_id=session.pk))


@router.get("/calibrations/{session_id}", response=CalibrationSummaryOut, tags=["calibration"])
def calibration_detail(request: HttpRequest, session_id: RowId) -> dict[str, object]:
    """Progress, per-item agreement and alpha, alpha on totals, reviewers' deviations and
    everyone's answers. A reviewer of the session sees the figures and answers only once
    they have scored all their contacts, or once the session is closed."""
    user = request_user(request)
    require(may_manage_qa(user) or may_review(user))
    return _summary(calibration_page_for(user=user, session_id=session_id))


@router.put(
    "/calibrations/{session_id}/contacts/{contact_id}/agreed",
    response=list[AgreedOut],
    tags=["calibration"],
)
def calibration_agreed(
    request: HttpRequest, session_id: RowId, contact_id: RowId, body: AgreeIn
) -> list[AgreedAnswer]:
    """Record the agreed answers of one contact, replacing those agreed before; items left
    out have none (their consensus is the reviewers' majority)."""
    user = request_user(request)
    require(may_manage_qa(user))
    session = calibration_session_for(user=user, session_id=session_id)
    contact = get_object_or_404(session.contacts.all(), pk=contact_id)
    return calibration_agree(
        supervisor=user,
        session=session,
        contact=contact,
        answers={
            item: AgreedInput(a.result, a.points_lost, a.note) for item, a in body.answers.items()
        },
    )


@router.post("/calibrations/{session_id}/close", response=SessionOut, tags=["calibration"])
def calibration_close(request: HttpRequest, session_id: RowId, body: CloseIn) -> CalibrationSession:
    """Close the session with the conclusion; contacts still unscored leave the queues."""
    user = request_user(request)
    require(may_manage_qa(user))
    session = calibration_session_for(user=user, session_id=session_id)
    calibration_session_close(supervisor=user, session=session, note=body.note)
    return calibration_session_for(user=user, session_id=session.pk)


@router.get(
    "/calibrations/{session_id}/examples",
    tags=["calibration"],
    openapi_extra={
        "responses": {
            200: {
                "description": "The scorecard with the agreed answers as examples",
                "content": {"text/yaml": {"schema": {"type": "string"}}},
            }
        }
    },
)
def calibration_examples(request: HttpRequest, session_id: RowId) -> HttpResponse:
    """The session's scorecard version with the agreed answers on automatic items added as
    examples (personal numbers masked), ready for `lingting scorecard test`."""
    user = request_user(request)
    require(may_manage_qa(user))
    session = calibration_session_for(user=user, session_id=session_id)
    response = HttpResponse(
        calibration_examples_yaml(session=session), content_type="text/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{examples_filename(session)}"'
    return response
