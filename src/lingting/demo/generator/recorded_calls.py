"""The demo's calls with recordings: stereo calls assembled from two real Mandarin voices.

Two recordings ship with the demo (`lingting/demo/audio`, credited there): one is the
agent's voice, the other the customer's. Each demo call places them on their channels —
the agent on channel 0, the customer on channel 1, as a switch records a call — at known
times and levels, and its transcript says, turn by turn, the text of the recording heard
at that time: a turn's text is always what its audio says, and its times are where its
audio is. The calls show what listening finds: a calm call, dead air, the agent talking
over the customer, the customer cutting in, and a customer who raises their voice.

Plain Python and numpy (no Django): the calls are built at demo time, so the demo needs
nothing outside the repository.
"""

from __future__ import annotations

import os
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

AUDIO = Path(__file__).resolve().parent.parent / "audio"
RATE = 16000
Samples = npt.NDArray[np.int16]

# Where a recording's speech begins and ends: 20 ms windows louder than -40 dBFS (RMS). The
# two recordings' room noise lies below -45 dBFS, their speech above -35 dBFS.
WINDOW_S = 0.02
SPEECH_DBFS = -40.0
MARGIN_S = 0.05  # kept either side of the speech, as a recorder's voice detector would
# Peak levels (share of full scale): the agent's and the customer's voices about level,
# the raised voice about 10 dB louder.
AGENT_PEAK = 0.4
CUSTOMER_PEAK = 0.3
RAISED_PEAK = 0.95
END_S = 1.0  # silence after the last word before the line is cleared


@dataclass(frozen=True, slots=True)
class Voice:
    """One recording, trimmed to its speech, and what it says."""

    samples: Samples
    text: str

    @property
    def seconds(self) -> float:
        return len(self.samples) / RATE


@dataclass(frozen=True, slots=True)
class Said:
    """One turn: who says it, in which voice, from when, how loud (peak, 0–1)."""

    speaker: str  # "agent" or "customer"
    voice: Voice
    start: float
    peak: float

    @property
    def end(self) -> float:
        return self.start + self.voice.seconds


@dataclass(frozen=True, slots=True)
class RecordedCall:
    key: str  # the recording's file name, without .wav
    shows: str  # what listening finds in it (the contact's tag)
    turns: tuple[Said, ...]

    @property
    def seconds(self) -> float:
        return round(max(t.end for t in self.turns) + END_S, 2)

    def samples(self) -> Samples:
        """The call as (frames, 2): the agent on channel 0, the customer on channel 1."""
        out = np.zeros((round(self.seconds * RATE), 2), dtype=np.float64)
        for turn in self.turns:
            voice = turn.voice.samples.astype(np.float64)
            scaled = voice * (turn.peak * 32767 / np.abs(voice).max())
            first = round(turn.start * RATE)
            out[first : first + len(scaled), 0 if turn.speaker == "agent" else 1] += scaled
        return np.clip(np.round(out), -32768, 32767).astype(np.int16)

    def turn_records(self) -> list[dict[str, Any]]:
        """The transcript in the interaction format (FORMATS.md), by start."""
        return [
            {
                "speaker": t.speaker,
                "text": t.voice.text,
                "start": round(t.start, 2),
                "end": round(t.end, 2),
            }
            for t in sorted(self.turns, key=lambda t: t.start)
        ]


def _read_voice(name: str, text: str) -> Voice:
    with wave.open(str(AUDIO / name), "rb") as source:
        if (source.getnchannels(), source.getsampwidth(), source.getframerate()) != (1, 2, RATE):
            raise ValueError(f"{name}: expected 16 kHz 16-bit mono")
        samples = np.frombuffer(source.readframes(source.getnframes()), dtype="<i2")
    return Voice(_speech_only(samples), text)


def _speech_only(samples: Samples) -> Samples:
    """`samples` from MARGIN_S before the first loud window to MARGIN_S after the last."""
    window = round(WINDOW_S * RATE)
    usable = len(samples) // window * window
    frames = samples[:usable].astype(np.float64).reshape(-1, window)
    rms = np.sqrt(np.square(frames).mean(axis=1))
    loud = np.flatnonzero(rms > 32768 * 10 ** (SPEECH_DBFS / 20))
    margin = round(MARGIN_S * RATE)
    first = max(0, int(loud[0]) * window - margin)
    last = min(len(samples), (int(loud[-1]) + 1) * window + margin)
    return samples[first:last].copy()


@cache
def voices() -> tuple[Voice, Voice]:
    """(the agent's voice, the customer's voice)."""
    return (
        _read_voice("funasr_asr_example.wav", "欢迎大家来体验达摩院推出的语音识别模型"),
        _read_voice("aishell-BAC009S0724W0121.wav", "广州市房地产中介协会分析"),
    )


@dataclass(frozen=True, slots=True)
class Step:
    """A turn of a script: `pause` seconds after the previous turn ends, or, with `over`,
    that many seconds into the previous turn (talking over it)."""

    speaker: str
    pause: float = 0.0
    over: float | None = None
    raised: bool = False  # the customer's raised voice


SCRIPTS: tuple[tuple[str, str, tuple[Step, ...]], ...] = (
    (
        "calm",
        "录音：平稳通话",
        (Step("agent", 0.5), Step("customer", 0.7), Step("agent", 0.6), Step("customer", 0.8)),
    ),
    (
        # 12 s of silence before the agent answers: over the standard's 10 s.
        "dead-air",
        "录音：冷场",
        (Step("agent", 0.5), Step("customer", 0.7), Step("agent", 12.0), Step("customer", 0.7)),
    ),
    (
        # Twice the agent starts 1.5 s into the customer's turn, 1.6 s over them.
        "agent-talks-over",
        "录音：坐席抢话",
        (
            Step("agent", 0.5),
            Step("customer", 0.6),
            Step("agent", over=1.5),
            Step("customer", 0.6),
            Step("agent", over=1.5),
        ),
    ),
    (
        "customer-cuts-in",
        "录音：客户插话",
        (
            Step("agent", 0.5),
            Step("customer", over=2.0),
            Step("agent", 0.6),
            Step("customer", over=2.5),
        ),
    ),
    (
        "raised-voice",
        "录音：客户提高音量",
        (
            Step("agent", 0.5),
            Step("customer", 0.7),
            Step("agent", 0.6),
            Step("customer", 0.7, raised=True),
            Step("agent", 0.6),
        ),
    ),
)


def recorded_calls() -> list[RecordedCall]:
    """The demo's recorded calls, one per script."""
    return [RecordedCall(key, shows, _placed(steps)) for key, shows, steps in SCRIPTS]


def _placed(steps: tuple[Step, ...]) -> tuple[Said, ...]:
    agent, customer = voices()
    turns: list[Said] = []
    for step in steps:
        if not turns:
            start = step.pause
        elif step.over is not None:
            start = turns[-1].start + step.over
        else:
            start = turns[-1].end + step.pause
        if step.speaker == "agent":
            turns.append(Said("agent", agent, start, AGENT_PEAK))
        else:
            peak = RAISED_PEAK if step.raised else CUSTOMER_PEAK
            turns.append(Said("customer", customer, start, peak))
    return tuple(turns)


def write_call(path: Path, call: RecordedCall) -> None:
    """The call as a 16-bit stereo WAV at `path`, replaced whole (a reader never sees half a
    file: another demo may be listening to the one it replaces)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    with wave.open(str(partial), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(call.samples().astype("<i2").tobytes())
    partial.replace(path)


def call_records(
    calls: list[RecordedCall],
    *,
    first_answered: datetime,
    agent_id: str,
    queue: str,
    folder: str,
) -> Iterator[dict[str, Any]]:
    """The calls as interaction records (FORMATS.md) answered by `agent_id` from
    `first_answered`, a few minutes apart, each naming its recording `folder/KEY.wav`."""
    for number, call in enumerate(calls, start=1):
        answered = first_answered + timedelta(minutes=5 * (number - 1))
        queued = answered - timedelta(seconds=12)
        yield {
            "id": f"C{answered:%Y%m%d}-R{number:02d}",
            "channel": "voice",
            "direction": "inbound",
            "queue": queue,
            "agent_id": agent_id,
            "customer_id": f"U{20000 + number}",
            "started_at": (queued - timedelta(seconds=20)).isoformat(),
            "queued_at": queued.isoformat(),
            "answered_at": answered.isoformat(),
            "ended_at": (answered + timedelta(seconds=call.seconds)).isoformat(),
            "disposition": "answered",
            "hangup_by": "customer",
            "rings": 2,
            "wait_s": 12,
            "talk_s": call.seconds,
            "tags": [call.shows],
            "turns": call.turn_records(),
            "recording": f"{folder}/{call.key}.wav",
        }
