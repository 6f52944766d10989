"""Display filters of the satisfaction pages."""

from __future__ import annotations

from django import template

from lingting.engine.survey_figures import Estimate
from lingting.surveys.models import ReasonChoice

register = template.Library()


@register.filter
def share(value: float | None) -> str:
    """0.8234 → "82.3%"; None (no responses) → "—"."""
    return "—" if value is None else f"{value * 100:.1f}%"


@register.filter
def margin(estimate: Estimate) -> str:
    """A share's 95% margin in points: "±4.1"; "" where there is no figure."""
    half = estimate.margin
    return "" if half is None else f"±{half * 100:.1f}"


@register.filter
def nps(value: float | None) -> str:
    """20.0 → "20.0" (points, −100 … 100); None (no recommend answers) → "—"."""
    return "—" if value is None else f"{value:.1f}"


@register.filter
def points_margin(estimate: Estimate) -> str:
    """An NPS's 95% margin, already in points: "±16.7"; "" where there is no figure."""
    half = estimate.margin
    return "" if half is None else f"±{half:.1f}"


@register.filter
def reason_label(value: str) -> str:
    """people → 人员: a kind of dissatisfaction in the reader's language."""
    return str(dict(ReasonChoice.choices).get(value, value))
