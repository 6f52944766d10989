"""The outbox is any app's, not only the work orders': an event about something else (a QA
event here) is published with `webhook_event_publish` inside its publisher's transaction,
stored for each endpoint that wants it — masked or in full, as that endpoint may receive
personal numbers — and delivered once the transaction commits; rolled back, it leaves
nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from lingting.core.models import Role, User
from lingting.webhooks.models import DeliveryStatus, WebhookDelivery
from lingting.webhooks.services import EndpointSpec, webhook_endpoint_create, webhook_event_publish
from tests.web.webhooks.webhook_receiver import Receiver, receiver_fixture  # noqa: F401 (a fixture)

SUBMITTED = "quality.evaluation_submitted"
IMMEDIATE_TASKS = override_settings(
    TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
)


def _body(full: bool) -> dict[str, Any]:
    return {"type": SUBMITTED, "agent": "A1001", "caller": "13812345678" if full else "138****5678"}


@pytest.fixture
def admin_ma(db: None) -> User:
    return User.objects.create_user("admin_ma", role=Role.ADMIN)


@override_settings(
    TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
)
def test_an_event_about_no_work_order_is_stored_and_delivered(
    admin_ma: User, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    def endpoint(name: str, events: list[str], *, full: bool = False) -> int:
        spec = EndpointSpec(name=name, url=receiver.url, events=events, personal_numbers=full)
        return webhook_endpoint_create(actor=admin_ma, spec=spec)[0].pk

    masked = endpoint("CRM", ["*"])
    full = endpoint("QA 看板", ["*"], full=True)
    endpoint("工单系统", ["workorder.create"])  # does not want it
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        webhook_event_publish(event_type=SUBMITTED, payload=_body)

    stored = {d.endpoint_id: d for d in WebhookDelivery.objects.all()}
    assert set(stored) == {masked, full}
    assert stored[masked].payload["caller"] == "138****5678"
    assert stored[full].payload["caller"] == "13812345678"
    assert {(d.event_type, d.order_id, d.event_id) for d in stored.values()} == {
        (SUBMITTED, None, None)
    }
    assert receiver.events() == [SUBMITTED, SUBMITTED]
    assert {d.status for d in WebhookDelivery.objects.all()} == {DeliveryStatus.DELIVERED}


def test_an_event_rolled_back_with_its_publisher_is_never_stored(admin_ma: User) -> None:
    spec = EndpointSpec(name="CRM", url="http://127.0.0.1:9/hooks", events=["*"])
    webhook_endpoint_create(actor=admin_ma, spec=spec)

    def publish_then_fail() -> None:
        with transaction.atomic():
            webhook_event_publish(event_type=SUBMITTED, payload=_body)
            raise RuntimeError("the publisher's change failed")

    with pytest.raises(RuntimeError):
        publish_then_fail()
    assert not WebhookDelivery.objects.exists()
