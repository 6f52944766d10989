"""What the work-order API takes and answers: an order, its trail, a step's body."""

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from lingting.core.models import User
from lingting.core.params import MAX_DB_INT
from lingting.core.personal_numbers import reveals_numbers, text_shown_to
from lingting.workorders.models import WorkOrder
from lingting.workorders.selectors.orders import workorder_fields_shown


class OrderIn(Schema):
    type: str  # a WorkOrderType code, e.g. "complaint"
    title: str
    description: str = ""
    fields: dict[str, Any] = Field(default_factory=dict)
    priority: str = ""  # "" for the type's default
    contact: str | None = None  # a contact's external id: linked, its customer copied
    customer: str | None = None  # a known customer's code, for an order without a contact
    threatened: bool = False  # the customer threatens the media or a complaint over our head


class OrderOut(Schema):
    id: int
    number: str
    type: str
    title: str
    description: str
    fields: dict[str, Any]
    state: str
    paused: bool
    priority: str
    department: str | None
    parent: str | None
    contact: str | None
    customer: str | None
    created_at: datetime
    due_at: datetime | None
    closed_at: datetime | None
    urges: int
    returns: int
    reopens: int
    satisfied: bool | None
    repeat_of: str | None  # the earlier order this repeat complaint (重复投诉) is linked to
    threatened: bool
    escalation_level: int  # the escalation ladder's rung (0: not escalated)
    version: int


class EventOut(Schema):
    at: datetime
    action: str
    actor: str | None
    before: str
    after: str
    reason: str
    payload: dict[str, Any]
    version: int


class OrderDetailOut(OrderOut):
    children: list[str]
    trail: list[EventOut]


class StepIn(Schema):
    version: int = Field(ge=0, le=MAX_DB_INT)
    reason: str = ""  # the reply's text, a return's or cancellation's reason, a note …
    departments: list[str] = Field(default_factory=list)  # department codes, for dispatch
    satisfied: bool | None = None  # for callback_result
    by_customer: bool = False  # for urge
    threatened: bool = False  # for urge and note: the customer threatened (媒体曝光/越级投诉)


class Problem(Schema):
    detail: str | list[str]


def order_out(order: WorkOrder, *, viewer: User) -> dict[str, Any]:
    shown = text_shown_to(viewer)
    return {
        "id": order.pk,
        "number": order.number,
        "type": order.type.code,
        "title": shown(order.title),
        "description": shown(order.description),
        "fields": workorder_fields_shown(order, reveal=reveals_numbers(viewer)),
        "state": order.state,
        "paused": order.paused,
        "priority": order.priority,
        "department": order.department.code if order.department else None,
        "parent": order.parent.number if order.parent else None,
        "contact": order.contact.external_id if order.contact else None,
        "customer": shown(order.customer.code) if order.customer else None,  # may be a phone
        "created_at": order.created_at,
        "due_at": order.due_at,
        "closed_at": order.closed_at,
        "urges": order.urges,
        "returns": order.returns,
        "reopens": order.reopens,
        "satisfied": order.satisfied,
        "repeat_of": order.repeat_of.number if order.repeat_of else None,
        "threatened": order.threatened,
        "escalation_level": order.escalation_level,
        "version": order.version,
    }


def order_detail_out(order: WorkOrder, *, viewer: User) -> dict[str, Any]:
    shown = text_shown_to(viewer)
    return order_out(order, viewer=viewer) | {
        "children": list(order.children.order_by("number").values_list("number", flat=True)),
        "trail": [
            {
                "at": event.at,
                "action": event.action,
                "actor": event.actor.username if event.actor else None,
                "before": event.before,
                "after": event.after,
                "reason": shown(event.reason),
                "payload": event.payload,
                "version": event.version,
            }
            for event in order.events.select_related("actor").order_by("at", "id")
        ],
    }
