"""The escalation ladder (投诉升级, seed 004: 现场班长 → 地市分公司投诉热线 → 省服务监督热线 →
集团客户服务监督热线): orders climb by urge count, a threat flagged or heard in the transcript,
and by timeout in the hourly run (once); leads escalate by hand; admins and operations
managers edit the ladder (audited, bad input refused)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from lingting.core.models import AuditEvent, Notification, User
from lingting.workorders.models import (
    Department,
    EscalationLevel,
    EscalationSettings,
    WorkOrder,
    WorkOrderType,
)
from lingting.workorders.selectors.deadlines import workorder_deadline
from lingting.workorders.services.creation import workorder_create, workorder_create_from_contact
from lingting.workorders.services.escalation import workorder_escalate, workorder_escalations_send
from lingting.workorders.services.ladder import LevelSpec, TypeSetting, escalation_ladder_set
from lingting.workorders.services.steps import workorder_note, workorder_urge
from lingting.workorders.services.transitions import InvalidTransition
from tests.conftest import Org
from tests.web.conftest import Api
from tests.web.workorders.test_services import departments  # noqa: F401 (a fixture)

PHONE = {"phone": "13812345678"}


def _complaint(actor: User, **kwargs: Any) -> WorkOrder:
    return workorder_create(
        actor=actor,
        order_type=WorkOrderType.objects.get(code="complaint"),
        title="装维人员爽约三次",
        fields=PHONE,
        **kwargs,
    )


def _urge(actor: User, order: WorkOrder, **kwargs: Any) -> WorkOrder:
    order.refresh_from_db()
    return workorder_urge(
        actor=actor, order=order, version=order.version, by_customer=True, **kwargs
    )


def _told(user: User) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("text", flat=True))


@pytest.fixture
def yx(departments: dict[str, Department]) -> Department:  # noqa: F811 (the fixture above)
    return departments["D-YX"]


def test_the_ladder_of_seed_004_is_seeded(db: None) -> None:
    assert list(EscalationLevel.objects.values_list("name", flat=True)) == [
        "值班长/现场班长",
        "地市分公司投诉热线",
        "省服务监督热线",
        "集团客户服务监督热线",
    ]
    assert "工信部" in EscalationSettings.objects.get().threat_words
    assert WorkOrderType.objects.get(code="complaint").escalates
    assert not WorkOrderType.objects.get(code="praise").escalates


def test_a_second_urge_brings_the_duty_team_leader(
    agent_li: User, leader_wang: User, yx: Department, org: Org
) -> None:
    order = _complaint(agent_li, department=yx)
    _urge(agent_li, order)
    order.refresh_from_db()
    assert order.escalation_level == 0
    _urge(agent_li, order)
    order.refresh_from_db()
    assert order.escalation_level == 1
    event = order.events.get(action="escalate")
    assert event.reason == "已催单 2 次"
    assert event.payload["triggers"] == ["urges"]
    assert event.payload["name"] == "值班长/现场班长"
    assert event.actor == agent_li
    told = [text for text in _told(leader_wang) if "升级" in text]
    assert told == [
        f"工单 {order.number}「装维人员爽约三次」已升级至第 1 级「值班长/现场班长」：已催单 2 次"
    ]
    assert any("已升级" in text for text in _told(org.users["yx_lead"]))  # the department's lead
    audit = AuditEvent.objects.get(action="workorder.escalate")
    assert (audit.before, audit.after["level"]) == ({"level": 0}, 1)
    _urge(agent_li, order)  # a third urge: the city line
    order.refresh_from_db()
    assert order.escalation_level == 2
    assert list(
        order.events.filter(action="escalate").values_list("payload__level", flat=True)
    ) == [
        1,
        2,
    ]


def test_a_threat_ticked_at_creation_escalates_at_once(agent_li: User, leader_wang: User) -> None:
    order = _complaint(agent_li, threatened=True)
    assert (order.threatened, order.escalation_level) == (True, 1)
    assert order.events.get(action="escalate").reason == "客户扬言媒体曝光/越级投诉"


def test_a_threat_ticked_on_an_urge_or_a_note_escalates(agent_li: User) -> None:
    urged = _complaint(agent_li)
    _urge(agent_li, urged, threatened=True)
    urged.refresh_from_db()
    assert (urged.urges, urged.threatened, urged.escalation_level) == (1, True, 1)

    noted = _complaint(agent_li)
    workorder_note(
        actor=agent_li, order=noted, version=noted.version, note="客户说要找记者", threatened=True
    )
    noted.refresh_from_db()
    assert (noted.threatened, noted.escalation_level) == (True, 1)
    assert noted.events.get(action="note").payload == {"threat": True}


def test_threat_words_in_the_customers_turns_flag_the_order(
    agent_li: User, make_contact: Any
) -> None:
    contact = make_contact(
        agent="A1001",
        customer="CU-9",
        turns=[
            ("agent", "您好，请问有什么可以帮您？"),
            ("customer", "你们再不处理，我就打12315，再找电视台曝光！"),
        ],
    )
    order = workorder_create_from_contact(
        actor=agent_li,
        contact=contact,
        order_type=WorkOrderType.objects.get(code="complaint"),
        title="多次报修无人处理",
        fields=PHONE,
    )
    assert (order.threatened, order.escalation_level) == (True, 1)
    assert order.events.get(action="create").payload["threat_words"] == ["曝光", "电视台", "12315"]


def test_an_agents_own_words_or_a_phone_number_are_no_threat(
    agent_li: User, make_contact: Any
) -> None:
    contact = make_contact(
        agent="A1001",
        turns=[
            ("agent", "如对处理结果不满意，您也可以拨打12345反映。"),
            ("customer", "我的号码是13812345678，多扣了315元。"),
        ],
    )
    order = workorder_create_from_contact(
        actor=agent_li,
        contact=contact,
        order_type=WorkOrderType.objects.get(code="complaint"),
        title="话费争议",
        fields=PHONE,
    )
    assert (order.threatened, order.escalation_level) == (False, 0)


def test_a_type_that_does_not_escalate_stays_put(agent_li: User) -> None:
    praise = workorder_create(
        actor=agent_li,
        order_type=WorkOrderType.objects.get(code="praise"),
        title="表扬装维师傅",
        threatened=True,
    )
    assert praise.escalation_level == 0


def _overdue(order: WorkOrder, *, limits: float) -> WorkOrder:
    """`order` taken so long ago that `limits` times its natural-clock limit has passed."""
    hours = 8 * limits  # a 紧急 fault repair: 8 hours on the natural clock
    WorkOrder.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(hours=hours))
    order.events.update(at=timezone.now() - timedelta(hours=hours))
    order.refresh_from_db()
    due = workorder_deadline(order)
    WorkOrder.objects.filter(pk=order.pk).update(due_at=due.due_at, warn_from=due.warn_from)
    order.refresh_from_db()
    return order


def _fault(actor: User, department: Department) -> WorkOrder:
    return workorder_create(
        actor=actor,
        order_type=WorkOrderType.objects.get(code="fault"),
        title="整栋楼停电",
        fields=PHONE | {"address": "城东小区3号楼", "fault_kind": "停电"},
        priority="high",
        department=department,
    )


def test_the_hourly_run_escalates_overdue_orders_once(
    agent_li: User, yx: Department, capsys: Any, ops_zhou: User
) -> None:
    due_soon = _overdue(_fault(agent_li, yx), limits=0.9)
    just_late = _overdue(_fault(agent_li, yx), limits=1.1)
    long_late = _overdue(_fault(agent_li, yx), limits=2.2)

    run = workorder_escalations_send()
    assert sorted(run.escalated) == sorted([(just_late.number, 1), (long_late.number, 3)])
    assert workorder_escalations_send().escalated == []  # running twice escalates once
    levels = dict(WorkOrder.objects.values_list("number", "escalation_level"))
    assert (levels[due_soon.number], levels[just_late.number], levels[long_late.number]) == (
        0,
        1,
        3,
    )
    jump = long_late.events.get(action="escalate")
    assert jump.actor is None
    assert jump.payload["passed"] == [1, 2, 3]
    assert jump.reason.startswith("已用去办理时限的 2")
    assert any("省服务监督热线" in text for text in _told(ops_zhou))

    call_command("workorder_warn")
    assert "escalated 0 orders" in capsys.readouterr().out


def test_the_command_reports_the_escalations(agent_li: User, yx: Department, capsys: Any) -> None:
    late = _overdue(_fault(agent_li, yx), limits=1.6)
    call_command("workorder_warn")
    out = capsys.readouterr().out
    assert "escalated 1 orders" in out
    assert f"{late.number}: escalated to level 2" in out


def test_a_team_leader_escalates_by_hand_with_a_reason(
    agent_li: User, leader_wang: User, client_for: Any
) -> None:
    order = _complaint(agent_li)
    page = client_for(leader_wang).get(f"/tickets/{order.pk}/").content.decode()
    assert 'id="act-escalate"' in page

    response = client_for(leader_wang).post(
        f"/tickets/{order.pk}/escalate/",
        {"version": order.version, "reason": "客户要求经理回电"},
        follow=True,
    )
    page = response.content.decode()
    order.refresh_from_db()
    assert order.escalation_level == 1
    assert "已升级" in page
    assert "升级至第 1 级「值班长/现场班长」" in page
    assert 'id="escalation-level"' in page
    event = order.events.get(action="escalate")
    assert (event.reason, event.payload["triggers"]) == ("客户要求经理回电", ["manual"])
    assert AuditEvent.objects.filter(action="workorder.escalate", actor=leader_wang).exists()


def test_an_agent_may_not_escalate(agent_li: User, client_for: Any) -> None:
    order = _complaint(agent_li)
    page = client_for(agent_li).get(f"/tickets/{order.pk}/").content.decode()
    assert 'id="act-escalate"' not in page
    with pytest.raises(PermissionDenied):
        workorder_escalate(actor=agent_li, order=order, version=order.version, reason="我想升级")
    client_for(agent_li).post(
        f"/tickets/{order.pk}/escalate/", {"version": order.version, "reason": "我想升级"}
    )
    order.refresh_from_db()
    assert order.escalation_level == 0


def test_the_top_of_the_ladder_and_a_missing_reason_are_refused(
    agent_li: User, ops_zhou: User
) -> None:
    order = _complaint(agent_li)
    with pytest.raises(InvalidTransition, match="升级须写明原因"):
        workorder_escalate(actor=ops_zhou, order=order, version=order.version, reason=" ")
    for _ in range(4):
        order.refresh_from_db()
        workorder_escalate(
            actor=ops_zhou, order=order, version=order.version, reason="客户投诉工信部"
        )
    order.refresh_from_db()
    assert order.escalation_level == 4
    with pytest.raises(InvalidTransition, match="工单已在升级阶梯的最高一级"):
        workorder_escalate(actor=ops_zhou, order=order, version=order.version, reason="再升")


def test_the_list_filters_escalated_orders(
    agent_li: User, leader_wang: User, client_for: Any
) -> None:
    calm = _complaint(agent_li)
    angry = _complaint(agent_li, threatened=True)
    page = client_for(leader_wang).get("/tickets/?escalated=1").content.decode()
    assert angry.number in page
    assert calm.number not in page


def test_the_api_shows_the_level_takes_the_threat_flag_and_escalates(
    agent_li: User, leader_wang: User
) -> None:
    body = {"type": "complaint", "title": "停电三天", "fields": PHONE, "threatened": True}
    created = Api(agent_li).post("/tickets/", body).json()
    assert (created["threatened"], created["escalation_level"]) == (True, 1)
    stepped = Api(leader_wang).post(
        f"/tickets/{created['number']}/escalate",
        {"version": created["version"], "reason": "客户要求省公司答复"},
    )
    assert stepped.status_code == 200
    assert stepped.json()["escalation_level"] == 2
    refused = Api(agent_li).post(
        f"/tickets/{created['number']}/escalate",
        {"version": stepped.json()["version"], "reason": "x"},
    )
    assert refused.status_code == 403


# --- editing the ladder ------------------------------------------------------------------


def _form(**changes: Any) -> dict[str, Any]:
    """The ladder page's form as seeded, with `changes` (field name → value) on top."""
    data: dict[str, Any] = {
        "level-TOTAL_FORMS": "5",
        "level-INITIAL_FORMS": "4",
        "level-MIN_NUM_FORMS": "0",
        "level-MAX_NUM_FORMS": "1000",
        "threat_words": "媒体、曝光、工信部",
    }
    for index, level in enumerate(EscalationLevel.objects.order_by("rank")):
        data |= {
            f"level-{index}-name": level.name,
            f"level-{index}-is_active": "on",
            f"level-{index}-timeout_percent": str(level.timeout_percent),
            f"level-{index}-urges": str(level.urges),
            f"level-{index}-roles": level.roles,
        }
        if level.on_threat:
            data[f"level-{index}-on_threat"] = "on"
    data["level-4-is_active"] = "on"  # the blank row keeps its default
    types = list(WorkOrderType.objects.order_by("code"))
    data |= {
        "type-TOTAL_FORMS": str(len(types)),
        "type-INITIAL_FORMS": str(len(types)),
        "type-MIN_NUM_FORMS": "0",
        "type-MAX_NUM_FORMS": "1000",
    }
    for index, order_type in enumerate(types):
        data[f"type-{index}-code"] = order_type.code
        data[f"type-{index}-repeat_days"] = str(order_type.repeat_days)
        if order_type.escalates:
            data[f"type-{index}-escalates"] = "on"
    return data | changes


def test_an_operations_manager_edits_the_ladder_audited(ops_zhou: User, client_for: Any) -> None:
    client = client_for(ops_zhou)
    page = client.get("/tickets/ladder/").content.decode()
    assert "集团客户服务监督热线" in page
    assert 'href="/tickets/ladder/"' in client.get("/tickets/").content.decode()

    complaint_index = list(
        WorkOrderType.objects.order_by("code").values_list("code", flat=True)
    ).index("complaint")
    response = client.post(
        "/tickets/ladder/",
        _form(
            **{
                "level-1-is_active": "",  # no city complaint line here
                "level-3-urges": "8",
                f"type-{complaint_index}-repeat_days": "15",
                "threat_words": "媒体、曝光 工信部，市长热线",
            }
        ),
    )
    assert response.status_code == 302
    levels = {level.rank: level for level in EscalationLevel.objects.all()}
    assert not levels[2].is_active
    assert levels[4].urges == 8
    assert WorkOrderType.objects.get(code="complaint").repeat_days == 15
    assert EscalationSettings.objects.get().threat_words == ["媒体", "曝光", "工信部", "市长热线"]
    audit = AuditEvent.objects.get(action="escalation.ladder")
    assert audit.actor == ops_zhou
    assert audit.before["levels"][1]["active"] is True
    assert audit.after["levels"][1]["active"] is False


def test_a_new_rung_can_be_added_and_one_removed(ops_zhou: User, client_for: Any) -> None:
    client = client_for(ops_zhou)
    client.post(
        "/tickets/ladder/",
        _form(
            **{
                "level-3-DELETE": "on",
                "level-4-name": "总经理",
                "level-4-timeout_percent": "400",
                "level-4-roles": ["admin"],
            }
        ),
    )
    assert list(EscalationLevel.objects.values_list("rank", "name")) == [
        (1, "值班长/现场班长"),
        (2, "地市分公司投诉热线"),
        (3, "省服务监督热线"),
        (4, "总经理"),
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"level-1-timeout_percent": "90"}, "第 2 级的超时比例须高于第 1 级（100%）"),
        ({"level-2-name": "地市分公司投诉热线"}, "级别名称「地市分公司投诉热线」重复"),
        ({"level-0-roles": []}, "第 1 级没有通知对象"),
        ({"level-1-urges": "0"}, "请按提示修改后再保存"),
    ],
)
def test_bad_ladders_are_refused_with_a_clear_message(
    ops_zhou: User, client_for: Any, changes: dict[str, Any], message: str
) -> None:
    before = list(EscalationLevel.objects.values_list("rank", "name", "timeout_percent", "urges"))
    response = client_for(ops_zhou).post("/tickets/ladder/", _form(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    after = list(EscalationLevel.objects.values_list("rank", "name", "timeout_percent", "urges"))
    assert after == before
    assert not AuditEvent.objects.filter(action="escalation.ladder").exists()


def test_a_rung_with_open_orders_on_it_cannot_be_removed(agent_li: User, ops_zhou: User) -> None:
    order = _complaint(agent_li)
    WorkOrder.objects.filter(pk=order.pk).update(escalation_level=4)
    with pytest.raises(ValidationError) as caught:
        escalation_ladder_set(
            actor=ops_zhou,
            levels=[LevelSpec(name="值班长", roles=["team_leader"])],
            words=[],
            types={"complaint": TypeSetting(escalates=True, repeat_days=30)},
        )
    assert caught.value.messages == ["还有 1 张未办结工单在第 4 级，不能删除这一级（可以停用）"]
    assert EscalationLevel.objects.count() == 4


@pytest.mark.parametrize("name", ["agent_li", "leader_wang", "qa_zhao"])
def test_others_may_not_edit_the_ladder(org: Org, client_for: Any, name: str) -> None:
    user = org.users[name]
    assert client_for(user).get("/tickets/ladder/").status_code == 403
    with pytest.raises(PermissionDenied):
        escalation_ladder_set(actor=user, levels=[], words=[], types={})
