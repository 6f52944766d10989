"""Whether a shift swap (换班) on a published roster keeps the roster's hard rules.

An agent (the giver) hands one of their shifts to a colleague (the taker): a give-away
(替班), or an exchange where the taker hands one of theirs back, on the same date or
another. Nothing else moves, so the roster's coverage is the same by construction: the same
shifts, at the same hours, in the same pools, only worked by other people.

What can break is each person's own schedule. `check_swap` rebuilds both schedules as they
would be after the swap and checks every shift that *arrives* in a schedule against the
roster's hard rules (`lingting.engine.rostering`): the skill (pool) of the shift, no leave
that date, at most one shift a date, at least 11 h of rest, no morning shift within 48 h of
a night shift, forward rotation on consecutive dates, at most 6 working days in a row, and
the agent's weekly and monthly hour caps (under 综合计算工时 a rotation team has no weekly
cap: the `Agent` says so with `week_max_hours` None). Breaches the schedule already had
before the swap are not the swap's doing and are not reported; a cap counts only where the
swap adds hours to a week or month already at or over it.

Each breach names the agent, the rule, the date and the figures, so a page can say *why* a
swap is refused ("A1002: only 8 h of rest between 10-13 中 and 10-14 早, at least 11 h").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from lingting.engine.rostering import Agent, RosterRules
from lingting.engine.rotation import ShiftTemplate

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


class SwapRule(StrEnum):
    """The rules a swap can break, the roster's hard rules and what a person brings."""

    SKILL = "skill"
    LEAVE = "leave"
    SAME_DAY = "same_day"
    REST = "rest"
    TURNAROUND = "turnaround"
    FORWARD = "forward"
    CONSECUTIVE = "consecutive"
    WEEK_CAP = "week_cap"
    MONTH_CAP = "month_cap"


@dataclass(frozen=True, slots=True)
class Worked:
    """A shift on a person's schedule: its date, its template (times) and its pool."""

    day: date
    template: ShiftTemplate
    queue: str | None = None

    @property
    def start(self) -> datetime:
        return self.template.span_on(self.day)[0]

    @property
    def end(self) -> datetime:
        return self.template.span_on(self.day)[1]

    @property
    def hours(self) -> float:
        return self.template.hours

    def __str__(self) -> str:
        return f"{self.day:%m-%d} {self.template.code}"


@dataclass(frozen=True, slots=True)
class Schedule:
    """A person and their shifts around the swapped dates: for the caps, the whole weeks
    and months of those dates; for rest and days in a row, a week either side."""

    agent: Agent
    shifts: tuple[Worked, ...]


@dataclass(frozen=True, slots=True)
class Swap:
    """`given` leaves the giver's schedule for the taker's; `returned`, in an exchange,
    leaves the taker's for the giver's."""

    giver: Schedule
    taker: Schedule
    given: Worked
    returned: Worked | None = None


@dataclass(frozen=True, slots=True)
class Breach:
    """A rule the swap breaks for one agent, with its figures.

    `shift` is the arriving shift; `other` the shift it clashes with (rest, turnaround,
    forward rotation, same date); `amount` what the schedule would have (hours of rest,
    days in a row, hours in the week or month) against `limit`.
    """

    agent_id: str
    rule: SwapRule
    shift: Worked
    other: Worked | None = None
    amount: float | None = None
    limit: float | None = None

    def __str__(self) -> str:
        head = f"{self.agent_id}: {self.shift}"
        match self.rule:
            case SwapRule.SKILL:
                return f"{head}: no skill for the pool {self.shift.queue}"
            case SwapRule.LEAVE:
                return f"{head}: on leave that date"
            case SwapRule.SAME_DAY:
                return f"{head}: already works {self.other} that date"
            case SwapRule.REST:
                rest = f"{self.amount:g} h of rest next to {self.other}"
                return f"{head}: {rest}, at least {self.limit:g} h"
            case SwapRule.TURNAROUND:
                rest = f"morning {self.amount:g} h after the night {self.other}"
                return f"{head}: {rest}, at least {self.limit:g} h"
            case SwapRule.FORWARD:
                return f"{head}: starts earlier in the day than {self.other} the day before"
            case SwapRule.CONSECUTIVE:
                return f"{head}: {self.amount:g} working days in a row, at most {self.limit:g}"
            case SwapRule.WEEK_CAP:
                return f"{head}: {self.amount:g} h in the week, at most {self.limit:g} h"
            case SwapRule.MONTH_CAP:
                return f"{head}: {self.amount:g} h in the month, at most {self.limit:g} h"


def check_swap(swap: Swap, rules: RosterRules | None = None) -> tuple[Breach, ...]:
    """Every rule the swap breaks, for the taker first, then the giver; () if none."""
    rules = rules or RosterRules()
    returned = (swap.returned,) if swap.returned else ()
    return (
        *_arrivals(swap.taker, leaving=returned, arriving=(swap.given,), rules=rules),
        *_arrivals(swap.giver, leaving=(swap.given,), arriving=returned, rules=rules),
    )


def _arrivals(
    schedule: Schedule, *, leaving: Sequence[Worked], arriving: Sequence[Worked], rules: RosterRules
) -> list[Breach]:
    before = list(schedule.shifts)
    after = [shift for shift in before if shift not in leaving] + list(arriving)
    agent = schedule.agent
    breaches: list[Breach] = []
    for shift in arriving:
        breaches += _person(agent, shift, after)
        breaches += _pairs(agent, shift, after, rules)
        breaches += _in_a_row(agent, shift, after, rules)
        breaches += _caps(agent, shift, before, after)
    return breaches


def _person(agent: Agent, shift: Worked, after: Iterable[Worked]) -> list[Breach]:
    """The skill of the pool, leave, and one shift a date."""
    breaches = []
    if shift.queue is not None and shift.queue not in agent.skills:
        breaches.append(Breach(agent.id, SwapRule.SKILL, shift))
    if shift.day in agent.leave:
        breaches.append(Breach(agent.id, SwapRule.LEAVE, shift))
    for other in after:
        if other is not shift and other.day == shift.day:
            breaches.append(Breach(agent.id, SwapRule.SAME_DAY, shift, other))
    return breaches


def _pairs(
    agent: Agent, shift: Worked, after: Iterable[Worked], rules: RosterRules
) -> list[Breach]:
    """Rest, turnaround and forward rotation between the arriving shift and its neighbours
    on other dates (before it and after it)."""
    breaches = []
    for other in after:
        if other.day == shift.day:
            continue
        earlier, later = (other, shift) if other.day < shift.day else (shift, other)
        for rule, amount, limit in _pair_breaches(earlier, later, rules):
            breaches.append(Breach(agent.id, rule, shift, other, amount, limit))
    return breaches


def _pair_breaches(
    earlier: Worked, later: Worked, rules: RosterRules
) -> Iterable[tuple[SwapRule, float | None, float | None]]:
    rest = later.start - earlier.end
    if rest < rules.min_rest:
        yield SwapRule.REST, _hours(rest), _hours(rules.min_rest)
    night_to_morning = earlier.template.is_night and later.template.is_morning
    if night_to_morning and rest < rules.night_to_morning_rest:
        yield SwapRule.TURNAROUND, _hours(rest), _hours(rules.night_to_morning_rest)
    next_day = later.day - earlier.day == DAY
    if rules.forward_rotation and next_day and later.template.start < earlier.template.start:
        yield SwapRule.FORWARD, None, None


def _in_a_row(
    agent: Agent, shift: Worked, after: Iterable[Worked], rules: RosterRules
) -> list[Breach]:
    """The run of consecutive working dates through the arriving shift's date."""
    worked = {other.day for other in after}
    first = last = shift.day
    while first - DAY in worked:
        first -= DAY
    while last + DAY in worked:
        last += DAY
    run = (last - first).days + 1
    if run <= rules.max_consecutive_days:
        return []
    return [Breach(agent.id, SwapRule.CONSECUTIVE, shift, None, run, rules.max_consecutive_days)]


def _caps(
    agent: Agent, shift: Worked, before: Iterable[Worked], after: Iterable[Worked]
) -> list[Breach]:
    """The week's and the month's hours where the swap adds to them above the cap."""
    breaches = []
    for rule, cap, period_of in (
        (SwapRule.WEEK_CAP, agent.week_max_hours, _week_of),
        (SwapRule.MONTH_CAP, agent.month_max_hours, _month_of),
    ):
        if cap is None:
            continue
        period = period_of(shift.day)
        now = sum(s.hours for s in after if period_of(s.day) == period)
        was = sum(s.hours for s in before if period_of(s.day) == period)
        if now > cap + 1e-9 and now > was:
            breaches.append(Breach(agent.id, rule, shift, None, round(now, 2), cap))
    return breaches


def _week_of(day: date) -> date:
    return day - DAY * day.weekday()


def _month_of(day: date) -> date:
    return day.replace(day=1)


def _hours(span: timedelta) -> float:
    return round(span / HOUR, 2)
