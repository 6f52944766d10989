"""What an order taken from a call starts with: the customer, the caller's number, the
queue and the agent's wrap-up summary (小结)."""

from __future__ import annotations

from dataclasses import dataclass

from lingting.engine import pii
from lingting.interactions.models import Contact

SUMMARY_FIELDS = ("summary", "小结", "wrap_up")
PHONE_KINDS = frozenset({pii.PiiKind.MOBILE, pii.PiiKind.LANDLINE})


@dataclass(frozen=True, slots=True)
class CallPrefill:
    """What an order taken from a call starts with. `number` is in full: the page decides how
    much of it the user sees."""

    customer: str  # the customer's code, "" when the call has none
    number: str  # the caller's phone number, "" when none is known
    queue: str  # the queue as every page names it
    summary: str  # the agent's summary of the call


def call_prefill(contact: Contact) -> CallPrefill:
    customer = contact.customer.code if contact.customer else ""
    summary = next(
        (
            value.strip()
            for name in SUMMARY_FIELDS
            if isinstance(value := contact.extra.get(name), str) and value.strip()
        ),
        "",
    )
    return CallPrefill(
        customer=customer,
        number=_caller_number(contact, customer),
        queue=str(contact.queue) if contact.queue else "",
        summary=summary,
    )


def _caller_number(contact: Contact, customer: str) -> str:
    """The customer's code when it is a phone number (a switch's caller id), else the first
    phone number the customer said."""
    said = contact.turns.filter(speaker="customer").order_by("index").values_list("text", flat=True)
    for text in (customer, *said):
        for kind, _start, _end, value in pii.find_in_text(text):
            if kind in PHONE_KINDS:
                return value
    return ""
