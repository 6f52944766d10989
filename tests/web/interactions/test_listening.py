"""Contacts' recordings are listened to after import, and what was heard is kept per recording:
the `lingting listen` line, the waveform, or why the file could not be heard."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import orjson
import pytest
from django.core.management import call_command
from django.utils.timezone import get_default_timezone
from django_tasks_db.models import DBTaskResult

from lingting.engine.reader import read_contacts_file
from lingting.interactions.models import Contact, Listening, Recording
from lingting.interactions.services import contacts_import, contacts_import_file
from lingting.interactions.services.listening import listen_recording, recordings_listen
from lingting.interactions.tasks import listen_to_recordings
from tests.engine.call_audio import call, voiced, write_wav

pytestmark = [
    pytest.mark.django_db,
    # PostgreSQL's import forks reader processes (as in test_import.py).
    pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning"),
]

RATE = 8000


@pytest.fixture
def root(settings: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "recordings"
    folder.mkdir()
    settings.LINGTING_RECORDINGS_ROOT = folder
    return folder


def stereo_call(path: Path, *, agent_s: float = 3.0, customer_s: float = 2.0) -> Path:
    """Agent from 0.5 s on channel 0, then the customer on channel 1 after a 1-second pause."""
    samples = call(
        agent_s + customer_s + 2,
        RATE,
        [(0, 0.5, voiced(agent_s, RATE)), (1, agent_s + 1.5, voiced(customer_s, RATE, seed=1))],
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_wav(path, samples, RATE)


def recorded(make_contact: Any, uri: str) -> Recording:
    contact: Contact = make_contact(f"C-{uri[-12:]}")
    return Recording.objects.create(contact=contact, uri=uri)


def later(path: Path) -> None:
    """Mark `path` as written a minute from now, as a recorder rewriting it later would."""
    moment = time.time() + 60
    os.utime(path, (moment, moment))


# --- one recording ------------------------------------------------------------------------------


def test_a_stereo_recording_keeps_its_listen_line_and_two_lane_waveform(
    make_contact: Any, root: Path
) -> None:
    stereo_call(root / "2026" / "call.wav")
    recording = recorded(make_contact, "2026/call.wav")

    listening = listen_recording(recording)

    assert listening.error == ""
    metrics = listening.metrics
    assert metrics is not None
    assert metrics["file"] == "2026/call.wav"
    assert metrics["channels"] == 2
    assert metrics["duration_s"] == 7.0
    assert metrics["agent_talk_s"] == pytest.approx(3.0, abs=0.1)
    assert metrics["customer_talk_s"] == pytest.approx(2.0, abs=0.1)
    assert metrics["longest_silence_s"] == pytest.approx(1.0, abs=0.1)
    drawn = listening.waveform
    assert drawn is not None
    assert drawn["duration_s"] == 7.0
    assert len(drawn["lanes"]["agent"]) == len(drawn["lanes"]["customer"]) == 800
    assert Listening.objects.get(recording=recording) == listening


def test_the_agent_channel_setting_says_which_side_is_the_agent(
    make_contact: Any, root: Path, settings: Any
) -> None:
    stereo_call(root / "call.wav", agent_s=3.0, customer_s=1.0)
    settings.LINGTING_AGENT_CHANNEL = 1

    listening = listen_recording(recorded(make_contact, "call.wav"))

    assert listening.metrics is not None
    assert listening.metrics["agent_talk_s"] == pytest.approx(1.0, abs=0.1)
    assert listening.metrics["customer_talk_s"] == pytest.approx(3.0, abs=0.1)
    assert listening.waveform is not None
    assert max(listening.waveform["lanes"]["customer"][:300]) > 0.1  # channel 0 speaks first


def test_a_mono_recording_has_one_lane_and_no_per_speaker_figures(
    make_contact: Any, root: Path
) -> None:
    write_wav(root / "mono.wav", call(3, RATE, [(0, 0.5, voiced(2, RATE))], channels=1), RATE)

    listening = listen_recording(recorded(make_contact, "mono.wav"))

    assert listening.metrics is not None
    assert listening.metrics["channels"] == 1
    assert listening.metrics["agent_talk_s"] is None
    assert listening.waveform is not None
    assert list(listening.waveform["lanes"]) == ["mono"]


@pytest.mark.parametrize(
    ("uri", "reason"),
    [
        ("2026/missing.wav", "找不到录音文件：2026/missing.wav"),
        ("../elsewhere.wav", "录音不在录音目录（LINGTING_RECORDINGS_ROOT）之内：../elsewhere.wav"),
        ("notes.txt", "不是音频文件：notes.txt"),
        ("garbage.wav", "录音无法分析（garbage.wav）：not a WAV file"),
        ("short.wav", "录音无法分析（short.wav）：truncated"),
        ("float.wav", "录音无法分析（float.wav）：unsupported encoding: 32-bit IEEE float"),
    ],
)
def test_a_recording_that_cannot_be_heard_keeps_why_and_nothing_else(
    make_contact: Any, root: Path, uri: str, reason: str
) -> None:
    stereo_call(root.parent / "elsewhere.wav")  # a real call, but outside the folder
    (root / "notes.txt").write_text("not audio")
    (root / "garbage.wav").write_bytes(b"\x00" * 100)
    whole = stereo_call(root / "whole.wav").read_bytes()
    (root / "short.wav").write_bytes(whole[: len(whole) // 2])
    (root / "float.wav").write_bytes(float_wav_header())
    recording = recorded(make_contact, uri)

    listening = listen_recording(recording)

    assert listening.error.startswith(reason)
    assert listening.metrics is None
    assert listening.waveform is None


def float_wav_header() -> bytes:
    """A WAV header announcing 32-bit float samples (which call recorders never write)."""
    import struct

    fmt = struct.pack("<HHIIHH", 3, 1, RATE, RATE * 4, 4, 32)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + b"\0\0\0\0"
    return b"RIFF" + struct.pack("<I", len(body)) + body


def test_listening_again_replaces_the_result_of_the_recording(
    make_contact: Any, root: Path
) -> None:
    recording = recorded(make_contact, "call.wav")
    first = listen_recording(recording)  # not there yet
    stereo_call(root / "call.wav", agent_s=4.0)

    second = listen_recording(recording)

    assert first.error.startswith("找不到录音文件")
    assert second.error == ""
    assert second.metrics is not None
    assert second.metrics["agent_talk_s"] == pytest.approx(4.0, abs=0.1)
    assert Listening.objects.filter(recording=recording).count() == 1
    assert Listening.objects.get().pk == first.pk


def test_a_fault_of_the_listening_itself_is_kept_as_the_error_and_never_raised(
    make_contact: Any, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lingting.interactions.services import listening as service

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(service, "waveform", broken)
    stereo_call(root / "call.wav")

    listening = listen_recording(recorded(make_contact, "call.wav"))

    assert listening.error == "分析录音时出错（call.wav）：a bug"


# --- a batch of contacts ------------------------------------------------------------------------


def test_each_contact_is_heard_by_its_latest_recording(make_contact: Any, root: Path) -> None:
    contact: Contact = make_contact("C-TWO")
    older = Recording.objects.create(contact=contact, uri="first.wav")
    latest = Recording.objects.create(contact=contact, uri="second.wav")
    stereo_call(root / "first.wav")
    stereo_call(root / "second.wav")
    silent: Contact = make_contact("C-NONE")

    assert len(recordings_listen(contact_ids=[contact.pk, silent.pk])) == 1

    assert not Listening.objects.filter(recording=older).exists()
    assert Listening.objects.get(recording=latest).error == ""


def test_a_recording_heard_since_its_file_changed_is_not_heard_again_unless_asked(
    make_contact: Any, root: Path
) -> None:
    path = stereo_call(root / "call.wav")
    recording = recorded(make_contact, "call.wav")
    contact_ids = [recording.contact_id]
    assert len(recordings_listen(contact_ids=contact_ids)) == 1
    heard_at = Listening.objects.get().listened_at

    assert len(recordings_listen(contact_ids=contact_ids)) == 0
    assert Listening.objects.get().listened_at == heard_at
    assert len(recordings_listen(contact_ids=contact_ids, again=True)) == 1

    stereo_call(path, agent_s=4.5)  # the recorder rewrote it
    later(path)
    assert len(recordings_listen(contact_ids=contact_ids)) == 1
    metrics = Listening.objects.get().metrics
    assert metrics is not None
    assert metrics["agent_talk_s"] == pytest.approx(4.5, abs=0.1)


def test_a_recording_that_could_not_be_heard_is_tried_again(make_contact: Any, root: Path) -> None:
    recording = recorded(make_contact, "late.wav")
    recordings_listen(contact_ids=[recording.contact_id])
    stereo_call(root / "late.wav")  # the recording platform delivers it after the import

    assert len(recordings_listen(contact_ids=[recording.contact_id])) == 1
    assert Listening.objects.get().error == ""


# --- after an import ----------------------------------------------------------------------------


def contact_line(contact_id: str, recording: str | None) -> bytes:
    record: dict[str, Any] = {
        "id": contact_id,
        "channel": "voice",
        "agent_id": "A1001",
        "started_at": "2026-10-01T09:00:05+08:00",
        "turns": [
            {"speaker": "agent", "start": 0.5, "end": 3.5, "text": "您好，很高兴为您服务。"},
            {"speaker": "customer", "start": 4.5, "end": 6.5, "text": "我想问一下话费。"},
        ],
    }
    if recording is not None:
        record["recording"] = recording
    return orjson.dumps(record) + b"\n"


def queued_listening() -> list[list[int]]:
    """The contact ids of each listening task waiting for the worker."""
    queued = DBTaskResult.objects.filter(task_path__endswith="listen_to_recordings")
    return [result.args_kwargs["args"][0] for result in queued.order_by("enqueued_at")]


def run_queued_listening() -> None:
    for contact_ids in queued_listening():
        listen_to_recordings.call(contact_ids)


def import_lines(tmp_path: Path, *lines: bytes, workers: int = 0) -> None:
    path = tmp_path / "contacts.jsonl"
    path.write_bytes(b"".join(lines))
    # Workers > 0 reads the file in reader processes on PostgreSQL (the COPY path).
    contacts_import_file(str(path), tz=get_default_timezone(), workers=workers)


def ids(*external_ids: str) -> list[int]:
    by_id = dict(Contact.objects.values_list("external_id", "id"))
    return sorted(by_id[external_id] for external_id in external_ids)


@pytest.mark.parametrize("workers", [0, 1])
def test_the_import_queues_the_contacts_with_a_recording_for_the_worker_to_hear(
    tmp_path: Path, root: Path, org: Any, workers: int
) -> None:
    stereo_call(root / "2026" / "C1.wav")
    import_lines(
        tmp_path,
        contact_line("C1", "2026/C1.wav"),
        contact_line("C2", "2026/C2.wav"),  # not delivered yet
        contact_line("C3", None),
        workers=workers,
    )

    assert [sorted(batch) for batch in queued_listening()] == [ids("C1", "C2")]
    assert not Listening.objects.exists()  # the worker's to do

    run_queued_listening()

    heard = {
        listening.recording.contact.external_id: listening
        for listening in Listening.objects.select_related("recording__contact")
    }
    assert set(heard) == {"C1", "C2"}
    assert heard["C1"].error == ""
    assert heard["C1"].metrics is not None
    assert heard["C1"].metrics["agent_talk_s"] == pytest.approx(3.0, abs=0.1)
    assert heard["C2"].error == "找不到录音文件：2026/C2.wav"


@pytest.mark.parametrize("workers", [0, 1])
def test_importing_a_contact_again_replaces_what_was_heard(
    tmp_path: Path, root: Path, org: Any, workers: int
) -> None:
    import_lines(tmp_path, contact_line("C1", "C1.wav"), workers=workers)
    run_queued_listening()  # the file is not there yet
    DBTaskResult.objects.all().delete()
    stereo_call(root / "C1.wav")

    import_lines(tmp_path, contact_line("C1", "C1.wav"), workers=workers)
    run_queued_listening()

    assert queued_listening() == [ids("C1")]
    listening = Listening.objects.get()
    assert listening.error == ""
    assert listening.metrics is not None

    # A new recording for the contact: it is the one heard, and its page's.
    stereo_call(root / "C1-again.wav", agent_s=4.0)
    import_lines(tmp_path, contact_line("C1", "C1-again.wav"), workers=workers)
    run_queued_listening()
    latest = Listening.objects.get(recording__uri="C1-again.wav")
    assert latest.metrics is not None
    assert latest.metrics["agent_talk_s"] == pytest.approx(4.0, abs=0.1)


def test_a_cdr_refresh_without_recordings_queues_no_listening(tmp_path: Path, org: Any) -> None:
    import_lines(tmp_path, contact_line("C1", None), contact_line("C2", None))

    assert queued_listening() == []


def test_an_import_in_process_hears_the_recordings_once_its_batch_commits(
    root: Path, org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    stereo_call(root / "C1.wav")
    path = root / "contacts.jsonl"
    path.write_bytes(contact_line("C1", "C1.wav"))
    lines = read_contacts_file(str(path), tz=get_default_timezone())

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        contacts_import(lines=lines, in_process=True)
    assert not Listening.objects.exists()  # not inside the batch's transaction
    for callback in callbacks:
        callback()

    assert queued_listening() == []
    assert Listening.objects.get().error == ""


def test_the_listen_recordings_command_hears_stored_contacts(make_contact: Any, root: Path) -> None:
    from io import StringIO

    stereo_call(root / "a.wav")
    recorded(make_contact, "a.wav")
    recorded(make_contact, "gone.wav")
    out = StringIO()

    call_command("listen_recordings", stdout=out)
    call_command("listen_recordings", stdout=out)
    call_command("listen_recordings", "--again", stdout=out)

    said = [line.split(" in ")[0] for line in out.getvalue().splitlines()]
    assert said == [
        "listened to 2 recordings (1 could not be heard) of 2 contacts with a recording",
        # The one heard is left as it is; the missing file is looked for again.
        "listened to 1 recordings (1 could not be heard) of 2 contacts with a recording",
        "listened to 2 recordings (1 could not be heard) of 2 contacts with a recording",
    ]
