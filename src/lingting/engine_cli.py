"""`lingting score`, `lingting kpis` and `lingting scorecard test|diff`: the engine on the
command line.

No Django here: these run anywhere Python runs (a laptop, a worker node, a data-lake job).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import orjson

from lingting.engine.batch import score_file
from lingting.engine.contacts import Contact
from lingting.engine.excel_csv import ExcelSafeWriter
from lingting.engine.kpis import (
    EXTRA_FIGURES,
    FIGURES,
    GROUPINGS,
    KpiAccumulator,
    KpiError,
    KpiOptions,
    KpiRow,
    parse_groupings,
)
from lingting.engine.processes import EXIT_STOPPED, Terminated, stopped_reason, terminate_raises
from lingting.engine.reader import (
    LineError,
    UnreadableFileError,
    read_contacts_file,
    sniff_file_encoding,
)
from lingting.engine.scorecard import ScorecardError
from lingting.engine.scorecard_yaml import load_scorecard
from lingting.erlang_cli import add_erlang_command
from lingting.faq_cli import add_faq_commands
from lingting.forecast_cli import add_forecast_command
from lingting.listen_cli import add_listen_command

DEFAULT_TIME_ZONE = "Asia/Shanghai"


def run_engine_command(argv: list[str]) -> int:
    """The command's exit status: 0 all done, 1 some lines rejected, 2 nothing readable,
    3 (`EXIT_STOPPED`) interrupted or crashed, with a one-line reason on stderr."""
    args = _parser().parse_args(argv)
    try:
        with terminate_raises():
            status: int = args.run(args)
    except ScorecardError as exc:
        print(f"lingting: scorecard: {exc}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, Terminated, Exception) as exc:
        print(f"lingting {argv[0]}: {stopped_reason(exc)}", file=sys.stderr)
        return EXIT_STOPPED
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

    kpis = commands.add_parser(
        "kpis", help="contact-center KPIs (接通率, service level, ASA, AHT) per group"
    )
    kpis.add_argument("input", type=Path, metavar="INPUT.jsonl", help=".jsonl or CDR-only .csv")
    kpis.add_argument(
        "--by", default="", metavar="GROUPS", help=f"comma-separated, any of {','.join(GROUPINGS)}"
    )
    kpis.add_argument("--service-level-seconds", type=_seconds, default=20.0, metavar="T")
    kpis.add_argument("--short-abandon-seconds", type=_seconds, default=5.0, metavar="S")
    kpis.add_argument(
        "--extra",
        action="store_true",
        help="also first-contact resolution, transfers and complaints (beyond FORMATS.md)",
    )
    kpis.add_argument(
        "--fcr-days",
        type=_days,
        default=7.0,
        metavar="N",
        help="with --extra: a repeat within N days means not resolved (default 7)",
    )
    kpis.add_argument(
        "--complaint-queues",
        default="",
        metavar="QUEUES",
        help="with --extra: comma-separated queues whose contacts are all complaints",
    )
    kpis.add_argument("--out", required=True, metavar="KPIS.(json|csv)", help="'-' for stdout")
    kpis.add_argument("--errors", type=Path, metavar="ERRORS.jsonl")
    kpis.add_argument(
        "--time-zone",
        "--tz",
        default=_default_time_zone(),
        help="for times without an offset and local days/hours (default: LINGTING_TIME_ZONE"
        " or Asia/Shanghai)",
    )
    kpis.set_defaults(run=_kpis)

    add_erlang_command(commands)

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
    add_forecast_command(commands)
    add_faq_commands(commands)
    add_listen_command(commands)
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
    with open_out(args.out) as out, open_errors(args.errors) as errors:
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


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"must be a number of seconds ≥ 0, not {text!r}")
    return value


def _days(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 366:
        raise argparse.ArgumentTypeError(f"must be a number of days above 0, not {text!r}")
    return value


def _kpis(args: argparse.Namespace) -> int:
    began = time.perf_counter()
    try:
        by = parse_groupings(args.by)
        write = _kpi_writer(args.out)
    except KpiError as exc:
        print(f"lingting kpis: {exc}", file=sys.stderr)
        return 2
    try:
        tz = ZoneInfo(args.time_zone)
    except (ValueError, ZoneInfoNotFoundError):
        print(f"lingting kpis: unknown time zone {args.time_zone!r}", file=sys.stderr)
        return 2
    options = KpiOptions(
        service_level_seconds=args.service_level_seconds,
        short_abandon_seconds=args.short_abandon_seconds,
        fcr_days=args.fcr_days,
        complaint_queues=frozenset(
            q.strip() for q in args.complaint_queues.split(",") if q.strip()
        ),
    )
    accumulator = KpiAccumulator(by=by, options=options, tz=tz, extra=args.extra)
    try:
        with open_errors(args.errors) as errors:
            read, rejected = _accumulate(args.input, accumulator, errors)
    except (OSError, UnreadableFileError) as exc:
        print(f"lingting kpis: cannot read {args.input}: {exc}", file=sys.stderr)
        return 2
    rows = accumulator.rows()
    try:
        # The rows are few (one per group), so stdout is written through Python's own
        # stream rather than a duplicated descriptor, and left open.
        with nullcontext(sys.stdout.buffer) if args.out == "-" else open(args.out, "wb") as out:
            write(rows, by, out, args.extra)
            out.flush()
    except OSError as exc:
        print(f"lingting kpis: cannot write {args.out}: {exc}", file=sys.stderr)
        return 2
    print(_describe_kpi_run(rows, read, rejected, time.perf_counter() - began), file=sys.stderr)
    if rejected:
        where = f"see {args.errors}" if args.errors else "use --errors FILE to keep them"
        print(f"{rejected} line(s) rejected: {where}", file=sys.stderr)
    return (2 if rejected == read else 1) if rejected else 0


def _describe_kpi_run(rows: list[KpiRow], read: int, rejected: int, seconds: float) -> str:
    offered = sum(row.offered for row in rows)
    return (
        f"read {read} · offered {offered} · not offered (outbound, IVR-only, phantom…) "
        f"{read - rejected - offered} · rejected {rejected} · {len(rows)} row(s) · "
        f"{seconds:.2f} s · {read / seconds if seconds > 0 else 0:,.0f} contacts/s"
    )


def _accumulate(
    path: Path, accumulator: KpiAccumulator, errors: IO[bytes] | None
) -> tuple[int, int]:
    """Feed every good line to `accumulator`; broken ones go to `errors`. (read, rejected)."""
    read = rejected = 0
    for parsed in read_contacts_file(str(path), tz=accumulator.tz):
        read += 1
        if isinstance(parsed, LineError):
            rejected += 1
            if errors is not None:
                errors.write(orjson.dumps(parsed.to_dict()) + b"\n")
        else:
            accumulator.add(parsed.contact)
    return read, rejected


KpiWriter = Callable[[list[KpiRow], tuple[str, ...], IO[bytes], bool], None]


def _kpi_writer(target: str) -> KpiWriter:
    """The writer the --out name asks for: '-' and .json write JSON, .csv writes CSV."""
    suffix = Path(target).suffix.lower()
    if target == "-" or suffix == ".json":
        return _write_kpis_json
    if suffix == ".csv":
        return _write_kpis_csv
    raise KpiError(f"--out must end in .json or .csv (or be '-' for JSON), not {target!r}")


def _write_kpis_json(rows: list[KpiRow], by: tuple[str, ...], out: IO[bytes], extra: bool) -> None:
    dicts = [row.to_dict(extra=extra) for row in rows]
    out.write(orjson.dumps(dicts, option=orjson.OPT_INDENT_2) + b"\n")


def _write_kpis_csv(rows: list[KpiRow], by: tuple[str, ...], out: IO[bytes], extra: bool) -> None:
    # UTF-8 with a BOM: Excel on a Chinese Windows reads a CSV without one in the ANSI code
    # page (GBK) and garbles Chinese queue and agent names; the BOM makes it read UTF-8.
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    try:
        writer = ExcelSafeWriter(text)  # queue and agent names are data: never formulas
        writer.writerow([*by, *FIGURES, *(EXTRA_FIGURES if extra else ())])
        for row in rows:
            values = row.to_dict(extra=extra)
            writer.writerow(["" if values[name] is None else values[name] for name in values])
    finally:
        text.flush()
        text.detach()


def open_out(target: str) -> IO[bytes]:
    if target == "-":
        return os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    return open(target, "wb")


def open_errors(path: Path | None) -> AbstractContextManager[IO[bytes] | None]:
    return nullcontext() if path is None else path.open("wb")


def _scorecard_test(args: argparse.Namespace) -> int:
    from lingting.engine.scorecard_checks import run_examples

    report = run_examples(load_scorecard(args.scorecard))
    print(report.describe())
    return 0 if report.ok else 1


def _scorecard_diff(args: argparse.Namespace) -> int:
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
