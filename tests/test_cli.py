"""`lingting score` and `lingting scorecard` as a user runs them (FORMATS.md contract)."""

from pathlib import Path
from typing import Any

import orjson
import pytest

from lingting.cli import main
from lingting.engine.kpis import EXTRA_FIGURES, FIGURES
from lingting.engine.scorecard_yaml import builtin_scorecard

GOOD_CALL = {
    "id": "C20261001-000123",
    "channel": "voice",
    "direction": "inbound",
    "queue": "ACD-01",
    "agent_id": "A1001",
    "started_at": "2026-10-01T09:00:05+08:00",
    "answered_at": "2026-10-01T09:00:11+08:00",
    "ended_at": "2026-10-01T09:05:40+08:00",
    "hangup_by": "customer",
    "rings": 2,
    "turns": [
        {
            "speaker": "agent",
            "start": 0.0,
            "end": 3.1,
            "text": "您好，很高兴为您服务，请问有什么可以帮您？",
        },
        {"speaker": "customer", "start": 3.4, "end": 7.9, "text": "我想问一下这个月的话费。"},
        {"speaker": "agent", "start": 8.2, "end": 12.0, "text": "好的，请您稍等，我帮您查询一下。"},
        {"speaker": "customer", "start": 12.5, "end": 14.0, "text": "好的，谢谢。"},
        {
            "speaker": "agent",
            "start": 14.5,
            "end": 19.0,
            "text": "感谢您的耐心等待，本月话费是58元。",
        },
        {
            "speaker": "agent",
            "start": 19.5,
            "end": 23.0,
            "text": "请问还有其他可以帮您的吗？感谢您的来电，再见。",
        },
    ],
}
BRUSH_OFF = {
    "id": "C2",
    "channel": "chat",
    "turns": [
        {"speaker": "customer", "text": "我的快递怎么还没到"},
        {"speaker": "agent", "text": "这个我不清楚"},
    ],
}


def write_lines(path: Path, *lines: bytes) -> Path:
    path.write_bytes(b"".join(line + b"\n" for line in lines))
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def test_score_writes_one_formats_result_per_contact(tmp_path: Path) -> None:
    source = write_lines(tmp_path / "in.jsonl", orjson.dumps(GOOD_CALL), orjson.dumps(BRUSH_OFF))
    out = tmp_path / "out.jsonl"

    status = main(["score", str(source), "--out", str(out), "--workers", "1"])

    assert status == 0
    good, brush_off = read_jsonl(out)
    assert good["id"] == "C20261001-000123"
    assert good["scorecard"] == "standard"
    assert good["scorecard_version"] == builtin_scorecard().version_label
    assert good["passed"] is True
    assert set(good) >= {"score", "fatal", "severity_counts", "items"}
    forbidden = next(i for i in brush_off["items"] if i["item"] == "forbidden_phrases")
    assert forbidden["result"] == "fail"
    [evidence] = forbidden["evidence"]
    assert evidence["text"] == "不清楚"
    assert (evidence["turn"], evidence["start_char"], evidence["end_char"]) == (1, 3, 6)
    assert brush_off["passed"] is False


def test_score_says_what_each_contact_meant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    angry = {
        "id": "C3",
        "turns": [
            {"speaker": "customer", "text": "你们到底管不管！！第三次打电话了还是不行"},
            {"speaker": "agent", "text": "这不是我们的问题"},
            {"speaker": "customer", "text": "太过分了，我要投诉"},
        ],
    }
    agent_only = {"id": "C4", "turns": [{"speaker": "agent", "text": "您好"}]}
    lines = (orjson.dumps(GOOD_CALL), orjson.dumps(angry), orjson.dumps(agent_only))
    source = write_lines(tmp_path / "in.jsonl", *lines)
    out = tmp_path / "out.jsonl"

    assert main(["score", str(source), "--out", str(out), "--workers", "1"]) == 0

    good, upset, silent = read_jsonl(out)
    assert good["customer"]["emotion_end"] == "pleased"
    assert [t["turn"] for t in good["customer"]["emotion_turns"]] == [1, 3]
    assert good["resolved"] is True
    assert upset["customer"]["emotion_end"] == "angry"
    assert upset["resolved"] is False
    assert good["satisfaction_predicted"] > upset["satisfaction_predicted"]
    assert {f["factor"] for f in upset["satisfaction_why"]} >= {"ended_angry", "agent_blaming"}
    apology = next(i for i in upset["items"] if i["item"] == "apology")
    assert apology["result"] == "fail"
    assert (silent["customer"], silent["resolved"], silent["satisfaction_predicted"]) == (
        None,
        None,
        None,
    )
    # The summary says what the file came to: one of the two customers who spoke ended angry.
    summary = capsys.readouterr().err
    assert "customers (2 spoke): ending angry 50.0%" in summary
    assert "unresolved 50.0% of 2 with a verdict" in summary


def test_broken_lines_go_to_the_errors_file_and_the_rest_is_scored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_lines(
        tmp_path / "in.jsonl",
        orjson.dumps(GOOD_CALL),
        b"{oops",
        orjson.dumps({"turns": []}),
        orjson.dumps(
            {"id": "T", "turns": [{"speaker": "agent", "start": 5, "end": 1, "text": "x"}]}
        ),
        orjson.dumps(BRUSH_OFF),
    )
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"

    status = main(["score", str(source), "--out", str(out), "--errors", str(errors)])

    assert status == 1
    assert [r["id"] for r in read_jsonl(out)] == ["C20261001-000123", "C2"]
    rejected = read_jsonl(errors)
    assert [e["line"] for e in rejected] == [2, 3, 4]
    assert "not JSON" in str(rejected[0]["reason"])
    assert rejected[1]["reason"] == "missing 'id'"
    assert "before 'start'" in str(rejected[2]["reason"])
    summary = capsys.readouterr().err
    assert "read 5 · scored 2 · rejected 3" in summary
    assert "contacts/s" in summary


def test_unreadable_input_exits_two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes("x".encode("utf-16"))
    assert main(["score", str(source), "--out", str(tmp_path / "out.jsonl")]) == 2
    assert "UTF-16" in capsys.readouterr().err
    assert main(["score", str(tmp_path / "missing.jsonl"), "--out", "-"]) == 2


def test_gbk_input_is_scored(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(orjson.dumps(BRUSH_OFF).decode().encode("gbk") + b"\n")
    out = tmp_path / "out.jsonl"
    assert main(["score", str(source), "--out", str(out)]) == 0
    [result] = read_jsonl(out)
    assert result["passed"] is False


def test_a_broken_scorecard_is_reported_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scorecard = tmp_path / "bad.yaml"
    scorecard.write_text("scorecard: x\nversion: '1'\nsections: nope\n", encoding="utf-8")
    source = write_lines(tmp_path / "in.jsonl", orjson.dumps(BRUSH_OFF))
    status = main(["score", str(source), "--out", "-", "--scorecard", str(scorecard)])
    assert status == 2
    assert "bad.yaml" in capsys.readouterr().err


STRICT = """
scorecard: center
version: "{version}"
sections:
  - id: language
    title: 服务用语
    items:
      - id: forbidden_phrases
        title: 服务禁语
        points: 10
        severity: A
        rule:
          kind: phrases
          mode: forbidden
          phrases: [{phrases}]
        examples:
          must_trigger: [这个我不清楚]
          must_not_trigger: [我帮您查一下]
"""


def test_scorecard_test_runs_the_examples(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(STRICT.format(version="1", phrases="不清楚"), encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(STRICT.format(version="1", phrases="不知道"), encoding="utf-8")

    assert main(["scorecard", "test", str(good)]) == 0
    assert "2 examples, all pass" in capsys.readouterr().out
    assert main(["scorecard", "test", str(broken)]) == 1
    report = capsys.readouterr().out
    assert "item 'forbidden_phrases': expected to fail on “agent: 这个我不清楚”" in report


def test_scorecard_diff_lists_the_contacts_that_would_flip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(STRICT.format(version="1", phrases="不清楚"), encoding="utf-8")
    new = tmp_path / "new.yaml"
    new.write_text(STRICT.format(version="2", phrases="不清楚, 查询"), encoding="utf-8")
    contacts = write_lines(
        tmp_path / "past.jsonl", orjson.dumps(GOOD_CALL), orjson.dumps(BRUSH_OFF)
    )

    assert main(["scorecard", "diff", str(old), str(new), "--contacts", str(contacts)]) == 0
    captured = capsys.readouterr()
    assert "C20261001-000123: 100 → 0 (合格 → 不合格)" in captured.out
    assert "forbidden_phrases 服务禁语: pass → fail −10" in captured.out
    assert "C2:" not in captured.out
    assert "1 of 2 contacts would change" in captured.err


# --- lingting kpis ----------------------------------------------------------------------------

KPI_CALLS = [
    {
        "id": "K1",
        "direction": "inbound",
        "queue": "售后",
        "disposition": "answered",
        "started_at": "2026-10-01T09:00:00",
        "wait_s": 10,
        "talk_s": 100,
    },
    {
        "id": "K2",
        "direction": "inbound",
        "queue": "售后",
        "disposition": "abandoned",
        "started_at": "2026-10-01T09:10:00",
        "wait_s": 2,
    },
    {
        "id": "K3",
        "direction": "inbound",
        "queue": "售前",
        "disposition": "abandoned",
        "started_at": "2026-10-02T10:00:00+08:00",
        "wait_s": 40,
    },
    {"id": "K4", "direction": "outbound", "disposition": "answered", "wait_s": 1},
]


def kpi_input(tmp_path: Path, *extra: bytes) -> Path:
    return write_lines(tmp_path / "calls.jsonl", *map(orjson.dumps, KPI_CALLS), *extra)


def test_kpis_writes_json_rows_per_group(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "kpis.json"
    status = main(["kpis", str(kpi_input(tmp_path)), "--by", "day,queue", "--out", str(out)])
    assert status == 0
    assert orjson.loads(out.read_bytes()) == [
        {
            "day": "2026-10-01",
            "queue": "售后",
            "offered": 2,
            "answered": 1,
            "abandoned": 0,
            "short_abandoned": 1,
            "answer_rate": 1.0,
            "abandon_rate": 0.0,
            "service_level": 1.0,
            "asa_s": 10.0,
            "aht_s": 100.0,
        },
        {
            "day": "2026-10-02",
            "queue": "售前",
            "offered": 1,
            "answered": 0,
            "abandoned": 1,
            "short_abandoned": 0,
            "answer_rate": 0.0,
            "abandon_rate": 1.0,
            "service_level": 0.0,
            "asa_s": None,
            "aht_s": None,
        },
    ]
    summary = capsys.readouterr().err
    assert "read 4 · offered 3 · not offered" in summary
    assert "rejected 0 · 2 row(s)" in summary


def test_kpis_to_stdout_without_groups_is_one_total(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    options = ["--service-level-seconds", "5", "--short-abandon-seconds", "1"]
    assert main(["kpis", str(kpi_input(tmp_path)), "--out", "-", *options]) == 0
    [row] = orjson.loads(capsys.readouterr().out)
    assert (row["offered"], row["short_abandoned"], row["abandoned"]) == (3, 0, 2)
    assert row["service_level"] == 0.0
    assert row["answer_rate"] == 0.3333


def test_kpis_csv_has_a_bom_a_header_and_empty_cells_for_null(tmp_path: Path) -> None:
    out = tmp_path / "kpis.csv"
    assert main(["kpis", str(kpi_input(tmp_path)), "--by", "queue", "--out", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # so that Excel reads UTF-8, not GBK
    lines = data.decode("utf-8-sig").splitlines()
    assert lines == [
        "queue,offered,answered,abandoned,short_abandoned,answer_rate,abandon_rate,"
        "service_level,asa_s,aht_s",
        "售前,1,0,1,0,0.0,1.0,0.0,,",
        "售后,2,1,0,1,1.0,0.0,1.0,10.0,100.0",
    ]


def test_kpis_days_follow_the_time_zone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = kpi_input(tmp_path)
    assert main(["kpis", str(source), "--by", "day,hour", "--out", "-", "--tz", "UTC"]) == 0
    keys = [(r["day"], r["hour"]) for r in orjson.loads(capsys.readouterr().out)]
    # Naive times are read in UTC now; 10:00+08:00 is 02:00 UTC.
    assert keys == [("2026-10-01", 9), ("2026-10-02", 2)]


def test_kpis_broken_lines_go_to_the_errors_file_and_the_rest_is_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = kpi_input(tmp_path, b"{oops", orjson.dumps({"id": "K9", "wait_s": -3}))
    out, errors = tmp_path / "kpis.json", tmp_path / "errors.jsonl"
    argv = ["kpis", str(source), "--out", str(out), "--errors", str(errors)]
    assert main(argv) == 1
    assert [row["offered"] for row in orjson.loads(out.read_bytes())] == [3]
    rejected = read_jsonl(errors)
    assert [e["line"] for e in rejected] == [5, 6]
    assert "not JSON" in str(rejected[0]["reason"])
    assert "negative" in str(rejected[1]["reason"])
    assert "2 line(s) rejected" in capsys.readouterr().err


def test_kpis_exit_two_when_nothing_is_readable(tmp_path: Path) -> None:
    broken = write_lines(tmp_path / "broken.jsonl", b"{oops", b"[1]")
    assert main(["kpis", str(broken), "--out", str(tmp_path / "k.json")]) == 2
    assert main(["kpis", str(tmp_path / "missing.jsonl"), "--out", "-"]) == 2


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--by", "day,qeue"], "unknown grouping 'qeue': group by any of day, queue, agent"),
        (["--out", "kpis.xlsx"], "--out must end in .json or .csv"),
        (["--tz", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
    ],
)
def test_kpis_bad_options_exit_two_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str], message: str
) -> None:
    argv = ["kpis", str(kpi_input(tmp_path)), "--out", str(tmp_path / "k.json"), *options]
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "k.json").exists()


def test_kpis_negative_thresholds_are_refused(tmp_path: Path) -> None:
    argv = ["kpis", str(kpi_input(tmp_path)), "--out", "-", "--service-level-seconds", "-1"]
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2


def test_kpis_extra_adds_fcr_transfers_and_complaints_after_the_formats_md_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    calls = [
        {**KPI_CALLS[0], "customer_id": "U1", "tags": ["投诉"], "transferred": True},
        {**KPI_CALLS[0], "id": "K5", "customer_id": "U1", "started_at": "2026-10-03T09:00:00"},
        {**KPI_CALLS[0], "id": "K6", "customer_id": "U2", "started_at": "2026-10-20T09:00:00"},
    ]
    source = write_lines(tmp_path / "calls.jsonl", *map(orjson.dumps, calls))

    assert main(["kpis", str(source), "--out", "-", "--extra", "--fcr-days", "3"]) == 0
    [row] = orjson.loads(capsys.readouterr().out)

    assert list(row) == [*FIGURES, *EXTRA_FIGURES]
    assert {k: row[k] for k in list(row)[9:]} == {
        "fcr": 0.5,  # K1 repeated on the 3rd; K5 resolved; K6 is the data's last 3 days
        "fcr_resolved": 1,
        "fcr_repeated": 1,
        "fcr_pending": 1,
        "fcr_unidentified": 0,
        "transferred": 1,
        "transfer_rate": 0.3333,
        "complaints": 1,
    }


def test_kpis_extra_in_csv_and_the_default_columns_unchanged(tmp_path: Path) -> None:
    out = tmp_path / "kpis.csv"
    argv = ["kpis", str(kpi_input(tmp_path)), "--by", "queue", "--out", str(out)]
    assert main([*argv, "--extra", "--complaint-queues", "售前"]) == 0
    header, first, _ = out.read_bytes().decode("utf-8-sig").splitlines()
    assert header.endswith(
        "aht_s,fcr,fcr_resolved,fcr_repeated,fcr_pending,fcr_unidentified,transferred,"
        "transfer_rate,complaints"
    )
    assert first == "售前,1,0,1,0,0.0,1.0,0.0,,,,0,0,0,0,0,,1"


def test_kpis_fcr_days_must_be_positive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["kpis", str(kpi_input(tmp_path)), "--out", "-", "--extra", "--fcr-days", "0"])
    assert exit_info.value.code == 2
    assert "must be a number of days above 0" in capsys.readouterr().err
