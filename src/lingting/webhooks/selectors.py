"""Reads for webhooks: which endpoints want an event, the body an event is sent with, the
endpoints' pages (list, delivery log)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from lingting.engine.pii import mask_personal_numbers
from lingting.engine.webhooks import event_type, wants
from lingting.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from lingting.workorders.models import WorkOrder, WorkOrderEvent
from lingting.workorders.selectors.deadlines import workorder_deadline
from lingting.workorders.selectors.orders import workorder_fields_shown

DELIVERY_LOG_LENGTH = 100


def endpoints_wanting(kind: str) -> list[WebhookEndpoint]:
    """The active endpoints that asked for events of type `kind` (few rows: filtered here,
    the same way on SQLite and PostgreSQL)."""
    return [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(is_active=True).order_by("id")
        if wants(endpoint.events, kind)
    ]


def event_payload(
    event: WorkOrderEvent, order: WorkOrder, *, personal_numbers: bool
) -> dict[str, Any]:
    """The JSON body announcing `event`: the step (who, why, stage before and after, its
    facts) and the order as the step left it. Personal numbers in the texts and phone
    fields are masked unless the endpoint may receive them."""
    shown = (lambda text: text) if personal_numbers else mask_personal_numbers
    return {
        "id": event.pk,
        "type": event_type(event.action),
        "occurred_at": _iso(event.at),
        "actor": event.actor.username if event.actor else None,
        "reason": shown(event.reason),
        "before": event.before,
        "after": event.after,
        "details": event.payload,
        "order": {
            "number": order.number,
            "type": order.type.code,
            "title": shown(order.title),
            "description": shown(order.description),
            "fields": workorder_fields_shown(order, reveal=personal_numbers),
            "state": order.state,
            "paused": order.paused,
            "priority": order.priority,
            "department": order.department.code if order.department else None,
            "parent": order.parent.number if order.parent else None,
            "customer": shown(order.customer.code) if order.customer else None,
            "contact": order.contact.external_id if order.contact else None,
            "created_at": _iso(order.created_at),
            "due_at": _iso(_due_at(order, event)),
            "closed_at": _iso(order.closed_at),
            "urges": order.urges,
            "returns": order.returns,
            "reopens": order.reopens,
            "satisfied": order.satisfied,
            "repeat_of": order.repeat_of.number if order.repeat_of else None,
            "escalation_level": order.escalation_level,
            "version": order.version,
        },
    }


def _due_at(order: WorkOrder, event: WorkOrderEvent) -> datetime | None:
    """The deadline the step leaves. The step stores it only after writing its trail entry
    (the deadline is computed from the trail), so it is computed here the same way."""
    try:
        return workorder_deadline(order, now=event.at).due_at
    except ValueError:  # a type whose limits do not parse: what is stored
        return order.due_at


def _iso(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


@dataclass(frozen=True, slots=True)
class EndpointRow:
    endpoint: WebhookEndpoint
    pending: int
    failed: int
    last: WebhookDelivery | None


def endpoint_rows() -> list[EndpointRow]:
    """Every endpoint with its pending and failed deliveries and the latest one."""
    endpoints = WebhookEndpoint.objects.annotate(
        pending=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.PENDING)),
        failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
    ).order_by("name", "id")
    latest: dict[int, WebhookDelivery] = {}
    for delivery in WebhookDelivery.objects.filter(
        pk__in=WebhookDelivery.objects.values("endpoint").annotate(last=Max("id")).values("last")
    ):
        latest[delivery.endpoint_id] = delivery
    return [
        EndpointRow(
            endpoint=endpoint,
            pending=endpoint.pending,
            failed=endpoint.failed,
            last=latest.get(endpoint.pk),
        )
        for endpoint in endpoints
    ]


def endpoint_deliveries(
    endpoint: WebhookEndpoint, *, status: str = ""
) -> QuerySet[WebhookDelivery]:
    """The endpoint's latest deliveries, newest first, with their attempts."""
    deliveries = endpoint.deliveries.prefetch_related("attempt_log").order_by("-id")
    if status in DeliveryStatus.values:
        deliveries = deliveries.filter(status=status)
    return deliveries[:DELIVERY_LOG_LENGTH]
