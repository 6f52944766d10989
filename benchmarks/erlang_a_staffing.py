"""Staffing a month of 30-minute intervals under Erlang A, against pyworkforce on the same inputs.

    .venv/bin/pip install -e '.[bench]'           # pyworkforce, measured against, never used
    .venv/bin/python benchmarks/erlang_a_staffing.py
    .venv/bin/python benchmarks/erlang_a_staffing.py --sample 10   # pyworkforce on every 10th

Issue 14: staff 1,440 intervals (30 days × 48) under Erlang A in the same run as
pyworkforce's ErlangA, at least 10× faster, with identical answers where pyworkforce is right.

The load is a 24-hour line's: a morning and an afternoon peak, quiet nights, weekends lighter,
with seeded Poisson noise, from a few Erlangs at night to about 160 at the peak. Every
interval gets the same targets: 80 % answered within 20 s (of all offered calls) and at most
5 % abandoned; handling 4 minutes, mean patience 2 minutes.

pyworkforce starts its search at the load rounded up, so it can never answer below the load,
which Erlang A allows (callers who hang up keep the queue finite): where Lingting's count is
below the load, pyworkforce's answer is not the fewest agents, and those intervals are
counted apart. Every other interval must agree exactly.

With --sample N pyworkforce runs on every Nth interval only (its time scaled up to the
month, and said so); Lingting always staffs all of them.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from dataclasses import dataclass

from lingting.engine.staffing import Model, Queue, Targets, staff

INTERVALS = 30 * 48
INTERVAL_MIN = 30
AHT_MIN = 4.0
PATIENCE_MIN = 2.0
ANSWER_WITHIN_S = 20.0
SERVICE_LEVEL = 0.8
MAX_ABANDON = 0.05
TARGET_SPEED_UP = 10.0


@dataclass(frozen=True, slots=True)
class Interval:
    index: int
    calls: int

    @property
    def traffic(self) -> float:
        return self.calls * AHT_MIN / INTERVAL_MIN


def month_of_calls(seed: int) -> list[Interval]:
    rng = random.Random(seed)
    intervals = []
    for index in range(INTERVALS):
        day, slot = divmod(index, 48)
        hour = slot / 2
        shape = (
            0.05
            + math.exp(-(((hour - 10.5) / 2.2) ** 2))
            + 0.8 * math.exp(-(((hour - 15.5) / 2.5) ** 2))
        )
        weekend = 0.6 if day % 7 in (5, 6) else 1.0
        mean = 1100 * shape * weekend
        intervals.append(Interval(index, _poisson(rng, mean)))
    return intervals


def _poisson(rng: random.Random, mean: float) -> int:
    # Normal approximation above 30 calls, exact inversion below: good enough for a load.
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def lingting_counts(intervals: list[Interval]) -> tuple[list[int], float]:
    targets = Targets(service_level=SERVICE_LEVEL, max_abandon=MAX_ABANDON)
    began = time.perf_counter()
    counts = []
    for interval in intervals:
        queue = Queue(
            Model.ERLANG_A,
            interval.traffic,
            aht_s=AHT_MIN * 60,
            patience_s=PATIENCE_MIN * 60,
            answer_within_s=ANSWER_WITHIN_S,
        )
        counts.append(0 if interval.calls == 0 else staff(queue, targets).agents)
    return counts, time.perf_counter() - began


def pyworkforce_counts(intervals: list[Interval]) -> tuple[list[int], float]:
    from pyworkforce.queuing import ErlangA

    began = time.perf_counter()
    counts = []
    for interval in intervals:
        if interval.calls == 0:  # pyworkforce refuses a load of zero
            counts.append(0)
            continue
        erlang = ErlangA(
            transactions=interval.calls,
            aht=AHT_MIN,
            asa=ANSWER_WITHIN_S / 60,
            interval=INTERVAL_MIN,
            patience=PATIENCE_MIN,
        )
        result = erlang.required_positions(service_level=SERVICE_LEVEL, max_abandonment=MAX_ABANDON)
        counts.append(int(result["raw_positions"]))
    return counts, time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=1, help="pyworkforce on every Nth interval")
    parser.add_argument("--seed", type=int, default=20261206)
    args = parser.parse_args()
    try:
        import pyworkforce  # noqa: F401
    except ImportError:
        print("pyworkforce is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 2

    intervals = month_of_calls(args.seed)
    ours, our_seconds = lingting_counts(intervals)
    sampled = intervals[:: args.sample]
    theirs, their_seconds = pyworkforce_counts(sampled)
    their_month = their_seconds * len(intervals) / len(sampled)

    same = below_load = differ = 0
    for interval, their_count in zip(sampled, theirs, strict=True):
        our_count = ours[interval.index]
        if our_count == their_count:
            same += 1
        elif our_count < math.ceil(interval.traffic) and their_count == math.ceil(interval.traffic):
            below_load += 1
        else:
            differ += 1
            print(
                f"  interval {interval.index}: {interval.traffic:.2f} Erlangs, "
                f"Lingting {our_count}, pyworkforce {their_count}"
            )
    loads = [interval.traffic for interval in intervals]
    print(
        f"{len(intervals)} intervals of {INTERVAL_MIN} min, {min(loads):.1f}–{max(loads):.1f} "
        f"Erlangs; targets {SERVICE_LEVEL:.0%} within {ANSWER_WITHIN_S:.0f} s, "
        f"abandonment ≤ {MAX_ABANDON:.0%}; handling {AHT_MIN:g} min, patience {PATIENCE_MIN:g} min"
    )
    print(
        f"Lingting     {our_seconds:8.3f} s for all {len(intervals)} intervals "
        f"({our_seconds / len(intervals) * 1000:.2f} ms each)"
    )
    scaled = "" if args.sample == 1 else f" (measured on {len(sampled)}, scaled to the month)"
    print(f"pyworkforce  {their_month:8.3f} s{scaled}")
    speed_up = their_month / our_seconds
    print(f"speed-up     {speed_up:8.1f}×  (target ≥ {TARGET_SPEED_UP:g}×)")
    print(
        f"answers      {same} identical, {below_load} below the load (pyworkforce cannot "
        f"go there), {differ} different"
    )
    passed = speed_up >= TARGET_SPEED_UP and differ == 0
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
