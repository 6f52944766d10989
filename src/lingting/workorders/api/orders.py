"""Work orders in the HTTP API (/api/tickets/): create, list (role-scoped), an order with
its trail, and each step of the loop.

Every step is a POST naming the `version` the caller last saw: a stale version answers 409
("该工单已被他人修改，请刷新后再试") and changes nothing; a step the state machine refuses
answers 422 with its message; a step the user may not take 403; an order they may not see 404.
"""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Field, HeaderEx, P, Query, Router, Schema, Status

from lingting.core.models import User
from lingting.core.permissions import request_user
from lingting.core.services import api_key_digest
from lingting.engine.workorders import Action
from lingting.interactions.models import Contact, Customer
from lingting.workorders.api.schemas import (
    OrderDetailOut,
    OrderIn,
    OrderOut,
    Problem,
    StepIn,
    order_detail_out,
    order_out,
)
from lingting.workorders.models import OPEN_STATES, Department, WorkOrder, WorkOrderType
from lingting.workorders.selectors.orders import workorders_for
from lingting.workorders.services.creation import workorder_create, workorder_create_from_contact
from lingting.workorders.services.idempotency import request_fingerprint, workorder_create_once
from lingting.workorders.services.steps import workorder_step
from lingting.workorders.services.transitions import ConcurrentEdit

router = Router()


IDEMPOTENCY = (
    "A key of your own (a UUID) that makes retrying this create safe: the same key from the"
    " same API key answers the order made the first time, for 24 hours (then the key is"
    " forgotten); a different body with a used key is 422."
)


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
    return [order_out(order, viewer=user) for order in orders[: query.limit]]


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
    return Status(201, order_detail_out(order, viewer=user))


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


@router.get("/{number}", response={200: OrderDetailOut, 404: Problem})
def order_detail(request: HttpRequest, number: str) -> Status[dict[str, Any]]:
    user = request_user(request)
    order = _find(user, number)
    if order is None:
        return Status(404, {"detail": "work order not found"})
    return Status(200, order_detail_out(order, viewer=user))


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
    return Status(200, order_detail_out(order, viewer=user))


def _find(user: User, number: str) -> WorkOrder | None:
    return workorders_for(user).filter(number=number).first()


def _take(user: User, order: WorkOrder, action: Action, body: StepIn) -> WorkOrder:
    """The step with what `body` carried, a dispatch's department codes looked up (an
    unknown one is 422)."""
    departments: list[Department] = []
    if action == Action.DISPATCH:
        departments = list(Department.objects.filter(code__in=body.departments))
        if len(departments) != len(set(body.departments)):
            raise ValidationError({"departments": "unknown department code"})
    return workorder_step(
        actor=user,
        order=order,
        version=body.version,
        action=action,
        reason=body.reason,
        departments=departments,
        satisfied=body.satisfied,
        by_customer=body.by_customer,
        threatened=body.threatened,
    )
