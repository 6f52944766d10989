"""`lingting score` and `lingting scorecard test|diff`: the engine on the command line.

No Django here: these run anywhere Python runs (a laptop, a worker node, a data-lake job).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo

from lingting.engine.batch import score_file
from lingting.engine.contacts import Contact
from lingting.engine.reader import UnreadableFileError, sniff_file_encoding
from lingting.engine.scorecard import ScorecardError, load_scorecard

DEFAULT_TIME_ZONE = "Asia/Shanghai"


def run_engine_command(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        status: int = args.run(args)
    except ScorecardError as exc:
        print(f"lingting: scorecard: {exc}", file=sys.stderr)
        return 2
    return status


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lingting")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    score = commands.add_parser("score", help="score every contact of a JSON-lines file")
    score.add_argument("input", type=Path, metavar="INPUT.jsonl")
    score.add_argument("--out", required=True, metavar="RESULTS.jsonl", help="'-' for stdout")
    score.add_argument("--scorecard", default="standard", metavar="FILE_OR_NAME")
    score.add_argument("--errors", type=Path, metavar="ERRORS.jsonl")
    score.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="processes (default: all cores)"
    )
    score.add_argument(
        "--time-zone",
        default=_default_time_zone(),
        help="for times without an offset (default: LINGTING_TIME_ZONE or Asia/Shanghai)",
    )
    score.set_defaults(run=_score)

    scorecard = commands.add_parser("scorecard", help="test or compare scorecards")
    actions = scorecard.add_subparsers(required=True, metavar="ACTION")
    test = actions.add_parser("test", help="run every item's must/must-not examples")
    test.add_argument("scorecard", metavar="FILE_OR_NAME")
    test.set_defaults(run=_scorecard_test)
    diff = actions.add_parser("diff", help="replay two versions over past contacts")
    diff.add_argument("old", metavar="OLD")
    diff.add_argument("new", metavar="NEW")
    diff.add_argument("--contacts", type=Path, required=True, metavar="CONTACTS.jsonl")
    diff.add_argument(
        "--time-zone", default=os.environ.get("LINGTING_TIME_ZONE", DEFAULT_TIME_ZONE)
    )
    diff.set_defaults(run=_scorecard_diff)
    return parser


def _default_time_zone() -> str:
    return os.environ.get("LINGTING_TIME_ZONE", DEFAULT_TIME_ZONE)


def _score(args: argparse.Namespace) -> int:
    compiled = load_scorecard(args.scorecard).compile()
    try:
        encoding = sniff_file_encoding(str(args.input))
    except (OSError, UnreadableFileError) as exc:
        print(f"lingting score: cannot read {args.input}: {exc}", file=sys.stderr)
        return 2
    with _open_out(args.out) as out, _open_errors(args.errors) as errors:
        summary = score_file(
            args.input,
            out=out,
            errors_out=errors,
            score=compiled.score,
            encode=compiled.encode,
            tz=ZoneInfo(args.time_zone),
            encoding=encoding,
            workers=max(1, args.workers),
        )
    print(summary.describe(), file=sys.stderr)
    if summary.rejected:
        where = f"see {args.errors}" if args.errors else "use --errors FILE to keep them"
        print(f"{summary.rejected} line(s) rejected: {where}", file=sys.stderr)
    return summary.exit_status


def _open_out(target: str) -> IO[bytes]:
    if target == "-":
        return os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    return open(target, "wb")


def _open_errors(path: Path | None) -> AbstractContextManager[IO[bytes] | None]:
    return nullcontext() if path is None else path.open("wb")


def _scorecard_test(args: argparse.Namespace) -> int:
    from lingting.engine.scorecard_checks import run_examples

    report = run_examples(load_scorecard(args.scorecard))
    print(report.describe())
    return 0 if report.ok else 1


def _scorecard_diff(args: argparse.Namespace) -> int:
    from lingting.engine.reader import LineError, read_contacts_file
    from lingting.engine.scorecard_checks import diff_scorecards

    old, new = load_scorecard(args.old), load_scorecard(args.new)
    replayed = 0

    def contacts() -> Iterator[Contact]:
        nonlocal replayed
        for parsed in read_contacts_file(str(args.contacts), tz=ZoneInfo(args.time_zone)):
            if isinstance(parsed, LineError):
                print(f"line {parsed.line}: skipped: {parsed.reason}", file=sys.stderr)
            elif parsed.contact.turns:
                replayed += 1
                yield parsed.contact

    flips = 0
    for flip in diff_scorecards(old, new, contacts()):
        flips += 1
        print(flip.describe())
    print(f"{flips} of {replayed} contacts would change", file=sys.stderr)
    return 0
