"""Reading interaction files: every broken line reported by number, the rest read."""

import io
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson
import pytest

from lingting.engine.reader import (
    LineError,
    ParsedLine,
    UnreadableFileError,
    read_contacts_file,
    read_jsonl,
    sniff_encoding,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
GOOD = {"id": "C1", "turns": [{"speaker": "agent", "text": "您好，请问有什么可以帮您"}]}


def jsonl(*records: object) -> bytes:
    return b"".join(orjson.dumps(r) + b"\n" for r in records)


def read(data: bytes, encoding: str = "utf-8") -> list[ParsedLine | LineError]:
    return list(read_jsonl(io.BytesIO(data), tz=SHANGHAI, encoding=encoding))


def test_bad_lines_are_reported_with_line_numbers_and_good_lines_still_read() -> None:
    data = (
        jsonl(GOOD)
        + b"{not json\n"
        + b"\n"
        + jsonl({"turns": []})
        + b'{"id": "C5", "turns": [{"speaker": "agent", "text": "\xff\xfe"}]}\n'
        + jsonl({**GOOD, "id": "C6"})
    )
    results = read(data)
    assert [r.line for r in results] == [1, 2, 4, 5, 6]
    errors = {r.line: r.reason for r in results if isinstance(r, LineError)}
    assert errors[2].startswith("not JSON")
    assert errors[4] == "missing 'id'"
    assert "wrong encoding" in errors[5]
    good = [r.contact.id for r in results if isinstance(r, ParsedLine)]
    assert good == ["C1", "C6"]


def test_error_names_the_id_when_the_record_has_one() -> None:
    [error] = read(jsonl({"id": "C9", "turns": "oops"}))
    assert isinstance(error, LineError)
    assert error.id == "C9"
    assert error.to_dict()["line"] == 1


def test_gbk_file_is_detected_and_read_as_text() -> None:
    data = jsonl(GOOD).decode().encode("gbk")
    encoding = sniff_encoding(data)
    assert encoding == "gb18030"
    [parsed] = read(data, encoding)
    assert isinstance(parsed, ParsedLine)
    assert parsed.contact.turns[0].text == "您好，请问有什么可以帮您"


def test_utf8_with_bom_is_read() -> None:
    data = b"\xef\xbb\xbf" + jsonl(GOOD)
    encoding = sniff_encoding(data)
    [parsed] = read(data, encoding)
    assert isinstance(parsed, ParsedLine)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("x".encode("utf-16"), "UTF-16"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        (bytes(range(0x80, 0xFF)) * 3, "neither UTF-8 nor GBK"),
    ],
)
def test_unreadable_file_is_refused_clearly(data: bytes, message: str) -> None:
    with pytest.raises(UnreadableFileError, match=message):
        sniff_encoding(data)


def test_cdr_only_csv_is_read_with_numbers_and_tags(tmp_path: Path) -> None:
    path = tmp_path / "cdr.csv"
    path.write_text(
        "id,queue,agent_id,started_at,disposition,wait_s,rings,tags\n"
        "C1,ACD-01,A1001,2026-10-01T09:00:05,answered,12.5,2,5G套餐;投诉\n"
        "C2,ACD-01,,2026-10-01T09:01:00,abandoned,abc,,\n"
        "C3,ACD-02,A1002,2026-10-01T09:02:00,answered,3,1,\n",
        encoding="utf-8",
    )
    results = list(read_contacts_file(str(path), tz=SHANGHAI))
    first, second, third = results
    assert isinstance(first, ParsedLine)
    assert first.contact.wait_s == 12.5
    assert first.contact.rings == 2
    assert first.contact.tags == ("5G套餐", "投诉")
    assert isinstance(second, LineError)
    assert second.line == 3
    assert "'wait_s' must be a number" in second.reason
    assert isinstance(third, ParsedLine)
    assert third.contact.agent_id == "A1002"


def test_gbk_csv_is_read(tmp_path: Path) -> None:
    path = tmp_path / "cdr.csv"
    path.write_bytes("id,queue,tags\nC1,投诉组,话费争议\n".encode("gbk"))
    [parsed] = list(read_contacts_file(str(path), tz=SHANGHAI))
    assert isinstance(parsed, ParsedLine)
    assert parsed.contact.queue == "投诉组"


def test_one_stray_byte_in_a_small_utf8_file_rejects_only_that_line() -> None:
    data = jsonl(GOOD, {**GOOD, "id": "C2"}) + b'{"id": "C3", "turns": "caf\xe9"}\n' + jsonl(GOOD)
    assert sniff_encoding(data) == "utf-8"
    results = read(data)
    rejected = [r.line for r in results if isinstance(r, LineError)]
    assert rejected == [3]
    assert sum(isinstance(r, ParsedLine) for r in results) == 3


def test_a_nul_byte_in_a_utf8_file_rejects_only_its_line() -> None:
    data = jsonl(GOOD) + b'{"id": "C2", "turns": []}\x00\n' + jsonl({**GOOD, "id": "C3"})
    assert sniff_encoding(data) == "utf-8"
    results = read(data)
    assert [r.line for r in results if isinstance(r, LineError)] == [2]
    assert "NUL" in next(r.reason for r in results if isinstance(r, LineError))
    assert [r.contact.id for r in results if isinstance(r, ParsedLine)] == ["C1", "C3"]


def test_a_nul_byte_in_an_all_ascii_file_rejects_only_its_line() -> None:
    data = b'{"id": "A1"}\n{"id": "A\x002"}\n{"id": "A3"}\n'
    assert sniff_encoding(data) == "utf-8"
    assert [type(r).__name__ for r in read(data)] == ["ParsedLine", "LineError", "ParsedLine"]


def test_a_nul_character_spelled_in_json_is_refused_not_stored() -> None:
    spelled = {"id": "C2", "turns": [{"speaker": "agent", "text": "a\u0000b"}]}
    results = read(jsonl(GOOD, spelled, {"id": "C3", "extra": {"x": ["\u0000"]}}))
    errors = [r for r in results if isinstance(r, LineError)]
    assert [e.line for e in errors] == [2, 3]
    assert all("NUL" in e.reason for e in errors)


def test_a_line_that_does_not_decode_in_a_gbk_file_is_an_error_not_garbled_text() -> None:
    good = jsonl(GOOD).decode().encode("gbk")
    data = good + b'{"id": "C2", "turns": [{"speaker": "agent", "text": "\x81\x20"}]}\n' + good
    encoding = sniff_encoding(data)
    assert encoding == "gb18030"
    results = read(data, encoding)
    assert [r.line for r in results if isinstance(r, LineError)] == [2]
    assert [r.contact.turns[0].text for r in results if isinstance(r, ParsedLine)] == [
        "您好，请问有什么可以帮您"
    ] * 2


def csv_results(tmp_path: Path, data: bytes) -> list[ParsedLine | LineError]:
    path = tmp_path / "cdr.csv"
    path.write_bytes(data)
    return list(read_contacts_file(str(path), tz=SHANGHAI))


def test_one_bad_byte_or_nul_in_a_csv_rejects_only_its_row(tmp_path: Path) -> None:
    data = (
        "id,queue,tags\nC1,投诉组,话费\n".encode()
        + b"C2,caf\xe9,x\n"
        + b"C3,a\x00b,y\n"
        + 'C4,"两行\n的组",z\nC5,宽带组,\n'.encode()
    )
    results = csv_results(tmp_path, data)
    errors = {r.line: r.reason for r in results if isinstance(r, LineError)}
    assert set(errors) == {3, 4}
    assert "wrong encoding" in errors[3]
    assert "NUL" in errors[4]
    parsed = [r.contact for r in results if isinstance(r, ParsedLine)]
    assert [(c.id, c.queue) for c in parsed] == [
        ("C1", "投诉组"),
        ("C4", "两行\n的组"),
        ("C5", "宽带组"),
    ]


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("wait_s=inf", "'wait_s' must be a finite number"),
        ("wait_s=nan", "'wait_s' must be a finite number"),
        ("wait_s=1e400", "'wait_s' must be a finite number"),
        ("talk_s=1e12", "'talk_s' is more than a year"),
        ("rings=99999999999999999999999", "'rings' must be a whole number from 0 to 32767"),
        ("rings=40000", "'rings' must be a whole number from 0 to 32767"),
        ("started_at=0001-01-01T00:00:00+08:00", "'started_at' is out of range"),
        ("ended_at=9999-12-31T23:59:59-01:00", "'ended_at' is out of range"),
    ],
)
def test_a_csv_value_no_database_can_store_is_a_line_error(
    tmp_path: Path, cell: str, reason: str
) -> None:
    name, value = cell.split("=", 1)
    data = f"id,{name}\nC1,{value}\nC2,\n".encode()
    first, second = csv_results(tmp_path, data)
    assert isinstance(first, LineError)
    assert first.line == 2
    assert reason in first.reason
    assert isinstance(second, ParsedLine)


def test_a_csv_cell_too_big_for_the_parser_rejects_its_row_only(tmp_path: Path) -> None:
    data = b"id,note\nC1,a\nC2," + b"x" * 200_000 + b"\nC3,b\n"
    results = csv_results(tmp_path, data)
    assert [type(r).__name__ for r in results] == ["ParsedLine", "LineError", "ParsedLine"]


def test_a_utf8_line_in_a_gbk_file_is_read_as_utf8_not_stored_garbled(tmp_path: Path) -> None:
    gbk = jsonl(GOOD).decode().encode("gbk")
    utf8 = jsonl({**GOOD, "id": "C2"})
    data = gbk * 3 + utf8 + gbk
    encoding = sniff_encoding(data)
    assert encoding == "gb18030"
    texts = [r.contact.turns[0].text for r in read(data, encoding) if isinstance(r, ParsedLine)]
    assert texts == ["您好，请问有什么可以帮您"] * 5

    path = tmp_path / "cdr.csv"
    path.write_bytes("id,queue\nC1,投诉组\nC2,话费组\n".encode("gbk") + "C3,宽带组\n".encode())
    results = list(read_contacts_file(str(path), tz=SHANGHAI))
    queues = [r.contact.queue for r in results if isinstance(r, ParsedLine)]
    assert queues == ["投诉组", "话费组", "宽带组"]
