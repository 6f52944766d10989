"""Reads of work orders: who sees which, the facts the state machine decides from, repeat
complaints, an order's page and the list's filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import BooleanField, Case, QuerySet, Value, When

from lingting.core.models import User
from lingting.engine import pii
from lingting.engine.workorders import Action, OrderFacts, Priority, Stage, allowed_actions
from lingting.interactions.models import Customer
from lingting.workorders.models import (
    OPEN_STATES,
    EscalationLevel,
    WorkOrder,
    WorkOrderEvent,
    WorkOrderType,
)
from lingting.workorders.permissions import may_act_on_workorder, workorder_scope
from lingting.workorders.selectors.deadlines import (
    Deadline,
    due_soon_q,
    overdue_q,
    workorder_deadline,
)
from lingting.workorders.selectors.ladder import escalation_top


def workorders_for(user: User) -> QuerySet[WorkOrder]:
    """The orders `user` may see, newest first."""
    return WorkOrder.objects.filter(workorder_scope(user)).select_related(
        "type", "department", "parent", "created_by", "owner"
    )


def workorder_for(user: User, pk: int) -> WorkOrder | None:
    return workorders_for(user).filter(pk=pk).first()


def workorder_fields_shown(order: WorkOrder, *, reveal: bool) -> dict[str, Any]:
    """The order's field values with personal numbers masked unless `reveal`: a phone field
    as one whole number, any other text as free text (the pages, the API and webhook bodies
    all show fields this way)."""
    if reveal:
        return dict(order.fields)
    phones = {spec["name"] for spec in order.type.fields if spec.get("type") == "phone"}
    fields: dict[str, Any] = {}
    for name, value in order.fields.items():
        if name in phones and value not in (None, ""):
            value = pii.mask_whole_number(str(value))
        elif isinstance(value, str):
            value = pii.mask_personal_numbers(value)
        fields[name] = value
    return fields


def active_types() -> QuerySet[WorkOrderType]:
    return WorkOrderType.objects.filter(is_active=True).select_related("default_department")


def order_facts(order: WorkOrder) -> OrderFacts:
    """What the state machine needs to know about `order`, read fresh from the tables."""
    open_children = order.children.filter(state__in=OPEN_STATES).count()
    parent_open = order.parent_id is None or (
        WorkOrder.objects.filter(pk=order.parent_id, state__in=OPEN_STATES).exists()
    )
    return OrderFacts(
        stage=Stage(order.state),
        priority=Priority(order.priority),
        paused=order.paused,
        open_children=open_children,
        is_child=order.parent_id is not None,
        parent_open=parent_open,
        needs_callback=order.parent_id is None and order.type.needs_callback,
        level=order.escalation_level,
        top_level=escalation_top(order),
    )


# --- repeat complaints (重复投诉) ---------------------------------------------------------


def earlier_orders(
    *, customer: Any, order_type: Any, before: Any, days: int
) -> QuerySet[WorkOrder]:
    """The top-level orders of `order_type` from `customer` taken in the `days` days before
    `before` (exactly `days` days before included): the one definition of a repeat
    complaint, used to link a new order and by the work-order report. Each argument may be
    a value or an expression (``OuterRef("customer")``) for a subquery. Cancelled orders
    count too: the customer did complain."""
    return WorkOrder.objects.filter(
        parent__isnull=True,
        type=order_type,
        customer=customer,
        created_at__lt=before,
        created_at__gte=before - timedelta(days=days),
    )


def repeat_target(
    order_type: WorkOrderType, customer: Customer | None, at: datetime
) -> WorkOrder | None:
    """The earlier order a new one of `order_type` from `customer` at `at` repeats: the
    latest open one, else the latest; None without a customer or when the type does not
    link repeats (its `repeat_days` is 0)."""
    if customer is None or not order_type.repeat_days:
        return None
    earlier = earlier_orders(
        customer=customer, order_type=order_type, before=at, days=order_type.repeat_days
    )
    return (
        earlier.annotate(
            is_open=Case(
                When(state__in=OPEN_STATES, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-is_open", "-created_at", "-id")
        .first()
    )


@dataclass(frozen=True, slots=True)
class OrderPage:
    order: WorkOrder
    trail: list[WorkOrderEvent]
    children: list[WorkOrder]
    actions: list[Action]  # allowed by the machine now and to this user
    deadline: Deadline | None
    repeats: list[WorkOrder]  # later repeat complaints linked to this order
    visible: set[int]  # of the linked orders (repeated and repeats), those the user may see
    level_name: str  # the name of the ladder's rung the order is on ("" when not escalated)


def workorder_page(user: User, order: WorkOrder) -> OrderPage:
    facts = order_facts(order)
    actions = [
        action for action in allowed_actions(facts) if may_act_on_workorder(user, order, action)
    ]
    trail = list(order.events.select_related("actor").order_by("at", "id"))
    children = list(order.children.select_related("department").order_by("number"))
    open_now = order.state in OPEN_STATES
    repeats = list(order.repeats.order_by("created_at", "id"))
    linked = [o.pk for o in repeats] + ([order.repeat_of_id] if order.repeat_of_id else [])
    level = EscalationLevel.objects.filter(rank=order.escalation_level).first()
    return OrderPage(
        order=order,
        trail=trail,
        children=children,
        actions=actions,
        deadline=workorder_deadline(order) if open_now else None,
        repeats=repeats,
        visible=set(workorders_for(user).filter(pk__in=linked).values_list("pk", flat=True)),
        level_name=level.name if level is not None and order.escalation_level else "",
    )


def orders_filtered(
    orders: QuerySet[WorkOrder],
    *,
    department: str = "",
    due: str = "",
    urged: bool = False,
    returned: bool = False,
    escalated: bool = False,
    repeat: bool = False,
    now: datetime,
) -> QuerySet[WorkOrder]:
    """`orders` of the department with code `department` ("" all); with `due` "soon" or
    "overdue" only those due soon or overdue now; `urged`, `returned`: urged (returned)
    at least once; `escalated`: on a rung of the escalation ladder (已升级); `repeat`: a
    repeat complaint (重复投诉)."""
    if department:
        orders = orders.filter(department__code=department)
    if escalated:
        orders = orders.filter(escalation_level__gt=0)
    if repeat:
        orders = orders.filter(repeat_of__isnull=False)
    if urged:
        orders = orders.filter(urges__gt=0)
    if returned:
        orders = orders.filter(returns__gt=0)
    if due == "soon":
        orders = orders.filter(due_soon_q(now))
    elif due == "overdue":
        orders = orders.filter(overdue_q(now))
    return orders
