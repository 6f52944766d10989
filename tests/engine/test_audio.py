"""Compressed call recordings (MP3, OGG Opus and Vorbis, FLAC) and recordings at rates the
voice detector lacks heard like their 8 or 16 kHz WAV, and any other file type refused with
a reason (issue 18). The files are encoded in the test by libsndfile itself from a call
built with speech at known times."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from scipy import signal

from lingting.engine.audio import (
    AudioFormatError,
    CompressedInfo,
    heard_rate,
    read_recording_blocks,
    read_recording_info,
)
from lingting.engine.listening import call_metrics, listen
from tests.engine.call_audio import call, clipped, voiced, write_compressed, write_wav
from tests.engine.test_listening import conversation

# A lossy codec smears a boundary by a few milliseconds: the detector may move it a frame
# or two more than in the WAV.
LOSSY = 0.1


def heard(path: Path) -> dict[str, Any]:
    return call_metrics(listen(path))


def timed(metrics: dict[str, Any]) -> list[tuple[str, float, float]]:
    return [(s["speaker"], s["start"], s["end"]) for s in metrics["segments"]]


@pytest.mark.parametrize("rate", [8000, 16000])
@pytest.mark.parametrize("extension", [".mp3", ".opus", ".ogg"])
def test_a_lossy_recording_gives_the_figures_of_its_wav(
    tmp_path: Path, rate: int, extension: str
) -> None:
    samples = conversation(rate)
    wav = heard(write_wav(tmp_path / "call.wav", samples, rate))

    lossy = heard(write_compressed(tmp_path / f"call{extension}", samples, rate))

    assert lossy["duration_s"] == pytest.approx(wav["duration_s"], abs=0.01)
    assert [who for who, _, _ in timed(lossy)] == [who for who, _, _ in timed(wav)]
    for (_, start, end), (_, wav_start, wav_end) in zip(timed(lossy), timed(wav), strict=True):
        assert start == pytest.approx(wav_start, abs=LOSSY)
        assert end == pytest.approx(wav_end, abs=LOSSY)
    for figure in ("speech_s", "agent_talk_s", "customer_talk_s", "overtalk_s"):
        assert lossy[figure] == pytest.approx(wav[figure], abs=2 * LOSSY)
    assert [i["by"] for i in lossy["interruptions"]] == ["customer", "agent"]
    for figure in ("agent_level_dbfs", "customer_level_dbfs"):
        assert lossy[figure] == pytest.approx(wav[figure], abs=0.5)
    assert lossy["channels_separated"] is wav["channels_separated"] is True


def test_a_flac_recording_gives_exactly_the_figures_of_its_wav(tmp_path: Path) -> None:
    samples = conversation(16000)

    flac = heard(write_compressed(tmp_path / "call.flac", samples, 16000))

    assert flac == heard(write_wav(tmp_path / "call.wav", samples, 16000))


def test_clipping_survives_lossy_coding(tmp_path: Path) -> None:
    rate = 8000
    speech = voiced(3.0, rate, seed=2)
    samples = call(8, rate, [(0, 0.5, speech), (1, 4.5, clipped(speech, 20))])
    wav = heard(write_wav(tmp_path / "call.wav", samples, rate))

    opus = heard(write_compressed(tmp_path / "call.opus", samples, rate))

    # The cut-off tops come back rippling around full scale, so fewer samples sit at it:
    # the share reads about half the WAV's, still far from a clean side's zero.
    assert 0.3 * wav["customer_clipping"] < opus["customer_clipping"] <= wav["customer_clipping"]
    assert opus["agent_clipping"] == 0


def test_a_compressed_recording_is_read_in_blocks(tmp_path: Path) -> None:
    samples = conversation(8000)
    path = write_compressed(tmp_path / "call.mp3", samples, 8000)
    info = read_recording_info(path)

    blocks = list(read_recording_blocks(path, info, 8000))

    assert info == CompressedInfo(2, 8000, "MPEG_LAYER_III", len(samples))
    assert [len(b) for b in blocks] == [8000] * 12
    assert all(b.dtype == np.int16 and b.shape[1] == 2 for b in blocks)


def test_a_mono_mp3_is_a_mono_call(tmp_path: Path) -> None:
    rate = 8000
    samples = call(5, rate, [(0, 0.5, voiced(1.5, rate)), (0, 3.0, voiced(1.5, rate))], 1)

    metrics = heard(write_compressed(tmp_path / "mono.mp3", samples, rate))

    assert metrics["channels"] == 1
    assert metrics["speech_s"] == pytest.approx(3.0, abs=2 * LOSSY)
    assert metrics["agent_talk_s"] is None


def test_the_extension_is_read_whatever_its_case(tmp_path: Path) -> None:
    samples = conversation(8000)

    upper = write_compressed(tmp_path / "call.ogg", samples, 8000).rename(tmp_path / "CALL.OGG")

    assert heard(upper)["channels"] == 2


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("call.m4a", r"'\.m4a' is not a recording type Lingting reads \(\.wav, \.mp3, \.ogg"),
        ("call", "a file without an extension is not a recording type Lingting reads"),
    ],
)
def test_a_file_of_another_type_is_refused_by_name(tmp_path: Path, name: str, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\0" * 1000)

    with pytest.raises(AudioFormatError, match=reason):
        listen(path)


@pytest.mark.parametrize(
    ("name", "kind"), [("bad.mp3", "MP3"), ("bad.opus", "OGG/Opus"), ("bad.flac", "FLAC")]
)
def test_a_compressed_file_that_does_not_decode_says_so(
    tmp_path: Path, name: str, kind: str
) -> None:
    path = tmp_path / name
    path.write_text("these are notes, not a recording", encoding="utf-8")

    with pytest.raises(AudioFormatError, match=f"not a readable {kind} file"):
        listen(path)


@pytest.mark.parametrize(
    ("rate", "extension"),
    [(11025, ".wav"), (22050, ".mp3"), (24000, ".opus"), (44100, ".wav"), (44100, ".mp3")],
)
def test_a_recording_at_a_rate_the_detector_lacks_is_heard_at_16_khz(
    tmp_path: Path, rate: int, extension: str
) -> None:
    samples = conversation(16000)
    wideband = heard(write_wav(tmp_path / "call.wav", samples, 16000))
    common = np.gcd(rate, 16000)
    converted = signal.resample_poly(samples.astype(np.float64), rate // common, 16000 // common)
    other = np.clip(converted, -32768, 32767).astype(np.int16)
    write = write_wav if extension == ".wav" else write_compressed

    metrics = heard(write(tmp_path / f"other{extension}", other, rate))

    assert metrics["duration_s"] == pytest.approx(12.0, abs=0.01)
    assert [who for who, _, _ in timed(metrics)] == [who for who, _, _ in timed(wideband)]
    for (_, start, end), (_, wav_start, wav_end) in zip(
        timed(metrics), timed(wideband), strict=True
    ):
        assert start == pytest.approx(wav_start, abs=LOSSY)
        assert end == pytest.approx(wav_end, abs=LOSSY)
    for figure in ("agent_level_dbfs", "customer_level_dbfs"):
        assert metrics[figure] == pytest.approx(wideband[figure], abs=0.5)


def test_a_resampled_recording_comes_in_blocks_of_the_size_asked(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "call.wav", np.zeros((44100 * 3 + 7, 2), np.int16), 44100)
    info = read_recording_info(path)

    blocks = [len(b) for b in read_recording_blocks(path, info, 16000)]

    assert heard_rate(info.sample_rate) == 16000
    # 3 s and 7 samples at 44.1 kHz: 3 s and 3 samples at 16 kHz.
    assert blocks == [16000, 16000, 16000, 3]


def test_a_recording_below_8_khz_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "narrow.flac"
    soundfile.write(path, np.zeros((6000, 1)), 6000)

    with pytest.raises(AudioFormatError, match="sample rate 6000 Hz is not supported"):
        listen(path)


def test_a_cut_off_mp3_lasts_as_long_as_what_it_holds(tmp_path: Path) -> None:
    # A recorder stopped hard: the header still announces 12 s.
    whole = write_compressed(tmp_path / "call.mp3", conversation(8000), 8000)
    cut = tmp_path / "cut.mp3"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])

    metrics = heard(cut)

    assert 5 < metrics["duration_s"] < 7
    assert metrics["speech_s"] < metrics["duration_s"]


def test_a_flac_damaged_inside_says_where(tmp_path: Path) -> None:
    path = write_compressed(tmp_path / "call.flac", conversation(8000), 8000)
    content = bytearray(path.read_bytes())
    middle = len(content) // 2
    content[middle : middle + 2000] = bytes(range(250)) * 8
    path.write_bytes(bytes(content))

    with pytest.raises(AudioFormatError, match=r"damaged FLAC data after \d+\.\d s \(.+\)"):
        listen(path)


def test_a_compressed_recording_with_more_than_two_channels_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "surround.flac"
    soundfile.write(path, np.zeros((8000, 6)), 8000)

    with pytest.raises(AudioFormatError, match="6 channels: a call is mono or stereo"):
        listen(path)


def test_a_missing_compressed_recording_is_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        listen(tmp_path / "gone.mp3")
