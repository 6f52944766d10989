"""The HTTP API: disputes (申诉) of monitoring records (see the package's docstring)."""

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from lingting.core.params import ApiDate, RowId
from lingting.core.permissions import request_user, require
from lingting.core.personal_numbers import ShownText
from lingting.quality.models import (
    Dispute,
    ReviewedItem,
)
from lingting.quality.permissions import may_manage_qa, may_read_qa_reports, may_see_disputes
from lingting.quality.selectors.disputes import (
    ReviewerDisputes,
    dispute_for,
    dispute_report,
    disputed_item,
    disputes_for,
    open_disputes_for,
    record_disputes,
)
from lingting.quality.selectors.reviews import (
    evaluation_for,
)
from lingting.quality.services.disputes import dispute_decide, dispute_raise

router = Router()

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
