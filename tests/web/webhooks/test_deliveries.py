"""Outgoing webhooks, against a real HTTP receiver on 127.0.0.1: each work-order step is
delivered signed after it commits, retried with backoff while the receiver is down or
failing, in the order of the order's steps; a rolled-back step sends nothing; endpoints get
only the events they asked for, personal numbers masked unless allowed; an endpoint that
keeps failing is disabled and the administrators told."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from lingting.core.models import AuditEvent, Notification, Role, User
from lingting.engine.webhooks import event_types, signature_valid
from lingting.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from lingting.webhooks.sending import webhook_deliveries_send
from lingting.webhooks.services import EndpointSpec, webhook_endpoint_create
from lingting.workorders.models import Department, WorkOrder, WorkOrderType
from lingting.workorders.services.creation import workorder_create
from lingting.workorders.services.steps import workorder_dispatch, workorder_urge
from tests.web.webhooks.webhook_receiver import Receiver, receiver_fixture  # noqa: F401 (a fixture)
from tests.web.workorders.test_services import departments  # noqa: F401 (a fixture)

IMMEDIATE_TASKS = override_settings(
    TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
)
PHONE = {"phone": "13812345678"}


@pytest.fixture
def admin_ma(db: None) -> User:
    return User.objects.create_user("admin_ma", role=Role.ADMIN)


@pytest.fixture
def complaint(db: None) -> WorkOrderType:
    return WorkOrderType.objects.get(code="complaint")


@pytest.fixture
def hook(admin_ma: User) -> Callable[..., tuple[WebhookEndpoint, str]]:
    def made(url: str, events: list[str] | None = None, **more: Any) -> tuple[WebhookEndpoint, str]:
        spec = EndpointSpec(name="CRM", url=url, events=events or ["*"], **more)
        return webhook_endpoint_create(actor=admin_ma, spec=spec)

    return made


def _order(actor: User, order_type: WorkOrderType, **more: Any) -> WorkOrder:
    return workorder_create(
        actor=actor,
        order_type=order_type,
        title="停电三天无人处理",
        description="客户说回电请打 13912345678。",
        fields=PHONE,
        **more,
    )


def _verified(receiver: Receiver, secret: str) -> bool:
    now = int(time.time())
    return all(
        signature_valid(
            secret,
            int(request.headers["X-Lingting-Timestamp"]),
            request.body,
            request.headers["X-Lingting-Signature"],
            now=now,
        )
        for request in receiver.received
    )


@IMMEDIATE_TASKS
@pytest.mark.usefixtures("departments")
def test_each_step_is_delivered_signed_right_after_it_commits(
    agent_li: User,
    complaint: WorkOrderType,
    hook: Any,
    receiver: Receiver,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _endpoint, secret = hook(receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        order = _order(agent_li, complaint)
    with django_capture_on_commit_callbacks(execute=True):
        department = Department.objects.get(code="D-YX")
        workorder_dispatch(actor=agent_li, order=order, version=1, departments=[department])
    assert receiver.events() == ["workorder.create", "workorder.dispatch"]
    assert _verified(receiver, secret)
    dispatched = receiver.received[1]
    body = dispatched.json
    assert body["type"] == "workorder.dispatch"
    assert body["actor"] == "agent_li"
    assert (body["before"], body["after"]) == ("accepted", "dispatched")
    assert body["order"]["number"] == order.number
    assert body["order"]["department"] == "D-YX"
    assert body["order"]["version"] == 2
    order.refresh_from_db()
    assert body["order"]["due_at"] == timezone.localtime(order.due_at).isoformat()
    assert dispatched.headers["X-Lingting-Delivery"] == str(
        WebhookDelivery.objects.get(event_type="workorder.dispatch").uuid
    )
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_a_tampered_body_fails_the_signature(
    agent_li: User, complaint: WorkOrderType, hook: Any, receiver: Receiver
) -> None:
    _endpoint, secret = hook(receiver.url)
    _order(agent_li, complaint)
    webhook_deliveries_send()
    request = receiver.received[0]
    stamp = int(request.headers["X-Lingting-Timestamp"])
    header = request.headers["X-Lingting-Signature"]
    now = int(time.time())
    assert signature_valid(secret, stamp, request.body, header, now=now)
    assert not signature_valid(secret, stamp, request.body + b" ", header, now=now)
    assert not signature_valid("whsec_other", stamp, request.body, header, now=now)
    assert not signature_valid(secret, stamp, request.body, header, now=now + 3600)


@IMMEDIATE_TASKS
@pytest.mark.usefixtures("departments")
def test_a_receiver_that_is_down_never_blocks_the_step_and_gets_it_later(
    agent_li: User,
    complaint: WorkOrderType,
    hook: Any,
    receiver: Receiver,
    django_capture_on_commit_callbacks: Any,
) -> None:
    hook(receiver.url)
    port = receiver.port
    receiver.stop()
    with django_capture_on_commit_callbacks(execute=True):
        order = _order(agent_li, complaint)
    assert order.state == "accepted"  # the step went through
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, None)
    assert "Connection refused" in delivery.last_response
    first_try = delivery.attempt_log.get().at
    assert delivery.next_attempt_at == first_try + timedelta(minutes=1)

    back = Receiver(port)
    try:
        assert webhook_deliveries_send(now=first_try + timedelta(seconds=59)).delivered == 0
        assert back.received == []
        run = webhook_deliveries_send(now=first_try + timedelta(minutes=1))
        assert run.delivered == 1
        assert back.events() == ["workorder.create"]
    finally:
        back.stop()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 2, 200)
    assert WebhookEndpoint.objects.get().failures_in_a_row == 0


def test_a_500_is_recorded_and_retried_on_the_backoff_schedule_then_given_up(
    agent_li: User, complaint: WorkOrderType, hook: Any, receiver: Receiver, settings: Any
) -> None:
    settings.LINGTING_WEBHOOK_DISABLE_AFTER = 100
    hook(receiver.url)
    receiver.answers = [500] * 6
    _order(agent_li, complaint)
    start = timezone.now()
    moment = start
    for wait in [0, 1, 5, 30, 120, 720]:  # minutes after the previous attempt
        moment += timedelta(minutes=wait)
        early = webhook_deliveries_send(now=moment - timedelta(seconds=1))
        assert early.failed_attempts == 0
        run = webhook_deliveries_send(now=moment)
        assert run.failed_attempts == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", 6, 500)
    assert delivery.last_response.startswith("receiver exploded: ")
    assert len(delivery.last_response) == 500  # the first 500 characters kept
    assert delivery.next_attempt_at is None
    assert [a.status_code for a in delivery.attempt_log.all()] == [500] * 6
    assert webhook_deliveries_send(now=moment + timedelta(days=2)).failed_attempts == 0
    assert len(receiver.received) == 6


@pytest.mark.usefixtures("departments")
def test_a_newer_step_of_an_order_waits_behind_an_older_one_being_retried(
    agent_li: User, complaint: WorkOrderType, hook: Any, receiver: Receiver
) -> None:
    hook(receiver.url)
    receiver.answers = [500]
    order = _order(agent_li, complaint)
    workorder_urge(actor=agent_li, order=order, version=1, by_customer=True)
    other = _order(agent_li, complaint)
    now = timezone.now()
    first = webhook_deliveries_send(now=now)
    # the first order's creation failed; its urge waits; the endpoint rests a minute
    assert receiver.events() == ["workorder.create"]
    assert first.waiting == 2
    later = webhook_deliveries_send(now=now + timedelta(minutes=1))
    assert later.delivered == 3
    sent = [(r.event, r.json["order"]["number"]) for r in receiver.received]
    assert sent == [
        ("workorder.create", order.number),
        ("workorder.create", order.number),
        ("workorder.urge", order.number),
        ("workorder.create", other.number),
    ]


def test_a_rolled_back_step_enqueues_nothing(
    agent_li: User,
    complaint: WorkOrderType,
    hook: Any,
    receiver: Receiver,
    django_capture_on_commit_callbacks: Any,
) -> None:
    hook(receiver.url)

    def create_then_fail() -> None:
        with transaction.atomic():
            _order(agent_li, complaint)
            raise RuntimeError("the step's transaction fails after its trail entry")

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        create_then_fail()
    assert WorkOrder.objects.count() == 0
    assert WebhookDelivery.objects.count() == 0
    assert callbacks == []
    webhook_deliveries_send()
    assert receiver.received == []


@pytest.mark.usefixtures("departments")
def test_an_endpoint_gets_only_the_events_it_asked_for(
    agent_li: User, complaint: WorkOrderType, hook: Any, receiver: Receiver
) -> None:
    urges, _secret = hook(receiver.url, events=["workorder.urge"])
    everything, _secret = hook(receiver.url)
    order = _order(agent_li, complaint)
    workorder_urge(actor=agent_li, order=order, version=1, by_customer=True)
    webhook_deliveries_send()
    assert list(urges.deliveries.values_list("event_type", flat=True)) == ["workorder.urge"]
    assert sorted(everything.deliveries.values_list("event_type", flat=True)) == [
        "workorder.create",
        "workorder.urge",
    ]
    assert sorted(receiver.events()) == ["workorder.create", "workorder.urge", "workorder.urge"]


def test_the_event_catalog_follows_the_trail_actions() -> None:
    kinds = event_types()
    assert kinds[0] == "workorder.create"
    for step in ["dispatch", "reply", "return", "urge", "close", "reopen", "cancel", "escalate"]:
        assert f"workorder.{step}" in kinds


def test_a_disabled_endpoint_gets_nothing(
    agent_li: User, complaint: WorkOrderType, hook: Any, receiver: Receiver
) -> None:
    hook(receiver.url, is_active=False)
    _order(agent_li, complaint)
    webhook_deliveries_send()
    assert WebhookDelivery.objects.count() == 0
    assert receiver.received == []


def test_personal_numbers_are_masked_unless_the_endpoint_may_have_them(
    agent_li: User, complaint: WorkOrderType, hook: Any, receiver: Receiver
) -> None:
    masked, _secret = hook(receiver.url)
    full, _secret = hook(receiver.url, personal_numbers=True)
    _order(agent_li, complaint)
    webhook_deliveries_send()
    bodies = {r.json["order"]["fields"]["phone"]: r for r in receiver.received}
    assert set(bodies) == {"138****5678", "13812345678"}
    assert bodies["138****5678"].json["order"]["description"] == "客户说回电请打 139****5678。"
    assert b"13812345678" not in bodies["138****5678"].body
    assert bodies["13812345678"].json["order"]["description"] == "客户说回电请打 13912345678。"
    assert masked.deliveries.get().payload["order"]["fields"]["phone"] == "138****5678"
    assert full.deliveries.get().payload["order"]["fields"]["phone"] == "13812345678"


def test_an_endpoint_failing_too_often_is_disabled_and_the_admins_told(
    agent_li: User,
    admin_ma: User,
    complaint: WorkOrderType,
    hook: Any,
    receiver: Receiver,
    settings: Any,
) -> None:
    settings.LINGTING_WEBHOOK_DISABLE_AFTER = 2
    endpoint, _secret = hook(receiver.url)
    receiver.answers = [503, 503]
    _order(agent_li, complaint)
    now = timezone.now()
    webhook_deliveries_send(now=now)
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.failures_in_a_row) == (True, 1)
    run = webhook_deliveries_send(now=now + timedelta(minutes=1))
    assert run.disabled == ["CRM"]
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert "HTTP 503" in endpoint.disabled_reason
    told = Notification.objects.get(user=admin_ma)
    assert "CRM" in told.text
    assert "已自动停用" in told.text
    assert not Notification.objects.filter(user=agent_li, text__contains="Webhook").exists()
    assert AuditEvent.objects.filter(action="webhook.disable", object_id=endpoint.pk).exists()
    # waiting deliveries stay, unsent, and new steps make none
    _order(agent_li, complaint)
    assert webhook_deliveries_send(now=now + timedelta(days=1)).failed_attempts == 0
    assert endpoint.deliveries.get().status == DeliveryStatus.PENDING
    assert len(receiver.received) == 2


def test_the_command_sends_what_is_due(
    agent_li: User, complaint: WorkOrderType, hook: Any, receiver: Receiver
) -> None:
    hook(receiver.url)
    _order(agent_li, complaint)
    call_command("webhooks_deliver")
    assert receiver.events() == ["workorder.create"]
