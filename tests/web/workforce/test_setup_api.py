"""The roster setup in the HTTP API: the same rules and reasons as the pages — shift templates
and skills for planners and operations managers, leave for them and for team leaders (their
own teams' agents); refusals answer 422 with the reason and store nothing; changes audited."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from lingting.core.models import AuditEvent, User
from lingting.workforce.models import Absence, AgentSkill, ShiftTemplate
from tests.conftest import SHANGHAI, STAFF, Org
from tests.web.conftest import Api

pytestmark = pytest.mark.django_db

TODAY = datetime(2026, 10, 15, 9, tzinfo=SHANGHAI)
PLANNERS = {"ops_zhou", "planner_qian"}
LEADERS = {"leader_wang", "leader_liu"}


@pytest.mark.parametrize("username", STAFF)
def test_each_role_reaches_only_the_setup_it_may(org: Org, username: str) -> None:
    api = Api(org.users[username])

    shifts = api.get("/workforce/shift-templates").status_code
    skills = api.get("/workforce/agents/A1001/skills").status_code
    leave = api.get("/workforce/absences").status_code

    planner = 200 if username in PLANNERS else 403
    assert (shifts, skills) == (planner, planner)
    assert leave == (200 if username in PLANNERS | LEADERS else 403)


def test_a_shift_template_is_added_and_listed(org: Org, planner_qian: User) -> None:
    api = Api(planner_qian)

    created = api.post(
        "/workforce/shift-templates",
        {"code": "夜", "name": "夜班", "start": "22:00", "length": "9:30"},
    )

    assert created.status_code == 201
    assert created.json() == {
        "code": "夜",
        "name": "夜班",
        "start": "22:00",
        "end": "07:30",
        "length": "9:30",
        "start_minutes": 22 * 60,
        "length_minutes": 9 * 60 + 30,
        "is_active": True,
    }
    assert [t["code"] for t in api.get("/workforce/shift-templates").json()] == ["夜"]
    assert AuditEvent.objects.get(action="shift_template.create").actor == planner_qian


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"start": "25:00"}, "开始时间须在 00:00 到 24:00 之间"),
        ({"length": "0:00"}, "时长须大于 0 且不超过 16 小时"),
        ({"length": "17:00"}, "时长须大于 0 且不超过 16 小时"),
        ({"code": "休"}, "不能用作班次代码"),
    ],
)
def test_a_shift_template_that_makes_no_sense_is_refused_with_the_reason(
    org: Org, planner_qian: User, fields: dict[str, str], reason: str
) -> None:
    body = {"code": "早", "start": "08:00", "length": "8:00"} | fields

    answer = Api(planner_qian).post("/workforce/shift-templates", body)

    assert answer.status_code == 422
    assert any(reason in text for text in answer.json()["detail"])
    assert not ShiftTemplate.objects.exists()


def test_an_agents_skills_are_replaced_and_audited(org: Org, planner_qian: User) -> None:
    AgentSkill.objects.create(agent=org.agents["A1001"], queue=org.queues["ACD-01"], level=1)
    api = Api(planner_qian)

    answer = api.put(
        "/workforce/agents/A1001/skills", {"skills": [{"queue": "ACD-02", "level": 2}]}
    )

    assert answer.status_code == 200
    assert answer.json()["skills"] == [{"queue": "ACD-02", "level": 2}]
    assert api.get("/workforce/agents/A1001/skills").json()["skills"] == [
        {"queue": "ACD-02", "level": 2}
    ]
    event = AuditEvent.objects.get(action="agent_skills.save")
    assert (event.object_id, event.before, event.after) == ("A1001", {"ACD-01": 1}, {"ACD-02": 2})


@pytest.mark.parametrize(
    ("skills", "status"),
    [
        ([{"queue": "ACD-99", "level": 1}], 422),  # no such queue
        ([{"queue": "ACD-01", "level": 1}, {"queue": "ACD-01", "level": 2}], 422),
        ([{"queue": "ACD-01", "level": 4}], 422),
    ],
)
def test_skills_naming_no_queue_twice_or_out_of_range_are_refused(
    org: Org, planner_qian: User, skills: list[dict[str, object]], status: int
) -> None:
    answer = Api(planner_qian).put("/workforce/agents/A1001/skills", {"skills": skills})

    assert answer.status_code == status
    assert not AgentSkill.objects.exists()


def test_the_skills_of_an_agent_who_left_are_not_changed(org: Org, planner_qian: User) -> None:
    agent = org.agents["A1003"]
    agent.left_on = date(2026, 9, 30)
    agent.save()

    with time_machine.travel(TODAY):
        answer = Api(planner_qian).put(
            "/workforce/agents/A1003/skills", {"skills": [{"queue": "ACD-01", "level": 1}]}
        )

    assert answer.status_code == 422
    assert answer.json()["detail"] == ["陈晨 (A1003) 已于 2026-09-30 离职，技能不能再修改"]
    assert not AgentSkill.objects.exists()


def test_leave_is_entered_listed_and_deleted(org: Org, leader_wang: User) -> None:
    api = Api(leader_wang)
    body = {"agent": "A1003", "first_day": "2026-10-20", "last_day": "2026-10-21", "kind": "annual"}

    with time_machine.travel(TODAY):
        created = api.post("/workforce/absences", body)
        listed = api.get("/workforce/absences").json()

    assert created.status_code == 201
    absence = created.json()
    assert (absence["agent"], absence["team"], absence["kind"]) == ("A1003", "T01", "annual")
    assert [row["id"] for row in listed] == [absence["id"]]

    deleted = api.client.delete(f"/api/workforce/absences/{absence['id']}")

    assert deleted.status_code == 204
    assert not Absence.objects.exists()
    actions = AuditEvent.objects.filter(object_type="absence", object_id=str(absence["id"]))
    assert set(actions.values_list("action", flat=True)) == {"absence.create", "absence.delete"}


def test_overlapping_leave_is_refused_with_the_reason(org: Org, planner_qian: User) -> None:
    Absence.objects.create(
        agent=org.agents["A1001"], first_day=date(2026, 10, 20), last_day=date(2026, 10, 22),
        kind="sick",
    )  # fmt: skip
    body = {"agent": "A1001", "first_day": "2026-10-22", "last_day": "2026-10-25", "kind": "annual"}

    answer = Api(planner_qian).post("/workforce/absences", body)

    assert answer.status_code == 422
    assert answer.json()["detail"] == [
        "李娜 (A1001) 在 2026-10-20 至 2026-10-22 已有病假，与这次请假重叠"
    ]
    assert Absence.objects.count() == 1


def test_a_team_leader_neither_enters_nor_sees_nor_deletes_another_teams_leave(
    org: Org, leader_wang: User
) -> None:
    other = Absence.objects.create(
        agent=org.agents["A1002"], first_day=date(2026, 10, 20), last_day=date(2026, 10, 20),
        kind="annual",
    )  # fmt: skip
    api = Api(leader_wang)
    body = {"agent": "A1002", "first_day": "2026-10-26", "last_day": "2026-10-26", "kind": "sick"}

    with time_machine.travel(TODAY):
        entered = api.post("/workforce/absences", body)
        listed = api.get("/workforce/absences").json()
        asked = api.get("/workforce/absences", team="T02")
    deleted = api.client.delete(f"/api/workforce/absences/{other.pk}")

    assert (entered.status_code, listed, deleted.status_code) == (404, [], 404)
    assert asked.json()["detail"] == ["no team 'T02' among yours"]
    assert list(Absence.objects.all()) == [other]
