"""Report charts as SVG text, drawn offline: no JavaScript, no library, nothing fetched.

The same SVG goes inline into a report page (the strict CSP allows it: presentation
attributes such as ``fill="…"``, never ``style="…"``) and into the PDF export (fpdf2 draws
SVG shapes and text). Every label is XML-escaped, so a queue named ``<b>`` stays text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#0ea5e9")
INK = "#1f2937"
GRID = "#e5e7eb"
MUTED = "#6b7280"
DEFAULT_FONT = "WenQuanYi Micro Hei, Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: Sequence[float | None]  # one per label; None: no value (a gap)


@dataclass(frozen=True, slots=True)
class ForecastBand:
    """The next period after the last label: a point and its band (low..high)."""

    label: str
    value: float
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True, slots=True)
class _Frame:
    width: int
    height: int
    left: int = 56
    right: int = 16
    top: int = 40
    bottom: int = 64

    @property
    def plot_w(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_h(self) -> float:
        return self.height - self.top - self.bottom


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _fmt(value: float, percent: bool) -> str:
    if percent:
        return f"{value * 100:.1f}%"
    return f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:.1f}"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        top = step * 10**exponent
        if top >= value:
            return float(top)
    return float(10 ** (exponent + 1))  # pragma: no cover - the loop always returns


def _open(frame: _Frame, title: str, font_family: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{frame.width}" '
        f'height="{frame.height}" viewBox="0 0 {frame.width} {frame.height}" role="img" '
        f'aria-label="{_text(title)}" font-family="{_text(font_family)}" class="chart">',
        f"<title>{_text(title)}</title>",
        f'<rect x="0" y="0" width="{frame.width}" height="{frame.height}" fill="#ffffff"/>',
        f'<text x="{frame.left}" y="22" font-size="14" font-weight="bold" fill="{INK}">'
        f"{_text(title)}</text>",
    ]


def _axes(frame: _Frame, top: float, percent: bool) -> list[str]:
    parts = []
    for k in range(5):
        value = top * k / 4
        y = frame.top + frame.plot_h - frame.plot_h * k / 4
        parts.append(
            f'<line x1="{frame.left}" y1="{y:.1f}" x2="{frame.width - frame.right}" '
            f'y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{frame.left - 6}" y="{y + 4:.1f}" font-size="10" fill="{MUTED}" '
            f'text-anchor="end">{_text(_fmt(value, percent))}</text>'
        )
    return parts


def _legend(
    frame: _Frame, names: Sequence[str], extra: Sequence[tuple[str, str]] = ()
) -> list[str]:
    parts: list[str] = []
    x = frame.left
    y = frame.height - 14
    entries = [(name, PALETTE[i % len(PALETTE)]) for i, name in enumerate(names)] + list(extra)
    for name, colour in entries:
        parts.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="{y}" font-size="11" fill="{INK}">{_text(name)}</text>')
        x += 24 + 12 * len(name)
    return parts


def _category_labels(frame: _Frame, labels: Sequence[str], centres: Sequence[float]) -> list[str]:
    """Every label that fits: with more labels than room (thirty days of a month), every
    n-th one, so that they never run into each other."""
    y = frame.top + frame.plot_h + 16
    step = _label_step(labels, centres)
    return [
        f'<text x="{cx:.1f}" y="{y}" font-size="10" fill="{INK}" text-anchor="middle">'
        f"{_text(label)}</text>"
        for i, (label, cx) in enumerate(zip(labels, centres, strict=True))
        if i % step == 0
    ]


def _slanted_labels(frame: _Frame, labels: Sequence[str], centres: Sequence[float]) -> list[str]:
    """Names of categories (scorecard items, queues) side by side: each must be shown, so
    when they do not fit level they slant, shortened to the room below the axis (the bar's
    tooltip has the whole name)."""
    if _label_step(labels, centres) == 1:
        return _category_labels(frame, labels, centres)
    y = frame.top + frame.plot_h + 12
    room = (frame.bottom - 12 - _LEGEND_HEIGHT) / math.sin(math.radians(_SLANT))
    return [
        f'<text x="{cx:.1f}" y="{y}" font-size="10" fill="{INK}" text-anchor="end" '
        f'transform="rotate(-{_SLANT} {cx:.1f} {y})">{_text(_shortened(label, room))}</text>'
        for label, cx in zip(labels, centres, strict=True)
    ]


_SLANT = 40  # degrees
_SLANTED_BOTTOM = 110  # room below the axis for slanted names and the legend
_LEGEND_HEIGHT = 30
_VALUE_LABEL_MIN_WIDTH = 26  # "100.0%" at font-size 9


def _shortened(label: str, room: float) -> str:
    if _label_width(label) <= room:
        return label
    kept = label
    while kept and _label_width(kept + "…") > room:
        kept = kept[:-1]
    return kept + "…"


def _centres(frame: _Frame, count: int) -> list[float]:
    slot = frame.plot_w / max(count, 1)
    return [frame.left + slot * i + slot / 2 for i in range(count)]


def _label_step(labels: Sequence[str], centres: Sequence[float]) -> int:
    if len(centres) < 2:
        return 1
    spacing = (centres[-1] - centres[0]) / (len(centres) - 1)
    widest = max(_label_width(label) for label in labels) + 6  # a gap between neighbours
    return max(1, math.ceil(widest / spacing)) if spacing > 0 else 1


def _label_width(label: str) -> float:
    """Width in pixels at font-size 10: a CJK character is square, a digit or letter about
    half as wide."""
    return sum(10.0 if ord(ch) > 0x2E7F else 5.6 for ch in label)


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    percent: bool = False,
    width: int = 640,
    height: int = 280,
    font_family: str = DEFAULT_FONT,
) -> str:
    """Grouped vertical bars: one group per label, one bar per series."""
    for s in series:
        if len(s.values) != len(labels):
            raise ValueError(f"series {s.name!r} has {len(s.values)} values for {len(labels)}")
    frame = _Frame(width, height)
    if _label_step(labels, _centres(frame, len(labels))) > 1:
        # Slanted names need more room below the axis: the chart grows, the plot keeps its size.
        extra = _SLANTED_BOTTOM - frame.bottom
        frame = _Frame(width, height + extra, bottom=_SLANTED_BOTTOM)
    highest = max((v for s in series for v in s.values if v is not None), default=0.0)
    top = 1.0 if percent and highest <= 1 else _nice_max(highest)
    parts = _open(frame, title, font_family) + _axes(frame, top, percent)
    slot = frame.plot_w / max(len(labels), 1)
    bar_w = slot * 0.8 / max(len(series), 1)
    centres = _centres(frame, len(labels))
    for i in range(len(labels)):
        for j, s in enumerate(series):
            value = s.values[i]
            if value is None:
                continue
            h = frame.plot_h * max(value, 0) / top
            x = frame.left + slot * i + slot * 0.1 + bar_w * j
            y = frame.top + frame.plot_h - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[j % len(PALETTE)]}"><title>{_text(s.name)} · '
                f"{_text(labels[i])}: {_text(_fmt(value, percent))}</title></rect>"
            )
            if bar_w >= _VALUE_LABEL_MIN_WIDTH:  # narrower: the tooltip says the value
                parts.append(
                    f'<text x="{x + bar_w / 2:.1f}" y="{y - 3:.1f}" font-size="9" fill="{INK}" '
                    f'text-anchor="middle">{_text(_fmt(value, percent))}</text>'
                )
    parts += _slanted_labels(frame, labels, centres)
    parts += _legend(frame, [s.name for s in series])
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    forecast: Sequence[ForecastBand | None] = (),
    forecast_name: str = "forecast",
    percent: bool = False,
    width: int = 640,
    height: int = 280,
    font_family: str = DEFAULT_FONT,
) -> str:
    """Lines over the labels; `forecast[j]` (if given) extends series j one period further
    as a dashed segment to its point, with the band drawn as a shaded bar."""
    for s in series:
        if len(s.values) != len(labels):
            raise ValueError(f"series {s.name!r} has {len(s.values)} values for {len(labels)}")
    bands = [b for b in forecast if b is not None]
    all_labels = list(labels) + ([bands[0].label] if bands else [])
    frame = _Frame(width, height)
    candidates = [v for s in series for v in s.values if v is not None]
    candidates += [b.high if b.high is not None else b.value for b in bands]
    highest = max(candidates, default=0.0)
    top = 1.0 if percent and highest <= 1 else _nice_max(highest)
    parts = _open(frame, title, font_family) + _axes(frame, top, percent)
    slot = frame.plot_w / max(len(all_labels), 1)

    def x_at(i: int) -> float:
        return frame.left + slot * i + slot / 2

    def y_at(value: float) -> float:
        return frame.top + frame.plot_h - frame.plot_h * max(value, 0) / top

    for j, s in enumerate(series):
        colour = PALETTE[j % len(PALETTE)]
        points = [(x_at(i), y_at(v)) for i, v in enumerate(s.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        for (x, y), value in zip(points, [v for v in s.values if v is not None], strict=True):
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                f"<title>{_text(s.name)}: {_text(_fmt(value, percent))}</title></circle>"
            )
        band = forecast[j] if j < len(forecast) else None
        if band is None:
            continue
        fx, fy = x_at(len(labels)), y_at(band.value)
        if band.low is not None and band.high is not None:
            y_high, y_low = y_at(band.high), y_at(band.low)
            parts.append(
                f'<rect x="{fx - 8:.1f}" y="{y_high:.1f}" width="16" '
                f'height="{max(y_low - y_high, 1):.1f}" fill="{colour}" fill-opacity="0.18"/>'
            )
        if points:
            lx, ly = points[-1]
            parts.append(
                f'<line x1="{lx:.1f}" y1="{ly:.1f}" x2="{fx:.1f}" y2="{fy:.1f}" '
                f'stroke="{colour}" stroke-width="2" stroke-dasharray="5,4"/>'
            )
        parts.append(
            f'<circle cx="{fx:.1f}" cy="{fy:.1f}" r="4" fill="#ffffff" stroke="{colour}" '
            f'stroke-width="2"><title>{_text(forecast_name)} {_text(s.name)}: '
            f"{_text(_fmt(band.value, percent))}</title></circle>"
        )
        parts.append(
            f'<text x="{fx:.1f}" y="{fy - 8:.1f}" font-size="10" fill="{colour}" '
            f'text-anchor="middle">{_text(_fmt(band.value, percent))}</text>'
        )
    parts += _category_labels(frame, all_labels, [x_at(i) for i in range(len(all_labels))])
    extra = [(forecast_name, MUTED)] if bands else []
    parts += _legend(frame, [s.name for s in series], extra)
    parts.append("</svg>")
    return "".join(parts)
