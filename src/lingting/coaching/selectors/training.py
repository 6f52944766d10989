"""Training needs raised by reviews, and how a training's issues moved afterwards."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.coaching.models import Training
from lingting.coaching.selectors.diagnosis import Example
from lingting.coaching.selectors.figures import EXAMPLES
from lingting.interactions.models import Contact
from lingting.quality.models import AssignmentKind, Evaluation, Finding, FindingScope, ItemFailure
from lingting.quality.selectors.scorecards import item_titles


@dataclass(frozen=True, slots=True)
class TrainingNeed:
    """What reviews say needs training on one scorecard item (002 §四 steps 6–7)."""

    item: str
    title: str
    common_findings: int
    agents: int
    notes: list[str]
    examples: list[Example]
    trainings: list[Training]


@dataclass(frozen=True, slots=True)
class RaisedNeed:
    text: str
    kind: str  # "training" or "coaching"
    reviewer: str
    agent: str
    example: Example
    submitted_at: Any


def training_needs(*, since: date) -> tuple[list[TrainingNeed], list[RaisedNeed]]:
    """Common issues found in reviews since `since`, grouped by scorecard item (most
    findings first), and the training and coaching proposals reviewers wrote."""
    titles = item_titles()
    evaluations = Evaluation.objects.exclude(kind=AssignmentKind.CALIBRATION).filter(
        submitted_at__date__gte=since
    )
    findings = Finding.objects.filter(evaluation__in=evaluations, scope=FindingScope.COMMON)
    # Months of findings: read as values, newest first, not as three models each.
    by_item: dict[str, list[tuple[str, int | None, int, str]]] = defaultdict(list)
    for item, note, agent, pk, external in findings.order_by(
        "-evaluation__submitted_at"
    ).values_list(
        "item",
        "note",
        "evaluation__contact__agent_id",
        "evaluation__contact_id",
        "evaluation__contact__external_id",
    ):
        by_item[item].append((note, agent, pk, external))
    trainings: dict[str, list[Training]] = defaultdict(list)
    for training in Training.objects.filter(item__in=by_item):
        trainings[training.item].append(training)
    needs = [
        TrainingNeed(
            item=item,
            title=titles.get(item, item) if item else _("未指明评分项"),
            common_findings=len(listed),
            agents=len({agent for _note, agent, _pk, _external in listed}),
            notes=[n for n, _c in Counter(note for note, *_rest in listed).most_common(3)],
            examples=[Example(pk, external) for _n, _a, pk, external in listed[:EXAMPLES]],
            trainings=trainings.get(item, []),
        )
        for item, listed in by_item.items()
    ]
    needs.sort(key=lambda n: (-n.common_findings, n.item))
    raised = [
        RaisedNeed(
            text=text,
            kind=kind,
            reviewer=evaluation.reviewer.display_name,
            agent=str(evaluation.contact.agent or "—"),
            example=Example(evaluation.contact_id, evaluation.contact.external_id),
            submitted_at=evaluation.submitted_at,
        )
        for evaluation in evaluations.filter(~Q(training_need="") | ~Q(coaching_note=""))
        .select_related("reviewer", "contact__agent")
        .order_by("-submitted_at")[:50]
        for text, kind in (
            (evaluation.training_need, "training"),
            (evaluation.coaching_note, "coaching"),
        )
        if text
    ]
    return needs, raised


@dataclass(frozen=True, slots=True)
class WeekRate:
    week: str  # ISO week, "2026-W40"
    monday: date
    scored: int
    failing: int
    after: bool

    @property
    def rate(self) -> float | None:
        return self.failing / self.scored if self.scored else None


@dataclass(frozen=True, slots=True)
class IssueTracking:
    weeks: list[WeekRate]
    before_scored: int
    before_failing: int
    after_scored: int
    after_failing: int

    @property
    def before_rate(self) -> float | None:
        return self.before_failing / self.before_scored if self.before_scored else None

    @property
    def after_rate(self) -> float | None:
        return self.after_failing / self.after_scored if self.after_scored else None


def training_tracking(*, training: Training, weeks: int = 6) -> IssueTracking:
    """The targeted issue's rate among the attendees (002 §四 step 8 "在相关业务培训结束后
    进行跟踪得到反馈结果"): of their automatically scored contacts, the share failing the
    training's item, per week for `weeks` weeks before and after the training day."""
    day = training.held_on
    start = day - timedelta(days=day.weekday()) - timedelta(weeks=weeks)
    end = day + timedelta(weeks=weeks)
    contacts = Contact.objects.filter(
        agent__in=training.attendees.all(),
        current_score__isnull=False,
        started_at__date__gte=start,
        started_at__date__lt=end,
    )
    failing_scores = set(
        ItemFailure.objects.filter(
            score_id__in=contacts.values("current_score_id"), item=training.item
        ).values_list("score_id", flat=True)
    )
    tz = timezone.get_current_timezone()
    counts: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # by monday
    for started, score_id in contacts.values_list("started_at", "current_score_id"):
        if started is None:
            continue
        local = started.astimezone(tz).date()
        monday = local - timedelta(days=local.weekday())
        slot = counts[monday]
        after = local >= day
        slot[2 if after else 0] += 1
        slot[3 if after else 1] += score_id in failing_scores
    rows: list[WeekRate] = []
    for monday in sorted(counts):
        before_n, before_f, after_n, after_f = counts[monday]
        year, week, _weekday = monday.isocalendar()
        label = f"{year}-W{week:02d}"
        if before_n:
            rows.append(WeekRate(label, monday, before_n, before_f, after=False))
        if after_n:
            rows.append(WeekRate(label, monday, after_n, after_f, after=True))
    return IssueTracking(
        weeks=rows,
        before_scored=sum(r.scored for r in rows if not r.after),
        before_failing=sum(r.failing for r in rows if not r.after),
        after_scored=sum(r.scored for r in rows if r.after),
        after_failing=sum(r.failing for r in rows if r.after),
    )


def trainings_listed() -> QuerySet[Training]:
    """Newest first (explicit: a model's default ordering is dropped from a query that
    aggregates), each with its number of attendees."""
    return (
        Training.objects.select_related("trainer")
        .annotate(attendee_count=Count("attendees"))
        .order_by("-held_on", "-id")
    )
