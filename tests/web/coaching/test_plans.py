"""The "3+1" loop in the app: who is three months below target and why, plans opened from
that list, coaching sessions and the agent's own phase goals, each role's view of them."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lingting.coaching.models import CoachingSession, ImprovementPlan, PhaseGoal, PlanStatus
from lingting.coaching.selectors import agent_diagnosis
from lingting.core.models import AuditEvent, Notification, User
from lingting.performance.models import KpiTarget
from lingting.quality.models import AssignmentKind, Evaluation, Finding, ReviewedItem
from tests.conftest import SHANGHAI, ContactFactory, Org

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]
DETECT = reverse("coaching:detect")
AS_OF = "2026-10-01"  # looks at July, August and September
MONTHS = (7, 8, 9)


def monthly(
    make_contact: ContactFactory,
    agent: str,
    scores: dict[int, float],
    *,
    per_month: int = 2,
    failing: bool = False,
    **fields: Any,
) -> None:
    """`per_month` scored contacts of `agent` in each month of `scores` (2026)."""
    for month, score in scores.items():
        for k in range(per_month):
            items = [make_contact.forbidden_phrase_item(0, 0, 4, "您好")] if failing else []
            make_contact(
                agent=agent,
                started_at=datetime(2026, month, 3 + k, 10, 0, tzinfo=SHANGHAI),
                score=score,
                items=items,
                tags=["宽带故障"],
                disposition="answered",
                **fields,
            )


@pytest.fixture
def center(make_contact: ContactFactory, org: Org) -> Org:
    """李娜 (A1001, 一班) below 80 three months running, with forbidden phrases;
    陈晨 (A1003, 一班) recovered in September; 张伟 (A1002, 二班) below all along."""
    monthly(make_contact, "A1001", dict.fromkeys(MONTHS, 65.0), failing=True)
    monthly(make_contact, "A1003", {7: 72.0, 8: 75.0, 9: 92.0})
    monthly(make_contact, "A1002", dict.fromkeys(MONTHS, 60.0))
    return org


def _detect(client: Client, **params: str) -> str:
    response = client.get(DETECT, {"figure": "qa_score", "as_of": AS_OF, **params})
    assert response.status_code == 200
    return response.content.decode()


def _diagnosis_of(client: Client, card: str, *, fragment: bool = True) -> Any:
    """What the card's script asks for (or, without it, its link opens)."""
    url = html.unescape(card.split('data-diagnosis="', 1)[1].split('"', 1)[0])
    return client.get(url + ("&fragment=1" if fragment else ""))


def test_a_diagnosis_is_a_page_of_its_own_too_and_only_for_who_may_detect(
    client_for: ClientFor, ops_zhou: User, leader_wang: User, agent_li: User, center: Org
) -> None:
    card = _detect(client_for(ops_zhou)).split('id="detected-A1002"', 1)[1]
    alone = _diagnosis_of(client_for(ops_zhou), card, fragment=False)
    assert alone.status_code == 200
    assert "质检诊断 · 张伟" in alone.content.decode()
    assert "<html" in alone.content.decode()
    assert "<html" not in _diagnosis_of(client_for(ops_zhou), card).content.decode()

    assert _diagnosis_of(client_for(leader_wang), card).status_code == 404  # 二班 is not hers
    assert _diagnosis_of(client_for(agent_li), card).status_code == 403
    url = reverse("coaching:diagnosis")
    wrong = client_for(ops_zhou).get(
        url, {"agent": "A1002", "date_from": "2026-09-30", "date_to": "2026-06-01"}
    )
    assert wrong.status_code == 400


def _open_plan(client: Client, agent: str = "A1001", figure: str = "qa_score") -> Any:
    return client.post(
        reverse("coaching:plan_open"),
        {"agent": agent, "figure": figure, "as_of": AS_OF, "length": 3},
    )


# ---------------------------------------------------------------------------- detection


def test_team_leader_sees_own_agents_three_months_below_target(
    client_for: ClientFor, leader_wang: User, center: Org
) -> None:
    page = _detect(client_for(leader_wang))

    assert 'id="detected-A1001"' in page
    assert "连续 3 个月未达标" in page
    assert 'id="detected-A1003"' not in page  # September was on target
    assert 'id="detected-A1002"' not in page  # another team's agent


def test_operations_manager_sees_every_team(
    client_for: ClientFor, ops_zhou: User, center: Org
) -> None:
    page = _detect(client_for(ops_zhou))

    assert 'id="detected-A1001"' in page
    assert 'id="detected-A1002"' in page


def test_detection_comes_with_a_diagnosis_from_qa_findings(
    client_for: ClientFor, ops_zhou: User, qa_zhao: User, center: Org, make_contact: ContactFactory
) -> None:
    contact = make_contact(
        agent="A1001", started_at=datetime(2026, 8, 20, 9, 0, tzinfo=SHANGHAI), score=70
    )
    evaluation = Evaluation.objects.create(
        contact=contact,
        reviewer=qa_zhao,
        kind=AssignmentKind.SAMPLE,
        version=make_contact.version,
        score=70,
        passed=True,
        fatal=False,
    )
    ReviewedItem.objects.create(
        evaluation=evaluation,
        position=1,
        item="business_accuracy",
        title="业务解释准确",
        points=10,
        result="fail",
        points_lost=10,
    )
    Finding.objects.create(
        evaluation=evaluation, item="business_accuracy", note="宽带资费解释不清", scope="common"
    )

    client = client_for(ops_zhou)
    page = _detect(client)
    card = page.split('id="detected-A1001"', 1)[1].split("</section>", 1)[0]
    assert "服务禁语" not in card  # the card asks for its diagnosis after the page
    card = _diagnosis_of(client, card).content.decode()

    assert "服务禁语 ×6" in card
    assert reverse("interactions:contact_detail", args=[contact.pk]) in card
    assert "业务解释准确 ×1" in card
    assert "宽带故障" in card
    assert "宽带资费解释不清" in card


def test_a_diagnosis_shows_the_newest_three_contacts_of_each_item_failed(
    ops_zhou: User, center: Org, make_contact: ContactFactory
) -> None:
    failed = {"item": "vivid_examples", "title": "举例生动", "result": "fail", "points_lost": 2.0}
    made = [
        make_contact(
            agent="A1002",
            started_at=datetime(2026, 8, day, 9, 0, tzinfo=SHANGHAI),
            score=80,
            items=[failed],
        )
        for day in (3, 9, 5, 21, 14)
    ]

    diagnosis = agent_diagnosis(
        user=ops_zhou,
        agent=center.agents["A1002"],
        date_from=date(2026, 8, 1),
        date_to=date(2026, 8, 31),
    )

    found = next(item for item in diagnosis.auto_items if item.item == "vivid_examples")
    assert found.count == 5
    assert [e.contact_id for e in found.examples] == [made[3].pk, made[4].pk, made[1].pk]


def test_a_kpi_figure_uses_the_agents_queue_target_before_the_centers(
    client_for: ClientFor, ops_zhou: User, center: Org, org: Org
) -> None:
    """AHT (seed 001's example): every call above is handled in 329 s; the center's target
    is 300 s, so everyone is below it — until ACD-01, their queue, gets a 400 s target."""
    KpiTarget.objects.create(figure="aht_s", queue=None, green=300, amber=400)
    client = client_for(ops_zhou)

    assert 'id="detected-A1001"' in _detect(client, figure="aht_s")

    KpiTarget.objects.create(figure="aht_s", queue=org.queues["ACD-01"], green=400, amber=500)

    assert 'id="detected-A1001"' not in _detect(client, figure="aht_s")


def test_a_figure_without_target_says_so(
    client_for: ClientFor, ops_zhou: User, center: Org
) -> None:
    page = _detect(client_for(ops_zhou), figure="aht_s")

    assert "还没有设定目标" in page


@pytest.mark.parametrize("username", ["qa_sun", "agent_li", "planner_qian"])
def test_detection_is_not_for_analysts_agents_or_planners(
    client_for: ClientFor, org: Org, username: str
) -> None:
    assert client_for(org.users[username]).get(DETECT).status_code == 403


# ---------------------------------------------------------------------------- plans


def test_one_click_opens_a_plan_audited_and_the_agent_is_told(
    client_for: ClientFor, leader_wang: User, agent_li: User, center: Org
) -> None:
    response = _open_plan(client_for(leader_wang))

    plan = ImprovementPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("coaching:plan_detail", args=[plan.pk])
    assert plan.detected_months == ["2026-07", "2026-08", "2026-09"]
    assert plan.baseline == [65.0, 65.0, 65.0]
    assert plan.status == PlanStatus.OPEN
    assert plan.focus == "服务禁语"
    assert AuditEvent.objects.filter(action="improvement_plan.open", actor=leader_wang).exists()
    notice = Notification.objects.get(user=agent_li)
    assert "3+1" in notice.text
    assert notice.url == reverse("coaching:plan_detail", args=[plan.pk])


def test_a_second_plan_for_the_same_agent_and_figure_is_refused(
    client_for: ClientFor, leader_wang: User, center: Org
) -> None:
    client = client_for(leader_wang)
    _open_plan(client)
    response = _open_plan(client)

    assert ImprovementPlan.objects.count() == 1
    assert response.status_code == 302
    page = client.get(DETECT, {"figure": "qa_score", "as_of": AS_OF}).content.decode()
    assert "查看进行中的提升计划" in page


def test_a_team_leader_cannot_open_a_plan_for_another_team(
    client_for: ClientFor, leader_wang: User, center: Org
) -> None:
    _open_plan(client_for(leader_wang), agent="A1002")

    assert not ImprovementPlan.objects.exists()


@pytest.fixture
def plan(client_for: ClientFor, ops_zhou: User, center: Org) -> ImprovementPlan:
    """李娜's plan on QA score, opened on 2026-10-01 (the day after the months it looks at)."""
    _open_plan(client_for(ops_zhou))
    ImprovementPlan.objects.update(opened_on=date(2026, 10, 1))
    return ImprovementPlan.objects.get()


def test_the_plan_page_shows_the_3_and_the_1(
    client_for: ClientFor, leader_wang: User, plan: ImprovementPlan
) -> None:
    page = client_for(leader_wang).get(reverse("coaching:plan_detail", args=[plan.pk]))
    text = page.content.decode()

    assert page.status_code == 200
    assert "上中下旬跟踪" in text
    assert "三方辅导与跟踪评估" in text
    assert "专项提升重点" in text
    assert "室经理面谈辅导" in text  # a session kind the leader may record
    assert 'id="goal-form"' in text  # the leader may add notes to the agent's goals


def test_a_coaching_session_links_contacts_and_starts_the_plan(
    client_for: ClientFor, leader_wang: User, plan: ImprovementPlan
) -> None:
    call = plan.agent.contact_set.order_by("started_at").first()
    assert call is not None
    response = client_for(leader_wang).post(
        reverse("coaching:session_record", args=[plan.pk]),
        {
            "kind": "team_leader",
            "held_on": "2026-10-05",
            "notes": "一起听了两通录音，练习开头语。",
            "contacts": [call.pk],
        },
    )

    assert response.status_code == 302
    session = CoachingSession.objects.get()
    assert list(session.contacts.all()) == [call]
    assert session.phase == "early"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_PROGRESS
    assert AuditEvent.objects.filter(action="coaching_session.record").exists()


def test_a_session_cannot_link_another_agents_contact(
    client_for: ClientFor, leader_wang: User, plan: ImprovementPlan, make_contact: ContactFactory
) -> None:
    other = make_contact(agent="A1003")
    response = client_for(leader_wang).post(
        reverse("coaching:session_record", args=[plan.pk]),
        {"kind": "team_leader", "held_on": "2026-10-05", "notes": "x", "contacts": [other.pk]},
    )

    assert response.status_code == 400
    assert not CoachingSession.objects.exists()


def test_the_agent_sees_their_plan_and_writes_their_own_phase_goal(
    client_for: ClientFor, agent_li: User, plan: ImprovementPlan
) -> None:
    client = client_for(agent_li)
    assert "提升计划" in client.get(reverse("coaching:plan_list")).content.decode()

    response = client.post(
        reverse("coaching:goal_save", args=[plan.pk]),
        {
            "month": "2026-10-01",
            "phase": "early",
            "measures": "每天听一通优秀录音",
            "goal": "不再出现服务禁语",
            "self_review": "",
        },
    )

    assert response.status_code == 302
    goal = PhaseGoal.objects.get()
    assert goal.goal == "不再出现服务禁语"
    assert goal.updated_by == agent_li
    assert AuditEvent.objects.filter(action="phase_goal.save", actor=agent_li).exists()
    page = client.get(reverse("coaching:plan_detail", args=[plan.pk])).content.decode()
    assert "不再出现服务禁语" in page
    assert 'id="session-form"' not in page  # agents do not coach themselves


def test_an_agent_cannot_record_a_session_on_their_own_plan(
    client_for: ClientFor, agent_li: User, plan: ImprovementPlan
) -> None:
    response = client_for(agent_li).post(
        reverse("coaching:session_record", args=[plan.pk]),
        {"kind": "team_leader", "held_on": "2026-10-05", "notes": "x"},
    )

    assert response.status_code == 403


@pytest.mark.parametrize("username", ["agent_zhang", "leader_liu"])
def test_others_are_told_the_plan_does_not_exist(
    client_for: ClientFor, org: Org, plan: ImprovementPlan, username: str
) -> None:
    response = client_for(org.users[username]).get(reverse("coaching:plan_detail", args=[plan.pk]))

    assert response.status_code == 404


def test_qa_supervisor_reads_every_plan(
    client_for: ClientFor, qa_zhao: User, plan: ImprovementPlan
) -> None:
    page = client_for(qa_zhao).get(reverse("coaching:plan_list")).content.decode()

    assert reverse("coaching:plan_detail", args=[plan.pk]) in page


def test_planner_has_no_coaching_pages(client_for: ClientFor, planner_qian: User) -> None:
    assert client_for(planner_qian).get(reverse("coaching:plan_list")).status_code == 403


def test_closing_a_plan_needs_an_outcome_and_a_summary(
    client_for: ClientFor, leader_wang: User, plan: ImprovementPlan
) -> None:
    client = client_for(leader_wang)
    url = reverse("coaching:plan_status", args=[plan.pk])

    refused = client.post(url, {"action": "close", "outcome": "improved", "note": ""})
    plan.refresh_from_db()
    assert refused.status_code == 400
    assert plan.status == PlanStatus.OPEN

    client.post(url, {"action": "close", "outcome": "improved", "note": "三个月后达标"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED
    assert plan.outcome == "improved"
    event = AuditEvent.objects.get(action="improvement_plan.closed")
    assert event.before is not None
    assert event.before["status"] == "open"
    page = client.get(reverse("coaching:plan_detail", args=[plan.pk])).content.decode()
    assert "三个月后达标" in page
    assert 'id="session-form"' not in page


def test_phase_grid_shows_the_figure_of_each_third(
    client_for: ClientFor, leader_wang: User, plan: ImprovementPlan, make_contact: ContactFactory
) -> None:
    make_contact(
        agent="A1001",
        started_at=datetime(2026, 10, 2, 9, 0, tzinfo=SHANGHAI),
        score=88,
        disposition="answered",
    )

    page = client_for(leader_wang).get(reverse("coaching:plan_detail", args=[plan.pk]))

    assert '<span class="phase-figure">88.0</span>' in page.content.decode()


def test_a_teams_target_comes_before_the_queues_and_the_centers(
    client_for: ClientFor, ops_zhou: User, center: Org, org: Org
) -> None:
    KpiTarget.objects.create(figure="aht_s", queue=None, green=300, amber=400)
    KpiTarget.objects.create(figure="aht_s", team=org.teams["一班"], green=400, amber=500)

    page = _detect(client_for(ops_zhou), figure="aht_s")

    assert 'id="detected-A1001"' not in page  # 一班's own, looser target
    assert 'id="detected-A1002"' in page  # 二班 still has the center's
