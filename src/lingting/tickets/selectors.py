"""Reads of work orders: who sees which, the facts the state machine decides from, the
deadline recomputed from the trail, an order's page, and the orders changed since a
moment, for external systems that poll."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.calendars.selectors import business_calendar
from lingting.core.models import User
from lingting.core.permissions import (
    may_act_on_workorder,
    workorder_dashboard_scope,
    workorder_scope,
)
from lingting.engine import pii
from lingting.engine.calendars import WorkingHours
from lingting.engine.sla import (
    Clock,
    SlaPolicy,
    deadline,
    elapsed_share,
    warning_points,
    workdays,
)
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
from lingting.interactions.models import Contact, Customer
from lingting.tickets.ladder import escalation_top
from lingting.tickets.models import (
    Department,
    EscalationLevel,
    WorkOrder,
    WorkOrderEvent,
    WorkOrderType,
)

OPEN_STATES = [stage.value for stage in OPEN_STAGES]


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


# --- deadline marks and the department dashboard -----------------------------------------

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


@dataclass(frozen=True, slots=True)
class DepartmentRow:
    department: Department
    open: int
    due_soon: int
    overdue: int
    urged: int  # open orders urged at least once
    returned: int  # open orders returned at least once


def dashboard_departments(user: User) -> QuerySet[Department]:
    """The departments whose board `user` may see (their own; all for leaders, managers)."""
    return Department.objects.filter(workorder_dashboard_scope(user)).distinct()


def department_dashboard(user: User, *, now: datetime | None = None) -> list[DepartmentRow]:
    """Per department `user` may see: its open orders, due soon, overdue, urged, returned."""
    now = now or timezone.now()
    departments = list(dashboard_departments(user).select_related("lead"))
    counts = {
        row["department"]: row
        for row in WorkOrder.objects.filter(
            department__in=[d.pk for d in departments], state__in=OPEN_STATES
        )
        .values("department")
        .annotate(
            open=Count("pk"),
            due_soon=Count("pk", filter=due_soon_q(now)),
            overdue=Count("pk", filter=overdue_q(now)),
            urged=Count("pk", filter=Q(urges__gt=0)),
            returned=Count("pk", filter=Q(returns__gt=0)),
        )
    }
    empty = {"open": 0, "due_soon": 0, "overdue": 0, "urged": 0, "returned": 0}
    return [
        DepartmentRow(
            department=department,
            open=counts.get(department.pk, empty)["open"],
            due_soon=counts.get(department.pk, empty)["due_soon"],
            overdue=counts.get(department.pk, empty)["overdue"],
            urged=counts.get(department.pk, empty)["urged"],
            returned=counts.get(department.pk, empty)["returned"],
        )
        for department in departments
    ]


# --- the change feed for external systems that poll ---------------------------------------


# A step stamps the order's `updated_at` inside its transaction, moments before the commit;
# changes younger than this are left for the next poll, so a poller that moves its cursor
# past an order never misses a step that was still committing.
SETTLE = timedelta(seconds=10)


@dataclass(frozen=True, slots=True)
class ChangesPage:
    orders: list[WorkOrder]
    cursor: str  # give it back to get the changes after these
    has_more: bool


def workorders_changed(
    user: User,
    *,
    since: datetime | None,
    cursor: str,
    limit: int,
    now: datetime | None = None,
) -> ChangesPage:
    """The orders `user` may see that were created or changed at or after `since`, or after
    the position `cursor` names (it wins over `since`), oldest change first, in every state.
    An order appears once per poll with its latest state (its `version` says which)."""
    settled = (now or timezone.now()) - SETTLE
    orders = workorders_for(user).filter(updated_at__lte=settled)
    if cursor:
        at, last_id = _cursor_position(cursor)
        orders = orders.filter(Q(updated_at__gt=at) | Q(updated_at=at, pk__gt=last_id))
    elif since is not None:
        orders = orders.filter(updated_at__gte=since)
    page = list(
        orders.select_related("contact", "customer").order_by("updated_at", "pk")[: limit + 1]
    )
    more = len(page) > limit
    page = page[:limit]
    if page:
        cursor = _cursor_of(page[-1].updated_at, page[-1].pk)
    elif not cursor:
        cursor = _cursor_of(since, 0) if since is not None else ""
    return ChangesPage(orders=page, cursor=cursor, has_more=more)


def _cursor_of(at: datetime, last_id: int) -> str:
    text = f"{at.isoformat()}|{last_id}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _cursor_position(cursor: str) -> tuple[datetime, int]:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, last_id = text.split("|")
        moment = datetime.fromisoformat(at)
        if moment.tzinfo is None:
            raise ValueError(at)
        return moment, int(last_id)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValidationError({"cursor": _("cursor 无效：请使用上一次返回的 cursor")}) from None


# The contact's extra fields an agent's wrap-up summary (小结) arrives in; the first found wins.
SUMMARY_FIELDS = ("summary", "小结", "wrap_up")
PHONE_KINDS = frozenset({pii.PiiKind.MOBILE, pii.PiiKind.LANDLINE})


@dataclass(frozen=True, slots=True)
class CallPrefill:
    """What an order taken from a call starts with. `number` is in full: the page decides how
    much of it the user sees."""

    customer: str  # the customer's code, "" when the call has none
    number: str  # the caller's phone number, "" when none is known
    queue: str  # the queue as every page names it
    summary: str  # the agent's summary of the call


def call_prefill(contact: Contact) -> CallPrefill:
    customer = contact.customer.code if contact.customer else ""
    summary = next(
        (
            value.strip()
            for name in SUMMARY_FIELDS
            if isinstance(value := contact.extra.get(name), str) and value.strip()
        ),
        "",
    )
    return CallPrefill(
        customer=customer,
        number=_caller_number(contact, customer),
        queue=str(contact.queue) if contact.queue else "",
        summary=summary,
    )


def _caller_number(contact: Contact, customer: str) -> str:
    """The customer's code when it is a phone number (a switch's caller id), else the first
    phone number the customer said."""
    said = contact.turns.filter(speaker="customer").order_by("index").values_list("text", flat=True)
    for text in (customer, *said):
        for kind, _start, _end, value in pii.find_in_text(text):
            if kind in PHONE_KINDS:
                return value
    return ""
