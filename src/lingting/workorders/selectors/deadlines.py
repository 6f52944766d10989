"""Reads of work-order deadlines: the limit of a type and priority on a department's
working hours, the deadline and warning points recomputed from an order's trail, and the
filters and row marks of orders due soon or overdue (from the stored times)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from lingting.calendars.selectors import business_calendar
from lingting.engine.calendars import WorkingHours
from lingting.engine.sla import Clock, SlaPolicy, deadline, elapsed_share, warning_points, workdays
from lingting.engine.workorders import Action, Mark, Stage, sla_clock
from lingting.workorders.models import OPEN_STATES, Department, WorkOrder, WorkOrderType


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


DEFAULT_WARN_AT = (0.5, 0.8)


def sla_policy(order_type: WorkOrderType, priority: str, hours: WorkingHours) -> SlaPolicy:
    """The type's time limit for `priority` (the normal one when that priority has none).

    The warning points (时限预警) are the priority's ``"warn_at"``, else the type's
    ``sla["warn_at"]``, else 50% and 80% of the limit (shares between 0 and 1).
    """
    spec: dict[str, Any] = order_type.sla.get(priority) or order_type.sla.get("normal") or {}
    clock = Clock(spec.get("clock", Clock.BUSINESS))
    if "workdays" in spec:
        limit = workdays(float(spec["workdays"]), hours=hours)
    else:
        limit = timedelta(hours=float(spec.get("hours", 24)))
    warn_at = spec.get("warn_at", order_type.sla.get("warn_at", DEFAULT_WARN_AT))
    return SlaPolicy(clock=clock, limit=limit, warn_at=tuple(float(share) for share in warn_at))


@dataclass(frozen=True, slots=True)
class Deadline:
    due_at: datetime
    share: float  # of the limit used by now (above 1: overdue)
    policy: SlaPolicy
    started: datetime  # when this run of the clock started (creation or the latest reopening)
    points: tuple[tuple[int, datetime], ...]  # (percent of the limit, when reached); 100 last

    @property
    def warn_from(self) -> datetime:
        """The first warning point: from then until the deadline the order is due soon."""
        return self.points[0][1]


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
    points = warning_points(started, policy, calendar=calendar, hours=hours, pauses=pauses, now=now)
    return Deadline(
        due_at=due,
        share=share,
        policy=policy,
        started=started,
        points=tuple((round(point * 100), at) for point, at in points),
    )


def _marks(order: WorkOrder) -> list[Mark]:
    return [
        Mark(at=at, action=Action(action), after=Stage(after))
        for at, action, after in order.events.exclude(action="create").values_list(
            "at", "action", "after"
        )
    ]


DUE_FILTERS = ("soon", "overdue")


def _running() -> Q:
    """Open orders whose clock runs: not paused, nor a child of a paused parent."""
    return Q(state__in=OPEN_STATES, paused=False) & ~Q(parent__paused=True)


def due_soon_q(now: datetime) -> Q:
    """Past the first warning point, not yet overdue (from the stored times)."""
    return _running() & Q(warn_from__lte=now, due_at__gt=now)


def overdue_q(now: datetime) -> Q:
    return _running() & Q(due_at__lte=now)


def with_deadline_marks(orders: QuerySet[WorkOrder], now: datetime) -> QuerySet[WorkOrder]:
    """`orders` with `is_overdue` and `is_due_soon` for the list's row marks."""
    return orders.annotate(
        is_overdue=Case(
            When(overdue_q(now), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        is_due_soon=Case(
            When(due_soon_q(now), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )
