"""Sign-in throttling: an account, and an address, are locked after repeated failures; the
lock outlives a restart (it is in the database), ends after the cool-off, and every failed
sign-in is in the audit trail."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import orjson
import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lingting.core.models import AuditEvent, User
from tests.conftest import PASSWORD

LOGIN = "/login/"


def sign_in(username: str, password: str, address: str, **headers: str) -> Any:
    """One sign-in from `address` through the login form, as a browser sends it."""
    client = Client()
    response = client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )
    response.signed_in = "_auth_user_id" in client.session
    return response


def fail(username: str, address: str, times: int) -> None:
    for _ in range(times):
        assert not sign_in(username, "wrong-password", address).signed_in


def test_an_account_is_locked_after_repeated_failures_even_with_the_right_password(
    agent_li: User, settings: Any
) -> None:
    fail("agent_li", "10.0.0.1", settings.LINGTING_LOGIN_FAILURES_PER_ACCOUNT)

    response = sign_in("agent_li", PASSWORD, "10.0.0.1")

    assert not response.signed_in
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录失败次数过多" in page  # a clear message on the login page, not a bare 403
    assert 'name="username"' in page
    # per account: the lock holds wherever the next attempt comes from
    assert not sign_in("agent_li", PASSWORD, "10.0.0.99").signed_in


def test_failures_below_the_limit_do_not_lock(agent_li: User, settings: Any) -> None:
    fail("agent_li", "10.0.0.1", settings.LINGTING_LOGIN_FAILURES_PER_ACCOUNT - 1)

    assert sign_in("agent_li", PASSWORD, "10.0.0.1").signed_in


def test_an_address_trying_many_accounts_is_throttled_for_every_account(
    qa_zhao: User, settings: Any
) -> None:
    per_account = settings.LINGTING_LOGIN_FAILURES_PER_ACCOUNT
    per_address = settings.LINGTING_LOGIN_FAILURES_PER_ADDRESS
    assert per_address > per_account  # a whole office signs in from one address
    for n in range(per_address):  # each guessed name stays under the account limit
        fail(f"guess{n // (per_account - 1)}", "10.0.0.7", 1)

    # a different, real account from the same address: refused by the address rule
    locked = sign_in("qa_zhao", PASSWORD, "10.0.0.7")
    assert not locked.signed_in
    assert locked.status_code == 429
    # the account itself is not locked: from elsewhere it signs in
    assert sign_in("qa_zhao", PASSWORD, "10.0.0.8").signed_in


def test_the_lock_ends_after_the_cool_off(agent_li: User, settings: Any) -> None:
    fail("agent_li", "10.0.0.1", settings.LINGTING_LOGIN_FAILURES_PER_ACCOUNT)
    assert not sign_in("agent_li", PASSWORD, "10.0.0.1").signed_in

    cool_off = timedelta(minutes=settings.LINGTING_LOGIN_COOL_OFF_MINUTES)
    with time_machine.travel(timezone.now() + cool_off + timedelta(seconds=1)):
        assert sign_in("agent_li", PASSWORD, "10.0.0.1").signed_in


def test_an_administrator_unlocks_with_axes_reset(agent_li: User, settings: Any) -> None:
    fail("agent_li", "10.0.0.1", settings.LINGTING_LOGIN_FAILURES_PER_ACCOUNT)

    call_command("axes_reset_username", "agent_li")

    assert sign_in("agent_li", PASSWORD, "10.0.0.1").signed_in


def test_each_failed_sign_in_is_in_the_audit_trail_without_the_password(
    agent_li: User, settings: Any
) -> None:
    limit = settings.LINGTING_LOGIN_FAILURES_PER_ACCOUNT
    fail("agent_li", "10.0.0.1", limit)
    sign_in("agent_li", PASSWORD, "10.0.0.1")  # the right password, refused: locked
    sign_in("agent_li", PASSWORD, "10.0.0.2")  # from elsewhere: the account is locked

    events = list(AuditEvent.objects.filter(action="login.failed").order_by("id"))
    assert len(events) == limit + 2
    assert {event.object_id for event in events} == {"agent_li"}
    assert [event.after["address"] for event in events if event.after] == (
        ["10.0.0.1"] * (limit + 1) + ["10.0.0.2"]
    )
    assert [bool(event.after and event.after["locked"]) for event in events][-3:] == [
        True,
        True,
        True,
    ]
    everything = orjson.dumps([[e.before, e.after, e.note] for e in events]).decode()
    # nor in axes' own record of the attempts
    everything += "".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert "wrong-password" not in everything
    assert PASSWORD not in everything


def test_a_successful_sign_in_writes_no_failure(agent_li: User) -> None:
    assert sign_in("agent_li", PASSWORD, "10.0.0.1").signed_in

    assert not AuditEvent.objects.filter(action="login.failed").exists()


def test_behind_a_trusted_proxy_the_address_is_the_one_the_proxy_saw(
    qa_zhao: User, settings: Any
) -> None:
    settings.LINGTING_TRUSTED_PROXIES = 1
    per_address = settings.LINGTING_LOGIN_FAILURES_PER_ADDRESS
    per_account = settings.LINGTING_LOGIN_FAILURES_PER_ACCOUNT
    for n in range(per_address):
        # a client that forges X-Forwarded-For gains nothing: the proxy appends what it saw
        sign_in(
            f"guess{n // (per_account - 1)}",
            "wrong-password",
            "127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.5",
        )

    assert AuditEvent.objects.filter(action="login.failed").first().after == {  # type: ignore[union-attr]
        "address": "203.0.113.5",
        "locked": True,
    }
    proxied = "127.0.0.1"
    assert not sign_in("qa_zhao", PASSWORD, proxied, HTTP_X_FORWARDED_FOR="203.0.113.5").signed_in
    # another client behind the same proxy is not throttled by that one's failures
    assert sign_in("qa_zhao", PASSWORD, proxied, HTTP_X_FORWARDED_FOR="203.0.113.6").signed_in


def test_signing_in_through_the_login_page_still_works(client: Client, agent_li: User) -> None:
    response = client.post(reverse("core:login"), {"username": "agent_li", "password": PASSWORD})

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.fixture(autouse=True)
def _db(db: None) -> None:
    """Every test here writes sign-in attempts."""
