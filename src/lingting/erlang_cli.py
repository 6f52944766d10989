"""`lingting erlang`: staffing cases in, figures out (FORMATS.md, "Staffing").

No Django: a planner's spreadsheet export or a data-lake job runs it anywhere. Each line is
one case; a bad one goes to the errors file with its line number and reason while every
other case is still answered. Exit status as for `score`: 0 all answered, 1 some refused,
2 nothing could be read.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from lingting.engine.reader import LineError, UnreadableFileError
from lingting.engine.records import SHOWN_CHARS, read_json_records


def add_erlang_command(commands: Any) -> None:
    """Register `lingting erlang` on the engine commands' subparsers."""
    erlang = commands.add_parser(
        "erlang", help="staffing: Erlang B, C and A figures, or the fewest agents for targets"
    )
    erlang.add_argument("input", type=Path, metavar="CASES.jsonl")
    erlang.add_argument("--out", required=True, metavar="RESULTS.jsonl", help="'-' for stdout")
    erlang.add_argument("--errors", type=Path, metavar="ERRORS.jsonl")
    erlang.set_defaults(run=run_erlang)


@dataclass(slots=True)
class Tally:
    read: int = 0
    answered: int = 0
    rejected: int = 0

    @property
    def exit_status(self) -> int:
        if self.rejected and not self.answered:
            return 2
        return 1 if self.rejected else 0


def run_erlang(args: argparse.Namespace) -> int:
    from lingting.engine_cli import open_errors, open_out

    began = time.perf_counter()
    tally = Tally()
    try:
        with open_out(args.out) as out, open_errors(args.errors) as errors:
            for item in read_json_records(str(args.input)):
                tally.read += 1
                answer = item if isinstance(item, LineError) else _answer(*item)
                if isinstance(answer, LineError):
                    tally.rejected += 1
                    if errors is not None:
                        errors.write(_json_line(answer.to_dict()))
                else:
                    tally.answered += 1
                    out.write(_json_line(answer))
    except (OSError, UnreadableFileError) as exc:
        print(f"lingting erlang: cannot read {args.input}: {exc}", file=sys.stderr)
        return 2
    print(
        f"read {tally.read} · answered {tally.answered} · rejected {tally.rejected} · "
        f"{time.perf_counter() - began:.2f} s",
        file=sys.stderr,
    )
    if tally.rejected:
        where = f"see {args.errors}" if args.errors else "use --errors FILE to keep them"
        print(f"{tally.rejected} case(s) rejected: {where}", file=sys.stderr)
    return tally.exit_status


def _answer(number: int, record: dict[str, Any]) -> dict[str, Any] | LineError:
    # Imported here: the Erlang formulas bring scipy, a fifth of a second to import, and
    # every other engine command (`lingting score` above all) registers this one.
    from lingting.engine.staffing_cases import CaseError, case_id, parse_case, solve_case

    try:
        return solve_case(parse_case(record))
    except CaseError as exc:
        identifier = case_id(record)
        shown = orjson.dumps(record).decode()[:SHOWN_CHARS]
        return LineError(number, str(exc), shown, None if identifier is None else str(identifier))


def _json_line(value: dict[str, Any]) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_APPEND_NEWLINE)
