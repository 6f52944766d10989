"""`lingting erlang` as a planner runs it (FORMATS.md, "Staffing")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from lingting.cli import main


def cases_file(path: Path, *cases: dict[str, Any] | bytes) -> Path:
    lines = [case if isinstance(case, bytes) else orjson.dumps(case) for case in cases]
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def results(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def test_each_model_answers_with_exactly_the_formats_md_keys(tmp_path: Path) -> None:
    cases = cases_file(
        tmp_path / "cases.jsonl",
        {"id": "lines", "model": "erlang_b", "traffic_erlangs": 5, "agents": 10},
        {
            "id": "hotline",
            "model": "erlang_c",
            "calls": 100,
            "interval_s": 1800,
            "aht_s": 180,
            "answer_within_s": 20,
            "targets": {"service_level": 0.8},
            "shrinkage": 0.3,
        },
        {
            "id": "95598",
            "model": "erlang_a",
            "traffic_erlangs": 160,
            "aht_s": 180,
            "patience_s": 60,
            "answer_within_s": 20,
            "targets": {"service_level": 0.8, "max_abandon": 0.05},
        },
    )
    out = tmp_path / "results.jsonl"

    assert main(["erlang", str(cases), "--out", str(out)]) == 0

    lines, hotline, power = results(out)
    assert list(lines) == ["id", "traffic_erlangs", "agents", "blocking_probability"]
    assert lines["blocking_probability"] == pytest.approx(0.0183846, abs=1e-7)
    assert list(hotline) == [
        "id",
        "traffic_erlangs",
        "agents",
        "scheduled_agents",
        "waiting_probability",
        "service_level",
        "asa_s",
        "occupancy",
    ]
    assert (hotline["traffic_erlangs"], hotline["agents"], hotline["scheduled_agents"]) == (
        10.0,
        14,
        20,
    )
    assert list(power) == [
        "id",
        "traffic_erlangs",
        "agents",
        "waiting_probability",
        "abandon_probability",
        "service_level",
        "asa_s",
        "mean_wait_s",
        "occupancy",
    ]
    assert power["id"] == "95598"
    assert power["abandon_probability"] <= 0.05
    assert power["service_level"] >= 0.8
    assert power["mean_wait_s"] == pytest.approx(power["abandon_probability"] * 60)


def test_an_overloaded_erlang_c_queue_never_answers_in_time(tmp_path: Path) -> None:
    cases = cases_file(
        tmp_path / "cases.jsonl",
        {
            "id": "x",
            "model": "erlang_c",
            "traffic_erlangs": 10,
            "agents": 8,
            "aht_s": 180,
            "answer_within_s": 20,
        },
    )
    out = tmp_path / "out.jsonl"

    assert main(["erlang", str(cases), "--out", str(out)]) == 0

    (result,) = results(out)
    assert (result["waiting_probability"], result["service_level"], result["asa_s"]) == (1, 0, None)
    assert result["occupancy"] == 1.25


def test_bad_cases_go_to_the_errors_file_with_line_and_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = {
        "id": "ok",
        "model": "erlang_b",
        "traffic_erlangs": 2,
        "targets": {"max_blocking": 0.01},
    }
    cases = cases_file(
        tmp_path / "cases.jsonl",
        good,
        b"{not json",
        {"id": "c", "model": "erlang_c", "traffic_erlangs": 10, "targets": {"max_abandon": 0.05}},
        {"id": "q", "model": "erlang_c", "traffic_erlangs": "10", "agents": 12},
        {
            "id": "both",
            "model": "erlang_c",
            "traffic_erlangs": 10,
            "agents": 12,
            "targets": {"service_level": 0.8},
        },
        {"id": "a", "model": "erlang_a", "traffic_erlangs": 10, "aht_s": 180, "agents": 12},
        {"id": "m", "model": "erlang_x", "traffic_erlangs": 10, "agents": 12},
        {"model": "erlang_b", "traffic_erlangs": 1, "agents": 2},
        {"id": "s", "model": "erlang_b", "traffic_erlangs": 1, "agents": 2, "shrinkage": 1},
    )
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"

    assert main(["erlang", str(cases), "--out", str(out), "--errors", str(errors)]) == 1

    assert [r["id"] for r in results(out)] == ["ok"]
    reasons = {e["line"]: (e["id"], e["reason"]) for e in results(errors)}
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7, 8, 9]
    assert reasons[2][1].startswith("not JSON")
    assert reasons[3] == ("c", reasons[3][1])
    assert "max_abandon is not a target of erlang_c" in reasons[3][1]
    assert "traffic_erlangs must be a number" in reasons[4][1]
    assert "not both" in reasons[5][1]
    assert "patience_s" in reasons[6][1]
    assert "model must be one of erlang_b, erlang_c, erlang_a" in reasons[7][1]
    assert reasons[8] == (None, "id is missing (a string that names the case)")
    assert "shrinkage must be below 1" in reasons[9][1]
    assert "8 case(s) rejected" in capsys.readouterr().err


def test_nothing_answerable_exits_two(tmp_path: Path) -> None:
    cases = cases_file(tmp_path / "cases.jsonl", b"[]", b"42")
    assert main(["erlang", str(cases), "--out", str(tmp_path / "o.jsonl")]) == 2


def test_a_missing_file_exits_two_with_a_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["erlang", str(tmp_path / "none.jsonl"), "--out", "-"]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_results_go_to_stdout_with_a_dash(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    cases = cases_file(
        tmp_path / "cases.jsonl",
        {"id": "b", "model": "erlang_b", "traffic_erlangs": 1, "agents": 1},
    )
    assert main(["erlang", str(cases), "--out", "-"]) == 0
    assert orjson.loads(capfd.readouterr().out) == {
        "id": "b",
        "traffic_erlangs": 1.0,
        "agents": 1,
        "blocking_probability": 0.5,
    }


def test_gbk_cases_are_read(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_bytes(
        '{"id": "藏语安多", "model": "erlang_b", "traffic_erlangs": 1, "agents": 2}\n'.encode("gbk")
    )
    out = tmp_path / "o.jsonl"
    assert main(["erlang", str(path), "--out", str(out)]) == 0
    assert results(out)[0]["id"] == "藏语安多"
