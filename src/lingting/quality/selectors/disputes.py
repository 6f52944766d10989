"""Reading disputes: who sees which, the supervisors' queue, what a record page shows of
them, and the report of disputes per reviewer and per item.

An agent sees the disputes of their own records, a team leader those of their teams'
agents, and the roles that read every record (QA, trainers, operations, admins) all of
them — the same rule as the records themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from lingting.core.models import User
from lingting.core.permissions import contact_scope
from lingting.quality.models import (
    AssignmentKind,
    Dispute,
    DisputeStatus,
    Evaluation,
    ReviewedItem,
)
from lingting.quality.permissions import may_see_disputes


def dispute_deadline(evaluation: Evaluation) -> datetime:
    """The moment after which `evaluation` can no longer be disputed."""
    return evaluation.submitted_at + timedelta(days=settings.LINGTING_DISPUTE_DAYS)


def disputable(evaluation: Evaluation, row: ReviewedItem) -> bool:
    """Whether the item `row` of `evaluation` is one its agent could dispute now
    (leaving aside whether it has been disputed already)."""
    return (
        evaluation.kind == AssignmentKind.SAMPLE
        and row.points_lost > 0
        and timezone.now() <= dispute_deadline(evaluation)
    )


def disputes_for(user: User) -> QuerySet[Dispute]:
    """The disputes `user` may read, newest first, each with its item's `item_title`."""
    if not may_see_disputes(user):
        return Dispute.objects.none()
    title = ReviewedItem.objects.filter(
        evaluation_id=OuterRef("evaluation_id"), item=OuterRef("item")
    ).values("title")[:1]
    return (
        Dispute.objects.filter(contact_scope(user, via="evaluation__contact"))
        .select_related(
            "evaluation__contact__agent", "evaluation__reviewer", "raised_by", "decided_by"
        )
        .annotate(item_title=Subquery(title))
        .order_by("-raised_at", "-id")
        .fetch_mode(models.FETCH_PEERS)
    )


def open_disputes_for(user: User) -> QuerySet[Dispute]:
    """The disputes waiting for a decision, oldest first (the supervisor's queue)."""
    return disputes_for(user).filter(status=DisputeStatus.OPEN).order_by("raised_at", "id")


def dispute_for(*, user: User, dispute_id: int) -> Dispute:
    dispute = disputes_for(user).filter(pk=dispute_id).first()
    if dispute is None:
        raise Http404("no such dispute")
    return dispute


def disputed_item(dispute: Dispute) -> ReviewedItem:
    """The record's row for the disputed item, as it stands now."""
    return ReviewedItem.objects.get(evaluation_id=dispute.evaluation_id, item=dispute.item)


@dataclass(frozen=True, slots=True)
class RecordDisputes:
    """What a monitoring record's page shows of disputes to one user."""

    by_item: dict[str, Dispute]  # item id → its dispute
    raisable: frozenset[str]  # items this user may dispute now
    deadline: datetime | None  # until when, when this user is the record's agent


def record_disputes(*, user: User, evaluation: Evaluation) -> RecordDisputes:
    """The disputes of `evaluation` and the items `user` may still dispute (none unless
    `user` is the agent of the record's contact)."""
    by_item = {d.item: d for d in evaluation.disputes.all()}
    agent = evaluation.contact.agent
    if agent is None or agent.user_id != user.pk or evaluation.kind != AssignmentKind.SAMPLE:
        return RecordDisputes(by_item=by_item, raisable=frozenset(), deadline=None)
    raisable = frozenset(
        row.item
        for row in evaluation.items.all()
        if row.item not in by_item and disputable(evaluation, row)
    )
    return RecordDisputes(by_item=by_item, raisable=raisable, deadline=dispute_deadline(evaluation))


@dataclass(frozen=True, slots=True)
class ReviewerDisputes:
    reviewer: User
    records: int  # sample records submitted in the period
    disputes: int  # of those records' items, how many were disputed
    overturned: int  # and overturned

    @property
    def dispute_rate(self) -> float | None:
        return self.disputes / self.records if self.records else None

    @property
    def overturn_rate(self) -> float | None:
        """The share of the reviewer's records changed on dispute: how often their
        judgement did not hold."""
        return self.overturned / self.records if self.records else None


@dataclass(frozen=True, slots=True)
class ItemDisputes:
    item: str
    title: str
    disputes: int
    overturned: int
    upheld: int

    @property
    def open(self) -> int:
        return self.disputes - self.overturned - self.upheld

    @property
    def overturn_share(self) -> float | None:
        """Of the decided disputes of this item, the share the agent won."""
        decided = self.overturned + self.upheld
        return self.overturned / decided if decided else None


@dataclass(frozen=True, slots=True)
class DisputeReport:
    reviewers: list[ReviewerDisputes]  # most overturned first
    items: list[ItemDisputes]  # most disputed first


def dispute_report(*, date_from: date | None = None, date_to: date | None = None) -> DisputeReport:
    """Disputes of the sample records submitted between the dates (local days, both
    included; None: no bound), per reviewer and per item, whenever they were raised."""
    records = Evaluation.objects.filter(kind=AssignmentKind.SAMPLE)
    if date_from:
        records = records.filter(submitted_at__date__gte=date_from)
    if date_to:
        records = records.filter(submitted_at__date__lte=date_to)
    overturned = Q(disputes__status=DisputeStatus.OVERTURNED)
    per_reviewer = list(
        records.values("reviewer_id")
        .annotate(
            n_records=Count("id", distinct=True),
            n_disputes=Count("disputes", distinct=True),
            n_overturned=Count("disputes", filter=overturned, distinct=True),
        )
        .order_by()
    )
    reviewers = User.objects.in_bulk([row["reviewer_id"] for row in per_reviewer])
    reviewer_rows = [
        ReviewerDisputes(
            reviewer=reviewers[row["reviewer_id"]],
            records=row["n_records"],
            disputes=row["n_disputes"],
            overturned=row["n_overturned"],
        )
        for row in per_reviewer
    ]
    reviewer_rows.sort(key=lambda r: (-r.overturned, -r.disputes, r.reviewer.username))

    per_item = list(
        Dispute.objects.filter(evaluation__in=records)
        .values("item")
        .annotate(
            disputes=Count("id"),
            overturned=Count("id", filter=Q(status=DisputeStatus.OVERTURNED)),
            upheld=Count("id", filter=Q(status=DisputeStatus.UPHELD)),
        )
        .order_by()
    )
    titles = dict(
        ReviewedItem.objects.filter(
            evaluation__in=records, item__in=[row["item"] for row in per_item]
        )
        .values_list("item", "title")
        .distinct()
    )
    item_rows = [
        ItemDisputes(
            item=row["item"],
            title=titles.get(row["item"], row["item"]),
            disputes=row["disputes"],
            overturned=row["overturned"],
            upheld=row["upheld"],
        )
        for row in per_item
    ]
    item_rows.sort(key=lambda r: (-r.disputes, -r.overturned, r.item))
    return DisputeReport(reviewers=reviewer_rows, items=item_rows)
