"""The monthly assessment, the weekly ranking, and best and worst of the month, added up
from the daily tallies."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django.db.models import F, FloatField, Max, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

from lingting.core.models import Agent, User
from lingting.engine.assessment import (
    COMPONENTS,
    SECTION_OF,
    AgentPeriod,
    Weights,
    assess,
    best_and_worst,
    highlighted,
)
from lingting.interactions.models import Contact
from lingting.interactions.selectors import local_midnight, queue_names
from lingting.performance.models import (
    AssessmentWeights,
    DailyTally,
    MonthlyAssessment,
    MonthlyAward,
)
from lingting.performance.permissions import assessment_agents


def assessment_weights() -> AssessmentWeights:
    """The weights in force (the defaults until the operations manager changes them)."""
    return AssessmentWeights.objects.first() or AssessmentWeights()


def engine_weights(row: AssessmentWeights) -> Weights:
    return Weights(**{name: getattr(row, name) for name in COMPONENTS})


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month of `month` as local [midnight of the 1st, midnight of the next 1st)."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return local_midnight(first), local_midnight(following)


def week_bounds(monday: date) -> tuple[datetime, datetime]:
    return local_midnight(monday), local_midnight(monday + timedelta(days=7))


def agent_periods(*, start: datetime, end: datetime) -> list[AgentPeriod]:
    """What each agent did on the local days from `start` to `end` (local midnights;
    contacts by their start), added up from the daily tallies: answered contacts and main
    queue (most contacts; the first by code on a tie), and the QA of their contacts — a
    reviewer's sample record where there is one, else the current automatic score. Sections
    come from the reviewed items, or from the automatic items mapped through their scorecard
    version (the built-in standard scorecard's ids otherwise)."""
    tallies = DailyTally.objects.filter(
        day__gte=timezone.localtime(start).date(),
        day__lt=timezone.localtime(end).date(),
        agent__isnull=False,
    ).order_by()
    queues: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for agent, queue, contacts in (
        tallies.exclude(queue=None)
        .values_list("agent__code", "queue__code")
        .annotate(contacts=Sum("contacts"))
    ):
        queues[agent].append((-contacts, queue))
    # The sections the assessment weighs, added up in the database: a month's rows are
    # ~20,000 JSON documents, which took 0.3 s to parse here.
    sections = sorted(set(SECTION_OF.values()))
    section_sums = {
        f"{section}_{n}": Sum(Cast(KT(f"sections__{section}__{n}"), FloatField()))
        for section in sections
        for n in (0, 1)  # each section's [points at stake, points lost]
    }
    sums = {f"sum_{name}": Sum(name) for name in _PERIOD_SUMS}
    # The stubs type a values() row by its literal names only: these are made up above.
    rows = cast(
        Iterable[dict[str, Any]],
        tallies.values("agent__code").annotate(**sums, **section_sums).order_by("agent__code"),
    )
    periods = []
    for row in rows:
        agent = row["agent__code"]
        total = {name: row[f"sum_{name}"] for name in _PERIOD_SUMS}
        weighed = [section for section in sections if row[f"{section}_0"]]
        periods.append(
            AgentPeriod(
                agent=agent,
                queue=min(queues[agent])[1] if queues[agent] else None,
                handled=total["handled"],
                scored=total["reviewed"] + total["scored_auto"],
                score_sum=total["reviewed_sum"] + total["score_auto_sum"],
                reviewed=total["reviewed"],
                reviewed_sum=total["reviewed_sum"],
                auto_scored=total["auto_scored"],
                auto_sum=total["auto_sum"],
                section_points={section: row[f"{section}_0"] for section in weighed},
                section_lost={section: row[f"{section}_1"] or 0.0 for section in weighed},
            )
        )
    return periods


_PERIOD_SUMS = (
    "handled",
    "reviewed",
    "reviewed_sum",
    "scored_auto",
    "score_auto_sum",
    "auto_scored",
    "auto_sum",
)


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
