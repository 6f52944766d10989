"""Reads of the improvement loop: who is below target three months running, why (their QA
findings), their plans, the trainings and the training needs reviews raised.

Monthly figures per agent come from the performance app's KPI table (`kpi_table_for`
grouped by agent and month: the FORMATS.md KPIs, FCR, transfers, QA score and pass rate),
coloured (a `TargetBook`) against the agent's team's target, else their main queue's,
else the center's. One rule is kept here: while operations has set no QA-score target at
all, the QA score is judged against `DEFAULT_QA_SCORE_TARGET`, so the check seed 001
describes works on a fresh installation too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.coaching.models import (
    CoachingSession,
    ImprovementPlan,
    Phase,
    PhaseGoal,
    PlanStatus,
    Training,
)
from lingting.core.models import Agent, User
from lingting.core.permissions import (
    contact_scope,
    plan_agents,
)
from lingting.core.personal_numbers import text_shown_to
from lingting.engine.effect import (
    MIN_AGENTS,
    Effect,
    Observation,
    difference_in_differences,
)
from lingting.engine.streaks import (
    MonthFigure,
    Streak,
    add_months,
    below_target_streaks,
    month_key,
    months_before,
)
from lingting.engine.targets import Target
from lingting.interactions.models import Contact
from lingting.interactions.selectors import ContactFilters, contacts_matching
from lingting.performance.models import LOWER_IS_BETTER, TargetFigure
from lingting.performance.selectors import (
    TargetBook,
    agent_team_codes,
    kpi_table_for,
    kpi_targets,
    kpi_team_targets,
    main_queues,
)
from lingting.quality.models import (
    AssignmentKind,
    Evaluation,
    Finding,
    FindingScope,
    ItemFailure,
    ReviewedItem,
)
from lingting.quality.selectors.quotes import quote_shown_to
from lingting.quality.selectors.scorecards import item_titles

QA_SCORE = "qa_score"
# Used only while operations has set no qa_score target: 80 points is on target, 70 a
# warning (the standard scorecard passes a contact at 60).
DEFAULT_QA_SCORE_TARGET = Target(green=80.0, amber=70.0)
LOOKBACK_MONTHS = 6
EXAMPLES = 3

TargetSource = Literal["team", "queue", "center", "default"]


@dataclass(frozen=True, slots=True)
class Figure:
    code: str
    label: str
    higher_is_better: bool
    unit: Literal["rate", "seconds", "points", "count"]


RATE_FIGURES = frozenset(
    {"answer_rate", "abandon_rate", "service_level", "fcr", "transfer_rate", "pass_rate"}
)


def figures() -> list[Figure]:
    """The figures detection and the effect page work on: every figure operations can set
    a target for (QA score among them)."""
    return [
        Figure(
            code=str(value),
            label=str(label),
            higher_is_better=value not in LOWER_IS_BETTER,
            unit="rate" if value in RATE_FIGURES else "points" if value == QA_SCORE else "seconds",
        )
        for value, label in TargetFigure.choices
    ]


def figure_named(code: str) -> Figure:
    for figure in figures():
        if figure.code == code:
            return figure
    raise KeyError(code)


def month_end(first: date) -> date:
    return add_months(first, 1) - timedelta(days=1)


# ------------------------------------------------------------------- monthly figures per agent


@dataclass(frozen=True, slots=True)
class AgentTarget:
    target: Target
    source: TargetSource
    queue: str | None  # the agent's main queue (where most of their contacts were)


@dataclass(frozen=True, slots=True)
class FigureSeries:
    figure: Figure
    months: list[date]
    series: dict[str, list[MonthFigure]]  # agent code → one per month, oldest first
    targets: dict[str, AgentTarget]


def agent_month_figures(*, user: User, figure: str, months: Sequence[date]) -> FigureSeries:
    """Each visible agent's `figure` for each month of `months` (first days, in order),
    coloured against the agent's target."""
    info = figure_named(figure)
    filters = ContactFilters(date_from=months[0], date_to=month_end(months[-1]))
    queues = main_queues(user=user, filters=filters)
    targets, team_targets, teams = kpi_targets(), kpi_team_targets(), agent_team_codes()
    agent_targets = {
        agent: _target_for(figure, queue, teams.get(agent), targets, team_targets)
        for agent, queue in queues.items()
    }
    book = TargetBook(targets, team_targets)
    found: dict[tuple[str, str], MonthFigure] = {}
    for table_row in kpi_table_for(user=user, filters=filters, by=("agent", "month")):
        group = dict(table_row.row.group)
        agent, month = group.get("agent"), group.get("month")
        if not isinstance(agent, str) or not isinstance(month, str):
            continue
        value = table_row.values().get(figure)
        # The rows are by agent and month, not queue: the agent's main queue's target.
        status = book.status(figure, value, team=teams.get(agent), queue=queues.get(agent))
        known = agent_targets.get(agent)
        if status is None and known is not None and known.source == "default":
            status = known.target.status(value)
        found[agent, month] = MonthFigure(month=month, value=value, status=status)
    keys = [month_key(m) for m in months]
    agents = sorted({agent for agent, _month in found})
    return FigureSeries(
        figure=info,
        months=list(months),
        series={
            agent: [found.get((agent, k), MonthFigure(k, None, None)) for k in keys]
            for agent in agents
        },
        targets={a: t for a, t in agent_targets.items() if t is not None},
    )


def _target_for(
    figure: str,
    queue: str | None,
    team: str | None,
    targets: dict[tuple[str, str | None], Target],
    team_targets: dict[tuple[str, str], Target],
) -> AgentTarget | None:
    if team is not None and (figure, team) in team_targets:
        return AgentTarget(team_targets[figure, team], "team", queue)
    if queue is not None and (figure, queue) in targets:
        return AgentTarget(targets[figure, queue], "queue", queue)
    if (figure, None) in targets:
        return AgentTarget(targets[figure, None], "center", queue)
    if figure == QA_SCORE and not any(f == QA_SCORE for f, _q in [*targets, *team_targets]):
        return AgentTarget(DEFAULT_QA_SCORE_TARGET, "default", queue)
    return None


# ---------------------------------------------------------------------------- detection


@dataclass(frozen=True, slots=True)
class Detected:
    agent: Agent
    figure: str
    streak: Streak
    target: AgentTarget | None
    running_plan: ImprovementPlan | None

    @property
    def detected_months(self) -> list[MonthFigure]:
        return list(self.streak.figures[-self.streak.run :])

    @property
    def detected_days(self) -> tuple[date, date]:
        """The first day of the first month found below target and the last of the last:
        what its diagnosis reads."""
        months = self.detected_months
        first = date.fromisoformat(f"{months[0].month}-01")
        return first, month_end(date.fromisoformat(f"{months[-1].month}-01"))


@dataclass(frozen=True, slots=True)
class Detection:
    figure: Figure
    as_of: date
    months: list[date]
    length: int
    detected: list[Detected]
    has_target: bool
    agents_looked_at: int


def detect_below_target(
    *, user: User, figure: str, as_of: date, length: int = 3, lookback: int = LOOKBACK_MONTHS
) -> Detection:
    """The agents `user` may coach whose `figure` was below target in each of the `length`
    whole months before `as_of` (the run is counted back up to `lookback` months)."""
    months = months_before(as_of, max(length, lookback))
    data = agent_month_figures(user=user, figure=figure, months=months)
    codes = set(plan_agents(user).values_list("code", flat=True))
    series = {code: figures for code, figures in data.series.items() if code in codes}
    streaks = below_target_streaks(series, length=length)
    # With their teams: the page names each agent's team.
    agents = Agent.objects.select_related("team").in_bulk(
        [s.agent for s in streaks], field_name="code"
    )
    running = {
        plan.agent.code: plan
        for plan in ImprovementPlan.objects.filter(agent__code__in=agents, figure=figure)
        .exclude(status=PlanStatus.CLOSED)
        .select_related("agent")
    }
    return Detection(
        figure=data.figure,
        as_of=as_of,
        months=months,
        length=length,
        detected=[
            Detected(
                agent=agents[s.agent],
                figure=figure,
                streak=s,
                target=data.targets.get(s.agent),
                running_plan=running.get(s.agent),
            )
            for s in streaks
            if s.agent in agents
        ],
        has_target=bool(data.targets),
        agents_looked_at=len(series),
    )


# ---------------------------------------------------------------------------- diagnosis


@dataclass(frozen=True, slots=True)
class Example:
    contact_id: int
    external_id: str


@dataclass(frozen=True, slots=True)
class ItemCount:
    item: str
    title: str
    count: int
    share: float | None  # of the contacts looked at (scored or reviewed)
    examples: list[Example] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TopicCount:
    tag: str
    contacts: int
    with_deductions: int

    @property
    def share(self) -> float:
        return self.with_deductions / self.contacts if self.contacts else 0.0


@dataclass(frozen=True, slots=True)
class IssueNote:
    item: str
    title: str
    note: str
    quote: str
    example: Example


@dataclass(frozen=True, slots=True)
class Diagnosis:
    contacts: int
    scored: int
    reviewed: int
    auto_items: list[ItemCount]
    reviewed_items: list[ItemCount]
    topics: list[TopicCount]
    common_issues: list[IssueNote]

    def summary(self) -> dict[str, Any]:
        """What a plan keeps of it (JSON): the items failed most and the topics."""
        return {
            "auto_items": [[i.item, i.title, i.count] for i in self.auto_items],
            "reviewed_items": [[i.item, i.title, i.count] for i in self.reviewed_items],
            "topics": [[t.tag, t.with_deductions, t.contacts] for t in self.topics],
            "common_issues": [i.note for i in self.common_issues],
        }


def training_items() -> dict[str, str]:
    """What a training can target: the active scorecards' items, and any other item code
    reviews or automatic scores have failed (shown by its code)."""
    items = item_titles()
    for code in Finding.objects.exclude(item="").values_list("item", flat=True).distinct():
        items.setdefault(code, code)
    for code in ItemFailure.objects.values_list("item", flat=True).distinct()[:200]:
        items.setdefault(code, code)
    return items


def _title_in_score(failures: QuerySet[ItemFailure], item: str) -> str:
    """An item's title as the engine wrote it into a score that failed it."""
    failure = failures.filter(item=item).select_related("score").first()
    for entry in failure.score.items if failure and isinstance(failure.score.items, list) else []:
        if isinstance(entry, dict) and entry.get("item") == item and entry.get("title"):
            return str(entry["title"])
    return item


def _newest_examples(
    failed: QuerySet[ItemFailure] | QuerySet[ReviewedItem], *, contact: str, newest: str
) -> dict[str, list[Example]]:
    """The `EXAMPLES` newest contacts (by `newest`) of each item among these failed items,
    in one query: the database ranks them per item, however many an agent failed."""
    ranked = failed.annotate(
        rank=Window(RowNumber(), partition_by=F("item"), order_by=F(newest).desc())
    ).filter(rank__lte=EXAMPLES)
    examples: dict[str, list[Example]] = defaultdict(list)
    for item, pk, external in ranked.order_by("item", "rank").values_list(
        "item", f"{contact}_id", f"{contact}__external_id"
    ):
        examples[item].append(Example(pk, external))
    return examples


def agent_diagnosis(
    *, user: User, agent: Agent, date_from: date, date_to: date, top: int = 5
) -> Diagnosis:
    """Why `agent` is behind, from the QA results of their contacts `user` may see between
    the two dates: the items failed most (automatic and by reviewers), the topics (contact
    tags) where they lose points, the common issues reviewers noted; with example contacts."""
    contacts = contacts_matching(
        user=user,
        filters=ContactFilters(date_from=date_from, date_to=date_to, agent_id=agent.pk),
    )
    titles = item_titles()
    scored = contacts.filter(current_score__isnull=False)
    n_scored = scored.count()
    failures = ItemFailure.objects.filter(score_id__in=scored.values("current_score_id"))
    most_failed = list(
        failures.order_by().values_list("item").annotate(n=Count("pk")).order_by("-n", "item")[:top]
    )
    auto_examples = _newest_examples(
        failures.filter(item__in=[item for item, _n in most_failed]),
        contact="score__contact",
        newest="score__contact__started_at",
    )
    auto_items = [
        ItemCount(
            item=item,
            title=titles.get(item) or _title_in_score(failures, item),
            count=n,
            share=n / n_scored if n_scored else None,
            examples=auto_examples.get(item, []),
        )
        for item, n in most_failed
    ]
    evaluations = Evaluation.objects.filter(contact__in=contacts).exclude(
        kind=AssignmentKind.CALIBRATION
    )
    n_reviewed = evaluations.values("contact").distinct().count()
    failed_reviewed = ReviewedItem.objects.filter(evaluation__in=evaluations, result="fail")
    most_reviewed = list(
        failed_reviewed.order_by()
        .values_list("item", "title")
        .annotate(n=Count("pk"))
        .order_by("-n", "item")[:top]
    )
    reviewed_examples = _newest_examples(
        failed_reviewed.filter(item__in=[item for item, _title, _n in most_reviewed]),
        contact="evaluation__contact",
        newest="evaluation__submitted_at",
    )
    reviewed_items = [
        ItemCount(
            item=item,
            title=title,
            count=n,
            share=n / n_reviewed if n_reviewed else None,
            examples=reviewed_examples.get(item, []),
        )
        for item, title, n in most_reviewed
    ]
    deducted = set(failures.values_list("score_id", flat=True).distinct())
    topics: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for tags, score_id in scored.values_list("tags", "current_score_id"):
        for tag in tags if isinstance(tags, list) else []:
            topics[str(tag)][0] += 1
            topics[str(tag)][1] += score_id in deducted
    shown = text_shown_to(user)
    common = [
        IssueNote(
            item=f.item,
            title=titles.get(f.item, f.item),
            note=shown(f.note),
            quote=quote_shown_to(f, user),
            example=Example(f.evaluation.contact_id, f.evaluation.contact.external_id),
        )
        for f in Finding.objects.filter(evaluation__in=evaluations, scope=FindingScope.COMMON)
        .select_related("evaluation__contact")
        .order_by("-evaluation__submitted_at")[: top * 2]
    ]
    return Diagnosis(
        contacts=contacts.count(),
        scored=n_scored,
        reviewed=n_reviewed,
        auto_items=auto_items,
        reviewed_items=reviewed_items,
        topics=sorted(
            (TopicCount(tag, n, bad) for tag, (n, bad) in topics.items()),
            key=lambda t: (-t.with_deductions, -t.contacts, t.tag),
        )[:top],
        common_issues=common,
    )


# ---------------------------------------------------------------------------- plans


def plans_for(*, user: User, status: str = "") -> QuerySet[ImprovementPlan]:
    plans = ImprovementPlan.objects.filter(agent__in=plan_agents(user)).select_related(
        "agent__team", "opened_by"
    )
    if status:
        plans = plans.filter(status=status)
    return plans.annotate(session_count=Count("sessions"))


def plan_for(*, user: User, plan_id: int) -> ImprovementPlan:
    """One plan `user` may see (DoesNotExist otherwise: the view answers 404)."""
    return ImprovementPlan.objects.select_related("agent__team", "agent__user", "opened_by").get(
        pk=plan_id, agent__in=plan_agents(user)
    )


@dataclass(frozen=True, slots=True)
class PhaseCell:
    """One third of one month of a plan: the agent's goal, the follow-ups, the figure."""

    month: date
    phase: str
    label: str
    goal: PhaseGoal | None
    sessions: list[CoachingSession]
    value: float | None


def plan_phases(*, user: User, plan: ImprovementPlan, months: int = 3) -> list[PhaseCell]:
    """The plan's months from its start, each in thirds (上中下旬), with what happened."""
    goals = {(g.month, g.phase): g for g in plan.goals.select_related("updated_by")}
    sessions: dict[tuple[date, str], list[CoachingSession]] = defaultdict(list)
    for session in plan.sessions.select_related("coach").prefetch_related("contacts"):
        sessions[session.held_on.replace(day=1), session.phase].append(session)
    first = plan.opened_on.replace(day=1)
    today = timezone.localdate()
    cells = []
    for offset in range(months):
        month = add_months(first, offset)
        for phase, start, end in (
            (Phase.EARLY, 1, 10),
            (Phase.MIDDLE, 11, 20),
            (Phase.LATE, 21, month_end(month).day),
        ):
            begins = month.replace(day=start)
            value = (
                _figure_between(
                    user=user,
                    agent=plan.agent,
                    figure=plan.figure,
                    date_from=begins,
                    date_to=month.replace(day=end),
                )
                if begins <= today
                else None
            )
            cells.append(
                PhaseCell(
                    month=month,
                    phase=phase.value,
                    label=str(phase.label),
                    goal=goals.get((month, phase.value)),
                    sessions=sessions.get((month, phase.value), []),
                    value=value,
                )
            )
    return cells


def _figure_between(
    *, user: User, agent: Agent, figure: str, date_from: date, date_to: date
) -> float | None:
    filters = ContactFilters(date_from=date_from, date_to=date_to, agent_id=agent.pk)
    rows = kpi_table_for(user=user, filters=filters, by=())
    value = rows[0].values().get(figure) if rows else None
    return value if isinstance(value, int | float) else None


def session_contacts(*, user: User, agent: Agent, since: date) -> QuerySet[Contact]:
    """The agent's contacts `user` may see, from `since` on: what a session can link to."""
    return (
        Contact.objects.filter(contact_scope(user), agent=agent, started_at__date__gte=since)
        .select_related("current_score")
        .order_by("-started_at")
    )


# ---------------------------------------------------------------------------- training


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
    return Training.objects.select_related("trainer").annotate(attendee_count=Count("attendees"))


# ---------------------------------------------------------------------------- effect

Comparison = Literal["level", "queue", "all"]
COMPARISONS: tuple[Comparison, ...] = ("level", "queue", "all")


@dataclass(frozen=True, slots=True)
class Cohort:
    figure: str
    start: date  # the first day of the month the plans opened in
    plans: int


def plan_cohorts() -> list[Cohort]:
    """Plans grouped by figure and the month they opened in, the most plans first."""
    counts: Counter[tuple[str, date]] = Counter(
        (figure, opened.replace(day=1))
        for figure, opened in ImprovementPlan.objects.values_list("figure", "opened_on")
    )
    return [
        Cohort(figure, start, n)
        for (figure, start), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


@dataclass(frozen=True, slots=True)
class MonthMeans:
    month: date
    treated: float | None
    control: float | None
    after: bool


@dataclass(frozen=True, slots=True)
class PlanEffect:
    figure: Figure
    start: date
    pre: list[date]
    post: list[date]
    comparison: Comparison
    effect: Effect
    treated: list[str]  # agent codes
    control: list[str]
    means: list[MonthMeans]


def plan_effect(
    *,
    user: User,
    figure: str,
    start: date,
    comparison: Comparison = "level",
    pre_months: int = 3,
    post_months: int = 3,
) -> PlanEffect:
    """Difference in differences on `figure` for the agents whose plan on it opened in
    `start`'s month, against agents never in a plan on it: as many as were coached whose
    level before was closest to the coached agents' ("level"), those of the coached agents'
    queues ("queue"), or all of them ("all"). See `lingting.engine.effect`."""
    start = start.replace(day=1)
    pre = months_before(start, pre_months)
    today = timezone.localdate()
    post = [m for m in (add_months(start, k) for k in range(post_months)) if m <= today]
    data = agent_month_figures(user=user, figure=figure, months=pre + (post or [start]))
    plans = ImprovementPlan.objects.filter(figure=figure)
    coached = set(
        plans.filter(opened_on__gte=start, opened_on__lt=add_months(start, 1)).values_list(
            "agent__code", flat=True
        )
    )
    ever = set(plans.values_list("agent__code", flat=True))
    keys = [month_key(m) for m in pre + post]
    values = {
        agent: {k: f.value for k, f in zip(keys, figures, strict=True) if f.value is not None}
        for agent, figures in data.series.items()
    }
    treated = sorted(a for a in coached if a in values)
    control = [a for a in sorted(values) if a not in ever]
    if comparison == "queue":
        queues = {data.targets[a].queue for a in treated if a in data.targets}
        control = [a for a in control if a in data.targets and data.targets[a].queue in queues]
    elif comparison == "level":
        control = _nearest_in_level(treated, control, values, keys[: len(pre)])
    observations = [
        Observation(agent, period, values[agent][key], agent in coached)
        for agent in [*treated, *control]
        for period, key in enumerate(keys)
        if key in values[agent]
    ]
    effect = difference_in_differences(
        observations,
        pre_periods=list(range(len(pre))),
        post_periods=list(range(len(pre), len(keys))) or [len(pre)],
        higher_is_better=data.figure.higher_is_better,
    )
    means = [
        MonthMeans(
            month=month,
            treated=_mean_of(values[a].get(key) for a in treated),
            control=_mean_of(values[a].get(key) for a in control),
            after=month >= start,
        )
        for month, key in zip(pre + post, keys, strict=True)
    ]
    return PlanEffect(
        figure=data.figure,
        start=start,
        pre=pre,
        post=post,
        comparison=comparison,
        effect=effect,
        treated=treated,
        control=control,
        means=means,
    )


def _nearest_in_level(
    treated: list[str],
    candidates: list[str],
    values: dict[str, dict[str, float]],
    pre_keys: Sequence[str],
) -> list[str]:
    """As many uncoached agents as there are coached ones (at least the engine's minimum),
    those whose level before was closest to the coached agents' mean level. The coached
    were picked for being the worst, so an exact range would often leave nobody."""
    level = _mean_of(_pre_mean(values[a], pre_keys) for a in treated)
    if level is None:
        return []
    distances = sorted(
        (abs(v - level), agent)
        for agent in candidates
        if (v := _pre_mean(values[agent], pre_keys)) is not None
    )
    return sorted(agent for _d, agent in distances[: max(len(treated), MIN_AGENTS)])


def _pre_mean(values: dict[str, float], keys: Sequence[str]) -> float | None:
    return _mean_of(values.get(k) for k in keys)


def _mean_of(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None
