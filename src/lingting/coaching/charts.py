"""Inline SVG charts, drawn on the server (no script, nothing fetched): the geometry is
computed here and `coaching/_line_chart.html` / `_bar_chart.html` only print it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 12, 36


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    text: str  # the value, for the tooltip


@dataclass(frozen=True, slots=True)
class Line:
    name: str
    css: str
    points: list[Point]

    @property
    def path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True, slots=True)
class Tick:
    at: float
    text: str


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    text: str


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    lines: list[Line]
    bars: list[Bar]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    marker_x: float | None  # a vertical line (the plan's or training's start)
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    baseline: int = HEIGHT - BOTTOM


def _scale(values: Sequence[float], *, floor_zero: bool) -> tuple[float, float]:
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if floor_zero:
        low = min(0.0, low)
    if high - low < 1e-9:
        high = low + 1.0
    pad = (high - low) * 0.1
    return (low if floor_zero else low - pad), high + pad


def _y(value: float, low: float, high: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (value - low) / (high - low))


def _y_ticks(low: float, high: float, fmt: str) -> list[Tick]:
    return [
        Tick(_y(low + (high - low) * k / 4, low, high), format(low + (high - low) * k / 4, fmt))
        for k in range(5)
    ]


def line_chart(
    labels: Sequence[str],
    lines: Sequence[tuple[str, str, Sequence[float | None]]],
    *,
    marker_at: int | None = None,
    fmt: str = ".1f",
) -> Chart:
    """One x slot per label; each line (name, css class, values) skips its missing values;
    `marker_at` draws a vertical line just before that slot."""
    known = [v for _n, _c, values in lines for v in values if v is not None]
    low, high = _scale(known, floor_zero=False)
    step = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    x = [LEFT + step * (k + 0.5) for k in range(len(labels))]
    drawn = [
        Line(
            name,
            css,
            [
                Point(x[k], _y(v, low, high), format(v, fmt))
                for k, v in enumerate(values)
                if v is not None
            ],
        )
        for name, css, values in lines
    ]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        lines=drawn,
        bars=[],
        x_ticks=[Tick(x[k], label) for k, label in enumerate(labels)],
        y_ticks=_y_ticks(low, high, fmt),
        marker_x=LEFT + step * marker_at if marker_at is not None else None,
    )


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    css: Sequence[str],
    *,
    marker_at: int | None = None,
    percent: bool = True,
) -> Chart:
    """One bar per label (a missing value draws none), coloured by its css class."""
    known = [v for v in values if v is not None]
    low, high = _scale(known, floor_zero=True)
    step = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    bars = [
        Bar(
            LEFT + step * k + step * 0.15,
            _y(v, low, high),
            step * 0.7,
            _y(low, low, high) - _y(v, low, high),
            css[k],
            f"{v:.1%}" if percent else f"{v:g}",
        )
        for k, v in enumerate(values)
        if v is not None
    ]
    ticks = _y_ticks(low, high, ".0%" if percent else ".1f")
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        lines=[],
        bars=bars,
        x_ticks=[Tick(LEFT + step * (k + 0.5), label) for k, label in enumerate(labels)],
        y_ticks=ticks,
        marker_x=LEFT + step * marker_at if marker_at is not None else None,
    )
