"""The QA workflow in the HTTP API: sampling plans and draws, the review queue and the
monitoring records, the case library and trust in the machine.

Every endpoint calls the same services and selectors as the pages, with the same role
checks; a refused request answers 403, a record the user may not see 404, and input the
service rejects 422 with its messages.
"""

from datetime import date, datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from lingting.core.models import User
from lingting.core.permissions import (
    may_manage_qa,
    may_read_qa_reports,
    may_review,
    request_user,
    require,
)
from lingting.engine.evaluation import Answer, ReviewResult
from lingting.engine.sampling import daily_sample_advice
from lingting.quality.models import Case, Evaluation, ReviewAssignment, SampleDraw, SamplingPlan
from lingting.quality.selectors.cases import CaseFilters, case_page_for, cases_for
from lingting.quality.selectors.reviews import (
    evaluation_for,
    evaluations_for,
    review_page_for,
)
from lingting.quality.selectors.sampling import TargetCriteria, pending_assignments_for
from lingting.quality.selectors.trust import trust_report
from lingting.quality.services.cases import CaseInput, case_save
from lingting.quality.services.reviews import FindingInput, RecordInput, evaluation_submit
from lingting.quality.services.sampling import PlanSpec, sample_draw, sampling_plan_save

router = Router(tags=["quality"])


# --- sampling ---------------------------------------------------------------------------


class TargetsIO(Schema):
    new_agents_days: int | None = None
    tags: list[str] = Field(default_factory=list)
    max_auto_score: float | None = None
    fatal_only: bool = False
    complaints: bool = False
    min_duration_s: int | None = None
    repeat_within_days: int | None = None
    saved_filter: str = ""


class PlanIn(Schema):
    name: str
    method: str  # random | stratified
    sample_size: int
    reviewers: dict[str, int]  # username → quota weight
    stratify_by: str = ""  # queue | team | agent
    allocation: str = ""  # proportional | equal
    min_per_agent_month: int = 0
    lookback_days: int = 1
    schedule: str = "on_demand"  # daily | on_demand
    targets: TargetsIO = Field(default_factory=TargetsIO)
    description: str = ""
    is_active: bool = True


class PlanOut(Schema):
    id: int
    name: str
    method: str
    stratify_by: str
    allocation: str
    sample_size: int
    min_per_agent_month: int
    lookback_days: int
    schedule: str
    is_active: bool
    targets: dict[str, object]
    reviewers: dict[str, int]

    @staticmethod
    def resolve_reviewers(plan: SamplingPlan) -> dict[str, int]:
        return {q.reviewer.username: q.quota for q in plan.quotas.select_related("reviewer")}


class DrawOut(Schema):
    id: int
    plan_id: int
    day: date
    seed: int
    window_start: datetime
    window_end: datetime
    candidates: int
    drawn: int
    per_reviewer: dict[str, int]

    @staticmethod
    def resolve_per_reviewer(draw: SampleDraw) -> dict[str, int]:
        counts: dict[str, int] = {}
        for username in draw.assignments.values_list("reviewer__username", flat=True):
            counts[username] = counts.get(username, 0) + 1
        return counts


class DrawIn(Schema):
    day: date | None = None
    seed: int | None = None  # repeat an earlier draw over the same candidates


@router.get("/plans", response=list[PlanOut])
def plan_list(request: HttpRequest) -> list[SamplingPlan]:
    require(may_manage_qa(request_user(request)))
    return list(SamplingPlan.objects.all())


@router.post("/plans", response={201: PlanOut})
def plan_create(request: HttpRequest, body: PlanIn) -> tuple[int, SamplingPlan]:
    user = request_user(request)
    require(may_manage_qa(user))
    reviewers = {
        get_object_or_404(User, username=username): quota
        for username, quota in body.reviewers.items()
    }
    spec = PlanSpec(
        name=body.name,
        method=body.method,
        sample_size=body.sample_size,
        reviewers=reviewers,
        stratify_by=body.stratify_by,
        allocation=body.allocation,
        min_per_agent_month=body.min_per_agent_month,
        lookback_days=body.lookback_days,
        schedule=body.schedule,
        targets=TargetCriteria.from_json(body.targets.model_dump()),
        description=body.description,
        is_active=body.is_active,
    )
    return 201, sampling_plan_save(actor=user, spec=spec)


@router.get("/plans/{plan_id}", response=PlanOut)
def plan_detail(request: HttpRequest, plan_id: int) -> SamplingPlan:
    require(may_manage_qa(request_user(request)))
    return get_object_or_404(SamplingPlan, pk=plan_id)


@router.post("/plans/{plan_id}/draws", response={201: DrawOut})
def plan_draw(request: HttpRequest, plan_id: int, body: DrawIn) -> tuple[int, SampleDraw]:
    user = request_user(request)
    require(may_manage_qa(user))
    plan = get_object_or_404(SamplingPlan, pk=plan_id)
    return 201, sample_draw(plan=plan, actor=user, day=body.day, seed=body.seed)


class SampleSizeQuery(Schema):
    avg_daily_volume: float
    avg_handle_s: float
    reviewers: int
    effective_hours: float
    margin: float = 0.05
    confidence: float = 0.95
    expected_rate: float = 0.5
    overhead_s: float = 120.0


class SampleSizeOut(Schema):
    avg_daily_volume: float
    capacity: int
    share_reviewable: float
    needed_for_margin: int
    margin_at_capacity: float | None
    recommended_daily_sample: int
    reviewers_needed: int | None


@router.get("/sample-size", response=SampleSizeOut)
def sample_size(request: HttpRequest, query: Query[SampleSizeQuery]) -> object:
    try:
        return daily_sample_advice(**query.model_dump())
    except ValueError as error:
        from django.core.exceptions import ValidationError

        raise ValidationError(str(error)) from None


# --- reviews ----------------------------------------------------------------------------


class AssignmentOut(Schema):
    id: int
    contact_id: int
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
    points_lost: float | None = None
    reason: str = ""
    note: str = ""


class FindingIn(Schema):
    note: str
    scope: str  # common | individual
    item: str = ""
    turn: int | None = None
    start_char: int | None = None
    end_char: int | None = None


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
    reason: str
    note: str


class FindingOut(Schema):
    item: str
    turn: int | None
    start_char: int | None
    end_char: int | None
    quote: str
    note: str
    scope: str


class EvaluationOut(Schema):
    id: int
    contact_id: int
    reviewer: str
    kind: str
    score: float
    passed: bool
    fatal: bool
    severity_a: int
    severity_b: int
    severity_c: int
    summary: str
    coaching_proposed: bool
    coaching_note: str
    training_need: str
    submitted_at: datetime
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
def review_detail(request: HttpRequest, assignment_id: int) -> dict[str, object]:
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
def review_submit(
    request: HttpRequest, assignment_id: int, body: RecordIn
) -> tuple[int, Evaluation]:
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
    return 201, evaluation_submit(reviewer=user, assignment=page.assignment, record=record)


@router.get("/evaluations", response=list[EvaluationOut])
def evaluation_list(
    request: HttpRequest, contact_id: int | None = None, limit: int = 100
) -> list[Evaluation]:
    evaluations = evaluations_for(request_user(request)).prefetch_related("items", "findings")
    if contact_id is not None:
        evaluations = evaluations.filter(contact_id=contact_id)
    return list(evaluations[: max(1, min(limit, 500))])


@router.get("/evaluations/{evaluation_id}", response=EvaluationOut)
def evaluation_detail(request: HttpRequest, evaluation_id: int) -> Evaluation:
    return evaluation_for(user=request_user(request), evaluation_id=evaluation_id)


# --- case library -----------------------------------------------------------------------


class CaseIn(Schema):
    contact_id: int
    kind: str  # excellent | poor
    title: str
    note: str = ""
    tags: list[str] = Field(default_factory=list)
    shared: bool = False


class CaseOut(Schema):
    id: int
    contact_id: int
    kind: str
    title: str
    note: str
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
def case_create(request: HttpRequest, body: CaseIn) -> tuple[int, Case]:
    from lingting.interactions.selectors import contact_detail_for

    user = request_user(request)
    contact = contact_detail_for(user=user, contact_id=body.contact_id)
    case_input = CaseInput(
        kind=body.kind, title=body.title, note=body.note, tags=body.tags, shared=body.shared
    )
    return 201, case_save(actor=user, case_input=case_input, contact=contact)


@router.get("/cases/{case_id}", response=CaseDetailOut)
def case_detail(request: HttpRequest, case_id: int) -> CaseDetailOut:
    page = case_page_for(user=request_user(request), case_id=case_id)
    return CaseDetailOut(
        **CaseOut.from_orm(page.case).model_dump(),
        turns=[
            {"speaker": t.speaker, "text": "".join(s.text for s in t.segments)}
            for t in page.detail.turns
        ],
    )


# --- trust in the machine ---------------------------------------------------------------


class ItemTrustOut(Schema):
    item: str
    title: str
    month: date | None
    reviewed: int
    hits: int
    confirmed: int
    false_hits: int
    misses: int
    precision: float | None
    overturn_rate: float | None
    flagged: bool


class TrustOut(Schema):
    items: list[ItemTrustOut]
    months: list[ItemTrustOut]


@router.get("/trust", response=TrustOut)
def trust(
    request: HttpRequest, date_from: date | None = None, date_to: date | None = None
) -> object:
    require(may_read_qa_reports(request_user(request)))
    return trust_report(date_from=date_from, date_to=date_to)
