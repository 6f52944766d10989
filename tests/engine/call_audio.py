"""Stereo call recordings built for the tests: speech placed at known times on each channel.

The speech is either a voiced, speech-like signal made here (a harmonic series on a gliding
pitch, modulated at a syllable rate: the voice detector takes it for speech) or the real
Mandarin recordings in `../shared/data/zh_speech` (16 kHz mono), which live outside the
repository. A call is written as WAV (PCM, A-law, µ-law) or, through libsndfile, as MP3,
OGG (Opus, Vorbis) or FLAC; line noise and one side bleeding into the other are added on
request.
"""

from __future__ import annotations

import struct
import wave
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
import soundfile

from lingting.engine.audio import ALAW_TABLE, MULAW_TABLE

# The figures a mono recording gives as null: who spoke is not known (FORMATS.md).
PER_SPEAKER_FIELDS = [
    "agent_talk_s",
    "agent_talk_ratio",
    "customer_talk_s",
    "overtalk_s",
    "agent_interruptions",
    "customer_interruptions",
    "agent_level_dbfs",
    "customer_level_dbfs",
    "segments",
    "interruptions",
    "agent_level_trend",
    "customer_level_trend",
    "agent_clipping",
    "customer_clipping",
    "crosstalk_db",
    "channels_separated",
    "agent_raised_voice",
    "customer_raised_voice",
]

Samples = npt.NDArray[np.int16]

ZH_SPEECH = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "zh_speech"
AISHELL = ZH_SPEECH / "aishell-BAC009S0724W0121.wav"
FUNASR = ZH_SPEECH / "funasr_asr_example.wav"
needs_zh_speech = pytest.mark.skipif(
    not (AISHELL.is_file() and FUNASR.is_file()),
    reason=f"the Mandarin recordings are not under {ZH_SPEECH} (they live outside the repository)",
)


def voiced(seconds: float, rate: int, *, level: float = 0.2, seed: int = 0) -> Samples:
    """Speech-like sound: 24 harmonics of a pitch gliding around 150 Hz, at ~4 syllables/s."""
    rng = np.random.default_rng(seed)
    t = np.arange(round(seconds * rate)) / rate
    pitch = 150 + 25 * np.sin(2 * np.pi * 0.7 * t + rng.uniform(0, 6))
    phase = 2 * np.pi * np.cumsum(pitch) / rate
    harmonics = sum(np.sin(k * phase) / k for k in range(1, 25))
    envelope = 0.6 + 0.4 * np.sin(2 * np.pi * 4 * t)
    signal = harmonics * envelope
    return np.asarray(signal / np.abs(signal).max() * level * 32767, dtype=np.int16)


def recording(path: Path) -> Samples:
    with wave.open(str(path), "rb") as source:
        assert source.getnchannels() == 1
        assert source.getsampwidth() == 2
        return np.frombuffer(source.readframes(source.getnframes()), dtype="<i2").copy()


def call(
    seconds: float, rate: int, placed: list[tuple[int, float, Samples]], channels: int = 2
) -> Samples:
    """A silent call of `seconds` with each (channel, start second, samples) mixed in."""
    out = np.zeros((round(seconds * rate), channels), dtype=np.int32)
    for channel, start, samples in placed:
        first = round(start * rate)
        out[first : first + len(samples), channel] += samples
    return np.clip(out, -32768, 32767).astype(np.int16)


def scaled(samples: Samples, decibels: float) -> Samples:
    return np.asarray(samples * 10 ** (decibels / 20), dtype=np.int16)


def clipped(samples: Samples, decibels: float) -> Samples:
    """Turned up by `decibels` and cut off at full scale, as an overdriven line does."""
    return np.clip(samples * 10 ** (decibels / 20), -32768, 32767).astype(np.int16)


def with_bleed(samples: Samples, decibels: float, *, into: int = 1) -> Samples:
    """The stereo call with channel `into` also carrying the other channel `decibels` down
    (a recorder or headset that does not keep the sides apart)."""
    mixed = samples.astype(np.int32)
    mixed[:, into] += scaled(samples[:, 1 - into], decibels)
    return np.clip(mixed, -32768, 32767).astype(np.int16)


def with_line_noise(samples: Samples, dbfs: float, seed: int = 0) -> Samples:
    """The call over a line hissing at `dbfs` (RMS) on every channel."""
    hiss = np.random.default_rng(seed).normal(0, 32768 * 10 ** (dbfs / 20), samples.shape)
    return np.clip(samples + hiss, -32768, 32767).astype(np.int16)


def write_wav(path: Path, samples: Samples, rate: int, encoding: str = "pcm16") -> Path:
    """A WAV file of int16 samples (frames, channels), as 16-bit PCM or G.711 A-law/µ-law."""
    channels = samples.shape[1]
    if encoding == "pcm16":
        tag, width, data = 1, 2, samples.astype("<i2").tobytes()
    else:
        table = ALAW_TABLE if encoding == "alaw" else MULAW_TABLE
        tag, width, data = (6 if encoding == "alaw" else 7), 1, g711_encode(samples, table)
    block = channels * width
    fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * block, block, 8 * width)
    body = b"WAVE" + chunk(b"fmt ", fmt) + chunk(b"data", data)
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    return path


def chunk(name: bytes, body: bytes) -> bytes:
    return name + struct.pack("<I", len(body)) + body + b"\0" * (len(body) & 1)


def g711_encode(samples: Samples, table: npt.NDArray[np.int16]) -> bytes:
    """Each sample as the code whose decoded value is nearest (what an encoder does)."""
    order = np.argsort(table, kind="stable")
    values = table[order].astype(np.int32)
    flat = samples.reshape(-1).astype(np.int32)
    above = np.clip(np.searchsorted(values, flat), 1, len(values) - 1)
    nearer_below = (flat - values[above - 1]) <= (values[above] - flat)
    index = np.where(nearer_below, above - 1, above)
    return order[index].astype(np.uint8).tobytes()


# Extension: libsndfile's container and codec.
COMPRESSED = {
    ".mp3": ("MP3", "MPEG_LAYER_III"),
    ".opus": ("OGG", "OPUS"),
    ".ogg": ("OGG", "VORBIS"),
    ".flac": ("FLAC", "PCM_16"),
}


def write_compressed(path: Path, samples: Samples, rate: int) -> Path:
    """The call encoded as `path`'s extension says (COMPRESSED), by libsndfile itself. It is
    given floats: libsndfile 1.2.2's MP3 encoder garbles 16-bit input."""
    container, codec = COMPRESSED[path.suffix]
    soundfile.write(path, samples / 32768.0, rate, format=container, subtype=codec)
    return path
