"""Agents' staff records read from a file: the fields, and each bad line's reason."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lingting.engine.agent_records import AgentRecord, agent_record, read_agent_records
from lingting.engine.reader import LineError, UnreadableFileError
from lingting.engine.records import RecordError

REASONS = {"resigned": "resigned", "主动离职": "resigned", "other": "other", "其他": "other"}


def test_a_leaver_with_a_reason_by_its_label() -> None:
    record = agent_record(
        {"code": "A1001", "left_on": "2026/10/31", "leaving_reason": "主动离职"}, reasons=REASONS
    )

    assert record == AgentRecord(
        code="A1001", left_on=date(2026, 10, 31), leaving_reason="resigned"
    )


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"name": "李娜"}, "missing 'code'"),
        ({"code": "A1", "hired_on": "31.10.2026"}, "'hired_on' is not a date"),
        ({"code": "A1", "hired_on": "2026-11-01", "left_on": "2026-10-31"}, "is before"),
        ({"code": "A1", "left_on": "2026-10-31", "leaving_reason": "bored"}, "must be one of"),
        ({"code": "A1", "leaving_reason": "other"}, "without 'left_on'"),
        ({"code": "A" * 65}, "longer than 64"),
    ],
)
def test_a_bad_record_says_why(fields: dict[str, str], reason: str) -> None:
    with pytest.raises(RecordError, match=reason):
        agent_record(fields, reasons=REASONS)


def test_a_gbk_csv_is_read_and_a_broken_line_is_reported_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "agents.csv"
    text = (
        "code,name,team,hired_on,left_on,leaving_reason\n"
        "A3001,王芳,一班,2026-03-01,,\n"
        "A3002,赵磊,一班,2026-03-01,2026-02-01,\n"
        "A3003,孙丽,二班,,2026-10-31,其他\n"
    )
    path.write_bytes(text.encode("gbk"))

    items = list(read_agent_records(str(path), reasons=REASONS))

    assert items[0] == (2, AgentRecord("A3001", "王芳", "一班", date(2026, 3, 1)))
    assert isinstance(items[1], LineError)
    assert items[1].line == 3
    assert "'left_on' 2026-02-01 is before 'hired_on' 2026-03-01" in items[1].reason
    assert items[2] == (4, AgentRecord("A3003", "孙丽", "二班", None, date(2026, 10, 31), "other"))


def test_a_file_in_neither_utf8_nor_gbk_is_refused_whole(tmp_path: Path) -> None:
    path = tmp_path / "agents.csv"
    path.write_bytes("code,name\nA1,李娜\n".encode("utf-16"))

    with pytest.raises(UnreadableFileError, match="UTF-16"):
        list(read_agent_records(str(path), reasons=REASONS))
