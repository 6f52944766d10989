"""Importing interaction files: idempotent by id, every bad line named, the rest stored."""

from __future__ import annotations

import codecs
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection
from django.utils.timezone import get_default_timezone

from lingting.demo.generator.organisation import demo_org
from lingting.demo.generator.traffic import generate_contacts
from lingting.engine.contacts import Turn
from lingting.engine.reader import SNIFF_BYTES, read_contacts_file
from lingting.interactions.models import Contact, Recording
from lingting.interactions.models import Turn as TurnRow
from lingting.interactions.services import (
    ImportReport,
    contacts_import,
    contacts_import_file,
    import_batches,
    import_copy,
    import_orm,
)
from lingting.interactions.services.import_batches import StoredContacts
from lingting.quality import tasks as quality_tasks
from lingting.quality.services import contacts_score
from lingting.quality.tasks import score_after_import

pytestmark = [
    pytest.mark.django_db,
    # Tests fork import workers many times over in one process: the threads of the previous
    # pool, already joined, may not be gone yet at the OS level when the next one forks.
    pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning"),
]

CALL = {
    "id": "C1",
    "channel": "voice",
    "direction": "inbound",
    "queue": "ACD-01",
    "agent_id": "A1001",
    "customer_id": "U88812",
    "started_at": "2026-10-01T09:00:05+08:00",
    "disposition": "answered",
    "tags": ["5G套餐"],
    "turns": [
        {"speaker": "agent", "start": 0.0, "end": 3.1, "text": "您好,很高兴为您服务"},
        {"speaker": "customer", "start": 3.4, "end": 7.9, "text": "我想问一下这个月的话费。"},
    ],
}


def line(record: Any) -> bytes:
    return orjson.dumps(record) + b"\n"


def write(tmp_path: Path, *lines: bytes, name: str = "contacts.jsonl") -> Path:
    path = tmp_path / name
    path.write_bytes(b"".join(lines))
    return path


def scoring(score: bool) -> StoredContacts | None:
    """What `lingting import` passes: quality's scoring in the task worker, or nothing."""
    return score_after_import(in_process=False) if score else None


def import_file(path: Path, *, score: bool = False, batch_size: int = 2000) -> ImportReport:
    lines = read_contacts_file(str(path), tz=get_default_timezone())
    return contacts_import(lines=lines, on_stored=scoring(score), batch_size=batch_size)


def texts(contact: Contact) -> list[str]:
    return list(contact.turns.order_by("index").values_list("text", flat=True))


def test_importing_the_same_id_again_updates_the_contact_and_never_duplicates_it(
    tmp_path: Path,
) -> None:
    import_file(write(tmp_path, line(CALL)))
    changed = {
        **CALL,
        "channel": "chat",
        "turns": [{"speaker": "agent", "start": 0.0, "end": 1.0, "text": "您好"}],
    }
    report = import_file(write(tmp_path, line(changed)))

    assert (report.read, report.imported, report.updated, report.rejected) == (1, 0, 1, 0)
    contact = Contact.objects.get()
    assert contact.channel == "chat"
    assert contact.turn_count == 1
    assert texts(contact) == ["您好"]


def test_a_later_line_with_the_same_id_wins(tmp_path: Path) -> None:
    report = import_file(write(tmp_path, line(CALL), line({**CALL, "disposition": "abandoned"})))

    assert (report.imported, report.updated) == (1, 1)
    assert Contact.objects.get().disposition == "abandoned"


def test_cdr_fields_queue_agent_and_customer_are_stored(tmp_path: Path) -> None:
    import_file(write(tmp_path, line(CALL)))

    codes = Contact.objects.values_list("queue__code", "agent__code", "customer__code")
    assert list(codes) == [("ACD-01", "A1001", "U88812")]
    contact = Contact.objects.get()
    assert contact.tags == ["5G套餐"]
    assert contact.started_at == datetime(2026, 10, 1, 1, 0, 5, tzinfo=UTC)
    assert list(contact.turns.values_list("speaker", "start", "end")) == [
        ("agent", 0.0, 3.1),
        ("customer", 3.4, 7.9),
    ]


def test_unknown_fields_are_kept_and_the_recording_becomes_a_recording_row(
    tmp_path: Path,
) -> None:
    record = {**CALL, "recording": "nas://rec/2026/10/01/C1.wav", "ivr_path": ["1", "3"], "x": 1}
    import_file(write(tmp_path, line(record)))

    contact = Contact.objects.get()
    assert contact.extra == {"ivr_path": ["1", "3"], "x": 1}
    assert list(Recording.objects.values_list("uri", flat=True)) == ["nas://rec/2026/10/01/C1.wav"]


def test_bad_lines_are_reported_with_line_numbers_while_good_lines_land(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        line(CALL),
        b"{not json\n",
        line({**CALL, "id": "C3", "rings": "three"}),
        line({"turns": CALL["turns"]}),
        line(
            {
                "id": "C5",
                "turns": [
                    {"speaker": "agent", "start": 0, "end": 5, "text": "您好"},
                    {"speaker": "agent", "start": 3, "end": 6, "text": "请讲"},
                ],
            }
        ),
        line({"id": "C6", "turns": [{"speaker": "agent", "start": -1, "end": 2, "text": "您好"}]}),
        line({**CALL, "id": "C7"}),
    )
    report = import_file(path)

    assert (report.read, report.imported, report.rejected) == (7, 2, 5)
    assert [e.line for e in report.errors] == [2, 3, 4, 5, 6]
    reasons = {e.line: e.reason for e in report.errors}
    assert reasons[2].startswith("not JSON")
    assert "rings" in reasons[3]
    assert "missing 'id'" in reasons[4]
    assert "overlaps" in reasons[5]
    assert "negative" in reasons[6]
    assert sorted(Contact.objects.values_list("external_id", flat=True)) == ["C1", "C7"]


def test_a_latin1_byte_in_a_utf8_file_rejects_only_its_line(tmp_path: Path) -> None:
    # Enough good lines that the encoding is judged (as UTF-8) before the broken line.
    good = [line({**CALL, "id": f"G{n}"}) for n in range(SNIFF_BYTES // len(line(CALL)) + 10)]
    broken = '{"id": "L1", "turns": [{"speaker": "agent", "text": "café"}]}\n'.encode("latin-1")
    report = import_file(write(tmp_path, *good, broken, line(CALL)))

    assert (report.imported, report.rejected) == (len(good) + 1, 1)
    assert report.errors[0].line == len(good) + 1
    assert "wrong encoding" in report.errors[0].reason
    assert Contact.objects.filter(external_id="C1").exists()


def test_a_gbk_file_is_read_and_its_chinese_text_lands_intact(tmp_path: Path) -> None:
    record = {**CALL, "tags": ["宽带报修"]}
    text = orjson.dumps(record).decode() + "\n" + orjson.dumps({**record, "id": "C2"}).decode()
    report = import_file(write(tmp_path, text.encode("gbk")))

    assert (report.imported, report.rejected) == (2, 0)
    contact = Contact.objects.get(external_id="C1")
    assert texts(contact) == ["您好,很高兴为您服务", "我想问一下这个月的话费。"]
    assert contact.tags == ["宽带报修"]


def test_a_cdr_only_csv_imports_contacts_without_turns(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        b"id,queue,agent_id,started_at,disposition,wait_s,tags,switch_node\n",
        "K1,ACD-02,A1002,2026-10-01 09:00:05,answered,12.5,投诉;宽带,SW-3\n".encode(),
        b"K2,ACD-02,,2026-10-01 09:01:00,abandoned,oops,,SW-3\n",
        name="cdr.csv",
    )
    report = import_file(path)

    assert (report.imported, report.rejected) == (1, 1)
    assert (report.errors[0].line, "wait_s" in report.errors[0].reason) == (3, True)
    contact = Contact.objects.get()
    assert (contact.turn_count, contact.wait_s, contact.tags) == (0, 12.5, ["投诉", "宽带"])
    assert contact.extra == {"switch_node": "SW-3"}


def test_a_cdr_line_without_turns_keeps_the_stored_transcript(tmp_path: Path) -> None:
    import_file(write(tmp_path, line({**CALL, "recording": "nas://C1.wav"})))
    cdr = {key: value for key, value in CALL.items() if key != "turns"}
    import_file(write(tmp_path, line({**cdr, "disposition": "transferred"})))

    contact = Contact.objects.get()
    assert contact.disposition == "transferred"
    assert contact.turn_count == 2
    assert len(texts(contact)) == 2
    assert contact.recordings.count() == 1


def test_a_rejected_line_leaves_the_stored_contact_untouched(tmp_path: Path) -> None:
    import_file(write(tmp_path, line(CALL)))
    broken = {**CALL, "channel": "chat", "turns": [{"speaker": "robot", "text": "?"}]}
    report = import_file(write(tmp_path, line(broken)))

    assert (report.rejected, report.errors[0].id) == (1, "C1")
    contact = Contact.objects.get()
    assert contact.channel == "voice"
    assert len(texts(contact)) == 2


def test_a_value_too_long_for_its_column_is_rejected_on_every_database(tmp_path: Path) -> None:
    report = import_file(write(tmp_path, line({**CALL, "channel": "x" * 40}), line(CALL)))

    assert report.rejected == 1
    assert "'channel' is longer than 32 characters" in report.errors[0].reason
    assert Contact.objects.filter(external_id="C1").exists()


def test_a_database_error_rolls_back_only_the_line_that_caused_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_file(write(tmp_path, line({**CALL, "id": "C2", "channel": "voice"})))
    if connection.vendor == "postgresql":
        copy_turns = import_copy._copy_turns

        def refuse_boom_copy(cursor: Any, statement: str, rows: list[Any], ids: Any) -> None:
            copy_turns(cursor, statement, rows, ids)
            if any(b"\tboom\t" in row.turns for row in rows):
                raise IntegrityError("refused")

        monkeypatch.setattr(import_copy, "_copy_turns", refuse_boom_copy)
    else:
        insert_turns = import_orm._insert_turns

        def refuse_boom(transcripts: list[tuple[int, tuple[Turn, ...]]]) -> None:
            insert_turns(transcripts)
            if any(t.text == "boom" for _, turns in transcripts for t in turns):
                raise IntegrityError("refused")

        monkeypatch.setattr(import_orm, "_insert_turns", refuse_boom)
    boom = {**CALL, "id": "C2", "channel": "chat", "turns": [{"speaker": "agent", "text": "boom"}]}
    path = write(tmp_path, line(CALL), line(boom), line({**CALL, "id": "C3"}))
    report = import_file(path, batch_size=2)

    assert (report.imported, report.rejected) == (2, 1)
    assert report.errors[0].line == 2
    assert "refused" in report.errors[0].reason
    c2 = Contact.objects.get(external_id="C2")
    assert (c2.channel, len(texts(c2))) == ("voice", 2)
    assert Contact.objects.count() == 3


class RecordingTask:
    """Stands in for the `listen_and_score` task: records what would be enqueued."""

    def __init__(self) -> None:
        self.enqueued: list[int] = []

    def enqueue(self, contact_ids: list[int]) -> None:
        self.enqueued.extend(contact_ids)


def test_new_and_changed_transcripts_are_sent_for_scoring_after_commit(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
    standard_version: Any,
) -> None:
    task = RecordingTask()
    monkeypatch.setattr(quality_tasks, "listen_and_score", task)
    cdr_only = {"id": "K1", "queue": "ACD-01"}
    path = write(tmp_path, line(CALL), line({**CALL, "id": "C2"}), line(cdr_only))
    with django_capture_on_commit_callbacks(execute=True):
        import_file(path, score=True)
    ids = dict(Contact.objects.values_list("external_id", "id"))
    assert sorted(task.enqueued) == sorted([ids["C1"], ids["C2"]])
    contacts_score(contact_ids=task.enqueued, version=standard_version)

    task.enqueued.clear()
    changed = {**CALL, "id": "C2", "turns": [{"speaker": "agent", "text": "您好"}]}
    with django_capture_on_commit_callbacks(execute=True):
        import_file(write(tmp_path, line(CALL), line(changed), line(cdr_only)), score=True)
    assert task.enqueued == [ids["C2"]]


def test_a_call_record_naming_a_recording_is_sent_to_be_heard_with_the_transcripts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    # Heard first, a recording may bring a transcript (recognition) and what the rules on
    # sound judge; a contact still without turns is not scored.
    task = RecordingTask()
    monkeypatch.setattr(quality_tasks, "listen_and_score", task)
    recorded = {"id": "K2", "queue": "ACD-01", "recording": "calls/K2.wav"}
    with django_capture_on_commit_callbacks(execute=True):
        import_file(write(tmp_path, line(CALL), line(recorded)), score=True)

    ids = dict(Contact.objects.values_list("external_id", "id"))
    assert sorted(task.enqueued) == sorted([ids["C1"], ids["K2"]])


def test_nothing_is_sent_for_scoring_before_the_batch_commits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    task = RecordingTask()
    monkeypatch.setattr(quality_tasks, "listen_and_score", task)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        import_file(write(tmp_path, line(CALL)), score=True)

    assert task.enqueued == []
    assert len(callbacks) == 1


def test_the_import_command_writes_each_bad_line_to_the_errors_file_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, line(CALL), b"{oops\n", line({"turns": []}))
    errors = tmp_path / "errors.jsonl"

    with pytest.raises(CommandError) as raised:
        call_command("import", str(path), "--errors", str(errors), "--no-score")

    assert raised.value.returncode == 1
    rows = [orjson.loads(row) for row in errors.read_bytes().splitlines()]
    assert [(row["line"], row["id"]) for row in rows] == [(2, None), (3, None)]
    assert set(rows[0]) == {"line", "id", "reason", "text"}
    out = capsys.readouterr()
    assert "read 3 · imported 1 · updated 0 · rejected 2" in out.out
    assert "line 2: not JSON" in out.err


def test_the_import_command_exits_0_when_every_line_is_imported(tmp_path: Path) -> None:
    call_command("import", str(write(tmp_path, line(CALL))), "--no-score")

    assert Contact.objects.count() == 1


def test_the_import_command_exits_2_when_the_file_cannot_be_read(tmp_path: Path) -> None:
    path = write(tmp_path, line(CALL).decode().encode("utf-16"))

    with pytest.raises(CommandError) as raised:
        call_command("import", str(path), "--no-score")

    assert raised.value.returncode == 2
    assert "UTF-16" in str(raised.value)
    assert not Contact.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_a_row_postgresql_refuses_during_copy_rejects_only_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Everything the reader knows no column holds it refuses itself; to see the database
    # refuse a row, let a queue code longer than its column through.
    monkeypatch.setitem(import_batches._LIMITS, "queue", 10_000)
    nul = {**CALL, "id": "N1", "queue": "Q" * 100}
    report = import_file(write(tmp_path, line(CALL), line(nul), line({**CALL, "id": "C3"})))

    assert (report.imported, report.rejected) == (2, 1)
    assert report.errors[0].line == 2
    assert "database refused" in report.errors[0].reason


# --- `contacts_import_file`: on PostgreSQL a file is read by worker processes, chunk by chunk
# (tiny chunks here, so that lines, ids and batches cross chunk boundaries); elsewhere, and
# with workers=0, it is read in this process. Either way the outcome is the same.


def import_path(
    path: Path,
    *,
    workers: int = 2,
    chunk_bytes: int = 300,
    batch_size: int = 3,
    score: bool = False,
) -> ImportReport:
    return contacts_import_file(
        str(path),
        tz=get_default_timezone(),
        workers=workers,
        chunk_bytes=chunk_bytes,
        batch_size=batch_size,
        on_stored=scoring(score),
    )


@pytest.mark.parametrize("workers", [0, 1, 2])
def test_bad_lines_keep_their_file_line_numbers_across_chunks(tmp_path: Path, workers: int) -> None:
    lines = [
        line(CALL),  # 1
        b"\n",  # 2: blank lines are counted, never reported
        b"{not json\n",  # 3
        *[line({**CALL, "id": f"G{n}"}) for n in range(4, 9)],  # 4-8
        b"   \n",  # 9
        line({**CALL, "id": "C10", "rings": "three"}),  # 10
        line({**CALL, "id": "C11", "channel": "x" * 40}),  # 11: too long for its column
        *[line({**CALL, "id": f"G{n}"}) for n in range(12, 20)],  # 12-19
        line({"turns": CALL["turns"]}),  # 20
        line({**CALL, "id": "C21"}).rstrip(b"\n"),  # 21: the last line has no line break
    ]
    report = import_path(write(tmp_path, *lines), workers=workers)

    assert [e.line for e in report.errors] == [3, 10, 11, 20]
    assert report.errors[1].id == "C10"
    assert "'channel' is longer than 32" in report.errors[2].reason
    assert (report.read, report.imported, report.rejected) == (19, 15, 4)
    stored = set(Contact.objects.values_list("external_id", flat=True))
    assert stored == {"C1", "C21"} | {f"G{n}" for n in [*range(4, 9), *range(12, 20)]}


@pytest.mark.parametrize(("workers", "batch_size"), [(0, 3), (2, 3), (2, 2000)])
def test_a_later_line_wins_across_chunks_and_batches(
    tmp_path: Path, workers: int, batch_size: int
) -> None:
    cdr = {key: value for key, value in CALL.items() if key != "turns"}
    lines = [
        line({**CALL, "recording": "nas://C1.wav"}),
        *[line({**CALL, "id": f"G{n}"}) for n in range(8)],
        line({**cdr, "disposition": "transferred"}),  # no turns, no recording: both stay
        line({**CALL, "id": "G3", "turns": [{"speaker": "agent", "text": "再见"}]}),
    ]
    report = import_path(write(tmp_path, *lines), workers=workers, batch_size=batch_size)

    assert (report.read, report.imported, report.updated, report.rejected) == (11, 9, 2, 0)
    c1 = Contact.objects.get(external_id="C1")
    assert (c1.disposition, c1.turn_count, len(texts(c1))) == ("transferred", 2, 2)
    assert list(c1.recordings.values_list("uri", flat=True)) == ["nas://C1.wav"]
    g3 = Contact.objects.get(external_id="G3")
    assert (g3.turn_count, texts(g3)) == (1, ["再见"])


def snapshot() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    contacts = Contact.objects.order_by("external_id").values_list(
        "external_id", "channel", "direction", "queue__code", "agent__code", "customer__code",
        "queued_at", "started_at", "answered_at", "ended_at", "disposition", "hangup_by",
        "tags", "rings", "wait_s", "talk_s", "hold_s", "acw_s", "holds", "turn_count", "extra",
    )  # fmt: skip
    turns = TurnRow.objects.order_by("contact__external_id", "index").values_list(
        "contact__external_id", "index", "speaker", "text", "start", "end"
    )
    return list(contacts), list(turns)


def test_worker_processes_store_what_one_process_stores(tmp_path: Path) -> None:
    org = demo_org(3, agents=8)
    records = list(generate_contacts(org, seed=3, start=date(2026, 3, 1), days=3))
    records[5]["extra_field"] = {"b": 1, "a": [1.5, "制表\t符"]}
    records[7]["turns"][0]["text"] = "反斜杠 \\ 换行\n回车\r制表\t结束"
    records[9] = {
        "id": "T\t9\\",
        "channel": "网\n聊",
        "queue": "Q\\1",
        "queued_at": "2026-03-01 09:00:00.123456",  # no offset: read in the default zone
        "started_at": "2026-03-01T01:00:01Z",
        "turns": [{"speaker": "bot", "text": "无时间"}, {"speaker": "customer", "text": "\\N"}],
        "holds": [{"start": 1, "end": 2.5}],
        "rings": 3,
        "wait_s": 1e-7,
        "talk_s": 12345678.125,
        "recording": "nas://rec/T 9.wav",
    }
    path = write(tmp_path, *[line(record) for record in records])

    one = import_file(path)
    expected = snapshot()
    Contact.objects.all().delete()
    assert not TurnRow.objects.exists()  # the contact's turns go with it
    many = import_path(path, chunk_bytes=4096, batch_size=50)

    assert (many.read, many.imported, many.rejected) == (one.read, one.imported, 0)
    assert snapshot() == expected
    assert len(expected[0]) == len(records)
    assert len(expected[1]) == sum(len(record.get("turns", ())) for record in records)
    # What needs escaping or converting on the way in arrives as it was.
    odd = Contact.objects.get(external_id="T\t9\\")
    assert (odd.channel, odd.queue.code if odd.queue else None) == ("网\n聊", "Q\\1")
    assert odd.queued_at == datetime(2026, 3, 1, 1, 0, 0, 123456, tzinfo=UTC)
    assert (odd.wait_s, odd.talk_s, odd.holds) == (1e-7, 12345678.125, [{"start": 1, "end": 2.5}])
    assert list(odd.turns.order_by("index").values_list("text", "start", "end")) == [
        ("无时间", None, None),
        ("\\N", None, None),
    ]
    assert list(odd.recordings.values_list("uri", flat=True)) == ["nas://rec/T 9.wav"]
    assert Contact.objects.get(external_id=records[5]["id"]).extra["extra_field"] == {
        "b": 1,
        "a": [1.5, "制表\t符"],
    }
    assert (
        texts(Contact.objects.get(external_id=records[7]["id"]))[0]
        == records[7]["turns"][0]["text"]
    )


def test_reading_again_what_is_stored_changes_nothing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
    standard_version: Any,
) -> None:
    task = RecordingTask()
    monkeypatch.setattr(quality_tasks, "listen_and_score", task)
    record = {**CALL, "holds": [{"start": 1.0, "end": 2.5}], "ivr": {"path": [1, 3], "node": "A"}}
    with django_capture_on_commit_callbacks(execute=True):
        import_path(write(tmp_path, line(record)), score=True)
    assert len(task.enqueued) == 1
    contacts_score(contact_ids=task.enqueued, version=standard_version)
    task.enqueued.clear()

    # The same contact: the same instant in another zone, JSON keys in another order.
    same = {**record, "started_at": "2026-10-01T01:00:05Z", "ivr": {"node": "A", "path": [1, 3]}}
    with django_capture_on_commit_callbacks(execute=True):
        report = import_path(write(tmp_path, line(same)), score=True)
    assert (report.updated, task.enqueued) == (1, [])

    changed = {**same, "ivr": {"node": "B", "path": [1, 3]}}
    with django_capture_on_commit_callbacks(execute=True):
        import_path(write(tmp_path, line(changed)), score=True)
    assert task.enqueued == [Contact.objects.get().pk]


def test_a_file_with_a_byte_order_mark_is_read_in_chunks(tmp_path: Path) -> None:
    lines = [line({**CALL, "id": f"B{n}"}) for n in range(6)]
    report = import_path(write(tmp_path, codecs.BOM_UTF8, *lines, b"{oops\n"))

    assert (report.imported, [e.line for e in report.errors]) == (6, [7])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_a_row_postgresql_refuses_in_a_worker_chunk_rejects_only_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(import_batches._LIMITS, "queue", 10_000)  # as above; the workers fork
    nul = {**CALL, "id": "N1", "queue": "Q" * 100}
    lines = [line({**CALL, "id": f"G{n}"}) for n in range(7)]
    report = import_path(write(tmp_path, *lines[:4], line(nul), *lines[4:]))

    assert (report.imported, report.rejected) == (7, 1)
    assert (report.errors[0].line, report.errors[0].id) == (5, "N1")
    assert "database refused" in report.errors[0].reason


def test_the_import_command_reads_with_workers_and_reports_file_line_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, line(CALL), b"\n", b"{oops\n", line({**CALL, "id": "C2"}))
    errors = tmp_path / "errors.jsonl"

    with pytest.raises(CommandError):
        call_command("import", str(path), "--workers", "2", "--errors", str(errors), "--no-score")

    assert [orjson.loads(row)["line"] for row in errors.read_bytes().splitlines()] == [3]
    assert "read 3 · imported 2 · updated 0 · rejected 1" in capsys.readouterr().out


@pytest.mark.parametrize("workers", [0, 1])
def test_a_value_no_database_can_store_is_a_line_error_and_the_batch_is_still_scored(
    tmp_path: Path,
    workers: int,
    standard_version: Any,
    client_for: Any,
    qa_zhao: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    bad = [
        {**CALL, "id": "B1", "started_at": "0001-01-01T00:00:00+08:00"},
        {**CALL, "id": "B2", "started_at": "9999-12-31T23:00:00-08:00"},
        {**CALL, "id": "B3", "queued_at": "0001-01-01T05:00:00"},
        {**CALL, "id": "B4", "rings": 40000},
        {**CALL, "id": "B5", "wait_s": 1e30},
        {**CALL, "id": "B6", "turns": [{"speaker": "agent", "text": "您\u0000好"}]},
        {**CALL, "id": "B7", "extra_note": {"n": "\u0000"}},
    ]
    path = write(
        tmp_path,
        line(CALL),
        *(line(record) for record in bad),
        b'{"id": "B8", "turns": []}\x00\n',
        line({**CALL, "id": "C2"}),
    )
    errors = tmp_path / "errors.jsonl"

    with (
        pytest.raises(CommandError) as raised,
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("import", str(path), "--errors", str(errors), "--sync", f"--workers={workers}")

    assert raised.value.returncode == 1
    rejected = [orjson.loads(row) for row in errors.read_bytes().splitlines()]
    assert [row["line"] for row in rejected] == list(range(2, 10))
    assert "out of range" in rejected[0]["reason"]
    assert "NUL" in rejected[-1]["reason"]
    stored = Contact.objects.order_by("external_id")
    assert [(c.external_id, c.current_score is not None) for c in stored] == [
        ("C1", True),
        ("C2", True),
    ]
    assert client_for(qa_zhao).get("/contacts/").status_code == 200
