"""What listening to a call's recording found, as the rules that need sound read it.

A contact line may carry `audio`: the `lingting listen` line of its recording (FORMATS.md
"Listening to audio"; `lingting listen --contacts` writes it, and the web app attaches what
the task worker heard). The rules on time and sound (`dead_air`, `interruption`, `volume`,
`level_gap`, `raised_voice`) then judge the recording itself, not turn times a transcriber
guessed. Only the fields those rules read are kept; the rest of the line stays in the file.

Levels are dBFS, decibels below the loudest sample the recording can hold: not dB SPL, the
sound pressure a person hears. `to_db` converts with the center's calibration (a level in
dBFS measured for a known loudness), which is all a recording can honestly say.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Iterator
from typing import Any, Final

SPEAKERS: Final = ("agent", "customer")
# How much louder than their own earlier speech a voice must be to count as raised when a
# scorecard does not say (`raised_voice`'s `min_jump_db`): four times the sound power.
RAISED_VOICE_DB: Final = 6.0
# A segment shorter than this (a breath, an 嗯) is neither judged nor part of the usual level.
MIN_LEVEL_SEGMENT_S: Final = 0.5


class SoundError(ValueError):
    """An `audio` object that is not a `lingting listen` line; the message says where."""


class Segment:
    """One side talking without a pause, and how loud (dBFS; None when not measured)."""

    __slots__ = ("end", "level_dbfs", "speaker", "start")

    def __init__(self, speaker: str, start: float, end: float, level_dbfs: float | None) -> None:
        self.speaker = speaker
        self.start = start
        self.end = end
        self.level_dbfs = level_dbfs

    def _key(self) -> tuple[str, float, float, float | None]:
        return (self.speaker, self.start, self.end, self.level_dbfs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Segment) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Segment{self._key()!r}"


class CallSound:
    """The figures of one stereo (or mono) recording the rules use, seconds from its start."""

    __slots__ = ("channels", "levels_dbfs", "segments", "silences")

    def __init__(
        self,
        channels: int,
        silences: tuple[tuple[float, float], ...],
        segments: tuple[Segment, ...],
        levels_dbfs: dict[str, float | None],
    ) -> None:
        self.channels = channels
        self.silences = silences
        self.segments = segments  # stereo only: a mono file cannot tell the speakers apart
        self.levels_dbfs = levels_dbfs  # active speech level per speaker

    def _key(self) -> tuple[object, ...]:
        levels = tuple(sorted(self.levels_dbfs.items()))
        return (self.channels, self.silences, self.segments, levels)

    # Compared and shown by value, like the named tuple of the contact that holds it.
    def __eq__(self, other: object) -> bool:
        return isinstance(other, CallSound) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"CallSound{self._key()!r}"

    @property
    def stereo(self) -> bool:
        return self.channels == 2

    def spoken(self, speaker: str) -> Iterator[Segment]:
        return (segment for segment in self.segments if segment.speaker == speaker)

    def interruptions(self, by: str, min_overlap_s: float) -> list[tuple[float, float]]:
        """(time, overlap) where `by` starts while the other side is still talking and both
        go on together at least `min_overlap_s` (a shorter overlap is a back-channel, 嗯)."""
        other = sorted((s for s in self.segments if s.speaker != by), key=_start)
        found = []
        # One side's segments follow one another, so a pointer walks the other side's once
        # for the whole call: those that ended by a segment's start are past for the rest.
        ahead = 0
        for segment in sorted(self.spoken(by), key=_start):
            while ahead < len(other) and other[ahead].end <= segment.start:
                ahead += 1
            if ahead == len(other):
                break
            talking = other[ahead]
            if talking.start < segment.start:
                overlap = min(talking.end, segment.end) - segment.start
                if overlap >= min_overlap_s:
                    found.append((segment.start, overlap))
        return found

    def raised_voice(self, speaker: str, min_jump_db: float) -> list[tuple[Segment, float]]:
        """(segment, jump) where `speaker` raised their voice (see `raised_voice`)."""
        spoken = [s for s in self.spoken(speaker) if s.level_dbfs is not None]
        timed = [(s.start, s.end, s.level_dbfs or 0.0) for s in spoken]
        by_start = {s.start: s for s in spoken}
        return [
            (by_start[start], jump)
            for start, _, jump in raised_voice(timed, min_jump_db, shortest=MIN_LEVEL_SEGMENT_S)
        ]


def raised_voice(
    segments: Iterable[tuple[float, float, float]], min_jump_db: float, *, shortest: float
) -> list[tuple[float, float, float]]:
    """(start, level, jump) of each of one side's segments (start, end, level in dBFS, in
    order) at least `min_jump_db` above that side's usual level so far: the median level of
    its earlier segments, each weighted by its length, so that a breath or an 嗯 does not set
    it. A voice raised against how this person spoke on this line, which no fixed level
    could tell (handsets and voices differ by 20 dB). Segments shorter than `shortest` (in
    the segments' unit) are neither judged nor counted in the usual level."""
    raised: list[tuple[float, float, float]] = []
    earlier: list[tuple[float, float]] = []  # (level, length), kept sorted
    for start, end, level in segments:
        if end - start < shortest:
            continue
        if earlier:
            jump = round(level - _weighted_median(earlier), 1)
            if jump >= min_jump_db:
                raised.append((start, level, jump))
        bisect.insort(earlier, (level, end - start))
    return raised


def _weighted_median(ordered: list[tuple[float, float]]) -> float:
    """The value at the middle of the total weight of (value, weight) pairs in order."""
    half = sum(weight for _, weight in ordered) / 2
    running = 0.0
    for value, weight in ordered:
        running += weight
        if running >= half:
            return value
    raise ValueError("no values")


def _start(segment: Segment) -> float:
    return segment.start


def to_db(level_dbfs: float, *, reference_dbfs: float, reference_db: float) -> float:
    """A level in dB by the center's calibration: `reference_dbfs` in its recordings was
    measured as `reference_db` at the ear."""
    return reference_db + (level_dbfs - reference_dbfs)


def call_sound(value: Any) -> CallSound:
    """Read a contact line's `audio` object; `SoundError` names what is wrong."""
    if not isinstance(value, dict):
        raise SoundError("'audio' must be an object (a `lingting listen` line)")
    channels = value.get("channels")
    if channels not in (1, 2) or isinstance(channels, bool):
        raise SoundError("'audio.channels' must be 1 or 2")
    silences = tuple(
        (_seconds(s, f"audio.silences[{i}].start"), _seconds(s, f"audio.silences[{i}].end"))
        for i, s in enumerate(_array(value.get("silences"), "audio.silences"))
    )
    segments: tuple[Segment, ...] = ()
    levels: dict[str, float | None] = dict.fromkeys(SPEAKERS)
    if channels == 2:
        raw_segments = _array(value.get("segments"), "audio.segments")
        segments = tuple(_segment(raw, i) for i, raw in enumerate(raw_segments))
        for speaker in SPEAKERS:
            levels[speaker] = _level(value.get(f"{speaker}_level_dbfs"), f"{speaker}_level_dbfs")
    return CallSound(channels, silences, segments, levels)


def _array(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise SoundError(f"'{where}' must be an array")
    return value


def _segment(raw: Any, index: int) -> Segment:
    where = f"audio.segments[{index}]"
    if not isinstance(raw, dict) or raw.get("speaker") not in SPEAKERS:
        raise SoundError(f"'{where}' must be an object with speaker agent or customer")
    start, end = _seconds(raw, f"{where}.start"), _seconds(raw, f"{where}.end")
    if end < start:
        raise SoundError(f"'{where}' ends before it starts")
    return Segment(raw["speaker"], start, end, _level(raw.get("level_dbfs"), f"{where}.level_dbfs"))


def _seconds(raw: Any, where: str) -> float:
    value = raw.get(where.rsplit(".", 1)[1]) if isinstance(raw, dict) else None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise SoundError(f"'{where}' must be a number of seconds")
    if value < 0:
        raise SoundError(f"'{where}' is negative")
    return float(value)


def _level(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise SoundError(f"'audio.{where.removeprefix('audio.')}' must be a level in dBFS")
    if value > 0:
        raise SoundError(f"'audio.{where.removeprefix('audio.')}' is above 0 dBFS")
    return float(value)
