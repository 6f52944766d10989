"""What a monitoring record's page shows of the model judge (its view reads the suggestions
with `record_suggestions_for`)."""

from __future__ import annotations

from collections.abc import Mapping

from django import template

from lingting.quality.selectors.judge import Suggestion

register = template.Library()


@register.filter
def suggestion_of(suggestions: Mapping[str, Suggestion], item: str) -> Suggestion | None:
    """`{{ suggestions|suggestion_of:item.item }}`: the model's suggestion for one item."""
    return suggestions.get(item)
