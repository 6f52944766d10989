"""Personal numbers in everything people read: one rule, one depth, for every output.

Who sees phone, ID-card and bank-card numbers in full is decided by
`permissions.may_see_personal_numbers` (QA supervisors and admins); how deep the others'
copies are masked by `engine.pii` (138****5678, **************002X). Every output of free
text that may carry a number (a note, a quote, a title, a reason, a comment) asks here:

- pages: the `shown_to` template filter (``{{ order.title|shown_to:request.user }}``);
- API schemas: a `ShownText` field (or `shown_in_response` in a resolver), or
  `text_shown_to(user)` when building the body;
- notifications: `notification_send` masks the text for its one reader when writing it;
- exports and reports: `text_shown_to(user)` (None: a center-wide copy, always masked);
- what everyone reads alike, whatever their role (a shared case for training, with its
  transcript): masked for all, with the `masked` filter or a `MaskedText` field.

Webhook bodies are masked by the same `engine.pii` functions; whether a receiver gets
numbers in full is its endpoint's setting, not a user's role.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any

from pydantic import AfterValidator, ValidationInfo

from lingting.core.models import User
from lingting.core.permissions import may_see_personal_numbers
from lingting.engine import pii

Shown = Callable[[str], str]


def _as_written(text: str) -> str:
    return text


def reveals_numbers(viewer: Any) -> bool:
    """Whether `viewer` (a user, None or anything else: an anonymous reader) sees numbers
    in full."""
    return isinstance(viewer, User) and viewer.is_authenticated and may_see_personal_numbers(viewer)


def text_shown_to(viewer: Any) -> Shown:
    """A function giving free text as `viewer` may read it."""
    return _as_written if reveals_numbers(viewer) else pii.mask_personal_numbers


def shown_text(text: str, viewer: Any) -> str:
    """`text` as `viewer` may read it: personal numbers masked unless their role may see
    them."""
    return text_shown_to(viewer)(text)


def phone_shown_to(value: str, viewer: Any) -> str:
    """A value that is a phone number as a whole (a work order's phone field)."""
    return value if reveals_numbers(viewer) else pii.mask_whole_number(value)


def shown_in_response(text: str, context: Mapping[str, Any] | None) -> str:
    """For an API schema's resolver (``resolve_note(obj, context)``): `text` as the
    request's user may read it."""
    request = (context or {}).get("request")
    return shown_text(text, getattr(request, "user", None))


def _shown_to_requester(text: str, info: ValidationInfo) -> str:
    return shown_in_response(text, info.context)


# An API response field of free text (``note: ShownText``): the API validates its responses
# with the request in the context, so the field comes out as the caller may read it.
ShownText = Annotated[str, AfterValidator(_shown_to_requester)]
# A response field of what everyone reads alike (a shared case): masked for every caller.
MaskedText = Annotated[str, AfterValidator(pii.mask_personal_numbers)]
