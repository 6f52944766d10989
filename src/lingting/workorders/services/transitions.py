"""The machinery under every step of a work order's loop (`lingting.engine.workorders`
decides whether the step is allowed).

Every step runs in one transaction that locks the order's row (``select_for_update``, where
the database has it) and checks the version the user saw: a step taken on a stale page
raises `ConcurrentEdit` ("该工单已被他人修改，请刷新后再试") and changes nothing, so two people
acting on one order never lose an update. Each step appends a `WorkOrderEvent` (the trail:
who, when, why, stage before and after) and publishes it to the webhooks' outbox in the
same transaction, bumps the version and recomputes the deadline from the trail. The steps
the centre's own rules take (`workorder_system_transition`) skip the user's checks.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.core.models import User
from lingting.engine.webhooks import event_type
from lingting.engine.workorders import Action, Step, TransitionRefused, apply, refusal_text
from lingting.webhooks.services import Subject, webhook_event_publish
from lingting.workorders.models import WorkOrder, WorkOrderEvent
from lingting.workorders.permissions import may_act_on_workorder, workorder_scope
from lingting.workorders.selectors.events import workorder_event_payload
from lingting.workorders.selectors.orders import order_facts
from lingting.workorders.services.deadlines import workorder_deadline_refresh

CREATE = "create"


class ConcurrentEdit(Exception):
    """The order changed since the user loaded it; nothing was written."""

    def __init__(self) -> None:
        super().__init__(_("该工单已被他人修改，请刷新后再试"))


class InvalidTransition(ValidationError):
    """The state machine refused the step; the message says why."""


def workorder_transition(
    *,
    actor: User,
    order: WorkOrder,
    version: int,
    action: Action,
    reason: str = "",
    departments: int = 0,
    satisfied: bool | None = None,
    payload: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
) -> tuple[WorkOrder, Step]:
    """A step `actor` takes on `order` as they saw it at `version`: refused unless they may
    see the order and take the step, and unless the order is still at that version.
    `changes`: columns the step sets beyond those the state machine decides."""
    with transaction.atomic():
        locked = _locked(order)
        _check_access(actor, locked, version, action)
        step = _transition_apply(
            locked,
            actor=actor,
            action=action,
            reason=reason,
            departments=departments,
            satisfied=satisfied,
            payload=payload,
            changes=changes,
        )
    order.refresh_from_db()
    return locked, step


def workorder_system_transition(
    *,
    actor: User | None,
    order: WorkOrder,
    action: Action,
    reason: str,
    payload: dict[str, Any],
    changes: dict[str, Any] | None = None,
) -> tuple[WorkOrder, Step]:
    """A step the centre's own rules take (a repeat complaint's urge, an escalation by a
    trigger) on the order as it is now: neither scope, role nor version is checked, since
    nobody chose it — `actor` is whoever's action set it off, None for the hourly run. The
    state machine still decides whether the step fits the order."""
    with transaction.atomic():
        locked = _locked(order)
        step = _transition_apply(
            locked, actor=actor, action=action, reason=reason, payload=payload, changes=changes
        )
    order.refresh_from_db()
    return locked, step


def _locked(order: WorkOrder) -> WorkOrder:
    return (
        WorkOrder.objects.select_for_update(of=("self",))
        .select_related("type", "department", "parent", "owner")
        .get(pk=order.pk)
    )


def _transition_apply(
    locked: WorkOrder,
    *,
    actor: User | None,
    action: Action,
    reason: str,
    departments: int = 0,
    satisfied: bool | None = None,
    payload: dict[str, Any] | None,
    changes: dict[str, Any] | None,
) -> Step:
    """Take the step on the locked row: the state machine's decision stored, the trail
    appended (and its outbox written), the version raised, the deadline refreshed."""
    try:
        step = apply(
            order_facts(locked),
            action,
            reason=reason,
            departments=departments,
            satisfied=satisfied,
        )
    except TransitionRefused as refusal:
        raise InvalidTransition(refusal_text(refusal, _)) from None
    now = timezone.now()
    locked.state = step.after.value
    locked.paused = step.paused
    locked.priority = step.priority.value
    locked.urges += step.urged
    locked.returns += step.returned
    locked.reopens += step.reopened
    locked.closed_at = now if step.after == "closed" else None
    for name, value in (changes or {}).items():
        setattr(locked, name, value)
    locked.version += 1
    locked.updated_at = now
    workorder_event_record(
        locked,
        actor=actor,
        action=action.value,
        before=step.before.value,
        reason=reason.strip(),
        payload=payload or {},
        at=now,
    )
    locked.save()
    workorder_deadline_refresh(locked, now=now)
    if locked.parent_id is None:
        for child in locked.children.all():  # children run on the parent's clock
            workorder_deadline_refresh(child, now=now)
    return step


def _check_access(actor: User, order: WorkOrder, version: int, action: Action) -> None:
    if not WorkOrder.objects.filter(workorder_scope(actor), pk=order.pk).exists():
        raise PermissionDenied(_("你不能查看这张工单"))
    if order.version != version:
        raise ConcurrentEdit
    if not may_act_on_workorder(actor, order, action.value):
        raise PermissionDenied(_("你不能对这张工单执行此操作"))


def workorder_event_record(
    order: WorkOrder,
    *,
    actor: User | None,
    action: str,
    before: str,
    reason: str,
    payload: dict[str, Any],
    at: Any = None,
) -> WorkOrderEvent:
    """One entry of `order`'s trail (the creation, a step, a child's dispatch), announced
    to the webhooks that want it: call it inside the step's transaction."""
    event = WorkOrderEvent.objects.create(
        order=order,
        action=action,
        actor=actor,
        at=at or order.created_at,
        before=before,
        after=order.state,
        reason=reason,
        payload=payload,
        version=order.version,
    )
    webhook_event_publish(  # the outbox: in the step's transaction
        event_type=event_type(action),
        payload=lambda full: workorder_event_payload(event, order, personal_numbers=full),
        subject=Subject(order_id=order.pk, event_id=event.pk),
    )
    return event
