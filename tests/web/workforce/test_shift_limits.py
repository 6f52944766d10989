"""Agents' shift limits (issue 14): "no night shifts" for a pregnant or nursing agent (女职工劳动
保护特别规定), a medical note or a student's hours; set by planners for anyone and by team
leaders for their own teams, audited, honoured by every roster built."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lingting.core.models import Agent, AuditEvent, User
from lingting.interactions.models import Queue
from lingting.workforce.models import (
    AgentSkill,
    Roster,
    RosterShift,
    RosterStatus,
    ShiftLimit,
    ShiftTemplate,
)
from lingting.workforce.selectors.shift_limits import shift_limits_over
from lingting.workforce.services.rosters import roster_build
from lingting.workforce.services.swaps import swap_check
from tests.conftest import SHANGHAI, STAFF, Org
from tests.web.conftest import Api
from tests.workforce_forecasts import one_agent_around_the_clock

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]

TODAY = datetime(2026, 10, 15, 9, tzinfo=SHANGHAI)
WEEK_FIRST, WEEK_LAST = date(2026, 10, 19), date(2026, 10, 25)
PLANNERS = {"ops_zhou", "planner_qian"}
LEADERS = {"leader_wang", "leader_liu"}


@pytest.fixture
def shifts() -> None:
    """四班三运转's 早 08:00, 中 16:00 and 夜 24:00, eight hours each."""
    for code, start in (("早", 8 * 60), ("中", 16 * 60), ("夜", 24 * 60)):
        ShiftTemplate.objects.create(code=code, start_minutes=start, length_minutes=8 * 60)


def limit_form(agent: Agent, **fields: object) -> dict[str, object]:
    return {"agent": agent.pk, "reason": "pregnancy", "no_night": "on", "note": ""} | fields


# --- who may -------------------------------------------------------------------------------


@pytest.mark.parametrize("username", STAFF)
def test_planners_and_team_leaders_open_the_page_and_the_api(
    client_for: ClientFor, org: Org, username: str
) -> None:
    user = org.users[username]
    page = client_for(user).get(reverse("workforce:shift_limits")).status_code
    api = Api(user).get("/workforce/shift-limits").status_code

    allowed = username in PLANNERS | LEADERS
    assert (page, api) == ((200, 200) if allowed else (403, 403))


def test_the_menu_links_the_page_for_a_team_leader(
    client_for: ClientFor, org: Org, leader_wang: User
) -> None:
    page = client_for(leader_wang).get(reverse("workforce:absences")).content.decode()

    assert reverse("workforce:shift_limits") in page


# --- the page ------------------------------------------------------------------------------


def test_a_team_leader_rules_out_nights_for_a_pregnant_agent_of_their_team(
    client_for: ClientFor, org: Org, leader_wang: User, shifts: None
) -> None:
    client = client_for(leader_wang)
    agent = org.agents["A1003"]

    with time_machine.travel(TODAY):
        response = client.post(
            reverse("workforce:shift_limits"),
            limit_form(agent, last_day="2027-06-30", note="孕 7 个月"),
            follow=True,
        )

    page = response.content.decode()
    assert "已保存 陈晨 (A1003) 的班次限制" in page
    limit = ShiftLimit.objects.get(agent=agent)
    assert (limit.reason, limit.no_night, limit.codes) == ("pregnancy", True, [])
    assert limit.last_day == date(2027, 6, 30)
    assert "怀孕 7 个月以上（不安排夜班）" in page
    assert "2027-06-30" in page
    event = AuditEvent.objects.get(action="shift_limit.save")
    assert (event.actor, event.object_id, event.before) == (leader_wang, "A1003", None)
    assert event.after["no_night"] is True


def test_a_pregnancy_limit_that_allows_nights_is_refused_and_nothing_stored(
    client_for: ClientFor, org: Org, planner_qian: User, shifts: None
) -> None:
    with time_machine.travel(TODAY):
        response = client_for(planner_qian).post(
            reverse("workforce:shift_limits"),
            limit_form(org.agents["A1001"], reason="nursing", no_night="", codes=["中"]),
        )

    assert response.status_code == 400
    assert "依法不得安排夜班" in response.content.decode()
    assert not ShiftLimit.objects.exists()


def test_a_medical_note_rules_out_named_shifts_and_saving_again_replaces_it(
    client_for: ClientFor, org: Org, planner_qian: User, shifts: None
) -> None:
    client = client_for(planner_qian)
    agent = org.agents["A1002"]
    url = reverse("workforce:shift_limits")

    with time_machine.travel(TODAY):
        client.post(url, limit_form(agent, reason="medical", no_night="", codes=["夜"]))
        client.post(url, limit_form(agent, reason="study", no_night="", codes=["早", "中"]))

    limit = ShiftLimit.objects.get(agent=agent)
    assert (limit.reason, limit.no_night, limit.codes) == ("study", False, ["中", "早"])
    event = AuditEvent.objects.filter(action="shift_limit.save").order_by("id").last()
    assert event is not None
    assert (event.before["codes"], event.after["codes"]) == (["夜"], ["中", "早"])


def test_a_team_leader_neither_sets_nor_sees_nor_deletes_another_teams_limits(
    client_for: ClientFor, org: Org, leader_wang: User, shifts: None
) -> None:
    other = ShiftLimit.objects.create(agent=org.agents["A1002"], reason="medical")  # 二班
    client = client_for(leader_wang)

    with time_machine.travel(TODAY):
        refused = client.post(reverse("workforce:shift_limits"), limit_form(org.agents["A1002"]))
        page = client.get(reverse("workforce:shift_limits")).content.decode()
    deleted = client.post(reverse("workforce:shift_limit_delete", args=[org.agents["A1002"].pk]))

    assert refused.status_code == 400
    assert "没有这名坐席，或不归您设置" in refused.content.decode()
    assert "张伟" not in page
    assert deleted.status_code == 404
    assert list(ShiftLimit.objects.all()) == [other]


def test_a_limit_is_taken_back_and_an_ended_one_shows_only_when_asked(
    client_for: ClientFor, org: Org, planner_qian: User
) -> None:
    ShiftLimit.objects.create(agent=org.agents["A1001"], reason="nursing", note="哺乳期")
    ShiftLimit.objects.create(
        agent=org.agents["A1003"], reason="study", last_day=date(2026, 9, 30), note="暑期课程"
    )
    client = client_for(planner_qian)

    with time_machine.travel(TODAY):
        current = client.get(reverse("workforce:shift_limits")).content.decode()
        every = client.get(reverse("workforce:shift_limits"), {"ended": "1"}).content.decode()
        client.post(reverse("workforce:shift_limit_delete", args=[org.agents["A1001"].pk]))

    assert "哺乳期" in current
    assert "暑期课程" not in current
    assert "暑期课程" in every
    assert list(ShiftLimit.objects.values_list("agent__code", flat=True)) == ["A1003"]
    event = AuditEvent.objects.get(action="shift_limit.delete")
    assert event.before["reason"] == "nursing"


# --- the API -------------------------------------------------------------------------------


def test_the_api_sets_reads_lists_and_deletes_a_limit(
    org: Org, planner_qian: User, shifts: None
) -> None:
    api = Api(planner_qian)
    body = {"reason": "medical", "no_night": True, "codes": ["早"], "note": "医嘱"}

    with time_machine.travel(TODAY):
        saved = api.put("/workforce/agents/A1002/shift-limit", body)
        read = api.get("/workforce/agents/A1002/shift-limit")
        listed = api.get("/workforce/shift-limits").json()
    deleted = api.client.delete("/api/workforce/agents/A1002/shift-limit")
    gone = api.get("/workforce/agents/A1002/shift-limit")

    assert saved.status_code == 200
    assert saved.json() == {
        "agent": "A1002",
        "team": "T02",
        "reason": "medical",
        "no_night": True,
        "codes": ["早"],
        "note": "医嘱",
        "last_day": None,
    }
    assert read.json() == saved.json()
    assert listed == [saved.json()]
    assert (deleted.status_code, gone.status_code) == (204, 404)
    actions = AuditEvent.objects.filter(object_type="agent", object_id="A1002")
    assert set(actions.values_list("action", flat=True)) == {
        "shift_limit.save",
        "shift_limit.delete",
    }


def test_the_api_refuses_a_limit_that_makes_no_sense_with_every_reason(
    org: Org, planner_qian: User, shifts: None
) -> None:
    body = {"reason": "pregnancy", "no_night": False, "codes": ["午"], "last_day": "2026-10-01"}

    with time_machine.travel(TODAY):
        answer = Api(planner_qian).put("/workforce/agents/A1001/shift-limit", body)

    assert answer.status_code == 422
    assert answer.json()["detail"] == [
        "怀孕 7 个月以上或哺乳未满 1 周岁婴儿的女职工依法不得安排夜班：请勾选“不排夜班”",
        "没有这些班次：午",
        "截止日期不能早于今天",
    ]
    assert not ShiftLimit.objects.exists()


def test_a_team_leader_reaches_only_their_teams_agents_through_the_api(
    org: Org, leader_wang: User
) -> None:
    ShiftLimit.objects.create(agent=org.agents["A1002"], reason="medical")  # 二班
    api = Api(leader_wang)

    with time_machine.travel(TODAY):
        listed = api.get("/workforce/shift-limits").json()
        read = api.get("/workforce/agents/A1002/shift-limit")
        put = api.put("/workforce/agents/A1002/shift-limit", {"reason": "nursing"})
        own = api.put("/workforce/agents/A1001/shift-limit", {"reason": "nursing"})

    assert (listed, read.status_code, put.status_code) == ([], 404, 404)
    assert own.status_code == 200
    assert ShiftLimit.objects.get(agent__code="A1002").reason == "medical"


# --- the roster ----------------------------------------------------------------------------


def around_the_clock_queue() -> Queue:
    """A 24-hour queue that needs one agent on the phones in every half hour of the week."""
    queue = Queue.objects.create(code="95598", name="供电服务")
    one_agent_around_the_clock(queue, WEEK_FIRST, days=7)
    return queue


def test_a_roster_never_puts_a_no_night_agent_on_a_late_or_night_shift(
    client_for: ClientFor, org: Org, planner_qian: User, shifts: None
) -> None:
    queue = around_the_clock_queue()
    for agent in org.agents.values():
        AgentSkill.objects.create(agent=agent, queue=queue)
    # 李娜 is nursing: no hour between 22:00 and 06:00, so neither 中 (to 24:00) nor 夜.
    ShiftLimit.objects.create(agent=org.agents["A1001"], reason="nursing")
    # 陈晨's medical note rules out 早 only; the limit of 张伟 ended before the week.
    ShiftLimit.objects.create(
        agent=org.agents["A1003"], reason="medical", no_night=False, codes=["早"]
    )
    ShiftLimit.objects.create(
        agent=org.agents["A1002"], reason="study", last_day=WEEK_FIRST - timedelta(days=1)
    )

    roster = roster_build(
        first=WEEK_FIRST, last=WEEK_LAST, queues=[queue], actor=planner_qian, time_limit_s=10
    )

    assert roster.solver_status in {"optimal", "feasible"}
    codes = {
        code: set(roster.shifts.filter(agent__code=code).values_list("code", flat=True))
        for code in org.agents
    }
    assert codes["A1001"] == {"早"}  # rostered, and only on early shifts
    assert codes["A1003"]
    assert "早" not in codes["A1003"]
    assert codes["A1002"] & {"中", "夜"}  # the ended limit holds no more
    assert set(shift_limits_over([a.pk for a in org.agents.values()], WEEK_FIRST)) == {
        org.agents["A1001"].pk,
        org.agents["A1003"].pk,
    }

    grid = client_for(planner_qian).get(reverse("workforce:roster_detail", args=[roster.pk]))
    rows = {
        code: part.split("</th>")[0]
        for part in grid.content.decode().split('<tr data-agent="')[1:]
        for code in [part.split('"')[0]]
    }
    assert "不排夜班" in rows["A1001"]
    assert "不排 早" in rows["A1003"]
    assert "shift-limit" not in rows["A1002"]


def test_a_roster_reads_the_agents_facts_once_however_many_agents(
    org: Org, planner_qian: User, shifts: None
) -> None:
    queue = around_the_clock_queue()

    def queries_with(agents: int) -> int:
        for n in range(agents):
            agent, _ = Agent.objects.get_or_create(code=f"B{n:03d}", defaults={"name": f"坐席{n}"})
            AgentSkill.objects.get_or_create(agent=agent, queue=queue)
            ShiftLimit.objects.get_or_create(agent=agent, defaults={"reason": "medical"})
        with CaptureQueriesContext(connection) as reads:
            roster_build(
                first=WEEK_FIRST, last=WEEK_LAST, queues=[queue], actor=None, time_limit_s=2
            )
        return len(reads)

    queries_with(1)  # the first build reads what is cached after it (the calendar)
    assert queries_with(3) == queries_with(8)


def test_a_swap_that_would_put_a_no_night_agent_on_a_late_shift_is_refused(
    org: Org, shifts: None
) -> None:
    li, zhang = org.agents["A1001"], org.agents["A1002"]
    for agent in (li, zhang):
        AgentSkill.objects.create(agent=agent, queue=org.queues["ACD-01"])
    ShiftLimit.objects.create(agent=li, reason="nursing")
    roster = Roster.objects.create(
        first_day=WEEK_FIRST, last_day=WEEK_LAST, status=RosterStatus.PUBLISHED
    )

    def shift(day: int, code: str, hour: int) -> RosterShift:
        start = datetime(2026, 10, 19 + day, hour, tzinfo=SHANGHAI)
        return RosterShift.objects.create(
            roster=roster, agent=zhang, day=start.date(), code=code,
            queue=org.queues["ACD-01"], starts_at=start, ends_at=start + timedelta(hours=8),
        )  # fmt: skip

    with time_machine.travel(TODAY):
        late = swap_check(shift(2, "中", 16), li, None)
        early = swap_check(shift(3, "早", 8), li, None)

    assert late == ["李娜 有班次限制，不能上 中"]
    assert early == []
