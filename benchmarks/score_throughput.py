"""How fast is `lingting score` end to end, against the least any phrase engine must do?

Builds N real-sized contacts (the JDDC chats in ../shared/data repeated with fresh ids, or
demo calls where the data is absent), then times in the same run:

- `lingting score` as a user runs it: a new process, all cores, results written in order;
- the floor: one process that reads the same file, parses each line with orjson and makes
  one pyahocorasick pass over the agent turns with the scorecard's phrases;
- `lingting score` again in pure Python (LINGTING_PURE_PYTHON=1), where `make` compiled the
  scoring path (`lingting.engine.accel`): what a machine without a C compiler gets.

Each is run `--repeat` times (default 3), interleaved, and the best run of each is
compared: on a shared machine the best run is the one least disturbed by others. Prints
every run, contacts/s for both and the ratio of times. Targets (2-core machine): issue 2's
≥ 10,000 contacts/s end to end and ≤ 3× the floor's time; issue 15's, with each contact's
meaning (emotion, resolution, predicted satisfaction) in every result, ≥ 20,000 contacts/s
and still ≤ 3×.

    .venv/bin/python benchmarks/score_throughput.py [--contacts 50000] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import orjson

from lingting.engine.accel import PURE_PYTHON_VARIABLE, is_fresh

REPO = Path(__file__).resolve().parents[1]
JDDC = REPO.parent / "shared" / "data" / "jddc" / "jddc_2019_sample.jsonl"


def source_records() -> tuple[str, list[dict[str, object]]]:
    if JDDC.exists():
        with JDDC.open("rb") as stream:
            return "JDDC chats", [orjson.loads(line) for line in stream if line.strip()]
    from lingting.demo.generator.organisation import demo_org
    from lingting.demo.generator.traffic import generate_contacts

    org = demo_org(7)
    records = generate_contacts(org, seed=7, start=date(2026, 10, 1), days=3)
    return "demo calls", [r for r in records if r.get("turns")]


def repeated(records: list[dict[str, object]], count: int) -> Iterator[bytes]:
    for number in range(count):
        record = dict(records[number % len(records)])
        record["id"] = f"{record['id']}-{number}"
        yield orjson.dumps(record) + b"\n"


def floor_pass(path: str) -> int:
    """The least a phrase-based engine must do: read, parse, one automaton pass."""
    import ahocorasick

    from lingting.engine.scorecard_yaml import builtin_scorecard

    automaton = ahocorasick.Automaton()
    for phrase in builtin_scorecard().compile().phrases_for_floor():
        automaton.add_word(phrase, phrase)
    automaton.make_automaton()
    hits = contacts = 0
    with open(path, "rb") as stream:
        for line in stream:
            record = orjson.loads(line)
            contacts += 1
            for turn in record["turns"]:
                if turn["speaker"] == "agent":
                    for _ in automaton.iter(turn["text"]):
                        hits += 1
    return contacts


def timed(command: list[str], env: dict[str, str] | None = None) -> float:
    began = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=50_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of each, interleaved; the best of each is compared (the machine is shared)",
    )
    parser.add_argument("--floor", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        floor_pass(args.floor)
        return

    what, records = source_records()
    compiled = is_fresh()
    print(
        "scoring path: compiled with mypyc"
        if compiled
        else "scoring path: pure Python (not compiled from these sources: make venv)"
    )
    lingting = str(Path(sys.executable).with_name("lingting"))
    with tempfile.TemporaryDirectory() as workdir:
        source = Path(workdir) / "contacts.jsonl"
        with source.open("wb") as out:
            out.writelines(repeated(records, args.contacts))
        size_mb = source.stat().st_size / 1e6
        print(f"input: {args.contacts:,} contacts from {len(records):,} {what} ({size_mb:.0f} MB)")
        score_command = [lingting, "score", str(source), "--out", os.devnull]
        score_command += ["--workers", str(args.workers)]
        pure = {**os.environ, PURE_PYTHON_VARIABLE: "1"}
        floor_runs, score_runs, pure_runs = [], [], []
        for _ in range(max(1, args.repeat)):
            floor_runs.append(timed([sys.executable, __file__, "--floor", str(source)]))
            score_runs.append(timed(score_command))
            if compiled:
                pure_runs.append(timed(score_command, env=pure))
    floor_s, score_s = min(floor_runs), min(score_runs)
    print(
        f"runs (s): floor {', '.join(f'{t:.2f}' for t in floor_runs)}; "
        f"lingting {', '.join(f'{t:.2f}' for t in score_runs)}"
        + (f"; pure Python {', '.join(f'{t:.2f}' for t in pure_runs)}" if pure_runs else "")
        + " — best of each below"
    )
    floor_rate, score_rate = args.contacts / floor_s, args.contacts / score_s
    print(
        f"floor (1 process: read + parse + 1 Aho-Corasick pass): {floor_s:6.2f} s "
        f"{floor_rate:10,.0f} contacts/s"
    )
    print(
        f"lingting score --workers {args.workers} (whole process):      {score_s:6.2f} s "
        f"{score_rate:10,.0f} contacts/s"
    )
    print(
        f"ratio lingting/floor (time): {score_s / floor_s:.2f}×   "
        f"targets: ≥ 20,000 contacts/s (issue 15; issue 2: 10,000), ≤ 3.00×"
    )
    if pure_runs:
        pure_s = min(pure_runs)
        print(
            f"lingting score, pure Python:                       {pure_s:6.2f} s "
            f"{args.contacts / pure_s:10,.0f} contacts/s   ratio {pure_s / floor_s:.2f}×"
        )


if __name__ == "__main__":
    main()
