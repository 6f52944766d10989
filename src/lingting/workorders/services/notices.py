"""Who is told of a work order's dispatch, return and urge: its department (the lead and
the members), for a parent the open children's departments too, and its owner."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from lingting.core.models import User
from lingting.core.services import notification_send
from lingting.workorders.models import OPEN_STATES, WorkOrder


def notice_facts(order: WorkOrder, **more: Any) -> dict[str, Any]:
    return {
        "number": order.number,
        "title": order.title,
        "department": order.department.name if order.department else "",
        **more,
    }


def workorder_url(order: WorkOrder) -> str:
    return reverse("tickets:detail", args=[order.pk])


def urge_tell(order: WorkOrder, text: str, *, actor: User, **more: Any) -> None:
    """Tell of an urge: the order's department, for a parent its open children's too, and
    its owner unless the owner urged it."""
    for target in [order, *order.children.filter(state__in=OPEN_STATES)]:
        department_tell(target, text, **more)
    if order.owner is not None and order.owner_id != actor.pk:
        notification_send(
            user=order.owner, text=text % notice_facts(order, **more), url=workorder_url(order)
        )


def department_tell(order: WorkOrder, text: str, **more: Any) -> None:
    department = order.department
    if department is None:
        return
    people = {member.pk: member for member in department.members.filter(is_active=True)}
    if department.lead is not None:
        people[department.lead.pk] = department.lead
    message = text % notice_facts(order, **more)
    for person in people.values():
        notification_send(user=person, text=message, url=workorder_url(order))
