"""A long plan cut into blocks of a week: each block's request, carrying in what the blocks
before it worked (see the package's *Months*)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from lingting.engine.rostering.request import (
    DAY,
    Agent,
    Need,
    PeriodOf,
    Plan,
    RosterRequest,
    month_of,
    plan_end,
    week_of,
)
from lingting.engine.rostering.results import Assignment

LOOK_AHEAD = DAY  # a block is solved with the next block's first day, then that day is dropped


@dataclass(frozen=True, slots=True)
class Block:
    """Dates `first` to `last` kept from a model solved from `first` to `solved_last`."""

    first: date
    last: date
    solved_last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def plan_blocks(request: RosterRequest) -> list[Block]:
    """`block_days` dates at a time from `first`, the last block what is left; each solved
    with one day more where a block follows (none for a plan of one block)."""
    size = request.block_days
    if size is None or len(request.days) <= size:
        return [Block(request.first, request.last, request.last)]
    blocks = []
    first = request.first
    while first <= request.last:
        last = min(first + DAY * (size - 1), request.last)
        blocks.append(Block(first, last, min(last + LOOK_AHEAD, request.last)))
        first = last + DAY
    return blocks


def block_request(
    plan: Plan, block: Block, kept: Sequence[Assignment], time_limit_s: float
) -> RosterRequest:
    """The request of one block: the plan's checked requirement and agents restricted to its
    dates, the agents carrying in what `kept` (the blocks before) worked."""
    request = plan.request
    remaining = (request.last - block.first).days + 1
    return replace(
        request,
        first=block.first,
        last=block.solved_last,
        agents=tuple(
            _carried(agent, plan, block, [a for a in kept if a.agent_id == agent.id], remaining)
            for agent in plan.agents
        ),
        needs=_block_needs(plan, block),
        baseline=None
        if request.baseline is None
        else {
            key: code
            for key, code in request.baseline.items()
            if block.first <= key[1] <= block.solved_last
        },
        time_limit_s=time_limit_s,
        block_days=None,
        counted_last=block.last,
    )


def _block_needs(plan: Plan, block: Block) -> tuple[Need, ...]:
    """The plan's requirement (summed and checked) from the block's first midnight to its
    end, and a zero row for every other queue of the plan so that each block reports and
    assigns the same pools."""
    start = datetime.combine(block.first, time())
    end = plan_end(block.solved_last, plan.templates.values())
    rows = []
    for (index, queue), agents in plan.exact.items():
        moment = plan.interval_start(index)
        if start <= moment < end:
            rows.append(Need(moment, queue, agents, plan.weights[(index, queue)]))
    present = {row.queue for row in rows}
    rows += [Need(start, queue, 0.0) for queue in plan.queues if queue not in present]
    return tuple(rows)


def _carried(
    agent: Agent, plan: Plan, block: Block, mine: list[Assignment], remaining_days: int
) -> Agent:
    """The agent as the block sees them: the shifts, days in a row, hours and fairness
    counts of the blocks before (`mine`, by date) added to what they had before the plan."""
    request = plan.request
    last_shift, last_queue = agent.last_shift, agent.last_queue
    if mine:
        last_shift, last_queue = (mine[-1].day, mine[-1].code), mine[-1].queue
    reach = _rules_reach(request)
    before = [*agent.earlier_shifts, *filter(None, [agent.last_shift])]
    before += [(a.day, a.code) for a in mine]
    hours = [(a.day, (a.end - a.start) / timedelta(hours=1)) for a in mine]
    return replace(
        agent,
        fixed={
            day: code
            for day, code in agent.fixed.items()
            if block.first <= day <= block.solved_last
        },
        last_shift=last_shift,
        last_queue=last_queue,
        earlier_shifts=tuple(
            shift for shift in before if shift != last_shift and block.first - shift[0] <= reach
        ),
        days_worked_before=_days_in_a_row(agent, request.first, block.first, mine),
        week_hours_before=_hours_in(
            week_of, block.first, request.first, agent.week_hours_before, hours
        ),
        month_hours_before=_hours_in(
            month_of, block.first, request.first, agent.month_hours_before, hours
        ),
        nights_before=agent.nights_before + sum(plan.templates[a.code].is_night for a in mine),
        rest_days_worked_before=agent.rest_days_worked_before
        + sum(not request.calendar.is_workday(a.day) for a in mine),
        min_hours=None
        if agent.min_hours is None
        else max(0.0, agent.min_hours - sum(h for _, h in hours)) * block.days / remaining_days,
    )


def _rules_reach(request: RosterRequest) -> timedelta:
    """How far back a shift can still forbid one of the plan (the rest rules, and the two
    days a shift can run past its date)."""
    rules = request.rules
    return DAY * (math.ceil(max(rules.min_rest, rules.night_to_morning_rest) / DAY) + 2)


def _days_in_a_row(agent: Agent, plan_first: date, first: date, mine: list[Assignment]) -> int:
    """Days worked in a row up to `first`, running on into the days before the plan."""
    worked = {a.day for a in mine}
    streak, day = 0, first - DAY
    while day in worked:
        streak, day = streak + 1, day - DAY
    return streak + agent.days_worked_before if day < plan_first else streak


def _hours_in(
    period_of: PeriodOf,
    first: date,
    plan_first: date,
    before_plan: float,
    hours: list[tuple[date, float]],
) -> float:
    """Hours already worked in the week (or month) of `first`: the blocks' before it, and
    those worked before the plan where the plan began in the same period."""
    period = period_of(first)
    earlier = before_plan if period_of(plan_first) == period else 0.0
    return earlier + sum(h for day, h in hours if period_of(day) == period)
