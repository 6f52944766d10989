"""KPIs of stored contacts, computed by the same engine as `lingting kpis`.

The contacts a user may see are streamed out of the database as the engine's CDR-only
`Contact`s (no transcript), so a page and the command give identical figures for the same
contacts (tests/web/test_kpis_page.py checks exactly that).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import F, Max, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from lingting.core.models import Agent, User
from lingting.core.permissions import assessment_agents
from lingting.engine.assessment import (
    COMPONENTS,
    AgentPeriod,
    Weights,
    assess,
    best_and_worst,
    highlighted,
)
from lingting.engine.contacts import Contact as EngineContact
from lingting.engine.kpis import GroupKey, KpiAccumulator, KpiOptions, KpiRow, group_key
from lingting.engine.scorecard import Scorecard, ScorecardError, builtin_scorecard, parse_scorecard
from lingting.engine.targets import Status, Target
from lingting.interactions.models import Contact
from lingting.interactions.selectors import ContactFilters, contacts_matching, queue_names
from lingting.performance.models import (
    AssessmentWeights,
    KpiTarget,
    MonthlyAssessment,
    MonthlyAward,
    TargetFigure,
)
from lingting.quality.models import (
    AssignmentKind,
    ContactScore,
    Evaluation,
    ReviewedItem,
    ScorecardVersion,
)
from lingting.quality.selectors.score_of_record import with_score_of_record

_CDR_FIELDS = (
    "external_id",
    "channel",
    "direction",
    "queue__code",
    "agent__code",
    "queued_at",
    "started_at",
    "answered_at",
    "ended_at",
    "disposition",
    "wait_s",
    "talk_s",
    "hold_s",
    "acw_s",
    "customer__code",
    "hangup_by",
    "tags",
    "extra__transferred",
    "record_score",  # the score of record: reviewed once a person reviewed it
    "record_passed",
)


def kpis_for(
    *,
    user: User,
    filters: ContactFilters,
    by: Sequence[str],
    options: KpiOptions | None = None,
) -> list[KpiRow]:
    """KPI rows over the contacts `user` may see that `filters` select, grouped `by`."""
    accumulator = KpiAccumulator(by=by, options=options, tz=timezone.get_current_timezone())
    for contact in _cdr_contacts(user, filters):
        accumulator.add(contact)
    return accumulator.rows()


@dataclass(frozen=True, slots=True)
class QaFigures:
    """The QA of a group's contacts (from the database, not the file engine): `qa_score`
    the mean score of record (reviewed where a person reviewed, else the machine's),
    `pass_rate` the share passing, over `scored`."""

    scored: int = 0
    qa_score: float | None = None
    pass_rate: float | None = None


@dataclass(frozen=True, slots=True)
class KpiTableRow:
    row: KpiRow
    qa: QaFigures

    def values(self) -> dict[str, Any]:
        """Every figure by name, rounded (the KPI page's cells and the targets' colours)."""
        return {
            **self.row.to_dict(extra=True),
            "qa_score": None if self.qa.qa_score is None else round(self.qa.qa_score, 1),
            "pass_rate": None if self.qa.pass_rate is None else round(self.qa.pass_rate, 4),
            "qa_scored": self.qa.scored,
        }


def kpi_table_for(
    *,
    user: User,
    filters: ContactFilters,
    by: Sequence[str],
    options: KpiOptions | None = None,
) -> list[KpiTableRow]:
    """The KPI page: `kpis_for`'s rows with the figures beyond FORMATS.md (FCR, transfers,
    complaints) and each group's automatic QA score and pass rate over the same offered
    contacts.

    FCR looks for a customer's repeat contact among *all* stored contacts, not only those
    `user` may see or `filters` select (a repeat handled by another team still means the
    first contact did not resolve it); the end of the data is the latest stored contact.
    """
    options = options or KpiOptions()
    tz = timezone.get_current_timezone()
    accumulator = KpiAccumulator(
        by=by, options=options, tz=tz, extra=True, known_until=_latest_contact_moment()
    )
    qa: dict[tuple[GroupKey, ...], list[float]] = {}
    matching = contacts_matching(user=user, filters=filters)
    for contact, score, passed in _cdr_contacts_with_scores(matching):
        if not accumulator.add(contact) or score is None:
            continue
        sums = qa.setdefault(group_key(contact, accumulator.by, tz), [0, 0.0, 0])
        sums[0] += 1
        sums[1] += score
        sums[2] += bool(passed)
    for contact, _score, _passed in _cdr_contacts_with_scores(
        _possible_repeats(matching, filters, options)
    ):
        accumulator.add_possible_repeat(contact)
    table = []
    for row in accumulator.rows():
        count, total, passing = qa.get(tuple(key for _name, key in row.group), (0, 0.0, 0))
        figures = QaFigures(int(count), total / count, passing / count) if count else QaFigures()
        table.append(KpiTableRow(row=row, qa=figures))
    return table


def _latest_contact_moment() -> datetime | None:
    latest: datetime | None = Contact.objects.aggregate(
        latest=Max(Coalesce("queued_at", "started_at"))
    )["latest"]
    return latest


def _possible_repeats(
    matching: QuerySet[Contact], filters: ContactFilters, options: KpiOptions
) -> QuerySet[Contact]:
    """The other contacts of the customers of `matching`, from its first day to N days
    after its last: where a repeat of one of its contacts can be."""
    others = Contact.objects.filter(
        customer__in=matching.exclude(customer=None).values("customer")
    ).exclude(pk__in=matching.values("pk"))
    if filters.date_from:
        others = others.filter(started_at__gte=_midnight(filters.date_from))
    if filters.date_to:
        days = math.ceil(options.fcr_days) + 1
        others = others.filter(started_at__lt=_midnight(filters.date_to + timedelta(days=days)))
    return others


def _midnight(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _cdr_contacts(user: User, filters: ContactFilters) -> Iterator[EngineContact]:
    matching = contacts_matching(user=user, filters=filters)
    for contact, _score, _passed in _cdr_contacts_with_scores(matching):
        yield contact


def _cdr_contacts_with_scores(
    contacts: QuerySet[Contact],
) -> Iterator[tuple[EngineContact, float | None, bool | None]]:
    rows = (
        with_score_of_record(contacts)
        .order_by()
        .values_list(*_CDR_FIELDS)
        .iterator(chunk_size=5000)
    )
    for row in rows:
        external_id, channel, direction, queue, agent, *times, disposition = row[:10]
        wait_s, talk_s, hold_s, acw_s = row[10:14]
        customer, hangup_by, tags, transferred, score, passed = row[14:]
        contact = EngineContact(
            id=external_id,
            channel=channel or None,
            direction=direction or None,
            queue=queue,
            agent_id=agent,
            customer_id=customer,
            queued_at=times[0],
            started_at=times[1],
            answered_at=times[2],
            ended_at=times[3],
            disposition=disposition or None,
            hangup_by=hangup_by or None,
            tags=tuple(tags) if isinstance(tags, list) else (),
            wait_s=wait_s,
            talk_s=talk_s,
            hold_s=hold_s,
            acw_s=acw_s,
            extra={} if transferred is None else {"transferred": transferred},
        )
        yield contact, score, passed


Statuses = dict[str, Status]


def kpi_targets() -> dict[tuple[str, str | None], Target]:
    """The queues' and the whole center's targets, by (figure, queue code); a None code is
    the whole center's. Teams' targets: `kpi_team_targets`."""
    return {
        (t.figure, t.queue.code if t.queue else None): t.target
        for t in KpiTarget.objects.filter(team=None).select_related("queue")
    }


def kpi_team_targets() -> dict[tuple[str, str], Target]:
    """The teams' targets, by (figure, team code)."""
    return {
        (t.figure, t.team.code): t.target
        for t in KpiTarget.objects.exclude(team=None).select_related("team")
        if t.team is not None
    }


@dataclass(frozen=True, slots=True)
class TargetBook:
    """Every target at hand, for figures the KPI engine does not compute (satisfaction from
    surveys, utilisation from agent states): a team's target first, then the queue's, then
    the whole center's."""

    center_and_queues: dict[tuple[str, str | None], Target]
    teams: dict[tuple[str, str], Target]

    def status(
        self, figure: str, value: float | None, *, team: str | None = None, queue: str | None = None
    ) -> Status | None:
        target = (
            (self.teams.get((figure, team)) if team is not None else None)
            or (self.center_and_queues.get((figure, queue)) if queue is not None else None)
            or self.center_and_queues.get((figure, None))
        )
        return target.status(value) if target is not None else None


def target_book() -> TargetBook:
    return TargetBook(kpi_targets(), kpi_team_targets())


def agent_team_codes() -> dict[str, str]:
    """Each agent's team code, by agent code (agents without a team left out)."""
    return dict(Agent.objects.exclude(team=None).values_list("code", "team__code"))


def row_statuses(
    row: KpiRow,
    targets: dict[tuple[str, str | None], Target],
    *,
    queue: str | None = None,
    team: str | None = None,
    team_targets: Mapping[tuple[str, str], Target] | None = None,
    values: Mapping[str, Any] | None = None,
) -> Statuses:
    """Red/amber/green of each figure of `row` that has a target: the team's target first
    (`team`, with `team_targets`), then the row's own queue's (grouped by queue, or `queue`
    filtered on), then the whole center's. `values` gives figures the row does not hold
    (the QA score and pass rate); the row's own figures are read from it."""
    queue = dict(row.group).get("queue", queue)  # type: ignore[assignment]
    book = TargetBook(targets, dict(team_targets or {}))
    statuses: Statuses = {}
    for figure in TargetFigure.values:
        value = values[figure] if values and figure in values else getattr(row, figure, None)
        status = book.status(figure, value, team=team, queue=queue)
        if status is not None:
            statuses[figure] = status
    return statuses


# --- the monthly assessment, the weekly ranking, best and worst of the month ----------------


def assessment_weights() -> AssessmentWeights:
    """The weights in force (the defaults until the operations manager changes them)."""
    return AssessmentWeights.objects.first() or AssessmentWeights()


def engine_weights(row: AssessmentWeights) -> Weights:
    return Weights(**{name: getattr(row, name) for name in COMPONENTS})


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month of `month` as local [midnight of the 1st, midnight of the next 1st)."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return _midnight(first), _midnight(following)


def week_bounds(monday: date) -> tuple[datetime, datetime]:
    return _midnight(monday), _midnight(monday + timedelta(days=7))


def agent_periods(*, start: datetime, end: datetime) -> list[AgentPeriod]:
    """What each agent did between `start` and `end` (contacts by `started_at`): answered
    contacts and main queue, and the QA of their contacts — a reviewer's record (the latest
    sampled review, never a calibration exercise) where there is one, else the current
    automatic score. Sections come from the reviewed items, or from the automatic items
    mapped through their scorecard version (the built-in standard scorecard's ids otherwise).
    """
    contacts = Contact.objects.filter(
        started_at__gte=start, started_at__lt=end, agent__isnull=False
    ).order_by()
    queues: dict[str, Counter[str]] = defaultdict(Counter)
    handled: Counter[str] = Counter()
    auto: dict[int, tuple[str, int | None]] = {}
    sums: dict[str, dict[str, Any]] = defaultdict(_empty_sums)
    for pk, agent, queue, disposition, score_id in contacts.values_list(
        "pk", "agent__code", "queue__code", "disposition", "current_score_id"
    ).iterator(chunk_size=5000):
        if queue:
            queues[agent][queue] += 1
        handled[agent] += disposition == "answered"
        auto[pk] = (agent, score_id)
        sums[agent]  # every agent with a contact is assessed
    reviews = (
        Evaluation.objects.filter(contact__in=contacts.values("pk"), kind=AssignmentKind.SAMPLE)
        .order_by("contact_id", "-submitted_at", "-id")
        .values_list("id", "contact_id", "score")
    )
    latest: dict[int, tuple[int, float]] = {}
    for evaluation, contact, score in reviews:
        latest.setdefault(contact, (evaluation, score))
    for contact, (_evaluation, score) in latest.items():
        agent_sums = sums[auto[contact][0]]
        agent_sums["reviewed"] += 1
        agent_sums["reviewed_sum"] += score
    evaluation_agent = {evaluation: auto[c][0] for c, (evaluation, _s) in latest.items()}
    for evaluation, section, points, result, lost in ReviewedItem.objects.filter(
        evaluation_id__in=list(evaluation_agent)
    ).values_list("evaluation_id", "section", "points", "result", "points_lost"):
        if result in ("pass", "fail"):
            agent_sums = sums[evaluation_agent[evaluation]]
            agent_sums["points"][section] += points
            agent_sums["lost"][section] += lost
    scored_ids = [score_id for _agent, score_id in auto.values() if score_id is not None]
    sections = _ItemSections()
    for contact, score, version, items in ContactScore.objects.filter(
        pk__in=scored_ids
    ).values_list("contact_id", "score", "version_id", "items"):
        agent_sums = sums[auto[contact][0]]
        agent_sums["auto_scored"] += 1
        agent_sums["auto_sum"] += score
        if contact in latest:
            continue
        for item in items if isinstance(items, list) else ():
            placed = sections.of(version, item.get("item"))
            if placed is None or item.get("result") not in ("pass", "fail"):
                continue
            section, points = placed
            agent_sums["points"][section] += points
            agent_sums["lost"][section] += float(item.get("points_lost") or 0)
        agent_sums["scored_auto"] += 1
        agent_sums["score_auto_sum"] += score
    periods = []
    for agent, agent_sums in sorted(sums.items()):
        main = queues[agent].most_common(1)
        periods.append(
            AgentPeriod(
                agent=agent,
                queue=main[0][0] if main else None,
                handled=handled[agent],
                scored=agent_sums["reviewed"] + agent_sums["scored_auto"],
                score_sum=agent_sums["reviewed_sum"] + agent_sums["score_auto_sum"],
                reviewed=agent_sums["reviewed"],
                reviewed_sum=agent_sums["reviewed_sum"],
                auto_scored=agent_sums["auto_scored"],
                auto_sum=agent_sums["auto_sum"],
                section_points=dict(agent_sums["points"]),
                section_lost=dict(agent_sums["lost"]),
            )
        )
    return periods


def _empty_sums() -> dict[str, Any]:
    return {
        "reviewed": 0,
        "reviewed_sum": 0.0,
        "auto_scored": 0,
        "auto_sum": 0.0,
        "scored_auto": 0,
        "score_auto_sum": 0.0,
        "points": defaultdict(float),
        "lost": defaultdict(float),
    }


class _ItemSections:
    """Item id → (section, points) per scorecard version, read once per version."""

    def __init__(self) -> None:
        self._standard = self._map(builtin_scorecard())
        self._versions: dict[int, dict[str, tuple[str, float]]] = {}

    @staticmethod
    def _map(scorecard: Scorecard) -> dict[str, tuple[str, float]]:
        return {item.id: (item.section, item.points) for item in scorecard.items}

    def of(self, version: int, item: object) -> tuple[str, float] | None:
        if version not in self._versions:
            source = (
                ScorecardVersion.objects.filter(pk=version)
                .values_list("source_text", flat=True)
                .first()
            )
            try:
                self._versions[version] = self._map(parse_scorecard(source or ""))
            except ScorecardError:
                self._versions[version] = {}
        key = str(item)
        return self._versions[version].get(key) or self._standard.get(key)


@dataclass(frozen=True, slots=True)
class AssessmentLine:
    """One row of the assessment page (a stored `MonthlyAssessment`) with its agent."""

    assessment: MonthlyAssessment
    award: str | None  # "best", "worst" or None
    queue_name: str = ""  # the main queue as every page names it (`queue_names`)

    @property
    def components(self) -> list[float | None]:
        return [self.assessment.components.get(name) for name in COMPONENTS]


def assessment_for(*, user: User, month: date) -> list[AssessmentLine]:
    """The stored assessment of `month` that `user` may see, by rank."""
    awards = dict(
        MonthlyAward.objects.filter(month=month.replace(day=1)).values_list("agent_id", "kind")
    )
    rows = (
        MonthlyAssessment.objects.filter(
            month=month.replace(day=1), agent__in=assessment_agents(user).values("pk")
        )
        .select_related("agent", "agent__team")
        .order_by(F("rank").asc(nulls_last=True), "agent__code")
    )
    queues = queue_names()
    return [
        AssessmentLine(
            assessment=row,
            award=awards.get(row.agent_id),
            queue_name=queues.get(row.queue, row.queue),
        )
        for row in rows
    ]


def assessed_months() -> list[date]:
    """The months with a stored assessment, newest first."""
    return list(
        MonthlyAssessment.objects.order_by("-month").values_list("month", flat=True).distinct()
    )


@dataclass(frozen=True, slots=True)
class AwardProposal:
    """What the rule picks for a month, before a manager confirms it."""

    kind: str
    agent: Agent
    reviewed: int
    reviewed_mean: float
    auto_mean: float | None

    def basis(self) -> dict[str, Any]:
        return {
            "reviewed": self.reviewed,
            "reviewed_mean": round(self.reviewed_mean, 2),
            "auto_mean": None if self.auto_mean is None else round(self.auto_mean, 2),
        }


def award_proposals(*, month: date) -> list[AwardProposal]:
    """The best and worst agent of `month` by the rule (engine.assessment.best_and_worst)."""
    periods = agent_periods(**_pair(month_bounds(month)))
    best, worst = best_and_worst(periods, min_reviewed=assessment_weights().min_reviewed)
    by_code = {p.agent: p for p in periods}
    agents = Agent.objects.in_bulk([c for c in (best, worst) if c], field_name="code")
    proposals = []
    for kind, code in (("best", best), ("worst", worst)):
        if code is None:
            continue
        period = by_code[code]
        proposals.append(
            AwardProposal(
                kind=kind,
                agent=agents[code],
                reviewed=period.reviewed,
                reviewed_mean=period.reviewed_sum / period.reviewed,
                auto_mean=period.auto_sum / period.auto_scored if period.auto_scored else None,
            )
        )
    return proposals


def _pair(bounds: tuple[datetime, datetime]) -> dict[str, datetime]:
    return {"start": bounds[0], "end": bounds[1]}


@dataclass(frozen=True, slots=True)
class RankingLine:
    rank: int
    agent: Agent
    score: float
    scored: int
    place: str  # "top", "bottom" or ""


def latest_ranked_week(*, before: date) -> date:
    """The Monday of the latest week before `before` with scored contacts (the board opens
    there: last week, unless the center has scored nothing since), else the week before."""
    start = datetime.combine(before, time(), tzinfo=timezone.get_current_timezone())
    latest = Contact.objects.filter(current_score__isnull=False, started_at__lt=start).aggregate(
        latest=Max("started_at")
    )["latest"]
    day = timezone.localtime(latest).date() if latest else before - timedelta(days=7)
    return day - timedelta(days=day.weekday())


def weekly_ranking(*, monday: date) -> list[RankingLine]:
    """The ISO week's board: every agent with a scored contact, by weighted QA score (the
    assessment's quality components and weights, volume left out), highest first."""
    periods = agent_periods(**_pair(week_bounds(monday)))
    assessed = assess(periods, engine_weights(assessment_weights()).quality_only())
    ranked = [a for a in assessed if a.rank is not None and a.final is not None]
    # With its team: the board shows each agent's, and one query per agent added up to
    # hundreds on a real center's board.
    agents = Agent.objects.select_related("team").in_bulk(
        [a.agent for a in ranked], field_name="code"
    )
    scored = {p.agent: p.scored for p in periods}
    marked = highlighted(len(ranked))
    return [
        RankingLine(
            rank=a.rank or 0,
            agent=agents[a.agent],
            score=round(a.final or 0.0, 1),
            scored=scored[a.agent],
            place="top" if n < marked else "bottom" if n >= len(ranked) - marked else "",
        )
        for n, a in enumerate(ranked)
    ]
