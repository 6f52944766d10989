"""Agents' staff records from a file (issue 14, attrition): who joined and who left when.

One record a line, JSON lines or CSV with a header (`engine.records`: UTF-8 or GBK, each
broken line its own error): `code` (the switch's agent id, required), and any of `name`,
`team` (a team's code or name), `hired_on`, `left_on` (the last day on staff) and
`leaving_reason`. A field left out or empty changes nothing, so a file of leavers need not
repeat names and teams. Dates are YYYY-MM-DD (YYYY/MM/DD as spreadsheets write them is read
too); a leaving reason is one of the caller's (the stored value or its label).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from lingting.engine.reader import LineError
from lingting.engine.records import (
    RecordError,
    parse_records,
    read_records,
    record_day,
    record_text,
)

REQUIRED_FIELDS = ("code",)
MAX_CODE = 64
MAX_NAME = 128


@dataclass(frozen=True, slots=True)
class AgentRecord:
    code: str
    name: str = ""  # "": unchanged
    team: str = ""
    hired_on: date | None = None  # None: unchanged
    left_on: date | None = None
    leaving_reason: str = ""  # the stored value; "": unchanged


def agent_record(record: Mapping[str, Any], *, reasons: Mapping[str, str]) -> AgentRecord:
    """Validate one record; `reasons` maps each accepted spelling of a leaving reason to its
    stored value. Raises `RecordError` saying which field is wrong and why."""
    code = record_text(record, "code")
    if not code:
        raise RecordError("missing 'code' (the agent's id on the switch)")
    if len(code) > MAX_CODE:
        raise RecordError(f"'code' is longer than {MAX_CODE} characters")
    name = record_text(record, "name")
    if len(name) > MAX_NAME:
        raise RecordError(f"'name' is longer than {MAX_NAME} characters")
    hired_on = record_day(record, "hired_on")
    left_on = record_day(record, "left_on")
    if hired_on is not None and left_on is not None and left_on < hired_on:
        raise RecordError(f"'left_on' {left_on} is before 'hired_on' {hired_on}")
    spelled = record_text(record, "leaving_reason")
    if spelled and spelled.lower() not in reasons:
        known = ", ".join(sorted(set(reasons.values())))
        raise RecordError(f"'leaving_reason' must be one of {known}, not {spelled[:40]!r}")
    if spelled and left_on is None:
        raise RecordError("'leaving_reason' without 'left_on'")
    return AgentRecord(
        code=code,
        name=name,
        team=record_text(record, "team"),
        hired_on=hired_on,
        left_on=left_on,
        leaving_reason=reasons[spelled.lower()] if spelled else "",
    )


def read_agent_records(
    path: str, *, reasons: Mapping[str, str]
) -> Iterator[tuple[int, AgentRecord] | LineError]:
    """(line number, record) or a `LineError` for each non-blank line of a .jsonl/.csv file;
    raises `UnreadableFileError` when the file as a whole cannot be read."""
    records = read_records(path, required=REQUIRED_FIELDS)
    return parse_records(records, lambda record: agent_record(record, reasons=reasons))
