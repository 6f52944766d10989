"""CSAT, very-satisfied share, NPS and response rate of stored survey responses and
invitations (engine.csat does the maths).

Two sources count as responses:
- `SurveyResponse` rows, imported with `lingting import_surveys` or answered to an
  invitation (SMS reply, H5 page); each answers its `question` (satisfaction or recommend);
- the `satisfaction` field (1–5) a contact may carry from the interaction file (README,
  "Format extensions"): the switch's post-call IVR rating, counted as one IVR satisfaction
  answer given when the contact ended, on a 1–5 scale. A contact that has imported survey
  responses is counted by those alone, so that the same rating is never counted twice.

The agent, team, queue and topic of a response are its contact's (the team of the contact's
agent; the topic the clustering put the contact in, None where none); its day is the local
day it was answered. An invitation counts towards the response rate of the local day it
was sent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from lingting.core.models import Team, User
from lingting.core.permissions import contact_scope
from lingting.core.personal_numbers import text_shown_to
from lingting.engine.csat import DEFAULT_SCALE, CsatTotals, InvitationTotals
from lingting.engine.survey_figures import (
    DETRACTOR_AT_MOST,
    NPS_SCALE,
    QUESTIONS,
    RECOMMEND,
    SATISFACTION,
)
from lingting.engine.survey_reasons import (
    DEFAULT_REASON_WORDS,
    Reason,
    parse_reason_rules,
    reasons_of,
)
from lingting.interactions.models import Contact
from lingting.performance.selectors import TargetBook
from lingting.surveys.models import (
    InvitationStatus,
    SurveyInvitation,
    SurveyPlan,
    SurveyResponse,
    SurveySettings,
)

GROUPINGS = ("agent", "team", "queue", "topic", "day")
CONTACT_FIELD_SCALE = DEFAULT_SCALE


@dataclass(frozen=True, slots=True)
class Answer:
    team_id: int | None
    team: str | None
    queue: str | None
    answered_at: datetime
    score: int
    scale: int
    agent: str | None = None  # the contact's agent's 工号
    topic: str | None = None  # the label of the contact's topic
    question: str = SATISFACTION


@dataclass(frozen=True, slots=True)
class CsatRow:
    group: tuple[tuple[str, str | None], ...]  # (grouping, key) in the order asked
    totals: CsatTotals
    invitations: InvitationTotals = field(default_factory=InvitationTotals)


def answers(
    *,
    contacts: Q,
    start: datetime,
    end: datetime,
    questions: Collection[str] = (SATISFACTION,),
) -> Iterator[Answer]:
    """Every response to one of `questions` answered in [start, end) about the contacts
    `contacts` selects. Satisfaction answers alone unless asked: a caller that adds them up
    as satisfaction (the hourly broadcast) must never count a 0–10 recommend answer."""
    responses = (
        SurveyResponse.objects.filter(answered_at__gte=start, answered_at__lt=end)
        .filter(_via_contact(contacts), question__in=list(questions))
        .values_list(
            "contact__agent__team_id",
            "contact__agent__team__name",
            "contact__queue__code",
            "answered_at",
            "score",
            "scale",
            "contact__agent__code",
            "contact__topic_link__topic__label",
            "question",
        )
        .iterator(chunk_size=5000)
    )
    for row in responses:
        yield Answer(*row)
    if SATISFACTION not in questions:
        return
    rated = (
        Contact.objects.filter(contacts, extra__has_key="satisfaction")
        .alias(rated_at=RATED_AT)
        .filter(rated_at__gte=start, rated_at__lt=end)
        .exclude(Exists(SurveyResponse.objects.filter(contact=OuterRef("pk"))))
        .values_list(
            "agent__team_id",
            "agent__team__name",
            "queue__code",
            "ended_at",
            "started_at",
            "extra",
            "agent__code",
            "topic_link__topic__label",
        )
        .iterator(chunk_size=5000)
    )
    for team_id, team, queue, ended_at, started_at, extra, agent, topic in rated:
        rating = _rating(extra.get("satisfaction"))
        rated_at = ended_at or started_at
        if rating is not None and rated_at is not None:
            yield Answer(team_id, team, queue, rated_at, rating, CONTACT_FIELD_SCALE, agent, topic)


# When a contact's own `satisfaction` rating counts: as the index contact_rated_idx keeps
# the rated contacts, a few among millions.
RATED_AT = Coalesce("ended_at", "started_at")


def _via_contact(contacts: Q) -> Q:
    """`contacts` (a filter on Contact) as a filter on SurveyResponse."""
    return Q(contact__in=Contact.objects.filter(contacts).values("pk"))


def _rating(value: Any) -> int | None:
    """A contact's `satisfaction` if it is a whole number from 1 to 5, else None (ignored)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    return value if isinstance(value, int) and 1 <= value <= CONTACT_FIELD_SCALE else None


def local_day_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(date_from, time(), tzinfo=tz),
        datetime.combine(date_to + timedelta(days=1), time(), tzinfo=tz),
    )


def csat_rows(
    *, user: User, date_from: date, date_to: date, by: Sequence[str] = ("team",)
) -> tuple[list[CsatRow], CsatRow]:
    """The figures per group of `by` (agent, team, queue, topic, day) over the responses
    about the contacts `user` may see, answered on the local days `date_from`..`date_to`,
    with the response rate of the invitations sent on those days; and the total row."""
    start, end = local_day_bounds(date_from, date_to)
    scope = contact_scope(user)
    tz = timezone.get_current_timezone()
    answered: dict[tuple[str | None, ...], CsatTotals] = defaultdict(CsatTotals)
    total = CsatTotals()
    for answer in answers(contacts=scope, start=start, end=end, questions=QUESTIONS):
        keys = {
            "agent": answer.agent,
            "team": answer.team,
            "queue": answer.queue,
            "topic": answer.topic,
            "day": answer.answered_at.astimezone(tz).date().isoformat(),
        }
        answered[tuple(keys[name] for name in by)].add(answer.score, answer.scale, answer.question)
        total.add(answer.score, answer.scale, answer.question)
    sent = invitations_sent(contacts=scope, start=start, end=end, by=by)
    all_sent = InvitationTotals()
    for counts in sent.values():
        all_sent.merge(counts)
    rows = [
        CsatRow(
            tuple(zip(by, key, strict=True)),
            answered.get(key, CsatTotals()),
            sent.get(key, InvitationTotals()),
        )
        for key in sorted(answered.keys() | sent.keys(), key=_group_order(by))
    ]
    return rows, CsatRow((), total, all_sent)


def _group_order(
    by: Sequence[str],
) -> Callable[[tuple[str | None, ...]], tuple[tuple[bool, str], ...]]:
    """Groups in order, none last: teams in the order of their codes (话务一班, 话务二班…),
    not of their names' characters; agents by 工号, the rest by their keys."""
    codes = dict(Team.objects.values_list("name", "code"))
    team_at = by.index("team") if "team" in by else None

    def order(key: tuple[str | None, ...]) -> tuple[tuple[bool, str], ...]:
        return tuple(
            (k is None, (codes.get(k, k) if i == team_at and k else k) or "")
            for i, k in enumerate(key)
        )

    return order


# Where an invitation's groups are, through its contact.
INVITATION_GROUPS = {
    "agent": "contact__agent__code",
    "team": "contact__agent__team__name",
    "queue": "contact__queue__code",
    "topic": "contact__topic_link__topic__label",
    "day": "day",
}


def invitations_sent(
    *, contacts: Q, start: datetime, end: datetime, by: Sequence[str]
) -> dict[tuple[str | None, ...], InvitationTotals]:
    """The invitations sent in [start, end) about the contacts `contacts` selects, and how
    many were answered, per group of `by` (the day: the local day it was sent)."""
    sent = (
        SurveyInvitation.objects.filter(sent_at__gte=start, sent_at__lt=end)
        .filter(_via_contact(contacts))
        .annotate(day=TruncDate("sent_at", tzinfo=timezone.get_current_timezone()))
    )
    counts = {
        "sent_count": Count("pk"),
        "answered_count": Count("pk", filter=Q(status=InvitationStatus.ANSWERED)),
    }
    if not by:
        whole = sent.aggregate(**counts)
        if not whole["sent_count"]:
            return {}
        return {(): InvitationTotals(whole["sent_count"], whole["answered_count"])}
    fields = [INVITATION_GROUPS[name] for name in by]
    grouped = sent.values(*fields).annotate(**counts).order_by()
    return {
        tuple(_group_key(row[name]) for name in fields): InvitationTotals(
            row["sent_count"], row["answered_count"]
        )
        for row in grouped
    }


def _group_key(value: object) -> str | None:
    """A group's key as the answers give it: a day as 2026-10-01, the rest as they are."""
    if isinstance(value, date):
        return value.isoformat()
    return None if value is None else str(value)


# The unhappy answers: below the top two boxes of satisfaction, or a detractor's 0–6.
LOW_ANSWERS = Q(question=SATISFACTION, score__lt=F("scale") - 1) | Q(
    question=RECOMMEND, score__lte=DETRACTOR_AT_MOST
)


@dataclass(frozen=True, slots=True)
class Comment:
    response_pk: int
    reason: str  # set by a person ("" where not)
    coded: list[Reason]  # what the rules read in the comment
    contact_pk: int
    contact: str
    answered_at: datetime
    score: int
    scale: int
    channel: str
    text: str  # personal numbers masked unless the reader may see them
    recommend: bool = False  # a 0–10 answer to the recommend question


def low_score_comments(
    *,
    user: User,
    date_from: date,
    date_to: date,
    rules: Mapping[Reason, Sequence[str]],
    limit: int = 20,
) -> list[Comment]:
    """The latest comments of unhappy customers (below the top two boxes of satisfaction,
    or detractors)."""
    start, end = local_day_bounds(date_from, date_to)
    responses = (
        SurveyResponse.objects.filter(answered_at__gte=start, answered_at__lt=end)
        .filter(_via_contact(contact_scope(user)))
        .exclude(comment="")
        .filter(LOW_ANSWERS)
        .select_related("contact")
        .order_by("-answered_at", "-id")[:limit]
    )
    shown = text_shown_to(user)
    return [
        Comment(
            r.pk,
            r.reason,
            reasons_of(r.comment, rules),
            r.contact_id,
            r.contact.external_id,
            r.answered_at,
            r.score,
            r.scale,
            r.get_channel_display(),
            shown(r.comment),
            r.question == RECOMMEND,
        )
        for r in responses
    ]


def latest_answer_day(user: User) -> date | None:
    """The local day of the latest response `user` may see (where the page opens)."""
    scope = contact_scope(user)
    latest = (
        SurveyResponse.objects.filter(_via_contact(scope))
        .order_by("-answered_at")
        .values_list("answered_at", flat=True)
        .first()
    )
    if latest is None:
        latest = (
            Contact.objects.filter(scope, extra__has_key="satisfaction")
            .annotate(rated_at=RATED_AT)
            .filter(rated_at__isnull=False)
            .order_by("-rated_at")
            .values_list("rated_at", flat=True)
            .first()
        )
    return timezone.localtime(latest).date() if latest else None


def csat_statuses(book: TargetBook, row: CsatRow, team_codes: dict[str, str]) -> dict[str, str]:
    """Red/amber/green of the row's satisfaction figures against the row's team's, queue's
    or the center's targets (a row of several teams or queues: the center's)."""
    group = dict(row.group)
    team = team_codes.get(group["team"] or "") if "team" in group else None
    queue = group.get("queue")
    figures = {"csat": row.totals.csat, "very_satisfied": row.totals.very_satisfied_share}
    statuses = {
        figure: book.status(figure, value, team=team, queue=queue)
        for figure, value in figures.items()
    }
    return {figure: status for figure, status in statuses.items() if status is not None}


def plan_scores(plan: SurveyPlan) -> range:
    """The scores a plan's question takes: 0–10 to the recommend question, else 1 to the
    plan's top."""
    if plan.asks == RECOMMEND:
        return range(NPS_SCALE + 1)
    return range(1, plan.scale + 1)


def invitation_by_token(token: str) -> SurveyInvitation | None:
    return SurveyInvitation.objects.select_related("plan").filter(token=token).first()


def invitation_refusal(
    invitation: SurveyInvitation | None, now: datetime | None = None
) -> str | None:
    """Why the H5 page cannot take an answer for `invitation` now (a key of the page's
    texts), or None when it can."""
    if invitation is None:
        return "unknown"
    if invitation.status == InvitationStatus.ANSWERED:
        return "answered"
    if invitation.status != InvitationStatus.SENT:
        return "unknown"
    if invitation.expires_at is None or invitation.expires_at <= (now or timezone.now()):
        return "expired"
    return None


@dataclass(frozen=True, slots=True)
class PlanOutbox:
    """A plan's invitations by status, and the not-invited by reason."""

    plan: SurveyPlan
    by_status: dict[str, int]
    skipped_by_verdict: dict[str, int]

    @property
    def invitations(self) -> InvitationTotals:
        """The invitations sent (answered or not) and answered: the response rate's base."""
        answered = self.by_status.get(InvitationStatus.ANSWERED, 0)
        return InvitationTotals(self.by_status.get(InvitationStatus.SENT, 0) + answered, answered)


def plan_outboxes() -> list[PlanOutbox]:
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    skipped: dict[int, dict[str, int]] = defaultdict(dict)
    rows = SurveyInvitation.objects.values_list("plan", "status", "verdict").annotate(n=Count("pk"))
    for plan_id, status, verdict, n in rows.order_by():
        counts[plan_id][status] = counts[plan_id].get(status, 0) + n
        if status == InvitationStatus.SKIPPED:
            skipped[plan_id][verdict] = n
    return [
        PlanOutbox(plan, counts[plan.pk], skipped[plan.pk])
        for plan in SurveyPlan.objects.order_by("-active", "name")
    ]


def reason_rules() -> dict[Reason, tuple[str, ...]]:
    """The center's words per kind of dissatisfaction (seed 004's four), or the defaults."""
    stored = SurveySettings.objects.values_list("reason_rules", flat=True).first()
    return parse_reason_rules(stored) if stored is not None else DEFAULT_REASON_WORDS


@dataclass(frozen=True, slots=True)
class ReasonCounts:
    """Dissatisfied responses (below the top two boxes, or detractors) by why: a person's
    reason where set, else every kind the rules read in the comment; `uncoded` have neither."""

    dissatisfied: int
    by_reason: dict[Reason, int]
    uncoded: int

    def share(self, reason: Reason) -> float | None:
        return self.by_reason.get(reason, 0) / self.dissatisfied if self.dissatisfied else None


def dissatisfaction_reasons(
    *, user: User, date_from: date, date_to: date, rules: Mapping[Reason, Sequence[str]]
) -> ReasonCounts:
    start, end = local_day_bounds(date_from, date_to)
    rows = (
        SurveyResponse.objects.filter(answered_at__gte=start, answered_at__lt=end)
        .filter(_via_contact(contact_scope(user)))
        .filter(LOW_ANSWERS)
        .values_list("reason", "comment")
    )
    counts: dict[Reason, int] = defaultdict(int)
    dissatisfied = uncoded = 0
    for reason, comment in rows.iterator(chunk_size=2000):
        dissatisfied += 1
        found = [Reason(reason)] if reason else reasons_of(comment, rules)
        uncoded += not found
        for kind in found:
            counts[kind] += 1
    return ReasonCounts(dissatisfied, dict(counts), uncoded)


def visible_responses(user: User) -> QuerySet[SurveyResponse]:
    """The responses about contacts `user` may see."""
    return SurveyResponse.objects.filter(_via_contact(contact_scope(user)))
