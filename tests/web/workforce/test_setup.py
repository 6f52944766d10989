"""The roster setup pages (issue 14): shift templates, the skill matrix, leave and rotations,
entered by planners (leave by team leaders too, for their own teams); bad input refused with
its reason and nothing stored; every change audited; a rotation previewed before it is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from lingting.calendars.services import calendar_load
from lingting.core.models import Agent, AuditEvent, Role, Team, User
from lingting.workforce.models import (
    Absence,
    AgentSkill,
    Rotation,
    RotationTeam,
    ShiftTemplate,
)
from tests.conftest import SHANGHAI, STAFF, Org

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]

TODAY = datetime(2026, 10, 15, 9, tzinfo=SHANGHAI)

#                   agent_li agent_zhang leader_wang leader_liu qa_sun qa_zhao ops_zhou planner
PAGES = {
    "shift_templates": (403, 403, 403, 403, 403, 403, 200, 200),
    "skills":          (403, 403, 403, 403, 403, 403, 200, 200),
    "rotations":       (403, 403, 403, 403, 403, 403, 200, 200),
    "rotation_new":    (403, 403, 403, 403, 403, 403, 200, 200),
    "absences":        (403, 403, 200, 200, 403, 403, 200, 200),
}  # fmt: skip


def page_text(client: Client, name: str, *args: Any, **params: Any) -> str:
    response = client.get(reverse(f"workforce:{name}", args=args), params)
    assert response.status_code == 200
    return str(response.content.decode())


def three_shifts(night_start: str = "24:00") -> None:
    """早 08:00–16:00, 中 16:00–24:00 and 夜 from `night_start`, 8 hours each."""
    hour, minute = night_start.split(":")
    for code, start in (("早", 8 * 60), ("中", 16 * 60), ("夜", int(hour) * 60 + int(minute))):
        ShiftTemplate.objects.create(code=code, start_minutes=start, length_minutes=8 * 60)


# --- who may -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_each_role_opens_only_the_setup_pages_it_may(
    client_for: ClientFor, org: Org, name: str
) -> None:
    url = reverse(f"workforce:{name}")
    got = tuple(client_for(org.users[role]).get(url).status_code for role in STAFF)

    assert dict(zip(STAFF, got, strict=True)) == dict(zip(STAFF, PAGES[name], strict=True))


def test_an_administrator_opens_every_setup_page(client_for: ClientFor, org: Org) -> None:
    admin = User.objects.create_user("admin_ma", role=Role.ADMIN)
    client = client_for(admin)

    for name in PAGES:
        assert client.get(reverse(f"workforce:{name}")).status_code == 200, name


def test_a_team_leader_cannot_add_a_shift_or_save_skills(
    client_for: ClientFor, org: Org, leader_wang: User
) -> None:
    client = client_for(leader_wang)

    added = client.post(
        reverse("workforce:shift_templates"),
        {"code": "早", "start": "08:00", "length": "8:00"},
    )
    saved = client.post(
        reverse("workforce:skills"),
        {"agent": org.agents["A1001"].pk, "queue": org.queues["ACD-01"].pk,
         f"skill-{org.agents['A1001'].pk}-{org.queues['ACD-01'].pk}": "1"},
    )  # fmt: skip

    assert (added.status_code, saved.status_code) == (403, 403)
    assert not ShiftTemplate.objects.exists()
    assert not AgentSkill.objects.exists()


def test_the_menu_names_the_setup_pages_to_planners_and_leave_to_team_leaders(
    client_for: ClientFor, org: Org
) -> None:
    home = reverse("workforce:roster_list")
    planner = client_for(org.users["planner_qian"]).get(home).content.decode()
    leader = client_for(org.users["leader_wang"]).get(home).content.decode()

    for url in ("shift_templates", "skills", "rotations", "absences"):
        assert f'href="{reverse(f"workforce:{url}")}"' in planner
    assert f'href="{reverse("workforce:absences")}"' in leader
    assert f'href="{reverse("workforce:skills")}"' not in leader


# --- shift templates -----------------------------------------------------------------------


def test_the_planner_adds_a_night_shift_from_24_00(
    client_for: ClientFor, org: Org, planner_qian: User
) -> None:
    client = client_for(planner_qian)

    answer = client.post(
        reverse("workforce:shift_templates"),
        {"code": "夜", "name": "夜班", "start": "24:00", "length": "8:00"},
        follow=True,
    )

    night = ShiftTemplate.objects.get()
    assert (night.code, night.start_minutes, night.length_minutes, night.is_active) == (
        "夜",
        24 * 60,
        8 * 60,
        True,
    )
    text = answer.content.decode()
    assert "已添加班次 夜" in text
    assert "24:00–08:00" in text  # ends at 08:00 of the next date
    event = AuditEvent.objects.get(action="shift_template.create")
    assert event.actor == planner_qian
    assert event.after == {
        "code": "夜",
        "name": "夜班",
        "start": "24:00",
        "length": "8:00",
        "is_active": True,
    }


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"start": "24:30"}, "开始时间须在 00:00 到 24:00 之间"),
        ({"length": "0:00"}, "时长须大于 0 且不超过 16 小时"),
        ({"length": "16:30"}, "时长须大于 0 且不超过 16 小时"),
        ({"start": "8点"}, "请写成 时:分，如 08:00"),
        ({"length": "8:75"}, "请写成 时:分，如 8:00"),
        ({"code": "休"}, "“休”表示休息日，不能用作班次代码"),
        ({"code": "A 1"}, "班次代码不能含空格或逗号"),
    ],
)
def test_a_shift_that_makes_no_sense_is_refused_with_the_reason(
    client_for: ClientFor, org: Org, planner_qian: User, fields: dict[str, str], reason: str
) -> None:
    form = {"code": "早", "start": "08:00", "length": "8:00"} | fields

    answer = client_for(planner_qian).post(reverse("workforce:shift_templates"), form)

    assert answer.status_code == 200
    assert reason in answer.content.decode()
    assert not ShiftTemplate.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_code_in_use_is_refused(client_for: ClientFor, org: Org, planner_qian: User) -> None:
    three_shifts()

    answer = client_for(planner_qian).post(
        reverse("workforce:shift_templates"), {"code": "早", "start": "07:00", "length": "8:00"}
    )

    assert "班次 早 已存在" in answer.content.decode()
    assert ShiftTemplate.objects.get(code="早").start_minutes == 8 * 60


def test_the_planner_changes_a_shifts_times_and_the_change_is_audited(
    client_for: ClientFor, org: Org, planner_qian: User
) -> None:
    three_shifts()
    morning = ShiftTemplate.objects.get(code="早")

    client_for(planner_qian).post(
        reverse("workforce:shift_template", args=[morning.pk]),
        {"name": "早班", "start": "07:30", "length": "8:30"},
    )

    morning.refresh_from_db()
    assert (morning.name, morning.start_minutes, morning.length_minutes) == ("早班", 450, 510)
    event = AuditEvent.objects.get(action="shift_template.update")
    assert (event.before["start"], event.after["start"]) == ("08:00", "07:30")
    assert (event.before["length"], event.after["length"]) == ("8:00", "8:30")


def test_a_shift_a_rotation_walks_is_not_deactivated_until_the_rotation_drops_it(
    client_for: ClientFor, org: Org, planner_qian: User
) -> None:
    three_shifts()
    Rotation.objects.create(name="四班三运转", cycle="早早中中夜夜休休", anchor=date(2026, 10, 1))
    client = client_for(planner_qian)
    night = ShiftTemplate.objects.get(code="夜")
    url = reverse("workforce:shift_template_active", args=[night.pk])

    refused = client.post(url, {"active": "0"}, follow=True).content.decode()
    night.refresh_from_db()
    assert night.is_active
    assert "「四班三运转」 的循环用到班次 夜：先修改轮班再停用" in refused

    Rotation.objects.update(cycle="早早中中休休")
    client.post(url, {"active": "0"})
    night.refresh_from_db()
    assert not night.is_active
    assert AuditEvent.objects.filter(action="shift_template.deactivate", actor=planner_qian)


# --- skills -------------------------------------------------------------------------------


def cell(org: Org, agent: str, queue: str) -> str:
    return f"skill-{org.agents[agent].pk}-{org.queues[queue].pk}"


def matrix_post(org: Org, agents: list[str], cells: dict[tuple[str, str], str]) -> dict[str, Any]:
    """The skill form as the page posts it: the agents and queues it showed, and each cell."""
    form: dict[str, Any] = {
        "agent": [org.agents[code].pk for code in agents],
        "queue": [queue.pk for queue in org.queues.values()],
    }
    return form | {cell(org, agent, queue): level for (agent, queue), level in cells.items()}


def test_the_planner_sets_which_pools_each_agent_answers(
    client_for: ClientFor, org: Org, planner_qian: User
) -> None:
    AgentSkill.objects.create(agent=org.agents["A1003"], queue=org.queues["ACD-02"], level=3)
    form = matrix_post(
        org,
        ["A1001", "A1003"],
        {("A1001", "ACD-01"): "1", ("A1001", "ACD-02"): "2", ("A1003", "ACD-02"): ""},
    )

    answer = client_for(planner_qian).post(reverse("workforce:skills"), form, follow=True)

    skills = {(s.agent.code, s.queue.code): s.level for s in AgentSkill.objects.all()}
    assert skills == {("A1001", "ACD-01"): 1, ("A1001", "ACD-02"): 2}  # A1003 answers none now
    assert "已保存 2 名坐席的技能" in answer.content.decode()
    events = {e.object_id: e for e in AuditEvent.objects.filter(action="agent_skills.save")}
    assert events["A1001"].before == {}
    assert events["A1001"].after == {"ACD-01": 1, "ACD-02": 2}
    assert events["A1003"].before == {"ACD-02": 3}
    assert events["A1003"].after == {}


def test_a_save_leaves_alone_what_the_page_did_not_show(
    client_for: ClientFor, org: Org, planner_qian: User
) -> None:
    """A queue imported (or an agent hired) after the page was opened keeps its skills."""
    AgentSkill.objects.create(agent=org.agents["A1001"], queue=org.queues["ACD-02"], level=2)
    AgentSkill.objects.create(agent=org.agents["A1002"], queue=org.queues["ACD-01"], level=1)
    form = matrix_post(org, ["A1001"], {("A1001", "ACD-01"): "1"})
    form["queue"] = [org.queues["ACD-01"].pk]

    client_for(planner_qian).post(reverse("workforce:skills"), form)

    skills = {(s.agent.code, s.queue.code): s.level for s in AgentSkill.objects.all()}
    assert skills == {("A1001", "ACD-01"): 1, ("A1001", "ACD-02"): 2, ("A1002", "ACD-01"): 1}


def test_a_level_outside_one_to_three_refuses_the_whole_save_naming_the_cell(
    client_for: ClientFor, org: Org, planner_qian: User
) -> None:
    form = matrix_post(
        org, ["A1001", "A1002"], {("A1001", "ACD-01"): "1", ("A1002", "ACD-02"): "7"}
    )

    answer = client_for(planner_qian).post(reverse("workforce:skills"), form)

    text = answer.content.decode()
    assert answer.status_code == 400
    assert "张伟 (A1002) 的 ACD-02 熟练度须为 1、2 或 3，不是 7" in text
    assert not AgentSkill.objects.exists()
    assert not AuditEvent.objects.exists()


def test_agents_who_left_are_shown_apart_and_cannot_be_changed(
    client_for: ClientFor, org: Org, planner_qian: User
) -> None:
    gone = org.agents["A1003"]
    gone.left_on = date(2026, 9, 30)
    gone.save()
    AgentSkill.objects.create(agent=gone, queue=org.queues["ACD-01"], level=2)
    client = client_for(planner_qian)

    with time_machine.travel(TODAY):
        text = page_text(client, "skills")
        refused = client.post(
            reverse("workforce:skills"), matrix_post(org, ["A1003"], {("A1003", "ACD-01"): "1"})
        )

    editable, left = text.split('id="skill-left"')
    assert f'name="{cell(org, "A1003", "ACD-01")}"' not in editable
    assert "A1003" in left
    assert "2026-09-30" in left
    assert f'name="{cell(org, "A1001", "ACD-01")}"' in editable
    assert "陈晨 (A1003) 已于 2026-09-30 离职，技能不能再修改" in refused.content.decode()
    assert AgentSkill.objects.get(agent=gone).level == 2


def test_the_matrix_shows_one_team_at_a_time(
    client_for: ClientFor, org: Org, planner_qian: User
) -> None:
    text = page_text(client_for(planner_qian), "skills", team="T02")

    assert f'name="{cell(org, "A1002", "ACD-01")}"' in text
    assert f'name="{cell(org, "A1001", "ACD-01")}"' not in text
    assert f'name="{cell(org, "A1999", "ACD-01")}"' not in text


def test_the_matrix_reads_the_same_few_tables_however_many_agents(
    client_for: ClientFor,
    org: Org,
    planner_qian: User,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(planner_qian)
    page_text(client, "skills")  # the session and the menu's first reads
    for n in range(40):
        agent = Agent.objects.create(code=f"B{n:03d}", team=org.teams["一班"])
        AgentSkill.objects.create(agent=agent, queue=org.queues["ACD-01"], level=1 + n % 3)

    with django_assert_max_num_queries(25):
        text = page_text(client, "skills")

    assert text.count('<option value="3" selected>') == 13  # B002, B005 … B038


# --- leave --------------------------------------------------------------------------------


def leave(
    agent: Agent, first: str, last: str, kind: str = "annual", note: str = ""
) -> dict[str, Any]:
    return {"agent": agent.pk, "first_day": first, "last_day": last, "kind": kind, "note": note}


def test_the_planner_enters_leave_and_it_is_listed_and_audited(
    client_for: ClientFor, org: Org, planner_qian: User
) -> None:
    client = client_for(planner_qian)

    with time_machine.travel(TODAY):
        answer = client.post(
            reverse("workforce:absences"),
            leave(org.agents["A1002"], "2026-10-20", "2026-10-22", "sick", "发烧"),
            follow=True,
        )

    text = answer.content.decode()
    absence = Absence.objects.get()
    assert (absence.agent.code, absence.first_day, absence.last_day, absence.kind) == (
        "A1002",
        date(2026, 10, 20),
        date(2026, 10, 22),
        "sick",
    )
    assert "已登记 张伟 (A1002) 2026-10-20 至 2026-10-22 的病假" in text
    listed = text.split('id="absence-list"')[1].split("</table>")[0]
    assert "2026-10-20" in listed
    assert "发烧" in listed
    assert '<td class="num">3</td>' in listed
    event = AuditEvent.objects.get(action="absence.create")
    assert event.actor == planner_qian
    assert event.after == {
        "agent": "A1002",
        "first_day": "2026-10-20",
        "last_day": "2026-10-22",
        "kind": "sick",
        "note": "发烧",
    }


@pytest.mark.parametrize(
    ("first", "last", "reason"),
    [
        (
            "2026-10-22",
            "2026-10-24",
            "李娜 (A1001) 在 2026-10-20 至 2026-10-22 已有年假，与这次请假重叠",
        ),
        (
            "2026-10-18",
            "2026-10-20",
            "李娜 (A1001) 在 2026-10-20 至 2026-10-22 已有年假，与这次请假重叠",
        ),
        ("2026-10-30", "2026-10-29", "结束日期不能早于开始日期"),
    ],
)
def test_leave_that_overlaps_or_runs_backwards_is_refused_with_the_reason(
    client_for: ClientFor, org: Org, planner_qian: User, first: str, last: str, reason: str
) -> None:
    agent = org.agents["A1001"]
    Absence.objects.create(
        agent=agent, first_day=date(2026, 10, 20), last_day=date(2026, 10, 22), kind="annual"
    )

    with time_machine.travel(TODAY):
        answer = client_for(planner_qian).post(
            reverse("workforce:absences"), leave(agent, first, last, "personal")
        )

    assert reason in answer.content.decode()
    assert Absence.objects.count() == 1
    assert not AuditEvent.objects.exists()


def test_leave_right_after_other_leave_is_not_an_overlap(
    client_for: ClientFor, org: Org, planner_qian: User
) -> None:
    agent = org.agents["A1001"]
    Absence.objects.create(
        agent=agent, first_day=date(2026, 10, 20), last_day=date(2026, 10, 22), kind="annual"
    )

    with time_machine.travel(TODAY):
        client_for(planner_qian).post(
            reverse("workforce:absences"), leave(agent, "2026-10-23", "2026-10-23", "training")
        )

    assert Absence.objects.count() == 2


def test_a_team_leader_enters_and_reads_the_leave_of_their_own_team_only(
    client_for: ClientFor, org: Org, leader_wang: User
) -> None:
    Absence.objects.create(
        agent=org.agents["A1002"], first_day=date(2026, 10, 20), last_day=date(2026, 10, 20),
        kind="annual", note="二班的假",
    )  # fmt: skip
    client = client_for(leader_wang)

    with time_machine.travel(TODAY):
        own = client.post(
            reverse("workforce:absences"), leave(org.agents["A1003"], "2026-10-21", "2026-10-21")
        )
        other = client.post(
            reverse("workforce:absences"), leave(org.agents["A1002"], "2026-10-26", "2026-10-26")
        )
        text = page_text(client, "absences")

    assert own.status_code == 302
    assert "没有这名坐席，或不归您登记" in other.content.decode()
    assert set(Absence.objects.values_list("agent__code", flat=True)) == {"A1002", "A1003"}
    listed = text.split('id="absence-list"')[1].split("</table>")[0]
    assert "陈晨" in listed
    assert "二班的假" not in listed
    assert AuditEvent.objects.get(action="absence.create").actor == leader_wang


def test_leave_is_listed_by_dates_and_team(
    client_for: ClientFor, org: Org, planner_qian: User
) -> None:
    for code, day in (("A1001", 5), ("A1002", 6), ("A1001", 28)):
        Absence.objects.create(
            agent=org.agents[code],
            first_day=date(2026, 11, day),
            last_day=date(2026, 11, day),
            kind="annual",
            note=f"{code}-{day}",
        )
    client = client_for(planner_qian)

    text = page_text(client, "absences", date_from="2026-11-01", date_to="2026-11-10", team="T01")

    assert "A1001-5" in text
    assert "A1002-6" not in text
    assert "A1001-28" not in text


def test_leave_is_deleted_by_whoever_may_enter_it_and_audited(
    client_for: ClientFor, org: Org, leader_wang: User
) -> None:
    leader_liu = org.users["leader_liu"]
    absence = Absence.objects.create(
        agent=org.agents["A1001"], first_day=date(2026, 10, 20), last_day=date(2026, 10, 21),
        kind="annual",
    )  # fmt: skip
    url = reverse("workforce:absence_delete", args=[absence.pk])

    assert client_for(leader_liu).post(url).status_code == 404  # not leader_liu's team
    assert Absence.objects.exists()
    client_for(leader_wang).post(url)

    assert not Absence.objects.exists()
    event = AuditEvent.objects.get(action="absence.delete")
    assert (event.actor, event.before["first_day"]) == (leader_wang, "2026-10-20")


# --- rotations ----------------------------------------------------------------------------


def four_teams(org: Org) -> list[Team]:
    """一班, 二班 and two more: 四班三运转's four teams."""
    org.teams["三班"] = Team.objects.create(code="T03", name="三班")
    org.teams["四班"] = Team.objects.create(code="T04", name="四班")
    return [org.teams[name] for name in ("一班", "二班", "三班", "四班")]


def rotation_form(teams: dict[Team, int | None], **fields: str) -> dict[str, Any]:
    form: dict[str, Any] = {
        "name": "四班三运转",
        "cycle": "早早中中夜夜休休",
        "anchor": "2026-10-01",
        "teams": [team.pk for team in teams],
        "action": "save",
    }
    form |= {f"offset_{team.pk}": "" if o is None else str(o) for team, o in teams.items()}
    return form | fields


def test_four_teams_spread_evenly_over_four_team_three_shift_cover_24_hours(
    client_for: ClientFor, org: Org, planner_qian: User
) -> None:
    three_shifts()
    teams = four_teams(org)
    client = client_for(planner_qian)

    with time_machine.travel(TODAY):
        spread = client.post(
            reverse("workforce:rotation_new"),
            rotation_form(dict.fromkeys(teams), action="even"),
        ).content.decode()

    for team, offset in zip(teams, (0, 2, 4, 6), strict=True):
        assert f'name="offset_{team.pk}" value="{offset}"' in spread
    assert not Rotation.objects.exists()  # spreading is not saving
    preview = spread.split('id="rotation-preview"')[1]
    assert "24 小时覆盖" in preview
    # The shortest rest is between two shifts alike (16 h); 24:00 nights give the evenings
    # a whole day of rest before them.
    assert "最短休息 16 小时" in preview
    assert "低于 11 小时" not in preview
    # On 10-15, 14 days after the anchor, 一班 (offset 0) is on day 14 % 8 = 6: a day off.
    days = preview.split('id="rotation-days"')[1].split("</table>")[0]
    first_row = days.split("<tr>")[2]
    assert "一班" in first_row
    codes = [c.split(">")[-1] for c in first_row.split("</td>")[:-1]]
    assert codes[:8] == ["休", "休", "早", "早", "中", "中", "夜", "夜"]


def test_a_rotation_is_saved_with_its_teams_and_audited(
    client_for: ClientFor, org: Org, planner_qian: User
) -> None:
    three_shifts()
    teams = four_teams(org)

    with time_machine.travel(TODAY):
        answer = client_for(planner_qian).post(
            reverse("workforce:rotation_new"),
            rotation_form(dict(zip(teams, (0, 2, 4, 6), strict=True))),
            follow=True,
        )

    rotation = Rotation.objects.get()
    places = {p.team.code: p.offset for p in RotationTeam.objects.select_related("team")}
    assert places == {"T01": 0, "T02": 2, "T03": 4, "T04": 6}
    assert "已保存轮班「四班三运转」" in answer.content.decode()
    event = AuditEvent.objects.get(action="rotation.create")
    assert event.object_id == str(rotation.pk)
    assert event.after["teams"] == places
    listed = page_text(client_for(planner_qian), "rotations")
    assert "四班三运转" in listed
    assert "24 小时覆盖" in listed


def test_nights_at_00_00_leave_no_rest_after_the_evenings_and_the_page_warns(
    client_for: ClientFor, org: Org, planner_qian: User
) -> None:
    three_shifts(night_start="00:00")
    teams = four_teams(org)

    with time_machine.travel(TODAY):
        text = (
            client_for(planner_qian)
            .post(
                reverse("workforce:rotation_new"),
                rotation_form(dict(zip(teams, (0, 2, 4, 6), strict=True)), action="preview"),
            )
            .content.decode()
        )

    assert "最短休息 0 小时，低于 11 小时" in text
    assert not Rotation.objects.exists()


def test_three_teams_leave_gaps_and_the_page_lists_them(
    client_for: ClientFor, org: Org, planner_qian: User
) -> None:
    three_shifts()
    teams = four_teams(org)[:3]

    with time_machine.travel(TODAY):
        text = (
            client_for(planner_qian)
            .post(
                reverse("workforce:rotation_new"),
                rotation_form(dict(zip(teams, (0, 2, 4), strict=True)), action="preview"),
            )
            .content.decode()
        )

    gaps = text.split('id="rotation-gaps"')[1].split("</ul>")[0]
    assert "24 小时覆盖" not in text
    # On 10-15 the missing fourth team (offset 6) would be on cycle day (14 + 6) % 8 = 4: the
    # night from 24:00, 10-16 00:00–08:00; 10-15's small hours are 一班's night of 10-14.
    assert gaps.split("</li>")[0].endswith("10-16 00:00 – 10-16 08:00")


@pytest.mark.parametrize(
    ("cycle", "reason"),
    [
        ("早早中中晚晚休休", "循环中的 晚 不是班次"),
        ("休休", "循环里至少要有一个班次"),
    ],
)
def test_a_cycle_must_walk_known_shifts(
    client_for: ClientFor, org: Org, planner_qian: User, cycle: str, reason: str
) -> None:
    three_shifts()

    answer = client_for(planner_qian).post(
        reverse("workforce:rotation_new"), rotation_form({org.teams["一班"]: 0}, cycle=cycle)
    )

    assert reason in answer.content.decode()
    assert not Rotation.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_cycle_must_walk_active_shifts(
    client_for: ClientFor, org: Org, planner_qian: User
) -> None:
    three_shifts()
    ShiftTemplate.objects.filter(code="夜").update(is_active=False)

    answer = client_for(planner_qian).post(
        reverse("workforce:rotation_new"), rotation_form({org.teams["一班"]: 0})
    )

    assert "班次 夜 已停用" in answer.content.decode()
    assert not Rotation.objects.exists()


def test_an_offset_outside_the_cycle_and_a_team_of_another_rotation_are_refused(
    client_for: ClientFor, org: Org, planner_qian: User
) -> None:
    three_shifts()
    other = Rotation.objects.create(name="白班轮换", cycle="早早休", anchor=date(2026, 10, 1))
    RotationTeam.objects.create(rotation=other, team=org.teams["二班"], offset=0)
    client = client_for(planner_qian)

    form_page = page_text(client, "rotation_new")
    answer = client.post(
        reverse("workforce:rotation_new"), rotation_form({org.teams["一班"]: 8})
    ).content.decode()

    assert "已在轮班「白班轮换」中" in form_page
    assert f'name="teams" value="{org.teams["二班"].pk}"' not in form_page
    assert "一班 的相位须在 0 到 7 天之间" in answer
    assert Rotation.objects.count() == 1


def test_each_teams_month_of_four_team_three_shift_is_against_the_standard(
    client_for: ClientFor, org: Org, planner_qian: User
) -> None:
    """October 2026: 31 days of 6 worked in 8, so 23 or 24 shifts (184 or 192 h) against
    166.64 h. The statutory days of National Day (10-01..03; 10-04..07 are days off moved
    by 调休, not statutory) hold 3 × 24 h, which the four teams cover once between them,
    less 10-01 00:00–08:00: that night shift started at the 24:00 of 09-30 and counts in
    September."""
    calendar_load(year=2026)
    three_shifts()
    teams = four_teams(org)

    with time_machine.travel(TODAY):
        text = (
            client_for(planner_qian)
            .post(
                reverse("workforce:rotation_new"),
                rotation_form(dict(zip(teams, (0, 2, 4, 6), strict=True)), action="preview"),
            )
            .content.decode()
        )

    table = text.split('id="rotation-hours"')[1].split("</table>")[0]
    october = [row for row in table.split("<tr>") if "2026-10" in row]
    assert len(october) == 4
    holiday_hours = 0.0
    for row in october:
        cells = [c.split(">")[-1] for c in row.split("</td>")[:-1]]
        hours, standard, over, holiday = (float(c) for c in cells[2:6])
        assert hours in (184, 192)
        assert standard == pytest.approx(166.64)
        assert over == pytest.approx(hours - 166.64)
        holiday_hours += holiday
    assert holiday_hours == pytest.approx(3 * 24 - 8)
    assert "法定节假日工时" in table
    assert "仅供参考" not in text
    assert sum("2026-11" in row for row in table.split("<tr>")) == 4


def test_a_rotation_is_deleted_and_audited(
    client_for: ClientFor, org: Org, planner_qian: User
) -> None:
    three_shifts()
    rotation = Rotation.objects.create(
        name="四班三运转", cycle="早早中中夜夜休休", anchor=TODAY.date()
    )
    RotationTeam.objects.create(rotation=rotation, team=org.teams["一班"], offset=0)

    client_for(planner_qian).post(reverse("workforce:rotation_delete", args=[rotation.pk]))

    assert not Rotation.objects.exists()
    assert not RotationTeam.objects.exists()
    assert AuditEvent.objects.get(action="rotation.delete").before["teams"] == {"T01": 0}
