"""Four weeks for 60 agents on three language pools: one model against a week at a time.

    .venv/bin/python benchmarks/roster_month.py                     # 60 s each way
    .venv/bin/python benchmarks/roster_month.py --agents 30 --whole-limit 30 --blocks-limit 10

The center, requirement and agents of `benchmarks/roster_week.py` (seed 004 篇9 grown to a
24-hour line: 普通话, 藏语安多, 藏语康巴; five shift templates; 40 h a week at most and
contracted), over 28 days from Monday 2026-10-12, each agent also capped at 176 h a month.
The same request is solved twice: in one CP-SAT model (`block_days=None`) with a 60 s
limit, and block by block (a week at a time, `block_days=7`, the default) with the same 60 s
for the whole month (`--blocks-limit 40`: what the app gives a 28-day roster).

Printed per run: the status, the seconds in all and in the first stages (least shortfall),
the shortfall in agent-hours, the spread of nights per agent (most less fewest, among the
agents who do not avoid them) and of shifts on rest days (weekends), over all agents and
the widest among peers (agents serving the same pools, whom the roster evens out), the hours
rostered and those below the agents' contracted 160 h (each week's 40 h cap leaves none to
spare: a shift missed in one week cannot be made up in another), and then the ratios
blocks / whole. Smaller spreads are fairer; the shortfall should be the same or close.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import defaultdict
from dataclasses import replace
from datetime import timedelta

from roster_week import FIRST, TEMPLATES, agents, needs

from lingting.engine.calendars import BusinessCalendar
from lingting.engine.rostering import RosterRequest, RosterResult, build_roster

DAYS = 28
MONTH_CAP_HOURS = 176


def request(count: int) -> RosterRequest:
    people = agents(count, DAYS, random.Random(20261012))
    return RosterRequest(
        first=FIRST,
        last=FIRST + timedelta(days=DAYS - 1),
        agents=tuple(replace(person, month_max_hours=MONTH_CAP_HOURS) for person in people),
        templates=TEMPLATES,
        needs=needs(DAYS, 1.0),
        calendar=BusinessCalendar.from_package([2026]),
    )


def solve(base: RosterRequest, block_days: int | None, limit: float) -> tuple[RosterResult, float]:
    started = time.perf_counter()
    result = build_roster(replace(base, block_days=block_days, time_limit_s=limit))
    return result, time.perf_counter() - started


def spread(counts: list[int]) -> int:
    return max(counts) - min(counts) if counts else 0


def peer_spread(base: RosterRequest, counts: dict[str, int]) -> int:
    """The widest spread among peers (agents serving the same pools), which the roster evens
    out: the five 藏语康巴 seats share that pool's nights whatever the 普通话 seats do."""
    groups: dict[frozenset[str], list[int]] = defaultdict(list)
    for agent in base.agents:
        if agent.id in counts:
            groups[agent.skills].append(counts[agent.id])
    return max(spread(group) for group in groups.values())


def figures(base: RosterRequest, result: RosterResult) -> dict[str, float]:
    on_nights = {agent.id for agent in base.agents if "夜" not in agent.avoids}
    nights = {
        hours.agent_id: hours.nights for hours in result.agents if hours.agent_id in on_nights
    }
    rest_days = {hours.agent_id: hours.rest_day_shifts for hours in result.agents}
    return {
        "seconds": 0.0,
        "shortfall": sum(span.agent_hours for span in result.shortfalls),
        "nights spread": spread(list(nights.values())),
        "among peers": peer_spread(base, nights),
        "rest-day spread": spread(list(rest_days.values())),
        "rest-day among peers": peer_spread(base, rest_days),
        "hours": sum(agent.hours for agent in result.agents),
        "below contract": sum(
            max(0.0, (agent.min_hours or 0.0) - agent.hours) for agent in result.agents
        ),
    }


def report(
    label: str, base: RosterRequest, result: RosterResult, seconds: float
) -> dict[str, float]:
    shown = figures(base, result) | {"seconds": seconds}
    proven = "proven least" if result.shortfall_optimal else "not proven least"
    print(
        f"{label}: {result.status} in {seconds:.1f} s (first stages {result.shortfall_seconds:.1f}"
        f" s, shortfall {proven}); short {shown['shortfall']:.1f} agent-hours; nights spread "
        f"{shown['nights spread']:g} (among peers {shown['among peers']:g}); rest-day shifts "
        f"spread {shown['rest-day spread']:g} (among peers {shown['rest-day among peers']:g}); "
        f"{shown['hours']:g} h rostered, {shown['below contract']:g} h below the contracted"
    )
    return shown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--agents", type=int, default=60)
    parser.add_argument("--whole-limit", type=float, default=60.0)
    parser.add_argument("--blocks-limit", type=float, default=60.0, help="for the whole month")
    args = parser.parse_args()
    base = request(args.agents)
    whole = report("one model", base, *solve(base, None, args.whole_limit))
    blocks = report("by weeks ", base, *solve(base, 7, args.blocks_limit))
    ratios = ", ".join(
        f"{name} {blocks[name] / whole[name]:.2f}×" if whole[name] else f"{name} {blocks[name]:g}"
        for name in whole
    )
    print(f"blocks / whole: {ratios}")


if __name__ == "__main__":
    main()
