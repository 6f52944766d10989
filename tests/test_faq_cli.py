"""`lingting faq-match` and `lingting faq-train` as a center runs them (FORMATS.md, "FAQ
matching")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from lingting.cli import main
from tests.engine.faq_examples import ENTRIES, training_pairs


def jsonl(path: Path, *records: dict[str, Any] | bytes) -> Path:
    lines = [r if isinstance(r, bytes) else orjson.dumps(r) for r in records]
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def read(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def kb_records() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for entry in ENTRIES:
        record: dict[str, Any] = {"id": entry.id, "question": entry.question}
        if entry.answer:
            record["answer"] = entry.answer
        if entry.alternates:
            record["alternates"] = list(entry.alternates)
        records.append(record)
    return records


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    return jsonl(tmp_path / "kb.jsonl", *kb_records())


def test_each_query_gets_its_best_entries_with_exactly_the_formats_md_fields(
    kb: Path, tmp_path: Path
) -> None:
    queries = jsonl(
        tmp_path / "queries.jsonl",
        {"id": "q1", "text": "借呗能提额吗"},
        {"id": 2, "text": "退款几天能到账"},
    )
    out = tmp_path / "matches.jsonl"

    assert main(["faq-match", str(kb), str(queries), "--out", str(out)]) == 0

    first, second = read(out)
    assert list(first) == ["id", "matches"]
    assert first["id"] == "q1"
    assert second["id"] == 2
    assert list(first["matches"][0]) == ["kb_id", "score"]
    assert first["matches"][0]["kb_id"] == "limit"
    assert second["matches"][0]["kb_id"] == "refund"
    assert len(first["matches"]) == len(ENTRIES)  # fewer entries than the default top 10
    scores = [m["score"] for m in first["matches"]]
    assert scores == sorted(scores, reverse=True)


def test_top_caps_the_matches(kb: Path, tmp_path: Path) -> None:
    queries = jsonl(tmp_path / "queries.jsonl", {"id": "q", "text": "花呗还款"})
    out = tmp_path / "matches.jsonl"

    assert main(["faq-match", str(kb), str(queries), "--out", str(out), "--top", "2"]) == 0

    (line,) = read(out)
    assert len(line["matches"]) == 2
    assert line["matches"][0]["kb_id"] == "repay"


def test_broken_lines_are_reported_with_their_line_numbers_and_the_rest_matched(
    tmp_path: Path,
) -> None:
    kb = jsonl(
        tmp_path / "kb.jsonl",
        {"id": "repay", "question": "花呗怎么还款"},
        b"{not json",
        {"id": "repay", "question": "花呗还钱"},
        {"id": "limit", "question": "借呗额度怎么提升", "alternates": "借呗提额"},
        {"id": "phone", "question": "如何修改绑定的手机号码"},
    )
    queries = jsonl(
        tmp_path / "queries.jsonl",
        {"id": "q1", "text": "怎么还花呗"},
        {"id": "q2"},
        {"id": "q3", "text": "   "},
        {"id": "q4", "text": "手机号换了"},
    )
    out, errors = tmp_path / "matches.jsonl", tmp_path / "errors.jsonl"

    status = main(["faq-match", str(kb), str(queries), "--out", str(out), "--errors", str(errors)])

    assert status == 1
    assert [line["id"] for line in read(out)] == ["q1", "q4"]
    assert [line["matches"][0]["kb_id"] for line in read(out)] == ["repay", "phone"]
    reported = [(Path(e["file"]).name, e["line"], e["reason"]) for e in read(errors)]
    assert [(name, line) for name, line, _ in reported] == [
        ("kb.jsonl", 2),
        ("kb.jsonl", 3),
        ("kb.jsonl", 4),
        ("queries.jsonl", 2),
        ("queries.jsonl", 3),
    ]
    reasons = [reason for _, _, reason in reported]
    assert reasons[0].startswith("not JSON")
    assert "already on line 1" in reasons[1]
    assert "alternates" in reasons[2]
    assert "'text'" in reasons[3]
    assert "'text'" in reasons[4]


def test_a_gbk_knowledge_base_is_read_as_chinese(tmp_path: Path) -> None:
    kb = tmp_path / "kb.jsonl"
    kb.write_bytes(
        b"".join(
            orjson.dumps(r).decode().encode("gbk") + b"\n"
            for r in [
                {"id": "repay", "question": "花呗怎么还款"},
                {"id": "limit", "question": "借呗额度怎么提升"},
            ]
        )
    )
    queries = jsonl(tmp_path / "queries.jsonl", {"id": "q", "text": "借呗提额"})
    out = tmp_path / "matches.jsonl"

    assert main(["faq-match", str(kb), str(queries), "--out", str(out)]) == 0

    assert read(out)[0]["matches"][0]["kb_id"] == "limit"


def test_a_file_that_is_not_text_stops_with_status_2(
    kb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    queries = tmp_path / "queries.jsonl"
    queries.write_bytes("花呗".encode("utf-16"))

    status = main(["faq-match", str(kb), str(queries), "--out", str(tmp_path / "m.jsonl")])

    assert status == 2
    assert "UTF-16" in capsys.readouterr().err


def test_a_knowledge_base_with_no_readable_entry_stops_with_status_2(tmp_path: Path) -> None:
    kb = jsonl(tmp_path / "kb.jsonl", b"[1, 2]", {"id": "x"})
    queries = jsonl(tmp_path / "queries.jsonl", {"id": "q", "text": "花呗"})

    assert main(["faq-match", str(kb), str(queries), "--out", str(tmp_path / "m.jsonl")]) == 2


def test_a_trained_model_folder_is_used_by_faq_match(kb: Path, tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.tsv"
    lines = [f"{p.question}\t{p.other}\t{int(p.same)}" for p in training_pairs()]
    pairs.write_text("\n".join([*lines, "only one cell", "a\tb\tyes"]) + "\n", encoding="utf-8")
    model, errors = tmp_path / "model", tmp_path / "train-errors.jsonl"

    status = main(["faq-train", str(pairs), "--out", str(model), "--errors", str(errors)])

    assert status == 1
    assert [(e["line"], e["reason"][:18]) for e in read(errors)] == [
        (len(lines) + 1, "a pair is 3 tab-se"),
        (len(lines) + 2, "the third cell mus"),
    ]
    assert sorted(p.name for p in model.iterdir()) == ["arrays.npz", "model.json"]
    queries = jsonl(tmp_path / "queries.jsonl", {"id": "q", "text": "花呗的钱在哪还"})
    out = tmp_path / "matches.jsonl"
    argv = ["faq-match", str(kb), str(queries), "--out", str(out), "--model", str(model)]
    assert main(argv) == 0
    (line,) = read(out)
    assert line["matches"][0]["kb_id"] == "repay"
    assert 0 <= line["matches"][0]["score"] <= 1


def test_a_missing_model_folder_stops_with_status_2(
    kb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    queries = jsonl(tmp_path / "queries.jsonl", {"id": "q", "text": "花呗"})
    argv = ["faq-match", str(kb), str(queries), "--out", str(tmp_path / "m.jsonl")]

    assert main([*argv, "--model", str(tmp_path / "nowhere")]) == 2
    assert "no FAQ model" in capsys.readouterr().err


def test_pairs_with_no_same_intent_pair_train_nothing(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("花呗怎么还款\t借呗怎么提额\t0\n", encoding="utf-8")

    assert main(["faq-train", str(pairs), "--out", str(tmp_path / "model")]) == 2
    assert not (tmp_path / "model").exists()


def test_the_score_command_does_not_load_the_matcher() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from lingting.engine_cli import _parser; _parser();"
        "print('lingting.engine.faq' in sys.modules, 'rjieba' in sys.modules)"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.split() == ["False", "False"]
