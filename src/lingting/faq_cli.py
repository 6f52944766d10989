"""`lingting faq-match` and `lingting faq-train` (FORMATS.md, "FAQ matching").

No Django. Input is read as `lingting score` reads contacts: the encoding is sniffed (UTF-8
with or without BOM, or GBK/GB18030; anything else is refused), a broken line goes to the
errors file with its line number and reason while every good line is still used. Exit
status as for `score`: 0 every line used, 1 some lines rejected, 2 nothing could be done.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import orjson

from lingting.engine.reader import LineError, NumberedLines, UnreadableFileError, holds_nul
from lingting.engine.records import SHOWN_CHARS, read_json_records

if TYPE_CHECKING:
    from lingting.engine.faq import FaqEntry, Pair


def add_faq_commands(commands: Any) -> None:
    """Register `lingting faq-match` and `lingting faq-train` on the engine's subparsers."""
    match = commands.add_parser(
        "faq-match", help="the knowledge-base entries that answer each customer question"
    )
    match.add_argument("kb", type=Path, metavar="KB.jsonl")
    match.add_argument("queries", type=Path, metavar="QUERIES.jsonl")
    match.add_argument("--out", required=True, metavar="MATCHES.jsonl", help="'-' for stdout")
    match.add_argument("--top", type=_top, default=10, metavar="N", help="matches a query (10)")
    match.add_argument("--model", type=Path, metavar="MODEL_DIR", help="made by faq-train")
    match.add_argument("--errors", type=Path, metavar="ERRORS.jsonl")
    match.set_defaults(run=run_faq_match)

    train = commands.add_parser("faq-train", help="learn a matcher from confirmed question pairs")
    train.add_argument("pairs", type=Path, metavar="PAIRS.tsv")
    train.add_argument("--out", required=True, type=Path, metavar="MODEL_DIR")
    train.add_argument("--errors", type=Path, metavar="ERRORS.jsonl")
    train.set_defaults(run=run_faq_train)


def _top(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number ≥ 1, not {text!r}")
    return value


@dataclass(slots=True)
class _Tally:
    read: int = 0
    rejected: int = 0

    def reject(self, error: LineError, errors: IO[bytes] | None, source: Path) -> None:
        self.rejected += 1
        if errors is not None:
            errors.write(_json_line({"file": str(source), **error.to_dict()}))


def run_faq_match(args: argparse.Namespace) -> int:
    # Imported here: numpy, scipy and jieba are a noticeable start for `lingting score`,
    # which registers these commands too.
    from lingting.engine.faq import FaqError, FaqMatcher, FaqModel
    from lingting.engine_cli import open_out

    began = time.perf_counter()
    tally = _Tally()
    reading = args.kb
    try:
        model = None if args.model is None else FaqModel.load(args.model)
        with _open_errors(args.errors) as errors:
            entries = _read_entries(args.kb, tally, errors)
            reading = args.queries
            queries = _read_queries(args.queries, tally, errors)
        if not entries:
            print(f"lingting faq-match: no entry could be read from {args.kb}", file=sys.stderr)
            return 2
        matcher = FaqMatcher(entries, model)
        matched = matcher.match_many([text for _, text in queries], args.top)
        with open_out(args.out) as out:
            for (identifier, _), matches in zip(queries, matched, strict=True):
                found = [m.to_dict() for m in matches]
                out.write(_json_line({"id": identifier, "matches": found}))
    except FaqError as exc:
        print(f"lingting faq-match: {exc}", file=sys.stderr)
        return 2
    except (OSError, UnreadableFileError) as exc:
        print(f"lingting faq-match: cannot read {reading}: {exc}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - began
    print(
        f"entries {len(entries)} · queries {len(queries)} · rejected {tally.rejected} · "
        f"{'trained' if model is not None else 'untrained'} · {seconds:.2f} s",
        file=sys.stderr,
    )
    _tell_rejected(tally, args.errors)
    if not queries:
        return 2
    return 1 if tally.rejected else 0


def _read_entries(path: Path, tally: _Tally, errors: IO[bytes] | None) -> list[FaqEntry]:
    from lingting.engine.faq import FaqEntry

    entries: list[FaqEntry] = []
    seen: dict[str | int, int] = {}
    for item in _records(path):
        tally.read += 1
        if isinstance(item, LineError):
            tally.reject(item, errors, path)
            continue
        number, record = item
        try:
            identifier = _identifier(record)
            question = _text(record, "question")
            answer = record.get("answer")
            if answer is not None and not isinstance(answer, str):
                raise _Refused("'answer' must be text")
            alternates = record.get("alternates", [])
            if not isinstance(alternates, list) or not all(isinstance(a, str) for a in alternates):
                raise _Refused("'alternates' must be a list of texts")
            if identifier in seen:
                raise _Refused(f"id {identifier!r} is already on line {seen[identifier]}")
        except _Refused as exc:
            tally.reject(_line_error(number, str(exc), record), errors, path)
            continue
        seen[identifier] = number
        wordings = tuple(a for a in alternates if a.strip())
        entries.append(FaqEntry(identifier, question, answer, wordings))
    return entries


def _read_queries(path: Path, tally: _Tally, errors: IO[bytes] | None) -> list[tuple[Any, str]]:
    queries: list[tuple[Any, str]] = []
    for item in _records(path):
        tally.read += 1
        if isinstance(item, LineError):
            tally.reject(item, errors, path)
            continue
        number, record = item
        try:
            queries.append((_identifier(record), _text(record, "text")))
        except _Refused as exc:
            tally.reject(_line_error(number, str(exc), record), errors, path)
    return queries


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]] | LineError]:
    for item in read_json_records(str(path)):
        if isinstance(item, LineError) or not holds_nul(item[1]):
            yield item
        else:
            yield _line_error(item[0], "the line holds a NUL character; remove it", item[1])


class _Refused(ValueError):
    pass


def _identifier(record: dict[str, Any]) -> str | int:
    identifier = record.get("id")
    if isinstance(identifier, bool) or not isinstance(identifier, str | int):
        raise _Refused("'id' is missing or not a string or whole number")
    if isinstance(identifier, str) and not identifier.strip():
        raise _Refused("'id' is empty")
    return identifier


def _text(record: dict[str, Any], name: str) -> str:
    value = record.get(name)
    if not isinstance(value, str):
        raise _Refused(f"'{name}' is missing or not text")
    if not value.strip():
        raise _Refused(f"'{name}' is empty")
    return value


def _line_error(number: int, reason: str, record: dict[str, Any]) -> LineError:
    identifier = record.get("id")
    shown = orjson.dumps(record).decode()[:SHOWN_CHARS]
    return LineError(
        number, reason, shown, str(identifier) if isinstance(identifier, str | int) else None
    )


def run_faq_train(args: argparse.Namespace) -> int:
    from lingting.engine.faq import FaqError, train_model

    began = time.perf_counter()
    tally = _Tally()
    try:
        with _open_errors(args.errors) as errors:
            pairs = _read_pairs(args.pairs, tally, errors)
    except (OSError, UnreadableFileError) as exc:
        print(f"lingting faq-train: cannot read {args.pairs}: {exc}", file=sys.stderr)
        return 2
    try:
        model = train_model(pairs)
        model.save(args.out)
    except FaqError as exc:
        print(f"lingting faq-train: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"lingting faq-train: cannot write {args.out}: {exc}", file=sys.stderr)
        return 2
    print(
        f"pairs {len(pairs)} (same intent {model.stats['same_intent_pairs']}) · "
        f"rejected {tally.rejected} · model in {args.out} · {time.perf_counter() - began:.1f} s",
        file=sys.stderr,
    )
    _tell_rejected(tally, args.errors)
    return 1 if tally.rejected else 0


def _tell_rejected(tally: _Tally, errors: Path | None) -> None:
    if tally.rejected:
        where = f"see {errors}" if errors else "use --errors FILE to keep them"
        print(f"{tally.rejected} line(s) rejected: {where}", file=sys.stderr)


def _read_pairs(path: Path, tally: _Tally, errors: IO[bytes] | None) -> list[Pair]:
    from lingting.engine.faq import Pair
    from lingting.engine.reader import sniff_file_encoding

    pairs: list[Pair] = []
    encoding = sniff_file_encoding(str(path))
    with path.open("rb") as stream:
        for number, text in NumberedLines(stream, encoding=encoding):
            tally.read += 1
            if isinstance(text, LineError):
                tally.reject(text, errors, path)
                continue
            cells = text.rstrip("\r\n").split("\t")
            reason = _pair_problem(cells)
            if reason:
                tally.reject(LineError(number, reason, text[:SHOWN_CHARS]), errors, path)
                continue
            pairs.append(Pair(cells[0].strip(), cells[1].strip(), cells[2].strip() == "1"))
    return pairs


def _pair_problem(cells: list[str]) -> str | None:
    if len(cells) != 3:
        return f"a pair is 3 tab-separated cells (question, other wording, 1|0), not {len(cells)}"
    if not cells[0].strip() or not cells[1].strip():
        return "a wording is empty"
    if cells[2].strip() not in ("0", "1"):
        return f"the third cell must be 1 (same intent) or 0, not {cells[2].strip()[:20]!r}"
    return None


def _open_errors(path: Path | None) -> Any:
    from lingting.engine_cli import open_errors

    return open_errors(path)


def _json_line(value: dict[str, Any]) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_APPEND_NEWLINE)
