"""Scoring a whole file on several processes keeps input order and true line numbers."""

import io
import itertools
import os
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson
import pytest

from lingting.engine import batch
from lingting.engine.batch import line_aligned_ranges, score_file
from lingting.engine.contacts import Contact
from lingting.engine.reader import LineError, read_jsonl
from lingting.engine.results import ContactResult

SHANGHAI = ZoneInfo("Asia/Shanghai")


def turn_count_score(contact: Contact) -> ContactResult:
    """A stand-in scorer: passes contacts with an even number of turns."""
    passed = len(contact.turns) % 2 == 0
    return ContactResult(
        id=contact.id,
        scorecard="test",
        scorecard_version="1",
        score=100.0 if passed else 50.0,
        passed=passed,
        fatal=False,
        severity_counts={"A": 0, "B": 0, "C": 0},
        items=(),
    )


def contact_line(number: int) -> bytes:
    turns = [{"speaker": "agent", "text": f"第{i}句"} for i in range(number % 3 + 1)]
    return orjson.dumps({"id": f"C{number:05d}", "turns": turns}) + b"\n"


def write_input(path: Path, lines: int, broken_every: int = 0) -> set[int]:
    broken: set[int] = set()
    with path.open("wb") as out:
        for number in range(1, lines + 1):
            if broken_every and number % broken_every == 0:
                out.write(b"{broken\n")
                broken.add(number)
            elif number % 50 == 0:
                out.write(b"\n")  # blank lines still take a number
            elif number % 70 == 0:
                out.write(orjson.dumps({"id": f"CDR{number}"}) + b"\n")
            else:
                out.write(contact_line(number))
    return broken


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make even a small file go to several worker processes."""
    monkeypatch.setattr(batch, "PARALLEL_MIN_BYTES", 0)


@pytest.mark.usefixtures("small_parts")
@pytest.mark.parametrize("workers", [1, 2, 5])
def test_results_keep_input_order_and_errors_keep_file_line_numbers(
    tmp_path: Path, workers: int
) -> None:
    source = tmp_path / "in.jsonl"
    broken = write_input(source, 1000, broken_every=37)
    out, errors = io.BytesIO(), io.BytesIO()
    summary = score_file(
        source,
        out=out,
        errors_out=errors,
        score=turn_count_score,
        tz=SHANGHAI,
        encoding="utf-8",
        workers=workers,
    )
    ids = [orjson.loads(line)["id"] for line in out.getvalue().splitlines()]
    assert ids == sorted(ids)
    assert len(ids) == summary.scored
    reported = [orjson.loads(line)["line"] for line in errors.getvalue().splitlines()]
    assert reported == sorted(broken)
    assert summary.rejected == len(broken)
    assert summary.skipped == len([n for n in range(70, 1001, 70) if n % 37 and n % 50])
    assert summary.exit_status == 1


@pytest.mark.usefixtures("small_parts")
def test_parts_join_the_same_into_a_file_a_pipe_and_memory(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    write_input(source, 500)
    expected = io.BytesIO()
    score_file(
        source,
        out=expected,
        errors_out=None,
        score=turn_count_score,
        tz=SHANGHAI,
        encoding="utf-8",
        workers=3,
    )
    assert expected.getvalue().count(b"\n") > 400
    with (tmp_path / "out.jsonl").open("wb") as out:
        out.write(b"first line\n")  # whatever was written before stays first
        score_file(
            source,
            out=out,
            errors_out=None,
            score=turn_count_score,
            tz=SHANGHAI,
            encoding="utf-8",
            workers=3,
        )
    assert (tmp_path / "out.jsonl").read_bytes() == b"first line\n" + expected.getvalue()
    read_end, write_end = os.pipe()  # one part, in this process: no fork beside a thread
    with os.fdopen(read_end, "rb") as reader, os.fdopen(write_end, "wb") as writer:
        received = bytearray()
        drain = threading.Thread(target=lambda: received.extend(reader.read()))
        drain.start()
        score_file(
            source,
            out=writer,
            errors_out=None,
            score=turn_count_score,
            tz=SHANGHAI,
            encoding="utf-8",
            workers=1,
        )
        writer.close()
        drain.join()
    assert bytes(received) == expected.getvalue()


def test_every_line_scored_exits_zero_and_all_broken_exits_two(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.jsonl", tmp_path / "bad.jsonl"
    good.write_bytes(contact_line(1) + contact_line(2))
    bad.write_bytes(b"nope\n[1]\n")
    for path, status in [(good, 0), (bad, 2)]:
        summary = score_file(
            path,
            out=io.BytesIO(),
            errors_out=None,
            score=turn_count_score,
            tz=SHANGHAI,
            encoding="utf-8",
            workers=2,
        )
        assert summary.exit_status == status


def test_summary_counts_pass_rate_and_speed(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"".join(contact_line(n) for n in range(1, 7)))
    summary = score_file(
        source,
        out=io.BytesIO(),
        errors_out=None,
        score=turn_count_score,
        tz=SHANGHAI,
        encoding="utf-8",
        workers=1,
    )
    assert summary.read == 6
    assert summary.pass_rate == pytest.approx(2 / 6)
    text = summary.describe()
    assert "read 6" in text
    assert "pass rate 33.3%" in text
    assert "contacts/s" in text


def test_ranges_start_on_line_boundaries_and_cover_the_file(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    write_input(source, 500)
    data = source.read_bytes()
    ranges = line_aligned_ranges(source, 7)
    assert ranges[0][0] == 0
    assert ranges[-1][1] == len(data)
    for (_, end), (start, _) in itertools.pairwise(ranges):
        assert end == start
        assert data[start - 1 : start] == b"\n"


def test_more_workers_than_lines_is_fine(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(contact_line(1))
    assert line_aligned_ranges(source, 8) == [(0, source.stat().st_size)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_hostile_lines_are_told_as_reading_the_file_tells_them(
    tmp_path: Path, encoding: str
) -> None:
    """Scoring reads UTF-8 lines as bytes (no decoded copy): every broken line must still get
    the reason and the shown text that reading the file line by line gives it."""
    source = tmp_path / "in.jsonl"
    lines = [
        contact_line(1),
        b'{"id": "C2", "turns": [{"speaker": "agent", "text": "\xe6\x82\xa8\xff\xfe"}]}\n',
        b'{"id": "C3", "turns": [{"speaker": "agent", "text": "a\\u0000b"}]}\n',
        b'{"id": "C4", "turns": [{"speaker": "agent", "text": "a\x00b"}]}\n',
        b'{"id": "C5", "turns": [{"speaker": "robot", "text": "\xe6\x82\xa8\xe5\xa5\xbd"}]}\n',
        b'{"id": "C6", "turns": [\n',
        b'{"id": "C7", "turns": [{"speaker": "agent", "text": "\\ud800"}]}\n',
        contact_line(8),
    ]
    bom = b"\xef\xbb\xbf" if encoding == "utf-8-sig" else b""
    source.write_bytes(bom + b"".join(lines))
    out, errors = io.BytesIO(), io.BytesIO()
    summary = score_file(
        source,
        out=out,
        errors_out=errors,
        score=turn_count_score,
        tz=SHANGHAI,
        encoding=encoding,
        workers=1,
    )
    with source.open("rb") as stream:
        expected = [
            orjson.loads(orjson.dumps(error.to_dict()))
            for error in read_jsonl(stream, tz=SHANGHAI, encoding=encoding)
            if isinstance(error, LineError)
        ]
    told = [orjson.loads(line) for line in errors.getvalue().splitlines()]
    assert [error["line"] for error in told] == [2, 3, 4, 5, 6, 7]
    assert told == expected
    assert [orjson.loads(line)["id"] for line in out.getvalue().splitlines()] == [
        "C00001",
        "C00008",
    ]
    assert summary.rejected == 6
