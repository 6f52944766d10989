"""Demo step: back-office departments and a few dozen work orders taken from the demo's
complaint and fault contacts, left at every stage of the loop (seed 003's 受理 → 派单 →
回单 → 退单/审核 → 回访 → 办结, with urges, returns, a split to two departments, pauses),
orders on the escalation ladder (twice urged, escalated by hand, overdue) and, where the
month has a customer calling again about the same matter, a repeat complaint (重复投诉).

The steps go through the real services; their times are then set back to when they would
have happened (after the contact: a few working hours apart; open orders in the last days),
and each deadline is computed again from the trail so it matches those times.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from lingting.core.models import Role, User
from lingting.interactions.models import Contact
from lingting.workorders.models import Department, WorkOrder, WorkOrderEvent, WorkOrderType
from lingting.workorders.seeds import escalation_ladder_ensure, workorder_types_ensure
from lingting.workorders.selectors.deadlines import workorder_deadline
from lingting.workorders.services.creation import workorder_create_from_contact
from lingting.workorders.services.deadlines import workorder_warnings_send
from lingting.workorders.services.escalation import workorder_escalate, workorder_escalations_send
from lingting.workorders.services.steps import (
    workorder_accept,
    workorder_callback,
    workorder_callback_result,
    workorder_cancel,
    workorder_close,
    workorder_dispatch,
    workorder_pause,
    workorder_reply,
    workorder_return,
    workorder_urge,
)

SEED = 5
ORDERS = 36
# (code, name, staff username, staff name, working hours: None = office hours)
DEPARTMENTS = [
    ("D-JF", "计费中心", "dept_jf", "刘洁", None),
    ("D-ZW", "装维中心", "dept_zw", "何军", [[["08:00", "20:00"]]] * 7),
    ("D-YY", "营业厅管理部", "dept_yy", "马丽", None),
    ("D-SC", "市场部", "dept_sc", "宋涛", None),
]
# A contact's tag → the work-order type and the department it goes to.
ROUTES = {
    "话费争议": ("complaint", "D-JF"),
    "维修投诉": ("complaint", "D-ZW"),
    "服务态度": ("complaint", "D-YY"),
    "宽带故障": ("fault", "D-ZW"),
}
# Where each order stops, in turn (the loop's stages, with the detours that matter).
ENDINGS = [
    "closed",
    "closed_after_return",
    "closed_split",
    "callback",
    "replied",
    "dispatched_urged",
    "closed",
    "dispatched",
    "paused",
    "accepted",
    "cancelled",
    "reopened",
]


def demo_tickets(*, users: dict[str, User], months: list[date]) -> str:
    """Departments (营业/计费/装维/市场, one staff login each, password ``<username>-demo``)
    and `ORDERS` orders from the complaint and fault contacts of the last of `months`,
    taken by the contact's agent (or `users["manager_chen"]`), ended as `ENDINGS` cycles.
    Returns a one-line summary."""
    rng = random.Random(SEED)
    workorder_types_ensure()  # a database whose seeded types were removed gets them back
    escalation_ladder_ensure()
    departments = _departments()
    for code, department in departments.items():
        for type_code in {t for t, d in ROUTES.values() if d == code}:
            WorkOrderType.objects.filter(code=type_code, default_department=None).update(
                default_department=department
            )
    centre = users.get("manager_chen") or users["admin"]
    leader = users.get("leader_wang") or centre
    last = months[-1]
    recent = Contact.objects.filter(started_at__date__gte=last, customer__isnull=False)
    ids = [
        pk
        for pk, tags in recent.values_list("pk", "tags").order_by("started_at")
        if any(tag in ROUTES for tag in tags or [])
    ]
    contacts = list(
        Contact.objects.filter(pk__in=ids[: ORDERS * 4]).select_related("agent__user", "customer")
    )
    rng.shuffle(contacts)
    made = 0
    for contact in contacts:
        if made >= ORDERS or WorkOrder.objects.filter(contact=contact).exists():
            continue
        route = next((ROUTES[t] for t in contact.tags if t in ROUTES), None)
        if route is None:
            continue
        type_code, department_code = route
        agent_user = contact.agent.user if contact.agent and contact.agent.user else None
        actor = agent_user or centre
        order = workorder_create_from_contact(
            actor=actor,
            contact=contact,
            order_type=WorkOrderType.objects.get(code=type_code),
            title=_title(contact, type_code),
            description=_description(contact),
            fields=_fields(type_code, rng),
        )
        ending = ENDINGS[made % len(ENDINGS)]
        _drive(order, ending, actor, leader, departments, department_code, rng)
        _backdate(order, contact, open_now=order.state not in ("closed", "cancelled"), rng=rng)
        made += 1
    repeats = _repeat_complaint(recent, centre)
    _escalate_by_hand(leader)
    states = WorkOrder.objects.filter(parent__isnull=True).values_list("state", flat=True)
    open_orders = sum(1 for s in states if s not in ("closed", "cancelled"))
    warned = workorder_warnings_send()  # what the hourly `workorder_warn` would have sent
    workorder_escalations_send()  # and the ladder it climbs then
    escalated = WorkOrder.objects.filter(escalation_level__gt=0).count()
    return (
        f"work orders: {len(departments)} departments (logins dept_jf, dept_zw, dept_yy, dept_sc,"
        f" password <username>-demo), {made} orders from complaint and fault contacts,"
        f" {open_orders} open, {len(warned.sent)} deadline warnings sent,"
        f" {escalated} escalated, {repeats} repeat complaints"
    )


def _repeat_complaint(recent: QuerySet[Contact], centre: User) -> int:
    """A customer of an open demo order calling again about it (another of their contacts
    of the month with the same topic): the order taken from that call is linked to the
    open one and urges it. None when the month has no such call. Returns the repeats."""
    open_orders = WorkOrder.objects.filter(
        parent__isnull=True, customer__isnull=False, state__in=("accepted", "dispatched")
    ).select_related("contact", "type")
    for earlier in open_orders.order_by("created_at"):
        again = (
            recent.filter(customer=earlier.customer, work_orders__isnull=True)
            .select_related("agent__user", "customer")
            .first()
        )
        route = next((ROUTES[t] for t in (again.tags if again else []) if t in ROUTES), None)
        if again is None or route is None or route[0] != earlier.type.code:
            continue
        agent_user = again.agent.user if again.agent and again.agent.user else None
        workorder_create_from_contact(
            actor=agent_user or centre,
            contact=again,
            order_type=earlier.type,
            title=f"客户再次来电：{earlier.title}",
            description=_description(again),
            fields=earlier.fields,
        )
        break
    return WorkOrder.objects.filter(repeat_of__isnull=False).count()


def _escalate_by_hand(leader: User) -> None:
    """The duty team leader takes the first twice-urged order (already at the ladder's
    first rung) up one more, as seed 004's ladder guides an angry customer onwards."""
    order = WorkOrder.objects.filter(escalation_level=1, state__in=("dispatched",)).first()
    if order is not None:
        workorder_escalate(
            actor=leader,
            order=order,
            version=order.version,
            reason="客户坚持要求地市公司答复，已转地市分公司投诉热线",
        )


def _departments() -> dict[str, Department]:
    made = {}
    for code, name, username, person, hours in DEPARTMENTS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"role": Role.AGENT, "first_name": person}
        )
        if created:
            user.set_password(f"{username}-demo")
            user.save(update_fields=["password"])
        department, _ = Department.objects.update_or_create(
            code=code, defaults={"name": name, "lead": user, "working_hours": hours or []}
        )
        department.members.add(user)
        made[code] = department
    return made


def _title(contact: Contact, type_code: str) -> str:
    topic = next((t for t in contact.tags if t in ROUTES), "")
    return (
        f"{topic}：{contact.customer}"
        if type_code == "complaint"
        else f"宽带故障报修：{contact.customer}"
    )


def _description(contact: Contact) -> str:
    first = contact.turns.filter(speaker="customer").order_by("index").first()
    return first.text if first else ""


def _fields(type_code: str, rng: random.Random) -> dict[str, str]:
    phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
    if type_code == "fault":
        return {"phone": phone, "address": "城关区民主西路 18 号", "fault_kind": "其他"}
    return {"phone": phone}


def _drive(
    order: WorkOrder,
    ending: str,
    centre: User,
    leader: User,
    departments: dict[str, Department],
    department_code: str,
    rng: random.Random,
) -> None:
    """Take `order` through the loop until `ending`, with the people who would."""
    if ending == "accepted":
        return
    targets = [departments[department_code]]
    if ending == "closed_split":
        targets.append(departments["D-SC"])
    order = workorder_dispatch(
        actor=centre, order=order, version=order.version, departments=targets
    )
    if ending in ("dispatched", "dispatched_urged", "paused"):
        if ending == "dispatched_urged":
            for _ in range(2):
                order = workorder_urge(
                    actor=centre,
                    order=order,
                    version=order.version,
                    by_customer=True,
                    note="客户来电催促处理进度",
                )
        if ending == "paused":
            order = workorder_pause(
                actor=_staff(targets[0]),
                order=order,
                version=order.version,
                note="客户出差，约下周上门",
            )
        return
    for child in list(order.children.all()):
        _handle(child, centre, rng)
    if ending == "cancelled":
        workorder_cancel(actor=leader, order=order, version=order.version, reason="客户来电撤诉")
        return
    order.refresh_from_db()
    staff = _staff(targets[0]) if not order.children.exists() else centre
    order = workorder_reply(actor=staff, order=order, version=order.version, reply=_reply(rng))
    if ending == "replied":
        return
    if ending == "closed_after_return":
        order = workorder_return(
            actor=centre,
            order=order,
            version=order.version,
            reason="回复未说明处理时限，客户不认可",
        )
        order = workorder_reply(actor=staff, order=order, version=order.version, reply=_reply(rng))
    order = workorder_accept(actor=centre, order=order, version=order.version)
    if not order.type.needs_callback:
        workorder_close(actor=centre, order=order, version=order.version)
        return
    order = workorder_callback(actor=centre, order=order, version=order.version)
    if ending == "callback":
        return
    order = workorder_callback_result(
        actor=centre,
        order=order,
        version=order.version,
        satisfied=ending != "reopened",
        note="客户表示满意" if ending != "reopened" else "客户表示问题仍未解决",
    )


def _handle(child: WorkOrder, centre: User, rng: random.Random) -> None:
    department = child.department
    assert department is not None
    staff = _staff(department)
    child = workorder_reply(actor=staff, order=child, version=child.version, reply=_reply(rng))
    child = workorder_accept(actor=centre, order=child, version=child.version)
    workorder_close(actor=centre, order=child, version=child.version)


def _staff(department: Department) -> User:
    staff = department.lead or department.members.first()
    assert staff is not None
    return staff


def _reply(rng: random.Random) -> str:
    return rng.choice(
        [
            "已核实，多收费用将于下月账单退回，已电话告知客户。",
            "已安排装维人员上门处理，故障已排除。",
            "已约谈相关员工并批评教育，已向客户致歉。",
            "已核查，系客户误解套餐规则，已向客户解释清楚。",
        ]
    )


def _backdate(order: WorkOrder, contact: Contact, *, open_now: bool, rng: random.Random) -> None:
    """Set the order's and its trail's times to when they would have happened."""
    zone = timezone.get_default_timezone()
    if open_now:
        day = timezone.localdate() - timedelta(days=rng.randint(0, 3))
        start = datetime.combine(day, time(9, 0), tzinfo=zone) + timedelta(
            minutes=rng.randint(0, 420)
        )
        start = min(start, timezone.now() - timedelta(hours=1))
    else:
        start = (contact.ended_at or contact.started_at or timezone.now()) + timedelta(minutes=5)
    family = [order, *order.children.all()]
    events = list(WorkOrderEvent.objects.filter(order__in=family).order_by("at", "id"))
    gap = timedelta(minutes=40) if open_now else timedelta(hours=rng.randint(2, 20))
    for number, event in enumerate(events):
        WorkOrderEvent.objects.filter(pk=event.pk).update(at=start + gap * number)
    for member in family:
        first = member.events.order_by("at", "id").first()
        created = first.at if first else start
        WorkOrder.objects.filter(pk=member.pk).update(created_at=created, updated_at=created)
    for member in family:
        member.refresh_from_db()
        last = member.events.order_by("-at", "-id").first()
        when = last.at if last else start
        closed_at = when if member.state == "closed" else None
        due = workorder_deadline(member, now=when if not open_now else timezone.now())
        WorkOrder.objects.filter(pk=member.pk).update(
            due_at=due.due_at, warn_from=due.warn_from, closed_at=closed_at, updated_at=when
        )
