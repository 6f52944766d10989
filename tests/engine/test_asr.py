"""The turns of a call, recognised per channel over its voice segments, through the real
sherpa-onnx path with a tiny model built here (`tiny_asr_model`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lingting.engine import asr
from lingting.engine.asr import recognise_turns, transcript_metrics
from lingting.engine.asr_model import Provider, Recognizer, find_model
from lingting.engine.listening import listen
from tests.engine.call_audio import (
    AISHELL,
    FUNASR,
    call,
    needs_zh_speech,
    recording,
    voiced,
    write_wav,
)
from tests.engine.tiny_asr_model import SYLLABLES_PER_SECOND, TOKEN, build_tiny_model

CPU = Provider("cpu", "tests")


@pytest.fixture(scope="module")
def recognizer(tmp_path_factory: pytest.TempPathFactory) -> Recognizer:
    folder = build_tiny_model(tmp_path_factory.mktemp("model"))
    return Recognizer(find_model(folder), CPU)


# --- recognising a call -------------------------------------------------------------------


def stereo_call(path: Path, rate: int = 8000) -> Path:
    """The agent 0.5-3.5 s and 6.5-9.0 s, the customer 4.0-6.0 s."""
    placed = [
        (0, 0.5, voiced(3.0, rate, seed=1)),
        (1, 4.0, voiced(2.0, rate, seed=2)),
        (0, 6.5, voiced(2.5, rate, seed=3)),
    ]
    return write_wav(path, call(10, rate, placed), rate)


def test_each_voice_segment_is_one_speakers_turn(tmp_path: Path, recognizer: Recognizer) -> None:
    path = stereo_call(tmp_path / "call.wav")

    turns = recognise_turns(path, listen(path), recognizer)

    assert [t["speaker"] for t in turns] == ["agent", "customer", "agent"]
    for turn, (start, end) in zip(turns, [(0.5, 3.5), (4.0, 6.0), (6.5, 9.0)], strict=True):
        assert turn["start"] == pytest.approx(start, abs=0.06)
        assert turn["end"] == pytest.approx(end, abs=0.06)
        assert set(turn["text"]) == {TOKEN}
        assert len(turn["text"]) == pytest.approx(SYLLABLES_PER_SECOND * (end - start), abs=1)
        assert [token["text"] for token in turn["tokens"]] == list(turn["text"])
        times = [token["start"] for token in turn["tokens"]]
        assert times == sorted(times)
        assert turn["start"] <= times[0]
        assert times[-1] < turn["end"]


# (libsndfile's MP3 encoder, which writes the test file, adds a noise floor at 16 kHz and
# above; real recorders' MP3s at those rates decode clean.)
@pytest.mark.parametrize(("suffix", "rate"), [(".flac", 44100), (".mp3", 8000)])
def test_a_compressed_recording_at_any_rate_gives_the_same_turns_as_its_wav(
    tmp_path: Path, recognizer: Recognizer, suffix: str, rate: int
) -> None:
    import soundfile

    wav = stereo_call(tmp_path / "call.wav", rate)
    other = tmp_path / f"call{suffix}"
    samples, _ = soundfile.read(wav, dtype="int16")
    soundfile.write(other, samples, rate)

    from_wav = recognise_turns(wav, listen(wav), recognizer)
    turns = recognise_turns(other, listen(other), recognizer)

    assert [t["speaker"] for t in turns] == [t["speaker"] for t in from_wav]
    for turn, expected in zip(turns, from_wav, strict=True):
        assert turn["start"] == pytest.approx(expected["start"], abs=0.1)
        assert turn["end"] == pytest.approx(expected["end"], abs=0.1)
        # Lossless FLAC gives the model the same sound; lossy MP3 moves the syllable peaks
        # the tiny model counts, so only that there are words is the same.
        if suffix == ".flac":
            assert len(turn["text"]) == pytest.approx(len(expected["text"]), abs=1)
        assert turn["text"]


def test_the_agent_channel_decides_who_is_who(tmp_path: Path, recognizer: Recognizer) -> None:
    path = stereo_call(tmp_path / "call.wav")

    turns = recognise_turns(path, listen(path), recognizer, agent_channel=1)

    assert [t["speaker"] for t in turns] == ["customer", "agent", "customer"]


def test_a_mono_call_has_turns_but_no_speakers(tmp_path: Path, recognizer: Recognizer) -> None:
    samples = call(4, 16000, [(0, 0.5, voiced(2.0, 16000))], channels=1)
    path = write_wav(tmp_path / "mono.wav", samples, 16000)

    [turn] = recognise_turns(path, listen(path), recognizer)

    assert turn["speaker"] is None
    assert len(turn["text"]) == pytest.approx(2 * SYLLABLES_PER_SECOND, abs=1)


def test_silence_gives_no_turns(tmp_path: Path, recognizer: Recognizer) -> None:
    path = write_wav(tmp_path / "silent.wav", call(3, 8000, []), 8000)

    assert recognise_turns(path, listen(path), recognizer) == []


def test_a_long_turn_is_cut_at_a_quiet_moment_and_joined_again(
    tmp_path: Path, recognizer: Recognizer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(asr, "MAX_PIECE_S", 3.0)
    monkeypatch.setattr(asr, "CUT_WINDOW_S", 1.0)
    path = write_wav(tmp_path / "long.wav", call(12, 8000, [(0, 0.5, voiced(10, 8000))]), 8000)

    [turn] = recognise_turns(path, listen(path), recognizer)

    # Four pieces; a syllable cut in two may be heard twice, one may fall between.
    assert len(turn["text"]) == pytest.approx(10 * SYLLABLES_PER_SECOND, abs=4)
    times = [token["start"] for token in turn["tokens"]]
    assert times == sorted(times)
    assert times[-1] == pytest.approx(10.3, abs=0.3)


def test_the_agents_speech_rate_per_turn_and_per_call(
    tmp_path: Path, recognizer: Recognizer
) -> None:
    path = stereo_call(tmp_path / "call.wav")

    added = transcript_metrics(path, listen(path), recognizer)

    per_minute = 60 * SYLLABLES_PER_SECOND
    agent = [t for t in added["turns"] if t["speaker"] == "agent"]
    assert [t["speech_rate_cpm"] for t in agent] == [pytest.approx(per_minute, rel=0.1)] * 2
    assert added["agent_speech_rate_cpm"] == pytest.approx(per_minute, rel=0.1)
    assert all("speech_rate_cpm" not in t for t in added["turns"] if t["speaker"] == "customer")


def test_a_mono_call_has_no_agent_speech_rate(tmp_path: Path, recognizer: Recognizer) -> None:
    path = write_wav(tmp_path / "m.wav", call(3, 8000, [(0, 0.5, voiced(2, 8000))], 1), 8000)

    assert transcript_metrics(path, listen(path), recognizer)["agent_speech_rate_cpm"] is None


@needs_zh_speech
def test_a_real_mandarin_call(tmp_path: Path, recognizer: Recognizer) -> None:
    rate = 16000
    samples = call(12, rate, [(0, 0.0, recording(AISHELL)), (1, 6.0, recording(FUNASR))])
    path = write_wav(tmp_path / "call.wav", samples, rate)

    turns = recognise_turns(path, listen(path), recognizer)

    speakers = [t["speaker"] for t in turns]
    assert speakers == sorted(speakers)  # the agent's recording first, then the customer's
    assert {"agent", "customer"} == set(speakers)
    assert all(t["text"] and set(t["text"]) == {TOKEN} for t in turns)
    assert all(t["start"] >= 6.0 for t in turns if t["speaker"] == "customer")
