"""What a sampling plan may draw from: its window, its targeted criteria, its strata.

Seed 002 §六: sampling is not aimless — "应该根据现场情况比如新产品投放,新员工加入,新业务开展
等新情况作出有所侧重的分析" and "借用数据组,售后,物流等报表进行倒查分析". A plan's targets narrow
the candidates (every criterion given must hold); the draw itself is the engine's.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lingting.engine.sampling import Candidate
from lingting.interactions.models import Contact
from lingting.interactions.selectors import ContactFilters, contacts_matching
from lingting.quality.models import (
    AssignmentKind,
    AssignmentStatus,
    ReviewAssignment,
    SampleDraw,
    SamplingPlan,
    StratifyBy,
)

COMPLAINT_TAGS = ("投诉", "complaint")
_STRATUM_FIELDS = {
    StratifyBy.QUEUE: "queue__code",
    StratifyBy.TEAM: "agent__team__code",
    StratifyBy.AGENT: "agent__code",
}


@dataclass(frozen=True, slots=True)
class TargetCriteria:
    """A plan's targeted sampling (定向抽检); stored as `SamplingPlan.targets`."""

    new_agents_days: int | None = None  # agents hired within this many days of the draw
    tags: tuple[str, ...] = ()  # contacts tagged with any of these (a new product, business)
    max_auto_score: float | None = None  # automatic score below this
    fatal_only: bool = False  # a fatal automatic hit
    complaints: bool = False  # tagged 投诉
    max_satisfaction: int | None = None  # the customer rated the contact this or lower
    min_duration_s: int | None = None  # long calls
    repeat_within_days: int | None = None  # the customer contacted us before, within N days
    saved_filter: str = ""  # a contact-list query string: a reverse check (倒查)

    @classmethod
    def from_json(cls, data: Any) -> TargetCriteria:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in (data or {}).items() if k in known}
        if "tags" in values:
            values["tags"] = tuple(values["tags"])
        return cls(**values)

    def to_json(self) -> dict[str, Any]:
        default = TargetCriteria()
        return {
            name: list(value) if isinstance(value, tuple) else value
            for name, value in asdict(self).items()
            if value != getattr(default, name)
        }

    def describe(self) -> list[str]:
        """Each criterion as a sentence for the plan's page."""
        said: list[tuple[Promise, object]] = [
            (_("入职 {} 天内的新员工"), self.new_agents_days),
            (_("标签：{}"), "、".join(self.tags)),
            (_("自动质检低于 {} 分"), self.max_auto_score),
            (_("有致命项"), self.fatal_only or None),
            (_("投诉"), self.complaints or None),
            (_("客户满意度不高于 {}"), self.max_satisfaction),
            (_("通话不短于 {} 秒"), self.min_duration_s),
            (_("客户 {} 天内重复来电"), self.repeat_within_days),
            (_("倒查：{}"), self.saved_filter),
        ]
        return [str(text).format(value) for text, value in said if value]


def sampling_window(plan: SamplingPlan, day: date) -> tuple[datetime, datetime]:
    """Contacts started in the `lookback_days` before `day` (local midnights)."""
    end = timezone.make_aware(datetime.combine(day, time.min))
    return end - timedelta(days=plan.lookback_days), end


def sampling_candidates(
    *, plan: SamplingPlan, window: tuple[datetime, datetime], day: date
) -> list[Candidate]:
    """Every contact the plan may draw on `day`: in the window (or the saved filter's own
    dates), with a transcript, matching the targets, and not yet sampled by anyone."""
    targets = TargetCriteria.from_json(plan.targets)
    contacts = _targeted(_base_contacts(plan, targets, window), targets, day)
    stratum_field = _STRATUM_FIELDS.get(StratifyBy(plan.stratify_by)) if plan.stratify_by else None
    rows = contacts.values_list("pk", stratum_field or "pk", "agent__code").order_by()
    return [
        Candidate(
            contact_id=pk,
            stratum=str(stratum or "") if stratum_field else "",
            agent=agent or "",
        )
        for pk, stratum, agent in rows
    ]


def _base_contacts(
    plan: SamplingPlan, targets: TargetCriteria, window: tuple[datetime, datetime]
) -> QuerySet[Contact]:
    if targets.saved_filter:
        filters = saved_filter_criteria(plan, targets.saved_filter)
        contacts = contacts_matching(user=plan.created_by, filters=filters)
        if not (filters.date_from or filters.date_to):
            contacts = contacts.filter(started_at__gte=window[0], started_at__lt=window[1])
    else:
        contacts = Contact.objects.filter(started_at__gte=window[0], started_at__lt=window[1])
    sampled = ReviewAssignment.objects.filter(contact=OuterRef("pk"), kind=AssignmentKind.SAMPLE)
    return contacts.filter(turn_count__gt=0).exclude(Exists(sampled))


def saved_filter_criteria(plan: SamplingPlan, query: str) -> ContactFilters:
    """The contact-list filter a reverse check was saved from, read as its author."""
    from lingting.interactions.forms import ContactFilterForm

    return ContactFilterForm(QueryDict(query), user=plan.created_by).filters()


def _targeted(contacts: QuerySet[Contact], targets: TargetCriteria, day: date) -> QuerySet[Contact]:
    if targets.new_agents_days is not None:
        contacts = contacts.filter(
            agent__hired_on__gte=day - timedelta(days=targets.new_agents_days)
        )
    if targets.tags:
        contacts = contacts.filter(tagged_any(targets.tags))
    if targets.complaints:
        contacts = contacts.filter(tagged_any(COMPLAINT_TAGS))
    if targets.max_satisfaction is not None:
        # The rating a post-contact survey left on the contact (`satisfaction`, 1–5).
        contacts = contacts.filter(extra__satisfaction__lte=targets.max_satisfaction)
    if targets.max_auto_score is not None:
        contacts = contacts.filter(current_score__score__lt=targets.max_auto_score)
    if targets.fatal_only:
        contacts = contacts.filter(current_score__fatal=True)
    if targets.min_duration_s is not None:
        contacts = contacts.filter(talk_s__gte=targets.min_duration_s)
    if targets.repeat_within_days is not None:
        earlier = Contact.objects.filter(
            customer_id=OuterRef("customer_id"),
            started_at__lt=OuterRef("started_at"),
            started_at__gte=OuterRef("started_at") - timedelta(days=targets.repeat_within_days),
        )
        contacts = contacts.filter(customer__isnull=False).filter(Exists(earlier))
    return contacts


def tagged_any(tags: tuple[str, ...]) -> Q | RawSQL:
    """A filter: contacts whose `tags` array holds any of `tags`, on either database."""
    if connection.vendor == "postgresql":
        condition = Q()
        for tag in tags:
            condition |= Q(tags__contains=[tag])
        return condition
    # SQLite's JSON has no containment lookup: ask json_each, row by row.
    table = connection.ops.quote_name(Contact._meta.db_table)
    marks = ", ".join(["%s"] * len(tags))
    return RawSQL(
        f"EXISTS (SELECT 1 FROM json_each({table}.tags) WHERE value IN ({marks}))",
        list(tags),
        output_field=BooleanField(),
    )


def pending_assignments_for(reviewer_id: int) -> QuerySet[ReviewAssignment]:
    """A reviewer's queue: what they still have to review, oldest first."""
    return (
        ReviewAssignment.objects.filter(reviewer_id=reviewer_id, status=AssignmentStatus.PENDING)
        .select_related("contact__agent", "contact__queue", "contact__current_score", "draw__plan")
        .defer("contact__extra", "contact__holds", "contact__current_score__items")
        .order_by("assigned_at", "id")
    )


def plan_draws(plan: SamplingPlan) -> QuerySet[SampleDraw]:
    return plan.draws.select_related("drawn_by").order_by("-drawn_at")
