"""A call as `lingting listen` would have heard it, for the waveform's page and browser
tests: a 12-second stereo brush-off with dead air and the customer talking over the agent,
its transcript, two deductions, and the stored metrics and peaks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import timezone

from lingting.interactions.models import Contact, Listening, Recording
from tests.conftest import ContactFactory
from tests.engine.call_audio import PER_SPEAKER_FIELDS
from tests.web.conftest import silent_wav

TURNS = (
    ("agent", "您好，很高兴为您服务。", 0.0, 3.0),
    ("customer", "我的宽带又断了，你们到底管不管？", 2.6, 6.0),
    ("agent", "这个我不清楚，你自己去营业厅问吧。", 8.5, 11.0),
)
# What the scoring engine writes for the brush-off: a forbidden phrase in turn 2, and dead
# air at 6 s, evidence with a time of its own and no turn.
DEAD_AIR = {
    "item": "dead_air",
    "title": "冷场",
    "result": "fail",
    "points_lost": 2,
    "evidence": [{"turn": None, "speaker": None, "text": "静默 2.5 秒", "time": 6.0}],
}
STEREO_METRICS: dict[str, Any] = {
    "channels": 2,
    "duration_s": 12.0,
    "speech_s": 9.5,
    "agent_talk_s": 5.5,
    "customer_talk_s": 3.4,
    "overtalk_s": 0.4,
    "longest_silence_s": 2.5,
    "silences": [{"start": 6.0, "end": 8.5}],
    "agent_interruptions": 0,
    "customer_interruptions": 1,
    "agent_level_dbfs": -18.2,
    "customer_level_dbfs": -24.6,
    "segments": [
        {"speaker": "agent", "start": 0.0, "end": 3.0},
        {"speaker": "customer", "start": 2.6, "end": 6.0},
        {"speaker": "agent", "start": 8.5, "end": 11.0},
    ],
    # Each interruption with its time, where `lingting listen` lists them (an optional field).
    "interruptions": [{"by": "customer", "at": 2.6}],
}
MONO_METRICS: dict[str, Any] = {
    **STEREO_METRICS,
    "channels": 1,
    **dict.fromkeys(PER_SPEAKER_FIELDS),
}


def peaks(*talking: tuple[float, float], count: int = 48) -> list[float]:
    """A lane of `count` peaks over the 12 s call: loud while talking (from, to seconds),
    a line's hiss elsewhere."""
    seconds = [12.0 * (i + 0.5) / count for i in range(count)]
    return [0.8 if any(a <= t < b for a, b in talking) else 0.02 for t in seconds]


STEREO_WAVEFORM = {
    "duration_s": 12.0,
    "lanes": {"agent": peaks((0.0, 3.0), (8.5, 11.0)), "customer": peaks((2.6, 6.0))},
}


def listened(
    contact: Contact,
    *,
    metrics: dict[str, Any] | None = None,
    waveform: dict[str, Any] | None = None,
    error: str = "",
) -> Listening:
    return Listening.objects.create(
        recording=contact.recordings.get(),
        listened_at=timezone.now(),
        metrics=metrics,
        waveform=waveform,
        error=error,
    )


def recorded_brush_off(make_contact: ContactFactory, root: Path) -> Contact:
    """Agent 李娜's call, scored with the two deductions, its recording on disk under `root`
    (not listened to yet)."""
    contact = make_contact(
        "C-WAVE",
        agent="A1001",
        turns=TURNS,
        score=88,
        items=[ContactFactory.forbidden_phrase_item(2, 7, 16, "你自己去营业厅问吧"), DEAD_AIR],
    )
    silent_wav(root / "C-WAVE.wav", seconds=12)
    Recording.objects.create(contact=contact, uri="C-WAVE.wav")
    return contact
