"""Whether to ask a customer about a contact, and when (issue 17; seed 000's SMS survey).

A center surveys after some contacts only: the queues, channels and dispositions its plan
names, never the same customer twice within `rest_days`, never after a complaint unless the
plan says so, never a customer who opted out (回复TD退订, honoured forever), and never at
night: an invitation that falls in the quiet hours waits for their end.

The decision is pure: the caller supplies the contact's facts and the customer's history,
and stores the invitation (or the reason there is none) in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

COMPLAINT_TAGS = frozenset({"complaint", "投诉"})


class Verdict(StrEnum):
    INVITE = "invite"
    NO_ADDRESS = "no_address"  # no customer number to send to
    QUEUE = "queue"
    CHANNEL = "channel"
    DISPOSITION = "disposition"
    COMPLAINT = "complaint"
    OPTED_OUT = "opted_out"
    RESTING = "resting"  # asked within the plan's rest days
    STALE = "stale"  # the contact ended too long ago to ask about it


@dataclass(frozen=True, slots=True)
class InvitationRule:
    """A survey plan's rules; an empty set admits every value."""

    queues: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()
    dispositions: frozenset[str] = frozenset({"answered"})
    rest_days: int = 30
    after_complaints: bool = False
    quiet_start: time = time(21)
    quiet_end: time = time(8)
    delay: timedelta = timedelta(minutes=5)
    within: timedelta = timedelta(days=2)  # later than this after the contact: not asked


@dataclass(frozen=True, slots=True)
class ContactFacts:
    ended_at: datetime  # aware, or naive in the center's wall clock, like `now`
    queue: str = ""
    channel: str = ""
    disposition: str = ""
    tags: frozenset[str] = frozenset()
    address: str = ""  # the customer's number (or open id) the survey goes to


@dataclass(frozen=True, slots=True)
class CustomerHistory:
    opted_out: bool = False
    last_invited_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    send_at: datetime | None = None  # when to send; None unless invited

    @property
    def invited(self) -> bool:
        return self.verdict is Verdict.INVITE


def invitation_decision(
    rule: InvitationRule, contact: ContactFacts, history: CustomerHistory, *, now: datetime
) -> Decision:
    """Whether to invite the customer of `contact`, and when (out of the quiet hours)."""
    verdict = _refusal(rule, contact, history, now=now)
    if verdict is not None:
        return Decision(verdict)
    send_at = max(now, contact.ended_at + rule.delay)
    return Decision(Verdict.INVITE, outside_quiet_hours(send_at, rule.quiet_start, rule.quiet_end))


def _refusal(
    rule: InvitationRule, contact: ContactFacts, history: CustomerHistory, *, now: datetime
) -> Verdict | None:
    # Opt-out first: it is the one reason a customer gave us, and the one shown to them.
    if history.opted_out:
        return Verdict.OPTED_OUT
    if not contact.address:
        return Verdict.NO_ADDRESS
    if rule.queues and contact.queue not in rule.queues:
        return Verdict.QUEUE
    if rule.channels and contact.channel not in rule.channels:
        return Verdict.CHANNEL
    if rule.dispositions and contact.disposition not in rule.dispositions:
        return Verdict.DISPOSITION
    if not rule.after_complaints and contact.tags & COMPLAINT_TAGS:
        return Verdict.COMPLAINT
    if now - contact.ended_at > rule.within:
        return Verdict.STALE
    last = history.last_invited_at
    if last is not None and now - last < timedelta(days=rule.rest_days):
        return Verdict.RESTING
    return None


def in_quiet_hours(moment: datetime, start: time, end: time) -> bool:
    """Whether `moment`'s wall-clock time is in [start, end), a span that may cross midnight."""
    clock = moment.time().replace(tzinfo=None)
    if start == end:
        return False
    if start < end:
        return start <= clock < end
    return clock >= start or clock < end


def outside_quiet_hours(moment: datetime, start: time, end: time) -> datetime:
    """`moment`, or the end of the quiet hours it falls in (the next morning at night)."""
    if not in_quiet_hours(moment, start, end):
        return moment
    morning = moment.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    return morning if morning > moment else morning + timedelta(days=1)


ADDRESS_FIELDS = ("customer_phone", "phone", "mobile", "ani", "caller", "calling_number")


def normal_address(text: str) -> str:
    """A number as one key however it was written: digits only, China's +86/0086 dropped."""
    digits = "".join(ch for ch in text if ch.isdigit() and ch.isascii())
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            return digits[len(prefix) :]
    return digits


def contact_address(customer_id: str | None, extra: dict[str, object]) -> str:
    """Where a survey about the contact goes: the number the contact's record names (one
    of ADDRESS_FIELDS), else the customer id where it is a mobile number; "" when none."""
    for name in ADDRESS_FIELDS:
        value = extra.get(name)
        if isinstance(value, str | int) and not isinstance(value, bool):
            number = normal_address(str(value))
            if len(number) >= 7:
                return number
    number = normal_address(customer_id or "")
    if len(number) == 11 and number.startswith("1"):
        return number
    return ""
