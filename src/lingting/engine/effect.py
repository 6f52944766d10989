"""Did coaching work? Difference in differences, with an honest interval.

Seed 000 §3(2) reports its "3+1" programme as "13名客服代表的4月平均满意度较3月份均值提升了
3%": a before/after change of the coached agents alone. That claim cannot tell coaching from
what changed for everyone (a new product, the season) nor from regression to the mean (the
agents were picked *because* their months were bad; bad months tend to be followed by
better ones anyway). So the estimate here compares the coached agents' change with the
change of comparable agents who were not coached over the same months:

    effect = mean over coached agents (post mean − pre mean)
           − mean over comparison agents (post mean − pre mean)

Each agent counts once (the mean of their monthly figures in each period), so an agent with
many calls does not outweigh the others; only agents with figures both before and after
take part.

Uncertainty: a cluster bootstrap over agents (agents resampled with replacement within each
group, `resamples` times, seeded, 95% percentile interval). Resampling whole agents keeps
each agent's months together, which is what makes the interval honest when an agent's
months are correlated. When the interval covers zero there is no evidence of an effect,
whatever the point estimate says.

Parallel trends: difference in differences assumes both groups would have moved alike
without coaching. The pre-period check compares the groups' trend before coaching (each
agent's least-squares slope per period over the pre periods, averaged per group, same
bootstrap); an interval that excludes zero says the assumption is doubtful.

Nothing here knows what the figure is: the caller says whether higher is better.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

MIN_AGENTS = 3  # per group; fewer and an interval would be a guess
RESAMPLES = 2000
CONFIDENCE = 0.95
METHOD = "cluster bootstrap over agents, percentile interval"

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Observation:
    """One agent's figure for one period (a month), with the group the agent is in."""

    unit: str
    period: int  # months are numbered in order; gaps are allowed
    value: float
    treated: bool


class Verdict(StrEnum):
    TOO_FEW = "too_few"  # not enough agents in a group to say anything
    NO_EVIDENCE = "no_evidence"  # the interval covers zero
    BETTER = "better"  # the interval lies entirely on the better side of zero
    WORSE = "worse"


@dataclass(frozen=True, slots=True)
class Interval:
    estimate: float
    low: float
    high: float

    @property
    def covers_zero(self) -> bool:
        return self.low <= 0 <= self.high


@dataclass(frozen=True, slots=True)
class GroupSummary:
    agents: int
    pre_mean: float | None
    post_mean: float | None

    @property
    def change(self) -> float | None:
        if self.pre_mean is None or self.post_mean is None:
            return None
        return self.post_mean - self.pre_mean


@dataclass(frozen=True, slots=True)
class Effect:
    treated: GroupSummary
    control: GroupSummary
    effect: Interval | None  # None when too few agents
    pre_trend: Interval | None  # None with too few agents with two or more pre periods
    verdict: Verdict
    dropped: int  # agents left out: no figure before or no figure after
    min_agents: int = MIN_AGENTS
    resamples: int = RESAMPLES
    confidence: float = CONFIDENCE
    method: str = METHOD

    @property
    def parallel_trends_doubtful(self) -> bool:
        return self.pre_trend is not None and not self.pre_trend.covers_zero


def difference_in_differences(
    observations: Iterable[Observation],
    *,
    pre_periods: Sequence[int],
    post_periods: Sequence[int],
    higher_is_better: bool = True,
    min_agents: int = MIN_AGENTS,
    resamples: int = RESAMPLES,
    seed: int = 0,
) -> Effect:
    """The effect of being treated on the figure, from `pre_periods` to `post_periods`."""
    if not pre_periods or not post_periods:
        raise ValueError("both a pre period and a post period are needed")
    if set(pre_periods) & set(post_periods):
        raise ValueError("a period cannot be both before and after")
    pre, post = set(pre_periods), set(post_periods)
    by_unit: dict[str, tuple[bool, dict[int, float]]] = {}
    for obs in observations:
        treated, values = by_unit.setdefault(obs.unit, (obs.treated, {}))
        if treated != obs.treated:
            raise ValueError(f"agent {obs.unit} is in both groups")
        if obs.period in pre or obs.period in post:
            values[obs.period] = obs.value
    rows: dict[bool, list[tuple[float, float, float | None]]] = {True: [], False: []}
    dropped = 0
    for treated, values in by_unit.values():
        before = {p: v for p, v in values.items() if p in pre}
        after = [v for p, v in values.items() if p in post]
        if not before or not after:
            dropped += 1
            continue
        rows[treated].append((_mean(before.values()), _mean(after), _slope(before)))

    treated_rows, control_rows = rows[True], rows[False]
    summaries = (_summary(treated_rows), _summary(control_rows))
    if len(treated_rows) < min_agents or len(control_rows) < min_agents:
        return Effect(
            *summaries,
            effect=None,
            pre_trend=None,
            verdict=Verdict.TOO_FEW,
            dropped=dropped,
            min_agents=min_agents,
            resamples=resamples,
        )
    rng = np.random.default_rng(seed)
    t = np.array(treated_rows, dtype=np.float64)
    c = np.array(control_rows, dtype=np.float64)
    t_pick = rng.integers(0, len(t), size=(resamples, len(t)))
    c_pick = rng.integers(0, len(c), size=(resamples, len(c)))
    effect = _bootstrap(t[:, 1] - t[:, 0], c[:, 1] - c[:, 0], t_pick, c_pick)
    pre_trend = None
    t_slopes, c_slopes = t[~np.isnan(t[:, 2]), 2], c[~np.isnan(c[:, 2]), 2]
    if len(t_slopes) >= min_agents and len(c_slopes) >= min_agents:
        pre_trend = _bootstrap(
            t_slopes,
            c_slopes,
            rng.integers(0, len(t_slopes), size=(resamples, len(t_slopes))),
            rng.integers(0, len(c_slopes), size=(resamples, len(c_slopes))),
        )
    return Effect(
        *summaries,
        effect=effect,
        pre_trend=pre_trend,
        verdict=_verdict(effect, higher_is_better),
        dropped=dropped,
        min_agents=min_agents,
        resamples=resamples,
    )


def _bootstrap(
    treated: FloatArray,
    control: FloatArray,
    t_pick: npt.NDArray[np.int64],
    c_pick: npt.NDArray[np.int64],
) -> Interval:
    estimate = float(treated.mean() - control.mean())
    draws = treated[t_pick].mean(axis=1) - control[c_pick].mean(axis=1)
    tail = (1 - CONFIDENCE) / 2 * 100
    low, high = np.percentile(draws, [tail, 100 - tail])
    return Interval(estimate=estimate, low=float(low), high=float(high))


def _verdict(effect: Interval, higher_is_better: bool) -> Verdict:
    if effect.covers_zero:
        return Verdict.NO_EVIDENCE
    return Verdict.BETTER if (effect.estimate > 0) == higher_is_better else Verdict.WORSE


def _summary(rows: Sequence[tuple[float, float, float | None]]) -> GroupSummary:
    if not rows:
        return GroupSummary(agents=0, pre_mean=None, post_mean=None)
    return GroupSummary(
        agents=len(rows),
        pre_mean=_mean(r[0] for r in rows),
        post_mean=_mean(r[1] for r in rows),
    )


def _mean(values: Iterable[float]) -> float:
    listed = list(values)
    return sum(listed) / len(listed)


def _slope(values: dict[int, float]) -> float:
    """Least-squares change per period (NaN with one period: no trend to see)."""
    if len(values) < 2:
        return float("nan")
    x = np.array(sorted(values), dtype=np.float64)
    y = np.array([values[int(p)] for p in x], dtype=np.float64)
    x_centred = x - x.mean()
    return float((x_centred * (y - y.mean())).sum() / (x_centred**2).sum())
