"""The steps of a work order's loop, one service each: dispatch, reply, review, callback,
close, urge, note, pause, resume, cancel and reopen (escalating by hand is
`lingting.workorders.services.escalation`), and `workorder_step`, the one door the page
and the API take to them by the step's name. Each runs through `transitions`: one
transaction, the row locked, the version checked, the trail appended.

Urges (催单) raise the priority one step — 一般 → 紧急 → 特急 — as seed 004's 95598 script
answers a customer calling again about an open order ("我们马上为您加急处理"); the shorter
limit of the higher priority applies from the order's start. The department (its lead and
members) and the order's owner are told of every dispatch and urge. Cancelling and
reopening also go to the audit trail (`AuditEvent`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.core.models import User
from lingting.core.services import audit_record
from lingting.engine.workorders import CHILD_START, Action
from lingting.workorders.models import Department, WorkOrder
from lingting.workorders.services.deadlines import workorder_deadline_refresh
from lingting.workorders.services.escalation import workorder_escalate, workorder_escalate_if_due
from lingting.workorders.services.notices import department_tell, urge_tell
from lingting.workorders.services.transitions import (
    workorder_event_record,
    workorder_transition,
)


def workorder_step(
    *,
    actor: User,
    order: WorkOrder,
    version: int,
    action: Action,
    reason: str = "",
    departments: Sequence[Department] = (),
    satisfied: bool | None = None,
    by_customer: bool = False,
    threatened: bool = False,
) -> WorkOrder:
    """Take the step `action` as a user asks for it by name, with what a step's form or
    body carries: `reason` is its one text (a reply, a return's or cancellation's reason,
    a note …), `departments` a dispatch's, `satisfied` a callback's answer, `by_customer`
    an urge's, `threatened` an urge's or a note's; each step reads only its own."""
    common: dict[str, Any] = {"actor": actor, "order": order, "version": version}
    match action:
        case Action.DISPATCH:
            return workorder_dispatch(**common, departments=departments, note=reason)
        case Action.REPLY:
            return workorder_reply(**common, reply=reason)
        case Action.ACCEPT:
            return workorder_accept(**common, note=reason)
        case Action.RETURN:
            return workorder_return(**common, reason=reason)
        case Action.CALLBACK:
            return workorder_callback(**common)
        case Action.CALLBACK_RESULT:
            if satisfied is None:
                raise ValidationError({"satisfied": _("请记录客户是否满意")})
            return workorder_callback_result(**common, satisfied=satisfied, note=reason)
        case Action.CLOSE:
            return workorder_close(**common, note=reason)
        case Action.URGE:
            return workorder_urge(
                **common, by_customer=by_customer, note=reason, threatened=threatened
            )
        case Action.NOTE:
            return workorder_note(**common, note=reason, threatened=threatened)
        case Action.PAUSE:
            return workorder_pause(**common, note=reason)
        case Action.RESUME:
            return workorder_resume(**common, note=reason)
        case Action.CANCEL:
            return workorder_cancel(**common, reason=reason)
        case Action.REOPEN:
            return workorder_reopen(**common, reason=reason)
        case Action.ESCALATE:
            return workorder_escalate(**common, reason=reason)


# --- the steps ---------------------------------------------------------------------------


def workorder_dispatch(
    *,
    actor: User,
    order: WorkOrder,
    version: int,
    departments: Sequence[Department],
    note: str = "",
) -> WorkOrder:
    """Dispatch (派单) to one department, or to several: one child order each."""
    departments = list(dict.fromkeys(departments))
    with transaction.atomic():
        locked, step = workorder_transition(
            actor=actor,
            order=order,
            version=version,
            action=Action.DISPATCH,
            reason=note,
            departments=len(departments),
            payload={"departments": [d.code for d in departments]},
            changes={"department": departments[0] if len(departments) == 1 else None},
        )
        children = [
            _child(locked, department, actor=actor, index=index)
            for index, department in enumerate(departments, start=1)
            if step.children
        ]
        for target in children or [locked]:
            department_tell(
                target,
                _("新工单 %(number)s「%(title)s」已派给%(department)s"),
            )
    return locked


def workorder_reply(*, actor: User, order: WorkOrder, version: int, reply: str) -> WorkOrder:
    """The department's reply (回单)."""
    if not reply.strip():
        raise ValidationError({"reply": _("请填写回单内容")})
    locked, _step_done = workorder_transition(
        actor=actor,
        order=order,
        version=version,
        action=Action.REPLY,
        reason=reply,
        changes={"owner": actor},
    )
    return locked


def workorder_accept(*, actor: User, order: WorkOrder, version: int, note: str = "") -> WorkOrder:
    """The reply reviewed and accepted (审核通过)."""
    return workorder_transition(
        actor=actor, order=order, version=version, action=Action.ACCEPT, reason=note
    )[0]


def workorder_return(*, actor: User, order: WorkOrder, version: int, reason: str) -> WorkOrder:
    """The reply returned to the department (退单), with the reason; counted."""
    locked, _step_done = workorder_transition(
        actor=actor, order=order, version=version, action=Action.RETURN, reason=reason
    )
    department_tell(locked, _("工单 %(number)s「%(title)s」被退回%(department)s，请重新处理"))
    return locked


def workorder_callback(*, actor: User, order: WorkOrder, version: int) -> WorkOrder:
    """The order goes to the callback (转回访)."""
    return workorder_transition(actor=actor, order=order, version=version, action=Action.CALLBACK)[
        0
    ]


def workorder_callback_result(
    *, actor: User, order: WorkOrder, version: int, satisfied: bool, note: str = ""
) -> WorkOrder:
    """The customer's answer at the callback (回访): satisfied closes the order, unsatisfied
    reopens it (back to 已受理, its deadline starting again)."""
    return workorder_transition(
        actor=actor,
        order=order,
        version=version,
        action=Action.CALLBACK_RESULT,
        reason=note,
        satisfied=satisfied,
        changes={"satisfied": satisfied},
    )[0]


def workorder_close(*, actor: User, order: WorkOrder, version: int, note: str = "") -> WorkOrder:
    """Close (办结) an order that needs no callback (a child order, a consultation)."""
    return workorder_transition(
        actor=actor, order=order, version=version, action=Action.CLOSE, reason=note
    )[0]


def workorder_urge(
    *,
    actor: User,
    order: WorkOrder,
    version: int,
    by_customer: bool,
    note: str = "",
    threatened: bool = False,
) -> WorkOrder:
    """An urge (催单), by the customer calling again or inside the centre: counted, the
    priority raised one step, the department and the owner told (the open children's
    departments too, for a parent); `threatened`: the customer threatened the media or a
    complaint over the centre's head. The order then meets the escalation ladder."""
    with transaction.atomic():
        locked, _urge = workorder_transition(
            actor=actor,
            order=order,
            version=version,
            action=Action.URGE,
            reason=note,
            payload={"by_customer": by_customer} | ({"threat": True} if threatened else {}),
            changes={"threatened": True} if threatened else None,
        )
        text = _("工单 %(number)s「%(title)s」第 %(urges)d 次催单，请尽快处理")
        urge_tell(locked, text, actor=actor, urges=locked.urges)
        workorder_escalate_if_due(locked, actor=actor)
    locked.refresh_from_db()
    return locked


def workorder_note(
    *, actor: User, order: WorkOrder, version: int, note: str, threatened: bool = False
) -> WorkOrder:
    """A follow-up note (追单), allowed at any stage; `threatened` as for an urge."""
    with transaction.atomic():
        locked = workorder_transition(
            actor=actor,
            order=order,
            version=version,
            action=Action.NOTE,
            reason=note,
            payload={"threat": True} if threatened else None,
            changes={"threatened": True} if threatened else None,
        )[0]
        if threatened:
            workorder_escalate_if_due(locked, actor=actor)
    locked.refresh_from_db()
    return locked


def workorder_pause(*, actor: User, order: WorkOrder, version: int, note: str = "") -> WorkOrder:
    """Pause (挂起) while waiting for the customer: the deadline stops running."""
    return workorder_transition(
        actor=actor, order=order, version=version, action=Action.PAUSE, reason=note
    )[0]


def workorder_resume(*, actor: User, order: WorkOrder, version: int, note: str = "") -> WorkOrder:
    return workorder_transition(
        actor=actor, order=order, version=version, action=Action.RESUME, reason=note
    )[0]


def workorder_cancel(*, actor: User, order: WorkOrder, version: int, reason: str) -> WorkOrder:
    """Cancel (撤销) with a reason; a parent's open children must be settled first."""
    return _audited_step(
        actor=actor, order=order, version=version, action=Action.CANCEL, reason=reason
    )


def workorder_reopen(*, actor: User, order: WorkOrder, version: int, reason: str) -> WorkOrder:
    """Reopen (重新打开) a closed or cancelled order with a reason; its deadline restarts."""
    return _audited_step(
        actor=actor, order=order, version=version, action=Action.REOPEN, reason=reason
    )


def _audited_step(
    *, actor: User, order: WorkOrder, version: int, action: Action, reason: str
) -> WorkOrder:
    """A step that also goes into the center's audit trail (cancelling and reopening undo
    the loop's work, so they are watched beside score changes)."""
    locked, step = workorder_transition(
        actor=actor, order=order, version=version, action=action, reason=reason
    )
    audit_record(
        actor=actor,
        action=f"workorder.{action.value}",
        object_type="workorder",
        object_id=locked.number,
        before={"state": step.before},
        after={"state": step.after},
        note=reason,
    )
    return locked


def _child(parent: WorkOrder, department: Department, *, actor: User, index: int) -> WorkOrder:
    """The child order for one department of a dispatch to several (already dispatched)."""
    now = timezone.now()
    child = WorkOrder.objects.create(
        number=f"{parent.number}-{index}",
        type=parent.type,
        title=parent.title,
        description=parent.description,
        fields=parent.fields,
        customer=parent.customer,
        contact=parent.contact,
        priority=parent.priority,
        state=CHILD_START.value,
        parent=parent,
        department=department,
        owner=None,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    workorder_event_record(
        child,
        actor=actor,
        action=Action.DISPATCH.value,
        before="",
        reason="",
        payload={"departments": [department.code]},
        at=now,
    )
    workorder_deadline_refresh(child, now=now)
    return child
