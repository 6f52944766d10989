"""The webhook pages: administrators only; an endpoint added through the form (its secret
shown once), edited and its secret rotated, every change audited without the secret; the
test ping, the delivery log and a redelivery against a real receiver."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from lingting.core.models import AuditEvent, Role, User
from lingting.engine.webhooks import signature_valid
from lingting.webhooks.models import WebhookDelivery, WebhookEndpoint
from lingting.webhooks.sending import webhook_deliveries_send
from lingting.workorders.models import WorkOrderType
from lingting.workorders.services.creation import workorder_create
from tests.web.webhooks.webhook_receiver import Receiver, receiver_fixture  # noqa: F401 (a fixture)

SignedIn = Callable[[User], Client]


@pytest.fixture
def admin_ma(db: None) -> User:
    return User.objects.create_user("admin_ma", role=Role.ADMIN)


def _add(client: Client, url: str, **more: Any) -> Any:
    form = {"name": "CRM", "url": url, "events": ["*"], "is_active": "on"} | more
    return client.post("/webhooks/new/", form, follow=True)


@pytest.mark.parametrize("username", ["agent_li", "leader_wang", "ops_zhou", "qa_zhao"])
def test_only_administrators_reach_the_webhook_pages(
    username: str, org: Any, client_for: SignedIn
) -> None:
    client = client_for(org.users[username])
    endpoint = WebhookEndpoint.objects.create(name="CRM", url="http://crm.test/", secret="s")
    assert client.get("/webhooks/").status_code == 403
    assert client.get(f"/webhooks/{endpoint.pk}/").status_code == 403
    assert client.post("/webhooks/new/", {"name": "x", "url": "http://x.test/"}).status_code == 403
    assert client.post(f"/webhooks/{endpoint.pk}/ping/").status_code == 403
    assert client.post(f"/webhooks/{endpoint.pk}/rotate/").status_code == 403
    assert "/webhooks/" not in client.get("/tickets/").content.decode()
    endpoint.refresh_from_db()
    assert endpoint.secret == "s"


def test_an_admin_adds_a_webhook_and_sees_its_secret_once(
    admin_ma: User, client_for: SignedIn
) -> None:
    client = client_for(admin_ma)
    assert 'href="/webhooks/"' in client.get("/webhooks/").content.decode()  # in the menu
    page = _add(client, "https://crm.example.com/hooks", events=["workorder.urge"]).content
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret.startswith("whsec_")
    assert endpoint.secret in page.decode()
    assert endpoint.events == ["workorder.urge"]
    again = client.get(f"/webhooks/{endpoint.pk}/").content.decode()
    assert endpoint.secret not in again
    audit = AuditEvent.objects.get(action="webhook.create")
    assert audit.actor == admin_ma
    assert audit.after is not None
    assert audit.after["url"] == "https://crm.example.com/hooks"
    assert endpoint.secret not in str(audit.after)


def test_a_bad_address_or_no_event_is_refused_with_a_message(
    admin_ma: User, client_for: SignedIn
) -> None:
    client = client_for(admin_ma)
    page = _add(client, "ftp://crm.example.com/").content.decode()
    assert "请填写以 http:// 或 https:// 开头的完整地址" in page
    page = client.post("/webhooks/new/", {"name": "CRM", "url": "https://x.test/"}).content
    assert "这个字段是必填项" in page.decode() or "This field is required" in page.decode()
    assert WebhookEndpoint.objects.count() == 0


def test_editing_and_rotating_are_audited_and_enabling_clears_the_failures(
    admin_ma: User, client_for: SignedIn
) -> None:
    client = client_for(admin_ma)
    _add(client, "https://crm.example.com/hooks")
    endpoint = WebhookEndpoint.objects.get()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        is_active=False, failures_in_a_row=10, disabled_reason="连续 10 次推送失败"
    )
    form = {"name": "CRM 新", "url": "https://crm.example.com/v2", "events": ["*"]}
    client.post(f"/webhooks/{endpoint.pk}/edit/", form | {"is_active": "on"})
    endpoint.refresh_from_db()
    assert (endpoint.name, endpoint.is_active, endpoint.failures_in_a_row) == ("CRM 新", True, 0)
    change = AuditEvent.objects.get(action="webhook.update")
    assert change.before is not None
    assert change.after is not None
    assert (change.before["url"], change.after["url"]) == (
        "https://crm.example.com/hooks",
        "https://crm.example.com/v2",
    )
    old = endpoint.secret
    shown = client.post(f"/webhooks/{endpoint.pk}/rotate/", follow=True).content.decode()
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert endpoint.secret in shown
    assert AuditEvent.objects.filter(action="webhook.rotate_secret", actor=admin_ma).exists()


def test_after_a_rotation_the_old_secret_still_verifies_for_a_day(
    admin_ma: User, client_for: SignedIn, receiver: Receiver
) -> None:
    """A receiver switches secrets in its own time: for 24 hours each delivery is signed with
    the new secret and the old one (``sha256=<new>,sha256=<old>``), then with the new only."""
    client = client_for(admin_ma)
    _add(client, receiver.url)
    endpoint = WebhookEndpoint.objects.get()
    old = endpoint.secret
    client.post(f"/webhooks/{endpoint.pk}/rotate/")
    endpoint.refresh_from_db()
    new = endpoint.secret

    def verifies(secret: str) -> bool:
        request = receiver.received[-1]
        stamp = int(request.headers["X-Lingting-Timestamp"])
        header = request.headers["X-Lingting-Signature"]
        return signature_valid(secret, stamp, request.body, header, now=stamp)

    client.post(f"/webhooks/{endpoint.pk}/ping/")
    assert receiver.received[-1].headers["X-Lingting-Signature"].count("sha256=") == 2
    assert verifies(new)
    assert verifies(old)
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        client.post(f"/webhooks/{endpoint.pk}/ping/")
    assert receiver.received[-1].headers["X-Lingting-Signature"].count("sha256=") == 1
    assert verifies(new)
    assert not verifies(old)


def test_the_test_ping_reaches_the_receiver_and_says_so(
    admin_ma: User, client_for: SignedIn, receiver: Receiver
) -> None:
    client = client_for(admin_ma)
    _add(client, receiver.url)
    endpoint = WebhookEndpoint.objects.get()
    page = client.post(f"/webhooks/{endpoint.pk}/ping/", follow=True).content.decode()
    assert "测试推送已送达（HTTP 200）" in page
    assert receiver.events() == ["ping"]
    receiver.answers = [404]
    page = client.post(f"/webhooks/{endpoint.pk}/ping/", follow=True).content.decode()
    assert "测试推送失败：HTTP 404" in page
    endpoint.refresh_from_db()
    assert endpoint.failures_in_a_row == 0  # a test does not count towards disabling


def test_the_delivery_log_shows_failures_and_an_admin_redelivers_one(
    admin_ma: User, agent_li: User, client_for: SignedIn, receiver: Receiver
) -> None:
    client = client_for(admin_ma)
    _add(client, receiver.url)
    endpoint = WebhookEndpoint.objects.get()
    receiver.answers = [500]
    workorder_create(
        actor=agent_li,
        order_type=WorkOrderType.objects.get(code="complaint"),
        title="停电",
        fields={"phone": "13812345678"},
    )
    webhook_deliveries_send()
    failed = WebhookDelivery.objects.get()
    log = client.get(f"/webhooks/{endpoint.pk}/").content.decode()
    assert "workorder.create" in log
    assert "HTTP 500" in log
    assert "receiver exploded" in log
    page = client.post(f"/webhooks/deliveries/{failed.pk}/redeliver/", follow=True)
    assert "这条推送仍在等待发送或重试，无需重新推送" in page.content.decode()
    webhook_deliveries_send(now=failed.next_attempt_at)  # the retry goes through
    page = client.post(f"/webhooks/deliveries/{failed.pk}/redeliver/", follow=True)
    assert "已重新推送并送达" in page.content.decode()
    again = WebhookDelivery.objects.exclude(pk=failed.pk).get()
    assert (again.status, again.redelivery_of) == ("delivered", failed)
    _failed, first, second = receiver.received
    assert first.json["id"] == second.json["id"]  # the same event, for the receiver to drop
    assert first.headers["X-Lingting-Delivery"] != second.headers["X-Lingting-Delivery"]
    assert AuditEvent.objects.filter(action="webhook.redeliver").count() == 1
    assert client.get(f"/webhooks/{endpoint.pk}/?status=failed").status_code == 200


def test_pages_refuse_get_for_actions(admin_ma: User, client_for: SignedIn) -> None:
    client = client_for(admin_ma)
    endpoint = WebhookEndpoint.objects.create(name="CRM", url="http://crm.test/", secret="s")
    assert client.get(f"/webhooks/{endpoint.pk}/rotate/").status_code == 405
    assert client.get(f"/webhooks/{endpoint.pk}/ping/").status_code == 405
