"""Repeat complaints and the escalation ladder (投诉升级): the urge a repeat complaint sets
off on the order it repeats, escalating by hand one rung up, and climbing the rungs an
order's triggers (timeout, urges, threat) reach — at once after an urge or a threat, and in
the hourly run for the time that passed. The ladder's rules are
`lingting.engine.escalation`; its settings are changed in `services.ladder`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.core.models import User
from lingting.core.services import audit_record, notification_send
from lingting.engine.escalation import (
    TRIGGER_LABELS,
    Climb,
    LadderTop,
    Situation,
    Trigger,
    climb,
    manual_climb,
    top_rank,
)
from lingting.engine.workorders import Action
from lingting.workorders.models import OPEN_STATES, EscalationLevel, WorkOrder
from lingting.workorders.selectors.deadlines import workorder_deadline
from lingting.workorders.selectors.ladder import escalation_top, ladder_levels, ladder_rungs
from lingting.workorders.services.notices import notice_facts, urge_tell, workorder_url
from lingting.workorders.services.transitions import (
    workorder_system_transition,
    workorder_transition,
)


def repeat_complaint_urge(earlier: WorkOrder, *, repeat: WorkOrder, actor: User) -> None:
    """Urge `earlier` on the customer's behalf for their repeat complaint `repeat` (seed
    004: 投诉工单未超时，客户重复投诉 → "我们马上为您加急处理"), whoever may see it: counted,
    its department and owner told, the ladder met."""
    note = _("客户重复投诉（新工单 %(number)s）：我们马上为您加急处理") % {"number": repeat.number}
    locked, _urge = workorder_system_transition(
        actor=actor,
        order=earlier,
        action=Action.URGE,
        reason=note,
        payload={"by_customer": True, "repeat": repeat.number},
    )
    text = _("客户重复投诉：工单 %(number)s「%(title)s」已加急（新工单 %(repeat)s），请尽快处理")
    urge_tell(locked, text, actor=actor, repeat=repeat.number)
    workorder_escalate_if_due(locked, actor=actor)


def workorder_escalate(*, actor: User, order: WorkOrder, version: int, reason: str) -> WorkOrder:
    """Escalate by hand (升级: team leaders, operations managers, admins) one active rung up
    the ladder, with the reason; audited, the rung's people told."""
    with transaction.atomic():
        current = WorkOrder.objects.select_for_update(of=("self",)).get(pk=order.pk)
        try:
            climbed = manual_climb(ladder_rungs(), current.escalation_level)
        except LadderTop:
            climbed = None  # the state machine refuses the step below, saying why
        rise = _rise(current, climbed, reason=reason)
        locked, _escalation = workorder_transition(
            actor=actor, order=current, version=version, **rise.step()
        )
        _rise_announce(locked, rise, actor=actor)
    order.refresh_from_db()
    return order


def workorder_escalate_if_due(
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
        rise = _rise(current, climbed, reason=_climb_reason(climbed, situation))
        locked, _escalation = workorder_system_transition(actor=actor, order=current, **rise.step())
        _rise_announce(locked, rise, actor=actor)
    return climbed


@dataclass(frozen=True, slots=True)
class _Rise:
    """An escalation step's facts: the rungs climbed (None: none left, which the state
    machine refuses, saying why), why, what the trail keeps of them and whom they tell."""

    climbed: Climb | None
    reason: str
    payload: dict[str, Any]
    people: list[User]

    def step(self) -> dict[str, Any]:
        """The step's arguments, beside who takes it on which order."""
        return {
            "action": Action.ESCALATE,
            "reason": self.reason,
            "payload": self.payload,
            "changes": {"escalation_level": self.climbed.after} if self.climbed else None,
        }


def _rise(order: WorkOrder, climbed: Climb | None, *, reason: str) -> _Rise:
    if climbed is None:
        return _Rise(climbed=None, reason=reason, payload={}, people=[])
    levels = {level.rank: level for level in ladder_levels()}
    people = _rung_people(order, [levels[rank] for rank in climbed.passed])
    payload = {
        "level": climbed.after,
        "from": climbed.before,
        "name": levels[climbed.after].name,
        "triggers": [trigger.value for trigger in climbed.triggers],
        "passed": list(climbed.passed),
        "notified": [person.username for person in people],
    }
    return _Rise(climbed=climbed, reason=reason, payload=payload, people=people)


def _rise_announce(order: WorkOrder, rise: _Rise, *, actor: User | None) -> None:
    """The escalation step taken: audited, and the rungs' people told."""
    climbed, reason = rise.climbed, rise.reason
    assert climbed is not None  # the machine refuses an escalation at the top
    name = rise.payload["name"]
    audit_record(
        actor=actor,
        action="workorder.escalate",
        object_type="workorder",
        object_id=order.number,
        before={"level": climbed.before},
        after={"level": climbed.after, "name": name},
        note=reason,
    )
    text = _("工单 %(number)s「%(title)s」已升级至第 %(level)d 级「%(name)s」：%(reason)s")
    facts = notice_facts(order, level=climbed.after, name=name, reason=reason.strip())
    for person in rise.people:
        notification_send(user=person, text=text % facts, url=workorder_url(order))


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
            climbed = workorder_escalate_if_due(order, actor=None, now=now)
        except ValueError as error:  # a type whose limits do not parse
            run.failed.append((order.number, str(error)))
            continue
        if climbed is not None:
            run.escalated.append((order.number, climbed.after))
    return run
