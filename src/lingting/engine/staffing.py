"""How many agents a queue needs: the fewest that meet every target (FORMATS.md, "Staffing").

A `Queue` names the model and its load; `Targets` the goals a center sets for it: a service
level (answered within T), an ASA, a maximum occupancy (agents need air between calls), a
maximum abandonment (under Erlang A a service-level target alone staffs a 160-Erlang queue
at 12 % abandonment, issue 14) and, for lines, a maximum blocking.

The search walks the agent count up from a bound below which no target can be met, carrying
the Erlang B recursion along, so each count costs one recursion step and a few closed-form
figures:

- Erlang C only where agents exceed the load: below it the queue never empties.
- Erlang A may answer below the load (callers who hang up keep the queue finite), so its
  bound comes from what the agents can carry: answered calls are at most agents ÷ load of
  the offered ones, so a service level s or an abandonment cap m needs at least
  load·s, or load·(1 − m), agents.
- Erlang B from no lines at all.

The requirement stays fractional (`StaffingResult.fractional_agents`): the binding target's
figure is interpolated between the count that misses it and the one that meets it, so that
requirements of several queues or intervals add up without each having been rounded up
first; only a schedule rounds (issue 14). Shrinkage (breaks, training, absence) turns the
agents on the phones into the agents to schedule: ⌈agents ÷ (1 − shrinkage)⌉, computed on the
decimal values given so that 7 agents at 30 % shrinkage schedule 10, not 11.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from lingting.engine.erlang import (
    AbandonmentFigures,
    ErlangError,
    QueueFigures,
    ServiceLevelBasis,
    erlang_a_with_blocking,
    erlang_c_with_blocking,
)

# A target that no count up to this many times the load (plus a margin for small loads)
# meets is one no count meets: every figure has flattened out long before.
SEARCH_CEILING_FACTOR = 10
SEARCH_CEILING_MARGIN = 1000


class Model(StrEnum):
    ERLANG_B = "erlang_b"  # lines: blocked calls are lost
    ERLANG_C = "erlang_c"  # callers wait for ever
    ERLANG_A = "erlang_a"  # callers hang up after an exponential patience


@dataclass(frozen=True, slots=True)
class Queue:
    """One interval's load on one queue and the figures' parameters."""

    model: Model
    traffic: float  # offered load in Erlangs
    aht_s: float | None = None  # needed for every time figure
    patience_s: float | None = None  # Erlang A only
    answer_within_s: float | None = None  # T of the service level
    basis: ServiceLevelBasis = ServiceLevelBasis.OFFERED
    short_abandon_s: float = 0.0  # with OFFERED_LESS_SHORT_ABANDONS


@dataclass(frozen=True, slots=True)
class Targets:
    service_level: float | None = None  # with Queue.answer_within_s
    asa_s: float | None = None
    max_occupancy: float | None = None
    max_abandon: float | None = None  # Erlang A
    max_blocking: float | None = None  # Erlang B


@dataclass(frozen=True, slots=True)
class BlockingFigures:
    agents: int
    traffic: float
    blocking_probability: float


Figures = BlockingFigures | QueueFigures | AbandonmentFigures


@dataclass(frozen=True, slots=True)
class StaffingResult:
    agents: int
    fractional_agents: float  # the requirement before rounding, for adding up
    figures: Figures


def scheduled_agents(agents: float, shrinkage: float) -> int:
    """Agents to schedule so that `agents` are on the phones after `shrinkage` (0–1)."""
    if not 0 <= shrinkage < 1:
        raise ErlangError(f"shrinkage must be at least 0 and below 1, not {shrinkage}")
    exact = Fraction(repr(agents)) / (1 - Fraction(repr(shrinkage)))
    return math.ceil(exact)


def evaluate(queue: Queue, agents: int) -> Figures:
    """The model's figures for `agents` agents (or lines)."""
    if agents < 0:
        raise ErlangError(f"agents must be 0 or more, not {agents}")
    figures = _Walk(queue).figures_at(agents)
    if figures is None:
        raise ErlangError(f"{queue.model} needs at least one agent")
    return figures


def staff(queue: Queue, targets: Targets) -> StaffingResult:
    """The fewest agents meeting every target; ErlangError where none does."""
    check_targets(queue, targets)
    walk = _Walk(queue)
    agents = _lower_bound(queue, targets)
    ceiling = SEARCH_CEILING_FACTOR * math.ceil(queue.traffic) + SEARCH_CEILING_MARGIN
    with_asa = targets.asa_s is not None
    below = walk.figures_at(agents - 1, with_asa=with_asa)
    while agents <= ceiling:
        figures = walk.figures_at(agents, with_asa=with_asa)
        assert figures is not None  # the bounds start at the model's least count
        if _meets(figures, targets):
            final = figures if with_asa else walk.figures_at(agents)
            assert final is not None
            return StaffingResult(
                agents=agents,
                fractional_agents=agents - 1 + _share_of_last_agent(below, figures, targets),
                figures=final,
            )
        below = figures
        agents += 1
    raise ErlangError(f"no number of agents up to {ceiling} meets these targets")


def check_targets(queue: Queue, targets: Targets) -> None:
    """ErlangError naming the first target the model cannot honour or a value out of range."""
    allowed = {
        Model.ERLANG_B: {"max_blocking"},
        Model.ERLANG_C: {"service_level", "asa_s", "max_occupancy"},
        Model.ERLANG_A: {"service_level", "asa_s", "max_occupancy", "max_abandon"},
    }[queue.model]
    given = {name: value for name, value in _target_items(targets) if value is not None}
    if not given:
        raise ErlangError("targets must name at least one target")
    for name, value in given.items():
        if name not in allowed:
            raise ErlangError(f"{name} is not a target of {queue.model} (use {sorted(allowed)})")
        _check_target_range(name, value)
    if "service_level" in given and queue.answer_within_s is None:
        raise ErlangError("a service_level target needs answer_within_s (its T)")
    if ("asa_s" in given or queue.model is not Model.ERLANG_B) and queue.aht_s is None:
        raise ErlangError("these targets need aht_s")


def _target_items(targets: Targets) -> list[tuple[str, float | None]]:
    return [
        ("service_level", targets.service_level),
        ("asa_s", targets.asa_s),
        ("max_occupancy", targets.max_occupancy),
        ("max_abandon", targets.max_abandon),
        ("max_blocking", targets.max_blocking),
    ]


def _check_target_range(name: str, value: float) -> None:
    if name == "asa_s":
        ok = value > 0 and not math.isinf(value)
        rule = "a number of seconds above 0"
    elif name == "service_level":
        ok = 0 < value <= 1
        rule = "a fraction above 0 and at most 1"
    else:  # max_occupancy, max_abandon, max_blocking: 0 would never be reached
        ok = 0 < value <= 1
        rule = "a fraction above 0 and at most 1"
    if not ok:
        raise ErlangError(f"{name} must be {rule}, not {value}")


def _lower_bound(queue: Queue, targets: Targets) -> int:
    if queue.model is Model.ERLANG_C:  # only where agents exceed the load
        return math.floor(queue.traffic) + 1
    if queue.model is Model.ERLANG_A:
        # Occupancy is at most 1, so at most agents ÷ load of the offered calls are answered:
        # no fewer agents than load × the answered share a target demands will do.
        shares = [] if targets.max_abandon is None else [1 - targets.max_abandon]
        if targets.service_level is not None and queue.basis is ServiceLevelBasis.OFFERED:
            shares.append(targets.service_level)
        return max(1, math.floor(queue.traffic * max(shares, default=0.0)) - 1)
    return 0


def _meets(figures: Figures, targets: Targets) -> bool:
    return all(gap <= 0 for gap in _gaps(figures, targets))


def _gaps(figures: Figures, targets: Targets) -> list[float]:
    """How far each target is from being met (≤ 0 met), in the target's own unit."""
    gaps: list[float] = []
    if isinstance(figures, BlockingFigures):
        if targets.max_blocking is not None:
            gaps.append(figures.blocking_probability - targets.max_blocking)
        return gaps
    if targets.service_level is not None:
        level = figures.service_level
        gaps.append(math.inf if level is None else targets.service_level - level)
    if targets.asa_s is not None:
        gaps.append(math.inf if figures.asa_s is None else figures.asa_s - targets.asa_s)
    if targets.max_occupancy is not None:
        gaps.append(figures.occupancy - targets.max_occupancy)
    if targets.max_abandon is not None and isinstance(figures, AbandonmentFigures):
        gaps.append(figures.abandon_probability - targets.max_abandon)
    return gaps


def _share_of_last_agent(below: Figures | None, met: Figures, targets: Targets) -> float:
    """How much of the last whole agent the binding target needs, by linear interpolation of
    each target's figure between one agent fewer (missing) and the count found (meeting)."""
    if below is None:
        return 1.0
    shares = []
    for missed_by, met_by in zip(_gaps(below, targets), _gaps(met, targets), strict=True):
        if missed_by <= 0:
            continue
        if math.isinf(missed_by):
            shares.append(1.0)
        else:
            shares.append(missed_by / (missed_by - met_by) if missed_by != met_by else 1.0)
    return min(1.0, max(shares, default=1.0))


class _Walk:
    """Erlang B carried along an agent count that mostly grows, for the search."""

    def __init__(self, queue: Queue) -> None:
        if not queue.traffic >= 0 or math.isinf(queue.traffic):
            raise ErlangError(
                f"traffic must be a finite number of Erlangs, 0 or more, not {queue.traffic}"
            )
        self.queue = queue
        self._agents = 0
        self._blocking = 1.0  # B(0, a)

    def figures_at(self, agents: int, *, with_asa: bool = True) -> Figures | None:
        """The figures of `agents`, or None below the model's least count (one agent for
        a queue: with none, nobody is ever answered)."""
        queue = self.queue
        if agents < (0 if queue.model is Model.ERLANG_B else 1):
            return None
        blocking = self._blocking_at(agents)
        if queue.model is Model.ERLANG_B:
            return BlockingFigures(agents, queue.traffic, blocking)
        if queue.model is Model.ERLANG_C:
            return erlang_c_with_blocking(
                agents,
                queue.traffic,
                blocking,
                aht_s=queue.aht_s,
                answer_within_s=queue.answer_within_s,
            )
        if queue.aht_s is None or queue.patience_s is None:
            raise ErlangError("erlang_a needs aht_s and patience_s")
        return erlang_a_with_blocking(
            agents,
            queue.traffic,
            blocking,
            aht_s=queue.aht_s,
            patience_s=queue.patience_s,
            answer_within_s=queue.answer_within_s,
            basis=queue.basis,
            short_abandon_s=queue.short_abandon_s,
            with_asa=with_asa,
        )

    def _blocking_at(self, agents: int) -> float:
        if agents < self._agents:
            self._agents, self._blocking = 0, 1.0
        traffic = self.queue.traffic
        while self._agents < agents:
            self._agents += 1
            self._blocking = traffic * self._blocking / (self._agents + traffic * self._blocking)
        return self._blocking
