"""The QA workflow in the HTTP API: sampling plans and draws, the review queue and the
monitoring records, disputes, calibration sessions, the case library and trust in the
machine.

Every endpoint calls the same services and selectors as the pages, with the same role
checks; a refused request answers 403, a record the user may not see 404, and input the
service rejects 422 with its messages.
"""

from datetime import date, datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from lingting.core.models import User
from lingting.core.params import ApiDate, PageLimit, RowId, Seed
from lingting.core.permissions import (
    may_manage_qa,
    may_read_qa_reports,
    may_review,
    may_see_disputes,
    request_user,
    require,
)
from lingting.core.personal_numbers import MaskedText, ShownText
from lingting.engine.evaluation import Answer, ReviewResult
from lingting.engine.sampling import daily_sample_advice
from lingting.interactions.models import Contact
from lingting.quality.models import (
    AgreedAnswer,
    CalibrationSession,
    Case,
    Dispute,
    Evaluation,
    Finding,
    ReviewAssignment,
    ReviewedItem,
    SampleDraw,
    SamplingPlan,
)
from lingting.quality.models.cases import CaseKind
from lingting.quality.models.sampling import Allocation, SamplingMethod, Schedule, StratifyBy
from lingting.quality.selectors.calibration import (
    CalibrationPage,
    ContactAnswers,
    calibration_examples_yaml,
    calibration_page_for,
    calibration_session_for,
    calibration_sessions_for,
    examples_filename,
)
from lingting.quality.selectors.cases import CaseFilters, case_page_for, cases_for
from lingting.quality.selectors.disputes import (
    ReviewerDisputes,
    dispute_for,
    dispute_report,
    disputed_item,
    disputes_for,
    open_disputes_for,
    record_disputes,
)
from lingting.quality.selectors.quotes import quote_shown_to
from lingting.quality.selectors.reviews import (
    evaluation_for,
    evaluations_for,
    review_page_for,
)
from lingting.quality.selectors.sampling import TargetCriteria, pending_assignments_for
from lingting.quality.selectors.trust import trust_report
from lingting.quality.services.calibration import (
    AgreedInput,
    calibration_agree,
    calibration_session_close,
    calibration_session_create,
)
from lingting.quality.services.cases import CaseInput, case_save
from lingting.quality.services.disputes import dispute_decide, dispute_raise
from lingting.quality.services.reviews import (
    FindingInput,
    RecordInput,
    evaluation_acknowledge,
    evaluation_submit,
)
from lingting.quality.services.sampling import PlanSpec, sample_draw, sampling_plan_save

router = Router(tags=["quality"])


# --- sampling ---------------------------------------------------------------------------


class TargetsIO(Schema):
    new_agents_days: int | None = Field(default=None, ge=0, le=3650)
    tags: list[str] = Field(default_factory=list)
    max_auto_score: float | None = Field(default=None, ge=0, le=100, allow_inf_nan=False)
    fatal_only: bool = False
    complaints: bool = False
    max_satisfaction: int | None = Field(default=None, ge=1, le=5)
    min_duration_s: int | None = Field(default=None, ge=0, le=86400)
    repeat_within_days: int | None = Field(default=None, ge=0, le=3650)
    saved_filter: str = ""


class PlanIn(Schema):
    name: str = Field(min_length=1, max_length=100, pattern=r"^[^\x00]*$")
    method: SamplingMethod
    sample_size: int = Field(ge=1, le=100_000)
    # username → quota weight
    reviewers: dict[str, Annotated[int, Field(ge=0, le=1000)]]
    stratify_by: StratifyBy | Literal[""] = ""
    allocation: Allocation | Literal[""] = ""
    min_per_agent_month: int = Field(default=0, ge=0, le=1000)
    lookback_days: int = Field(default=1, ge=1, le=366)
    schedule: Schedule = Schedule.ON_DEMAND
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
    plan_id: RowId
    day: date
    seed: int
    window_start: datetime
    window_end: datetime
    candidates: int
    drawn: int
    why_empty: str  # for a draw that found nothing: which condition of the plan emptied it
    per_reviewer: dict[str, int]

    @staticmethod
    def resolve_per_reviewer(draw: SampleDraw) -> dict[str, int]:
        counts: dict[str, int] = {}
        for username in draw.assignments.values_list("reviewer__username", flat=True):
            counts[username] = counts.get(username, 0) + 1
        return counts


class DrawIn(Schema):
    day: ApiDate | None = None
    seed: Seed | None = None  # repeat an earlier draw over the same candidates


@router.get("/plans", response=list[PlanOut])
def plan_list(request: HttpRequest) -> list[SamplingPlan]:
    require(may_manage_qa(request_user(request)))
    return list(SamplingPlan.objects.all())


@router.post("/plans", response={201: PlanOut})
def plan_create(request: HttpRequest, body: PlanIn) -> Status[SamplingPlan]:
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
    return Status(201, sampling_plan_save(actor=user, spec=spec))


@router.get("/plans/{plan_id}", response=PlanOut)
def plan_detail(request: HttpRequest, plan_id: RowId) -> SamplingPlan:
    require(may_manage_qa(request_user(request)))
    return get_object_or_404(SamplingPlan, pk=plan_id)


@router.post("/plans/{plan_id}/draws", response={201: DrawOut})
def plan_draw(request: HttpRequest, plan_id: RowId, body: DrawIn) -> Status[SampleDraw]:
    user = request_user(request)
    require(may_manage_qa(user))
    plan = get_object_or_404(SamplingPlan, pk=plan_id)
    return Status(201, sample_draw(plan=plan, actor=user, day=body.day, seed=body.seed))


class SampleSizeQuery(Schema):
    avg_daily_volume: float = Field(gt=0, le=10_000_000, allow_inf_nan=False)
    avg_handle_s: float = Field(gt=0, le=86_400, allow_inf_nan=False)
    reviewers: int = Field(ge=1, le=10_000)
    effective_hours: float = Field(gt=0, le=24, allow_inf_nan=False)
    margin: float = Field(default=0.05, gt=0, lt=1, allow_inf_nan=False)
    confidence: float = Field(default=0.95, gt=0, lt=1, allow_inf_nan=False)
    expected_rate: float = Field(default=0.5, gt=0, lt=1, allow_inf_nan=False)
    overhead_s: float = Field(default=120.0, ge=0, le=86_400, allow_inf_nan=False)


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
        raise ValidationError(str(error)) from None


# --- reviews ----------------------------------------------------------------------------


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


# --- disputes (申诉) ---------------------------------------------------------------------

DisputeStatusName = Literal["open", "upheld", "overturned"]
DISPUTE_LIST_LENGTH = 200  # as many as the disputes page lists


class DisputeIn(Schema):
    item: str  # the item id on the record, e.g. "forbidden_phrases"
    reason: str


class DecisionIn(Schema):
    overturn: bool  # true: the item passes and the record is scored again; false: upheld
    note: str = Field(max_length=2000)


class DisputeOut(Schema):
    id: int
    evaluation_id: RowId
    contact_id: RowId
    external_id: str
    agent: str | None  # the agent's code
    reviewer: str  # who scored the record
    item: str
    item_title: str
    reason: ShownText
    raised_by: str
    raised_at: datetime
    status: DisputeStatusName
    decided_by: str | None
    decided_at: datetime | None
    decision_note: ShownText
    score_before: float | None
    score_after: float | None
    record_score: float  # the record's score now

    @staticmethod
    def resolve_contact_id(dispute: Dispute) -> int:
        return dispute.evaluation.contact_id

    @staticmethod
    def resolve_external_id(dispute: Dispute) -> str:
        return dispute.evaluation.contact.external_id

    @staticmethod
    def resolve_agent(dispute: Dispute) -> str | None:
        agent = dispute.evaluation.contact.agent
        return agent.code if agent else None

    @staticmethod
    def resolve_reviewer(dispute: Dispute) -> str:
        return dispute.evaluation.reviewer.username

    @staticmethod
    def resolve_item_title(dispute: Dispute) -> str:
        return getattr(dispute, "item_title", None) or dispute.item

    @staticmethod
    def resolve_raised_by(dispute: Dispute) -> str:
        return dispute.raised_by.username

    @staticmethod
    def resolve_decided_by(dispute: Dispute) -> str | None:
        return dispute.decided_by.username if dispute.decided_by else None

    @staticmethod
    def resolve_record_score(dispute: Dispute) -> float:
        return dispute.evaluation.score


class DisputedItemOut(Schema):
    """The disputed item on the record as it stands now."""

    result: str
    points_lost: float
    overturned: bool
    reason: ShownText
    note: ShownText


class DisputeDetailOut(DisputeOut):
    current: DisputedItemOut

    @staticmethod
    def resolve_current(dispute: Dispute) -> ReviewedItem:
        return disputed_item(dispute)


class RecordDisputesOut(Schema):
    deadline: datetime | None  # until when the viewer may dispute (only for the record's agent)
    raisable: list[str]  # the items the viewer may dispute now
    disputes: list[DisputeOut]


class ReviewerDisputesOut(Schema):
    reviewer: str
    records: int
    disputes: int
    overturned: int
    dispute_rate: float | None
    overturn_rate: float | None

    @staticmethod
    def resolve_reviewer(row: ReviewerDisputes) -> str:
        return row.reviewer.username


class ItemDisputesOut(Schema):
    item: str
    title: str
    disputes: int
    overturned: int
    upheld: int
    open: int
    overturn_share: float | None


class DisputeReportOut(Schema):
    date_from: date | None
    date_to: date | None
    reviewers: list[ReviewerDisputesOut]  # most overturned first
    items: list[ItemDisputesOut]  # most disputed first


@router.get("/evaluations/{evaluation_id}/disputes", response=RecordDisputesOut, tags=["disputes"])
def record_dispute_list(request: HttpRequest, evaluation_id: RowId) -> dict[str, object]:
    """The disputes of one record, and the items the viewer (its agent) may still dispute."""
    user = request_user(request)
    evaluation = evaluation_for(user=user, evaluation_id=evaluation_id)
    state = record_disputes(user=user, evaluation=evaluation)
    return {
        "deadline": state.deadline,
        "raisable": sorted(state.raisable),
        "disputes": list(disputes_for(user).filter(evaluation=evaluation)),
    }


@router.post("/evaluations/{evaluation_id}/disputes", response={201: DisputeOut}, tags=["disputes"])
def dispute_create(request: HttpRequest, evaluation_id: RowId, body: DisputeIn) -> Status[Dispute]:
    """The record's agent disputes one item that cost points (once per item, in time)."""
    user = request_user(request)
    evaluation = evaluation_for(user=user, evaluation_id=evaluation_id)
    dispute = dispute_raise(
        agent_user=user, evaluation=evaluation, item=body.item, reason=body.reason
    )
    return Status(201, dispute_for(user=user, dispute_id=dispute.pk))


@router.get("/disputes", response=list[DisputeOut], tags=["disputes"])
def dispute_list(request: HttpRequest, status: DisputeStatusName | None = None) -> list[Dispute]:
    """The disputes the user may read, newest first; the open ones oldest first (the
    supervisor's queue)."""
    user = request_user(request)
    require(may_see_disputes(user))
    if status == "open":
        return list(open_disputes_for(user))
    disputes = disputes_for(user)
    if status is not None:
        disputes = disputes.filter(status=status)
    return list(disputes[:DISPUTE_LIST_LENGTH])


@router.get("/disputes/report", response=DisputeReportOut, tags=["disputes"])
def dispute_report_read(
    request: HttpRequest, date_from: ApiDate | None = None, date_to: ApiDate | None = None
) -> dict[str, object]:
    """Disputes of the sample records submitted between the dates, per reviewer and item."""
    require(may_read_qa_reports(request_user(request)))
    report = dispute_report(date_from=date_from, date_to=date_to)
    return {
        "date_from": date_from,
        "date_to": date_to,
        "reviewers": report.reviewers,
        "items": report.items,
    }


@router.get("/disputes/{dispute_id}", response=DisputeDetailOut, tags=["disputes"])
def dispute_detail(request: HttpRequest, dispute_id: RowId) -> Dispute:
    return dispute_for(user=request_user(request), dispute_id=dispute_id)


@router.post("/disputes/{dispute_id}/decision", response=DisputeDetailOut, tags=["disputes"])
def dispute_decision(request: HttpRequest, dispute_id: RowId, body: DecisionIn) -> Dispute:
    """A QA supervisor upholds the record or overturns the item, with the reason."""
    user = request_user(request)
    dispute = dispute_for(user=user, dispute_id=dispute_id)
    require(may_manage_qa(user))
    dispute_decide(supervisor=user, dispute=dispute, overturn=body.overturn, note=body.note)
    return dispute_for(user=user, dispute_id=dispute_id)


# --- calibration (校准) ------------------------------------------------------------------


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


# --- case library -----------------------------------------------------------------------


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
    from lingting.interactions.selectors import contact_detail_for

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
    request: HttpRequest, date_from: ApiDate | None = None, date_to: ApiDate | None = None
) -> object:
    require(may_read_qa_reports(request_user(request)))
    return trust_report(date_from=date_from, date_to=date_to)
