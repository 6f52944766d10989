"""``{{ text|shown_to:request.user }}``: free text with personal numbers as the reader may
see them (`lingting.core.personal_numbers`). Put it first, before `linebreaksbr` and the
like, so that the text is masked before it is marked up."""

from __future__ import annotations

from typing import Any

from django import template

from lingting.core.personal_numbers import shown_text

register = template.Library()


@register.filter
def shown_to(text: Any, viewer: Any) -> Any:
    if not text:
        return text
    return shown_text(str(text), viewer)
