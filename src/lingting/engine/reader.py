"""Streaming readers for interaction files: JSON lines and CDR-only CSV.

Every reader yields, line by line and in constant memory, either a parsed `Contact` with
its line number or a `LineError` saying which line is broken and why; a broken line never
stops the rest. The encoding is sniffed once from the head of the file: UTF-8 (with or
without BOM) is read as is, GBK/GB18030 (common from older Chinese switches) is detected
and read, anything else is refused with `UnreadableFileError`. After that, encoding is a
property of each line: a line whose bytes do not decode in the file's encoding, or that
holds a NUL, is that line's error, never garbled text and never the whole file's refusal;
a line of a GBK file that is valid UTF-8 is read as UTF-8.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import tzinfo
from typing import IO, Any, Final

import orjson

from lingting.engine.contacts import Contact, ContactError, contact_from_record

SNIFF_BYTES: Final = 256 * 1024
_SHOWN_CHARS: Final = 200
# Bytes no text file of contacts holds (controls but tab, line breaks, form feed, escape):
# a head with more than this share of them is a binary file, not text with a bad line.
_CONTROL_BYTES: Final = bytes(b for b in range(32) if b not in b"\t\n\r\f\x1b")
_BINARY_SHARE: Final = 0.05
_NUL_REASON: Final = (
    "the line holds a NUL character, which is not text and which no database stores; remove it"
)


class UnreadableFileError(ValueError):
    """The whole file cannot be read (not text, unknown encoding); nothing was processed."""


@dataclass(frozen=True, slots=True)
class LineError:
    line: int
    reason: str
    text: str  # the start of the offending line, for a person to find it
    id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "id": self.id, "reason": self.reason, "text": self.text}

    # Import workers send these between processes. Compiled (see `accel`), a frozen dataclass
    # cannot be rebuilt by pickle's default route, so say how: call the constructor.
    def __reduce__(self) -> tuple[type[LineError], tuple[int, str, str, str | None]]:
        return LineError, (self.line, self.reason, self.text, self.id)


@dataclass(frozen=True, slots=True)
class ParsedLine:
    line: int
    contact: Contact

    def __reduce__(self) -> tuple[type[ParsedLine], tuple[int, Contact]]:
        return ParsedLine, (self.line, self.contact)


def sniff_encoding(head: bytes) -> str:
    """Name the codec for a file starting with `head`: utf-8, utf-8-sig or gb18030."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableFileError("the file is UTF-16; save it as UTF-8 (or GBK) and try again")
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if head and controls > _BINARY_SHARE * len(head):
        raise UnreadableFileError("the file is binary, not a text file of contacts")
    # A multi-byte character may be cut at the end of the sample: judge whole lines only.
    complete = head[: head.rfind(b"\n") + 1] if len(head) >= SNIFF_BYTES else head
    # Judge line by line, so that one stray byte in a UTF-8 file is that line's error
    # rather than a reason to read the whole file as GBK (and garble every other line).
    non_ascii = [line for line in complete.splitlines() if not line.isascii()]
    if not non_ascii:
        return "utf-8"
    utf8_lines = sum(_decodes(line, "utf-8") for line in non_ascii)
    if utf8_lines * 2 >= len(non_ascii):
        return "utf-8"
    gbk_lines = sum(_decodes(line, "gb18030") for line in non_ascii)
    if gbk_lines * 2 >= len(non_ascii) and gbk_lines > utf8_lines:
        return "gb18030"
    raise UnreadableFileError(
        "the file is neither UTF-8 nor GBK/GB18030 text; convert it to UTF-8 and try again"
    )


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def sniff_file_encoding(path: str) -> str:
    with open(path, "rb") as stream:
        return sniff_encoding(stream.read(SNIFF_BYTES))


def _decode_line(raw: bytes, encoding: str, line: int) -> str | LineError:
    if b"\x00" in raw:
        shown = raw[:_SHOWN_CHARS].replace(b"\x00", b"").decode(encoding, errors="replace")
        return LineError(line, _NUL_REASON, shown)
    try:
        return raw.decode(_line_encoding(raw, encoding))
    except UnicodeDecodeError as exc:
        shown = raw[:_SHOWN_CHARS].decode(encoding, errors="replace")
        name = "UTF-8" if encoding.startswith("utf-8") else "GBK/GB18030"
        return LineError(
            line,
            f"wrong encoding: byte {exc.start + 1} is not valid {name}, "
            "though the rest of the file is; re-save this line in the file's encoding",
            shown,
        )


def _line_encoding(raw: bytes, encoding: str) -> str:
    """The codec of one line of a file in `encoding`. A line of a GBK file that is valid
    UTF-8 is UTF-8 (a line appended by a newer system): GB18030 would read most of its
    bytes too, as other characters, while Chinese text in GBK is almost never valid UTF-8."""
    if encoding == "gb18030" and not raw.isascii() and _decodes(raw, "utf-8"):
        return "utf-8"
    return encoding


class NumberedLines:
    """The non-blank lines of a byte stream as (line number, text or `LineError`).

    `limit` stops after that many bytes (a worker's share of a file); `lines_read` counts
    every line passed, blank ones too, so a later part can continue the numbering.
    """

    def __init__(
        self, stream: IO[bytes], *, encoding: str, first_line: int = 1, limit: int | None = None
    ) -> None:
        self._stream = stream
        self._bom = encoding == "utf-8-sig" and first_line == 1
        self._encoding = "utf-8" if encoding == "utf-8-sig" else encoding
        self._first_line = first_line
        self._limit = limit
        self.lines_read = 0

    def __iter__(self) -> Iterator[tuple[int, str | LineError]]:
        for number, raw in self._raw_lines():
            yield number, _decode_line(raw, self._encoding, number)

    def json_lines(self) -> Iterator[tuple[int, str | bytes | LineError]]:
        """As iterating, except that the lines of a UTF-8 stream come as their bytes, for
        `parse_json_line` to read without a decoded copy (it checks them)."""
        if self._encoding != "utf-8":
            yield from self
            return
        for number, raw in self._raw_lines():
            yield number, raw if b"\x00" not in raw else _decode_line(raw, "utf-8", number)

    def _raw_lines(self) -> Iterator[tuple[int, bytes]]:
        consumed = 0
        for raw in self._stream:
            number = self._first_line + self.lines_read
            self.lines_read += 1
            consumed += len(raw)
            if number == 1 and self._bom:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            if raw.strip():
                yield number, raw
            if self._limit is not None and consumed >= self._limit:
                return


def parse_json_line(number: int, line: str | bytes, *, tz: tzinfo) -> ParsedLine | LineError:
    """One JSON line read into a contact, or what is wrong with it. `line` may be the bytes
    of a UTF-8 line (`NumberedLines.json_lines`): orjson reads them without a decoded
    copy, and a line with any problem is then told exactly as its decoded text would be."""
    if isinstance(line, bytes):
        try:
            # JSON may spell a NUL as an escape: such lines take the checks below. (Most
            # lines hold no backslash at all, which is found at memchr's speed.)
            if b"\\" not in line or b"\\u0000" not in line:
                return ParsedLine(number, contact_from_record(orjson.loads(line), tz=tz))
        except (orjson.JSONDecodeError, ContactError):
            pass
        decoded = _decode_line(line, "utf-8", number)
        if isinstance(decoded, LineError):
            return decoded
        line = decoded
    return _parse_json_text(number, line, tz)


def _parse_json_text(number: int, text: str, tz: tzinfo) -> ParsedLine | LineError:
    try:
        record = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        return LineError(number, f"not JSON: {exc}", text[:_SHOWN_CHARS])
    try:
        # JSON may spell a NUL as an escape (rarely anything else has one in its text).
        if "\\u0000" in text and holds_nul(record):
            raise ContactError(_NUL_REASON)
        return ParsedLine(number, contact_from_record(record, tz=tz))
    except ContactError as exc:
        record_id = record.get("id") if isinstance(record, dict) else None
        return LineError(
            number,
            str(exc),
            text[:_SHOWN_CHARS],
            str(record_id) if isinstance(record_id, str | int) else None,
        )


def read_jsonl(
    stream: IO[bytes],
    *,
    tz: tzinfo,
    encoding: str,
    first_line: int = 1,
    limit: int | None = None,
) -> Iterator[ParsedLine | LineError]:
    """Contacts from a JSON-lines stream, one result per non-blank line."""
    lines = NumberedLines(stream, encoding=encoding, first_line=first_line, limit=limit)
    for number, text in lines:
        if isinstance(text, LineError):
            yield text
        else:
            yield parse_json_line(number, text, tz=tz)


def holds_nul(value: Any) -> bool:
    """Whether a parsed JSON value has a NUL in any string: no text column stores one."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(holds_nul(key) or holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(holds_nul(item) for item in value)
    return False


# CSV columns are all text; these FORMATS.md fields are numbers.
_CSV_NUMBERS: Final = frozenset({"wait_s", "talk_s", "hold_s", "acw_s"})
_CSV_WHOLE_NUMBERS: Final = frozenset({"rings"})


def csv_row_to_record(row: dict[str, str | None]) -> dict[str, Any]:
    """A CDR-only CSV row as an interaction record: empty cells are absent, tags split on ';'."""
    record: dict[str, Any] = {}
    for name, value in row.items():
        if name is None or value is None or value.strip() == "":
            continue
        name, value = name.strip(), value.strip()
        if name in _CSV_NUMBERS:
            record[name] = _csv_number(name, value, float)
        elif name in _CSV_WHOLE_NUMBERS:
            record[name] = _csv_number(name, value, int)
        elif name == "tags":
            record[name] = [tag.strip() for tag in value.split(";") if tag.strip()]
        else:
            record[name] = value
    return record


def _csv_number(name: str, value: str, kind: type[float] | type[int]) -> float | int:
    try:
        return kind(value)
    except ValueError:
        raise ContactError(f"'{name}' must be a number, not {value[:40]!r}") from None


def read_csv(stream: IO[bytes], *, tz: tzinfo, encoding: str) -> Iterator[ParsedLine | LineError]:
    """Contacts from a CDR-only CSV with a header row naming FORMATS.md fields.

    A row may span lines (a quoted cell with a line break), so lines are decoded one by one
    keeping any byte that does not decode as a stand-in character, and the row that holds
    one (or a NUL) is rejected when it is complete.
    """
    reader = csv.DictReader(_csv_lines(stream, encoding))
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        raise UnreadableFileError(f"the CSV header cannot be parsed: {exc}") from None
    if not fieldnames or "id" not in [f.strip() for f in fieldnames]:
        raise UnreadableFileError("the CSV header has no 'id' column")
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # The parser starts afresh with the next line.
            yield LineError(reader.line_num, f"the CSV cannot be parsed here: {exc}", "")
            continue
        yield _csv_row(reader.line_num, row, encoding, tz)


def _csv_lines(stream: IO[bytes], encoding: str) -> Iterator[str]:
    first = True
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    for raw in stream:
        if first and encoding == "utf-8-sig":
            raw = raw.removeprefix(codecs.BOM_UTF8)
        first = False
        yield raw.decode(_line_encoding(raw, codec), errors="surrogateescape")


# The stand-ins `surrogateescape` puts for bytes that do not decode (spelt with chr(): a
# compiled module, see `accel`, cannot hold a lone surrogate in a string literal).
_UNDECODED: Final = re.compile(f"[{chr(0xDC80)}-{chr(0xDCFF)}]")


def _csv_row(
    number: int, row: dict[str | None, Any], encoding: str, tz: tzinfo
) -> ParsedLine | LineError:
    cells = _csv_cells(row.values())
    line = ",".join(cells)
    undecoded = _UNDECODED.search(line)
    if undecoded is not None or "\x00" in line:
        shown = (
            line[:_SHOWN_CHARS]
            .encode("utf-8", errors="surrogateescape")
            .decode("utf-8", errors="replace")
            .replace("\x00", "")
        )
        if undecoded is None:
            return LineError(number, _NUL_REASON, shown)
        name = "UTF-8" if encoding.startswith("utf-8") else "GBK/GB18030"
        return LineError(
            number,
            f"wrong encoding: character {undecoded.start() + 1} is not valid {name}, "
            "though the rest of the file is; re-save this row in the file's encoding",
            shown,
        )
    if None in row:
        return LineError(number, "more cells than header columns", line[:_SHOWN_CHARS])
    try:
        contact = contact_from_record(csv_row_to_record(row), tz=tz)  # type: ignore[arg-type]
    except ContactError as exc:
        return LineError(number, str(exc), line[:_SHOWN_CHARS])
    return ParsedLine(number, contact)


def _csv_cells(values: Iterable[Any]) -> list[str]:
    """The row's cells as text (extra cells beyond the header come as a list)."""
    cells: list[str] = []
    for value in values:
        if isinstance(value, list):
            cells.extend(str(v) for v in value)
        else:
            cells.append(value or "")
    return cells


def read_contacts_file(path: str, *, tz: tzinfo) -> Iterator[ParsedLine | LineError]:
    """Contacts from a .jsonl or .csv file, whichever its name says."""
    encoding = sniff_file_encoding(path)
    with open(path, "rb") as stream:
        if path.lower().endswith(".csv"):
            yield from read_csv(stream, tz=tz, encoding=encoding)
        else:
            yield from read_jsonl(stream, tz=tz, encoding=encoding)
