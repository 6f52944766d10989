"""Reads for webhooks and external systems: which endpoints want an event, the body an
event is sent with, the endpoints' pages (list, delivery log), and the orders changed
since a moment, for systems that poll."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.core.models import User
from lingting.engine.pii import mask_text
from lingting.engine.webhooks import event_type, mask_personal_numbers, wants
from lingting.tickets.models import WorkOrder, WorkOrderEvent
from lingting.tickets.selectors import workorder_deadline, workorders_for
from lingting.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

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
            "fields": _fields(order, personal_numbers=personal_numbers),
            "state": order.state,
            "paused": order.paused,
            "priority": order.priority,
            "department": order.department.code if order.department else None,
            "parent": order.parent.number if order.parent else None,
            "customer": order.customer.code if order.customer else None,
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


def _fields(order: WorkOrder, *, personal_numbers: bool) -> dict[str, Any]:
    fields = dict(order.fields)
    if personal_numbers:
        return fields
    phones = {spec["name"] for spec in order.type.fields if spec.get("type") == "phone"}
    for name, value in fields.items():
        if not isinstance(value, str) or not value:
            continue
        if name in phones:  # as the API masks a phone field: 138****5678
            fields[name] = mask_text(value, [(0, len(value))], keep_first=3)
        else:
            fields[name] = mask_personal_numbers(value)
    return fields


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


# A step stamps the order's `updated_at` inside its transaction, moments before the commit;
# changes younger than this are left for the next poll, so a poller that moves its cursor
# past an order never misses a step that was still committing.
SETTLE = timedelta(seconds=10)


@dataclass(frozen=True, slots=True)
class ChangesPage:
    orders: list[WorkOrder]
    cursor: str  # give it back to get the changes after these
    has_more: bool


def workorders_changed(
    user: User,
    *,
    since: datetime | None,
    cursor: str,
    limit: int,
    now: datetime | None = None,
) -> ChangesPage:
    """The orders `user` may see that were created or changed at or after `since`, or after
    the position `cursor` names (it wins over `since`), oldest change first, in every state.
    An order appears once per poll with its latest state (its `version` says which)."""
    settled = (now or timezone.now()) - SETTLE
    orders = workorders_for(user).filter(updated_at__lte=settled)
    if cursor:
        at, last_id = _cursor_position(cursor)
        orders = orders.filter(Q(updated_at__gt=at) | Q(updated_at=at, pk__gt=last_id))
    elif since is not None:
        orders = orders.filter(updated_at__gte=since)
    page = list(
        orders.select_related("contact", "customer").order_by("updated_at", "pk")[: limit + 1]
    )
    more = len(page) > limit
    page = page[:limit]
    if page:
        cursor = _cursor_of(page[-1].updated_at, page[-1].pk)
    elif not cursor:
        cursor = _cursor_of(since, 0) if since is not None else ""
    return ChangesPage(orders=page, cursor=cursor, has_more=more)


def _cursor_of(at: datetime, last_id: int) -> str:
    text = f"{at.isoformat()}|{last_id}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _cursor_position(cursor: str) -> tuple[datetime, int]:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, last_id = text.split("|")
        moment = datetime.fromisoformat(at)
        if moment.tzinfo is None:
            raise ValueError(at)
        return moment, int(last_id)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValidationError({"cursor": _("cursor 无效：请使用上一次返回的 cursor")}) from None
