"""The webhook body of a work order's step: what an endpoint receives when a step of the
trail is published to the outbox (`lingting.webhooks`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from lingting.engine.pii import mask_personal_numbers
from lingting.engine.webhooks import event_type
from lingting.workorders.models import WorkOrder, WorkOrderEvent
from lingting.workorders.selectors.deadlines import workorder_deadline
from lingting.workorders.selectors.orders import workorder_fields_shown


def workorder_event_payload(
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
