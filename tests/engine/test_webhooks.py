"""The webhook rules that need no database: the signature a receiver checks, the retry
schedule and the event catalog."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from lingting.engine.webhooks import (
    event_types,
    retry_delay,
    signature,
    signature_valid,
    wants,
)
from lingting.engine.workorders import Action


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    body = b'{"type":"workorder.urge"}'
    expected = hmac.new(b"whsec_k", b"1791000000." + body, hashlib.sha256).hexdigest()
    assert signature("whsec_k", 1791000000, body) == f"sha256={expected}"


def test_a_receiver_refuses_a_wrong_or_stale_signature() -> None:
    body = b"{}"
    header = signature("whsec_k", 1791000000, body)
    assert signature_valid("whsec_k", 1791000000, body, header, now=1791000000 + 299)
    assert not signature_valid("whsec_k", 1791000000, body, header, now=1791000000 + 301)
    assert not signature_valid("whsec_x", 1791000000, body, header, now=1791000000)
    assert not signature_valid("whsec_k", 1791000001, body, header, now=1791000000)


def test_retries_wait_1_5_30_minutes_2_and_12_hours_then_give_up() -> None:
    waits = [retry_delay(attempts) for attempts in range(1, 7)]
    assert waits == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=12),
        None,
    ]


def test_every_step_of_the_machine_is_an_event_type() -> None:
    assert event_types() == ["workorder.create", *(f"workorder.{a.value}" for a in Action)]
    assert wants(["*"], "workorder.escalate")
    assert wants(["workorder.urge"], "workorder.urge")
    assert not wants(["workorder.urge"], "workorder.close")
