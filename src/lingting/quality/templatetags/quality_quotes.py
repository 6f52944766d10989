"""``{{ finding|quote_shown_to:request.user }}``: a finding's quote as the reader may see it
(`lingting.quality.selectors.quotes`)."""

from __future__ import annotations

from typing import Any

from django import template

from lingting.quality.models import Finding
from lingting.quality.selectors.quotes import quote_shown_to as shown_quote

register = template.Library()


@register.filter
def quote_shown_to(finding: Finding, viewer: Any) -> str:
    return shown_quote(finding, viewer)
