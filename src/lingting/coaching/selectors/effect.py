"""Whether coaching worked: difference in differences against agents never coached."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from django.utils import timezone

from lingting.coaching.models import ImprovementPlan
from lingting.coaching.selectors.figures import Figure, agent_month_figures
from lingting.core.models import User
from lingting.engine.effect import MIN_AGENTS, Effect, Observation, difference_in_differences
from lingting.engine.streaks import add_months, month_key, months_before

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
