"""Outgoing webhooks, the parts that need no database: the event catalog, the signature a
receiver checks, when a failed delivery is tried again. (Personal numbers in what leaves
the centre are masked by `lingting.engine.pii`, as everywhere.)

The catalog follows the work-order trail: one event type per step of the loop
(`lingting.engine.workorders.Action`) plus the creation, named ``workorder.<step>`` after
the trail's own action (``workorder.create``, ``workorder.dispatch``, ``workorder.urge`` …),
so a step added to the machine is an event type at once.

Signing, as Stripe and GitHub do it: ``X-Lingting-Signature: sha256=<hex>`` where the hex is
HMAC-SHA256 with the endpoint's secret over ``<X-Lingting-Timestamp> + "." + <raw body>``.
A receiver recomputes it over the bytes it received (before parsing the JSON), compares in
constant time and refuses a timestamp older than a few minutes (a replayed request). For a
day after the secret is rotated, the header carries a second signature, with the old
secret (``sha256=<new>,sha256=<old>``), so a receiver can switch secrets without losing
deliveries in between; a receiver accepts the request when any of them matches.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from datetime import timedelta

from lingting.engine.workorders import Action

EVENT_PREFIX = "workorder."
CREATED = "create"  # the trail's action for a new order (not a step of the machine)
ALL_EVENTS = "*"  # an endpoint that wants every event type, those added later too
PING = "ping"  # the test an administrator sends from the endpoint's page

SIGNATURE_SCHEME = "sha256"
SIGNATURE_TOLERANCE = timedelta(minutes=5)  # what a receiver should accept as fresh
ROTATION_OVERLAP = timedelta(hours=24)  # how long the old secret still signs after a rotation

# After the first attempt fails: wait 1 minute, then 5, 30, 2 hours, 12 hours; a delivery
# still failing after the last retry is given up (an administrator can send it again).
RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)


def event_type(action: str) -> str:
    """The event type of a trail entry: ``"urge"`` → ``"workorder.urge"``."""
    return EVENT_PREFIX + action


def event_types() -> list[str]:
    """Every event type an endpoint can ask for, in the loop's order."""
    return [event_type(CREATED), *(event_type(action.value) for action in Action)]


def wants(subscribed: Sequence[str], kind: str) -> bool:
    """Whether an endpoint that asked for `subscribed` gets an event of type `kind`."""
    return ALL_EVENTS in subscribed or kind in subscribed


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The X-Lingting-Signature header's value for `body` sent at `timestamp` (Unix seconds)."""
    signed = str(timestamp).encode("ascii") + b"." + body
    digest = hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_SCHEME}={digest}"


def signature_header(secrets: Sequence[str], timestamp: int, body: bytes) -> str:
    """The header's value signed with each of `secrets` (the one in force first, then the
    one it replaced while the rotation overlaps): ``sha256=<hex>,sha256=<hex>``."""
    return ",".join(signature(secret, timestamp, body) for secret in secrets)


def signature_valid(secret: str, timestamp: int, body: bytes, header: str, *, now: int) -> bool:
    """What a receiver does: one of the header's signatures matches and the timestamp is
    recent (not replayed)."""
    if abs(now - timestamp) > SIGNATURE_TOLERANCE.total_seconds():
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, given.strip()) for given in header.split(","))


def retry_delay(attempts: int) -> timedelta | None:
    """How long to wait after `attempts` failed attempts; None: give the delivery up."""
    if attempts < 1 or attempts > len(RETRY_DELAYS):
        return None
    return RETRY_DELAYS[attempts - 1]
