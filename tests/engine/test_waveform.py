"""The waveform kept for drawing a call: the loudest sample of each slice, one lane a side."""

from __future__ import annotations

import itertools
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from lingting.engine.audio import AudioFormatError
from lingting.engine.waveform import POINTS, waveform
from tests.engine.call_audio import (
    AISHELL,
    FUNASR,
    call,
    needs_zh_speech,
    recording,
    scaled,
    voiced,
    write_wav,
)

RATE = 8000


def lane_seconds(lane: list[float], duration_s: float, threshold: float = 0.05) -> list[float]:
    """The times (each slice's start) where the lane is louder than `threshold`."""
    step = duration_s / len(lane)
    return [round(i * step, 2) for i, peak in enumerate(lane) if peak > threshold]


def test_a_stereo_call_has_an_agent_lane_and_a_customer_lane_loud_where_each_speaks(
    tmp_path: Path,
) -> None:
    # Agent 0–4 s on channel 0, customer 5–9 s on channel 1, a 10-second call.
    samples = call(
        10, RATE, [(0, 0.0, voiced(4, RATE, level=0.5)), (1, 5.0, voiced(4, RATE, seed=1))]
    )
    path = write_wav(tmp_path / "call.wav", samples, RATE)

    drawn = waveform(path, points=100)

    assert drawn["duration_s"] == 10.0
    assert set(drawn["lanes"]) == {"agent", "customer"}
    agent, customer = drawn["lanes"]["agent"], drawn["lanes"]["customer"]
    assert len(agent) == len(customer) == 100
    assert lane_seconds(agent, 10)[0] == 0.0
    assert lane_seconds(agent, 10)[-1] == pytest.approx(3.9)
    assert lane_seconds(customer, 10)[0] == pytest.approx(5.0)
    assert lane_seconds(customer, 10)[-1] == pytest.approx(8.9)
    assert max(agent) == pytest.approx(0.5, abs=0.001)
    assert max(customer) == pytest.approx(0.2, abs=0.001)
    assert all(0 <= peak <= 1 for peak in agent + customer)


def test_the_agent_lane_follows_the_agent_channel(tmp_path: Path) -> None:
    samples = call(4, RATE, [(1, 0.0, voiced(2, RATE, level=0.5))])
    path = write_wav(tmp_path / "call.wav", samples, RATE)

    default = waveform(path, points=40)
    swapped = waveform(path, agent_channel=1, points=40)

    assert max(default["lanes"]["customer"]) == pytest.approx(0.5, abs=0.001)
    assert max(default["lanes"]["agent"]) == 0.0
    assert swapped["lanes"]["agent"] == default["lanes"]["customer"]
    assert swapped["lanes"]["customer"] == default["lanes"]["agent"]


def test_a_mono_recording_has_one_lane_and_never_guesses_who_spoke(tmp_path: Path) -> None:
    samples = call(6, RATE, [(0, 1.0, voiced(2, RATE)), (0, 4.0, voiced(1, RATE))], channels=1)
    path = write_wav(tmp_path / "mono.wav", samples, RATE)

    drawn = waveform(path)

    assert list(drawn["lanes"]) == ["mono"]
    assert len(drawn["lanes"]["mono"]) == POINTS
    assert drawn["duration_s"] == 6.0


def test_the_peaks_are_the_loudest_sample_of_each_slice_to_three_digits(tmp_path: Path) -> None:
    # Four slices of 2,000 samples; one sample louder than the rest in each, full scale
    # (-32768) in the last, whose magnitude does not fit a 16-bit sample.
    samples = np.full((8000, 1), 100, dtype=np.int16)
    samples[10, 0] = 16384
    samples[2500, 0] = -8192
    samples[4001, 0] = 1234
    samples[7999, 0] = -32768
    path = write_wav(tmp_path / "peaks.wav", samples, RATE)

    drawn = waveform(path, points=4)

    assert drawn["lanes"]["mono"] == [0.5, 0.25, 0.038, 1.0]


def test_a_short_call_has_one_peak_per_sample_and_an_empty_one_none(tmp_path: Path) -> None:
    short = np.array([[1000, -2000], [3000, 0], [-32767, 5]], dtype=np.int16)
    empty = np.zeros((0, 2), dtype=np.int16)

    drawn = waveform(write_wav(tmp_path / "short.wav", short, RATE))
    nothing = waveform(write_wav(tmp_path / "empty.wav", empty, RATE))

    assert drawn["lanes"] == {"agent": [0.031, 0.092, 1.0], "customer": [0.061, 0.0, 0.0]}
    assert nothing == {"duration_s": 0.0, "lanes": {"agent": [], "customer": []}}


@pytest.mark.parametrize("encoding", ["alaw", "mulaw"])
def test_a_g711_call_draws_like_its_pcm_original(tmp_path: Path, encoding: str) -> None:
    samples = call(
        6, RATE, [(0, 0.0, voiced(3, RATE, level=0.4)), (1, 3.0, voiced(3, RATE, seed=2))]
    )
    pcm = waveform(write_wav(tmp_path / "pcm.wav", samples, RATE), points=60)
    g711 = waveform(write_wav(tmp_path / "g711.wav", samples, RATE, encoding), points=60)

    for side in ("agent", "customer"):
        assert g711["lanes"][side] == pytest.approx(pcm["lanes"][side], abs=0.02)


def test_slices_across_blocks_give_what_one_block_gives(tmp_path: Path) -> None:
    # 25 s at 8 kHz: three blocks of the reader, slices straddling the block edges.
    samples = call(25, RATE, [(0, 9.5, voiced(1.5, RATE)), (1, 19.8, voiced(0.4, RATE))])
    path = write_wav(tmp_path / "long.wav", samples, RATE)

    drawn = waveform(path, points=7)

    whole = np.abs(samples.astype(np.int32))
    edges = [i * len(samples) // 7 for i in range(8)]
    expected = [
        [round(int(whole[a:b, channel].max()) / 32768, 3) for a, b in itertools.pairwise(edges)]
        for channel in (0, 1)
    ]
    assert drawn["lanes"]["agent"] == expected[0]
    assert drawn["lanes"]["customer"] == expected[1]


def test_memory_stays_flat_however_long_the_call(tmp_path: Path) -> None:
    minute = call(60, RATE, [(0, 1.0, voiced(20, RATE)), (1, 30.0, voiced(20, RATE))])
    short = write_wav(tmp_path / "one.wav", minute, RATE)
    long = write_wav(tmp_path / "twenty.wav", np.tile(minute, (20, 1)), RATE)

    def peak_bytes(path: Path) -> int:
        tracemalloc.start()
        try:
            waveform(path)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    # 20 minutes read in 10-second blocks: the same few blocks' worth as one minute.
    assert peak_bytes(long) < 2 * peak_bytes(short)


def test_a_file_that_is_not_a_call_recording_says_why(tmp_path: Path) -> None:
    text = tmp_path / "notes.wav"
    text.write_text("not audio")

    with pytest.raises(AudioFormatError, match="not a WAV file"):
        waveform(text)
    with pytest.raises(FileNotFoundError):
        waveform(tmp_path / "missing.wav")


@needs_zh_speech
def test_a_call_of_the_real_recordings_is_loud_where_each_side_speaks(tmp_path: Path) -> None:
    rate = 16000
    agent, customer = recording(FUNASR), scaled(recording(AISHELL), 6)
    samples = call(12, rate, [(0, 0.0, agent), (1, 6.0, customer)])
    path = write_wav(tmp_path / "zh.wav", samples, rate)

    drawn = waveform(path, points=120)

    agent_loud = lane_seconds(drawn["lanes"]["agent"], 12)
    customer_loud = lane_seconds(drawn["lanes"]["customer"], 12)
    assert agent_loud
    assert customer_loud
    assert max(agent_loud) < 6.0
    assert min(customer_loud) >= 6.0


def test_a_flac_or_mp3_recording_draws_like_its_wav(tmp_path: Path) -> None:
    import soundfile

    samples = call(6, RATE, [(0, 1.0, voiced(2, RATE)), (1, 3.5, voiced(2, RATE))])
    wav = waveform(write_wav(tmp_path / "call.wav", samples, RATE), points=60)
    for suffix in (".flac", ".mp3"):
        path = tmp_path / f"call{suffix}"
        soundfile.write(path, samples, RATE)

        drawn = waveform(path, points=60)

        assert drawn["duration_s"] == pytest.approx(wav["duration_s"], abs=0.1)
        for lane in ("agent", "customer"):
            loud = [i for i, peak in enumerate(drawn["lanes"][lane]) if peak > 0.05]
            expected = [i for i, peak in enumerate(wav["lanes"][lane]) if peak > 0.05]
            assert loud[0] == pytest.approx(expected[0], abs=1)
            assert loud[-1] == pytest.approx(expected[-1], abs=1)
