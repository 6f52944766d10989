"""``{{ text|shown_to:request.user }}``: free text with personal numbers as the reader may
see them (`lingting.core.personal_numbers`); ``{{ text|masked }}``: masked whoever reads
it (a shared case). Put them first, before `linebreaksbr` and the like, so that the text
is masked before it is marked up."""

from __future__ import annotations

from typing import Any

from django import template

from lingting.core.personal_numbers import phone_shown_to as phone_as_shown
from lingting.core.personal_numbers import shown_text
from lingting.engine import pii

register = template.Library()


@register.filter
def shown_to(text: Any, viewer: Any) -> Any:
    if not text:
        return text
    return shown_text(str(text), viewer)


@register.filter
def phone_shown_to(number: Any, viewer: Any) -> Any:
    """A value that is a phone number as a whole (138****8000 unless the role sees it)."""
    if not number:
        return number
    return phone_as_shown(str(number), viewer)


@register.filter
def masked(text: Any) -> Any:
    if not text:
        return text
    return pii.mask_personal_numbers(str(text))
