"""The HTTP API: the review queue and the monitoring records (see the package's docstring)."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from lingting.core.params import PageLimit, RowId
from lingting.core.permissions import request_user, require
from lingting.core.personal_numbers import ShownText
from lingting.engine.evaluation import Answer, ReviewResult
from lingting.quality.models import (
    Evaluation,
    Finding,
    ReviewAssignment,
)
from lingting.quality.permissions import may_review
from lingting.quality.selectors.quotes import quote_shown_to
from lingting.quality.selectors.reviews import (
    evaluation_for,
    evaluations_for,
    review_page_for,
)
from lingting.quality.selectors.sampling import pending_assignments_for
from lingting.quality.services.reviews import (
    FindingInput,
    RecordInput,
    evaluation_acknowledge,
    evaluation_submit,
)

router = Router()


class AssignmentOut(Schema):
    id: int
    contact_id: RowId
    external_id: str
    kind: str
    status: str
    assigned_at: datetime

    @staticmethod
    def resolve_external_id(assignment: ReviewAssignment) -> str:
        return assignment.contact.external_id


class ReviewItemOut(Schema):
    item: str
    title: str
    section: str
    points: float
    severity: str
    fatal: bool
    manual: bool
    auto_result: str


class ReviewOut(Schema):
    assignment: AssignmentOut
    items: list[ReviewItemOut]


class AnswerIn(Schema):
    result: ReviewResult
    points_lost: float | None = Field(default=None, ge=0, le=1000, allow_inf_nan=False)
    reason: str = ""
    note: str = ""


class FindingIn(Schema):
    note: str
    scope: str  # common | individual
    item: str = ""
    turn: int | None = Field(default=None, ge=0, le=100_000)
    start_char: int | None = Field(default=None, ge=0, le=10_000_000)
    end_char: int | None = Field(default=None, ge=0, le=10_000_000)


class RecordIn(Schema):
    answers: dict[str, AnswerIn]
    findings: list[FindingIn] = Field(default_factory=list)
    summary: str = ""
    coaching_proposed: bool = False
    coaching_note: str = ""
    training_need: str = ""


class ReviewedItemOut(Schema):
    item: str
    title: str
    severity: str
    result: str
    points_lost: float
    auto_result: str
    overturned: bool
    reason: ShownText
    note: ShownText


class FindingOut(Schema):
    item: str
    turn: int | None
    start_char: int | None
    end_char: int | None
    quote: str
    note: ShownText
    scope: str

    @staticmethod
    def resolve_quote(finding: Finding, context: dict[str, object]) -> str:
        return quote_shown_to(finding, getattr(context.get("request"), "user", None))


class EvaluationOut(Schema):
    id: int
    contact_id: RowId
    reviewer: str
    kind: str
    score: float
    passed: bool
    fatal: bool
    severity_a: int
    severity_b: int
    severity_c: int
    summary: ShownText
    coaching_proposed: bool
    coaching_note: ShownText
    training_need: ShownText
    submitted_at: datetime
    acknowledged_at: datetime | None  # when the agent signed for it (签收)
    items: list[ReviewedItemOut]
    findings: list[FindingOut]

    @staticmethod
    def resolve_reviewer(evaluation: Evaluation) -> str:
        return evaluation.reviewer.username

    @staticmethod
    def resolve_items(evaluation: Evaluation) -> list[object]:
        return list(evaluation.items.all())

    @staticmethod
    def resolve_findings(evaluation: Evaluation) -> list[object]:
        return list(evaluation.findings.all())


@router.get("/reviews", response=list[AssignmentOut])
def review_queue(request: HttpRequest) -> list[ReviewAssignment]:
    user = request_user(request)
    require(may_review(user))
    return list(pending_assignments_for(user.pk))


@router.get("/reviews/{assignment_id}", response=ReviewOut)
def review_detail(request: HttpRequest, assignment_id: RowId) -> dict[str, object]:
    page = review_page_for(user=request_user(request), assignment_id=assignment_id)
    return dict(
        assignment=page.assignment,
        items=[
            ReviewItemOut(
                item=item.id,
                title=item.title,
                section=item.section,
                points=item.points,
                severity=item.severity,
                fatal=item.fatal,
                manual=item.check is None,
                auto_result=page.auto_results.get(item.id, ""),
            )
            for item in page.items
        ],
    )


@router.post("/reviews/{assignment_id}", response={201: EvaluationOut})
def review_submit(request: HttpRequest, assignment_id: RowId, body: RecordIn) -> Status[Evaluation]:
    user = request_user(request)
    page = review_page_for(user=user, assignment_id=assignment_id)
    record = RecordInput(
        answers={
            item: Answer(a.result, points_lost=a.points_lost, reason=a.reason, note=a.note)
            for item, a in body.answers.items()
        },
        findings=[FindingInput(**finding.model_dump()) for finding in body.findings],
        summary=body.summary,
        coaching_proposed=body.coaching_proposed,
        coaching_note=body.coaching_note,
        training_need=body.training_need,
    )
    return Status(201, evaluation_submit(reviewer=user, assignment=page.assignment, record=record))


@router.get("/evaluations", response=list[EvaluationOut])
def evaluation_list(
    request: HttpRequest,
    contact_id: RowId | None = None,
    limit: PageLimit = 100,
) -> list[Evaluation]:
    evaluations = evaluations_for(request_user(request)).prefetch_related("items", "findings")
    if contact_id is not None:
        evaluations = evaluations.filter(contact_id=contact_id)
    return list(evaluations[: max(1, min(limit, 500))])


@router.get("/evaluations/{evaluation_id}", response=EvaluationOut)
def evaluation_detail(request: HttpRequest, evaluation_id: RowId) -> Evaluation:
    return evaluation_for(user=request_user(request), evaluation_id=evaluation_id)


@router.post("/evaluations/{evaluation_id}/acknowledge", response=EvaluationOut)
def evaluation_acknowledge_create(request: HttpRequest, evaluation_id: RowId) -> Evaluation:
    """The record's agent signs for it (签收: they have read it); again changes nothing."""
    user = request_user(request)
    evaluation = evaluation_for(user=user, evaluation_id=evaluation_id)
    evaluation_acknowledge(agent_user=user, evaluation=evaluation)
    return evaluation_for(user=user, evaluation_id=evaluation_id)
