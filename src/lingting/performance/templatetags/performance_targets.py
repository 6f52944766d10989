"""A target's threshold as its page reads it: a rate as a percentage, a time in seconds, a
score in points."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from lingting.performance.models import FIGURE_UNITS, FigureUnit

register = template.Library()


@register.filter
def threshold(value: float, figure: str) -> str:
    """0.92 of a rate → "92%"; 20 of a time → "20 秒"; 90 of a score → "90"."""
    unit = FIGURE_UNITS.get(figure)
    if unit == FigureUnit.RATE:
        return f"{value * 100:.4g}%"
    if unit == FigureUnit.SECONDS:
        return _("%(seconds)s 秒") % {"seconds": f"{value:g}"}
    return f"{value:g}"
