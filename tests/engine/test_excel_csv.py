"""CSV written for Excel never turns data into a formula (CSV injection, OWASP): a data
string starting with =, +, -, @, tab or CR gets a leading single quote; numbers stay numbers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import orjson
import pytest

from lingting.cli import main
from lingting.engine.excel_csv import ExcelSafeWriter, safe_cell


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil","点我")', '\'=HYPERLINK("http://evil","点我")'),
        ("+86 138", "'+86 138"),
        ("-售后", "'-售后"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("售后", "售后"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_a_data_string_that_starts_like_a_formula_is_quoted(value: str, cell: str) -> None:
    assert safe_cell(value) == cell


@pytest.mark.parametrize("number", [-0.5, -3, 0, 1.25])
def test_computed_numbers_are_left_as_numbers(number: float) -> None:
    assert safe_cell(number) == number
    assert safe_cell(None) is None


def test_the_writer_quotes_data_cells_and_keeps_negative_numbers() -> None:
    out = io.StringIO()
    ExcelSafeWriter(out).writerows([["=cmd|' /C calc'!A0", -0.5], ["ok", 3]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["'=cmd|' /C calc'!A0", "-0.5"],
        ["ok", "3"],
    ]


def test_lingting_kpis_csv_neutralises_queue_and_agent_names(tmp_path: Path) -> None:
    calls = [
        {
            "id": f"K{n}",
            "direction": "inbound",
            "queue": queue,
            "agent_id": agent,
            "disposition": "answered",
            "started_at": "2026-10-01T09:00:00",
            "wait_s": 10,
            "talk_s": 100,
        }
        for n, (queue, agent) in enumerate(
            [('=HYPERLINK("http://evil","x")', "@A1"), ("-售后", "+1"), ("售前", "\t=1")]
        )
    ]
    source = tmp_path / "calls.jsonl"
    source.write_bytes(b"\n".join(orjson.dumps(call) for call in calls) + b"\n")
    out = tmp_path / "kpis.csv"

    assert main(["kpis", str(source), "--by", "queue,agent", "--out", str(out)]) == 0

    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert sorted((row[0], row[1]) for row in rows[1:]) == sorted(
        [('\'=HYPERLINK("http://evil","x")', "'@A1"), ("'-售后", "'+1"), ("售前", "'\t=1")]
    )
    assert all(row[2] == "1" for row in rows[1:])  # the computed figures stay plain numbers
