"""Work-order deadlines as stored: the due time and first warning point kept up to date
(the one refresh every step, setting change and hourly run uses), and the deadline warnings
(时限预警): each warning point and deadline an open order reaches, sent once to the people
it concerns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.core.models import Agent, User
from lingting.core.services import notification_send
from lingting.workorders.models import OPEN_STATES, WorkOrder, WorkOrderWarning
from lingting.workorders.selectors.deadlines import Deadline, workorder_deadline
from lingting.workorders.services.notices import notice_facts, workorder_url


def workorder_deadline_refresh(
    order: WorkOrder, *, now: datetime | None = None
) -> tuple[Deadline, bool]:
    """`order`'s deadline recomputed from its trail, its type and department as they are
    now, and stored where the due time or the first warning point (the list's marks, the
    dashboard's counts, the report's on-time rate read them) differ; True when they did.
    A step, a changed limit or working hours, a corrected calendar day all move them."""
    due = workorder_deadline(order, now=now)
    changed = (order.due_at, order.warn_from) != (due.due_at, due.warn_from)
    if changed:
        order.due_at, order.warn_from = due.due_at, due.warn_from
        WorkOrder.objects.filter(pk=order.pk).update(due_at=due.due_at, warn_from=due.warn_from)
    return due, changed


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
    are told; at the deadline the department's members too. Paused orders (and children of
    a paused order) do not warn. When several points passed unsent, only the latest is
    sent; the others are recorded as superseded. The stored deadline and first warning
    point are refreshed too (a corrected calendar day moves them).
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
            due, changed = workorder_deadline_refresh(order, now=now)
        except ValueError as error:  # a type whose limits or warning points do not parse
            run.failed.append((order.number, str(error)))
            continue
        run.refreshed += changed
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
            notification_send(user=person, text=text, url=workorder_url(order))
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
    facts = notice_facts(order, point=point, due=f"{timezone.localtime(due.due_at):%Y-%m-%d %H:%M}")
    if point >= 100:
        return _("工单超时：%(number)s「%(title)s」已超过办理时限（%(due)s），请尽快处理") % facts
    return (
        _("时限预警：%(number)s「%(title)s」已用去办理时限的 %(point)d%%，将于 %(due)s 到期")
        % facts
    )
