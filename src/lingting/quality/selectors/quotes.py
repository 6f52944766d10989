"""A finding's quote as a reader may see it.

A quote is the reviewer's selection in one turn, and a selection may take part of a number
("手机号是1381234" out of 13812345678): on its own that no longer looks like a number, so
masking the quote as free text would show the digits. The quote is therefore cut from its
turn masked whole, at the depth of every other output (`lingting.core.personal_numbers`).
"""

from __future__ import annotations

from typing import Any

from lingting.core.personal_numbers import reveals_numbers, shown_text
from lingting.engine import pii
from lingting.interactions.models import Turn
from lingting.quality.models import Finding


def quote_shown_to(finding: Finding, viewer: Any) -> str:
    """`finding.quote` as `viewer` may read it (None: masked, as in the center's archive)."""
    quote = finding.quote
    if not pii.has_digits(quote) or reveals_numbers(viewer):  # most quotes: no look-up
        return quote
    start, end = finding.start_char, finding.end_char
    text = None
    if finding.turn is not None and start is not None and end is not None:
        text = (
            Turn.objects.filter(contact_id=finding.evaluation.contact_id, index=finding.turn)
            .values_list("text", flat=True)
            .first()
        )
    if text is None or text[start:end] != quote:  # the transcript changed since the review
        return shown_text(quote, viewer)
    return pii.mask_personal_numbers(text)[start:end]
