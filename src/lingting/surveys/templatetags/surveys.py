"""Display filters of the satisfaction pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def share(value: float | None) -> str:
    """0.8234 → "82.3%"; None (no responses) → "—"."""
    return "—" if value is None else f"{value * 100:.1f}%"
