"""Small display filters of the workforce pages."""

from __future__ import annotations

from django import template

from lingting.engine.occupancy import StateTotals

register = template.Library()


@register.filter
def hours_minutes(seconds: float | None) -> str:
    """7530 → "2:05" (hours and minutes, rounded to the minute)."""
    if seconds is None:
        return "—"
    minutes = round(seconds / 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


@register.filter
def percent(value: float | None) -> str:
    """0.8234 → "82.3%"; None → "—"."""
    return "—" if value is None else f"{value * 100:.1f}%"


_SEGMENTS = (
    ("busy", "busy_s"),
    ("acw", "acw_s"),
    ("ready", "ready_s"),
    ("not-ready", "not_ready_s"),
)


@register.filter
def state_segments(totals: StateTotals) -> list[tuple[str, float, float]]:
    """(state, x, width) of each state's share of the logged-in time, on a 0–100 bar."""
    whole = totals.logged_in_s
    segments: list[tuple[str, float, float]] = []
    x = 0.0
    for name, attribute in _SEGMENTS:
        width = getattr(totals, attribute) * 100 / whole if whole else 0.0
        if width > 0:
            segments.append((name, round(x, 2), round(width, 2)))
        x += width
    return segments
