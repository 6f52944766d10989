"""The monthly agent assessment (月度考核), the weekly ranking and the best and worst agent
of the month: pure functions over per-agent figures.

Seed 003 (量化考核与质量考核): the center "以服务质量考核为主、以量化考核为辅" — service
attitude, proficiency in the business, whether explanations are complete, and speech and
service time limits are assessed first; counts of calls come second. Each of those is a
component scored 0–100 from the QA results of the agent's contacts in the period:

- ``qa_score``: the mean score of the agent's scored contacts (a reviewer's score where the
  contact was reviewed, else its automatic score).
- ``attitude`` 服务态度, ``proficiency`` 业务熟练程度, ``explanation`` 解释是否到位,
  ``speech`` 语音语速服务时限: the built-in standard scorecard's sections `attitude`,
  `product_knowledge`, `communication` and `service_language` (`SECTION_OF`). Each is
  100 × (1 − points lost ÷ points at stake) over the items of that section that were decided
  (pass or fail, not n/a nor waiting for a reviewer) on the agent's contacts.
- ``volume`` 话务量: the agent's answered contacts against the median of the agents of the
  same main queue (the queue of most of their contacts): 100 × min(1, answered ÷ median).
  Doing the queue's usual share of the work earns the full 100 and racing past it earns no
  more, so volume is a floor, not a race — "过度量化也容易造成员工精神压抑，影响服务质量"
  (seed 003). A queue whose median is 0 gives everyone in it 100.

The weighted total is Σ weight × component ÷ Σ weight over the components the agent has
(a section with no decided item leaves its weight out rather than counting as 0). An agent
without a single scored contact has no total: quality comes first, calls alone do not make
an assessment. Performance points (best/worst of the month, ±5, seed 003 "凡被評為最佳話務員
者在績效考核分上加5分，最差話務員扣掉5分") are added to the total to give the final figure;
ranks follow the final figure, highest first, ties sharing a rank (1, 2, 2, 4).

Best and worst (`best_and_worst`): among agents with at least `min_reviewed` reviewed
contacts in the month, the highest and the lowest mean *reviewed* score (the QA team's
judgement, as in the seed, where 质检员 choose them); ties are broken by the automatic mean
(higher is better), then by agent code. A worst agent is named only when at least two agents
qualify, and never the same agent as the best.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields

QUALITY_COMPONENTS = ("qa_score", "attitude", "proficiency", "explanation", "speech")
COMPONENTS = (*QUALITY_COMPONENTS, "volume")
# Component → the built-in standard scorecard's section it is measured on.
SECTION_OF = {
    "attitude": "attitude",
    "proficiency": "product_knowledge",
    "explanation": "communication",
    "speech": "service_language",
}
BEST_POINTS = 5.0
WORST_POINTS = -5.0


class AssessmentError(ValueError):
    """Weights that cannot weigh anything; the message says why."""


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each component counts. Quality first by default: 80 of 100 on quality."""

    qa_score: float = 30
    attitude: float = 15
    proficiency: float = 15
    explanation: float = 10
    speech: float = 10
    volume: float = 20

    def __post_init__(self) -> None:
        values = [getattr(self, name) for name in COMPONENTS]
        if any(not math.isfinite(v) or v < 0 for v in values):
            raise AssessmentError("weights must be numbers ≥ 0")
        if not sum(values[:-1]):
            raise AssessmentError("at least one quality component must weigh more than 0")

    def as_dict(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def quality_only(self) -> Weights:
        """The same weights without volume: the weekly ranking's weighted QA score."""
        return Weights(**{**self.as_dict(), "volume": 0})


@dataclass(frozen=True, slots=True)
class AgentPeriod:
    """What one agent did in the period, as the assessment needs it."""

    agent: str
    queue: str | None = None  # the main queue, for the volume percentile
    handled: int = 0  # answered contacts
    scored: int = 0  # contacts with a QA score
    score_sum: float = 0.0
    reviewed: int = 0  # of which reviewed by a person
    reviewed_sum: float = 0.0
    auto_scored: int = 0  # contacts with an automatic score (reviewed or not)
    auto_sum: float = 0.0
    section_points: Mapping[str, float] = field(default_factory=dict)  # at stake, by section
    section_lost: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Assessment:
    agent: str
    queue: str | None
    components: dict[str, float | None]
    total: float | None
    points: float
    final: float | None
    rank: int | None


def components_of(period: AgentPeriod, volume: float | None) -> dict[str, float | None]:
    """Every component of one agent, 0–100, None where there is nothing to measure."""
    values: dict[str, float | None] = {
        "qa_score": period.score_sum / period.scored if period.scored else None
    }
    for component, section in SECTION_OF.items():
        at_stake = period.section_points.get(section, 0.0)
        lost = period.section_lost.get(section, 0.0)
        values[component] = max(0.0, 100.0 * (1 - lost / at_stake)) if at_stake > 0 else None
    values["volume"] = volume
    return values


def weighted_total(components: Mapping[str, float | None], weights: Weights) -> float | None:
    """Σ weight × component ÷ Σ weight over the components present; None without quality."""
    if all(components.get(name) is None for name in QUALITY_COMPONENTS):
        return None
    weight_of = weights.as_dict()
    total = weight = 0.0
    for name in COMPONENTS:
        value = components.get(name)
        if value is not None and weight_of[name] > 0:
            total += weight_of[name] * value
            weight += weight_of[name]
    return total / weight if weight else None


def volume_scores(periods: Sequence[AgentPeriod]) -> dict[str, float]:
    """Each agent's answered contacts against their main queue's median, 0–100."""
    by_queue: dict[str | None, list[int]] = defaultdict(list)
    for period in periods:
        by_queue[period.queue].append(period.handled)
    medians = {queue: statistics.median(counts) for queue, counts in by_queue.items()}
    return {
        period.agent: 100.0 * min(1.0, period.handled / medians[period.queue])
        if medians[period.queue] > 0
        else 100.0
        for period in periods
    }


def competition_ranks(values: Mapping[str, float | None]) -> dict[str, int]:
    """Rank 1 for the highest value; equal values share a rank (1, 2, 2, 4); None unranked."""
    ordered = sorted((v for v in values.values() if v is not None), reverse=True)
    first_place: dict[float, int] = {}
    for place, value in enumerate(ordered, 1):
        first_place.setdefault(value, place)
    return {agent: first_place[v] for agent, v in values.items() if v is not None}


def assess(
    periods: Sequence[AgentPeriod],
    weights: Weights,
    *,
    points: Mapping[str, float] | None = None,
) -> list[Assessment]:
    """The assessment of every agent: components, total, points, final figure and rank,
    ordered by rank (unranked agents last), then agent code."""
    points = points or {}
    volumes = volume_scores(periods)
    rows = []
    for period in periods:
        components = components_of(period, volumes.get(period.agent))
        total = weighted_total(components, weights)
        extra = points.get(period.agent, 0.0)
        rows.append((period, components, total, extra, None if total is None else total + extra))
    ranks = competition_ranks({period.agent: final for period, *_, final in rows})
    assessed = [
        Assessment(
            agent=period.agent,
            queue=period.queue,
            components=components,
            total=total,
            points=extra,
            final=final,
            rank=ranks.get(period.agent),
        )
        for period, components, total, extra, final in rows
    ]
    return sorted(assessed, key=lambda a: (a.rank is None, a.rank or 0, a.agent))


def best_and_worst(
    periods: Sequence[AgentPeriod], *, min_reviewed: int = 3
) -> tuple[str | None, str | None]:
    """The best and the worst agent by the rule in the module's docstring."""
    eligible = [p for p in periods if p.reviewed >= max(1, min_reviewed)]
    if not eligible:
        return None, None

    def standing(period: AgentPeriod) -> tuple[float, float]:
        auto = period.auto_sum / period.auto_scored if period.auto_scored else -math.inf
        return period.reviewed_sum / period.reviewed, auto

    best = min(eligible, key=lambda p: (tuple(-v for v in standing(p)), p.agent))
    others = [p for p in eligible if p.agent != best.agent]
    if not others:
        return best.agent, None
    worst = min(others, key=lambda p: (standing(p), p.agent))
    return best.agent, worst.agent


def highlighted(count: int) -> int:
    """How many places at the top and at the bottom of a board are highlighted: three,
    fewer on a small board so that top and bottom never overlap."""
    return min(3, count // 2)
