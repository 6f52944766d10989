"""Reads of work orders: who sees which, the facts the state machine decides from, the
deadline recomputed from the trail, and an order's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from lingting.calendars.selectors import business_calendar
from lingting.core.models import User
from lingting.core.permissions import may_act_on_workorder, workorder_scope
from lingting.engine.calendars import WorkingHours
from lingting.engine.sla import Clock, SlaPolicy, deadline, elapsed_share, workdays
from lingting.engine.workorders import (
    OPEN_STAGES,
    Action,
    Mark,
    OrderFacts,
    Priority,
    Stage,
    allowed_actions,
    sla_clock,
)
from lingting.tickets.models import Department, WorkOrder, WorkOrderEvent, WorkOrderType

OPEN_STATES = [stage.value for stage in OPEN_STAGES]


def workorders_for(user: User) -> QuerySet[WorkOrder]:
    """The orders `user` may see, newest first."""
    return WorkOrder.objects.filter(workorder_scope(user)).select_related(
        "type", "department", "parent", "created_by", "owner"
    )


def workorder_for(user: User, pk: int) -> WorkOrder | None:
    return workorders_for(user).filter(pk=pk).first()


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
    )


def department_hours(department: Department | None) -> WorkingHours:
    """The department's working hours in the centre's zone (office hours if none given)."""
    zone = timezone.get_default_timezone()
    if department is None or not department.working_hours:
        return WorkingHours.office(tz=zone)
    days = tuple(
        tuple((_clock_time(start), _clock_time(end)) for start, end in periods)
        for periods in department.working_hours
    )
    return WorkingHours(periods=days, tz=zone)


def _clock_time(text: str) -> time:
    hours, minutes = text.split(":")
    return time(0) if hours == "24" else time(int(hours), int(minutes))


def sla_policy(order_type: WorkOrderType, priority: str, hours: WorkingHours) -> SlaPolicy:
    """The type's time limit for `priority` (the normal one when that priority has none)."""
    spec: dict[str, Any] = order_type.sla.get(priority) or order_type.sla.get("normal") or {}
    clock = Clock(spec.get("clock", Clock.BUSINESS))
    if "workdays" in spec:
        limit = workdays(float(spec["workdays"]), hours=hours)
    else:
        limit = timedelta(hours=float(spec.get("hours", 24)))
    return SlaPolicy(clock=clock, limit=limit)


@dataclass(frozen=True, slots=True)
class Deadline:
    due_at: datetime
    share: float  # of the limit used by now (above 1: overdue)
    policy: SlaPolicy


def workorder_deadline(order: WorkOrder, *, now: datetime | None = None) -> Deadline:
    """The order's deadline, from its type, priority, department hours and its trail alone
    (the clock starts at acceptance or at the latest reopening; pauses push it later).

    A child order runs on its parent's clock: it must come back in time for the parent.
    """
    now = now or timezone.now()
    clocked = order.parent if order.parent_id is not None else order
    assert clocked is not None
    marks = [
        Mark(at=at, action=Action(action), after=Stage(after))
        for at, action, after in clocked.events.exclude(action="create").values_list(
            "at", "action", "after"
        )
    ]
    started, pauses = sla_clock(clocked.created_at, marks)
    if order.parent_id is not None:  # the child's own pauses count too
        _, own = sla_clock(order.created_at, _marks(order))
        pauses = pauses + own
    hours = department_hours(order.department)
    policy = sla_policy(order.type, order.priority, hours)
    calendar = business_calendar()
    due = deadline(started, policy, calendar=calendar, hours=hours, pauses=pauses, now=now)
    share = elapsed_share(started, now, policy, calendar=calendar, hours=hours, pauses=pauses)
    return Deadline(due_at=due, share=share, policy=policy)


def _marks(order: WorkOrder) -> list[Mark]:
    return [
        Mark(at=at, action=Action(action), after=Stage(after))
        for at, action, after in order.events.exclude(action="create").values_list(
            "at", "action", "after"
        )
    ]


@dataclass(frozen=True, slots=True)
class OrderPage:
    order: WorkOrder
    trail: list[WorkOrderEvent]
    children: list[WorkOrder]
    actions: list[Action]  # allowed by the machine now and to this user
    deadline: Deadline | None


def workorder_page(user: User, order: WorkOrder) -> OrderPage:
    facts = order_facts(order)
    actions = [
        action for action in allowed_actions(facts) if may_act_on_workorder(user, order, action)
    ]
    trail = list(order.events.select_related("actor").order_by("at", "id"))
    children = list(order.children.select_related("department").order_by("number"))
    open_now = order.state in OPEN_STATES
    return OrderPage(
        order=order,
        trail=trail,
        children=children,
        actions=actions,
        deadline=workorder_deadline(order) if open_now else None,
    )
