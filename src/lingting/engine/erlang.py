"""Erlang B and Erlang C: how many agents (or lines) a load needs.

The load is the offered traffic `a` in Erlangs (arrivals per second × mean handling time).
Both formulas are computed from the Erlang B recursion

    B(0, a) = 1,    B(n, a) = a·B(n−1, a) / (n + a·B(n−1, a))

which stays between 0 and 1 at every step: no factorial and no power of `a` is ever formed,
so 10,000 agents and more are as exact as 10 (FORMATS.md, "Staffing").

- **Erlang B** (M/M/n/n, blocked calls lost): the probability that an arrival finds every
  line busy, `B(n, a)`.
- **Erlang C** (M/M/n, infinite patience): the probability that an arrival waits,
  `C = n·B / (n − a·(1 − B))`, defined only where agents exceed the load (n > a); at or
  above it the queue never empties — every call waits, no call is answered within any T.
  The service level is P(wait ≤ T) = 1 − C·e^(−(n − a)·T / aht), the mean wait (ASA)
  C·aht / (n − a), the occupancy a / n.

Erlang A (callers who hang up while they wait) and the staffing search come with the
workforce domain (issue 14); these are its base.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


class ErlangError(ValueError):
    """A load or an agent count the formulas cannot take (negative, not a number)."""


def erlang_b(agents: int, traffic: float) -> float:
    """The blocking probability of `agents` lines offered `traffic` Erlangs."""
    _check(agents, traffic)
    blocking = 1.0
    for n in range(1, agents + 1):
        blocking = traffic * blocking / (n + traffic * blocking)
    return blocking


@dataclass(frozen=True, slots=True)
class QueueFigures:
    """What Erlang C says of `agents` agents answering `traffic` Erlangs."""

    agents: int
    traffic: float
    waiting_probability: float  # P(wait > 0)
    service_level: float  # P(wait <= T)
    asa_s: float | None  # mean wait of all calls; None where the queue never empties
    occupancy: float  # traffic / agents (above 1 where the queue grows without end)


def erlang_c(agents: int, traffic: float, *, aht_s: float, answer_within_s: float) -> QueueFigures:
    """Erlang C figures of `agents` agents, `traffic` Erlangs, a mean handling time of
    `aht_s` seconds and a service level counted within `answer_within_s` seconds."""
    _check(agents, traffic)
    if not aht_s > 0 or answer_within_s < 0 or math.isnan(answer_within_s):
        raise ErlangError("aht_s must be above 0 and answer_within_s 0 or more")
    if agents == 0:
        raise ErlangError("Erlang C needs at least one agent")
    occupancy = traffic / agents
    if traffic >= agents:  # the queue never empties
        return QueueFigures(agents, traffic, 1.0, 0.0, None, occupancy)
    blocking = erlang_b(agents, traffic)
    waiting = agents * blocking / (agents - traffic * (1 - blocking))
    spare = agents - traffic  # agents beyond the load: the rate a queue drains, per aht
    return QueueFigures(
        agents=agents,
        traffic=traffic,
        waiting_probability=waiting,
        service_level=1 - waiting * math.exp(-spare * answer_within_s / aht_s),
        asa_s=waiting * aht_s / spare,
        occupancy=occupancy,
    )


def _check(agents: int, traffic: float) -> None:
    if agents < 0:
        raise ErlangError(f"agents must be 0 or more, not {agents}")
    if not traffic >= 0 or math.isinf(traffic):
        raise ErlangError(f"traffic must be a finite number of Erlangs, 0 or more, not {traffic}")
