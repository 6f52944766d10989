"""The demo's calls with recordings: built from the two voices shipped in the package, each
turn of a transcript where its voice is heard and saying what that voice says."""

from __future__ import annotations

import hashlib
import math
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest

import lingting
from lingting.demo.generator.recorded_calls import (
    AUDIO,
    RATE,
    RecordedCall,
    call_records,
    recorded_calls,
    voices,
    write_call,
)
from lingting.engine.contacts import contact_from_record
from lingting.engine.listening import call_metrics, listen
from tests.engine.call_audio import ZH_SPEECH, needs_zh_speech

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Each demo call by its key, with what `lingting listen` hears in it.
Heard = dict[str, tuple[RecordedCall, dict[str, Any]]]


@pytest.fixture(scope="module")
def heard(tmp_path_factory: pytest.TempPathFactory) -> Heard:
    """Each demo call, written as the demo writes it, and what `lingting listen` hears."""
    folder = tmp_path_factory.mktemp("recordings")
    calls = {}
    for call in recorded_calls():
        path = folder / f"{call.key}.wav"
        write_call(path, call)
        calls[call.key] = (call, call_metrics(listen(path)))
    return calls


def test_the_voices_ship_inside_the_package_with_their_credits() -> None:
    package = Path(lingting.__file__).resolve().parent
    assert AUDIO.is_relative_to(package)
    assert (AUDIO / "CREDITS.md").is_file()
    agent, customer = voices()
    assert agent.text == "欢迎大家来体验达摩院推出的语音识别模型"
    assert customer.text == "广州市房地产中介协会分析"
    # Trimmed to their speech: a few seconds each.
    assert 3.0 < customer.seconds < agent.seconds < 5.0


@needs_zh_speech
def test_the_shipped_voices_are_the_shared_recordings_unchanged() -> None:
    for name in ("aishell-BAC009S0724W0121.wav", "funasr_asr_example.wav"):
        shipped = hashlib.sha256((AUDIO / name).read_bytes()).hexdigest()
        shared = hashlib.sha256((ZH_SPEECH / name).read_bytes()).hexdigest()
        assert shipped == shared
        assert shipped in (AUDIO / "CREDITS.md").read_text()


def test_five_stereo_calls_the_agent_on_channel_0_the_customer_on_channel_1(
    heard: Heard,
) -> None:
    assert list(heard) == [
        "calm",
        "dead-air",
        "agent-talks-over",
        "customer-cuts-in",
        "raised-voice",
    ]
    for call, metrics in heard.values():
        assert metrics["channels"] == 2
        assert metrics["duration_s"] == pytest.approx(call.seconds, abs=0.01)
        samples = call.samples()
        for turn in call.turns:
            other = 1 if turn.speaker == "agent" else 0
            first, last = round(turn.start * RATE), round(turn.end * RATE)
            # Alone on its channel: nothing of it leaks into the other side's.
            alone = [t for t in call.turns if t.speaker != turn.speaker]
            if not any(t.start < turn.end and turn.start < t.end for t in alone):
                assert not samples[first:last, other].any()


def test_every_turn_is_where_listening_hears_its_voice(
    heard: Heard,
) -> None:
    for call, metrics in heard.values():
        turns = call.turn_records()
        segments = metrics["segments"]
        assert [s["speaker"] for s in segments] == [t["speaker"] for t in turns], call.key
        for turn, segment in zip(turns, segments, strict=True):
            assert segment["start"] == pytest.approx(turn["start"], abs=0.1), call.key
            assert segment["end"] == pytest.approx(turn["end"], abs=0.1), call.key


def test_each_call_shows_what_its_name_says(
    heard: Heard,
) -> None:
    figures = {key: metrics for key, (_, metrics) in heard.items()}
    assert figures["calm"]["overtalk_s"] == 0
    assert figures["calm"]["longest_silence_s"] < 1.0
    assert figures["dead-air"]["longest_silence_s"] == pytest.approx(12.0, abs=0.1)
    assert figures["agent-talks-over"]["agent_interruptions"] == 2
    assert figures["agent-talks-over"]["customer_interruptions"] == 0
    assert figures["customer-cuts-in"]["customer_interruptions"] == 2
    assert figures["customer-cuts-in"]["agent_interruptions"] == 0
    for key in ("agent-talks-over", "customer-cuts-in"):
        assert figures[key]["overtalk_s"] > 3.0
    # The two voices about level in every call but the last, where the customer is louder.
    for key in ("calm", "dead-air"):
        gap = figures[key]["customer_level_dbfs"] - figures[key]["agent_level_dbfs"]
        assert abs(gap) < 3.0
    assert figures["raised-voice"]["customer_level_dbfs"] > figures["calm"]["customer_level_dbfs"]


def test_the_customer_raises_their_voice_by_about_10_db_in_their_second_turn(
    heard: Heard,
) -> None:
    call, _ = heard["raised-voice"]
    samples = call.samples()[:, 1].astype(np.float64)
    first, second = (t for t in call.turns if t.speaker == "customer")

    def level(turn_start: float, turn_end: float) -> float:
        part = samples[round(turn_start * RATE) : round(turn_end * RATE)]
        return 20 * math.log10(float(np.sqrt(np.square(part).mean())) / 32768)

    jump = level(second.start, second.end) - level(first.start, first.end)
    assert jump == pytest.approx(10.0, abs=0.5)


def test_the_calls_are_valid_interaction_lines_naming_their_recordings() -> None:
    calls = recorded_calls()
    first = datetime(2026, 10, 31, 7, 30, tzinfo=SHANGHAI)

    records = list(
        call_records(calls, first_answered=first, agent_id="A1001", queue="ACD-01", folder="demo")
    )

    contacts = [contact_from_record(record, tz=SHANGHAI) for record in records]
    assert [c.id for c in contacts] == [f"C20261031-R0{n}" for n in range(1, 6)]
    assert [c.recording for c in contacts] == [f"demo/{call.key}.wav" for call in calls]
    assert all(c.agent_id == "A1001" for c in contacts)
    for contact, call in zip(contacts, calls, strict=True):
        assert contact.talk_s == call.seconds
        agent, customer = voices()
        said = {"agent": agent.text, "customer": customer.text}
        assert all(turn.text == said[turn.speaker] for turn in contact.turns)


def test_the_calls_are_the_same_every_time(tmp_path: Path) -> None:
    once, again = tmp_path / "once.wav", tmp_path / "again.wav"
    write_call(once, recorded_calls()[2])
    write_call(again, recorded_calls()[2])

    assert once.read_bytes() == again.read_bytes()
    assert not list(tmp_path.glob(".*partial"))
