"""QA sampling (抽检): how many contacts to review a day, and which ones.

Seed 002 §六: "监听数量的确定根据现场每天的通话量找出平均值,根据电话时长的平均值和质检人员数量按照
有效工作时长确定每日监听量,质检主管应该根据统计学的抽样分析方法选择合适的样本,具体有随机抽样,分层抽样等方法".

Both halves live here. `review_capacity` is what the QA team *can* listen to in its effective
hours; `sample_size_for_rate` is what the supervisor *needs* for a pass rate to mean something;
`daily_sample_advice` puts the two side by side. `draw_sample` then picks the contacts (simple
random or stratified by ACD group/team/agent, with the plan's per-agent minimums), and
`split_by_quota` deals them out to the reviewers.

Every draw is reproducible: candidates are put in contact-id order before a `random.Random`
seeded with the plan's seed touches them, so a plan re-run on the same day's contacts, fetched
in whatever order the database likes, picks the same sample (and an audit can show why).
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from statistics import NormalDist


@dataclass(frozen=True, slots=True)
class Candidate:
    """A contact the plan may sample."""

    contact_id: int
    stratum: str = ""  # queue/team/agent code the plan stratifies by ("" = unstratified)
    agent: str = ""  # agent code ("" = unknown)


class Allocation(StrEnum):
    """How a stratified sample shares its size among the strata."""

    PROPORTIONAL = "proportional"  # each stratum gets its share of the candidates
    EQUAL = "equal"  # each stratum the same number, so small queues are not drowned out


def draw_sample(
    candidates: Sequence[Candidate],
    *,
    size: int,
    seed: int,
    allocation: Allocation | None = None,
    agent_minimums: Mapping[str, int] | None = None,
) -> list[Candidate]:
    """Pick `size` contacts, sorted by contact id: simple random when `allocation` is None,
    else stratified by `Candidate.stratum`.

    `agent_minimums` maps an agent code to how many of that agent's contacts this draw must
    include (what the plan's minimum per agent per month still owes). Those are drawn first,
    capped at what the agent has; the allocation then fills the rest of `size` from the other
    candidates. When the minimums alone exceed `size` the minimums win and the sample is larger
    than `size`: an owed review is a commitment to the agent, the size only a target.

    The result never repeats a contact and, without minimums, has min(size, len(candidates))
    contacts: a stratum with too few candidates passes its shortfall to the others.
    """
    if size < 0:
        raise ValueError(f"sample size must be 0 or more, got {size}")
    owed = dict(agent_minimums or {})
    if negative := sorted(agent for agent, minimum in owed.items() if minimum < 0):
        raise ValueError(f"agent minimums must be 0 or more; negative for {', '.join(negative)}")
    pool = _in_contact_order(candidates)
    rng = random.Random(seed)

    chosen: list[Candidate] = []
    for agent in sorted(owed):
        theirs = [c for c in pool if c.agent == agent]
        chosen += rng.sample(theirs, min(owed[agent], len(theirs)))
    wanted = size - len(chosen)
    if wanted > 0:
        taken = {c.contact_id for c in chosen}
        rest = [c for c in pool if c.contact_id not in taken]
        chosen += _fill(rest, wanted=wanted, allocation=allocation, rng=rng)
    return sorted(chosen, key=lambda c: c.contact_id)


def split_by_quota(
    chosen: Sequence[Candidate], quotas: Mapping[str, int], *, seed: int
) -> dict[str, list[Candidate]]:
    """Deal the chosen contacts to reviewers in proportion to their quota weights.

    Each reviewer's count is within one of their exact share (largest remainder), and every
    contact goes to exactly one reviewer. Contacts are dealt agent by agent through an evenly
    interleaved rota, so one agent's calls are spread over the reviewers: a single reviewer's
    habits should not decide an agent's month. Every reviewer in `quotas` has a key, those with
    quota 0 an empty list; each list is sorted by contact id.
    """
    if negative := sorted(reviewer for reviewer, quota in quotas.items() if quota < 0):
        raise ValueError(f"reviewer quotas must be 0 or more; negative for {', '.join(negative)}")
    if not any(quotas.values()):
        raise ValueError("at least one reviewer needs a quota above 0 to receive contacts")
    rng = random.Random(seed)
    reviewers = sorted(quotas)
    counts = _largest_remainder(
        {r: quotas[r] for r in reviewers}, total=len(chosen), tie_order=_shuffled(reviewers, rng)
    )
    rota = _interleaved(counts)
    contacts = _in_contact_order(chosen)
    # Random order within an agent, so which reviewer gets an agent's first call varies by day.
    rng.shuffle(contacts)
    contacts.sort(key=lambda c: c.agent)
    dealt: dict[str, list[Candidate]] = {r: [] for r in reviewers}
    for reviewer, contact in zip(rota, contacts, strict=True):
        dealt[reviewer].append(contact)
    return {r: sorted(dealt[r], key=lambda c: c.contact_id) for r in reviewers}


def review_capacity(
    *, reviewers: int, effective_hours: float, avg_handle_s: float, overhead_s: float = 120.0
) -> int:
    """Contacts the QA team can review in a day.

    Each review costs the call's average handle time (listening to it) plus `overhead_s` for
    scoring and writing the record. A review is not split between people, so the count is
    whole reviews per reviewer, times the reviewers.
    """
    if reviewers <= 0:
        raise ValueError(f"reviewers must be at least 1, got {reviewers}")
    if effective_hours <= 0:
        raise ValueError(f"effective hours must be above 0, got {effective_hours}")
    if avg_handle_s <= 0:
        raise ValueError(f"average handle time must be above 0 seconds, got {avg_handle_s}")
    if overhead_s < 0:
        raise ValueError(f"overhead per review must be 0 seconds or more, got {overhead_s}")
    per_reviewer = _floor(effective_hours * 3600 / (avg_handle_s + overhead_s))
    return reviewers * per_reviewer


def sample_size_for_rate(
    *,
    margin: float,
    confidence: float = 0.95,
    expected_rate: float = 0.5,
    population: int | None = None,
) -> int:
    """Contacts to review for a pass rate within ±`margin` at `confidence`.

    The normal approximation n₀ = z²·p(1−p)/e², with Cochran's finite population correction
    n₀/(1 + (n₀−1)/N) when `population` is given (a day's 1,000 calls need fewer reviews than
    an endless stream). `expected_rate` 0.5 is the safe guess: it needs the most reviews.
    """
    _check_margin(margin)
    z2pq = _z_squared_pq(confidence=confidence, expected_rate=expected_rate)
    needed = z2pq / margin**2
    if population is not None:
        _check_population(population)
        needed = needed / (1 + (needed - 1) / population)
    return _ceil(needed)


def margin_for_sample(
    *,
    sample: int,
    confidence: float = 0.95,
    expected_rate: float = 0.5,
    population: int | None = None,
) -> float:
    """The ±margin a sample of `sample` contacts gives a pass rate: the inverse of
    `sample_size_for_rate`. A sample that covers the whole population has no sampling error."""
    if sample <= 0:
        raise ValueError(f"sample must be at least 1 contact, got {sample}")
    z2pq = _z_squared_pq(confidence=confidence, expected_rate=expected_rate)
    variance = z2pq / sample
    if population is not None:
        _check_population(population)
        if sample >= population:
            return 0.0
        variance *= (population - sample) / (population - 1)
    return math.sqrt(variance)


@dataclass(frozen=True, slots=True)
class DailySampleAdvice:
    """What §六 asks a QA supervisor to weigh: the reviews the team can do against the reviews
    a meaningful pass rate needs."""

    avg_daily_volume: float
    capacity: int  # reviews the team can do a day
    share_reviewable: float  # capacity as a share of the day's contacts, at most 1
    needed_for_margin: int  # reviews a day for the requested margin
    # The margin if the team reviews all it can; None when it cannot fit one review in a day.
    margin_at_capacity: float | None
    recommended_daily_sample: int  # the needed reviews, or the capacity when that is short
    # The headcount the needed reviews take; None when one review does not fit in a day.
    reviewers_needed: int | None


def daily_sample_advice(
    *,
    avg_daily_volume: float,
    avg_handle_s: float,
    reviewers: int,
    effective_hours: float,
    margin: float,
    confidence: float = 0.95,
    expected_rate: float = 0.5,
    overhead_s: float = 120.0,
) -> DailySampleAdvice:
    """The daily listening amount (每日监听量) from the average daily volume, the average handle
    time, the QA headcount and its effective hours, with the statistics behind it."""
    if avg_daily_volume <= 0:
        raise ValueError(f"average daily volume must be above 0, got {avg_daily_volume}")
    # The finite population correction needs a whole day's count; an average is rounded to one.
    population = max(1, round(avg_daily_volume))
    capacity = review_capacity(
        reviewers=reviewers,
        effective_hours=effective_hours,
        avg_handle_s=avg_handle_s,
        overhead_s=overhead_s,
    )
    per_reviewer = capacity // reviewers
    needed = sample_size_for_rate(
        margin=margin, confidence=confidence, expected_rate=expected_rate, population=population
    )
    margin_at_capacity = (
        margin_for_sample(
            sample=capacity,
            confidence=confidence,
            expected_rate=expected_rate,
            population=population,
        )
        if capacity
        else None
    )
    return DailySampleAdvice(
        avg_daily_volume=avg_daily_volume,
        capacity=capacity,
        share_reviewable=min(1.0, capacity / avg_daily_volume),
        needed_for_margin=needed,
        margin_at_capacity=margin_at_capacity,
        recommended_daily_sample=min(needed, capacity),
        reviewers_needed=math.ceil(needed / per_reviewer) if per_reviewer else None,
    )


def _fill(
    pool: list[Candidate], *, wanted: int, allocation: Allocation | None, rng: random.Random
) -> list[Candidate]:
    if allocation is None:
        return rng.sample(pool, min(wanted, len(pool)))
    strata: dict[str, list[Candidate]] = {}
    for candidate in pool:
        strata.setdefault(candidate.stratum, []).append(candidate)
    names = sorted(strata)
    quotas = _capped_allocation(
        {name: len(strata[name]) for name in names},
        total=min(wanted, len(pool)),
        allocation=allocation,
        tie_order=_shuffled(names, rng),
    )
    return [c for name in names for c in rng.sample(strata[name], quotas[name])]


def _capped_allocation(
    available: dict[str, int], *, total: int, allocation: Allocation, tie_order: Sequence[str]
) -> dict[str, int]:
    """Share `total` (at most the sum of `available`) among the strata by `allocation`; a
    stratum given more than it has keeps what it has and the rest is shared again among the
    strata that still have candidates."""
    quotas: dict[str, int] = {}
    open_strata = dict(available)
    remaining = total
    while open_strata:
        weights = {
            name: count if allocation is Allocation.PROPORTIONAL else 1
            for name, count in open_strata.items()
        }
        shares = _largest_remainder(weights, total=remaining, tie_order=tie_order)
        short = [name for name, share in shares.items() if share > open_strata[name]]
        if not short:
            return quotas | shares
        for name in short:
            quotas[name] = open_strata.pop(name)
            remaining -= quotas[name]
    return quotas


def _largest_remainder(
    weights: Mapping[str, int], *, total: int, tie_order: Sequence[str]
) -> dict[str, int]:
    """Hamilton's method: each key gets the floor of its exact share, and the seats left over go
    to the largest remainders. Every count is within one of the exact share. Equal remainders
    are settled by `tie_order`, which callers shuffle with the seed so the same stratum or
    reviewer does not win every tie, day after day."""
    whole = sum(weights.values())  # above 0: callers refuse all-zero quotas, strata are never empty
    # Integer arithmetic: remainders are compared exactly, never as rounded floats.
    floors = {key: total * weight // whole for key, weight in weights.items()}
    remainders = {key: total * weight % whole for key, weight in weights.items()}
    rank = {key: position for position, key in enumerate(tie_order)}
    by_remainder = sorted(weights, key=lambda key: (-remainders[key], rank[key]))
    for key in by_remainder[: total - sum(floors.values())]:
        floors[key] += 1
    return floors


def _interleaved(counts: Mapping[str, int]) -> list[str]:
    """A rota where each reviewer appears `counts[reviewer]` times, spread evenly: turn k of a
    reviewer with c turns sits at (k + ½)/c of the way through, as in stride scheduling."""
    turns = [
        (Fraction(2 * k + 1, 2 * count), position, reviewer)
        for position, (reviewer, count) in enumerate(counts.items())
        for k in range(count)
    ]
    return [reviewer for _, _, reviewer in sorted(turns)]


def _in_contact_order(candidates: Sequence[Candidate]) -> list[Candidate]:
    repeated = sorted(
        contact for contact, n in Counter(c.contact_id for c in candidates).items() if n > 1
    )
    if repeated:
        raise ValueError(f"contacts appear more than once: {', '.join(map(str, repeated))}")
    return sorted(candidates, key=lambda c: c.contact_id)


def _shuffled(names: Sequence[str], rng: random.Random) -> list[str]:
    order = list(names)
    rng.shuffle(order)
    return order


def _z_squared_pq(*, confidence: float, expected_rate: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (e.g. 0.95), got {confidence}")
    if not 0 < expected_rate < 1:
        # At exactly 0 or 1 the normal approximation claims no review is needed at all.
        raise ValueError(f"expected rate must be strictly between 0 and 1, got {expected_rate}")
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    return z * z * expected_rate * (1 - expected_rate)


def _check_margin(margin: float) -> None:
    if not 0 < margin < 1:
        raise ValueError(f"margin must be between 0 and 1 (e.g. 0.05 for ±5%), got {margin}")


def _check_population(population: int) -> None:
    if population < 1:
        raise ValueError(f"population must be at least 1 contact, got {population}")


# Inputs are decimals a person typed (7.2 hours, a ±3% margin); rounding to 9 places first
# keeps binary noise such as 59.99999999999999 from costing or adding a whole review.
def _floor(value: float) -> int:
    return math.floor(round(value, 9))


def _ceil(value: float) -> int:
    return math.ceil(round(value, 9))
