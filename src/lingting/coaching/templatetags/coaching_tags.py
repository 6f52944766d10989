"""Showing a figure the way its kind reads: rates as percentages, seconds and points as
numbers; a missing figure as a dash."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def figure_value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "rate":
        return f"{value:.1%}"
    return f"{value:.1f}"


@register.filter
def signed(value: float | None, unit: str) -> str:
    """A difference with its sign; rates in percentage points."""
    if value is None:
        return "—"
    if unit == "rate":
        return f"{value * 100:+.1f} pp"
    return f"{value:+.1f}"
