"""Does `lingting forecast` beat the naive forecasts on real call arrivals?

    .venv/bin/python benchmarks/forecast_bank_calls.py [BANK_CALLS.csv] [--train-until DATE]

The data: 5-minute call arrivals of a North American bank, weekdays 07:00–21:05,
2003-03-03..10-24 (../shared/data/bank_calls; Weinberg, Brown & Stroud 2007). Its rows are
`rownames,DateTime,Calls`; they are written as the contract's `time,count` into a temporary
folder, the rows up to `--train-until` (default 2003-09-26) only, and the real command runs
on them as a user runs it:

    lingting forecast HISTORY.csv --from <next day> --to <four weeks on>
                      --interval-minutes 5 --calendar none --out FORECAST.csv

The four weeks after the training end are never read before that run and nothing is tuned
on them: the command chooses its methods by its own backtest on the training rows. Then the
forecast and the naive forecasts (computed here, independently of the engine) are scored
against those weeks' actual counts:

- last week: each weekday and time of the last training week;
- mean / median of the last 4 and of the last 8 weeks, per weekday and time.

Printed: WAPE (Σ|actual − forecast| ÷ Σ actual) and MAPE of each, the best naive, the ratio
of ours to it, the share of actual counts inside our 80% intervals, the command's seconds,
the backtest's WAPE per lead day of the daily-total models (with and without the latest
day's carry-over, `_ar`) against the best naive, and PASS when our WAPE is at least 5%
below the best naive's (issue 14). For scale: Poisson noise alone, with the true rates
known, would leave a WAPE of about 0.057 here.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from statistics import mean, median

REPO = Path(__file__).resolve().parents[1]
BANK_CALLS = REPO.parent / "shared" / "data" / "bank_calls" / "bank_calls.csv"
TRAIN_UNTIL = date(2003, 9, 26)
WEEKS_AHEAD = 4
TARGET_GAIN = 0.05  # ours must be at least 5% below the best naive

Series = dict[str, float]  # time as written → count


def read_bank_calls(path: Path) -> Series:
    with path.open(encoding="utf-8") as stream:
        return {row["DateTime"]: float(row["Calls"]) for row in csv.DictReader(stream)}


def naive_forecasts(train: Series) -> dict[str, dict[str, float]]:
    """Per naive method, a forecast for each (weekday, time of day) slot."""
    history: dict[tuple[int, str], list[tuple[date, float]]] = defaultdict(list)
    for text, count in train.items():
        moment = datetime.fromisoformat(text)
        history[(moment.weekday(), text[10:])].append((moment.date(), count))
    last_day = max(datetime.fromisoformat(text).date() for text in train)
    methods: dict[str, dict[str, float]] = defaultdict(dict)
    for (weekday, clock), values in history.items():
        key = f"{weekday}{clock}"
        methods["last week"][key] = max(values)[1]  # the latest day of that weekday
        for span in (4, 8):
            recent = [count for day, count in values if (last_day - day).days < 7 * span]
            methods[f"mean of last {span} weeks"][key] = mean(recent) if recent else 0.0
            methods[f"median of last {span} weeks"][key] = median(recent) if recent else 0.0
    return methods


def slot_key(text: str) -> str:
    return f"{datetime.fromisoformat(text).weekday()}{text[10:]}"


def wape(actual: Series, forecast: Series) -> float:
    errors = sum(abs(count - forecast.get(text, 0.0)) for text, count in actual.items())
    return errors / sum(actual.values())


def mape(actual: Series, forecast: Series) -> float:
    busy = [(count, forecast.get(text, 0.0)) for text, count in actual.items() if count > 0]
    return sum(abs(count - guess) / count for count, guess in busy) / len(busy)


def run_lingting(train: Series, first: date, last: date, workdir: Path) -> tuple[Path, float]:
    history, out = workdir / "history.csv", workdir / "forecast.csv"
    backtest = workdir / "backtest.csv"
    with history.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["time", "count"])
        writer.writerows((text, int(count)) for text, count in train.items())
    command = [
        str(Path(sys.executable).with_name("lingting")),
        "forecast",
        str(history),
        "--from",
        first.isoformat(),
        "--to",
        last.isoformat(),
        "--interval-minutes",
        "5",
        "--calendar",
        "none",
        "--out",
        str(out),
        "--backtest",
        str(backtest),
    ]
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - began
    print(done.stderr.rstrip())
    if done.returncode != 0:
        sys.exit(f"lingting forecast failed with status {done.returncode}")
    return out, seconds


MODELS = ("daily_profile", "daily_profile_ar", "daily_profile_month", "daily_month_ar")
NAIVE = ("last_week", "mean_4w", "median_4w", "mean_8w", "median_8w")


def print_backtest(path: Path, last_lead: int) -> None:
    """The command's own backtest (training rows only), per lead day up to `last_lead`."""
    with path.open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    by_lead: dict[int, dict[str, float]] = defaultdict(dict)
    for row in rows:
        if row["wape"] and int(row["lead_days"]) <= last_lead:
            by_lead[int(row["lead_days"])][row["method"]] = float(row["wape"])
    models = [name for name in MODELS if any(name in found for found in by_lead.values())]
    print("backtest WAPE per lead day: " + " / ".join([*models, "best naive"]))
    for lead, found in sorted(by_lead.items()):
        figures = " ".join(f"{found[name]:.4f}" for name in models if name in found)
        naive = min(found[name] for name in NAIVE if name in found)
        print(f"  lead {lead:>2}: {figures} / {naive:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=BANK_CALLS)
    parser.add_argument("--train-until", type=date.fromisoformat, default=TRAIN_UNTIL)
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"no bank arrivals at {args.data}: pass the path of bank_calls.csv")
    series = read_bank_calls(args.data)
    first = args.train_until + timedelta(days=1)
    last = args.train_until + timedelta(weeks=WEEKS_AHEAD)
    train = {
        t: c for t, c in series.items() if datetime.fromisoformat(t).date() <= args.train_until
    }
    print(f"training: {len(train):,} intervals up to {args.train_until}; forecast {first}..{last}")
    with tempfile.TemporaryDirectory() as workdir:
        out, seconds = run_lingting(train, first, last, Path(workdir))
        with out.open(encoding="utf-8") as stream:
            rows = list(csv.DictReader(stream))
        print_backtest(Path(workdir) / "backtest.csv", (last - args.train_until).days)
    ours = {row["time"]: float(row["forecast"]) for row in rows}
    bounds = {row["time"]: (float(row["lower"]), float(row["upper"])) for row in rows}
    # Only now are the held-out weeks read.
    actual = {t: c for t, c in series.items() if first <= datetime.fromisoformat(t).date() <= last}
    print(f"evaluation: {len(actual):,} actual intervals, {len(ours):,} forecast")
    unscored = sorted({text[:10] for text in ours} - {text[:10] for text in actual})
    if unscored:
        print(f"  not scored: days forecast that the data does not hold ({', '.join(unscored)})")
    scores = {}
    for name, by_slot in naive_forecasts(train).items():
        forecast = {text: by_slot.get(slot_key(text), 0.0) for text in actual}
        scores[name] = (wape(actual, forecast), mape(actual, forecast))
    for name, (w, m) in scores.items():
        print(f"  {name:<26} WAPE {w:.4f}  MAPE {m:.4f}")
    best_name = min(scores, key=lambda name: scores[name][0])
    best = scores[best_name][0]
    ours_wape, ours_mape = wape(actual, ours), mape(actual, ours)
    print(f"  {'lingting forecast':<26} WAPE {ours_wape:.4f}  MAPE {ours_mape:.4f}")
    inside = sum(bounds[t][0] <= c <= bounds[t][1] for t, c in actual.items() if t in bounds)
    print(f"80% intervals hold {inside / len(actual):.1%} of the actual counts")
    ratio = ours_wape / best
    verdict = "PASS" if ratio <= 1 - TARGET_GAIN else "FAIL"
    print(
        f"best naive: {best_name} (WAPE {best:.4f}); ours/best naive {ratio:.3f} "
        f"({1 - ratio:.1%} better); target ≥ {TARGET_GAIN:.0%} better: {verdict}"
    )
    print(f"lingting forecast took {seconds:.2f} s (whole process)")


if __name__ == "__main__":
    main()
