"""What a call sounds like, without a speech model: who talks when, over whom, and how loud.

A stereo call recording holds one speaker per channel (the agent on channel 0 unless told).
Each channel goes through WebRTC's voice activity detector, frame by frame (10, 20 or 30 ms);
a pause shorter than 0.3 s inside a sentence is still talking, so voiced runs closer than
that are joined into one segment. From the two channels' segments come talk time per side,
overtalk (both at once), dead air (both silent between the first and the last speech),
interruptions (one side starts while the other is speaking, counted for the side that
starts, each with its time).

Every level here is the same measure: the RMS of the frames the detector found voiced, in
dBFS (decibels relative to a full-scale square wave). It is not LUFS (no loudness weighting)
and not dB SPL, which a file cannot know: a center compares it with its own calibration.
It is given per side for the whole call, per segment, and per minute of the call (the
trend); a segment at least 6 dB (or as asked) above the same side's usual level so far (the
median of its earlier segments' levels, weighted by their length) is a raised voice.
Clipping is the share of a side's voiced samples at full scale (99.9 % of the largest
sample the encoding holds); after lossy coding (MP3, Opus, Vorbis) cut-off tops come back
rippling around full scale, and the share reads lower (about half) than the original's;
so it does, less, after resampling.

Bleed, or echo, is one side's voice heard in the other's channel (a recorder that mixes the
lines, a headset that leaks, the far end's echo). Over the frames where a side speaks and
its channel is the louder, the other channel's frame level minus this side's is counted,
at each delay up to 0.25 s. Where the other channel carries this voice, its level rises and
falls with the voice's syllables: the difference holds steady (its interquartile range is
under half that of the voice's own level) and its median is how loud the voice is there,
in dB relative to its own channel. Line noise does not follow a voice, and the other side
really talking is a minority of those frames, which the median and quartiles shrug off.
"Only this side is voiced" would not do as the condition: the other side's detector takes
loud bleed for speech.

A mono recording mixes both speakers: it gives its speech, its silences and its clipping,
and null for every per-speaker figure rather than a guess at who spoke.

The file is read in blocks (`lingting.engine.audio`), so memory stays flat however long the
call; only the segments found and a few sums per channel and per minute are kept.
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

from lingting.engine.audio import heard_rate, read_recording_blocks, read_recording_info
from lingting.engine.call_sound import MIN_LEVEL_SEGMENT_S, RAISED_VOICE_DB, raised_voice

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
TREND_S = 60
# A sample this close to the largest the encoding holds was clipped (or nearly).
CLIPPED_SHARE_OF_FULL_SCALE = 0.999
# Bleed: echo comes back within a quarter second; judged on at least 3 s of a side's voice.
BLEED_MAX_DELAY_S = 0.25
BLEED_MIN_S = 3.0
BLEED_SPREAD_SHARE = 0.5
# Frame levels and level differences are counted in 0.5 dB bins from −120 to +30 dB.
LEVEL_FLOOR_DB, LEVEL_BIN_DB, LEVEL_BINS = -120.0, 0.5, 300
# Bleed at −30 dB or louder is heard plainly, and the other side's detector takes it for
# speech: the channels are not separated.
BLEED_LIMIT_DB = -30.0

Interval = tuple[int, int]  # [start, end) in frames
PerFrame = npt.NDArray[np.float64]  # one value per frame
Frames = npt.NDArray[np.intp]


@dataclass(slots=True)
class _Power:
    """Energy summed over voiced frames and the samples it came from: their RMS level."""

    energy: float = 0.0
    samples: int = 0

    def add(self, energy: float, samples: int) -> None:
        self.energy += energy
        self.samples += samples

    def level_dbfs(self) -> float | None:
        if not self.samples or self.energy <= 0:
            return None
        return round(10 * math.log10(self.energy / self.samples / FULL_SCALE_SQUARE), 1)


@dataclass(slots=True)
class _Channel:
    """One channel's voiced runs, joined across short pauses as they are found, and the
    energy of its voice per run, per minute and in all."""

    max_gap: int
    frames_per_minute: int
    # Each channel has its own detector: it adapts to the line's noise as it goes.
    detector: webrtcvad.Vad = field(default_factory=lambda: webrtcvad.Vad(VAD_MODE))
    runs: list[Interval] = field(default_factory=list)
    run_power: list[_Power] = field(default_factory=list)
    minute_power: list[_Power] = field(default_factory=list)
    power: _Power = field(default_factory=_Power)
    clipped_samples: int = 0

    def voiced(self, first_frame: int, found: Frames, energies: PerFrame, frame_len: int) -> None:
        """Take a block's voiced frames (`found`, indices from `first_frame`, in order) and
        their energies."""
        if not len(found):
            return
        frames = first_frame + found
        self.power.add(float(energies.sum()), len(frames) * frame_len)
        minutes = frames // self.frames_per_minute
        for minute in np.unique(minutes).tolist():
            while len(self.minute_power) <= minute:
                self.minute_power.append(_Power())
            here = minutes == minute
            self.minute_power[minute].add(float(energies[here].sum()), int(here.sum()) * frame_len)
        # The block's runs: voiced frames closer than a pause belong together.
        starts = np.flatnonzero(np.diff(frames, prepend=-self.max_gap - 1) > self.max_gap)
        counts = np.diff(starts, append=len(frames))
        runs = zip(
            frames[starts].tolist(),
            frames[starts + counts - 1].tolist(),
            np.add.reduceat(energies, starts).tolist(),
            counts.tolist(),
            strict=True,
        )
        for start, last, energy, count in runs:
            if self.runs and start - self.runs[-1][1] < self.max_gap:
                self.runs[-1] = (self.runs[-1][0], last + 1)
            else:
                self.runs.append((start, last + 1))
                self.run_power.append(_Power())
            self.run_power[-1].add(energy, count * frame_len)


@dataclass(frozen=True, slots=True)
class Bleed:
    """How one channel's voice shows in the other channel, judged over `frames` frames
    (this side voiced and its channel the louder): the other channel's level relative to
    this one's (the median difference, dB) at the delay where it follows most closely, how
    much that difference spreads (interquartile range, dB), and how much this side's own
    level spreads over the same frames."""

    frames: int
    level_db: float | None
    spread_db: float | None
    own_spread_db: float | None

    @property
    def judged(self) -> bool:
        return self.level_db is not None

    @property
    def heard(self) -> bool:
        """The other channel rises and falls with this voice: the difference between the
        two levels spreads less than half as much as the voice's own level."""
        if self.spread_db is None or self.own_spread_db is None:
            return False
        return self.spread_db <= BLEED_SPREAD_SHARE * self.own_spread_db


@dataclass(slots=True)
class _BleedHistogram:
    """Histograms, in LEVEL_BIN_DB steps, of this channel's frame level (dBFS) and of the
    other channel's level minus it at each delay of the other channel: medians and
    quartiles in flat memory, and robust to the few frames where both sides really talk."""

    delays: int
    own: npt.NDArray[np.int64]
    difference: npt.NDArray[np.int64]  # (delays + 1, bins)

    @classmethod
    def up_to(cls, delays: int) -> _BleedHistogram:
        return cls(
            delays, np.zeros(LEVEL_BINS, np.int64), np.zeros((delays + 1, LEVEL_BINS), np.int64)
        )

    def add(self, own_db: PerFrame, own_voiced: Frames, other_db: PerFrame) -> None:
        """Take a block's frame levels (dBFS) of both channels and this one's voiced frames."""
        # Pairs reaching past the block's end are left out: a few frames in each block.
        if len(own_db) <= self.delays:
            return
        chosen = own_voiced[own_voiced < len(own_db) - self.delays]
        chosen = chosen[own_db[chosen] >= other_db[chosen]]
        self.own += np.bincount(_level_bin(own_db[chosen]), minlength=LEVEL_BINS)
        delayed = other_db[chosen[:, None] + np.arange(self.delays + 1)]
        bins = _level_bin(delayed - own_db[chosen, None])
        flat = (bins + LEVEL_BINS * np.arange(self.delays + 1)).ravel()
        self.difference += np.bincount(flat, minlength=self.difference.size).reshape(
            self.difference.shape
        )

    def bleed(self, min_frames: int) -> Bleed:
        frames = int(self.own.sum())
        if frames < min_frames:
            return Bleed(frames, None, None, None)
        spreads = [_quantile(h, 0.75) - _quantile(h, 0.25) for h in self.difference]
        closest = int(np.argmin(spreads))
        return Bleed(
            frames,
            _quantile(self.difference[closest], 0.5),
            spreads[closest],
            _quantile(self.own, 0.75) - _quantile(self.own, 0.25),
        )


def _dbfs(mean_square: PerFrame) -> PerFrame:
    return 10 * np.log10(np.maximum(mean_square, 10 ** (LEVEL_FLOOR_DB / 10)))


def _level_bin(decibels: PerFrame) -> Frames:
    """Histogram bins of LEVEL_BIN_DB centred on its multiples from LEVEL_FLOOR_DB (levels
    and differences alike)."""
    bins = np.rint((decibels - LEVEL_FLOOR_DB) / LEVEL_BIN_DB).astype(np.intp)
    return np.clip(bins, 0, LEVEL_BINS - 1)


def _quantile(histogram: npt.NDArray[np.int64], share: float) -> float:
    """The centre, in dB, of the bin holding the `share` quantile."""
    index = int(np.searchsorted(np.cumsum(histogram), share * histogram.sum()))
    return LEVEL_FLOOR_DB + index * LEVEL_BIN_DB


@dataclass(frozen=True, slots=True)
class Heard:
    """A recording's voice activity: segments per channel, in frames of `frame_s` seconds,
    with the level of each, of each minute and of the whole channel; the voiced and clipped
    samples per channel; and for a stereo call, how each channel's voice shows in the other
    (`bleed[c]`: channel c's voice in the other channel)."""

    channels: int
    duration_s: float
    frame_s: float
    segments: tuple[list[Interval], ...]
    levels_dbfs: tuple[float | None, ...]
    segment_levels_dbfs: tuple[list[float], ...]
    minute_levels_dbfs: tuple[list[float | None], ...]
    voiced_samples: tuple[int, ...]
    clipped_samples: tuple[int, ...]
    bleed: tuple[Bleed, ...]


def listen(path: Path, *, frame_ms: int = 30) -> Heard:
    """Run the voice detector over every channel of the recording at `path`.

    Raises `AudioFormatError` (or OSError) when the file cannot be read as a call."""
    if frame_ms not in FRAME_MS:
        raise ValueError(f"frame_ms must be one of {FRAME_MS}, not {frame_ms}")
    info = read_recording_info(path)
    rate = heard_rate(info.sample_rate)
    frame_len = rate * frame_ms // 1000
    frame_s = frame_ms / 1000
    tracks = [
        _Channel(_pause_frames(frame_s), TREND_S * 1000 // frame_ms) for _ in range(info.channels)
    ]
    stereo = info.channels == 2
    delays = round(BLEED_MAX_DELAY_S / frame_s)
    bleeds = [_BleedHistogram.up_to(delays), _BleedHistogram.up_to(delays)] if stereo else []
    clipped_at = CLIPPED_SHARE_OF_FULL_SCALE * info.full_scale
    frames_per_block = frame_len * (BLOCK_S * 1000 // frame_ms)
    first_frame = samples_read = 0
    for block in read_recording_blocks(path, info, frames_per_block):
        samples_read += len(block)
        whole = len(block) // frame_len  # a last partial frame is too short to judge
        found = [
            _detect(
                rate,
                np.ascontiguousarray(block[: whole * frame_len, channel]).reshape(-1, frame_len),
                first_frame,
                track,
                clipped_at,
            )
            for channel, track in enumerate(tracks)
        ]
        if stereo:
            (first_db, first_voiced), (second_db, second_voiced) = found
            bleeds[0].add(first_db, first_voiced, second_db)
            bleeds[1].add(second_db, second_voiced, first_db)
        first_frame += whole
    duration_s = samples_read / rate
    minutes = math.ceil(duration_s / TREND_S)
    return Heard(
        channels=info.channels,
        duration_s=duration_s,
        frame_s=frame_s,
        segments=tuple(t.runs for t in tracks),
        levels_dbfs=tuple(t.power.level_dbfs() for t in tracks),
        segment_levels_dbfs=tuple([_level(p) for p in t.run_power] for t in tracks),
        minute_levels_dbfs=tuple(
            [p.level_dbfs() for p in t.minute_power] + [None] * (minutes - len(t.minute_power))
            for t in tracks
        ),
        voiced_samples=tuple(t.power.samples for t in tracks),
        clipped_samples=tuple(t.clipped_samples for t in tracks),
        bleed=tuple(b.bleed(round(BLEED_MIN_S / frame_s)) for b in bleeds),
    )


def _level(power: _Power) -> float:
    level = power.level_dbfs()
    # Every run has a voiced frame, and a voiced frame is louder than silence.
    assert level is not None
    return level


def _detect(
    sample_rate: int,
    frames: npt.NDArray[np.int16],
    first_frame: int,
    track: _Channel,
    clipped_at: float,
) -> tuple[PerFrame, Frames]:
    """Find the voiced frames of one channel's block and give them to its track. Returns
    every frame's level in dBFS and the voiced frames' indices."""
    energies = np.square(frames.astype(np.float64)).sum(axis=1)
    frame_len = frames.shape[1]
    raw = frames.tobytes()
    step = frame_len * 2
    voiced = np.array(
        [
            index
            for index in np.flatnonzero(energies > SILENCE_MEAN_SQUARE * frame_len).tolist()
            if track.detector.is_speech(raw[index * step : (index + 1) * step], sample_rate)
        ],
        dtype=np.intp,
    )
    track.voiced(first_frame, voiced, energies[voiced], frame_len)
    magnitudes = np.abs(frames[voiced].astype(np.int32))  # |−32768| overflows int16
    track.clipped_samples += int(np.count_nonzero(magnitudes >= clipped_at))
    return _dbfs(energies / (frame_len * FULL_SCALE_SQUARE)), voiced


def call_metrics(
    heard: Heard, *, agent_channel: int = 0, raised_voice_db: float = RAISED_VOICE_DB
) -> dict[str, Any]:
    """The figures of FORMATS.md's "Listening to audio", in seconds rounded to 0.01 s, and
    those added since (interruptions with their times, level per segment and per minute,
    clipping, bleed between the channels, raised voice: see the module's docstring).

    `raised_voice_db`: how far above the side's usual level so far (the length-weighted
    median of its earlier segments' levels) a segment's level must be to count as a raised
    voice."""
    seconds = _seconds(heard.frame_s)
    anyone = _union(*heard.segments)
    silences = _gaps(anyone, _pause_frames(heard.frame_s))
    metrics: dict[str, Any] = {
        "channels": heard.channels,
        "duration_s": round(heard.duration_s, 2),
        "speech_s": seconds(_length(anyone)),
        "agent_talk_s": None,
        "agent_talk_ratio": None,
        "customer_talk_s": None,
        "overtalk_s": None,
        "longest_silence_s": seconds(max((e - s for s, e in silences), default=0)),
        "silences": [{"start": seconds(s), "end": seconds(e)} for s, e in silences],
        "agent_interruptions": None,
        "customer_interruptions": None,
        "interruptions": None,
        "agent_level_dbfs": None,
        "customer_level_dbfs": None,
        "agent_level_trend": None,
        "customer_level_trend": None,
        "clipping": _share(sum(heard.clipped_samples), sum(heard.voiced_samples)),
        "agent_clipping": None,
        "customer_clipping": None,
        "crosstalk_db": None,
        "channels_separated": None,
        "agent_raised_voice": None,
        "customer_raised_voice": None,
        "segments": None,
    }
    if heard.channels != 2:
        return metrics
    sides = {"agent": agent_channel, "customer": 1 - agent_channel}
    agent, customer = heard.segments[agent_channel], heard.segments[1 - agent_channel]
    for who, channel in sides.items():
        metrics[f"{who}_talk_s"] = seconds(_length(heard.segments[channel]))
        metrics[f"{who}_level_dbfs"] = heard.levels_dbfs[channel]
        metrics[f"{who}_level_trend"] = _trend(heard.minute_levels_dbfs[channel], heard.duration_s)
        metrics[f"{who}_clipping"] = _share(
            heard.clipped_samples[channel], heard.voiced_samples[channel]
        )
        timed = [
            (start * heard.frame_s, end * heard.frame_s, level)
            for (start, end), level in zip(
                heard.segments[channel], heard.segment_levels_dbfs[channel], strict=True
            )
        ]
        metrics[f"{who}_raised_voice"] = [
            {"at": round(start, 2), "level_dbfs": level, "jump_db": jump}
            for start, level, jump in raised_voice(
                timed, raised_voice_db, shortest=MIN_LEVEL_SEGMENT_S
            )
        ]
    agent_starts = _interruption_starts(agent, customer)
    customer_starts = _interruption_starts(customer, agent)
    agent_bleed, customer_bleed = heard.bleed[agent_channel], heard.bleed[1 - agent_channel]
    spoken = [
        (who, s, e, level)
        for who, channel in sides.items()
        for (s, e), level in zip(
            heard.segments[channel], heard.segment_levels_dbfs[channel], strict=True
        )
    ]
    metrics.update(
        overtalk_s=seconds(_overlap(agent, customer)),
        agent_talk_ratio=_talk_ratio(_length(agent), _length(customer)),
        agent_interruptions=len(agent_starts),
        customer_interruptions=len(customer_starts),
        interruptions=[
            {"by": who, "at": seconds(at)}
            for at, who in sorted(
                [(at, "agent") for at in agent_starts]
                + [(at, "customer") for at in customer_starts]
            )
        ],
        crosstalk_db={
            "agent_in_customer": agent_bleed.level_db if agent_bleed.heard else None,
            "customer_in_agent": customer_bleed.level_db if customer_bleed.heard else None,
        },
        channels_separated=_separated(agent_bleed, customer_bleed),
        segments=[
            {"speaker": who, "start": seconds(s), "end": seconds(e), "level_dbfs": level}
            for who, s, e, level in sorted(spoken, key=lambda one: (one[1], one[2]))
        ],
    )
    return metrics


def _trend(levels: list[float | None], duration_s: float) -> list[dict[str, float | None]]:
    """The level of each minute of the call (the last one as long as what is left)."""
    return [
        {
            "from": minute * TREND_S,
            "to": round(min((minute + 1) * TREND_S, duration_s), 2),
            "level_dbfs": level,
        }
        for minute, level in enumerate(levels)
    ]


def _talk_ratio(agent: int, customer: int) -> float | None:
    """The agent's share of the two sides' talk time (0–1); null when neither spoke."""
    return round(agent / (agent + customer), 3) if agent + customer else None


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 5) if whole else None


def _separated(agent: Bleed, customer: Bleed) -> bool | None:
    """False when either side's voice is heard in the other channel at BLEED_LIMIT_DB or
    louder; null when neither side spoke enough to judge."""
    if not (agent.judged or customer.judged):
        return None
    return not any(
        bleed.heard and bleed.level_db is not None and bleed.level_db >= BLEED_LIMIT_DB
        for bleed in (agent, customer)
    )


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


def _interruption_starts(starter: list[Interval], speaker: list[Interval]) -> list[int]:
    """Where each of `starter`'s segments begins while `speaker` is already talking."""
    starts, j = [], 0
    for start, _ in starter:
        while j < len(speaker) and speaker[j][1] <= start:
            j += 1
        if j < len(speaker) and speaker[j][0] < start:
            starts.append(start)
    return starts
