"""The webhooks' lists (the endpoints as a page and in the API, an endpoint's delivery log)
ask as many queries for 200 rows as for 20."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from lingting.core.models import Role, User
from lingting.webhooks.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from lingting.workorders.models import WorkOrder, WorkOrderType
from tests.web.listing.conftest import AssertFlat
from tests.web.listing.rows import row_name


@pytest.fixture
def admin_he(db: None) -> User:
    """An administrator: webhooks are theirs alone."""
    return User.objects.create_user("admin_he", role=Role.ADMIN)


def endpoint(name: str, *, created_by: User) -> WebhookEndpoint:
    return WebhookEndpoint(
        name=name,
        url=f"https://hooks.example/{name}",
        secret="s" * 40,
        events=["workorder.*"],
        created_by=created_by,
    )


def deliveries(sent: Iterable[tuple[WebhookEndpoint, WorkOrder]]) -> None:
    """For each endpoint and order: a delivery failed after one attempt, and one pending."""
    made = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=target,
            event_type="workorder.dispatched",
            order=order,
            payload={"order": {"number": order.number}},
            status=status,
            attempts=1,
        )
        for target, order in sent
        for status in (DeliveryStatus.FAILED, DeliveryStatus.PENDING)
    )
    WebhookAttempt.objects.bulk_create(
        WebhookAttempt(delivery=delivery, succeeded=False, status_code=500, response="down")
        for delivery in made
        if delivery.status == DeliveryStatus.FAILED
    )


@pytest.mark.parametrize("url", ["/webhooks/", "/api/webhooks/"])
def test_webhook_endpoints_queries_do_not_grow(
    url: str, assert_flat: AssertFlat, admin_he: User
) -> None:
    order = WorkOrder.objects.create(
        number="WO-1", type=WorkOrderType.objects.get(code="complaint"), title="停电投诉"
    )

    def add_rows(numbers: range) -> None:
        made = WebhookEndpoint.objects.bulk_create(
            endpoint(row_name("hook", n), created_by=admin_he) for n in numbers
        )
        deliveries((target, order) for target in made)

    assert_flat(admin_he, url, add_rows=add_rows, shown="hook-{n:03d}")


def test_an_endpoints_deliveries_queries_do_not_grow(
    assert_flat: AssertFlat, admin_he: User
) -> None:
    """The log shows the latest 100 deliveries, each with its attempts."""
    target = endpoint("crm", created_by=admin_he)
    target.save()
    url = f"/webhooks/{target.pk}/"
    complaint = WorkOrderType.objects.get(code="complaint")

    def add_rows(numbers: range) -> None:
        made = WorkOrder.objects.bulk_create(
            WorkOrder(number=row_name("WO", n), type=complaint, title="停电投诉") for n in numbers
        )
        deliveries((target, order) for order in made)

    assert_flat(admin_he, url, add_rows=add_rows, shown="WO-{n:03d}")
