"""Writes of work orders: creating one (by hand or from a contact) and one service per step
of the loop (`lingting.engine.workorders` decides whether the step is allowed).

Every step runs in one transaction that locks the order's row (``select_for_update``, where
the database has it) and checks the version the user saw: a step taken on a stale page
raises `ConcurrentEdit` ("该工单已被他人修改，请刷新后再试") and changes nothing, so two people
acting on one order never lose an update. Each step appends a `WorkOrderEvent` (the trail:
who, when, why, stage before and after), bumps the version and recomputes the deadline
from the trail. Cancelling and reopening also go to the audit trail (`AuditEvent`).

Urges (催单) raise the priority one step — 一般 → 紧急 → 特急 — as seed 004's 95598 script
answers a customer calling again about an open order ("我们马上为您加急处理"); the shorter
limit of the higher priority applies from the order's start. The department (its lead and
members) and the order's owner are told of every dispatch and urge.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.core.models import Agent, User
from lingting.core.permissions import (
    contact_scope,
    may_act_on_workorder,
    may_take_workorders,
    workorder_scope,
)
from lingting.core.services import audit_record, notification_send
from lingting.engine.escalation import (
    TRIGGER_LABELS,
    Climb,
    LadderTop,
    Situation,
    Trigger,
    climb,
    manual_climb,
    threat_words_found,
    top_rank,
)
from lingting.engine.workorders import (
    CHILD_START,
    Action,
    Priority,
    Step,
    TransitionRefused,
    apply,
    refusal_text,
)
from lingting.interactions.models import Contact, Customer
from lingting.tickets.ladder import escalation_top, ladder_levels, ladder_rungs, threat_words
from lingting.tickets.models import (
    Department,
    EscalationLevel,
    WorkOrder,
    WorkOrderEvent,
    WorkOrderType,
    WorkOrderWarning,
)
from lingting.tickets.selectors import (
    OPEN_STATES,
    Deadline,
    order_facts,
    repeat_target,
    workorder_deadline,
)
from lingting.webhooks.services import webhook_deliveries_enqueue

CREATE = "create"


class ConcurrentEdit(Exception):
    """The order changed since the user loaded it; nothing was written."""

    def __init__(self) -> None:
        super().__init__(_("该工单已被他人修改，请刷新后再试"))


class InvalidTransition(ValidationError):
    """The state machine refused the step; the message says why."""


# --- fields ------------------------------------------------------------------------------

FIELD_TYPES = frozenset({"text", "number", "date", "phone", "choice"})


def fields_clean(order_type: WorkOrderType, values: dict[str, Any]) -> dict[str, Any]:
    """`values` checked against the type's fields: required ones present, numbers and
    dates parsed, choices among theirs, unknown names refused. ValidationError per field."""
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    known = {spec["name"]: spec for spec in order_type.fields}
    for name in values:
        if name not in known:
            errors[name] = _("「%(type)s」工单没有这个字段") % {"type": order_type.name}
    for name, spec in known.items():
        raw = values.get(name)
        text = "" if raw is None else str(raw).strip()
        if not text:
            if spec.get("required"):
                errors[name] = _("请填写%(label)s") % {"label": spec["label"]}
            continue
        kind = spec.get("type", "text")
        try:
            cleaned[name] = _field_value(kind, text, spec)
        except ValueError:
            errors[name] = _("%(label)s格式不对") % {"label": spec["label"]}
    if errors:
        raise ValidationError(errors)
    return cleaned


def _field_value(kind: str, text: str, spec: dict[str, Any]) -> Any:
    if kind == "number":
        return float(text) if "." in text else int(text)
    if kind == "date":
        return date.fromisoformat(text).isoformat()
    if kind == "choice" and text not in spec.get("choices", []):
        raise ValueError(text)
    if kind == "phone" and not text.replace("-", "").replace(" ", "").isdigit():
        raise ValueError(text)
    return text


# --- creating ----------------------------------------------------------------------------


def workorder_create(
    *,
    actor: User,
    order_type: WorkOrderType,
    title: str,
    description: str = "",
    fields: dict[str, Any] | None = None,
    priority: str = "",
    customer: Customer | None = None,
    contact: Contact | None = None,
    department: Department | None = None,
    threatened: bool = False,
) -> WorkOrder:
    """A new order, accepted (已受理) by `actor`; its deadline starts now.

    `priority` "" takes the type's default; `department` None the type's default (the
    department it will be dispatched to; dispatching is a step of its own). `threatened`:
    the customer threatens the media or a complaint over the centre's head (媒体曝光/越级
    投诉); the threat words in the customer's turns of `contact` mark it so too.

    A repeat complaint (重复投诉: the customer has an order of this type from the type's
    `repeat_days` before) is linked to that order (`repeat_of`) and expedited: one priority
    step higher, and the earlier order, if still open, urged on the customer's behalf
    ("我们马上为您加急处理"). The new order then meets the escalation ladder.
    """
    if not may_take_workorders(actor):
        raise PermissionDenied(_("你不能受理工单"))
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("请填写标题")})
    if not order_type.is_active:
        raise ValidationError({"order_type": _("这个工单类型已停用")})
    cleaned = fields_clean(order_type, fields or {})
    priority = priority or order_type.default_priority
    if priority not in Priority:
        raise ValidationError({"priority": _("优先级不对")})
    now = timezone.now()
    words = _threat_words_said(contact)
    with transaction.atomic():
        earlier = repeat_target(order_type, customer, now)
        if earlier is not None:
            priority = Priority(priority).raised().value
        order = WorkOrder.objects.create(
            number=f"new-{uuid.uuid4().hex}",  # the real number needs the row's id
            type=order_type,
            title=title,
            description=description.strip(),
            fields=cleaned,
            customer=customer,
            contact=contact,
            priority=priority,
            department=department or order_type.default_department,
            owner=actor,
            created_by=actor,
            created_at=now,
            updated_at=now,
            repeat_of=earlier,
            threatened=threatened or bool(words),
        )
        order.number = f"GD{timezone.localtime(now):%Y%m%d}{order.pk:06d}"
        _event(
            order,
            actor=actor,
            action=CREATE,
            before="",
            reason="",
            payload=_creation_facts(earlier, threatened=threatened, words=words),
        )
        _set_deadline(order, now=now)
        order.save(update_fields=["number", "due_at", "warn_from"])
        if earlier is not None and earlier.state in OPEN_STATES:
            _repeat_urge(earlier, repeat=order, actor=actor)
        _escalate_if_due(order, actor=actor, now=now)
    order.refresh_from_db()
    return order


def _creation_facts(
    earlier: WorkOrder | None, *, threatened: bool, words: list[str]
) -> dict[str, Any]:
    """What the creation event records beyond the order's own fields."""
    facts: dict[str, Any] = {}
    if earlier is not None:
        facts["repeat_of"] = earlier.number
    if threatened:
        facts["threat"] = True
    if words:
        facts["threat_words"] = words
    return facts


def _threat_words_said(contact: Contact | None) -> list[str]:
    """The threat words (媒体, 曝光, 12315 …) the customer said in `contact`."""
    if contact is None:
        return []
    texts = list(contact.turns.filter(speaker="customer").values_list("text", flat=True))
    return threat_words_found(texts, threat_words())


def workorder_create_from_contact(
    *,
    actor: User,
    contact: Contact,
    order_type: WorkOrderType,
    title: str,
    description: str = "",
    fields: dict[str, Any] | None = None,
    priority: str = "",
    threatened: bool = False,
) -> WorkOrder:
    """An order taken from `contact` (one the actor may see): the contact linked and its
    customer copied onto the order."""
    if not Contact.objects.filter(contact_scope(actor), pk=contact.pk).exists():
        raise PermissionDenied(_("你不能查看这条联络"))
    return workorder_create(
        actor=actor,
        order_type=order_type,
        title=title,
        description=description,
        fields=fields,
        priority=priority,
        customer=contact.customer,
        contact=contact,
        threatened=threatened,
    )


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
        locked, step = _step(
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
            _tell_department(
                target,
                _("新工单 %(number)s「%(title)s」已派给%(department)s"),
            )
    return locked


def workorder_reply(*, actor: User, order: WorkOrder, version: int, reply: str) -> WorkOrder:
    """The department's reply (回单)."""
    if not reply.strip():
        raise ValidationError({"reply": _("请填写回单内容")})
    locked, _step_done = _step(
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
    return _step(actor=actor, order=order, version=version, action=Action.ACCEPT, reason=note)[0]


def workorder_return(*, actor: User, order: WorkOrder, version: int, reason: str) -> WorkOrder:
    """The reply returned to the department (退单), with the reason; counted."""
    locked, _step_done = _step(
        actor=actor, order=order, version=version, action=Action.RETURN, reason=reason
    )
    _tell_department(locked, _("工单 %(number)s「%(title)s」被退回%(department)s，请重新处理"))
    return locked


def workorder_callback(*, actor: User, order: WorkOrder, version: int) -> WorkOrder:
    """The order goes to the callback (转回访)."""
    return _step(actor=actor, order=order, version=version, action=Action.CALLBACK)[0]


def workorder_callback_result(
    *, actor: User, order: WorkOrder, version: int, satisfied: bool, note: str = ""
) -> WorkOrder:
    """The customer's answer at the callback (回访): satisfied closes the order, unsatisfied
    reopens it (back to 已受理, its deadline starting again)."""
    return _step(
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
    return _step(actor=actor, order=order, version=version, action=Action.CLOSE, reason=note)[0]


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
        locked, _urge = _step(
            actor=actor,
            order=order,
            version=version,
            action=Action.URGE,
            reason=note,
            payload={"by_customer": by_customer} | ({"threat": True} if threatened else {}),
            changes={"threatened": True} if threatened else None,
        )
        text = _("工单 %(number)s「%(title)s」第 %(urges)d 次催单，请尽快处理")
        _tell_urged(locked, text, actor=actor, urges=locked.urges)
        _escalate_if_due(locked, actor=actor)
    locked.refresh_from_db()
    return locked


def workorder_note(
    *, actor: User, order: WorkOrder, version: int, note: str, threatened: bool = False
) -> WorkOrder:
    """A follow-up note (追单), allowed at any stage; `threatened` as for an urge."""
    with transaction.atomic():
        locked = _step(
            actor=actor,
            order=order,
            version=version,
            action=Action.NOTE,
            reason=note,
            payload={"threat": True} if threatened else None,
            changes={"threatened": True} if threatened else None,
        )[0]
        if threatened:
            _escalate_if_due(locked, actor=actor)
    locked.refresh_from_db()
    return locked


def workorder_pause(*, actor: User, order: WorkOrder, version: int, note: str = "") -> WorkOrder:
    """Pause (挂起) while waiting for the customer: the deadline stops running."""
    return _step(actor=actor, order=order, version=version, action=Action.PAUSE, reason=note)[0]


def workorder_resume(*, actor: User, order: WorkOrder, version: int, note: str = "") -> WorkOrder:
    return _step(actor=actor, order=order, version=version, action=Action.RESUME, reason=note)[0]


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
    locked, step = _step(actor=actor, order=order, version=version, action=action, reason=reason)
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


# --- the machinery -----------------------------------------------------------------------


def _step(
    *,
    actor: User | None,
    order: WorkOrder,
    version: int | None,
    action: Action,
    reason: str = "",
    departments: int = 0,
    satisfied: bool | None = None,
    payload: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
    trusted: bool = False,
) -> tuple[WorkOrder, Step]:
    """`trusted`: a step the centre's own rules take (a repeat complaint's urge, an
    escalation by a trigger), whoever's action set it off: neither scope, role nor version
    is checked (the actor is None for the hourly run)."""
    with transaction.atomic():
        locked = (
            WorkOrder.objects.select_for_update(of=("self",))
            .select_related("type", "department", "parent", "owner")
            .get(pk=order.pk)
        )
        if not trusted:
            _check_access(actor, locked, version, action)
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
        _event(
            locked,
            actor=actor,
            action=action.value,
            before=step.before.value,
            reason=reason.strip(),
            payload=payload or {},
            at=now,
        )
        _set_deadline(locked, now=now)
        locked.save()
        if locked.parent_id is None:
            for child in locked.children.all():  # children run on the parent's clock
                due = workorder_deadline(child, now=now)
                WorkOrder.objects.filter(pk=child.pk).update(
                    due_at=due.due_at, warn_from=due.warn_from
                )
    order.refresh_from_db()
    return locked, step


def _check_access(
    actor: User | None, order: WorkOrder, version: int | None, action: Action
) -> None:
    if actor is None or not WorkOrder.objects.filter(workorder_scope(actor), pk=order.pk).exists():
        raise PermissionDenied(_("你不能查看这张工单"))
    if order.version != version:
        raise ConcurrentEdit
    if not may_act_on_workorder(actor, order, action.value):
        raise PermissionDenied(_("你不能对这张工单执行此操作"))


def _event(
    order: WorkOrder,
    *,
    actor: User | None,
    action: str,
    before: str,
    reason: str,
    payload: dict[str, Any],
    at: Any = None,
) -> WorkOrderEvent:
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
    webhook_deliveries_enqueue(event=event)  # the outbox: in the step's transaction
    return event


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
    _event(
        child,
        actor=actor,
        action=Action.DISPATCH.value,
        before="",
        reason="",
        payload={"departments": [department.code]},
        at=now,
    )
    _set_deadline(child, now=now)
    child.save(update_fields=["due_at", "warn_from"])
    return child


def _set_deadline(order: WorkOrder, *, now: datetime) -> None:
    """The deadline and the first warning point, recomputed from the trail (not saved)."""
    due = workorder_deadline(order, now=now)
    order.due_at, order.warn_from = due.due_at, due.warn_from


def _facts_of(order: WorkOrder, **more: Any) -> dict[str, Any]:
    return {
        "number": order.number,
        "title": order.title,
        "department": order.department.name if order.department else "",
        **more,
    }


def _url(order: WorkOrder) -> str:
    return reverse("tickets:detail", args=[order.pk])


def _tell_urged(order: WorkOrder, text: str, *, actor: User, **more: Any) -> None:
    """Tell of an urge: the order's department, for a parent its open children's too, and
    its owner unless the owner urged it."""
    for target in [order, *order.children.filter(state__in=OPEN_STATES)]:
        _tell_department(target, text, **more)
    if order.owner is not None and order.owner_id != actor.pk:
        notification_send(user=order.owner, text=text % _facts_of(order, **more), url=_url(order))


def _tell_department(order: WorkOrder, text: str, **more: Any) -> None:
    department = order.department
    if department is None:
        return
    people = {member.pk: member for member in department.members.filter(is_active=True)}
    if department.lead is not None:
        people[department.lead.pk] = department.lead
    message = text % _facts_of(order, **more)
    for person in people.values():
        notification_send(user=person, text=message, url=_url(order))


# --- deadline warnings (时限预警) ---------------------------------------------------------


@dataclass(slots=True)
class WarningRun:
    """What one `workorder_warnings_send` did."""

    sent: list[WorkOrderWarning] = field(default_factory=list)
    superseded: int = 0  # points passed unsent, recorded without a message of their own
    refreshed: int = 0  # orders whose stored deadline or warning point was out of date
    failed: list[tuple[str, str]] = field(default_factory=list)  # (number, why)


def workorder_warnings_send(*, now: datetime | None = None) -> WarningRun:
    """Warn of every warning point (时限预警; the type's warn_at, by default 50% and 80% of
    the limit) and of every deadline (100%, 超时) that open orders have reached, once each.

    Seed 004 (004_2e6e1fc8a5fa7dff.txt) escalates "投诉工单超时未回复"; seed 003's loop calls
    the step 时限预警. The points come from the stored trail and the business calendar (no
    timer in memory), so running it late, twice or after a restart sends each warning once:
    a `WorkOrderWarning` per order, point and run of its clock (a reopened order's clock
    restarts, and it warns again). The owner, their team leader and the department's lead
    are told; at the
    deadline the department's members too. Paused orders (and children of a paused order)
    do not warn. When several points passed unsent, only the latest is sent; the others are
    recorded as superseded. The stored deadline and first warning point are refreshed too
    (a corrected calendar day moves them).
    """
    now = now or timezone.now()
    run = WarningRun()
    orders = (
        WorkOrder.objects.filter(state__in=OPEN_STATES, paused=False)
        .exclude(parent__paused=True)
        .select_related("type", "department__lead", "owner", "parent")
    )
    done: dict[tuple[int, datetime], set[int]] = {}
    for order_id, started, point in WorkOrderWarning.objects.filter(
        order__state__in=OPEN_STATES
    ).values_list("order_id", "clock_started", "point"):
        done.setdefault((order_id, started), set()).add(point)
    for order in orders:
        try:
            due = workorder_deadline(order, now=now)
        except ValueError as error:  # a type whose limits or warning points do not parse
            run.failed.append((order.number, str(error)))
            continue
        if (order.due_at, order.warn_from) != (due.due_at, due.warn_from):
            WorkOrder.objects.filter(pk=order.pk).update(due_at=due.due_at, warn_from=due.warn_from)
            run.refreshed += 1
        sent_before = done.get((order.pk, due.started), set())
        reached = [(point, at) for point, at in due.points if at <= now]
        new = [(point, at) for point, at in reached if point not in sent_before]
        if not new:
            continue
        try:
            with transaction.atomic():
                _warn(order, due, new, sent_before, run)
        except IntegrityError:  # another run sent it in the meantime
            continue
    return run


def _warn(
    order: WorkOrder,
    due: Deadline,
    new: list[tuple[int, datetime]],
    sent_before: set[int],
    run: WarningRun,
) -> None:
    """Record the newly reached points of `order`; send the latest one (if it is later than
    any sent before)."""
    latest_point = new[-1][0]
    send = not sent_before or latest_point > max(sent_before)
    for point, at in new:
        superseded = not (send and point == latest_point)
        people = [] if superseded else _warning_recipients(order, point)
        warning = WorkOrderWarning.objects.create(
            order=order,
            point=point,
            clock_started=due.started,
            reached_at=at,
            due_at=due.due_at,
            recipients=[person.username for person in people],
            superseded=superseded,
        )
        if superseded:
            run.superseded += 1
            continue
        text = _warning_text(order, point, due)
        for person in people:
            notification_send(user=person, text=text, url=_url(order))
        run.sent.append(warning)


def _warning_recipients(order: WorkOrder, point: int) -> list[User]:
    """The owner and their lead (the team leader of an agent who owns it), the department's
    lead; at the deadline the department's members too."""
    people: dict[int, User] = {}
    if order.owner is not None and order.owner.is_active:
        people[order.owner.pk] = order.owner
        team_leader = _team_leader_of(order.owner)
        if team_leader is not None and team_leader.is_active:
            people[team_leader.pk] = team_leader
    department = order.department
    if department is not None:
        if department.lead is not None and department.lead.is_active:
            people[department.lead.pk] = department.lead
        if point >= 100:
            for member in department.members.filter(is_active=True):
                people[member.pk] = member
    return list(people.values())


def _team_leader_of(user: User) -> User | None:
    agent = Agent.objects.select_related("team__leader").filter(user=user).first()
    if agent is None or agent.team is None:
        return None
    return agent.team.leader


def _warning_text(order: WorkOrder, point: int, due: Deadline) -> str:
    facts = _facts_of(order, point=point, due=f"{timezone.localtime(due.due_at):%Y-%m-%d %H:%M}")
    if point >= 100:
        return _("工单超时：%(number)s「%(title)s」已超过办理时限（%(due)s），请尽快处理") % facts
    return (
        _("时限预警：%(number)s「%(title)s」已用去办理时限的 %(point)d%%，将于 %(due)s 到期")
        % facts
    )


# --- repeat complaints and the escalation ladder (投诉升级) -------------------------------


def _repeat_urge(earlier: WorkOrder, *, repeat: WorkOrder, actor: User) -> None:
    """Urge `earlier` on the customer's behalf for their repeat complaint `repeat` (seed
    004: 投诉工单未超时，客户重复投诉 → "我们马上为您加急处理"), whoever may see it: counted,
    its department and owner told, the ladder met."""
    note = _("客户重复投诉（新工单 %(number)s）：我们马上为您加急处理") % {"number": repeat.number}
    locked, _urge = _step(
        actor=actor,
        order=earlier,
        version=None,
        action=Action.URGE,
        reason=note,
        payload={"by_customer": True, "repeat": repeat.number},
        trusted=True,
    )
    text = _("客户重复投诉：工单 %(number)s「%(title)s」已加急（新工单 %(repeat)s），请尽快处理")
    _tell_urged(locked, text, actor=actor, repeat=repeat.number)
    _escalate_if_due(locked, actor=actor)


def workorder_escalate(*, actor: User, order: WorkOrder, version: int, reason: str) -> WorkOrder:
    """Escalate by hand (升级: team leaders, operations managers, admins) one active rung up
    the ladder, with the reason; audited, the rung's people told."""
    with transaction.atomic():
        current = WorkOrder.objects.select_for_update(of=("self",)).get(pk=order.pk)
        try:
            climbed = manual_climb(ladder_rungs(), current.escalation_level)
        except LadderTop:
            climbed = None  # the state machine refuses the step below, saying why
        _climb_step(current, climbed, actor=actor, version=version, reason=reason, trusted=False)
    order.refresh_from_db()
    return order


def _escalate_if_due(
    order: WorkOrder, *, actor: User | None, now: datetime | None = None
) -> Climb | None:
    """Put `order` on the rung its triggers (timeout, urges, threat) reach, if above its
    own (`lingting.engine.escalation.climb`); a step of the trail, audited, the rungs'
    people told. Decided under the order's row lock, so two runs climb once."""
    now = now or timezone.now()
    with transaction.atomic():
        current = (
            WorkOrder.objects.select_for_update(of=("self",))
            .select_related("type", "department", "parent")
            .get(pk=order.pk)
        )
        top = escalation_top(current)
        if current.state not in OPEN_STATES or current.escalation_level >= top:
            return None
        rungs = ladder_rungs()
        timed = any(rung.timeout is not None for rung in rungs)
        share = workorder_deadline(current, now=now).share if timed else None
        situation = Situation(
            level=current.escalation_level,
            share=share,
            urges=current.urges,
            threatened=current.threatened,
        )
        climbed = climb(rungs, situation)
        if climbed is None:
            return None
        reason = _climb_reason(climbed, situation)
        _climb_step(current, climbed, actor=actor, version=None, reason=reason, trusted=True)
    return climbed


def _climb_step(
    order: WorkOrder,
    climbed: Climb | None,
    *,
    actor: User | None,
    version: int | None,
    reason: str,
    trusted: bool,
) -> None:
    levels = {level.rank: level for level in ladder_levels()}
    people = _rung_people(order, [levels[rank] for rank in climbed.passed]) if climbed else []
    payload: dict[str, Any] = {}
    if climbed is not None:
        payload = {
            "level": climbed.after,
            "from": climbed.before,
            "name": levels[climbed.after].name,
            "triggers": [trigger.value for trigger in climbed.triggers],
            "passed": list(climbed.passed),
            "notified": [person.username for person in people],
        }
    locked, _escalation = _step(
        actor=actor,
        order=order,
        version=version,
        action=Action.ESCALATE,
        reason=reason,
        payload=payload,
        changes={"escalation_level": climbed.after} if climbed else None,
        trusted=trusted,
    )
    assert climbed is not None  # the machine refuses an escalation at the top
    audit_record(
        actor=actor,
        action="workorder.escalate",
        object_type="workorder",
        object_id=locked.number,
        before={"level": climbed.before},
        after={"level": climbed.after, "name": payload["name"]},
        note=reason,
    )
    text = _("工单 %(number)s「%(title)s」已升级至第 %(level)d 级「%(name)s」：%(reason)s")
    facts = _facts_of(locked, level=climbed.after, name=payload["name"], reason=reason.strip())
    for person in people:
        notification_send(user=person, text=text % facts, url=_url(locked))


def _climb_reason(climbed: Climb, situation: Situation) -> str:
    """Why the triggers climbed, for the trail and the people told."""
    parts = []
    for trigger in climbed.triggers:
        if trigger == Trigger.THREAT:
            parts.append(_(TRIGGER_LABELS[Trigger.THREAT]))
        elif trigger == Trigger.URGES:
            parts.append(_("已催单 %(urges)d 次") % {"urges": situation.urges})
        elif trigger == Trigger.TIMEOUT and situation.share is not None:
            parts.append(
                _("已用去办理时限的 %(percent)d%%") % {"percent": int(situation.share * 100)}
            )
    return "；".join(parts)


def _rung_people(order: WorkOrder, levels: list[EscalationLevel]) -> list[User]:
    """Whom the rungs climbed tell: their users, everyone of their roles and, where a rung
    says so, the department's lead (a split order's: its open children's leads)."""
    people: dict[int, User] = {}
    for level in levels:
        chosen = [user for user in level.users.all() if user.is_active]
        chosen += User.objects.filter(role__in=level.roles, is_active=True)
        if level.tell_department_lead:
            departments = [order.department] if order.department else []
            departments += [
                child.department
                for child in order.children.filter(state__in=OPEN_STATES).select_related(
                    "department__lead"
                )
                if child.department is not None
            ]
            chosen += [d.lead for d in departments if d.lead is not None and d.lead.is_active]
        people.update((person.pk, person) for person in chosen)
    return list(people.values())


@dataclass(slots=True)
class EscalationRun:
    """What one `workorder_escalations_send` did: (order number, rung reached) per climb."""

    escalated: list[tuple[str, int]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (number, why)


def workorder_escalations_send(*, now: datetime | None = None) -> EscalationRun:
    """Climb every open order its triggers now put on a higher rung — overdue ones above
    all, as the hourly `lingting workorder_warn` runs it; urges and threats climb at once,
    and are looked at again here (the ladder may have been changed since). Running it twice
    climbs once: an order's rung is stored and the ladder only goes up."""
    now = now or timezone.now()
    run = EscalationRun()
    rungs = [rung for rung in ladder_rungs() if rung.active]
    top = top_rank(rungs)
    if not top:
        return run
    timeouts = [rung.timeout for rung in rungs if rung.timeout is not None]
    urges = [rung.urges for rung in rungs if rung.urges is not None]
    reached = Q()  # cheap tests on stored columns before the deadline is computed
    if timeouts:
        reached |= Q(due_at__lte=now) if min(timeouts) >= 1 else Q(due_at__isnull=False)
    if urges:
        reached |= Q(urges__gte=min(urges))
    if any(rung.on_threat for rung in rungs):
        reached |= Q(threatened=True)
    candidates = WorkOrder.objects.filter(
        reached,
        state__in=OPEN_STATES,
        parent__isnull=True,
        type__escalates=True,
        escalation_level__lt=top,
    ).order_by("pk")
    for order in candidates:
        try:
            climbed = _escalate_if_due(order, actor=None, now=now)
        except ValueError as error:  # a type whose limits do not parse
            run.failed.append((order.number, str(error)))
            continue
        if climbed is not None:
            run.escalated.append((order.number, climbed.after))
    return run
