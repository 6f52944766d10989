"""Work-order services: creating orders, the loop across two departments, urges, returns,
who sees what, stale versions, and deadlines across the 2026 National Day holiday."""

from __future__ import annotations

import importlib
from datetime import datetime
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError

from lingting.calendars.services import calendar_load
from lingting.core.models import AuditEvent, Notification, Role, User
from lingting.engine.workorders import Action, Priority, Stage, Step, trail_counts
from lingting.workorders.models import Department, WorkOrder, WorkOrderEvent, WorkOrderType
from lingting.workorders.selectors.deadlines import workorder_deadline
from lingting.workorders.selectors.orders import workorders_for
from lingting.workorders.services.creation import workorder_create, workorder_create_from_contact
from lingting.workorders.services.steps import (
    workorder_accept,
    workorder_callback,
    workorder_callback_result,
    workorder_cancel,
    workorder_close,
    workorder_dispatch,
    workorder_note,
    workorder_pause,
    workorder_reopen,
    workorder_reply,
    workorder_resume,
    workorder_return,
    workorder_urge,
)
from lingting.workorders.services.transitions import ConcurrentEdit, InvalidTransition
from tests.conftest import SHANGHAI, Org

PHONE = {"phone": "13812345678"}


SEED_MIGRATION = importlib.import_module("lingting.workorders.migrations.0002_seed_95598_types")


@pytest.fixture
def departments(org: Org) -> dict[str, Department]:
    """Two back-office departments, each with a lead and a member."""
    made = {}
    for code, name, lead, member in [
        ("D-YX", "营销部", "yx_lead", "yx_staff"),
        ("D-YJ", "运检部", "yj_lead", "yj_staff"),
    ]:
        people = {}
        for username in (lead, member):
            people[username] = User.objects.create_user(username, role=Role.AGENT)
            org.users[username] = people[username]
        department = Department.objects.create(code=code, name=name, lead=people[lead])
        department.members.add(people[member])
        made[code] = department
    return made


@pytest.fixture
def complaint(db: None) -> WorkOrderType:
    return WorkOrderType.objects.get(code="complaint")


def _complaint(actor: User, order_type: WorkOrderType, **kwargs: Any) -> WorkOrder:
    return workorder_create(
        actor=actor,
        order_type=order_type,
        title="停电三天无人处理",
        description="客户反映小区停电三天，多次报修无人上门。",
        fields=PHONE,
        **kwargs,
    )


def _trail(order: WorkOrder) -> list[str]:
    return list(order.events.values_list("action", flat=True))


def test_the_migration_seeds_the_95598_types(db: None) -> None:
    WorkOrderType.objects.all().delete()
    SEED_MIGRATION.seed(django_apps, None)

    names = set(WorkOrderType.objects.values_list("name", flat=True))
    assert {
        "故障报修",
        "投诉",
        "举报",
        "意见",
        "建议",
        "表扬",
        "服务申请",
        "订阅",
        "业务咨询",
        "催办",
    } <= names


def test_an_agent_creates_an_order_by_hand(agent_li: User, complaint: WorkOrderType) -> None:
    order = _complaint(agent_li, complaint)
    assert order.number.startswith("GD")
    assert order.state == "accepted"
    assert order.priority == "normal"
    assert order.due_at is not None
    assert _trail(order) == ["create"]


def test_the_type_fields_are_checked(agent_li: User, db: None) -> None:
    fault = WorkOrderType.objects.get(code="fault")
    with pytest.raises(ValidationError) as caught:
        workorder_create(
            actor=agent_li,
            order_type=fault,
            title="停电",
            fields={"phone": "138-1234-5678", "fault_kind": "漏水", "colour": "红"},
        )
    errors = caught.value.message_dict
    assert errors["address"] == ["请填写故障地址"]
    assert errors["fault_kind"] == ["故障类别格式不对"]
    assert errors["colour"] == ["「故障报修」工单没有这个字段"]
    assert not WorkOrder.objects.exists()


def test_an_agent_takes_an_order_from_their_own_contact_only(
    agent_li: User, complaint: WorkOrderType, make_contact: Any
) -> None:
    own = make_contact(agent="A1001", customer="CU-88")
    order = workorder_create_from_contact(
        actor=agent_li, contact=own, order_type=complaint, title="投诉", fields=PHONE
    )
    assert (order.contact, order.customer.code if order.customer else None) == (own, "CU-88")
    someone_elses = make_contact(agent="A1002")
    with pytest.raises(PermissionDenied):
        workorder_create_from_contact(
            actor=agent_li, contact=someone_elses, order_type=complaint, title="投诉", fields=PHONE
        )


def test_the_loop_across_two_departments(
    agent_li: User, leader_wang: User, complaint: WorkOrderType, departments: Any, org: Org
) -> None:
    order = _complaint(agent_li, complaint)
    order = workorder_dispatch(
        actor=agent_li,
        order=order,
        version=order.version,
        departments=[departments["D-YX"], departments["D-YJ"]],
    )
    children = {c.department.code: c for c in order.children.all() if c.department}
    assert set(children) == {"D-YX", "D-YJ"}
    assert all(c.state == "dispatched" for c in children.values())
    yx, yj = children["D-YX"], children["D-YJ"]
    assert Notification.objects.filter(user=org.users["yx_staff"]).exists()

    # The parent cannot be reviewed while a child is open.
    order = workorder_reply(actor=agent_li, order=order, version=order.version, reply="汇总")
    with pytest.raises(InvalidTransition) as refused:
        workorder_accept(actor=agent_li, order=order, version=order.version)
    assert refused.value.messages == ["还有未办结的子工单，不能审核通过或办结"]

    yx = workorder_reply(actor=org.users["yx_staff"], order=yx, version=yx.version, reply="已协调")
    yx = workorder_return(actor=agent_li, order=yx, version=yx.version, reason="未说明复电时间")
    assert (yx.state, yx.returns) == ("dispatched", 1)
    for child, staff in [(yx, "yx_staff"), (yj, "yj_staff")]:
        child = workorder_reply(
            actor=org.users[staff], order=child, version=child.version, reply="已处理，今日复电"
        )
        child = workorder_accept(actor=agent_li, order=child, version=child.version)
        child = workorder_close(actor=agent_li, order=child, version=child.version)
        assert child.state == "closed"

    order = workorder_accept(actor=agent_li, order=order, version=order.version)
    order = workorder_callback(actor=agent_li, order=order, version=order.version)
    order = workorder_callback_result(
        actor=agent_li, order=order, version=order.version, satisfied=True, note="客户满意"
    )
    assert (order.state, order.satisfied, order.closed_at is not None) == ("closed", True, True)
    assert _trail(order) == ["create", "dispatch", "reply", "accept", "callback", "callback_result"]


def test_a_child_cannot_be_replied_by_another_department(
    agent_li: User, complaint: WorkOrderType, departments: Any, org: Org
) -> None:
    order = _complaint(agent_li, complaint)
    order = workorder_dispatch(
        actor=agent_li, order=order, version=1, departments=list(departments.values())
    )
    yx = order.children.get(department__code="D-YX")
    with pytest.raises(PermissionDenied):
        workorder_reply(actor=org.users["yj_staff"], order=yx, version=yx.version, reply="x")


def test_urges_are_counted_raise_the_priority_and_tell_the_department(
    agent_li: User, complaint: WorkOrderType, departments: Any, org: Org
) -> None:
    order = _complaint(agent_li, complaint)
    order = workorder_dispatch(
        actor=agent_li, order=order, version=1, departments=[departments["D-YX"]]
    )
    normal_due = order.due_at
    for _ in range(2):
        order = workorder_urge(actor=agent_li, order=order, version=order.version, by_customer=True)
    assert (order.urges, order.priority) == (2, "urgent")
    assert order.due_at is not None
    assert normal_due is not None
    assert order.due_at < normal_due
    told = Notification.objects.filter(user=org.users["yx_lead"], text__contains="第 2 次催单")
    assert told.exists()
    counted = WorkOrderEvent.objects.filter(order=order, action="urge").count()
    assert counted == order.urges == 2


def test_a_stale_version_is_refused_and_writes_nothing(
    agent_li: User, leader_wang: User, complaint: WorkOrderType, departments: Any
) -> None:
    order = _complaint(agent_li, complaint)
    first_view = WorkOrder.objects.get(pk=order.pk)
    second_view = WorkOrder.objects.get(pk=order.pk)
    workorder_dispatch(
        actor=agent_li,
        order=first_view,
        version=first_view.version,
        departments=[departments["D-YX"]],
    )
    with pytest.raises(ConcurrentEdit) as caught:
        workorder_cancel(
            actor=leader_wang, order=second_view, version=second_view.version, reason="重复工单"
        )
    assert str(caught.value) == "该工单已被他人修改，请刷新后再试"
    order.refresh_from_db()
    assert (order.state, order.version) == ("dispatched", 2)
    assert _trail(order) == ["create", "dispatch"]


def test_cancel_and_reopen_need_a_leader_and_a_reason_and_are_audited(
    agent_li: User, leader_wang: User, complaint: WorkOrderType
) -> None:
    order = _complaint(agent_li, complaint)
    with pytest.raises(PermissionDenied):
        workorder_cancel(actor=agent_li, order=order, version=order.version, reason="重复")
    with pytest.raises(InvalidTransition) as refused:
        workorder_cancel(actor=leader_wang, order=order, version=order.version, reason=" ")
    assert refused.value.messages == ["撤销须写明原因"]
    order = workorder_cancel(actor=leader_wang, order=order, version=order.version, reason="重复")
    order = workorder_reopen(
        actor=leader_wang, order=order, version=order.version, reason="客户再次来电"
    )
    assert (order.state, order.reopens) == ("accepted", 1)
    actions = set(
        AuditEvent.objects.filter(object_id=order.number).values_list("action", flat=True)
    )
    assert actions == {"workorder.cancel", "workorder.reopen"}


def test_an_unsatisfied_callback_reopens_the_order(
    agent_li: User, complaint: WorkOrderType, departments: Any, org: Org
) -> None:
    order = _complaint(agent_li, complaint)
    order = workorder_dispatch(
        actor=agent_li, order=order, version=1, departments=[departments["D-YJ"]]
    )
    order = workorder_reply(
        actor=org.users["yj_staff"], order=order, version=order.version, reply="已处理"
    )
    order = workorder_accept(actor=agent_li, order=order, version=order.version)
    order = workorder_callback(actor=agent_li, order=order, version=order.version)
    order = workorder_callback_result(
        actor=agent_li, order=order, version=order.version, satisfied=False, note="仍未复电"
    )
    assert (order.state, order.reopens, order.satisfied) == ("accepted", 1, False)


def test_counters_match_the_trail(
    agent_li: User, complaint: WorkOrderType, departments: Any, org: Org
) -> None:
    order = _complaint(agent_li, complaint)
    order = workorder_dispatch(
        actor=agent_li, order=order, version=1, departments=[departments["D-YJ"]]
    )
    staff = org.users["yj_staff"]
    for _ in range(2):
        order = workorder_reply(actor=staff, order=order, version=order.version, reply="处理中")
        order = workorder_return(actor=agent_li, order=order, version=order.version, reason="不全")
        order = workorder_urge(
            actor=agent_li, order=order, version=order.version, by_customer=False
        )
    order = workorder_note(actor=staff, order=order, version=order.version, note="已约客户")
    steps = [
        Step(
            action=Action(action),
            before=Stage.DISPATCHED,
            after=Stage.DISPATCHED,
            paused=False,
            priority_before=Priority.NORMAL,
            priority=Priority.NORMAL,
            urged=action == "urge",
            returned=action == "return",
        )
        for action in _trail(order)
        if action != "create"
    ]
    counts = trail_counts(steps)
    assert (order.urges, order.returns) == (counts.urges, counts.returns) == (2, 2)


def test_who_sees_which_orders(
    agent_li: User,
    agent_zhang: User,
    leader_wang: User,
    ops_zhou: User,
    outsider: User,
    complaint: WorkOrderType,
    departments: Any,
    org: Org,
) -> None:
    order = _complaint(agent_li, complaint)
    workorder_dispatch(actor=agent_li, order=order, version=1, departments=[departments["D-YX"]])
    assert list(workorders_for(agent_li)) == [order]
    assert list(workorders_for(agent_zhang)) == []
    assert list(workorders_for(outsider)) == []
    assert list(workorders_for(org.users["yx_staff"])) == [order]
    assert list(workorders_for(org.users["yj_staff"])) == []
    assert list(workorders_for(leader_wang)) == [order]
    assert list(workorders_for(ops_zhou)) == [order]


def test_a_complaint_deadline_runs_across_national_day_2026(
    agent_li: User, complaint: WorkOrderType, departments: Any
) -> None:
    """5 working days under office hours (37.5 h) from Wed 2026-09-30 10:00: 6 h that day;
    10-01..07 off; Thu 10-08 and Fri 10-09 15 h (21 h); Sat 10-10 is a make-up workday
    (28.5 h); Sun 10-11 off; Mon 10-12 (36 h); the last 1.5 h on Tue 10-13 until 10:00."""
    calendar_load(year=2026)
    order = _complaint(agent_li, complaint)
    order.created_at = datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI)
    order.save(update_fields=["created_at"])
    due = workorder_deadline(order, now=datetime(2026, 9, 30, 11, 0, tzinfo=SHANGHAI)).due_at
    assert due.astimezone(SHANGHAI) == datetime(2026, 10, 13, 10, 0, tzinfo=SHANGHAI)


def test_a_pause_moves_the_deadline_later(
    agent_li: User, complaint: WorkOrderType, departments: Any
) -> None:
    """Paused Thu 10-08 09:00 to Fri 10-09 09:00 (7.5 working hours waiting for the customer):
    the deadline moves 7.5 working hours later, from Tue 10-13 10:00 to Wed 10-14 10:00."""
    calendar_load(year=2026)
    order = _complaint(agent_li, complaint)
    WorkOrder.objects.filter(pk=order.pk).update(
        created_at=datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI)
    )
    order.refresh_from_db()
    order = workorder_pause(actor=agent_li, order=order, version=order.version, note="客户出差")
    order = workorder_resume(actor=agent_li, order=order, version=order.version)
    events = order.events.filter(action__in=["pause", "resume"]).order_by("id")
    pause, resume = list(events)
    WorkOrderEvent.objects.filter(pk=pause.pk).update(
        at=datetime(2026, 10, 8, 9, 0, tzinfo=SHANGHAI)
    )
    WorkOrderEvent.objects.filter(pk=resume.pk).update(
        at=datetime(2026, 10, 9, 9, 0, tzinfo=SHANGHAI)
    )
    due = workorder_deadline(order, now=datetime(2026, 10, 9, 10, 0, tzinfo=SHANGHAI)).due_at
    assert due.astimezone(SHANGHAI) == datetime(2026, 10, 14, 10, 0, tzinfo=SHANGHAI)
