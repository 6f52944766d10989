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
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lingting.core.models import Agent, Team
from lingting.engine.sampling import Candidate
from lingting.interactions.models import Contact, Queue, Topic
from lingting.quality.contact_filters import RESOLVED_CHOICES, ContactFilterForm, ContactFilters
from lingting.quality.models import (
    AssignmentKind,
    AssignmentStatus,
    ReviewAssignment,
    SampleDraw,
    SamplingPlan,
    StratifyBy,
)
from lingting.quality.selectors.contacts import contacts_matching
from lingting.quality.selectors.meaning import emotion_label

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
    # What the contact meant (ContactMeaning, issue 15):
    ending_emotions: tuple[str, ...] = ()  # the customer ended with any of these emotions
    unresolved: bool = False  # the problem was not solved (a verdict, not "unclear")
    max_predicted_satisfaction: int | None = None  # predicted satisfaction below this %

    @classmethod
    def from_json(cls, data: Any) -> TargetCriteria:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in (data or {}).items() if k in known}
        for name in ("tags", "ending_emotions"):
            if name in values:
                values[name] = tuple(values[name])
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
        return list(self.sentences().values())

    def sentences(self) -> dict[str, str]:
        """Criterion (field name) → the sentence that says it, for the criteria given."""
        said: dict[str, tuple[Promise, object]] = {
            "new_agents_days": (_("入职 {} 天内的新员工"), self.new_agents_days),
            "tags": (_("标签：{}"), "、".join(self.tags)),
            "max_auto_score": (_("自动质检低于 {} 分"), self.max_auto_score),
            "fatal_only": (_("有致命项"), self.fatal_only or None),
            "complaints": (_("投诉"), self.complaints or None),
            "max_satisfaction": (_("客户满意度不高于 {}"), self.max_satisfaction),
            "min_duration_s": (_("通话不短于 {} 秒"), self.min_duration_s),
            "repeat_within_days": (_("客户 {} 天内重复来电"), self.repeat_within_days),
            "saved_filter": (_("倒查：{}"), self.saved_filter),
            "ending_emotions": (
                _("结束时客户{}"),
                str(_("或")).join(emotion_label(emotion) for emotion in self.ending_emotions),
            ),
            "unresolved": (_("问题未解决"), self.unresolved or None),
            "max_predicted_satisfaction": (
                _("预测满意度低于 {}%"),
                self.max_predicted_satisfaction,
            ),
        }
        return {
            name: str(text).format(value)
            for name, (text, value) in said.items()
            if value is not None and value not in ("", False)
        }


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
    return _unsampled(_with_turns(_in_period(plan, targets, window)))


def _in_period(
    plan: SamplingPlan, targets: TargetCriteria, window: tuple[datetime, datetime]
) -> QuerySet[Contact]:
    """The plan's window, or a reverse check's saved filter (with its own dates, if any)."""
    if targets.saved_filter:
        filters = saved_filter_criteria(plan, targets.saved_filter)
        contacts = contacts_matching(user=plan.created_by, filters=filters)
        if not (filters.date_from or filters.date_to):
            contacts = contacts.filter(started_at__gte=window[0], started_at__lt=window[1])
        return contacts
    return Contact.objects.filter(started_at__gte=window[0], started_at__lt=window[1])


def _with_turns(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    return contacts.filter(turn_count__gt=0)


def _unsampled(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    sampled = ReviewAssignment.objects.filter(contact=OuterRef("pk"), kind=AssignmentKind.SAMPLE)
    return contacts.exclude(Exists(sampled))


def why_no_candidates(*, plan: SamplingPlan, window: tuple[datetime, datetime], day: date) -> str:
    """Which condition of the plan left a draw with nothing to draw from, in a sentence.

    The conditions are applied one by one, in the order a supervisor thinks of them —
    the period, a reverse check's criteria, transcripts, each target, not sampled yet —
    and the first after which no contact is left is named. "" when candidates remain.
    """
    targets = TargetCriteria.from_json(plan.targets)
    start, end = (f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" for moment in window)
    if targets.saved_filter:
        filters = saved_filter_criteria(plan, targets.saved_filter)
        dates_only = ContactFilters(date_from=filters.date_from, date_to=filters.date_to)
        contacts = _in_period(plan, TargetCriteria(saved_filter=_dates_query(dates_only)), window)
        if not contacts.exists():
            return gettext("抽检时段内没有联络（%(start)s 至 %(end)s）") % {
                "start": dates_only.date_from or start,
                "end": dates_only.date_to or end,
            }
        for condition, narrowed in _saved_filter_steps(filters):
            contacts = contacts.filter(
                pk__in=contacts_matching(user=plan.created_by, filters=narrowed).values("pk")
            )
            if not contacts.exists():
                return gettext("时段内没有符合倒查条件“%(condition)s”的联络") % {
                    "condition": condition
                }
    else:
        contacts = _in_period(plan, targets, window)
        if not contacts.exists():
            return gettext("抽检时段内没有联络（%(start)s 至 %(end)s）") % {
                "start": start,
                "end": end,
            }
    contacts = _with_turns(contacts)
    if not contacts.exists():
        return gettext("时段内的联络都没有对话记录，无法质检")
    for condition, criterion in _target_steps(targets, day):
        contacts = contacts.filter(criterion)
        if not contacts.exists():
            return gettext("没有符合“%(condition)s”的联络") % {"condition": condition}
    if not _unsampled(contacts).exists():
        return gettext("符合条件的联络都已抽检过")
    return ""


def _dates_query(filters: ContactFilters) -> str:
    return "&".join(
        f"{name}={value.isoformat()}"
        for name, value in (("date_from", filters.date_from), ("date_to", filters.date_to))
        if value
    )


def _saved_filter_steps(filters: ContactFilters) -> list[tuple[str, ContactFilters]]:
    """Each criterion of a saved contact-list filter beyond its dates, named for a reader,
    with the filter that applies it alone."""
    steps: list[tuple[str, ContactFilters]] = []
    if filters.queue_id:
        queue = Queue.objects.filter(pk=filters.queue_id).first()
        steps.append((f"{gettext('ACD组')}：{queue}", ContactFilters(queue_id=filters.queue_id)))
    if filters.team_id:
        team = Team.objects.filter(pk=filters.team_id).first()
        steps.append((f"{gettext('班组')}：{team}", ContactFilters(team_id=filters.team_id)))
    if filters.agent_id:
        agent = Agent.objects.filter(pk=filters.agent_id).first()
        steps.append((f"{gettext('坐席')}：{agent}", ContactFilters(agent_id=filters.agent_id)))
    if filters.score_band:
        steps.append((str(filters.score_band.label), ContactFilters(score_band=filters.score_band)))
    if filters.failed_item:
        steps.append(
            (
                f"{gettext('扣分项')}：{filters.failed_item}",
                ContactFilters(failed_item=filters.failed_item),
            )
        )
    if filters.fatal_only:
        steps.append((str(gettext("有致命项")), ContactFilters(fatal_only=True)))
    if filters.unscored:
        steps.append((str(gettext("未评分")), ContactFilters(unscored=True)))
    if filters.topic_id:
        topic = Topic.objects.filter(pk=filters.topic_id).first()
        steps.append((f"{gettext('话题')}：{topic}", ContactFilters(topic_id=filters.topic_id)))
    if filters.emotion_end:
        said = gettext("或").join(emotion_label(e) for e in filters.emotion_end)
        steps.append(
            (
                gettext("结束时客户%(emotion)s") % {"emotion": said},
                ContactFilters(emotion_end=filters.emotion_end),
            )
        )
    if filters.emotion_peak:
        said = gettext("或").join(emotion_label(e) for e in filters.emotion_peak)
        steps.append(
            (
                gettext("客户最强情绪：%(emotion)s") % {"emotion": said},
                ContactFilters(emotion_peak=filters.emotion_peak),
            )
        )
    if filters.resolved:
        label = dict(RESOLVED_CHOICES).get(filters.resolved, filters.resolved)
        steps.append((f"{gettext('问题解决')}：{label}", ContactFilters(resolved=filters.resolved)))
    if filters.satisfaction_below is not None:
        below = filters.satisfaction_below
        steps.append(
            (
                gettext("预测满意度低于 %(percent)s%%") % {"percent": below},
                ContactFilters(satisfaction_below=below),
            )
        )
    return steps


def saved_filter_criteria(plan: SamplingPlan, query: str) -> ContactFilters:
    """The contact-list filter a reverse check was saved from, read as its author."""
    return ContactFilterForm(QueryDict(query), user=plan.created_by).filters()


def _targeted(contacts: QuerySet[Contact], targets: TargetCriteria, day: date) -> QuerySet[Contact]:
    for _condition, criterion in _target_steps(targets, day):
        contacts = contacts.filter(criterion)
    return contacts


def _target_steps(targets: TargetCriteria, day: date) -> list[tuple[str, Q | RawSQL]]:
    """Each criterion the plan targets, said as on the plan's page, with its filter."""
    criteria: dict[str, Q | RawSQL] = {}
    if targets.new_agents_days is not None:
        hired = day - timedelta(days=targets.new_agents_days)
        criteria["new_agents_days"] = Q(agent__hired_on__gte=hired)
    if targets.tags:
        criteria["tags"] = tagged_any(targets.tags)
    if targets.complaints:
        criteria["complaints"] = tagged_any(COMPLAINT_TAGS)
    if targets.max_satisfaction is not None:
        # The rating a post-contact survey left on the contact (`satisfaction`, 1–5).
        criteria["max_satisfaction"] = Q(extra__satisfaction__lte=targets.max_satisfaction)
    if targets.max_auto_score is not None:
        criteria["max_auto_score"] = Q(current_score__score__lt=targets.max_auto_score)
    if targets.fatal_only:
        criteria["fatal_only"] = Q(current_score__fatal=True)
    if targets.min_duration_s is not None:
        criteria["min_duration_s"] = Q(talk_s__gte=targets.min_duration_s)
    if targets.repeat_within_days is not None:
        earlier = Contact.objects.filter(
            customer_id=OuterRef("customer_id"),
            started_at__lt=OuterRef("started_at"),
            started_at__gte=OuterRef("started_at") - timedelta(days=targets.repeat_within_days),
        )
        criteria["repeat_within_days"] = Q(Exists(earlier), customer__isnull=False)
    if targets.ending_emotions:
        criteria["ending_emotions"] = Q(meaning__emotion_end__in=targets.ending_emotions)
    if targets.unresolved:
        criteria["unresolved"] = Q(meaning__resolved=False)
    if targets.max_predicted_satisfaction is not None:
        criteria["max_predicted_satisfaction"] = Q(
            meaning__satisfaction_predicted__lt=targets.max_predicted_satisfaction / 100
        )
    sentences = targets.sentences()
    return [(sentences[name], criterion) for name, criterion in criteria.items()]


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


def sampling_plans() -> QuerySet[SamplingPlan]:
    """The plans, each with its reviewers' quotas: every plan listed names its reviewers."""
    return SamplingPlan.objects.prefetch_related("quotas__reviewer")


def plan_draws(plan: SamplingPlan) -> QuerySet[SampleDraw]:
    return plan.draws.select_related("drawn_by").order_by("-drawn_at")
