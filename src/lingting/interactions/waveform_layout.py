"""A recording's listening laid out for the contact page: the figures row and the two-lane
waveform, drawn by the server as an inline SVG.

Pure functions on what `Listening` stores (its `waveform` peaks and its `metrics`, the
`lingting listen` line of FORMATS.md "Listening to audio"), no Django, so the geometry is
unit-tested on its own. Everything is in the SVG's own units: `WIDTH` across for the whole
call; a row for the deduction markers on top, the lanes (agent above customer, or one mono
lane) below it, the time axis at the bottom.

The stored JSON is read defensively: a value of the wrong type is left out (a lane that is
not a list of numbers draws nothing) rather than failing the contact page.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lingting.interactions.transcript import format_clock

WIDTH = 1000.0
MARKER_ROW = 22.0  # the deduction markers' numbered badges
LANE_GAP = 4.0
STEREO_LANE_HEIGHT = 60.0
MONO_LANE_HEIGHT = 80.0
AXIS_HEIGHT = 20.0
# A few hundred peaks are stored; more columns than this would only make the page heavier
# than the screen can show.
MAX_COLUMNS = 500
TICK_STEPS_S = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600)
MAX_TICKS = 8
BADGE_RADIUS = 8.0


@dataclass(frozen=True, slots=True)
class Lane:
    """One channel's peaks, mirrored about the lane's middle."""

    speaker: str  # "agent", "customer" or "mono"
    top: float
    height: float
    outline: str  # SVG path data

    @property
    def middle(self) -> float:
        return self.top + self.height / 2

    @property
    def label_y(self) -> float:
        return self.top + 13


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the call shaded across the lanes: dead air or overtalk."""

    kind: str  # "silence" or "overtalk"
    start: float
    end: float
    x: float
    width: float

    @property
    def clocks(self) -> str:
        return f"{format_clock(self.start)}–{format_clock(self.end)}"

    @property
    def seconds(self) -> float:
        return round(self.end - self.start, 2)


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str
    anchor: str  # the label's SVG text-anchor: "start", "middle" or "end"


@dataclass(frozen=True, slots=True)
class InterruptionMark:
    """One side starting while the other speaks: a notch on the top of the starter's lane."""

    by: str  # "agent" or "customer"
    at: float
    x: float
    top: float

    @property
    def outline(self) -> str:
        return f"M{_n(self.x - 4)} {_n(self.top)}H{_n(self.x + 4)}L{_n(self.x)} {_n(self.top + 7)}Z"

    @property
    def clock(self) -> str:
        return format_clock(self.at)


@dataclass(frozen=True, slots=True)
class Deduction:
    """Where in the call a failed item's evidence lies (seconds), and the item's title."""

    at: float
    title: str
    anchor: str  # the evidence's id in the transcript


@dataclass(frozen=True, slots=True)
class DeductionMark:
    number: int  # 1, 2, … in the order they are heard
    at: float
    title: str
    anchor: str
    x: float | None  # None: the time lies outside the recording (not drawn on it)

    @property
    def clock(self) -> str:
        return format_clock(self.at)

    @property
    def badge_x(self) -> float:
        """The badge's centre, kept whole inside the drawing at either end."""
        x = self.x or 0.0
        return min(max(x, BADGE_RADIUS + 1), WIDTH - BADGE_RADIUS - 1)


@dataclass(frozen=True, slots=True)
class Waveform:
    duration_s: float
    lanes: list[Lane]
    spans: list[Span]
    ticks: list[Tick]
    interruptions: list[InterruptionMark]
    width: float = WIDTH

    @property
    def stereo(self) -> bool:
        return len(self.lanes) == 2

    @property
    def marker_row(self) -> float:
        return MARKER_ROW

    @property
    def badge_y(self) -> float:
        return MARKER_ROW / 2

    @property
    def badge_number_y(self) -> float:
        return MARKER_ROW / 2 + 4  # the number's baseline, centring it in its badge

    @property
    def badge_radius(self) -> float:
        return BADGE_RADIUS

    @property
    def lanes_top(self) -> float:
        return self.lanes[0].top

    @property
    def lanes_bottom(self) -> float:
        return self.lanes[-1].top + self.lanes[-1].height

    @property
    def lanes_height(self) -> float:
        return self.lanes_bottom - self.lanes_top

    @property
    def tick_label_y(self) -> float:
        return self.lanes_bottom + AXIS_HEIGHT - 4

    @property
    def tick_bottom(self) -> float:
        return self.lanes_bottom + 4

    @property
    def height(self) -> float:
        return self.lanes_bottom + AXIS_HEIGHT

    def x_of(self, seconds: float) -> float:
        return _x_of(seconds, self.duration_s)

    def marks(self, deductions: Iterable[Deduction]) -> list[DeductionMark]:
        """The deductions numbered in the order they are heard; the same item at the same
        moment (two pieces of evidence in one turn) is one mark."""
        seen: set[tuple[str, float]] = set()
        marks: list[DeductionMark] = []
        for deduction in sorted(deductions, key=lambda d: (d.at, d.title)):
            key = (deduction.title, round(deduction.at, 1))
            if key in seen:
                continue
            seen.add(key)
            inside = 0 <= deduction.at <= self.duration_s
            marks.append(
                DeductionMark(
                    number=len(marks) + 1,
                    at=deduction.at,
                    title=deduction.title,
                    anchor=deduction.anchor,
                    x=self.x_of(deduction.at) if inside else None,
                )
            )
        return marks


@dataclass(frozen=True, slots=True)
class SoundFigures:
    """The figures row above the waveform; None where the metrics do not say (a mono call
    has no per-speaker figure)."""

    channels: int | None
    speech_s: float | None
    agent_level_dbfs: float | None
    customer_level_dbfs: float | None
    agent_talk_s: float | None
    customer_talk_s: float | None
    overtalk_s: float | None
    silence_count: int
    dead_air_s: float
    longest_silence_s: float | None
    agent_interruptions: int | None
    customer_interruptions: int | None
    # False: one side is heard in the other's channel (a leaking headset, a recorder that
    # mixes the lines), and the per-side figures and lanes mislead.
    channels_separated: bool | None = None

    @property
    def stereo(self) -> bool:
        return self.channels == 2

    @property
    def agent_talk_percent(self) -> int | None:
        """The agent's share of all talk time, in percent."""
        if self.agent_talk_s is None or self.customer_talk_s is None:
            return None
        total = self.agent_talk_s + self.customer_talk_s
        return round(100 * self.agent_talk_s / total) if total > 0 else None


def sound_figures(metrics: object) -> SoundFigures | None:
    """The figures of a `lingting listen` line; None when it is not one (not an object)."""
    if not isinstance(metrics, Mapping):
        return None
    silences = _spans(metrics.get("silences"))
    longest = _number(metrics.get("longest_silence_s"))
    if longest is None and silences:
        longest = round(max(end - start for start, end in silences), 2)
    return SoundFigures(
        channels=_whole(metrics.get("channels")),
        speech_s=_number(metrics.get("speech_s")),
        agent_level_dbfs=_number(metrics.get("agent_level_dbfs")),
        customer_level_dbfs=_number(metrics.get("customer_level_dbfs")),
        agent_talk_s=_number(metrics.get("agent_talk_s")),
        customer_talk_s=_number(metrics.get("customer_talk_s")),
        overtalk_s=_number(metrics.get("overtalk_s")),
        silence_count=len(silences),
        dead_air_s=round(sum(end - start for start, end in silences), 2),
        longest_silence_s=longest,
        agent_interruptions=_whole(metrics.get("agent_interruptions")),
        customer_interruptions=_whole(metrics.get("customer_interruptions")),
        channels_separated=_flag(metrics.get("channels_separated")),
    )


def waveform_layout(stored: object, metrics: object) -> Waveform | None:
    """The drawing of a stored waveform with the metrics' dead air, overtalk and
    interruptions; None when there is nothing to draw (no lanes, no duration)."""
    if not isinstance(stored, Mapping) or not isinstance(stored.get("lanes"), Mapping):
        return None
    facts: Mapping[str, Any] = metrics if isinstance(metrics, Mapping) else {}
    duration = _number(stored.get("duration_s")) or _number(facts.get("duration_s"))
    if duration is None or duration <= 0:
        return None
    lanes = _lanes(stored["lanes"])
    if not lanes:
        return None
    spans = _shaded(duration, "silence", _spans(facts.get("silences")))
    interruptions: list[InterruptionMark] = []
    if len(lanes) == 2:  # who spoke over whom is known only with one speaker a channel
        spans += _shaded(duration, "overtalk", _overtalk(facts.get("segments")))
        interruptions = _interruptions(duration, lanes, facts.get("interruptions"))
    return Waveform(duration, lanes, spans, _ticks(duration), interruptions)


def _lanes(stored: Mapping[str, Any]) -> list[Lane]:
    speakers: tuple[str, ...]
    if isinstance(stored.get("agent"), list) and isinstance(stored.get("customer"), list):
        speakers, height = ("agent", "customer"), STEREO_LANE_HEIGHT
    elif isinstance(stored.get("mono"), list):
        speakers, height = ("mono",), MONO_LANE_HEIGHT
    else:
        return []
    lanes = []
    top = MARKER_ROW + 2
    for speaker in speakers:
        lanes.append(Lane(speaker, top, height, _outline(_columns(stored[speaker]), top, height)))
        top += height + LANE_GAP
    return lanes


def _columns(peaks: Sequence[Any]) -> list[float]:
    """The peaks as 0–1 values (anything else as 0), at most MAX_COLUMNS of them: each
    column the loudest of the peaks it stands for."""
    values = [min(max(v, 0.0), 1.0) if (v := _number(peak)) is not None else 0.0 for peak in peaks]
    if len(values) <= MAX_COLUMNS:
        return values
    per_column = math.ceil(len(values) / MAX_COLUMNS)
    return [max(values[i : i + per_column]) for i in range(0, len(values), per_column)]


def _outline(columns: list[float], top: float, height: float) -> str:
    """A closed path through the columns' peaks above the lane's middle and back below it."""
    if not columns:
        return ""
    middle, reach = top + height / 2, height / 2 - 1
    step = WIDTH / len(columns)
    xs = [(i + 0.5) * step for i in range(len(columns))]
    above = [f"L{_n(x)} {_n(middle - peak * reach)}" for x, peak in zip(xs, columns, strict=True)]
    below = [
        f"L{_n(x)} {_n(middle + peak * reach)}"
        for x, peak in reversed(list(zip(xs, columns, strict=True)))
    ]
    return f"M0 {_n(middle)}{''.join(above)}L{_n(WIDTH)} {_n(middle)}{''.join(below)}Z"


def _x_of(seconds: float, duration: float) -> float:
    return round(seconds / duration * WIDTH, 1)


def _shaded(duration: float, kind: str, spans: Iterable[tuple[float, float]]) -> list[Span]:
    shaded = []
    for start, end in spans:
        start, end = max(start, 0.0), min(end, duration)
        if end > start:
            x = _x_of(start, duration)
            # At least one unit wide: a short overtalk still shows on an hour-long call.
            width = max(_x_of(end, duration) - x, 1.0)
            shaded.append(Span(kind, start, end, x, round(width, 1)))
    return shaded


def _overtalk(segments: object) -> list[tuple[float, float]]:
    """Where the agent's and the customer's segments overlap."""
    if not isinstance(segments, list):
        return []
    by_speaker: dict[str, list[tuple[float, float]]] = {"agent": [], "customer": []}
    for segment in segments:
        if isinstance(segment, Mapping) and segment.get("speaker") in by_speaker:
            by_speaker[segment["speaker"]].extend(_spans([segment]))
    agent, customer = sorted(by_speaker["agent"]), sorted(by_speaker["customer"])
    both: list[tuple[float, float]] = []
    i = j = 0
    while i < len(agent) and j < len(customer):
        start, end = max(agent[i][0], customer[j][0]), min(agent[i][1], customer[j][1])
        if end > start:
            both.append((start, end))
        if agent[i][1] < customer[j][1]:
            i += 1
        else:
            j += 1
    return both


def _interruptions(duration: float, lanes: list[Lane], stated: object) -> list[InterruptionMark]:
    """The interruptions with their times, where the metrics list them (an optional field)."""
    if not isinstance(stated, list):
        return []
    tops = {lane.speaker: lane.top for lane in lanes}
    marks = []
    for one in stated:
        if not isinstance(one, Mapping) or one.get("by") not in tops:
            continue
        at = _number(one.get("at"))
        if at is not None and 0 <= at <= duration:
            marks.append(InterruptionMark(one["by"], at, _x_of(at, duration), tops[one["by"]]))
    return marks


def _ticks(duration: float) -> list[Tick]:
    step = next((s for s in TICK_STEPS_S if duration / s <= MAX_TICKS), None)
    if step is None:
        step = 3600 * math.ceil(duration / 3600 / MAX_TICKS)
    ticks = []
    for n in range(int(duration // step) + 1):
        x = _x_of(n * step, duration)
        anchor = "start" if n == 0 else "end" if x > WIDTH - 20 else "middle"
        ticks.append(Tick(x, format_clock(n * step), anchor))
    return ticks


def _spans(value: object) -> list[tuple[float, float]]:
    """[{start, end}, …] as (start, end) pairs; an entry that is not one is left out."""
    if not isinstance(value, list):
        return []
    spans = []
    for entry in value:
        if isinstance(entry, Mapping):
            start, end = _number(entry.get("start")), _number(entry.get("end"))
            if start is not None and end is not None and end > start:
                spans.append((start, end))
    return spans


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # a whole number too large for a float (JSON allows it)
        return None
    return number if math.isfinite(number) else None


def _flag(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _n(value: float) -> str:
    """A coordinate to a tenth of a unit, without a trailing ".0"."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
