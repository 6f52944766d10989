"""Setting up work orders in the app (工单类型、处理部门): who may, each refusal of bad
input (named, nothing stored), the audit trail, and deadlines following a changed limit or
changed working hours — across the 2026 National Day holiday."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client

from lingting.calendars.services import calendar_load
from lingting.core.models import AuditEvent, Role, User
from lingting.workorders.models import Department, WorkOrder, WorkOrderType
from lingting.workorders.services.creation import workorder_create
from lingting.workorders.services.steps import workorder_urge
from tests.conftest import SHANGHAI, Org

ClientFor = Callable[[User], Client]
WED_0930_10 = datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI)
PAGES = [
    "/tickets/setup/types/",
    "/tickets/setup/types/new/",
    "/tickets/setup/departments/",
    "/tickets/setup/departments/new/",
]


@pytest.fixture
def admin_ma(org: Org) -> User:
    org.users["admin_ma"] = User.objects.create_user("admin_ma", role=Role.ADMIN)
    return org.users["admin_ma"]


@pytest.fixture
def yx(org: Org) -> Department:
    """营销部, with a lead and a member (agents, as department staff usually are)."""
    for username in ("yx_lead", "yx_staff"):
        org.users[username] = User.objects.create_user(username, role=Role.AGENT)
    department = Department.objects.create(code="D-YX", name="营销部", lead=org.users["yx_lead"])
    department.members.add(org.users["yx_staff"])
    return department


def _type_form(order_type: WorkOrderType | None = None, **changes: Any) -> dict[str, Any]:
    """What the type page posts: `order_type` as it stands (a new "water" type without
    one), with `changes` over it; `rows` the fields table."""
    data: dict[str, Any] = {
        "code": "water",
        "name": "用水报修",
        "default_priority": "normal",
        "needs_callback": "on",
        "is_active": "on",
        "warn_at": "50, 80",
        "default_department": "",
    }
    rows: list[dict[str, Any]] = [{"name": "phone", "label": "联系电话", "type": "phone"}]
    limits = {"normal": ("business", "3", "workdays")} | {
        p: ("business", "1", "workdays") for p in ("high", "urgent")
    }
    if order_type is not None:
        data |= {
            "name": order_type.name,
            "default_priority": order_type.default_priority,
            "default_department": order_type.default_department_id or "",
        }
        rows = [
            {**spec, "choices": ", ".join(spec.get("choices", []))} for spec in order_type.fields
        ]
        for priority, spec in order_type.sla.items():
            if priority != "warn_at":
                unit = "workdays" if "workdays" in spec else "hours"
                limits[priority] = (spec["clock"], str(spec[unit]), unit)
    rows = changes.pop("rows", rows)
    limits |= changes.pop("limits", {})
    for priority, (clock, amount, unit) in limits.items():
        data |= {
            f"limit_{priority}_clock": clock,
            f"limit_{priority}_amount": amount,
            f"limit_{priority}_unit": unit,
        }
    data |= changes
    data |= {
        "fields-TOTAL_FORMS": len(rows),
        "fields-INITIAL_FORMS": len(order_type.fields) if order_type else 0,
        "fields-MIN_NUM_FORMS": 0,
        "fields-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            if key == "required":
                if value:
                    data[f"fields-{index}-required"] = "on"
            elif key == "DELETE":
                data[f"fields-{index}-DELETE"] = "on"
            else:
                data[f"fields-{index}-{key}"] = value
    return {key: value for key, value in data.items() if value is not None}


def _department_form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"code": "D-SW", "name": "水务部", "lead": "", "members": []}
    data |= {f"hours_{day}": "" for day in range(7)}
    return data | changes


def _complaint(actor: User, **kwargs: Any) -> WorkOrder:
    return workorder_create(
        actor=actor,
        order_type=WorkOrderType.objects.get(code="complaint"),
        title="停电三天无人处理",
        fields={"phone": "13812345678"},
        **kwargs,
    )


# --- who may -----------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["agent_li", "yx_staff", "yx_lead", "leader_wang", "qa_zhao"])
def test_only_administrators_and_operations_managers_set_up_work_orders(
    username: str, org: Org, yx: Department, client_for: ClientFor
) -> None:
    client = client_for(org.users[username])
    for page in PAGES:
        assert client.get(page).status_code == 403, page
    complaint = WorkOrderType.objects.get(code="complaint")
    edit = client.post(f"/tickets/setup/types/{complaint.pk}/", _type_form(complaint, name="x"))
    assert edit.status_code == 403
    assert client.post(f"/tickets/setup/departments/{yx.pk}/delete/").status_code == 403
    assert WorkOrderType.objects.get(code="complaint").name == "投诉"
    assert Department.objects.filter(code="D-YX").exists()
    assert "类型与部门设置" not in client.get("/tickets/").content.decode()


@pytest.mark.parametrize("username", ["ops_zhou", "admin_ma"])
def test_operations_managers_and_administrators_reach_the_setup_pages(
    username: str, org: Org, admin_ma: User, client_for: ClientFor
) -> None:
    client = client_for(org.users[username])
    for page in PAGES:
        assert client.get(page).status_code == 200, page
    listing = client.get("/tickets/").content.decode()
    assert 'id="setup-link"' in listing
    assert "工单类型与部门" in listing  # the 运营 menu
    assert 'href="/tickets/ladder/"' in listing  # 运营 › 升级规则
    types = client.get("/tickets/setup/types/").content.decode()
    assert "故障报修" in types
    assert "一般 24 小时（自然时间）" in types
    assert "一般 5 个工作日" in types


# --- types -------------------------------------------------------------------------------


def test_an_operations_manager_adds_a_type_that_takes_orders_at_once(
    ops_zhou: User, agent_li: User, yx: Department, client_for: ClientFor
) -> None:
    rows = [
        {"name": "phone", "label": "联系电话", "type": "phone", "required": True},
        {"name": "meter", "label": "表号", "type": "text"},
        {"name": "kind", "label": "问题", "type": "choice", "choices": "漏水，停水、水压低"},
        {"name": "", "label": "", "type": "text"},  # a blank row for a new field is skipped
    ]
    response = client_for(ops_zhou).post(
        "/tickets/setup/types/new/",
        _type_form(rows=rows, default_department=yx.pk, warn_at="60，90%"),
    )
    assert response.status_code == 302
    water = WorkOrderType.objects.get(code="water")
    assert water.default_department == yx
    assert water.sla == {
        "normal": {"clock": "business", "workdays": 3},
        "high": {"clock": "business", "workdays": 1},
        "urgent": {"clock": "business", "workdays": 1},
        "warn_at": [0.6, 0.9],
    }
    assert water.fields == [
        {"name": "phone", "label": "联系电话", "type": "phone", "required": True},
        {"name": "meter", "label": "表号", "type": "text", "required": False},
        {
            "name": "kind",
            "label": "问题",
            "type": "choice",
            "required": False,
            "choices": ["漏水", "停水", "水压低"],
        },
    ]
    audit = AuditEvent.objects.get(action="workorder_type.create")
    assert (audit.actor, audit.object_id, audit.before) == (ops_zhou, "water", None)
    assert audit.after is not None
    assert audit.after["default_department"] == "D-YX"
    order = workorder_create(
        actor=agent_li,
        order_type=water,
        title="水表漏水",
        fields={"phone": "13812345678", "kind": "漏水"},
    )
    assert order.department == yx
    create_page = client_for(agent_li).get("/tickets/new/").content.decode()
    assert "用水报修" in create_page


def test_a_shorter_limit_applies_to_new_orders_and_moves_open_ones(
    ops_zhou: User, agent_li: User, client_for: ClientFor
) -> None:
    """投诉 cut from 5 to 3 working days. Taken Wed 2026-09-30 10:00 under office hours:
    6 h that day, 10-01..07 off, Thu 10-08 and Fri 10-09 (21 h), and the last 1.5 of 22.5
    hours on the make-up workday Sat 10-10: due 10:00 — where 5 days ran to Tue 10-13."""
    calendar_load(year=2026)
    complaint = WorkOrderType.objects.get(code="complaint")
    with time_machine.travel(WED_0930_10, tick=False):
        before = _complaint(agent_li)
    assert before.due_at == datetime(2026, 10, 13, 10, 0, tzinfo=SHANGHAI)
    response = client_for(ops_zhou).post(
        f"/tickets/setup/types/{complaint.pk}/",
        _type_form(complaint, limits={"normal": ("business", "3", "workdays")}),
    )
    assert response.status_code == 302
    with time_machine.travel(WED_0930_10, tick=False):
        after = _complaint(agent_li)
    assert after.due_at == datetime(2026, 10, 10, 10, 0, tzinfo=SHANGHAI)
    before.refresh_from_db()
    assert before.due_at == after.due_at  # the open order's stored deadline follows
    audit = AuditEvent.objects.get(action="workorder_type.update", object_id="complaint")
    assert audit.before is not None
    assert audit.after is not None
    assert audit.before["sla"]["normal"] == {"clock": "business", "workdays": 5}
    assert audit.after["sla"]["normal"] == {"clock": "business", "workdays": 3}


def test_a_closed_order_keeps_the_deadline_it_was_judged_by(
    ops_zhou: User, agent_li: User, client_for: ClientFor
) -> None:
    calendar_load(year=2026)
    complaint = WorkOrderType.objects.get(code="complaint")
    with time_machine.travel(WED_0930_10, tick=False):
        order = _complaint(agent_li)
    WorkOrder.objects.filter(pk=order.pk).update(state="closed")
    client_for(ops_zhou).post(
        f"/tickets/setup/types/{complaint.pk}/",
        _type_form(complaint, limits={"normal": ("business", "3", "workdays")}),
    )
    order.refresh_from_db()
    assert order.due_at == datetime(2026, 10, 13, 10, 0, tzinfo=SHANGHAI)


def test_saving_a_type_unchanged_writes_no_audit_record(
    ops_zhou: User, client_for: ClientFor
) -> None:
    fault = WorkOrderType.objects.get(code="fault")
    response = client_for(ops_zhou).post(f"/tickets/setup/types/{fault.pk}/", _type_form(fault))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action__startswith="workorder_type").exists()


def _version_on(page: Any) -> str:
    """The version the setup page's form carries (sent back with the save)."""
    found = re.search(r'name="version" value="([0-9a-f]+)"', page.content.decode())
    assert found is not None
    return found.group(1)


def test_two_managers_editing_one_type_the_second_is_told_to_refresh(
    ops_zhou: User, admin_ma: User, client_for: ClientFor
) -> None:
    fault = WorkOrderType.objects.get(code="fault")
    warnings_before = fault.sla.get("warn_at")
    page = f"/tickets/setup/types/{fault.pk}/"
    first, second = client_for(ops_zhou), client_for(admin_ma)
    seen_first, seen_second = _version_on(first.get(page)), _version_on(second.get(page))
    assert seen_first == seen_second
    saved = first.post(page, _type_form(fault, name="故障抢修", version=seen_first))
    assert saved.status_code == 302
    stale = second.post(page, _type_form(fault, warn_at="30", version=seen_second))
    assert stale.status_code == 200
    assert "该设置已被他人修改，请刷新后再试" in stale.content.decode()
    fault.refresh_from_db()
    assert (fault.name, fault.sla.get("warn_at")) == ("故障抢修", warnings_before)
    # refreshed, the second manager's change goes through
    fresh = second.post(
        page, _type_form(fault, warn_at="30", version=_version_on(second.get(page)))
    )
    assert fresh.status_code == 302
    fault.refresh_from_db()
    assert (fault.name, fault.sla.get("warn_at")) == ("故障抢修", [0.3])


def test_a_department_saved_by_someone_else_meanwhile_is_not_overwritten(
    ops_zhou: User, admin_ma: User, yx: Department, org: Org, client_for: ClientFor
) -> None:
    page = f"/tickets/setup/departments/{yx.pk}/"
    first, second = client_for(ops_zhou), client_for(admin_ma)
    seen = _version_on(first.get(page))
    people = {"lead": org.users["yx_lead"].pk, "members": [org.users["yx_staff"].pk]}
    assert first.post(page, _department_form(name="市场营销部", version=seen, **people))
    stale = second.post(page, _department_form(name="营销二部", version=seen, **people))
    assert "该设置已被他人修改，请刷新后再试" in stale.content.decode()
    yx.refresh_from_db()
    assert yx.name == "市场营销部"


def test_the_code_of_a_type_stays_as_created(ops_zhou: User, client_for: ClientFor) -> None:
    fault = WorkOrderType.objects.get(code="fault")
    client_for(ops_zhou).post(
        f"/tickets/setup/types/{fault.pk}/", _type_form(fault, code="renamed", name="报修")
    )
    fault.refresh_from_db()
    assert (fault.code, fault.name) == ("fault", "报修")


def test_fields_are_added_and_removed_in_the_table(ops_zhou: User, client_for: ClientFor) -> None:
    report = WorkOrderType.objects.get(code="report")  # phone, subject
    rows = [
        {"name": "phone", "label": "联系电话", "type": "phone", "required": True},
        {"name": "subject", "label": "被举报对象", "type": "text", "DELETE": True},
        {"name": "place", "label": "地点", "type": "text", "required": True},
    ]
    client_for(ops_zhou).post(f"/tickets/setup/types/{report.pk}/", _type_form(report, rows=rows))
    report.refresh_from_db()
    assert [spec["name"] for spec in report.fields] == ["phone", "place"]
    page = client_for(ops_zhou).get(f"/tickets/setup/types/{report.pk}/").content.decode()
    assert 'value="place"' in page
    assert 'name="fields-3-name"' in page  # two blank rows for the next fields


def test_a_deactivated_type_takes_no_new_orders_and_its_orders_go_on(
    ops_zhou: User, agent_li: User, client_for: ClientFor
) -> None:
    complaint = WorkOrderType.objects.get(code="complaint")
    order = _complaint(agent_li)
    client_for(ops_zhou).post(
        f"/tickets/setup/types/{complaint.pk}/", _type_form(complaint, is_active=None)
    )
    complaint.refresh_from_db()
    assert not complaint.is_active
    assert "投诉" not in client_for(agent_li).get("/tickets/new/").content.decode()
    urged = workorder_urge(actor=agent_li, order=order, version=order.version, by_customer=True)
    assert urged.urges == 1
    assert client_for(agent_li).get(f"/tickets/{order.pk}/").status_code == 200
    listing = client_for(ops_zhou).get("/tickets/setup/types/").content.decode()
    assert "已停用" in listing


BAD_TYPES = [
    ({"limits": {"normal": ("business", "0", "workdays")}}, "一般：时限须大于 0"),
    ({"limits": {"high": ("business", "-2", "hours")}}, "紧急：时限须大于 0"),
    ({"limits": {"urgent": ("business", "两天", "hours")}}, "特急：请填写时限（数字）"),
    ({"limits": {"normal": ("business", "", "hours")}}, "一般：请填写时限（数字）"),
    (
        {"limits": {"normal": ("natural", "3", "workdays")}},
        "一般：按自然时间计时的时限请以小时计",
    ),
    (
        {"limits": {"normal": ("business", "9999", "workdays")}},
        "一般：时限太长（最多 366 个工作日）",
    ),
    ({"warn_at": "50, 120"}, "预警点须在 1 到 99 之间（百分比），「120」不行"),
    ({"warn_at": "五十"}, "预警点「五十」不是数字，请填写百分比，如 50, 80"),
    ({"warn_at": "80, 80"}, "预警点 80% 重复"),
    (
        {
            "rows": [
                {"name": "phone", "label": "联系电话", "type": "phone"},
                {"name": "phone", "label": "备用电话", "type": "phone"},
            ]
        },
        "字段第 2 行：名称「phone」重复",
    ),
    (
        {"rows": [{"name": "kind", "label": "问题", "type": "choice", "choices": ""}]},
        "字段第 1 行：选择类字段请填写选项，用逗号分隔",
    ),
    (
        {"rows": [{"name": "kind", "label": "问题", "type": "choice", "choices": "甲, 甲"}]},
        "字段第 1 行：选项「甲」重复",
    ),
    (
        {"rows": [{"name": "联系电话", "label": "联系电话", "type": "phone"}]},
        "字段第 1 行：名称「联系电话」须以小写字母开头",
    ),
    ({"rows": [{"name": "phone", "label": "", "type": "phone"}]}, "字段第 1 行：请填写显示名称"),
    ({"default_department": "99999"}, "所选默认处理部门不存在，请重新选择"),
    ({"default_priority": "asap"}, "默认优先级不对"),
    ({"code": "fault"}, "编号「fault」已被使用"),
    ({"code": "Water Supply"}, "编号须以小写字母开头"),
    ({"name": "投诉"}, "已有名为「投诉」的工单类型"),
    ({"name": ""}, "这个字段是必填项"),
]


@pytest.mark.parametrize(("changes", "message"), BAD_TYPES)
def test_a_bad_new_type_is_refused_with_its_reason_and_nothing_stored(
    changes: dict[str, Any], message: str, ops_zhou: User, client_for: ClientFor
) -> None:
    types = WorkOrderType.objects.count()
    response = client_for(ops_zhou).post("/tickets/setup/types/new/", _type_form(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert WorkOrderType.objects.count() == types
    assert not AuditEvent.objects.exists()


def test_a_bad_change_leaves_the_type_as_it_was(
    ops_zhou: User, agent_li: User, client_for: ClientFor
) -> None:
    """One bad value among good ones: nothing of the change is stored, deadlines unmoved."""
    complaint = WorkOrderType.objects.get(code="complaint")
    order = _complaint(agent_li)
    stored = (complaint.name, complaint.sla, complaint.fields)
    response = client_for(ops_zhou).post(
        f"/tickets/setup/types/{complaint.pk}/",
        _type_form(
            complaint,
            name="客户投诉",
            limits={"normal": ("business", "1", "workdays"), "high": ("business", "0", "hours")},
        ),
    )
    assert "紧急：时限须大于 0" in response.content.decode()
    complaint.refresh_from_db()
    assert (complaint.name, complaint.sla, complaint.fields) == stored
    assert WorkOrder.objects.get(pk=order.pk).due_at == order.due_at
    assert not AuditEvent.objects.exists()


# --- departments -------------------------------------------------------------------------


def test_an_administrator_adds_a_department_with_its_people_and_hours(
    admin_ma: User, yx: Department, org: Org, client_for: ClientFor
) -> None:
    hours = {f"hours_{day}": "08:00-12:00，14:00-18:00" for day in range(5)}
    response = client_for(admin_ma).post(
        "/tickets/setup/departments/new/",
        _department_form(
            lead=org.users["yx_lead"].pk,
            members=[org.users["yx_staff"].pk, org.users["agent_li"].pk],
            **hours,
            hours_5="09:00 - 12:00",
        ),
    )
    assert response.status_code == 302
    water = Department.objects.get(code="D-SW")
    assert water.lead == org.users["yx_lead"]
    assert set(water.members.values_list("username", flat=True)) == {"yx_staff", "agent_li"}
    day = [["08:00", "12:00"], ["14:00", "18:00"]]
    assert water.working_hours == [day] * 5 + [[["09:00", "12:00"]], []]
    audit = AuditEvent.objects.get(action="department.create")
    assert audit.actor == admin_ma
    assert audit.after is not None
    assert audit.after["members"] == ["agent_li", "yx_staff"]
    listing = client_for(admin_ma).get("/tickets/setup/departments/").content.decode()
    assert "08:00-12:00, 14:00-18:00" in listing


def test_a_department_without_hours_keeps_office_hours(
    admin_ma: User, client_for: ClientFor
) -> None:
    client_for(admin_ma).post("/tickets/setup/departments/new/", _department_form())
    assert Department.objects.get(code="D-SW").working_hours == []
    listing = client_for(admin_ma).get("/tickets/setup/departments/").content.decode()
    assert "中心办公时间" in listing


BAD_HOURS = [
    ({"hours_0": "8点半到12点"}, "周一：「8点半到12点」不是时间段，请按 08:30-12:00 填写"),
    ({"hours_1": "12:00-08:30"}, "周二：「12:00-08:30」的结束时间须晚于开始时间"),
    ({"hours_2": "09:00-09:00"}, "周三：「09:00-09:00」的结束时间须晚于开始时间"),
    ({"hours_3": "25:00-26:00"}, "周四：「25:00-26:00」中的时间不存在"),
    ({"hours_3": "08:70-12:00"}, "周四：「08:70-12:00」中的时间不存在"),
    (
        {"hours_4": "08:30-12:00, 11:00-17:30"},
        "周五：时间段 08:30-12:00 与 11:00-17:30 重叠",
    ),
    ({"hours_5": "09:00-12:00"}, "周一至周五至少要有一天填写工作时间"),
    ({"code": "D-YX"}, "编号「D-YX」已被使用"),
    ({"code": "水务 部"}, "编号只能含字母、数字、- 和 _"),
    ({"name": "营销部"}, "已有名为「营销部」的部门"),
    ({"lead": "99999"}, "所选负责人不存在或已停用"),
]


@pytest.mark.parametrize(("changes", "message"), BAD_HOURS)
def test_a_bad_department_is_refused_with_its_reason_and_nothing_stored(
    changes: dict[str, Any], message: str, ops_zhou: User, yx: Department, client_for: ClientFor
) -> None:
    response = client_for(ops_zhou).post(
        "/tickets/setup/departments/new/", _department_form(**changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(Department.objects.values_list("code", flat=True)) == ["D-YX"]
    assert not AuditEvent.objects.exists()


def test_changed_working_hours_move_the_departments_deadlines(
    ops_zhou: User, agent_li: User, yx: Department, org: Org, client_for: ClientFor
) -> None:
    """营销部 now works afternoons only, 13:00-17:00 (a working day of 4 h). A complaint
    taken Wed 2026-09-30 10:00 (5 working days: 20 h): 4 h that afternoon; 10-01..07 off;
    Thu 10-08, Fri 10-09 and the make-up Sat 10-10 (16 h); the last 4 h on Mon 10-12: due
    17:00 that day — where office hours ran to Tue 10-13 10:00."""
    calendar_load(year=2026)
    with time_machine.travel(WED_0930_10, tick=False):
        order = _complaint(agent_li, department=yx)
    assert order.due_at == datetime(2026, 10, 13, 10, 0, tzinfo=SHANGHAI)
    afternoons = {f"hours_{day}": "13:00-17:00" for day in range(5)}
    response = client_for(ops_zhou).post(
        f"/tickets/setup/departments/{yx.pk}/",
        _department_form(
            name="营销部",
            lead=org.users["yx_lead"].pk,
            members=[org.users["yx_staff"].pk],
            **afternoons,
        ),
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.due_at == datetime(2026, 10, 12, 17, 0, tzinfo=SHANGHAI)
    yx.refresh_from_db()
    assert yx.code == "D-YX"  # the code stays as created
    with time_machine.travel(WED_0930_10, tick=False):
        assert _complaint(agent_li, department=yx).due_at == order.due_at
    audit = AuditEvent.objects.get(action="department.update")
    assert audit.before is not None
    assert audit.after is not None
    assert audit.before["working_hours"] == []
    assert audit.after["working_hours"][2] == [["13:00", "17:00"]]


def test_a_department_with_orders_cannot_be_deleted(
    ops_zhou: User, agent_li: User, yx: Department, client_for: ClientFor
) -> None:
    _complaint(agent_li, department=yx)
    client = client_for(ops_zhou)
    listing = client.get("/tickets/setup/departments/").content.decode()
    assert f"setup/departments/{yx.pk}/delete/" not in listing  # no button offered
    response = client.post(f"/tickets/setup/departments/{yx.pk}/delete/", follow=True)
    assert "「营销部」有 1 张工单（其中 1 张未办结），不能删除" in response.content.decode()
    assert Department.objects.filter(pk=yx.pk).exists()
    assert not AuditEvent.objects.filter(action="department.delete").exists()


def test_a_types_default_department_cannot_be_deleted(
    ops_zhou: User, yx: Department, client_for: ClientFor
) -> None:
    WorkOrderType.objects.filter(code__in=["fault", "complaint"]).update(default_department=yx)
    response = client_for(ops_zhou).post(f"/tickets/setup/departments/{yx.pk}/delete/", follow=True)
    assert "「营销部」是「投诉」、「故障报修」的默认处理部门" in response.content.decode()
    assert Department.objects.filter(pk=yx.pk).exists()


def test_an_unused_department_is_deleted_and_audited(
    ops_zhou: User, yx: Department, client_for: ClientFor
) -> None:
    response = client_for(ops_zhou).post(f"/tickets/setup/departments/{yx.pk}/delete/", follow=True)
    assert "处理部门「营销部」已删除" in response.content.decode()
    assert not Department.objects.exists()
    audit = AuditEvent.objects.get(action="department.delete")
    assert audit.before is not None
    assert audit.before["members"] == ["yx_staff"]
    assert audit.actor == ops_zhou


def test_deleting_a_department_is_a_post(
    ops_zhou: User, yx: Department, client_for: ClientFor
) -> None:
    assert (
        client_for(ops_zhou).get(f"/tickets/setup/departments/{yx.pk}/delete/").status_code == 405
    )
    assert Department.objects.filter(pk=yx.pk).exists()
