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

- **Erlang A** (M/M/n+M, Garnett, Mandelbaum & Reiman 2002): callers hang up after an
  exponential patience with mean `patience_s`. With x = n·patience/aht and
  y = traffic·patience/aht (the arrivals of one mean patience), the closed forms of
  Mandelbaum & Zeltyn's summary of M/M/n+G follow from the birth–death chain through the
  regularized lower incomplete gamma function P(a, z):

      A = Σⱼ yʲ / ((x+1)(x+2)…(x+j)) = e^y · y^(−x) · Γ(x+1) · P(x, y)
      P(wait > 0)      = 1 / (1 + (1/B − 1) / A)
      P(abandon)       = P(wait > 0) · (1 − (x/y) · (1 − 1/A))
      P(answered ≤ T)  = 1 − P(wait > 0)
                         + P(wait > 0) · (x/y) · (P(x+1, y) − P(x+1, y·e^(−T/patience))) / P(x, y)
      P(wait > t)      = e^(−t/patience) · P(wait > 0) · P(x, y·e^(−t/patience)) / P(x, y)

  A caller who finds j callers waiting is answered with probability x/(x+j+1) after a sum of
  exponential stages; the mean wait of answered calls (ASA) sums those stages over j (the
  digamma function gives each sum). The mean wait of all arrivals is Lq/λ = P(abandon) ·
  patience. Everything is evaluated in logarithms, so a 10,000-agent queue neither overflows
  nor loses the small probabilities of a lightly loaded one. Unlike Erlang C, a queue with
  fewer agents than the load is stable here: the callers who hang up make it so.

What "service level" means is a choice a center makes and must store (issue 14): of all
offered calls (FORMATS.md; a caller who hangs up is a failure), of answered calls only, or of
offered calls less those who hung up within a few seconds ("short abandons").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from scipy.special import digamma, gammainc, gammaln


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
    service_level: float | None  # P(wait <= T); None without T, or without aht where T > 0
    asa_s: float | None  # mean wait of all calls; None where the queue never empties or no aht
    occupancy: float  # traffic / agents (above 1 where the queue grows without end)


def erlang_c(
    agents: int, traffic: float, *, aht_s: float | None, answer_within_s: float | None
) -> QueueFigures:
    """Erlang C figures of `agents` agents, `traffic` Erlangs, a mean handling time of
    `aht_s` seconds and a service level counted within `answer_within_s` seconds."""
    return erlang_c_with_blocking(
        agents,
        traffic,
        erlang_b(agents, traffic),
        aht_s=aht_s,
        answer_within_s=answer_within_s,
    )


def erlang_c_with_blocking(
    agents: int,
    traffic: float,
    blocking: float,
    *,
    aht_s: float | None,
    answer_within_s: float | None,
) -> QueueFigures:
    """Erlang C from a known B(agents, traffic) (see `erlang_a_with_blocking`). The time
    figures need `aht_s`; without it they are None, the probabilities are still given."""
    _check(agents, traffic)
    _check_times(aht_s=aht_s, answer_within_s=answer_within_s)
    if agents == 0:
        raise ErlangError("Erlang C needs at least one agent")
    occupancy = traffic / agents
    never_in_time = None if answer_within_s is None else 0.0
    if traffic >= agents:  # the queue never empties
        return QueueFigures(agents, traffic, 1.0, never_in_time, None, occupancy)
    waiting = agents * blocking / (agents - traffic * (1 - blocking))
    spare = agents - traffic  # agents beyond the load: the rate a queue drains, per aht
    return QueueFigures(
        agents=agents,
        traffic=traffic,
        waiting_probability=waiting,
        service_level=_c_service_level(waiting, spare, aht_s, answer_within_s),
        asa_s=None if aht_s is None else waiting * aht_s / spare,
        occupancy=occupancy,
    )


def _c_service_level(
    waiting: float, spare: float, aht_s: float | None, answer_within_s: float | None
) -> float | None:
    if answer_within_s is None:
        return None
    if answer_within_s == 0:
        return 1 - waiting
    if aht_s is None:
        return None
    return 1 - waiting * math.exp(-spare * answer_within_s / aht_s)


def _check(agents: int, traffic: float) -> None:
    if agents < 0:
        raise ErlangError(f"agents must be 0 or more, not {agents}")
    if not traffic >= 0 or math.isinf(traffic):
        raise ErlangError(f"traffic must be a finite number of Erlangs, 0 or more, not {traffic}")


class ServiceLevelBasis(StrEnum):
    """What the answered-within-T count is divided by."""

    OFFERED = "offered"  # all arrivals; a caller who hangs up counts as a failure
    ANSWERED = "answered"  # answered calls only: abandons are ignored
    OFFERED_LESS_SHORT_ABANDONS = "offered_less_short_abandons"  # hang-ups within S ignored


@dataclass(frozen=True, slots=True)
class AbandonmentFigures:
    """What Erlang A says of `agents` agents answering `traffic` Erlangs of callers who hang
    up after `patience_s` seconds on average."""

    agents: int
    traffic: float
    waiting_probability: float  # P(wait > 0)
    abandon_probability: float
    service_level: float | None  # answered within T on the basis chosen (None without T)
    asa_s: float | None  # mean wait of answered calls; None where no call is answered
    mean_wait_s: float  # mean time in queue over all arrivals, Lq / λ
    occupancy: float  # carried load (answered calls only) / agents


def erlang_a(
    agents: int,
    traffic: float,
    *,
    aht_s: float,
    patience_s: float,
    answer_within_s: float | None,
    basis: ServiceLevelBasis = ServiceLevelBasis.OFFERED,
    short_abandon_s: float = 0.0,
) -> AbandonmentFigures:
    """Erlang A figures of `agents` agents, `traffic` Erlangs, a mean handling time of
    `aht_s` seconds and callers' mean patience of `patience_s` seconds."""
    return erlang_a_with_blocking(
        agents,
        traffic,
        erlang_b(agents, traffic),
        aht_s=aht_s,
        patience_s=patience_s,
        answer_within_s=answer_within_s,
        basis=basis,
        short_abandon_s=short_abandon_s,
    )


def erlang_a_with_blocking(
    agents: int,
    traffic: float,
    blocking: float,
    *,
    aht_s: float,
    patience_s: float,
    answer_within_s: float | None,
    basis: ServiceLevelBasis = ServiceLevelBasis.OFFERED,
    short_abandon_s: float = 0.0,
    with_asa: bool = True,
) -> AbandonmentFigures:
    """Erlang A from a known Erlang B value, so that a staffing search that walks the agent
    count up one at a time pays one recursion step per count, not a whole recursion.
    `with_asa=False` skips the one figure that costs a sum (asa_s comes back None)."""
    _check(agents, traffic)
    _check_times(aht_s=aht_s, answer_within_s=answer_within_s)
    if not patience_s > 0 or math.isinf(patience_s) or short_abandon_s < 0:
        raise ErlangError("patience_s must be a finite number above 0 (Erlang C is infinite)")
    if agents == 0:
        raise ErlangError("Erlang A needs at least one agent")
    if traffic == 0:  # no caller ever comes: nobody waits
        level = None if answer_within_s is None else 1.0
        return AbandonmentFigures(agents, 0.0, 0.0, 0.0, level, 0.0, 0.0, 0.0)
    queue = _AbandoningQueue(agents, traffic, blocking, aht_s=aht_s, patience_s=patience_s)
    abandon = queue.abandon_probability()
    if answer_within_s is None:
        level = None
    else:
        base = _service_level_base(queue, abandon, basis, short_abandon_s)
        level = queue.answered_within(answer_within_s) / base
    return AbandonmentFigures(
        agents=agents,
        traffic=traffic,
        waiting_probability=queue.waiting,
        abandon_probability=abandon,
        service_level=level,
        asa_s=queue.answered_mean_wait(abandon) if with_asa else None,
        mean_wait_s=abandon * patience_s,
        occupancy=traffic * (1 - abandon) / agents,
    )


def _service_level_base(
    queue: _AbandoningQueue, abandon: float, basis: ServiceLevelBasis, short_abandon_s: float
) -> float:
    if basis is ServiceLevelBasis.ANSWERED:
        return 1 - abandon
    if basis is ServiceLevelBasis.OFFERED_LESS_SHORT_ABANDONS:
        return 1 - queue.abandoned_within(short_abandon_s)
    return 1.0


class _AbandoningQueue:
    """The M/M/n+M chain's closed forms in x = n·patience/aht and y = traffic·patience/aht."""

    def __init__(
        self, agents: int, traffic: float, blocking: float, *, aht_s: float, patience_s: float
    ) -> None:
        self.patience_s = patience_s
        self.x = agents * patience_s / aht_s
        self.y = traffic * patience_s / aht_s
        self.log_p = _log_regularized_gamma(self.x, self.y)
        self.log_a = _log_a(self.x, self.y, self.log_p)
        # P(wait > 0) = A·B / (1 + (A − 1)·B); a blocking that underflowed to 0 means that
        # nobody ever waits.
        self.waiting = (
            0.0 if blocking == 0 else 1 / (1 + (1 / blocking - 1) * math.exp(-self.log_a))
        )

    def abandon_probability(self) -> float:
        one_less_inverse_a = -math.expm1(-self.log_a)  # 1 − 1/A, exact even where A ≈ 1
        return max(0.0, self.waiting * (1 - self.x / self.y * one_less_inverse_a))

    def answered_within(self, seconds: float) -> float:
        """P(answered with a wait of `seconds` or less), of all arrivals."""
        later = self.y * math.exp(-seconds / self.patience_s)
        gained = _gamma_ratio(self.x + 1, self.y, self.log_p) - _gamma_ratio(
            self.x + 1, later, self.log_p
        )
        return 1 - self.waiting + self.waiting * self.x / self.y * gained

    def abandoned_within(self, seconds: float) -> float:
        """P(hung up after `seconds` or less): those who waited, less those answered by
        then, less those still waiting then."""
        still_waiting = (
            math.exp(-seconds / self.patience_s)
            * self.waiting
            * _gamma_ratio(self.x, self.y * math.exp(-seconds / self.patience_s), self.log_p)
        )
        answered_after_waiting = self.answered_within(seconds) - (1 - self.waiting)
        return max(0.0, self.waiting - answered_after_waiting - still_waiting)

    def answered_mean_wait(self, abandon: float) -> float | None:
        """Mean wait of answered calls: Σⱼ P(find j waiting, answered) · E[stages | answered],
        the stages of a caller with j ahead lasting 1/(x+1) + … + 1/(x+j+1) patiences."""
        if abandon >= 1:
            return None
        if self.waiting == 0:
            return 0.0
        ahead = _likely_queue_lengths(self.x, self.y)
        log_weight = (
            math.log(self.waiting * self.x)
            - self.log_a
            + ahead * math.log(self.y)
            - (gammaln(self.x + ahead + 2) - gammaln(self.x + 1))
        )
        stages = (digamma(self.x + ahead + 2) - digamma(self.x + 1)) * self.patience_s
        return float(np.sum(np.exp(log_weight) * stages)) / (1 - abandon)


def _likely_queue_lengths(x: float, y: float) -> np.ndarray:
    """The numbers waiting ahead (j) that carry all but a negligible share of the mass:
    the weights yʲ / (x+1)…(x+j+1) peak near j = y − x and fall off within a few √y."""
    peak = max(0.0, y - x)
    spread = 40 * math.sqrt(y + 1) + 60
    return np.arange(max(0, int(peak - spread)), int(peak + spread) + 1, dtype=float)


def _log_a(x: float, y: float, log_p: float) -> float:
    """log A; by its series where it converges fast, there A is near 1 and the gamma
    formula would lose the digits that say by how much."""
    if y < 0.5 * (x + 1):
        total, term, j = 1.0, 1.0, 1
        while term > 1e-17 * total:
            term *= y / (x + j)
            total += term
            j += 1
        return math.log(total)
    return y - x * math.log(y) + float(gammaln(x + 1)) + log_p


def _gamma_ratio(a: float, z: float, log_p_xy: float) -> float:
    """P(a, z) / P(x, y), through logarithms so that two tiny values still divide."""
    return math.exp(_log_regularized_gamma(a, z) - log_p_xy) if z > 0 else 0.0


def _log_regularized_gamma(a: float, z: float) -> float:
    """log P(a, z). Far below its mean (z ≪ a) P underflows; there its series
    P = z^a·e^(−z)/Γ(a+1) · Σₖ zᵏ/((a+1)…(a+k)) converges fast and is summed in logs."""
    value = float(gammainc(a, z))
    if value > 1e-250:
        return math.log(value)
    total, term, k = 1.0, 1.0, 1
    while term > 1e-17 * total:
        term *= z / (a + k)
        total += term
        k += 1
    return a * math.log(z) - z - float(gammaln(a + 1)) + math.log(total)


def _check_times(*, aht_s: float | None, answer_within_s: float | None) -> None:
    if aht_s is not None and (not aht_s > 0 or math.isinf(aht_s)):
        raise ErlangError(f"aht_s must be a number of seconds above 0, not {aht_s}")
    if answer_within_s is not None and not answer_within_s >= 0:
        raise ErlangError(f"answer_within_s must be 0 or more seconds, not {answer_within_s}")
