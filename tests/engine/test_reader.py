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
