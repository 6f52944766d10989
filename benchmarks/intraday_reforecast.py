"""How much should the rest of the day believe the morning? κ for engine.intraday, chosen on
synthetic days, then scored on real ones.

    .venv/bin/python benchmarks/intraday_reforecast.py [BANK_CALLS.csv] [--days N]

1. **Choice, synthetic days only.** Each day has a forecast profile of 28 half hours
   (08:00–22:00, a morning and an afternoon peak) and a day total of 150, 600 or 3,000
   calls. What comes is Poisson around forecast × a day-level factor (log-normal, sd 0.05,
   0.10 or 0.20: a forecast that knew the day well, as usual, or badly) × an interval
   factor (log-normal, sd 0.10: the day's shape is never the profile's). The forecast's
   80% band is what its own error model says: f ± z·√(f + (σ_day² + σ_interval²)·f²).
   At every third interval boundary the rest of the day is re-forecast by
   `engine.intraday.intraday_day` with each κ of the grid, and scored by WAPE over the
   remaining intervals against the same days without an update. The κ with the least
   mean ratio over the nine scenarios (each counts the same, whatever its volume) is the
   one `CREDIBILITY_KAPPA` holds; the script says whether they agree.
2. **Evaluation, real days.** The bank's 5-minute arrivals (../shared/data/bank_calls;
   Weinberg, Brown & Stroud 2007), summed to half hours, are forecast by
   `engine.arrivals.forecast_arrivals` from the days up to 2003-09-26 for the four weeks
   after, as `lingting forecast` does; then each of those days is re-forecast at 09:00,
   11:00, 13:00, 15:00 and 17:00 with `CREDIBILITY_KAPPA`, with no update, and with the
   raw ratio (κ = 0). Printed: the rest of the day's WAPE for each, the ratio of ours to
   no update, and the share of actual counts inside the 80% bands. Nothing is tuned here.
"""

from __future__ import annotations

import argparse
import csv
import math
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

from lingting.engine.arrivals import Z_80, forecast_arrivals
from lingting.engine.intraday import CREDIBILITY_KAPPA, PlannedInterval, intraday_day

REPO = Path(__file__).resolve().parents[1]
BANK_CALLS = REPO.parent / "shared" / "data" / "bank_calls" / "bank_calls.csv"
TRAIN_UNTIL = date(2003, 9, 26)
WEEKS_AHEAD = 4
HALF_HOUR = timedelta(minutes=30)
NO_UPDATE = math.inf
KAPPAS = (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1.0, NO_UPDATE)
DAY_TOTALS = (150, 600, 3000)
DAY_SDS = (0.05, 0.10, 0.20)
INTERVAL_SD = 0.10
SLOTS = 28  # 08:00–22:00
EVERY = 3  # a cutoff every third interval boundary
CUTOFF_HOURS = (9, 11, 13, 15, 17)
ORIGIN = datetime(2026, 10, 12, 8, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Day:
    planned: list[PlannedInterval]
    actual: dict[datetime, int]


def profile() -> np.ndarray:
    hours = 8 + 0.5 * np.arange(SLOTS) + 0.25
    shape = 0.3 + np.exp(-(((hours - 10.5) / 1.6) ** 2)) + 0.8 * np.exp(-(((hours - 15) / 2) ** 2))
    return np.asarray(shape / shape.sum())


def synthetic_days(total: int, day_sd: float, days: int, rng: np.random.Generator) -> list[Day]:
    forecast = total * profile()
    spread = np.sqrt(forecast + (day_sd**2 + INTERVAL_SD**2) * forecast**2)
    starts = [ORIGIN + slot * HALF_HOUR for slot in range(SLOTS)]
    planned = [
        PlannedInterval(start, float(f), float(max(f - Z_80 * s, 0.0)), float(f + Z_80 * s))
        for start, f, s in zip(starts, forecast, spread, strict=True)
    ]
    out = []
    for _ in range(days):
        level = rng.lognormal(-(day_sd**2) / 2, day_sd)
        shape = rng.lognormal(-(INTERVAL_SD**2) / 2, INTERVAL_SD, SLOTS)
        counts = rng.poisson(forecast * level * shape)
        out.append(Day(planned, {s: int(c) for s, c in zip(starts, counts, strict=True)}))
    return out


@dataclass
class Score:
    error: float = 0.0
    calls: float = 0.0
    inside: int = 0
    counted: int = 0

    @property
    def wape(self) -> float:
        return self.error / self.calls if self.calls else math.nan

    @property
    def coverage(self) -> float:
        return self.inside / self.counted if self.counted else math.nan


def score_rest(day: Day, now: datetime, kappa: float, score: Score) -> None:
    """Re-forecast `day` at `now` and add the rest of the day's errors to `score`."""
    if math.isinf(kappa):
        rest = [
            (plan.forecast, plan.lower, plan.upper, day.actual.get(plan.start, 0))
            for plan in day.planned
            if plan.start >= now
        ]
    else:
        result = intraday_day(day.planned, day.actual, interval=HALF_HOUR, now=now, kappa=kappa)
        rest = [
            (
                row.reforecast or 0.0,
                row.reforecast_lower or 0.0,
                row.reforecast_upper or 0.0,
                day.actual.get(row.start, 0),
            )
            for row in result.rows
            if row.start >= now
        ]
    for point, low, high, actual in rest:
        score.error += abs(actual - point)
        score.calls += actual
        score.inside += low <= actual <= high
        score.counted += 1


def choose_kappa(days_per_scenario: int) -> float:
    rng = np.random.default_rng(20261012)
    print(f"1. synthetic days: {days_per_scenario} per scenario, cutoffs every {EVERY} intervals")
    ratios: dict[float, list[float]] = defaultdict(list)
    header = "  ".join(f"{'∞' if math.isinf(k) else k:>5}" for k in KAPPAS[:-1])
    print(f"   {'day total':>9} {'day sd':>6}   WAPE ratio to no update for κ = {header}")
    for total in DAY_TOTALS:
        for day_sd in DAY_SDS:
            days = synthetic_days(total, day_sd, days_per_scenario, rng)
            scores = {kappa: Score() for kappa in KAPPAS}
            for day in days:
                for slot in range(EVERY, SLOTS, EVERY):
                    now = ORIGIN + slot * HALF_HOUR
                    for kappa in KAPPAS:
                        score_rest(day, now, kappa, scores[kappa])
            base = scores[NO_UPDATE].wape
            for kappa in KAPPAS[:-1]:
                ratios[kappa].append(scores[kappa].wape / base)
            cells = "  ".join(f"{scores[k].wape / base:5.3f}" for k in KAPPAS[:-1])
            print(f"   {total:>9} {day_sd:>6.2f}   (no update WAPE {base:.3f})  {cells}")
    means = {kappa: sum(values) / len(values) for kappa, values in ratios.items()}
    print("   mean ratio: " + "  ".join(f"κ={k}: {means[k]:.4f}" for k in KAPPAS[:-1]))
    chosen = min(means, key=lambda kappa: means[kappa])
    agrees = "agrees" if chosen == CREDIBILITY_KAPPA else "DISAGREES"
    print(f"   least mean ratio at κ = {chosen}; engine CREDIBILITY_KAPPA = {CREDIBILITY_KAPPA}")
    print(f"   ({agrees})")
    return chosen


def half_hours(path: Path) -> dict[datetime, int]:
    """The bank's 5-minute counts summed per half hour (its clock is local, written as Z)."""
    counts: dict[datetime, int] = defaultdict(int)
    with path.open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            moment = datetime.fromisoformat(row["DateTime"])
            start = moment.replace(minute=moment.minute // 30 * 30)
            counts[start] += int(float(row["Calls"]))
    return dict(counts)


def evaluate(path: Path) -> None:
    series = half_hours(path)
    first = TRAIN_UNTIL + timedelta(days=1)
    last = TRAIN_UNTIL + timedelta(weeks=WEEKS_AHEAD)
    train = [(t, float(c)) for t, c in series.items() if t.date() <= TRAIN_UNTIL]
    began = time.perf_counter()
    forecast = forecast_arrivals(train, first=first, last=last, interval_minutes=30, calendar=None)
    print(
        f"\n2. bank_calls: forecast {first}..{last} from {len(train):,} half hours "
        f"({time.perf_counter() - began:.1f} s); re-forecast at {CUTOFF_HOURS} h"
    )
    by_day: dict[date, list[PlannedInterval]] = defaultdict(list)
    for row in forecast.rows:
        by_day[row.start.date()].append(
            PlannedInterval(row.start, row.forecast, row.lower, row.upper)
        )
    # Only now are the held-out days read.
    days = [
        Day(planned, {t: c for t, c in series.items() if t.date() == day})
        for day, planned in sorted(by_day.items())
        if any(t.date() == day for t in series)
    ]
    print(f"   {len(days)} days scored")
    report(days, (CREDIBILITY_KAPPA, 0.0, NO_UPDATE))


def report(days: Sequence[Day], kappas: Sequence[float]) -> None:
    names = {CREDIBILITY_KAPPA: f"κ = {CREDIBILITY_KAPPA}", 0.0: "raw ratio", NO_UPDATE: "none"}
    totals = {kappa: Score() for kappa in kappas}
    for hour in CUTOFF_HOURS:
        scores = {kappa: Score() for kappa in kappas}
        for day in days:
            now = day.planned[0].start.replace(hour=hour, minute=0)
            for kappa in kappas:
                score_rest(day, now, kappa, scores[kappa])
                score_rest(day, now, kappa, totals[kappa])
        print(f"   at {hour:02d}:00 " + _line(scores, names))
    print("   all      " + _line(totals, names))
    ratio = totals[CREDIBILITY_KAPPA].wape / totals[NO_UPDATE].wape
    print(f"   ours / no update: {ratio:.3f} ({1 - ratio:.1%} less error on the rest of the day)")


def _line(scores: dict[float, Score], names: dict[float, str]) -> str:
    return "  ".join(
        f"{names[k]}: WAPE {s.wape:.4f} in-band {s.coverage:.1%}" for k, s in scores.items()
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=BANK_CALLS)
    parser.add_argument("--days", type=int, default=200, help="synthetic days per scenario")
    args = parser.parse_args()
    began = time.perf_counter()
    choose_kappa(args.days)
    if args.data.exists():
        evaluate(args.data)
    else:
        print(f"\n2. skipped: no bank arrivals at {args.data} (pass the path of bank_calls.csv)")
    print(f"\n{time.perf_counter() - began:.1f} s in all")


if __name__ == "__main__":
    main()
