"""Numbered records from the small interchange files beside the interaction format (agent
state events, survey results): JSON lines or CSV with a header row.

The same rules as `engine.reader` for contacts: the encoding is sniffed once (UTF-8 with or
without BOM, or GBK/GB18030; anything else is refused with `UnreadableFileError`), a line
that cannot be read is a `LineError` with its number and a reason, and the rest go on.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from typing import IO, Any

import orjson

from lingting.engine.reader import (
    LineError,
    NumberedLines,
    UnreadableFileError,
    sniff_file_encoding,
)

SHOWN_CHARS = 200


class RecordError(ValueError):
    """A record that cannot be used; the message says why, for a person to fix."""


def read_records(
    path: str, *, required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, Any]] | LineError]:
    """(line number, record) for each non-blank line of a .jsonl or .csv file.

    A CSV's header must name every field in `required`; its empty cells are left out of
    the record, and every value is text (the caller converts).
    """
    if not path.lower().endswith(".csv"):
        yield from read_json_records(path)
        return
    encoding = sniff_file_encoding(path)
    with open(path, "rb") as stream:
        yield from _csv_records(stream, encoding=encoding, required=required)


def read_json_records(path: str) -> Iterator[tuple[int, dict[str, Any]] | LineError]:
    """(line number, object) for each non-blank line of a JSON-lines file."""
    encoding = sniff_file_encoding(path)
    with open(path, "rb") as stream:
        yield from _json_records(stream, encoding=encoding)


def parse_records[T](
    records: Iterator[tuple[int, dict[str, Any]] | LineError],
    parse: Callable[[dict[str, Any]], T],
) -> Iterator[tuple[int, T] | LineError]:
    """Each record through `parse`; a `RecordError` becomes that line's `LineError`."""
    for item in records:
        if isinstance(item, LineError):
            yield item
            continue
        number, record = item
        try:
            yield number, parse(record)
        except RecordError as exc:
            shown = orjson.dumps(record).decode()[:SHOWN_CHARS]
            yield LineError(number, str(exc), shown)


def _json_records(
    stream: IO[bytes], *, encoding: str
) -> Iterator[tuple[int, dict[str, Any]] | LineError]:
    for number, text in NumberedLines(stream, encoding=encoding):
        if isinstance(text, LineError):
            yield text
            continue
        try:
            record = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            yield LineError(number, f"not JSON: {exc}", text[:SHOWN_CHARS])
            continue
        if not isinstance(record, dict):
            yield LineError(number, "a record must be a JSON object", text[:SHOWN_CHARS])
            continue
        yield number, record


def _csv_records(
    stream: io.BufferedReader, *, encoding: str, required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, Any]] | LineError]:
    text = io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")
    try:
        reader = csv.DictReader(text)
        header = [name.strip() for name in reader.fieldnames or []]
        missing = [name for name in required if name not in header]
        if missing:
            raise UnreadableFileError(f"the CSV header has no {', '.join(missing)} column")
        for row in reader:
            number = reader.line_num
            if None in row:
                yield LineError(number, "more cells than header columns", str(row[None])[:200])
                continue
            yield (
                number,
                {
                    name.strip(): value.strip()
                    for name, value in row.items()
                    if name is not None and value is not None and value.strip()
                },
            )
    except UnicodeDecodeError:
        raise UnreadableFileError(
            "the CSV has bytes that are not valid in its encoding; convert it to UTF-8"
        ) from None
    except csv.Error as exc:
        raise UnreadableFileError(f"the CSV cannot be parsed: {exc}") from None
    finally:
        text.detach()


def record_text(record: Mapping[str, Any], name: str) -> str:
    """The field as stripped text ("" when absent); a whole number is read as its digits."""
    value = record.get(name)
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # a code written as a JSON number
    if not isinstance(value, str):
        raise RecordError(f"'{name}' must be text")
    return value.strip()


def record_day(record: Mapping[str, Any], name: str) -> date | None:
    """The field as a day (None when absent): YYYY-MM-DD, or YYYY/MM/DD as spreadsheets write it."""
    text = record_text(record, name)
    if not text:
        return None
    for layout in ("%Y-%m-%d", "%Y/%m/%d"):
        try:
            return datetime.strptime(text, layout).date()
        except ValueError:
            continue
    raise RecordError(f"'{name}' is not a date like 2026-10-01: {text[:40]!r}")
