"""Placing every agent's breaks: each inside its window, few enough of a group away at once,
where the forecast has slack (issue 14; seed 000 §1(2), the rules in `break_rules`).

- **Windows**: each break starts on the slot grid (5 minutes by default, counted from the
  midnight before the earliest shift) inside its window by time worked
  (`break_rules.break_windows`).
- **Cap**: at no slot are more than the group's cap of its agents on break (a group is a
  team or a queue; each shift names one). A group without a cap has none.
- **Slack**: `StaffingInterval`s give each group's scheduled agents and fractional
  requirement per interval; a slot's slack is scheduled − required. Breaks go first where
  they take no agent below the requirement (the *shortfall*, agent-minutes below it), then
  where they leave the remaining slack most even: the solver minimises
  Σ (slack − on break)² over the slots, which fills the deepest slack first and never
  piles every break into the single best slot. A slot without a staffing figure counts as
  slack 0 that breaks cannot short: with no forecast at all, breaks simply spread out.

Solved with OR-Tools CP-SAT, one model per group (groups share nothing). Agents of a group
on the same shift are interchangeable, so the model does not tell them apart: it counts how
many start each break at each slot, and those starts are handed to the agents in order of
their ids. 300 agents come down to a few dozen shift patterns, which solve in well under a
second (benchmarks/breaks_day.py).

**Never a partial answer.** When some break cannot be placed the planner raises
`BreaksInfeasible` with every obstacle it found: the agent, rule and window that holds no
slot; or, for a cap no placement can keep, the smallest cap that works (found by the
solver, minimising the most agents away at once) and the span of time that the cap leaves
too little room in.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby, pairwise

from ortools.sat.python import cp_model

from lingting.engine.break_rules import (
    SEED_000_RULES,
    BreakRule,
    BreakWindow,
    Shift,
    break_windows,
    checked_rules,
)

SLOT = timedelta(minutes=5)
HUNDREDTHS = 100  # the requirement is fractional; the solver counts slack in 1/100 agent
DEFAULT_TIME_LIMIT_S = 4.0  # all groups together; the issue asks a day of 300 agents in 5 s


@dataclass(frozen=True, slots=True)
class StaffingInterval:
    """A group's agents scheduled for an interval and the (fractional) agents it requires,
    e.g. from Erlang C (`lingting.engine.erlang`)."""

    group: str
    start: datetime
    end: datetime
    scheduled: int
    required: float

    @property
    def slack(self) -> float:
        return self.scheduled - self.required


@dataclass(frozen=True, slots=True)
class PlannedBreak:
    shift: Shift
    rule: BreakRule
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class GroupSummary:
    group: str
    breaks: int
    cap: int | None
    peak: int  # the most of the group's agents on break at any slot
    shortfall_agent_minutes: float  # below the requirement because of the breaks
    optimal: bool  # proved the best placement; False: the best found in the time limit


@dataclass(frozen=True, slots=True)
class BreakPlan:
    breaks: tuple[PlannedBreak, ...]  # by start, then agent
    groups: tuple[GroupSummary, ...]  # by group


@dataclass(frozen=True, slots=True)
class Obstacle:
    """Why some breaks of a group cannot be placed, and what would let them."""

    group: str
    reason: str
    agent: str | None = None
    rule: str | None = None
    smallest_cap: int | None = None  # for a cap that is too low: the lowest that works


class BreaksInfeasible(Exception):
    """No plan gives every agent every break: `obstacles` says what stands in the way."""

    def __init__(self, obstacles: Sequence[Obstacle]) -> None:
        self.obstacles = tuple(obstacles)
        super().__init__("\n".join(obstacle.reason for obstacle in self.obstacles))


@dataclass(frozen=True, slots=True)
class _Grid:
    """Slot i starts at origin + i·slot."""

    origin: datetime
    slot: timedelta

    def first_at_or_after(self, moment: datetime) -> int:
        return -((self.origin - moment) // self.slot)

    def last_at_or_before(self, moment: datetime) -> int:
        return (moment - self.origin) // self.slot

    def slots_covering(self, length: timedelta) -> int:
        return -(-length // self.slot)

    def moment(self, index: int) -> datetime:
        return self.origin + index * self.slot


@dataclass(frozen=True, slots=True)
class _Choice:
    """One rule's breaks for agents on the same shift: the solver only counts how many of
    them start at each slot of `starts`."""

    shifts: tuple[Shift, ...]  # by agent
    rule: BreakRule
    starts: range
    slots: int  # slots one break takes

    @property
    def agents(self) -> int:
        return len(self.shifts)

    @property
    def span(self) -> range:
        """Every slot one of these breaks may cover."""
        return range(self.starts.start, self.starts.stop - 1 + self.slots)


@dataclass(frozen=True, slots=True)
class _Placed:
    breaks: tuple[PlannedBreak, ...]
    summary: GroupSummary


def plan_breaks(
    shifts: Sequence[Shift],
    *,
    rules: Sequence[BreakRule] = SEED_000_RULES,
    caps: Mapping[str, int] | None = None,
    staffing: Sequence[StaffingInterval] = (),
    slot: timedelta = SLOT,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
) -> BreakPlan:
    """Every break due in `shifts` under `rules`, or BreaksInfeasible naming each obstacle.

    `caps` maps a group to the most of its agents on break at once; `staffing` gives the
    groups' slack to prefer; `time_limit_s` bounds the solver over all groups (a group that
    runs out keeps the best plan found, marked not optimal)."""
    ordered_rules = checked_rules(rules)
    caps = dict(caps or {})
    _check_settings(caps, slot, time_limit_s)
    if not shifts:
        return BreakPlan((), ())
    grid = _Grid(_midnight_before(min(shift.start for shift in shifts)), slot)
    obstacles: list[Obstacle] = []
    placed: list[_Placed] = []
    by_group = _by_group(shifts)
    deadline = time.monotonic() + time_limit_s
    for left, (group, members) in enumerate(by_group.items()):
        choices, unfit = _choices(members, ordered_rules, grid)
        obstacles.extend(unfit)
        if unfit:
            continue
        budget = max(deadline - time.monotonic(), 0.01) / (len(by_group) - left)
        slack = _slack_by_slot(group, choices, staffing, grid)
        outcome = _solve_group(group, choices, caps.get(group), slack, grid, budget)
        if isinstance(outcome, Obstacle):
            obstacles.append(outcome)
        else:
            placed.append(outcome)
    if obstacles:
        raise BreaksInfeasible(obstacles)
    breaks = sorted(
        (b for group in placed for b in group.breaks), key=lambda b: (b.start, b.shift.agent)
    )
    return BreakPlan(tuple(breaks), tuple(group.summary for group in placed))


def _check_settings(caps: Mapping[str, int], slot: timedelta, time_limit_s: float) -> None:
    for group, cap in caps.items():
        if cap < 1:
            raise ValueError(f"group {group}: the cap on agents away at once must be 1 or more")
    if slot <= timedelta(0):
        raise ValueError(f"the break slot must be longer than 0, not {slot}")
    if not time_limit_s > 0:
        raise ValueError(f"the time limit must be above 0 seconds, not {time_limit_s}")


def _midnight_before(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def _by_group(shifts: Iterable[Shift]) -> dict[str, list[Shift]]:
    groups: dict[str, list[Shift]] = defaultdict(list)
    for shift in shifts:
        groups[shift.group].append(shift)
    return dict(sorted(groups.items()))


def _choices(
    shifts: Sequence[Shift], rules: Sequence[BreakRule], grid: _Grid
) -> tuple[list[_Choice], list[Obstacle]]:
    """The group's breaks, agents on the same shift pooled; an obstacle for each break
    whose window holds no slot to start on."""
    choices: list[_Choice] = []
    obstacles: list[Obstacle] = []

    def same_shift(shift: Shift) -> tuple[datetime, datetime]:
        return shift.start, shift.end

    for _, pooled in groupby(sorted(shifts, key=lambda s: (s.start, s.end, s.agent)), same_shift):
        alike = tuple(pooled)
        for window in break_windows(alike[0], rules):
            starts = range(
                grid.first_at_or_after(window.earliest), grid.last_at_or_before(window.latest) + 1
            )
            if starts:
                choices.append(
                    _Choice(alike, window.rule, starts, grid.slots_covering(window.rule.length))
                )
            else:
                obstacles.extend(_unfit_window(shift, window, grid) for shift in alike)
    return choices, obstacles


def _unfit_window(shift: Shift, window: BreakWindow, grid: _Grid) -> Obstacle:
    minutes = int(grid.slot.total_seconds() // 60)
    return Obstacle(
        group=shift.group,
        agent=shift.agent,
        rule=window.rule.name,
        reason=(
            f"agent {shift.agent} (shift {_clock(shift.start)}–{_clock(shift.end)}): the break "
            f"{window.rule.name!r} must start between {_clock(window.earliest)} and "
            f"{_clock(window.latest)} and end by the end of the shift; no {minutes}-minute slot "
            "start falls in that window (widen the rule's window or move the shift)"
        ),
    )


def _clock(moment: datetime) -> str:
    return f"{moment:%m-%d %H:%M}"


def _slack_by_slot(
    group: str, choices: Sequence[_Choice], staffing: Sequence[StaffingInterval], grid: _Grid
) -> dict[int, float]:
    """The group's slack at each slot its breaks may cover (slots without a figure absent)."""
    wanted = {slot for choice in choices for slot in choice.span}
    slack: dict[int, float] = {}
    for interval in staffing:
        if interval.group != group:
            continue
        first = grid.first_at_or_after(interval.start)
        for index in range(first, grid.first_at_or_after(interval.end)):
            if index not in wanted:
                continue
            if index in slack:
                raise ValueError(
                    f"group {group}: staffing intervals overlap at {_clock(grid.moment(index))}"
                )
            slack[index] = interval.slack
    return slack


def _solve_group(
    group: str,
    choices: Sequence[_Choice],
    cap: int | None,
    slack: Mapping[int, float],
    grid: _Grid,
    time_limit_s: float,
) -> _Placed | Obstacle:
    if not choices:  # every shift too short for a break
        return _Placed((), GroupSummary(group, 0, cap, 0, 0.0, optimal=True))
    model = cp_model.CpModel()
    starts = _start_counts(model, choices)
    covering = _covering(choices, starts)
    model.minimize(_slot_costs(model, choices, covering, cap, slack))
    solver = _solver(time_limit_s)
    status = solver.solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        counts = {key: solver.value(var) for key, var in starts.items()}
        return _placed(group, choices, counts, cap, slack, grid, optimal=status == cp_model.OPTIMAL)
    if status == cp_model.INFEASIBLE and cap is not None:
        return _cap_obstacle(group, choices, cap, grid, time_limit_s)
    return Obstacle(
        group,
        f"group {group}: the solver found no plan in {time_limit_s:.2f} s "
        f"({solver.status_name(status)}); allow it more time",
    )


def _solver(time_limit_s: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = 1  # the same input gives the same plan
    return solver


StartCounts = dict[tuple[int, int], cp_model.IntVar]  # (choice, start slot) → agents starting


def _start_counts(model: cp_model.CpModel, choices: Sequence[_Choice]) -> StartCounts:
    """How many of each choice's agents start at each slot; every agent starts once."""
    starts: StartCounts = {}
    for index, choice in enumerate(choices):
        own = [model.new_int_var(0, choice.agents, f"c{index}s{s}") for s in choice.starts]
        model.add(cp_model.LinearExpr.sum(own) == choice.agents)
        starts.update(((index, s), var) for s, var in zip(choice.starts, own, strict=True))
    return starts


def _covering(
    choices: Sequence[_Choice], starts: StartCounts
) -> dict[int, list[tuple[cp_model.IntVar, int]]]:
    """For each slot, the start counts whose breaks cover it, with their choice's agents."""
    covering: dict[int, list[tuple[cp_model.IntVar, int]]] = defaultdict(list)
    for (index, start), var in starts.items():
        for slot in range(start, start + choices[index].slots):
            covering[slot].append((var, choices[index].agents))
    return dict(sorted(covering.items()))


def _slot_costs(
    model: cp_model.CpModel,
    choices: Sequence[_Choice],
    covering: Mapping[int, list[tuple[cp_model.IntVar, int]]],
    cap: int | None,
    slack: Mapping[int, float],
) -> cp_model.LinearExpr:
    """The cost of the agents away at each slot, as one 0/1 level per agent away: the k-th
    away costs its share of (slack − k)², and far more per 1/100 agent it takes below the
    requirement. The costs rise with k, so the levels fill from the bottom; the cap is the
    number of levels."""
    marginals = {
        slot: _marginals(_levels(cap, sum(agents for _, agents in counts)), slack.get(slot))
        for slot, counts in covering.items()
    }
    weight = _shortfall_weight(marginals.values(), max(choice.slots for choice in choices))
    levels: list[cp_model.IntVar] = []
    costs: list[int] = []
    for slot, counts in covering.items():
        slot_levels = [model.new_bool_var(f"t{slot}k{k}") for k in range(len(marginals[slot]))]
        model.add(
            cp_model.LinearExpr.sum([var for var, _ in counts])
            == cp_model.LinearExpr.sum(slot_levels)
        )
        for lower, upper in pairwise(slot_levels):
            model.add(lower >= upper)
        levels.extend(slot_levels)
        costs.extend(even + weight * short for even, short in marginals[slot])
    return cp_model.LinearExpr.weighted_sum(levels, costs)


def _levels(cap: int | None, could_be_away: int) -> int:
    return could_be_away if cap is None else min(cap, could_be_away)


def _marginals(levels: int, slack: float | None) -> list[tuple[int, int]]:
    """For the k-th agent away (k = 1..levels): what it adds to Σ (slack − away)² / 100 in
    hundredths, and the hundredths of an agent it takes below the requirement (none where
    the slot has no staffing figure)."""
    spare = 0 if slack is None else round(slack * HUNDREDTHS)
    marginals = []
    for k in range(1, levels + 1):
        even = HUNDREDTHS * (2 * k - 1) - 2 * spare
        short = 0 if slack is None else min(max(HUNDREDTHS * k - max(spare, 0), 0), HUNDREDTHS)
        marginals.append((even, short))
    return marginals


def _shortfall_weight(marginals: Iterable[list[tuple[int, int]]], break_slots: int) -> int:
    """Enough that 1/100 agent-slot below the requirement outweighs whatever evenness moving
    one break (out of `break_slots` slots and into as many) could gain."""
    evens = [even for slot in marginals for even, _ in slot]
    return 2 * break_slots * (max(evens) - min(evens)) + 1 if evens else 1


def _placed(
    group: str,
    choices: Sequence[_Choice],
    counts: Mapping[tuple[int, int], int],
    cap: int | None,
    slack: Mapping[int, float],
    grid: _Grid,
    *,
    optimal: bool,
) -> _Placed:
    """The solver's counts as breaks: each choice's starts, earliest first, to its agents by id."""
    breaks: list[PlannedBreak] = []
    away: dict[int, int] = defaultdict(int)
    for index, choice in enumerate(choices):
        starts = [s for s in choice.starts for _ in range(counts[index, s])]
        for shift, start in zip(choice.shifts, starts, strict=True):
            moment = grid.moment(start)
            breaks.append(PlannedBreak(shift, choice.rule, moment, moment + choice.rule.length))
            for slot in range(start, start + choice.slots):
                away[slot] += 1
    slot_minutes = grid.slot.total_seconds() / 60
    shortfall = sum(
        (max(0.0, away[slot] - max(spare, 0.0)) * slot_minutes for slot, spare in slack.items()),
        0.0,
    )
    summary = GroupSummary(
        group, len(breaks), cap, max(away.values(), default=0), shortfall, optimal
    )
    return _Placed(tuple(breaks), summary)


def _cap_obstacle(
    group: str, choices: Sequence[_Choice], cap: int, grid: _Grid, time_limit_s: float
) -> Obstacle:
    smallest = _smallest_cap(choices, time_limit_s)
    tight = _tightest_span(choices, cap, grid)
    fix = f"the smallest cap that works is {smallest}" if smallest else "no cap found in time"
    return Obstacle(
        group=group,
        smallest_cap=smallest,
        reason=f"group {group}: with at most {cap} on break at once not every break fits "
        f"its window: {tight}; {fix}",
    )


def _smallest_cap(choices: Sequence[_Choice], time_limit_s: float) -> int | None:
    """The fewest agents away at once that every break can keep to (CP-SAT minimises it)."""
    model = cp_model.CpModel()
    covering = _covering(choices, _start_counts(model, choices))
    peak = model.new_int_var(0, sum(choice.agents for choice in choices), "peak")
    for counts in covering.values():
        model.add(cp_model.LinearExpr.sum([var for var, _ in counts]) <= peak)
    model.minimize(peak)
    solver = _solver(time_limit_s)
    if solver.solve(model) != cp_model.OPTIMAL:
        return None
    return solver.value(peak)


def _tightest_span(choices: Sequence[_Choice], cap: int, grid: _Grid) -> str:
    """The stretch of time where breaks that must fall wholly inside it need the most more
    room than the cap gives (the plainest reason a cap fails)."""
    worst: tuple[int, int, int, int, int] | None = None  # overload, first, stop, breaks, need
    for first in sorted({choice.span.start for choice in choices}):
        for stop in sorted({choice.span.stop for choice in choices if choice.span.stop > first}):
            inside = [c for c in choices if first <= c.span.start and c.span.stop <= stop]
            need = sum(c.agents * c.slots for c in inside)
            overload = need - cap * (stop - first)
            if overload > 0 and (worst is None or overload > worst[0]):
                worst = (overload, first, stop, sum(c.agents for c in inside), need)
    if worst is None:
        return "the windows' slots leave no arrangement within the cap"
    _, first, stop, count, need = worst
    minutes = grid.slot.total_seconds() / 60
    return (
        f"{count} breaks taking {need * minutes:.0f} agent-minutes must fall between "
        f"{_clock(grid.moment(first))} and {_clock(grid.moment(stop))}, where the cap leaves "
        f"room for {cap * (stop - first) * minutes:.0f}"
    )
