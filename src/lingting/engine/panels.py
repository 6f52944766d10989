"""The fixed-customer panel (固定客户感知跟踪, seed 004 篇1): the same key customers called back
each quarter to follow how they perceive the service.

Shanghai Unicom moved from random satisfaction callbacks to a fixed panel "borrowing the
observation method of clinical medicine": the same 3G and broadband key customers, called by
service managers themselves three times a year, about network quality, counter service,
value-added services and billing reminders; "24.2% of the first recruited panel felt the
service had improved". Four pieces:

- `draw_members`: who joins, a seeded draw spread over the segments in proportion to their
  sizes, never a customer who was ever in the panel, never a number on the do-not-call list;
  a replacement comes from the segment the panel is now shortest of (the leaver's, usually);
- `quarterly_waves`: the calling rounds, every three months from a first date;
- `movement`: how the same customers moved between two waves (those who answered both);
- `attrition_by_wave`: who left the panel in each wave's time, and why.
"""

from __future__ import annotations

import calendar
import random
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from lingting.engine.survey_figures import Estimate, share_estimate

MONTHS_BETWEEN_WAVES = 3
IMPROVED = "improved"  # the perception answer "the service got better"

# --- recruiting --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    customer_id: int
    phone: str


@dataclass(frozen=True, slots=True)
class SegmentPool:
    """A segment's customers as they are today."""

    name: str
    customers: Sequence[Candidate]


@dataclass(frozen=True, slots=True)
class Recruit:
    customer_id: int
    segment: str  # the segment the seat was drawn for


def draw_members(
    segments: Sequence[SegmentPool],
    *,
    size: int,
    members: Collection[int],
    excluded: Collection[int],
    do_not_call: Collection[str],
    seed: int | str,
    limit: int | None = None,
) -> list[Recruit]:
    """New members for a panel of `size` that holds `members` (customer ids) now: up to
    `size - len(members)` of them (at most `limit`), sorted by customer id.

    A customer in several segments counts in the first of `segments` that holds them, so the
    segments share no one. Each segment's fair share of the panel is `size` split in
    proportion to the segments' sizes; seats go one by one to the segment furthest below its
    share, counting the members it already has (ties: the earlier segment), among those with
    candidates left. So a first recruitment follows the sizes, and a replacement comes from
    the segment that lost a member. Candidates: never a customer in `excluded` (ever in the
    panel), never one without a phone or whose phone is in `do_not_call`.

    The draw is reproducible: each segment's candidates are put in id order before a
    `random.Random(seed)` picks, whatever order they came in.
    """
    if size < 0:
        raise ValueError(f"panel size must be 0 or more, got {size}")
    home = _first_segment_of_each_customer(segments)
    names = [pool.name for pool in segments]
    sizes = Counter(home.values())
    held = Counter(home[customer] for customer in members if customer in home)
    barred = set(excluded) | set(members)
    refused_numbers = set(do_not_call)
    eligible: dict[str, set[int]] = {name: set() for name in names}
    for pool in segments:
        for candidate in pool.customers:
            if (
                home[candidate.customer_id] == pool.name
                and candidate.customer_id not in barred
                and candidate.phone
                and candidate.phone not in refused_numbers
            ):
                eligible[pool.name].add(candidate.customer_id)
    wanted = size - len(members)
    if limit is not None:
        wanted = min(wanted, limit)
    room = {name: len(eligible[name]) for name in names}
    seats = _seats(names, sizes=sizes, held=held, room=room, size=size, wanted=wanted)
    rng = random.Random(seed)
    drawn = [
        Recruit(customer_id, name)
        for name in names
        for customer_id in rng.sample(sorted(eligible[name]), seats[name])
    ]
    return sorted(drawn, key=lambda recruit: recruit.customer_id)


def _first_segment_of_each_customer(segments: Sequence[SegmentPool]) -> dict[int, str]:
    home: dict[int, str] = {}
    for pool in segments:
        for candidate in pool.customers:
            home.setdefault(candidate.customer_id, pool.name)
    return home


def _seats(
    names: Sequence[str],
    *,
    sizes: Mapping[str, int],
    held: Mapping[str, int],
    room: Mapping[str, int],
    size: int,
    wanted: int,
) -> dict[str, int]:
    """How many new members each segment gives. A segment's gap to its share is
    size × its customers ÷ all customers − what it holds; compared times all customers, so
    the sums stay whole numbers and equal gaps are really equal."""
    total = sum(sizes.values())
    seats = dict.fromkeys(names, 0)
    for _ in range(max(wanted, 0)):
        open_names = [name for name in names if seats[name] < room[name]]
        if not open_names or total == 0:
            break
        furthest = max(
            open_names,
            key=lambda name: (
                size * sizes[name] - (held.get(name, 0) + seats[name]) * total,
                -names.index(name),
            ),
        )
        seats[furthest] += 1
    return seats


# --- the waves ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlannedWave:
    name: str
    opens_on: date
    closes_on: date


def quarterly_waves(*, first_opens_on: date, count: int, open_days: int) -> list[PlannedWave]:
    """`count` waves three months apart from `first_opens_on`, each open `open_days` days
    (its first and last day included) and named by its quarter: "2027年第1季度". Month ends
    are kept: from 31 January the next wave opens on 30 April."""
    if count < 1:
        raise ValueError(f"at least one wave, got {count}")
    if open_days < 1:
        raise ValueError(f"a wave is open at least one day, got {open_days}")
    opens = [_months_later(first_opens_on, k * MONTHS_BETWEEN_WAVES) for k in range(count)]
    waves = [
        PlannedWave(_quarter_name(day), day, day + timedelta(days=open_days - 1)) for day in opens
    ]
    for wave, following in pairwise(waves):
        if wave.closes_on >= following.opens_on:
            raise ValueError(
                f"a wave open {open_days} days runs into the next one: "
                f"{wave.name} closes on {wave.closes_on}, {following.name} opens on "
                f"{following.opens_on}"
            )
    return waves


def _months_later(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _quarter_name(day: date) -> str:
    return f"{day.year}年第{(day.month - 1) // 3 + 1}季度"


# --- how the same customers moved --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MemberAnswer:
    """A member's answered call in a wave."""

    member_id: int
    satisfaction: int  # 1–5
    aspects: Mapping[str, int]  # aspect → 1–5, those the member rated
    perception: str = ""  # "improved", "same", "worse"; "" not asked


@dataclass(frozen=True, slots=True)
class AspectMove:
    aspect: str
    before: float | None  # mean of the members who rated it in both waves
    after: float | None
    count: int


@dataclass(frozen=True, slots=True)
class Movement:
    """Between an earlier and a later wave, over the members who answered both."""

    count: int
    before: float | None  # mean satisfaction then
    after: float | None  # and now
    rose: int
    held: int
    fell: int
    # the later wave's "the service got better", among those of `count` asked it
    improved: Estimate
    aspects: tuple[AspectMove, ...]

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def movement(
    earlier: Sequence[MemberAnswer], later: Sequence[MemberAnswer], *, aspects: Sequence[str]
) -> Movement:
    """How the members who answered both waves moved: satisfaction then and now, how many
    rose, held or fell, the share who said the service improved (with its 95% margin), and
    each of `aspects` then and now."""
    then, now = _by_member(earlier), _by_member(later)
    both = sorted(then.keys() & now.keys())
    pairs = [(then[member], now[member]) for member in both]
    asked = [after.perception for _, after in pairs if after.perception]
    return Movement(
        count=len(pairs),
        before=_mean([before.satisfaction for before, _ in pairs]),
        after=_mean([after.satisfaction for _, after in pairs]),
        rose=sum(after.satisfaction > before.satisfaction for before, after in pairs),
        held=sum(after.satisfaction == before.satisfaction for before, after in pairs),
        fell=sum(after.satisfaction < before.satisfaction for before, after in pairs),
        improved=share_estimate(asked.count(IMPROVED), len(asked)),
        aspects=tuple(_aspect_move(aspect, pairs) for aspect in aspects),
    )


def _by_member(answers: Sequence[MemberAnswer]) -> dict[int, MemberAnswer]:
    found: dict[int, MemberAnswer] = {}
    for answer in answers:
        if answer.member_id in found:
            raise ValueError(f"member {answer.member_id} answered one wave twice")
        found[answer.member_id] = answer
    return found


def _aspect_move(aspect: str, pairs: Sequence[tuple[MemberAnswer, MemberAnswer]]) -> AspectMove:
    rated = [
        (before.aspects[aspect], after.aspects[aspect])
        for before, after in pairs
        if aspect in before.aspects and aspect in after.aspects
    ]
    return AspectMove(
        aspect,
        before=_mean([then for then, _ in rated]),
        after=_mean([now for _, now in rated]),
        count=len(rated),
    )


def _mean(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None


# --- attrition ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Membership:
    member_id: int
    joined_on: date
    left_on: date | None = None
    left_reason: str = ""
    replaced: bool = False  # someone was drawn in their place


@dataclass(frozen=True, slots=True)
class WaveStart:
    name: str
    opens_on: date


@dataclass(frozen=True, slots=True)
class WaveAttrition:
    """The panel in one wave's time: from the wave's opening to the next wave's (the first
    from the panel's first member, so one who left before the first call still counts)."""

    wave: str
    opens_on: date
    at_start: int  # in the panel when this time began
    joined: int  # replacements and late recruits since
    left: int
    by_reason: Mapping[str, int]
    replaced: int  # of those who left

    @property
    def members(self) -> int:
        return self.at_start + self.joined

    @property
    def rate(self) -> float | None:
        """The share of the members this time had who left in it."""
        return self.left / self.members if self.members else None


def attrition_by_wave(
    waves: Sequence[WaveStart], memberships: Sequence[Membership]
) -> list[WaveAttrition]:
    """Per wave, in opening order: members at its start, joined and left since (until the
    next wave opens; the last wave's time has no end), the leavers by reason, how many of
    them were replaced, and the attrition rate."""
    ordered = sorted(waves, key=lambda wave: wave.opens_on)
    first_joined = min((m.joined_on for m in memberships), default=None)
    rows = []
    for position, wave in enumerate(ordered):
        start = wave.opens_on
        if position == 0 and first_joined is not None:
            start = min(start, first_joined)
        end = ordered[position + 1].opens_on if position + 1 < len(ordered) else None
        present = [
            m
            for m in memberships
            if (end is None or m.joined_on < end) and (m.left_on is None or m.left_on >= start)
        ]
        leavers = [m for m in present if m.left_on is not None and (end is None or m.left_on < end)]
        at_start = sum(m.joined_on <= start for m in present)
        rows.append(
            WaveAttrition(
                wave=wave.name,
                opens_on=wave.opens_on,
                at_start=at_start,
                joined=len(present) - at_start,
                left=len(leavers),
                by_reason=dict(Counter(m.left_reason for m in leavers)),
                replaced=sum(m.replaced for m in leavers),
            )
        )
    return rows
