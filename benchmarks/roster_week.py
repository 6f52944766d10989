"""A week of 30-minute intervals for 60 agents on three language pools: how fast CP-SAT rosters it.

    .venv/bin/python benchmarks/roster_week.py                  # 60 agents, 10 s limit
    .venv/bin/python benchmarks/roster_week.py --agents 120 --time-limit 30 --workers 8

The center of seed 004 篇9, grown to a 24-hour line with three pools: 普通话 (peaks of about
14 agents at 10:00 and 15:00, 2 at night), 藏语安多 (about a fifth of that) and 藏语康巴 (a
tenth), the requirement fractional as Erlang C and shrinkage give it. Agents: two thirds
普通话 only, a sixth bilingual 普通话/藏语安多, the rest 安多, 安多/康巴 and 康巴; 40 h a
week at most and 40 h contracted, one in ten on two days of leave, one in five avoiding
nights. Five shift templates (早 08–16, 白 09–17, 午 12–20, 中 16–24, 夜 24–08).

Printed: the status (optimal, or feasible when the time limit came first), the seconds the
first stage took to find and prove the least shortfall, the seconds in all, the shortfall
in agent-hours by pool, nights per agent (fewest–most) and, as the baseline of the same
run, the same week with half the agents and half the requirement: the ratio of the
first-stage times says how proving the shortfall grows with the staff.
"""

from __future__ import annotations

import argparse
import math
import random
import time
from datetime import date, datetime, timedelta

from lingting.engine.calendars import BusinessCalendar
from lingting.engine.rostering import Agent, Need, RosterRequest, RosterResult, build_roster
from lingting.engine.rotation import ShiftTemplate

FIRST = date(2026, 10, 12)  # a Monday after National Day
TEMPLATES = tuple(
    ShiftTemplate.parse(code, span)
    for code, span in (
        ("早", "08:00-16:00"),
        ("白", "09:00-17:00"),
        ("午", "12:00-20:00"),
        ("中", "16:00-24:00"),
        ("夜", "24:00-08:00"),
    )
)
POOLS = {"普通话": 1.0, "藏语安多": 0.2, "藏语康巴": 0.1}


def daily_profile(moment: datetime) -> float:
    """Agents needed by the 普通话 pool: two peaks by day, a floor of 2 at night."""
    hour = moment.hour + moment.minute / 60
    peaks = 12 * math.exp(-(((hour - 10.5) / 2.2) ** 2)) + 10 * math.exp(
        -(((hour - 15) / 2.5) ** 2)
    )
    weekend = 0.7 if moment.weekday() >= 5 else 1.0
    return 2 + peaks * weekend


def needs(days: int, scale: float) -> tuple[Need, ...]:
    start = datetime.combine(FIRST, datetime.min.time())
    rows = []
    for step in range(days * 48):
        moment = start + timedelta(minutes=30 * step)
        for pool, share in POOLS.items():
            rows.append(Need(moment, pool, round(daily_profile(moment) * share * scale, 2)))
    return tuple(rows)


def agents(count: int, rng: random.Random) -> tuple[Agent, ...]:
    mixes = (
        [{"普通话"}] * 8 + [{"普通话", "藏语安多"}] * 2 + [{"藏语安多"}, {"藏语安多", "藏语康巴"}]
    )
    people = []
    for number in range(count):
        skills = mixes[number % len(mixes)] if number % 12 else {"藏语康巴"}
        leave_start = FIRST + timedelta(days=rng.randrange(6))
        people.append(
            Agent(
                id=f"A{number + 1:03d}",
                skills=frozenset(skills),
                week_max_hours=40,
                min_hours=40,
                leave=frozenset({leave_start, leave_start + timedelta(days=1)})
                if number % 10 == 3
                else frozenset(),
                avoids=frozenset({"夜"}) if number % 5 == 1 else frozenset(),
            )
        )
    return tuple(people)


def run(count: int, scale: float, args: argparse.Namespace) -> tuple[RosterResult, float]:
    rng = random.Random(20261012)
    request = RosterRequest(
        first=FIRST,
        last=FIRST + timedelta(days=6),
        agents=agents(count, rng),
        templates=TEMPLATES,
        needs=needs(7, scale),
        calendar=BusinessCalendar.from_package([2026]),
        time_limit_s=args.time_limit,
        workers=args.workers,
    )
    started = time.perf_counter()
    result = build_roster(request)
    return result, time.perf_counter() - started


def report(label: str, result: RosterResult, seconds: float) -> None:
    short: dict[str, float] = {}
    for span in result.shortfalls:
        short[span.queue] = short.get(span.queue, 0.0) + span.agent_hours
    nights = [agent.nights for agent in result.agents]
    proven = "proven least" if result.shortfall_optimal else "not proven least"
    print(
        f"{label}: {result.status} in {seconds:.2f} s; shortfall {proven} after "
        f"{result.shortfall_seconds:.2f} s; {len(result.assignments)} shifts, "
        f"nights per agent {min(nights)}–{max(nights)}"
    )
    for pool in POOLS:
        print(f"    {pool}: short {short.get(pool, 0.0):.1f} agent-hours")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--agents", type=int, default=60)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=8, help="CP-SAT search workers")
    args = parser.parse_args()
    half = args.agents // 2
    baseline, baseline_s = run(half, 0.5, args)
    report(f"baseline, {half} agents", baseline, baseline_s)
    result, seconds = run(args.agents, 1.0, args)
    report(f"{args.agents} agents", result, seconds)
    ratio = result.shortfall_seconds / baseline.shortfall_seconds
    print(f"first stage {ratio:.1f}× the baseline's for {args.agents / half:.0f}× the staff")


if __name__ == "__main__":
    main()
