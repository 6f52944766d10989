"""Display filters of the competitiveness pages: figures and their changes in points."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def points(value: float | None) -> str:
    """36.525 → "36.5", 1266 → "1,266.0"; None (no rival asked) → "—"."""
    return "—" if value is None else f"{value:,.1f}"


@register.filter
def change(value: object) -> str:
    """+1.2125 → "↑1.2", −0.7 → "↓0.7", a change under 0.05 → "→0.0"; no change (the
    first wave, or no market part on either side) → ""."""
    if not isinstance(value, float | int):
        return ""
    shown = f"{abs(value):.1f}"
    if shown == "0.0":
        return f"→{shown}"
    return f"↑{shown}" if value > 0 else f"↓{shown}"


@register.filter
def change_tone(value: object) -> str:
    """The CSS class that colours a change as good (up) or bad (down) news."""
    if not isinstance(value, float | int) or f"{abs(value):.1f}" == "0.0":
        return ""
    return "change-good" if value > 0 else "change-bad"


@register.filter
def percent(value: float) -> str:
    """0.09125 → "9.1%"."""
    return f"{value * 100:.1f}%"


@register.filter
def count(value: int) -> str:
    """1500 → "1,500"."""
    return f"{value:,}"
