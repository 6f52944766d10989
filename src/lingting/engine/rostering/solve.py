"""Solving a roster in two stages, reading the answer, and explaining an impossible plan."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from ortools.sat.python import cp_model

from lingting.engine.rostering.blocks import Block, block_request, plan_blocks
from lingting.engine.rostering.model import RosterModel, interval_shares
from lingting.engine.rostering.request import (
    DAY,
    HUNDREDTHS,
    Agent,
    PeriodOf,
    Plan,
    RosterError,
    RosterRequest,
    Rule,
    check_request,
    month_of,
    week_of,
)
from lingting.engine.rostering.results import (
    AgentHours,
    Assignment,
    Change,
    Conflict,
    Coverage,
    HoursInPeriod,
    RosterResult,
    Status,
)
from lingting.engine.rotation import REST, holiday_hours

STATUS_NAMES: dict[cp_model.CpSolverStatus, Status] = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.UNKNOWN: "unknown",
}


def build_roster(request: RosterRequest) -> RosterResult:
    """The roster that covers the requirement best under the hard rules (see the package):
    in one model, or for a plan longer than `block_days` block by block."""
    plan = check_request(request)
    blocks = plan_blocks(request)
    if len(blocks) == 1:
        return _solve_whole(plan)
    return _solve_in_blocks(plan, blocks)


def _solve_whole(plan: Plan) -> RosterResult:
    request = plan.request
    built = RosterModel(plan, plan.agents, relaxed=frozenset(), optimise=True)
    search = _search(built, request)
    if search.status == "infeasible":
        return RosterResult(
            search.status, search.seconds, conflicts=_conflicts(plan), warnings=plan.warnings
        )
    if search.solver is None:
        warning = f"no roster found within the time limit of {request.time_limit_s:g} s"
        return RosterResult(search.status, search.seconds, warnings=(*plan.warnings, warning))
    assignments = _assignments(built, search.solver)
    return RosterResult(
        status=search.status,
        solve_seconds=search.seconds,
        shortfall_optimal=search.shortfall_optimal,
        shortfall_seconds=search.shortfall_seconds,
        assignments=assignments,
        coverage=_coverage_rows(plan, built, search.solver),
        agents=tuple(_agent_hours(plan, agent, assignments) for agent in plan.agents),
        changes=_changes(plan, assignments),
        warnings=plan.warnings,
    )


STATUS_ORDER: tuple[Status, ...] = ("optimal", "feasible", "unknown", "infeasible")
# A block's least time: on 2 busy cores, a week of 60 agents (benchmarks/roster_month.py)
# had no roster at all after 2.5 s of its first stage, and a block without one stops the
# whole plan.
MIN_BLOCK_S = 5.0


def _solve_in_blocks(plan: Plan, blocks: list[Block]) -> RosterResult:
    """Block after block, each carrying in what the ones before kept; the time limit is the
    whole plan's, each block given its share of what is left by its number of dates (at
    least `MIN_BLOCK_S`)."""
    request = plan.request
    started = time.perf_counter()
    kept: list[Assignment] = []
    coverage: list[Coverage] = []
    results: list[RosterResult] = []
    for block in blocks:
        left = request.time_limit_s - (time.perf_counter() - started)
        share = max(left * block.days / ((request.last - block.first).days + 1), MIN_BLOCK_S)
        result = _solve_block(plan, block, kept, share)
        results.append(result)
        if result.status in ("infeasible", "unknown"):
            return _block_failed(plan, block, result, results)
        kept += [a for a in result.assignments if a.day <= block.last]
        ends = datetime.combine(block.last + DAY, datetime.min.time())
        coverage += [row for row in result.coverage if block is blocks[-1] or row.start < ends]
    assignments = tuple(sorted(kept, key=lambda a: (a.day, a.start, a.agent_id)))
    return RosterResult(
        status=max((r.status for r in results), key=STATUS_ORDER.index),
        solve_seconds=sum(r.solve_seconds for r in results),
        shortfall_optimal=all(r.shortfall_optimal for r in results),
        shortfall_seconds=sum(r.shortfall_seconds for r in results),
        assignments=assignments,
        coverage=tuple(sorted(coverage, key=lambda row: (row.queue, row.start))),
        agents=tuple(_agent_hours(plan, agent, assignments) for agent in plan.agents),
        changes=_changes(plan, assignments),
        warnings=_block_warnings(plan, results),
    )


def _solve_block(plan: Plan, block: Block, kept: list[Assignment], share: float) -> RosterResult:
    """A block's roster; where its share ran out before any roster was found (on busy cores
    CP-SAT's presolve alone can take it), once more with twice the time, both counted."""
    result = _solve_whole(check_request(block_request(plan, block, kept, share)))
    if result.status != "unknown":
        return result
    again = _solve_whole(check_request(block_request(plan, block, kept, 2 * share)))
    return replace(again, solve_seconds=result.solve_seconds + again.solve_seconds)


def _block_failed(
    plan: Plan, block: Block, failed: RosterResult, results: list[RosterResult]
) -> RosterResult:
    """No roster where a block has none: the whole plan's conflicts (or, where each agent's
    fixed days fit the month alone, the block's), or the block that ran out of time."""
    seconds = sum(r.solve_seconds for r in results)
    warnings = _block_warnings(plan, results)
    if failed.status == "infeasible":
        conflicts = _conflicts(plan) or failed.conflicts
        return RosterResult("infeasible", seconds, conflicts=conflicts, warnings=warnings)
    warning = f"no roster found for {block.first}..{block.last} within its share of the time"
    return RosterResult(failed.status, seconds, warnings=(*warnings, warning))


def _block_warnings(plan: Plan, results: list[RosterResult]) -> tuple[str, ...]:
    """The plan's warnings and the blocks' own, each once."""
    return tuple(dict.fromkeys([*plan.warnings, *(w for r in results for w in r.warnings)]))


@dataclass(frozen=True, slots=True)
class _Search:
    status: Status
    seconds: float
    shortfall_optimal: bool
    shortfall_seconds: float
    solver: cp_model.CpSolver | None  # the one holding the roster; None: no roster found


def _search(built: RosterModel, request: RosterRequest) -> _Search:
    """Two stages: the least under-coverage first (the solver proves it within seconds),
    then, with under-coverage held there, the rest of the objective.

    One weighted objective would mix both: fairness and preferences make its optimum slow
    to prove, and the solver would stop with a roster whose shortfall may not be the least.
    The first stage has up to half the time limit, the second what is left; where the
    second finds nothing better in time, the first stage's roster stands.
    """
    first = _solver(request, request.time_limit_s / 2)
    built.model.minimize(built.shortfall.expression())
    code = first.solve(built.model)
    if code == cp_model.MODEL_INVALID:
        raise RosterError(f"the roster model is invalid: {built.model.validate()}")
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _Search(STATUS_NAMES[code], first.wall_time, False, first.wall_time, None)
    built.model.add(built.shortfall.expression() <= round(first.objective_value))
    built.model.clear_hints()  # type: ignore[no-untyped-call]
    for variable in built.decisions():
        built.model.add_hint(variable, first.value(variable))
    built.model.minimize(built.costs.expression())
    second = _solver(request, max(request.time_limit_s - first.wall_time, 0.1))
    second.parameters.num_workers = _improving_workers(request)
    second_code = second.solve(built.model)
    seconds = first.wall_time + second.wall_time
    shortfall_optimal = code == cp_model.OPTIMAL
    if second_code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _Search("feasible", seconds, shortfall_optimal, first.wall_time, first)
    status: Status = (
        "optimal" if shortfall_optimal and second_code == cp_model.OPTIMAL else "feasible"
    )
    return _Search(status, seconds, shortfall_optimal, first.wall_time, second)


def _solver(request: RosterRequest, seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = request.workers
    return solver


def _improving_workers(request: RosterRequest) -> int:
    """The second stage's workers: one per core, at most `RosterRequest.workers`.

    The first stage needs CP-SAT's bound-proving workers, which come only with about 8; the
    second mostly improves a roster by local search, which more workers than cores slow
    down. On 2 busy cores (benchmarks/roster_month.py, a week at a time) 2 workers rostered
    9584 h of the 9600 contracted and held nights among peers within 1; 8 workers, 9320 h
    and 4 nights apart; 1 worker, 9576 h and 2 apart.
    """
    return max(1, min(request.workers, os.cpu_count() or 1))


def _assignments(built: RosterModel, solver: cp_model.CpSolver) -> tuple[Assignment, ...]:
    worked = []
    for candidate in built.all_candidates():
        if solver.boolean_value(candidate.works):
            pools = [queue for queue, lit in candidate.pools.items() if solver.boolean_value(lit)]
            start, end = candidate.template.span_on(candidate.day)
            queue = pools[0] if pools else None
            worked.append(
                Assignment(
                    candidate.agent.id, candidate.day, candidate.template.code, queue, start, end
                )
            )
    return tuple(sorted(worked, key=lambda a: (a.day, a.start, a.agent_id)))


def _coverage_rows(
    plan: Plan, built: RosterModel, solver: cp_model.CpSolver
) -> tuple[Coverage, ...]:
    scheduled: dict[tuple[int, str], int] = {}
    worked = [c for c in built.all_candidates() if solver.boolean_value(c.works)]
    for candidate in [*worked, *built.carried]:
        queues = [queue for queue, lit in candidate.pools.items() if solver.boolean_value(lit)]
        for index, share in interval_shares(plan, candidate.start, candidate.template.length):
            for queue in queues:
                scheduled[(index, queue)] = scheduled.get((index, queue), 0) + share
    return tuple(
        Coverage(
            start=plan.interval_start(index),
            end=plan.interval_start(index + 1),
            queue=queue,
            required=plan.exact.get((index, queue), 0.0),
            scheduled=scheduled.get((index, queue), 0) / HUNDREDTHS,
        )
        for queue in plan.queues
        for index in range(plan.intervals)
    )


def _agent_hours(plan: Plan, agent: Agent, assignments: Iterable[Assignment]) -> AgentHours:
    request = plan.request
    mine = [a for a in assignments if a.agent_id == agent.id]
    hours = [(a.day, (a.end - a.start) / timedelta(hours=1)) for a in mine]
    return AgentHours(
        agent_id=agent.id,
        hours=sum(h for _, h in hours),
        weeks=_hours_by(hours, week_of, request.days, agent.week_max_hours),
        months=_hours_by(hours, month_of, request.days, agent.month_max_hours),
        min_hours=agent.min_hours,
        nights=sum(plan.templates[a.code].is_night for a in mine),
        rest_day_shifts=sum(not request.calendar.is_workday(a.day) for a in mine),
        statutory_holiday_hours=sum(
            holiday_hours(a.start, a.end, request.statutory_holidays) for a in mine
        ),
    )


def _hours_by(
    hours: list[tuple[date, float]], period_of: PeriodOf, days: list[date], cap: float | None
) -> tuple[HoursInPeriod, ...]:
    firsts = sorted({period_of(day) for day in days})
    return tuple(
        HoursInPeriod(first, sum(h for day, h in hours if period_of(day) == first), cap)
        for first in firsts
    )


def _changes(plan: Plan, assignments: Iterable[Assignment]) -> tuple[Change, ...]:
    baseline = plan.request.baseline
    if baseline is None:
        return ()
    after = {(a.agent_id, a.day): a.code for a in assignments}
    return tuple(
        Change(agent.id, day, baseline.get((agent.id, day)), after.get((agent.id, day)))
        for agent in plan.agents
        for day in plan.request.days
        if baseline.get((agent.id, day)) != after.get((agent.id, day))
    )


# --- explaining an impossible plan ----------------------------------------------------------


def _conflicts(plan: Plan) -> tuple[Conflict, ...]:
    """Per agent whose fixed days are impossible even alone: the rules that each refuse
    them on their own or, where only a combination does, the rules that relaxed one at a
    time would make them possible."""
    conflicts = []
    every_rule = frozenset(Rule) - {Rule.FIXED}
    for agent in plan.agents:
        if _feasible(plan, agent, frozenset()):
            continue
        alone = tuple(
            rule for rule in every_rule if not _feasible(plan, agent, every_rule - {rule})
        )
        together = tuple(rule for rule in every_rule if _feasible(plan, agent, frozenset({rule})))
        rules = tuple(sorted(alone or together))
        conflicts.append(Conflict(agent.id, rules, _conflict_text(plan, agent, rules, bool(alone))))
    return tuple(conflicts)


def _feasible(plan: Plan, agent: Agent, relaxed: frozenset[Rule]) -> bool:
    built = RosterModel(plan, [agent], relaxed=relaxed, optimise=False)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = plan.request.time_limit_s
    return solver.solve(built.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _conflict_text(plan: Plan, agent: Agent, rules: tuple[Rule, ...], each_alone: bool) -> str:
    fixed = ", ".join(f"{day:%m-%d} {code or REST}" for day, code in sorted(agent.fixed.items()))
    context = f"fixed days {fixed}"
    if agent.last_shift:
        context += f"; last shift {agent.last_shift[0]:%m-%d} {agent.last_shift[1]}"
    if agent.days_worked_before:
        context += f"; {agent.days_worked_before} days worked in a row before the plan"
    described = [plan.request.rules.describe(rule, agent) for rule in rules]
    if each_alone:
        return f"{agent.id} ({context}) breaks: " + "; and ".join(described)
    if described:
        return f"{agent.id} ({context}) breaks these together: " + "; ".join(described)
    return f"{agent.id} ({context}) breaks several rules together"
