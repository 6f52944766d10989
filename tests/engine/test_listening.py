"""Speech figures of a call heard without a model (issue 18): calls built with speech at known
times on each channel, from a speech-like signal made here and from real Mandarin recordings."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lingting.engine.audio import (
    ALAW_TABLE,
    MULAW_TABLE,
    AudioFormatError,
    read_blocks,
    read_wav_info,
)
from lingting.engine.listening import Heard, call_metrics, listen
from tests.engine.call_audio import (
    AISHELL,
    FUNASR,
    PER_SPEAKER_FIELDS,
    Samples,
    call,
    chunk,
    clipped,
    needs_zh_speech,
    recording,
    scaled,
    voiced,
    with_bleed,
    with_line_noise,
    write_wav,
)

FRAME = 0.03  # a boundary is found to within one 30 ms frame


def heard(path: Path, agent_channel: int = 0) -> dict[str, Any]:
    return call_metrics(listen(path), agent_channel=agent_channel)


def spans(metrics: dict[str, Any], speaker: str) -> list[tuple[float, float]]:
    return [(s["start"], s["end"]) for s in metrics["segments"] if s["speaker"] == speaker]


def assert_spans(found: list[tuple[float, float]], expected: list[tuple[float, float]]) -> None:
    assert len(found) == len(expected), found
    for (start, end), (want_start, want_end) in zip(found, expected, strict=True):
        assert start == pytest.approx(want_start, abs=FRAME)
        assert end == pytest.approx(want_end, abs=FRAME)


def conversation(rate: int) -> Samples:
    """12 s: the agent talks 0.5-3.0; the customer cuts in at 2.5 and talks to 5.0; two
    seconds of dead air; the agent 7.0-9.0; the customer 9.5-11.0 and the agent cuts in at
    10.5 until 11.5."""
    return call(
        12,
        rate,
        [
            (0, 0.5, voiced(2.5, rate, seed=1)),
            (1, 2.5, voiced(2.5, rate, seed=2)),
            (0, 7.0, voiced(2.0, rate, seed=3)),
            (1, 9.5, voiced(1.5, rate, seed=4)),
            (0, 10.5, voiced(1.0, rate, seed=5)),
        ],
    )


@pytest.mark.parametrize("rate", [8000, 16000])
def test_a_conversation_gives_talk_overtalk_dead_air_and_interruptions(
    tmp_path: Path, rate: int
) -> None:
    metrics = heard(write_wav(tmp_path / "call.wav", conversation(rate), rate))

    assert metrics["channels"] == 2
    assert metrics["duration_s"] == 12.0
    assert_spans(spans(metrics, "agent"), [(0.5, 3.0), (7.0, 9.0), (10.5, 11.5)])
    assert_spans(spans(metrics, "customer"), [(2.5, 5.0), (9.5, 11.0)])
    assert metrics["agent_talk_s"] == pytest.approx(5.5, abs=3 * FRAME)
    assert metrics["customer_talk_s"] == pytest.approx(4.0, abs=2 * FRAME)
    assert metrics["agent_talk_ratio"] == pytest.approx(5.5 / 9.5, abs=0.02)
    assert metrics["overtalk_s"] == pytest.approx(1.0, abs=2 * FRAME)
    assert metrics["speech_s"] == pytest.approx(8.5, abs=3 * FRAME)
    assert metrics["agent_interruptions"] == 1
    assert metrics["customer_interruptions"] == 1
    assert metrics["longest_silence_s"] == pytest.approx(2.0, abs=2 * FRAME)
    assert [(s["start"], s["end"]) for s in metrics["silences"]] == [
        pytest.approx((5.0, 7.0), abs=FRAME),
        pytest.approx((9.0, 9.5), abs=FRAME),
    ]
    starts = [s["start"] for s in metrics["segments"]]
    assert starts == sorted(starts)


def test_the_agent_channel_swaps_the_sides(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "call.wav", conversation(8000), 8000)

    usual, swapped = heard(path), heard(path, agent_channel=1)

    assert swapped["agent_talk_s"] == usual["customer_talk_s"]
    assert swapped["customer_talk_s"] == usual["agent_talk_s"]
    assert spans(swapped, "agent") == spans(usual, "customer")
    assert swapped["overtalk_s"] == usual["overtalk_s"]


def test_a_pause_shorter_than_0_3_s_is_still_talking(tmp_path: Path) -> None:
    rate = 8000
    samples = call(
        7,
        rate,
        [
            (0, 1.0, voiced(1.0, rate)),
            (0, 2.2, voiced(0.8, rate, seed=3)),  # 0.2 s after: the same sentence
            (1, 4.0, voiced(1.0, rate)),
            (1, 5.5, voiced(1.0, rate, seed=3)),  # 0.5 s after: a new one
        ],
    )

    metrics = heard(write_wav(tmp_path / "pauses.wav", samples, rate))

    assert_spans(spans(metrics, "agent"), [(1.0, 3.0)])
    assert_spans(spans(metrics, "customer"), [(4.0, 5.0), (5.5, 6.5)])


def test_the_quieter_side_is_12_db_lower(tmp_path: Path) -> None:
    rate = 16000
    speech = voiced(2.0, rate, seed=7)
    samples = call(6, rate, [(0, 0.5, speech), (1, 3.5, scaled(speech, -12))])

    metrics = heard(write_wav(tmp_path / "levels.wav", samples, rate))

    # The level is taken over the frames the detector calls voiced, and it keeps fewer of
    # the quieter side's softest frames: within a decibel, not exactly 12.
    assert metrics["agent_level_dbfs"] - metrics["customer_level_dbfs"] == pytest.approx(
        12, abs=1.0
    )
    # A speech-like signal peaking at 20 % of full scale is far below 0 dBFS.
    assert -30 < metrics["agent_level_dbfs"] < -15


@pytest.mark.parametrize("encoding", ["alaw", "mulaw"])
def test_g711_calls_give_the_segments_of_the_linear_call(tmp_path: Path, encoding: str) -> None:
    samples = conversation(8000)
    linear = heard(write_wav(tmp_path / "linear.wav", samples, 8000))

    coded = heard(write_wav(tmp_path / f"{encoding}.wav", samples, 8000, encoding))

    assert read_wav_info(tmp_path / f"{encoding}.wav").encoding == encoding
    assert coded["segments"] == linear["segments"]
    assert coded["agent_level_dbfs"] == pytest.approx(linear["agent_level_dbfs"], abs=0.1)


def test_g711_tables_decode_the_standard_values() -> None:
    assert MULAW_TABLE[0xFF] == 0
    assert MULAW_TABLE[0x7F] == 0
    assert MULAW_TABLE[0x80] == 32124
    assert MULAW_TABLE[0x00] == -32124
    assert ALAW_TABLE[0xD5] == 8
    assert ALAW_TABLE[0x55] == -8
    assert ALAW_TABLE[0xAA] == 32256
    assert ALAW_TABLE[0x2A] == -32256
    assert len(set(MULAW_TABLE.tolist())) == 255  # µ-law has two zeros
    assert len(set(ALAW_TABLE.tolist())) == 256


def test_a_mono_call_gives_speech_and_no_per_speaker_figure(tmp_path: Path) -> None:
    rate = 8000
    samples = call(5, rate, [(0, 0.5, voiced(1.5, rate)), (0, 3.0, voiced(1.5, rate))], 1)

    metrics = heard(write_wav(tmp_path / "mono.wav", samples, rate))

    assert metrics["channels"] == 1
    assert metrics["duration_s"] == 5.0
    assert metrics["speech_s"] == pytest.approx(3.0, abs=2 * FRAME)
    assert metrics["longest_silence_s"] == pytest.approx(1.0, abs=2 * FRAME)
    nulls = {name: metrics[name] for name in PER_SPEAKER_FIELDS}
    assert nulls == dict.fromkeys(PER_SPEAKER_FIELDS)
    assert metrics["clipping"] == 0


def test_a_silent_call_has_no_speech_and_no_level(tmp_path: Path) -> None:
    metrics = heard(write_wav(tmp_path / "silent.wav", call(3, 8000, []), 8000))

    assert metrics["speech_s"] == 0
    assert metrics["segments"] == []
    assert metrics["silences"] == []
    assert metrics["interruptions"] == []
    assert metrics["agent_level_dbfs"] is None
    assert metrics["agent_level_trend"] == [{"from": 0, "to": 3.0, "level_dbfs": None}]
    assert metrics["clipping"] is metrics["agent_clipping"] is None
    assert metrics["crosstalk_db"] == {"agent_in_customer": None, "customer_in_agent": None}
    assert metrics["channels_separated"] is None
    assert metrics["customer_raised_voice"] == []


@pytest.mark.parametrize("frame_ms", [10, 20, 30])
def test_every_frame_length_finds_the_same_talk(tmp_path: Path, frame_ms: int) -> None:
    path = write_wav(tmp_path / "call.wav", conversation(16000), 16000)

    metrics = call_metrics(listen(path, frame_ms=frame_ms))

    assert_spans(spans(metrics, "customer"), [(2.5, 5.0), (9.5, 11.0)])


def test_the_recording_is_read_in_blocks(tmp_path: Path) -> None:
    samples = conversation(8000)
    path = write_wav(tmp_path / "call.wav", samples, 8000, "alaw")
    info = read_wav_info(path)

    blocks = list(read_blocks(path, info, 8000))

    assert [len(b) for b in blocks] == [8000] * 12
    assert np.concatenate(blocks).shape == samples.shape


@pytest.mark.parametrize("written_size", [0, 0xFFFFFFFF])
def test_a_recording_whose_size_was_never_filled_in_runs_to_the_end(
    tmp_path: Path, written_size: int
) -> None:
    path = write_wav(tmp_path / "call.wav", conversation(8000), 8000)
    whole = heard(path)
    content = bytearray(path.read_bytes())
    data = content.index(b"data")
    content[data + 4 : data + 8] = struct.pack("<I", written_size)
    path.write_bytes(bytes(content))

    assert heard(path) == whole


def test_an_extensible_format_chunk_holding_pcm_is_read(tmp_path: Path) -> None:
    samples = conversation(8000)
    plain = write_wav(tmp_path / "plain.wav", samples, 8000)
    fmt = struct.pack("<HHIIHH", 0xFFFE, 2, 8000, 32000, 4, 16)
    fmt += struct.pack("<HHI", 22, 16, 3) + struct.pack("<H", 1) + bytes(14)
    body = b"WAVE" + chunk(b"fmt ", fmt) + chunk(b"data", samples.astype("<i2").tobytes())
    extensible = tmp_path / "extensible.wav"
    extensible.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)

    assert heard(extensible) == heard(plain)


def wav_bytes(tag: int, bits: int, channels: int = 1, rate: int = 8000) -> bytes:
    block = channels * bits // 8
    fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * block, block, bits)
    body = b"WAVE" + chunk(b"fmt ", fmt) + chunk(b"data", b"\0" * block * 800)
    return b"RIFF" + struct.pack("<I", len(body)) + body


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"ID3\x03 an mp3 file", "not a WAV file"),
        (b"", "not a WAV file"),
        (wav_bytes(1, 24), "unsupported encoding: 24-bit PCM"),
        (wav_bytes(3, 32), "unsupported encoding: 32-bit IEEE float"),
        (wav_bytes(1, 16, channels=6), "6 channels"),
        (wav_bytes(1, 16, rate=6000), r"sample rate 6000 Hz is not supported \(8 kHz to 192"),
        (wav_bytes(1, 16)[:-100], "truncated: the header announces 1600 bytes of audio"),
        (wav_bytes(1, 16)[:30], "truncated"),
    ],
)
def test_a_file_that_is_not_a_readable_call_says_why(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "bad.wav"
    path.write_bytes(content)

    with pytest.raises(AudioFormatError, match=reason):
        listen(path)


def alone(tmp_path: Path, name: str, samples: Samples) -> Heard:
    """The recording heard on its own: where its speech lies, in frames from its start."""
    return listen(write_wav(tmp_path / f"{name}.wav", samples.reshape(-1, 1), 16000))


@needs_zh_speech
def test_real_speech_placed_on_a_call_is_found_where_it_was_put(tmp_path: Path) -> None:
    rate = 16000
    agent, customer = recording(AISHELL), recording(FUNASR)
    agent_alone, customer_alone = alone(tmp_path, "a", agent), alone(tmp_path, "c", customer)
    agent_end = agent_alone.segments[0][-1][1] * FRAME
    customer_first = customer_alone.segments[0][0][0] * FRAME
    # Dead air: the customer's first sound comes 3 s after the agent's last word.
    customer_at = round((agent_end + 3.0 - customer_first) / FRAME) * FRAME
    samples = call(customer_at + 6, rate, [(0, 0.0, agent), (1, customer_at, customer)])

    metrics = heard(write_wav(tmp_path / "call.wav", samples, rate))

    assert_spans(spans(metrics, "agent"), seconds(agent_alone.segments[0], 0.0))
    assert_spans(spans(metrics, "customer"), seconds(customer_alone.segments[0], customer_at))
    agent_speech = call_metrics(agent_alone)["speech_s"]
    assert metrics["agent_talk_s"] == pytest.approx(agent_speech, abs=2 * FRAME)
    assert metrics["customer_talk_s"] == pytest.approx(
        call_metrics(customer_alone)["speech_s"], abs=2 * FRAME
    )
    assert metrics["longest_silence_s"] == pytest.approx(3.0, abs=2 * FRAME)
    assert metrics["overtalk_s"] == 0
    assert metrics["agent_interruptions"] == metrics["customer_interruptions"] == 0


def seconds(frames: list[tuple[int, int]], offset: float) -> list[tuple[float, float]]:
    return [(s * FRAME + offset, e * FRAME + offset) for s, e in frames]


@needs_zh_speech
def test_a_real_customer_cutting_in_is_an_interruption_with_overtalk(tmp_path: Path) -> None:
    rate = 16000
    agent, customer = recording(AISHELL), recording(FUNASR)
    agent_solo = alone(tmp_path, "a", agent).segments[0]
    customer_solo = alone(tmp_path, "c", customer).segments[0]
    agent_start, agent_end = agent_solo[-1]  # the agent's sentence, in frames
    # The customer's first sound lands one second before the agent's sentence ends.
    customer_at = (agent_end - customer_solo[0][0] - round(1.0 / FRAME)) * FRAME
    samples = call(customer_at + 6, rate, [(0, 0.0, agent), (1, customer_at, customer)])

    metrics = heard(write_wav(tmp_path / "call.wav", samples, rate))

    assert agent_start * FRAME < customer_at + customer_solo[0][0] * FRAME
    # Each of the customer's sounds that starts inside the agent's speech cuts in.
    shifted = [(s + customer_at / FRAME, e + customer_at / FRAME) for s, e in customer_solo]
    cutting_in = sum(any(a < s < b for a, b in agent_solo) for s, _ in shifted)
    assert cutting_in >= 1
    assert metrics["customer_interruptions"] == cutting_in
    assert metrics["agent_interruptions"] == 0
    expected = sum(
        max(0, min(ae, ce + customer_at / FRAME) - max(a_s, cs + customer_at / FRAME))
        for a_s, ae in agent_solo
        for cs, ce in customer_solo
    )
    assert metrics["overtalk_s"] == pytest.approx(expected * FRAME, abs=2 * FRAME)
    assert metrics["overtalk_s"] > 0


@needs_zh_speech
def test_real_speech_turned_down_12_db_reads_12_db_lower(tmp_path: Path) -> None:
    rate = 16000
    speech = recording(FUNASR)
    samples = call(12, rate, [(0, 0.0, speech), (1, 6.0, scaled(speech, -12))])

    metrics = heard(write_wav(tmp_path / "levels.wav", samples, rate))

    difference = metrics["agent_level_dbfs"] - metrics["customer_level_dbfs"]
    assert difference == pytest.approx(12, abs=0.5)


# Issue 18's per-channel analytics beyond FORMATS.md's first figures: each interruption's
# time, levels per segment and per minute, clipping, bleed between the sides, raised voice.


def test_each_interruption_says_who_cut_in_and_when(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "call.wav", conversation(8000), 8000)

    metrics, swapped = heard(path), heard(path, agent_channel=1)

    # The customer cuts in at 2.5 s, the agent at 10.5 s.
    assert [i["by"] for i in metrics["interruptions"]] == ["customer", "agent"]
    assert [i["at"] for i in metrics["interruptions"]] == [
        pytest.approx(2.5, abs=FRAME),
        pytest.approx(10.5, abs=FRAME),
    ]
    assert [i["by"] for i in swapped["interruptions"]] == ["agent", "customer"]


def test_each_segment_and_each_minute_of_the_call_has_its_level(tmp_path: Path) -> None:
    rate = 8000
    speech = voiced(20.0, rate, seed=1)
    # 2.5 minutes: the agent talks in the first minute, is silent in the second, and talks
    # 10 dB softer in the third; the customer talks in the first and the third.
    samples = call(
        150,
        rate,
        [
            (0, 10.0, speech),
            (1, 35.0, voiced(5.0, rate, seed=2)),
            (1, 121.0, voiced(2.0, rate, seed=3)),
            (0, 125.0, scaled(speech, -10)),
        ],
    )

    metrics = heard(write_wav(tmp_path / "call.wav", samples, rate))

    loud, soft = [s["level_dbfs"] for s in metrics["segments"] if s["speaker"] == "agent"]
    assert loud - soft == pytest.approx(10, abs=0.5)
    assert loud == pytest.approx(metrics["agent_level_dbfs"] + 10 * np.log10(2 / 1.1), abs=0.5)
    trend = metrics["agent_level_trend"]
    assert [(m["from"], m["to"]) for m in trend] == [(0, 60), (60, 120), (120, 150)]
    assert trend[0]["level_dbfs"] == loud
    assert trend[1]["level_dbfs"] is None
    assert trend[2]["level_dbfs"] == soft
    customer = [m["level_dbfs"] for m in metrics["customer_level_trend"]]
    assert customer[0] is not None
    assert customer[1] is None
    assert customer[2] == pytest.approx(customer[0], abs=0.5)


def test_a_side_overdriven_past_full_scale_shows_its_clipping(tmp_path: Path) -> None:
    rate = 8000
    speech = voiced(3.0, rate, seed=2)  # peaks at 20 % of full scale
    overdriven = clipped(speech, 20)  # ten times louder: cut off at full scale
    samples = call(8, rate, [(0, 0.5, speech), (1, 4.5, overdriven)])
    # The share of the customer's samples that hit full scale.
    expected = np.mean(np.abs(overdriven.astype(np.int32)) >= 32735)

    metrics = heard(write_wav(tmp_path / "call.wav", samples, rate))

    assert expected > 0.1
    assert metrics["customer_clipping"] == pytest.approx(expected, abs=0.02)
    assert metrics["agent_clipping"] == 0
    assert metrics["clipping"] == pytest.approx(expected / 2, abs=0.02)


def test_clipping_in_a_mu_law_call_is_at_mu_laws_full_scale(tmp_path: Path) -> None:
    # µ-law's loudest code decodes to 32124, below the 16-bit limit: that is its full scale.
    rate = 8000
    speech = voiced(3.0, rate, seed=2)
    samples = call(8, rate, [(0, 0.5, speech), (1, 4.5, clipped(speech, 20))])
    linear = heard(write_wav(tmp_path / "linear.wav", samples, rate))

    coded = heard(write_wav(tmp_path / "mulaw.wav", samples, rate, "mulaw"))

    assert coded["customer_clipping"] == pytest.approx(linear["customer_clipping"], abs=0.02)
    assert coded["agent_clipping"] == 0


def test_a_mono_call_gives_the_clipping_of_all_its_speech(tmp_path: Path) -> None:
    rate = 8000
    speech = voiced(2.0, rate, seed=2)
    samples = call(6, rate, [(0, 0.5, speech), (0, 3.5, clipped(speech, 20))], channels=1)

    metrics = heard(write_wav(tmp_path / "mono.wav", samples, rate))

    # Half the speech is the overdriven half.
    expected = np.mean(np.abs(clipped(speech, 20).astype(np.int32)) >= 32735) / 2
    assert metrics["clipping"] == pytest.approx(expected, abs=0.02)
    assert metrics["clipping"] > 0.05
    assert metrics["agent_clipping"] is None


def test_the_agent_heard_20_db_down_in_the_customer_channel_is_bleed(tmp_path: Path) -> None:
    samples = with_line_noise(with_bleed(conversation(8000), -20, into=1), -65)
    path = write_wav(tmp_path / "bleed.wav", samples, 8000)

    metrics, swapped = heard(path), heard(path, agent_channel=1)

    assert metrics["crosstalk_db"]["agent_in_customer"] == pytest.approx(-20, abs=1)
    assert metrics["crosstalk_db"]["customer_in_agent"] is None
    assert metrics["channels_separated"] is False
    assert swapped["crosstalk_db"] == {
        "agent_in_customer": None,
        "customer_in_agent": metrics["crosstalk_db"]["agent_in_customer"],
    }


def test_separate_sides_over_a_hissing_line_are_separated(tmp_path: Path) -> None:
    # Line noise is in both channels all the time, but it does not follow either voice.
    samples = with_line_noise(conversation(8000), -50)

    metrics = heard(write_wav(tmp_path / "clean.wav", samples, 8000))

    assert metrics["crosstalk_db"] == {"agent_in_customer": None, "customer_in_agent": None}
    assert metrics["channels_separated"] is True


def test_faint_bleed_is_reported_but_the_sides_still_count_as_separated(tmp_path: Path) -> None:
    samples = with_bleed(conversation(8000), -36, into=0)

    metrics = heard(write_wav(tmp_path / "faint.wav", samples, 8000))

    assert metrics["crosstalk_db"]["customer_in_agent"] == pytest.approx(-36, abs=1)
    assert metrics["crosstalk_db"]["agent_in_customer"] is None
    assert metrics["channels_separated"] is True


def test_the_same_sound_on_both_channels_is_not_a_stereo_call(tmp_path: Path) -> None:
    # A recorder that writes the mixed line to both channels.
    mixed = conversation(8000).astype(np.int32).sum(axis=1) // 2
    samples = np.repeat(mixed.astype(np.int16)[:, None], 2, axis=1)

    metrics = heard(write_wav(tmp_path / "dual-mono.wav", samples, 8000))

    assert metrics["crosstalk_db"] == {"agent_in_customer": 0.0, "customer_in_agent": 0.0}
    assert metrics["channels_separated"] is False


def test_too_little_speech_leaves_the_separation_unjudged(tmp_path: Path) -> None:
    rate = 8000
    samples = call(4, rate, [(0, 0.5, voiced(1.0, rate)), (1, 2.0, voiced(1.0, rate, seed=2))])

    metrics = heard(write_wav(tmp_path / "short.wav", samples, rate))

    assert metrics["crosstalk_db"] == {"agent_in_customer": None, "customer_in_agent": None}
    assert metrics["channels_separated"] is None


def raised_voice_call(rate: int) -> Samples:
    """The customer's 2 s turns at 0.5, 4.5, 8.5 (2 dB up), 12.5 (8 dB up) and 16.5 s; a
    0.3 s murmur 20 dB down at 3.5 s; the agent answers evenly in between."""
    speech = voiced(2.0, rate, level=0.1, seed=3)
    customer = [(0.5, 0), (4.5, 0), (8.5, 2), (12.5, 8), (16.5, 0)]
    return call(
        20,
        rate,
        [(1, at, scaled(speech, up)) for at, up in customer]
        + [(1, 3.5, scaled(voiced(0.3, rate, level=0.1), -20))]
        + [(0, at + 2.2, voiced(1.5, rate, seed=4)) for at, _ in customer[:-1]],
    )


def test_a_customer_turn_6_db_above_their_usual_level_is_a_raised_voice(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "raised.wav", raised_voice_call(8000), 8000)

    metrics = heard(path)

    # The usual level is the median of the earlier turns (the murmur is too short to count):
    # the turn at 12.5 s is 8 dB above it; the one at 8.5 s only 2 dB.
    [raised] = metrics["customer_raised_voice"]
    assert raised["at"] == pytest.approx(12.5, abs=FRAME)
    assert raised["jump_db"] == pytest.approx(8, abs=0.5)
    turn = next(s for s in metrics["segments"] if s["start"] == raised["at"])
    assert raised["level_dbfs"] == turn["level_dbfs"]
    assert metrics["agent_raised_voice"] == []


def test_the_raised_voice_threshold_is_the_callers(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "raised.wav", raised_voice_call(8000), 8000)

    strict = call_metrics(listen(path), raised_voice_db=10)
    lenient = call_metrics(listen(path), raised_voice_db=1.5)

    assert strict["customer_raised_voice"] == []
    assert [r["at"] for r in lenient["customer_raised_voice"]] == [
        pytest.approx(8.5, abs=FRAME),
        pytest.approx(12.5, abs=FRAME),
    ]


@needs_zh_speech
def test_real_speech_bleeding_into_the_other_channel_is_found(tmp_path: Path) -> None:
    rate = 16000
    agent, customer = recording(AISHELL), recording(FUNASR)
    customer_at = len(agent) / rate + 1.0
    samples = call(customer_at + 7, rate, [(0, 0.0, agent), (1, customer_at, customer)])
    clean = with_line_noise(samples, -70)
    leaky = with_line_noise(with_bleed(samples, -25, into=0), -70)

    separate = heard(write_wav(tmp_path / "clean.wav", clean, rate))
    mixed = heard(write_wav(tmp_path / "leaky.wav", leaky, rate))

    assert separate["channels_separated"] is True
    assert separate["crosstalk_db"] == {"agent_in_customer": None, "customer_in_agent": None}
    assert mixed["channels_separated"] is False
    assert mixed["crosstalk_db"]["customer_in_agent"] == pytest.approx(-25, abs=1)
    assert mixed["crosstalk_db"]["agent_in_customer"] is None


@needs_zh_speech
def test_a_real_customer_saying_it_again_10_db_louder_raised_their_voice(tmp_path: Path) -> None:
    rate = 16000
    sentence = recording(FUNASR)
    again_at = len(sentence) / rate + 1.0
    samples = call(2 * again_at, rate, [(1, 0.0, scaled(sentence, -10)), (1, again_at, sentence)])

    metrics = heard(write_wav(tmp_path / "again.wav", samples, rate))

    # The sentence heard again: its one long stretch of speech, 10 dB above the first time
    # (a breath before it is too soft and short to move the usual level).
    [raised] = metrics["customer_raised_voice"]
    assert raised["at"] > again_at
    assert raised["jump_db"] == pytest.approx(10, abs=1)
    assert metrics["agent_raised_voice"] == []
