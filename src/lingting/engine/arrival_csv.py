"""Arrival files: the `time,count` history read and the `time,forecast,lower,upper` forecast
written (FORMATS.md "Forecast").

- The history is read like every other file of the engine (`reader`): UTF-8 with or without
  a BOM, or GBK/GB18030, sniffed once; a bad row (a time that is not ISO 8601, a count that
  is not a number of calls, a second row for the same interval…) is returned with its line
  number and a reason a person can act on, and every good row is still used.
- Times keep the history's *form*: whether a `T` or a space separates date and time, whether
  seconds are written, and the offset (none, `Z`, `+08:00` or `+0800`) — the forecast's
  times are written the way the history's first good row was, so a file that went in with
  `…T07:00:00Z` comes back with `…T07:00:00Z`.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import IO

from lingting.engine.arrivals import ForecastRow
from lingting.engine.excel_csv import ExcelSafeWriter
from lingting.engine.reader import (
    LineError,
    NumberedLines,
    UnreadableFileError,
    sniff_file_encoding,
)

HISTORY_COLUMNS = ("time", "count")
FORECAST_COLUMNS = ("time", "forecast", "lower", "upper")
_SHOWN_CHARS = 200
_ISO_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}(?P<separator>[T ])\d{2}:\d{2}(?P<seconds>:\d{2}(?:\.\d+)?)?"
    r"(?P<offset>Z|[+-]\d{2}:\d{2}|[+-]\d{4})?",
    re.IGNORECASE,
)
_EXAMPLE = "2026-10-01T09:00:00+08:00"


@dataclass(frozen=True, slots=True)
class TimeForm:
    """How a history writes its times, so that the forecast writes them alike."""

    separator: str = "T"
    seconds: bool = True
    offset: str = ""  # "" (local time), "Z", ":" (+08:00) or "hhmm" (+0800)

    @classmethod
    def of(cls, text: str) -> TimeForm:
        match = _ISO_TIME.fullmatch(text)
        if match is None:
            return cls()
        return cls(
            match["separator"].upper(), bool(match["seconds"]), _offset_style(match["offset"])
        )

    def format(self, moment: datetime) -> str:
        text = moment.replace(tzinfo=None).isoformat(
            sep=self.separator, timespec="seconds" if self.seconds else "minutes"
        )
        offset = moment.utcoffset()
        if offset is None or not self.offset:
            return text
        if self.offset == "Z" and offset == timedelta(0):
            return text + "Z"
        minutes = int(offset.total_seconds()) // 60
        sign, minutes = ("-" if minutes < 0 else "+"), abs(minutes)
        colon = "" if self.offset == "hhmm" else ":"
        return f"{text}{sign}{minutes // 60:02d}{colon}{minutes % 60:02d}"


def _offset_style(offset: str | None) -> str:
    if not offset:
        return ""
    if offset.upper() == "Z":
        return "Z"
    return ":" if ":" in offset else "hhmm"


@dataclass
class HistoryFile:
    """What a history file held: its good rows, its bad ones and the form of its times."""

    points: list[tuple[datetime, float]] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    form: TimeForm = field(default_factory=TimeForm)
    rows: int = 0


def read_history_file(path: str) -> HistoryFile:
    """The `time,count` rows of `path`; UnreadableFileError where the file cannot be read."""
    encoding = sniff_file_encoding(path)
    with open(path, "rb") as stream:
        return read_history(stream, encoding=encoding)


def read_history(stream: IO[bytes], *, encoding: str) -> HistoryFile:
    lines = iter(NumberedLines(stream, encoding=encoding))
    columns = _header(next(lines, None))
    found = HistoryFile()
    first_line: dict[datetime, int] = {}  # each interval's instant: the line that gave it
    for number, text in lines:
        found.rows += 1
        if isinstance(text, LineError):
            found.errors.append(text)
            continue
        parsed = _row(number, text, columns)
        if isinstance(parsed, LineError):
            found.errors.append(parsed)
            continue
        moment, count, time_text = parsed
        if not first_line:
            found.form = TimeForm.of(time_text)
        conflict = _conflict(moment, found.form, first_line)
        if conflict:
            found.errors.append(LineError(number, conflict, text[:_SHOWN_CHARS]))
            continue
        first_line[_instant(moment)] = number
        found.points.append((moment, count))
    return found


def _header(first: tuple[int, str | LineError] | None) -> dict[str, int]:
    if first is None:
        raise UnreadableFileError("the file is empty; it needs a header row time,count")
    _, text = first
    if isinstance(text, LineError):
        raise UnreadableFileError(f"the header row cannot be read: {text.reason}")
    names = [name.strip().lower() for name in next(csv.reader([text]), [])]
    if not all(column in names for column in HISTORY_COLUMNS):
        raise UnreadableFileError(
            f"the header must name the columns time,count, not {text.strip()[:_SHOWN_CHARS]!r}"
        )
    return {column: names.index(column) for column in HISTORY_COLUMNS}


def _row(
    number: int, text: str, columns: dict[str, int]
) -> tuple[datetime, float, str] | LineError:
    try:
        cells = next(csv.reader([text]))
    except csv.Error as exc:
        return LineError(number, f"the CSV cannot be parsed here: {exc}", text[:_SHOWN_CHARS])
    if len(cells) <= max(columns.values()):
        return LineError(
            number, f"{len(cells)} cell(s), the header names {len(columns)}", text[:_SHOWN_CHARS]
        )
    time_text, count_text = cells[columns["time"]].strip(), cells[columns["count"]].strip()
    moment = _time(time_text)
    if isinstance(moment, str):
        return LineError(number, moment, text[:_SHOWN_CHARS])
    count = _count(count_text)
    if isinstance(count, str):
        return LineError(number, count, text[:_SHOWN_CHARS])
    return moment, count, time_text


def _time(text: str) -> datetime | str:
    """The interval start, or the reason it is not one."""
    if not _ISO_TIME.fullmatch(text):
        return f"time {text[:40]!r} is not an ISO 8601 date and time such as {_EXAMPLE}"
    try:
        return datetime.fromisoformat(text.upper())
    except ValueError as exc:
        return f"time {text!r} is not a real date and time: {exc}"


def _count(text: str) -> float | str:
    try:
        count = float(text)
    except ValueError:
        return f"count {text[:40]!r} is not a number"
    if not math.isfinite(count) or count < 0:
        return f"count {text!r} must be a number of contacts, 0 or more"
    return count


def _instant(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None) - (moment.utcoffset() or timedelta(0))


def _conflict(moment: datetime, form: TimeForm, first_line: dict[datetime, int]) -> str:
    """Why the row cannot join the rows before it ("" when it can)."""
    if (moment.tzinfo is not None) != bool(form.offset):
        if form.offset:
            return (
                "the time has no UTC offset, while the first row's has one; write every time alike"
            )
        return "the time has a UTC offset, while the first row's has none; write every time alike"
    line = first_line.get(_instant(moment))
    if line is not None:
        return (
            f"a second row for the interval at {moment.isoformat()} (the first is on line {line})"
        )
    return ""


def write_forecast(rows: Iterable[ForecastRow], form: TimeForm, out: IO[str]) -> None:
    """The forecast CSV: header `time,forecast,lower,upper`, counts to two decimals."""
    writer = ExcelSafeWriter(out, lineterminator="\n")
    writer.writerow(FORECAST_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                form.format(row.start),
                round(row.forecast, 2),
                round(row.lower, 2),
                round(row.upper, 2),
            ]
        )
