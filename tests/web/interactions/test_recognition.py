"""Calls imported without a transcript are recognised by the task worker when a speech model
is set (LINGTING_ASR_MODEL), stored as the contact's turns, searched and scored like any
other; a transcript is never replaced, and a missing or broken model never stops the worker.

The model is the tiny one sherpa-onnx really runs (tests/engine/tiny_asr_model.py): it says
啊 for each syllable it hears."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.timezone import get_default_timezone

from lingting.core.models import User
from lingting.engine.reader import read_contacts_file
from lingting.interactions import speech_model
from lingting.interactions.checks import asr_model_found
from lingting.interactions.models import Contact, Listening, Recording, Turn
from lingting.interactions.search import search_condition
from lingting.interactions.services import contacts_import
from lingting.interactions.services.listening import listen_recording, recordings_listen
from lingting.quality.models import ContactScore
from lingting.quality.services import scorecard_version_ensure_current
from lingting.quality.tasks import score_after_import
from tests.engine.call_audio import call, voiced, write_wav
from tests.engine.tiny_asr_model import METADATA, SYLLABLES_PER_SECOND, TOKEN, build_tiny_model

pytestmark = pytest.mark.django_db

RATE = 8000
AGENT = (0.5, 3.5)  # seconds, on channel 0
CUSTOMER = (4.5, 6.5)  # on channel 1


@pytest.fixture(scope="module", autouse=True)
def _model_process_ended() -> Iterator[None]:
    yield
    speech_model.shut_down()  # the process that held the model, started by these tests


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # One folder for the module: the model is loaded once, as in a worker.
    return build_tiny_model(tmp_path_factory.mktemp("model"))


@pytest.fixture
def root(settings: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "recordings"
    folder.mkdir()
    settings.LINGTING_RECORDINGS_ROOT = folder
    return folder


@pytest.fixture
def asr_model(settings: Any, tiny_model: Path) -> Path:
    settings.LINGTING_ASR_MODEL = str(tiny_model)
    return tiny_model


def stereo_call(path: Path) -> Path:
    """The agent speaks on channel 0, then the customer on channel 1 (AGENT, CUSTOMER)."""
    placed = [
        (0, AGENT[0], voiced(AGENT[1] - AGENT[0], RATE)),
        (1, CUSTOMER[0], voiced(CUSTOMER[1] - CUSTOMER[0], RATE, seed=1)),
    ]
    return write_wav(path, call(8, RATE, placed), RATE)


def untranscribed(make_contact: Any, uri: str) -> Recording:
    """A call record without turns whose recording is `uri`."""
    contact: Contact = make_contact(f"K-{uri}", turns=())
    return Recording.objects.create(contact=contact, uri=uri)


def stored_turns(contact_id: int) -> list[tuple[int, str, str, float | None, float | None]]:
    return list(
        Turn.objects.filter(contact_id=contact_id)
        .order_by("index")
        .values_list("index", "speaker", "text", "start", "end")
    )


# --- recognised while heard ---------------------------------------------------------------------


def test_a_stereo_call_without_a_transcript_gets_one_turn_per_side_with_its_times(
    make_contact: Any, root: Path, asr_model: Path
) -> None:
    stereo_call(root / "call.wav")
    recording = untranscribed(make_contact, "call.wav")

    listening = listen_recording(recording)

    turns = stored_turns(recording.contact_id)
    assert [(index, speaker) for index, speaker, *_ in turns] == [(0, "agent"), (1, "customer")]
    for (_, _, text, start, end), (said_from, said_to) in zip(
        turns, [AGENT, CUSTOMER], strict=True
    ):
        assert start == pytest.approx(said_from, abs=0.06)
        assert end == pytest.approx(said_to, abs=0.06)
        assert set(text) == {TOKEN}
        assert len(text) == pytest.approx(SYLLABLES_PER_SECOND * (said_to - said_from), abs=1)
    recording.contact.refresh_from_db()
    assert recording.contact.turn_count == 2
    # What was heard is kept as ever, with what came of the recognition.
    assert listening.error == ""
    assert listening.metrics is not None
    assert listening.metrics["agent_talk_s"] == pytest.approx(3.0, abs=0.1)
    assert listening.metrics["recognition"] == {
        "turns": 2,
        "by": f"the NeMo CTC model in {asr_model} (model.onnx), on the CPU",
    }


def test_the_recognised_words_are_found_by_search(
    make_contact: Any, root: Path, asr_model: Path, qa_zhao: User
) -> None:
    stereo_call(root / "call.wav")
    recording = untranscribed(make_contact, "call.wav")

    listen_recording(recording)

    found = Contact.objects.filter(search_condition(user=qa_zhao, query=TOKEN * 2))
    assert list(found) == [recording.contact]


def test_a_contact_with_a_transcript_keeps_it(
    make_contact: Any, root: Path, asr_model: Path
) -> None:
    stereo_call(root / "call.wav")
    contact: Contact = make_contact("C-TOLD")  # imported with its two turns
    before = stored_turns(contact.pk)
    recording = Recording.objects.create(contact=contact, uri="call.wav")

    listening = listen_recording(recording)

    assert stored_turns(contact.pk) == before
    assert listening.metrics is not None
    assert "recognition" not in listening.metrics


def test_a_transcript_imported_while_the_call_was_recognised_is_kept(
    make_contact: Any, root: Path, asr_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lingting.interactions.services import recognition

    stereo_call(root / "call.wav")
    recording = untranscribed(make_contact, "call.wav")
    imported = [(0, "agent", "您好，请讲。", 0.5, 3.5)]

    def recognise_while_imported(*args: Any, **kwargs: Any) -> speech_model.Recognised:
        said = speech_model.recognise(*args, **kwargs)
        Turn.objects.create(
            contact_id=recording.contact_id,
            index=0,
            speaker="agent",
            text="您好，请讲。",
            start=0.5,
            end=3.5,
        )
        Contact.objects.filter(pk=recording.contact_id).update(turn_count=1)
        return said

    monkeypatch.setattr(recognition, "recognise", recognise_while_imported)

    listening = listen_recording(recording)

    assert stored_turns(recording.contact_id) == imported
    assert listening.metrics is not None
    assert "recognition" not in listening.metrics


def test_a_mono_call_gets_no_turns_and_says_why(
    make_contact: Any, root: Path, asr_model: Path
) -> None:
    mono = call(8, RATE, [(0, 0.5, voiced(3, RATE)), (0, 4.5, voiced(2, RATE, seed=1))], 1)
    write_wav(root / "mono.wav", mono, RATE)
    recording = untranscribed(make_contact, "mono.wav")

    listening = listen_recording(recording)

    assert stored_turns(recording.contact_id) == []
    assert listening.error == ""
    assert listening.metrics is not None
    assert listening.metrics["recognition"] == {
        "turns": 0,
        "why": "a mono recording mixes both sides: who said what is unknown, so no turns"
        " are stored",
    }


def test_without_a_model_set_nothing_is_recognised(make_contact: Any, root: Path) -> None:
    stereo_call(root / "call.wav")
    recording = untranscribed(make_contact, "call.wav")

    listening = listen_recording(recording)

    assert stored_turns(recording.contact_id) == []
    assert listening.metrics is not None
    assert "recognition" not in listening.metrics


# --- a folder that is not a model ---------------------------------------------------------------


def test_a_folder_without_a_model_keeps_why_and_the_call_is_still_heard(
    make_contact: Any, root: Path, settings: Any, tmp_path: Path
) -> None:
    empty = tmp_path / "models"
    empty.mkdir()
    settings.LINGTING_ASR_MODEL = str(empty)
    stereo_call(root / "call.wav")
    recording = untranscribed(make_contact, "call.wav")

    listening = listen_recording(recording)

    assert stored_turns(recording.contact_id) == []
    assert listening.error == ""  # the recording itself was heard
    assert listening.waveform is not None
    assert listening.metrics is not None
    assert listening.metrics["agent_talk_s"] == pytest.approx(3.0, abs=0.1)
    assert listening.metrics["recognition"]["turns"] == 0
    assert listening.metrics["recognition"]["why"].startswith(
        f"{empty}: not a speech recognition model: no tokens.txt"
    )


def test_a_model_that_ends_sherpa_onnx_leaves_the_worker_going(
    make_contact: Any, root: Path, settings: Any, tmp_path: Path, tiny_model: Path
) -> None:
    # sherpa-onnx ends the process that loads a NeMo model without its vocabulary size.
    without_vocabulary = {k: v for k, v in METADATA.items() if k != "vocab_size"}
    broken = build_tiny_model(tmp_path / "broken", metadata=without_vocabulary)
    settings.LINGTING_ASR_MODEL = str(broken)
    stereo_call(root / "first.wav")
    stereo_call(root / "second.wav")
    first = untranscribed(make_contact, "first.wav")
    second = untranscribed(make_contact, "second.wav")

    heard = [listen_recording(first), listen_recording(second)]

    stopped = f"sherpa-onnx stopped while loading or running the model in {broken}"
    for listening in heard:
        assert listening.error == ""
        assert listening.metrics is not None
        assert listening.metrics["recognition"] == {"turns": 0, "why": stopped}
    # The folder mended (here: set to a good one), the next listening recognises the call.
    settings.LINGTING_ASR_MODEL = str(tiny_model)
    assert len(recordings_listen(contact_ids=[first.contact_id])) == 1
    assert len(stored_turns(first.contact_id)) == 2


def test_the_check_names_the_folder_and_what_it_lacks(
    settings: Any, tmp_path: Path, tiny_model: Path
) -> None:
    settings.LINGTING_ASR_MODEL = ""
    assert asr_model_found() == []
    settings.LINGTING_ASR_MODEL = str(tiny_model)
    assert asr_model_found() == []

    settings.LINGTING_ASR_MODEL = str(tmp_path / "nowhere")
    (warning,) = asr_model_found()

    assert warning.id == "interactions.W001"
    assert warning.msg.startswith(f"LINGTING_ASR_MODEL: {tmp_path / 'nowhere'}: no such folder")


# --- heard again to be recognised ---------------------------------------------------------------


def test_a_call_heard_before_a_model_was_set_is_recognised_by_the_next_listening(
    make_contact: Any, root: Path, settings: Any, tiny_model: Path
) -> None:
    stereo_call(root / "call.wav")
    recording = untranscribed(make_contact, "call.wav")
    contact_ids = [recording.contact_id]
    assert len(recordings_listen(contact_ids=contact_ids)) == 1

    settings.LINGTING_ASR_MODEL = str(tiny_model)
    assert len(recordings_listen(contact_ids=contact_ids)) == 1
    assert len(stored_turns(recording.contact_id)) == 2
    # Recognised, it is not heard again for that.
    assert len(recordings_listen(contact_ids=contact_ids)) == 0


# --- imported, recognised by the task worker, scored, shown -------------------------------------


# The worker commits and closes its connection as in production: no test transaction.
@pytest.mark.django_db(transaction=True)
def test_a_call_record_with_a_recording_is_recognised_scored_and_shown(
    tmp_path: Path, root: Path, asr_model: Path, org: Any, client_for: Any, agent_li: User
) -> None:
    stereo_call(root / "K1.wav")
    line = {"id": "K1", "channel": "voice", "agent_id": "A1001", "recording": "K1.wav"}
    path = tmp_path / "cdr.jsonl"
    path.write_bytes(orjson.dumps(line) + b"\n")
    scorecard_version_ensure_current()
    contacts_import(
        lines=read_contacts_file(str(path), tz=get_default_timezone()),
        on_stored=score_after_import(in_process=False),
        in_process=False,
    )

    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)

    contact = Contact.objects.get(external_id="K1")
    assert [speaker for _, speaker, *_ in stored_turns(contact.pk)] == ["agent", "customer"]
    assert Listening.objects.get(recording__contact=contact).metrics["recognition"]["turns"] == 2
    assert contact.current_score is not None
    assert ContactScore.objects.filter(contact=contact).count() == 1
    page = client_for(agent_li).get(reverse("interactions:contact_detail", args=[contact.pk]))
    assert TOKEN * 4 in page.content.decode()
