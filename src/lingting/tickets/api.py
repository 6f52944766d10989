"""Work orders in the HTTP API (/api/tickets/): create, list (role-scoped), an order with
its trail, and each step of the loop.

Every step is a POST naming the `version` the caller last saw: a stale version answers 409
("该工单已被他人修改，请刷新后再试") and changes nothing; a step the state machine refuses
answers 422 with its message; a step the user may not take 403; an order they may not see 404.
"""

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, HeaderEx, P, Query, Router, Schema, Status

from lingting.core.models import User
from lingting.core.params import MAX_DB_INT, ApiDateTime
from lingting.core.permissions import request_user
from lingting.core.personal_numbers import reveals_numbers, text_shown_to
from lingting.core.services import api_key_digest
from lingting.engine.workorders import Action
from lingting.interactions.models import Contact, Customer
from lingting.tickets.models import Department, WorkOrder, WorkOrderType
from lingting.tickets.selectors import (
    OPEN_STATES,
    workorder_fields_shown,
    workorders_changed,
    workorders_for,
)
from lingting.tickets.services import (
    ConcurrentEdit,
    workorder_accept,
    workorder_callback,
    workorder_callback_result,
    workorder_cancel,
    workorder_close,
    workorder_create,
    workorder_create_from_contact,
    workorder_dispatch,
    workorder_escalate,
    workorder_note,
    workorder_pause,
    workorder_reopen,
    workorder_reply,
    workorder_resume,
    workorder_return,
    workorder_urge,
)
from lingting.webhooks.services import request_fingerprint, workorder_create_once

router = Router(tags=["tickets"])

IDEMPOTENCY = (
    "A key of your own (a UUID) that makes retrying this create safe: the same key from the"
    " same API key answers the order made the first time, for 24 hours (then the key is"
    " forgotten); a different body with a used key is 422."
)


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


def _out(order: WorkOrder, *, viewer: User) -> dict[str, Any]:
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


def _detail(order: WorkOrder, *, viewer: User) -> dict[str, Any]:
    shown = text_shown_to(viewer)
    return _out(order, viewer=viewer) | {
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


class OrderQuery(Schema):
    state: str = "open"  # open, all, or one state (accepted, dispatched …)
    limit: int = Field(100, ge=1, le=1000)


@router.get("/", response=list[OrderOut])
def order_list(request: HttpRequest, query: Query[OrderQuery]) -> list[dict[str, Any]]:
    user = request_user(request)
    orders = workorders_for(user).select_related("contact", "customer", "repeat_of")
    if query.state == "open":
        orders = orders.filter(state__in=OPEN_STATES)
    elif query.state != "all":
        orders = orders.filter(state=query.state)
    return [_out(order, viewer=user) for order in orders[: query.limit]]


@router.post("/", response={201: OrderDetailOut, 404: Problem, 422: Problem})
def order_create(
    request: HttpRequest,
    body: OrderIn,
    response: HttpResponse,
    idempotency_key: HeaderEx[
        str | None, P(alias="Idempotency-Key", description=IDEMPOTENCY)
    ] = None,
) -> Status[dict[str, Any]]:
    """Take a new order. With an `Idempotency-Key` header, a retried request (same key, same
    API key, same body) answers the order the first one made — 201 again, with the header
    `Idempotent-Replayed: true` — instead of a second order; the same key with a different
    body is 422."""
    user = request_user(request)
    order_type = WorkOrderType.objects.filter(code=body.type, is_active=True).first()
    if order_type is None:
        raise ValidationError({"type": f"unknown work-order type {body.type!r}"})
    values: dict[str, Any] = {
        "actor": user,
        "order_type": order_type,
        "title": body.title,
        "description": body.description,
        "fields": body.fields,
        "priority": body.priority,
        "threatened": body.threatened,
    }
    if body.contact:
        contact = Contact.objects.filter(external_id=body.contact).first()
        if contact is None:
            return Status(404, {"detail": "contact not found"})
        create = partial(workorder_create_from_contact, contact=contact, **values)
    else:
        customer = Customer.objects.filter(code=body.customer).first() if body.customer else None
        if body.customer and customer is None:
            return Status(404, {"detail": "customer not found"})
        create = partial(workorder_create, customer=customer, **values)
    order, replayed = _create_once(request, idempotency_key, body, create)
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return Status(201, _detail(order, viewer=user))


def _create_once(
    request: HttpRequest, key: str | None, body: OrderIn, create: Callable[[], WorkOrder]
) -> tuple[WorkOrder, bool]:
    """`create()`, or with an Idempotency-Key the order that key made (True: replayed).
    Keys belong to the API key that sent them (the signed-in user for a browser session)."""
    if key is None:
        return create(), False
    bearer = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    scope = f"key:{api_key_digest(bearer)[:32]}" if bearer else f"user:{request_user(request).pk}"
    return workorder_create_once(
        scope=scope,
        key=key,
        fingerprint=request_fingerprint(body.model_dump(mode="json")),
        create=create,
    )


class ChangesQuery(Schema):
    updated_since: ApiDateTime | None = None  # ISO 8601; without an offset, Beijing time
    cursor: str = ""  # the `cursor` of the previous answer (wins over updated_since)
    limit: int = Field(100, ge=1, le=1000)


class ChangesOut(Schema):
    orders: list[OrderOut]
    cursor: str  # ask again with it for the changes after these
    has_more: bool  # more changes wait: ask again at once


@router.get("/changes", response={200: ChangesOut, 422: Problem})
def order_changes(request: HttpRequest, query: Query[ChangesQuery]) -> Status[dict[str, Any]]:
    """For systems that poll instead of taking webhooks: the orders (of those this key may
    see) created or changed since `updated_since`, oldest change first, in every state.
    Keep the answer's `cursor` and ask with it next time; `has_more` says to ask again now.
    Changes show up about ten seconds after they are made (a step still committing is never
    skipped); an order changed twice between polls comes once, as it is now (`version`)."""
    user = request_user(request)
    since = query.updated_since
    if since is not None and timezone.is_naive(since):
        since = timezone.make_aware(since)
    page = workorders_changed(user, since=since, cursor=query.cursor, limit=query.limit)
    return Status(
        200,
        {
            "orders": [_out(order, viewer=user) for order in page.orders],
            "cursor": page.cursor,
            "has_more": page.has_more,
        },
    )


@router.get("/{number}", response={200: OrderDetailOut, 404: Problem})
def order_detail(request: HttpRequest, number: str) -> Status[dict[str, Any]]:
    user = request_user(request)
    order = _find(user, number)
    if order is None:
        return Status(404, {"detail": "work order not found"})
    return Status(200, _detail(order, viewer=user))


@router.post("/{number}/{action}", response={200: OrderDetailOut, 404: Problem, 409: Problem})
def order_step(
    request: HttpRequest, number: str, action: str, body: StepIn
) -> Status[dict[str, Any]]:
    """One step: dispatch, reply, accept, return, callback, callback_result, close, urge,
    note, pause, resume, cancel, reopen or escalate."""
    user = request_user(request)
    order = _find(user, number)
    if order is None or action not in Action:
        return Status(404, {"detail": "work order not found" if order is None else "no such step"})
    try:
        order = _take(user, order, Action(action), body)
    except ConcurrentEdit as stale:
        return Status(409, {"detail": str(stale)})
    order.refresh_from_db()
    return Status(200, _detail(order, viewer=user))


def _find(user: Any, number: str) -> WorkOrder | None:
    return workorders_for(user).filter(number=number).first()


def _take(user: Any, order: WorkOrder, action: Action, body: StepIn) -> WorkOrder:
    common: dict[str, Any] = {"actor": user, "order": order, "version": body.version}
    if action == Action.DISPATCH:
        departments = list(Department.objects.filter(code__in=body.departments))
        if len(departments) != len(set(body.departments)):
            raise ValidationError({"departments": "unknown department code"})
        return workorder_dispatch(**common, departments=departments, note=body.reason)
    if action == Action.REPLY:
        return workorder_reply(**common, reply=body.reason)
    if action == Action.CALLBACK:
        return workorder_callback(**common)
    if action == Action.CALLBACK_RESULT:
        if body.satisfied is None:
            raise ValidationError({"satisfied": "请记录客户是否满意"})
        return workorder_callback_result(**common, satisfied=body.satisfied, note=body.reason)
    if action == Action.URGE:
        return workorder_urge(
            **common, by_customer=body.by_customer, note=body.reason, threatened=body.threatened
        )
    if action == Action.NOTE:
        return workorder_note(**common, note=body.reason, threatened=body.threatened)
    if action in (Action.RETURN, Action.CANCEL, Action.REOPEN, Action.ESCALATE):
        named = {
            Action.RETURN: workorder_return,
            Action.CANCEL: workorder_cancel,
            Action.REOPEN: workorder_reopen,
            Action.ESCALATE: workorder_escalate,
        }[action]
        return named(**common, reason=body.reason)
    noted: dict[Action, Callable[..., WorkOrder]] = {
        Action.ACCEPT: workorder_accept,
        Action.CLOSE: workorder_close,
        Action.PAUSE: workorder_pause,
        Action.RESUME: workorder_resume,
    }
    return noted[action](**common, note=body.reason)
