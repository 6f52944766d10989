"""What a call sounds like, without a speech model: who talks when, over whom, and how loud.

A stereo call recording holds one speaker per channel (the agent on channel 0 unless told).
Each channel goes through WebRTC's voice activity detector, frame by frame (10, 20 or 30 ms);
a pause shorter than 0.3 s inside a sentence is still talking, so voiced runs closer than
that are joined into one segment. From the two channels' segments come talk time per side,
overtalk (both at once), dead air (both silent between the first and the last speech),
interruptions (one side starts while the other is speaking, counted for the side that
starts) and the active speech level per side: the RMS of the frames the detector found voiced,
in dBFS (decibels relative to a full-scale square wave; not dB SPL, which a file cannot know).

A mono recording mixes both speakers: it gives its speech and its silences, and null for
every per-speaker figure rather than a guess at who spoke.

The file is read in blocks (`lingting.engine.audio`), so memory stays flat however long the
call; only the segments found are kept.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import webrtcvad

from lingting.engine.audio import WavInfo, read_blocks, read_wav_info

FRAME_MS = (10, 20, 30)
MIN_PAUSE_S = 0.3
# WebRTC's mode 2 of 0-3 ("aggressive"): telephone lines carry hiss and hum that mode 0
# takes for speech, and mode 3 drops the soft ends of words.
VAD_MODE = 2
# A frame this quiet (−60 dBFS RMS) is silence whatever the detector says; skipping it
# saves most of the detector's time on the long silent stretches of a call.
SILENCE_MEAN_SQUARE = (32768.0 * 10 ** (-60 / 20)) ** 2
BLOCK_S = 10
FULL_SCALE_SQUARE = 32768.0**2

Interval = tuple[int, int]  # [start, end) in frames


@dataclass(slots=True)
class _Channel:
    """One channel's voiced runs, joined across short pauses as they are found."""

    max_gap: int
    # Each channel has its own detector: it adapts to the line's noise as it goes.
    detector: webrtcvad.Vad = field(default_factory=lambda: webrtcvad.Vad(VAD_MODE))
    runs: list[Interval] = field(default_factory=list)
    energy: float = 0.0
    voiced_samples: int = 0

    def voiced(self, frame: int, energy: float, samples: int) -> None:
        self.energy += energy
        self.voiced_samples += samples
        if self.runs and frame - self.runs[-1][1] < self.max_gap:
            self.runs[-1] = (self.runs[-1][0], frame + 1)
        else:
            self.runs.append((frame, frame + 1))

    def level_dbfs(self) -> float | None:
        if not self.voiced_samples or self.energy <= 0:
            return None
        return round(10 * math.log10(self.energy / self.voiced_samples / FULL_SCALE_SQUARE), 1)


@dataclass(frozen=True, slots=True)
class Heard:
    """A recording's voice activity: segments per channel, in frames of `frame_s` seconds."""

    channels: int
    duration_s: float
    frame_s: float
    segments: tuple[list[Interval], ...]
    levels_dbfs: tuple[float | None, ...]


def listen(path: Path, *, frame_ms: int = 30) -> Heard:
    """Run the voice detector over every channel of the recording at `path`.

    Raises `AudioFormatError` (or OSError) when the file cannot be read as a call."""
    if frame_ms not in FRAME_MS:
        raise ValueError(f"frame_ms must be one of {FRAME_MS}, not {frame_ms}")
    info = read_wav_info(path)
    frame_len = info.sample_rate * frame_ms // 1000
    frame_s = frame_ms / 1000
    max_gap = _pause_frames(frame_s)
    tracks = [_Channel(max_gap) for _ in range(info.channels)]
    frames_per_block = frame_len * (BLOCK_S * 1000 // frame_ms)
    first_frame = 0
    for block in read_blocks(path, info, frames_per_block):
        whole = len(block) // frame_len  # a last partial frame is too short to judge
        for channel, track in enumerate(tracks):
            samples = np.ascontiguousarray(block[: whole * frame_len, channel])
            _detect(info, samples, frame_len, first_frame, track)
        first_frame += whole
    return Heard(
        channels=info.channels,
        duration_s=info.duration_s,
        frame_s=frame_s,
        segments=tuple(t.runs for t in tracks),
        levels_dbfs=tuple(t.level_dbfs() for t in tracks),
    )


def _detect(
    info: WavInfo,
    samples: npt.NDArray[np.int16],
    frame_len: int,
    first_frame: int,
    track: _Channel,
) -> None:
    energies = np.square(samples.reshape(-1, frame_len).astype(np.float64)).sum(axis=1)
    raw = samples.tobytes()
    step = frame_len * 2
    for index in np.flatnonzero(energies > SILENCE_MEAN_SQUARE * frame_len).tolist():
        if track.detector.is_speech(raw[index * step : (index + 1) * step], info.sample_rate):
            track.voiced(first_frame + index, float(energies[index]), frame_len)


def call_metrics(heard: Heard, *, agent_channel: int = 0) -> dict[str, Any]:
    """The figures of FORMATS.md's "Listening to audio", in seconds rounded to 0.01 s."""
    seconds = _seconds(heard.frame_s)
    anyone = _union(*heard.segments)
    silences = _gaps(anyone, _pause_frames(heard.frame_s))
    metrics: dict[str, Any] = {
        "channels": heard.channels,
        "duration_s": round(heard.duration_s, 2),
        "speech_s": seconds(_length(anyone)),
        "agent_talk_s": None,
        "customer_talk_s": None,
        "overtalk_s": None,
        "longest_silence_s": seconds(max((e - s for s, e in silences), default=0)),
        "silences": [{"start": seconds(s), "end": seconds(e)} for s, e in silences],
        "agent_interruptions": None,
        "customer_interruptions": None,
        "agent_level_dbfs": None,
        "customer_level_dbfs": None,
        "segments": None,
    }
    if heard.channels != 2:
        return metrics
    agent, customer = heard.segments[agent_channel], heard.segments[1 - agent_channel]
    spoken = [("agent", s, e) for s, e in agent] + [("customer", s, e) for s, e in customer]
    metrics.update(
        agent_talk_s=seconds(_length(agent)),
        customer_talk_s=seconds(_length(customer)),
        overtalk_s=seconds(_overlap(agent, customer)),
        agent_interruptions=_interruptions(agent, customer),
        customer_interruptions=_interruptions(customer, agent),
        agent_level_dbfs=heard.levels_dbfs[agent_channel],
        customer_level_dbfs=heard.levels_dbfs[1 - agent_channel],
        segments=[
            {"speaker": who, "start": seconds(s), "end": seconds(e)}
            for who, s, e in sorted(spoken, key=lambda one: (one[1], one[2]))
        ],
    )
    return metrics


def _pause_frames(frame_s: float) -> int:
    """Frames in the shortest pause that ends talking (MIN_PAUSE_S)."""
    return math.ceil(MIN_PAUSE_S / frame_s - 1e-9)


def _seconds(frame_s: float) -> Callable[[int], float]:
    def seconds(frames: int) -> float:
        return round(frames * frame_s, 2)

    return seconds


def _length(intervals: list[Interval]) -> int:
    return sum(e - s for s, e in intervals)


def _union(*channels: list[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(i for intervals in channels for i in intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _gaps(intervals: list[Interval], shortest: int) -> list[Interval]:
    """The silences between consecutive intervals, those at least `shortest` long (a shorter
    one is a turn handed over, not dead air)."""
    return [(a[1], b[0]) for a, b in itertools.pairwise(intervals) if b[0] - a[1] >= shortest]


def _overlap(first: list[Interval], second: list[Interval]) -> int:
    total, i, j = 0, 0, 0
    while i < len(first) and j < len(second):
        total += max(0, min(first[i][1], second[j][1]) - max(first[i][0], second[j][0]))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return total


def _interruptions(starter: list[Interval], speaker: list[Interval]) -> int:
    """How many of `starter`'s segments begin while `speaker` is already talking."""
    count, j = 0, 0
    for start, _ in starter:
        while j < len(speaker) and speaker[j][1] <= start:
            j += 1
        if j < len(speaker) and speaker[j][0] < start:
            count += 1
    return count
