"""How long does placing a day's breaks take: 300 agents, several teams and shifts, against
a real requirement curve (issue 14: under 5 s)?

The requirement follows a real day of calls: the five-minute arrivals of a North American
bank (../shared/data/bank_calls, Monday 2003-03-03, 07:00–21:05; a two-peak curve like
benchmarks/volume.py's where the data is absent), summed to half hours, scaled so that the
busiest half hour's load is 80 % of the agents then on shift, turned into agents by Erlang C
(80 % answered in 20 s, 300 s handling time), then shared among the teams by their agents
on shift. At night (no bank data) the
requirement is a flat 60 % of the agents on shift.

The roster: `--agents` (300) in `--teams` (10) teams, day teams on 9-hour shifts starting
every half hour from 07:00 (each team's agents staggered over six starts a quarter of an
hour apart) and the last team on 8-hour nights from 21:30 (across midnight). Each team may
have `--cap` (4) agents away at once, and seed 000's two rules give every agent a 10- and a
15-minute break. The same is then timed with every agent on a start minute of its own, so
that no two shifts can be pooled in the model (the solver's worst case), and the ratio of
the two times printed.

Prints for each the solve time (best of `--repeat` runs of `plan_breaks`; the machine is shared),
breaks placed against breaks due, the most agents away at once per team against its cap,
the agent-minutes the breaks take below the requirement, whether every team's plan is
proved optimal, a check that every break lies in its window, and PASS/FAIL against 5 s.

    .venv/bin/python benchmarks/breaks_day.py [--agents 300] [--teams 10] [--cap 4]
"""

from __future__ import annotations

import argparse
import csv
import math
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from lingting.engine.break_rules import SEED_000_RULES, Shift, break_windows
from lingting.engine.breaks import BreakPlan, BreaksInfeasible, StaffingInterval, plan_breaks
from lingting.engine.erlang import erlang_c

REPO = Path(__file__).resolve().parents[1]
BANK_CALLS = REPO.parent / "shared" / "data" / "bank_calls" / "bank_calls.csv"
BANK_DAY = "2003-03-03"
DAY = datetime(2026, 3, 2)
HALF_HOUR = timedelta(minutes=30)
QUARTER = timedelta(minutes=15)
STAGGERS = 6
AHT_S = 300.0
ANSWER_WITHIN_S = 20.0
TARGET_SERVICE_LEVEL = 0.8
PEAK_LOAD_SHARE = 0.8  # the busiest half hour needs this share of the agents on shift then
NIGHT_REQUIRED_SHARE = 0.6
TARGET_S = 5.0


def arrivals_by_half_hour() -> tuple[str, dict[datetime, float]]:
    """Calls arriving in each half hour of the day, from the bank's day or a made-up curve."""
    if BANK_CALLS.exists():
        calls: dict[datetime, float] = defaultdict(float)
        with BANK_CALLS.open(newline="") as stream:
            for row in csv.DictReader(stream):
                if row["DateTime"].startswith(BANK_DAY):
                    clock = datetime.fromisoformat(row["DateTime"][:16])
                    moment = DAY.replace(hour=clock.hour, minute=clock.minute - clock.minute % 30)
                    calls[moment] += float(row["Calls"])
        return f"bank_calls {BANK_DAY}", dict(calls)
    curve = {}
    for half in range(14, 42):  # 07:00–21:00
        hour = half / 2
        peaks = math.exp(-((hour - 10) ** 2) / 3) + 0.8 * math.exp(-((hour - 15) ** 2) / 4)
        curve[DAY + half * HALF_HOUR] = 400 * (0.2 + peaks)
    return "made-up two-peak curve", curve


def roster(agents: int, teams: int, *, distinct: bool) -> list[Shift]:
    """Team t (of the day teams) starts from 07:00 + t half hours, its agents staggered over
    six starts a quarter of an hour apart (or, `distinct`, each on its own start minute over
    the same hour and a half); the last team works nights from 21:30 the same way."""
    night_team = teams - 1
    per_team = -(-agents // teams)
    shifts = []
    for number in range(agents):
        team, rank = number % teams, number // teams
        if distinct:
            stagger = timedelta(minutes=rank * STAGGERS * 15 // per_team)
        else:
            stagger = rank % STAGGERS * QUARTER
        if team == night_team:
            start, length = DAY.replace(hour=21, minute=30) + stagger, timedelta(hours=8)
        else:
            start, length = DAY.replace(hour=7) + team * HALF_HOUR + stagger, timedelta(hours=9)
        shifts.append(Shift(f"A{number:04d}", f"T{team:02d}", start, start + length))
    return shifts


def fewest_agents(calls: float) -> int:
    traffic = calls * AHT_S / HALF_HOUR.total_seconds()
    agents = max(1, math.floor(traffic) + 1)
    while erlang_c(agents, traffic, aht_s=AHT_S, answer_within_s=ANSWER_WITHIN_S).service_level < (
        TARGET_SERVICE_LEVEL
    ):
        agents += 1
    return agents


def staffing(shifts: Sequence[Shift], arrivals: dict[datetime, float]) -> list[StaffingInterval]:
    """Each team's scheduled agents and share of the center's Erlang C requirement."""
    scale = _scale_to_roster(shifts, arrivals)
    intervals: list[StaffingInterval] = []
    moment = DAY
    while moment < DAY + timedelta(days=1, hours=6):
        on = _on_shift_by_team(shifts, moment)
        total = sum(on.values())
        if total:
            calls = arrivals.get(moment)
            if calls is None:
                required = NIGHT_REQUIRED_SHARE * total
            else:
                required = float(fewest_agents(calls * scale))
            intervals.extend(
                StaffingInterval(team, moment, moment + HALF_HOUR, count, required * count / total)
                for team, count in on.items()
            )
        moment += HALF_HOUR
    return intervals


def _scale_to_roster(shifts: Sequence[Shift], arrivals: dict[datetime, float]) -> float:
    busiest = max(arrivals, key=lambda moment: arrivals[moment])
    on = sum(_on_shift_by_team(shifts, busiest).values())
    return PEAK_LOAD_SHARE * on * HALF_HOUR.total_seconds() / AHT_S / arrivals[busiest]


def _on_shift_by_team(shifts: Sequence[Shift], moment: datetime) -> dict[str, int]:
    on: dict[str, int] = defaultdict(int)
    for shift in shifts:
        if shift.start <= moment < shift.end:
            on[shift.group] += 1
    return dict(on)


def peaks_away(plan: BreakPlan) -> dict[str, int]:
    """The most agents of each team away at any minute, counted from the breaks themselves."""
    away: dict[tuple[str, datetime], int] = defaultdict(int)
    for placed in plan.breaks:
        minute = placed.start
        while minute < placed.end:
            away[placed.shift.group, minute] += 1
            minute += timedelta(minutes=1)
    peaks: dict[str, int] = defaultdict(int)
    for (team, _), count in away.items():
        peaks[team] = max(peaks[team], count)
    return dict(peaks)


def all_in_windows(shifts: Sequence[Shift], plan: BreakPlan) -> tuple[int, bool]:
    due = {(w.shift, w.rule): w for s in shifts for w in break_windows(s, SEED_000_RULES)}
    placed = {(b.shift, b.rule): b for b in plan.breaks}
    inside = placed.keys() == due.keys() and all(
        due[key].earliest <= b.start <= due[key].latest for key, b in placed.items()
    )
    return len(due), inside


def run_case(
    label: str, shifts: Sequence[Shift], arrivals: dict[datetime, float], args: argparse.Namespace
) -> tuple[float, bool]:
    """Times `plan_breaks` on one roster and checks its plan; (best time, plan sound)."""
    intervals = staffing(shifts, arrivals)
    caps = {f"T{team:02d}": args.cap for team in range(args.teams)}
    short = sum(1 for interval in intervals if interval.slack < 0)
    patterns = len({(s.group, s.start, s.end) for s in shifts})
    print(f"\n{label}: {len(shifts)} agents in {args.teams} teams on {patterns} shifts")
    print(f"{len(intervals)} team half-hours of staffing, {short} short before any break")
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        try:
            plan = plan_breaks(shifts, caps=caps, staffing=intervals)
        except BreaksInfeasible as infeasible:
            print(f"no plan, after {time.perf_counter() - started:.3f} s:\n{infeasible}")
            return time.perf_counter() - started, False
        times.append(time.perf_counter() - started)
    due, inside = all_in_windows(shifts, plan)
    peaks = peaks_away(plan)
    shortfall = sum(group.shortfall_agent_minutes for group in plan.groups)
    print(f"solve time: best {min(times):.3f} s, runs {', '.join(f'{t:.3f}' for t in times)}")
    print(f"breaks placed: {len(plan.breaks)} of {due} due; every one inside its window: {inside}")
    print(f"most away at once per team (cap {args.cap}): ", end="")
    print(", ".join(f"{team} {peak}" for team, peak in sorted(peaks.items())))
    print(f"agent-minutes below the requirement because of breaks: {shortfall:.1f}")
    print(f"every team's plan proved optimal: {all(group.optimal for group in plan.groups)}")
    within_cap = all(peak <= args.cap for peak in peaks.values())
    return min(times), inside and within_cap and len(plan.breaks) == due


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=300)
    parser.add_argument("--teams", type=int, default=10)
    parser.add_argument("--cap", type=int, default=4, help="agents of a team away at once")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    source, arrivals = arrivals_by_half_hour()
    print(f"requirement: {source}; at most {args.cap} of a team away at once")
    rostered, rostered_ok = run_case(
        "as rostered", roster(args.agents, args.teams, distinct=False), arrivals, args
    )
    apart, apart_ok = run_case(
        "every agent on a shift of its own (nothing to pool)",
        roster(args.agents, args.teams, distinct=True),
        arrivals,
        args,
    )
    print(f"\nnothing pooled against as rostered: {apart / rostered:.2f}x the time")
    passed = rostered_ok and apart_ok and max(rostered, apart) < TARGET_S
    verdict = "PASS" if passed else "FAIL"
    print(f"{verdict}: {rostered:.3f} s and {apart:.3f} s against {TARGET_S:.0f} s")


if __name__ == "__main__":
    main()
