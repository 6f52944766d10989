"""Care of agents on the phone (issue 14, seed 000 §1(2)): `lingting care_notify`, run every
minute, sends the agents on a published shift their timed reminders (10:30, 14:00, 16:00,
22:30, five minutes ahead) and break-due notices, and an agent's team leader a strain alert
after a run of difficult contacts; each exactly once. The care page sets all of it."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from lingting.core.models import AuditEvent, Notification, ScheduledRun, User
from lingting.interactions.models import Contact
from lingting.workforce.models import (
    AgentState,
    AgentStateEvent,
    CareKind,
    CareNotice,
    CareSettings,
    Roster,
    RosterBreak,
    RosterShift,
    RosterStatus,
)
from tests.conftest import SHANGHAI, ContactFactory, Org

ClientFor = Callable[[User], Client]
DAY = date(2026, 10, 1)


def at(hour: int, minute: int = 0, *, day: int = 0) -> datetime:
    return datetime(2026, 10, 1 + day, hour, minute, tzinfo=SHANGHAI)


def roster(
    org: Org, *shifts: tuple[str, datetime, datetime], status: str = RosterStatus.PUBLISHED
) -> list[RosterShift]:
    """A roster of `shifts` (agent code, start, end), published unless told otherwise."""
    published = status == RosterStatus.PUBLISHED
    made = Roster.objects.create(
        first_day=DAY,
        last_day=DAY + timedelta(days=6),
        status=status,
        published_at=at(0) - timedelta(days=3) if published else None,
    )
    return [
        RosterShift.objects.create(
            roster=made,
            agent=org.agents[code],
            day=start.date(),
            code="早",
            starts_at=start,
            ends_at=end,
        )
        for code, start, end in shifts
    ]


def every_minute(first: datetime, last: datetime, step: int = 1) -> Iterator[datetime]:
    moment = first
    while moment <= last:
        yield moment
        moment += timedelta(minutes=step)


def run_care(*moments: datetime) -> str:
    """`lingting care_notify` at each moment, as the scheduler runs it; what it printed."""
    out = io.StringIO()
    for moment in moments:
        with time_machine.travel(moment, tick=False):
            call_command("care_notify", stdout=out)
    return out.getvalue()


def texts(user: User, prefix: str) -> list[str]:
    notes = Notification.objects.filter(user=user, text__startswith=prefix).order_by("id")
    return list(notes.values_list("text", flat=True))


# --- timed reminders ------------------------------------------------------------------------


def test_an_agent_on_a_published_shift_is_reminded_once_five_minutes_ahead(
    org: Org, agent_li: User, agent_zhang: User
) -> None:
    roster(org, ("A1001", at(8, 30), at(17, 30)))
    roster(org, ("A1002", at(8, 30), at(17, 30)), status=RosterStatus.DRAFT)

    run_care(*every_minute(at(10, 20), at(10, 35)))

    assert texts(agent_li, "【正点提醒】") == [
        "【正点提醒】10:30 奋斗在一线的战士们，每100个满意顾客会带来25个新顾客，加油！"
    ]
    [note] = Notification.objects.filter(user=agent_li, text__startswith="【正点提醒】")
    assert timezone_local(note.created_at) == at(10, 25)
    # agent_zhang's roster is a draft: nobody is told of a shift not yet published.
    assert not Notification.objects.filter(user=agent_zhang).exists()


def timezone_local(moment: datetime) -> datetime:
    return moment.astimezone(SHANGHAI)


def test_a_late_or_repeated_run_still_sends_each_reminder_once(org: Org, agent_li: User) -> None:
    roster(org, ("A1001", at(8, 30), at(17, 30)))

    # The scheduler was down from 13:50 to 13:57, then ran twice in one minute.
    run_care(at(13, 50), at(13, 57), at(13, 57), at(13, 58))

    assert texts(agent_li, "【正点提醒】") == [
        "【正点提醒】14:00 奋斗在一线的战士们，每100个满意顾客会带来25个新顾客，加油！"
    ]


def test_a_shift_that_ended_is_not_reminded(org: Org, agent_li: User) -> None:
    roster(org, ("A1001", at(6, 0), at(10, 0)))

    run_care(*every_minute(at(10, 20), at(10, 35)))

    assert texts(agent_li, "【正点提醒】") == []


def test_the_night_shift_is_reminded_across_midnight(
    org: Org, agent_zhang: User, client_for: ClientFor, planner_qian: User
) -> None:
    # The center adds a reminder after midnight, with its own words, ten minutes ahead.
    post_care(
        client_for(planner_qian),
        reminders="22:30 小夜班加油！\n00:15 夜深了，注意休息",
        reminder_lead_minutes="10",
    )
    roster(org, ("A1002", at(22, 0), at(6, 0, day=1)))

    run_care(*every_minute(at(22, 0), at(0, 30, day=1), step=5))

    assert texts(agent_zhang, "【正点提醒】") == [
        "【正点提醒】22:30 小夜班加油！",
        "【正点提醒】00:15 夜深了，注意休息",
    ]
    sent = CareNotice.objects.filter(kind=CareKind.REMINDER).order_by("moment")
    assert [timezone_local(n.moment) for n in sent] == [at(22, 30), at(0, 15, day=1)]
    assert [timezone_local(n.sent_at) for n in sent] == [at(22, 20), at(0, 5, day=1)]


def test_an_agent_without_a_login_is_not_reminded_and_nothing_breaks(org: Org) -> None:
    roster(org, ("A1003", at(8, 30), at(17, 30)))  # 陈晨 has no login

    output = run_care(at(10, 25))

    assert not Notification.objects.exists()
    assert "reminders 0" in output


# --- break-due notices ----------------------------------------------------------------------


def test_an_agent_is_told_when_a_break_may_start_and_when_it_must(org: Org, agent_li: User) -> None:
    # 08:30 start: the 10-minute break after 1.5–2 hours worked may start 10:00–10:30.
    [shift] = roster(org, ("A1001", at(8, 30), at(17, 30)))
    RosterBreak.objects.create(
        shift=shift, starts_at=at(10, 10), ends_at=at(10, 20), rule="工作1.5–2小时后小休10分钟"
    )

    run_care(*every_minute(at(9, 55), at(10, 30)))

    assert texts(agent_li, "【小休提醒】") == [
        "【小休提醒】工作1.5–2小时后小休10分钟：现在可以开始，最晚 10:30 开始"
        "（排班安排 10:10–10:20）",
        "【小休提醒】工作1.5–2小时后小休10分钟：还没有开始，请在 10:30 前开始",
    ]


def test_an_agent_who_went_on_a_break_gets_no_closing_notice(org: Org, agent_li: User) -> None:
    roster(org, ("A1001", at(8, 30), at(17, 30)))
    AgentStateEvent.objects.create(
        agent=org.agents["A1001"], state=AgentState.NOT_READY, at=at(10, 12), reason="小休"
    )

    run_care(*every_minute(at(9, 55), at(10, 30)))

    assert texts(agent_li, "【小休提醒】") == [
        "【小休提醒】工作1.5–2小时后小休10分钟：现在可以开始，最晚 10:30 开始"
    ]


def test_the_second_break_comes_after_three_and_a_half_hours_worked(
    org: Org, agent_li: User
) -> None:
    # 3.5 hours worked plus the 10-minute first break: from 12:10 on the clock.
    roster(org, ("A1001", at(8, 30), at(17, 30)))

    run_care(*every_minute(at(12, 0), at(12, 15)))

    assert texts(agent_li, "【小休提醒】") == [
        "【小休提醒】工作3.5–4小时后小休15分钟：现在可以开始，最晚 12:40 开始"
    ]


# --- strain alerts --------------------------------------------------------------------------

INSULTED = (("agent", "您好，很高兴为您服务"), ("customer", "你们是不是神经病啊，扣我这么多钱"))
THREATENED = (("agent", "您好"), ("customer", "再不处理我就打12315，找记者曝光你们"))
CALM = (("agent", "您好"), ("customer", "我想查一下这个月的话费"))


def handled(
    make_contact: ContactFactory, external_id: str, ends: datetime, turns: Any, **fields: Any
) -> Contact:
    """A contact of A1001 that ended at `ends`, stored then (as an import would)."""
    with time_machine.travel(ends + timedelta(seconds=30), tick=False):
        return make_contact(
            external_id,
            agent=fields.pop("agent", "A1001"),
            started_at=ends - timedelta(minutes=4),
            ended_at=ends,
            turns=turns,
            **fields,
        )


def test_three_difficult_contacts_in_a_row_alert_the_team_leader_once(
    org: Org, make_contact: ContactFactory, leader_wang: User, agent_li: User
) -> None:
    roster(org, ("A1001", at(8, 30), at(17, 30)), ("A1002", at(8, 30), at(17, 30)))
    handled(make_contact, "C-1", at(11, 0), INSULTED)
    handled(make_contact, "C-2", at(11, 5), CALM, tags=["投诉"])
    run_care(at(11, 6))
    assert not Notification.objects.filter(user=leader_wang).exists()  # two so far

    handled(make_contact, "C-3", at(11, 10), THREATENED)
    run_care(*every_minute(at(11, 11), at(11, 20)))

    [alert] = Notification.objects.filter(user=leader_wang)
    assert alert.text == (
        "【关怀提醒】李娜 (A1001) 连续 3 通困难联络：C-1（辱骂）、C-2（投诉）、"
        "C-3（扬言曝光/越级投诉）。建议安排小休 10 分钟，倒杯水，问问接电话的情况。"
    )
    agent_id = org.agents["A1001"].pk
    assert alert.url == f"/contacts/?agent={agent_id}&date_from=2026-10-01&date_to=2026-10-01"
    # Only the agent's own team leader hears of it, and the agent is not told.
    assert not Notification.objects.filter(user=org.users["leader_liu"]).exists()
    assert texts(agent_li, "【关怀提醒】") == []


def test_a_calm_contact_or_a_break_ends_the_run(
    org: Org, make_contact: ContactFactory, leader_wang: User
) -> None:
    roster(org, ("A1001", at(8, 30), at(17, 30)))
    handled(make_contact, "C-1", at(11, 0), INSULTED)
    handled(make_contact, "C-2", at(11, 5), INSULTED)
    handled(make_contact, "C-3", at(11, 10), CALM)
    handled(make_contact, "C-4", at(11, 15), INSULTED)
    handled(make_contact, "C-5", at(11, 20), INSULTED)
    AgentStateEvent.objects.create(
        agent=org.agents["A1001"], state=AgentState.NOT_READY, at=at(11, 21), reason="小休"
    )
    handled(make_contact, "C-6", at(11, 40), INSULTED)

    run_care(*every_minute(at(11, 0), at(11, 45)))

    assert not Notification.objects.filter(user=leader_wang).exists()


def test_a_run_of_seven_alerts_once_and_a_new_run_after_a_calm_contact_again(
    org: Org, make_contact: ContactFactory, leader_wang: User
) -> None:
    roster(org, ("A1001", at(8, 30), at(17, 30)))
    for number in range(1, 8):  # 11:05 … 11:35, the job running after each
        handled(make_contact, f"C-{number}", at(11, 5 * number), INSULTED)
        run_care(at(11, 5 * number + 1))

    [alert] = texts(leader_wang, "【关怀提醒】")
    assert "连续 3 通困难联络：C-1（辱骂）、C-2（辱骂）、C-3（辱骂）。" in alert

    handled(make_contact, "C-8", at(11, 40), CALM)
    for number in range(9, 12):  # 11:45, 11:50, 11:55: a new run of three
        handled(make_contact, f"C-{number}", at(11, 5 * number), INSULTED)
        run_care(at(11, 5 * number + 1))

    alerts = texts(leader_wang, "【关怀提醒】")
    assert len(alerts) == 2
    assert "连续 3 通困难联络：C-9（辱骂）、C-10（辱骂）、C-11（辱骂）。" in alerts[1]


def test_a_batch_with_a_run_of_six_alerts_once_with_the_whole_run(
    org: Org, make_contact: ContactFactory, leader_wang: User
) -> None:
    roster(org, ("A1001", at(8, 30), at(17, 30)))
    with time_machine.travel(at(11, 32), tick=False):  # an import of the last half hour
        for number in range(1, 7):
            ends = at(11, 5 * number)
            make_contact(
                f"C-{number}",
                started_at=ends - timedelta(minutes=4),
                ended_at=ends,
                turns=INSULTED,
            )

    run_care(*every_minute(at(11, 33), at(11, 40)))

    [alert] = texts(leader_wang, "【关怀提醒】")
    assert "连续 6 通困难联络：C-1（辱骂）" in alert


def test_contacts_stored_long_after_they_ended_alert_nobody(
    org: Org, make_contact: ContactFactory, leader_wang: User
) -> None:
    # The morning's contacts imported in the afternoon: the run is history, not news.
    roster(org, ("A1001", at(8, 30), at(17, 30)))
    with time_machine.travel(at(14, 0), tick=False):
        for number in range(1, 4):
            ends = at(9, 5 * number)
            make_contact(
                f"C-{number}",
                started_at=ends - timedelta(minutes=4),
                ended_at=ends,
                turns=INSULTED,
            )

    run_care(*every_minute(at(14, 0), at(14, 5)))

    assert texts(leader_wang, "【关怀提醒】") == []


def test_contacts_of_an_agent_off_shift_alert_nobody(
    org: Org, make_contact: ContactFactory, leader_wang: User
) -> None:
    roster(org, ("A1001", at(13, 0), at(22, 0)))
    for number in range(1, 4):
        handled(make_contact, f"C-{number}", at(11, 5 * number), INSULTED)

    run_care(*every_minute(at(11, 0), at(11, 20)))

    assert not Notification.objects.filter(user=leader_wang).exists()


def test_an_agent_without_a_team_leader_is_logged_on_the_care_page(
    org: Org, make_contact: ContactFactory, client_for: ClientFor, ops_zhou: User
) -> None:
    roster(org, ("A1999", at(8, 30), at(17, 30)))  # 吴新 is in no team
    for number in range(1, 4):
        handled(make_contact, f"C-{number}", at(11, 5 * number), INSULTED, agent="A1999")

    output = run_care(at(11, 16), at(11, 17))

    assert "1 more with no team leader to tell" in output
    [notice] = CareNotice.objects.filter(kind=CareKind.STRAIN)
    assert (notice.recipient, notice.contacts) == (None, ["C-1", "C-2", "C-3"])
    html = client_for(ops_zhou).get("/workforce/care/").content.decode()
    assert "无班组长" in html
    assert "C-1、C-2、C-3" in html


def test_what_counts_as_difficult_is_the_centers_choice(
    org: Org,
    make_contact: ContactFactory,
    leader_wang: User,
    client_for: ClientFor,
    planner_qian: User,
) -> None:
    # Complaints alone do not count here, and two difficult contacts make a run.
    post_care(client_for(planner_qian), complaints=False, strain_run="2")
    roster(org, ("A1001", at(8, 30), at(17, 30)))
    handled(make_contact, "C-1", at(11, 0), CALM, tags=["投诉"])
    handled(make_contact, "C-2", at(11, 5), INSULTED)
    handled(make_contact, "C-3", at(11, 10), THREATENED)

    run_care(*every_minute(at(11, 0), at(11, 15)))

    assert texts(leader_wang, "【关怀提醒】") == [
        "【关怀提醒】李娜 (A1001) 连续 2 通困难联络：C-2（辱骂）、C-3（扬言曝光/越级投诉）。"
        "建议安排小休 10 分钟，倒杯水，问问接电话的情况。"
    ]


# --- the care page --------------------------------------------------------------------------


def care_form(**changes: Any) -> dict[str, Any]:
    """The care form as the page first shows it (seed 000's settings), with `changes`."""
    form: dict[str, Any] = {
        "reminders": "10:30 加油！\n14:00 加油！\n16:00 加油！\n22:30 加油！",
        "reminder_lead_minutes": "5",
        "break_rules": "90-120 10 工作1.5–2小时后小休10分钟\n210-240 15 工作3.5–4小时后小休15分钟",
        "break_reason": "小休",
        "strain_run": "3",
        "strain_break_minutes": "10",
        "insults": "on",
        "insult_words": "神经病、你滚、滚蛋",
        "insult_excused": "你滚动",
        "threats": "on",
        "complaints": "on",
    }
    for name, value in changes.items():
        if value is False:
            form.pop(name)
        else:
            form[name] = value
    return form


def post_care(client: Client, **changes: Any) -> Any:
    return client.post("/workforce/care/", care_form(**changes))


def test_the_page_opens_with_seed_000s_settings(client_for: ClientFor, planner_qian: User) -> None:
    html = client_for(planner_qian).get("/workforce/care/").content.decode()

    assert "10:30 奋斗在一线的战士们，每100个满意顾客会带来25个新顾客，加油！" in html
    assert "22:30 奋斗在一线的战士们" in html
    assert "90-120 10 工作1.5–2小时后小休10分钟" in html
    assert "210-240 15 工作3.5–4小时后小休15分钟" in html
    assert "神经病" in html
    assert "还没有发送过关怀提醒" in html
    assert 'style="' not in html


def test_a_planner_saves_the_settings_and_the_change_is_audited(
    client_for: ClientFor, planner_qian: User
) -> None:
    response = post_care(
        client_for(planner_qian),
        reminders="16:00 下午茶时间，喝口水\n10:30 早班加油",
        break_rules="100-130 10",
        strain_run="4",
    )

    assert response.status_code == 302
    saved = CareSettings.objects.get()
    assert saved.reminders == [
        {"time": "10:30", "text": "早班加油"},
        {"time": "16:00", "text": "下午茶时间，喝口水"},
    ]
    assert saved.break_rules == [
        {"name": "工作100–130分钟后小休10分钟", "worked_min": 100, "worked_max": 130, "length": 10}
    ]
    assert (saved.strain_run, saved.insult_words) == (4, ["神经病", "你滚", "滚蛋"])
    [event] = AuditEvent.objects.filter(action="care_settings.save")
    assert event.actor == planner_qian
    assert event.before is not None
    assert event.after is not None
    assert event.before["strain_run"] == 3
    assert event.after["strain_run"] == 4
    assert event.before["reminders"][0]["time"] == "10:30"
    assert len(event.before["reminders"]) == 4


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        (
            {"reminders": "10:30 加油\n25:00 太晚了"},
            "第 2 行：“25:00 太晚了”要以时间开头，如 10:30",
        ),
        ({"reminders": "10:30 加油\n10:30 再加油"}, "第 2 行：10:30 已经有提醒了"),
        ({"break_rules": "90-120 10 小休\n一百分钟后"}, "第 2 行：“一百分钟后”应写成"),
        ({"break_rules": "120-90 10 小休"}, "第 1 行：已工作分钟数要从小到大"),
        ({"break_rules": "90-120 10 短休\n100-150 15 长休"}, "第 2 行：与“短休”的时间范围重叠"),
        ({"break_rules": "90-120 10 小休\n200-240 15 小休"}, "第 2 行：名称“小休”重复"),
        ({"insult_excused": "你好"}, "“你好”要是包含某个辱骂用语的较长说法"),
        ({"insult_words": ""}, "检查客户辱骂时至少要有一个辱骂用语"),
        ({"strain_run": "0"}, "连续困难联络数"),
    ],
)
def test_a_mistake_is_named_with_its_line_and_nothing_is_saved(
    client_for: ClientFor, planner_qian: User, changes: dict[str, str], complaint: str
) -> None:
    response = post_care(client_for(planner_qian), **changes)

    assert response.status_code == 200
    html = response.content.decode()
    assert "请按提示修改后再保存" in html
    assert complaint in html
    assert not CareSettings.objects.exists()
    assert not AuditEvent.objects.filter(action="care_settings.save").exists()


def test_only_those_who_plan_the_work_may_change_the_settings(
    client_for: ClientFor, org: Org
) -> None:
    for name in ("agent_li", "leader_wang", "qa_zhao"):
        assert post_care(client_for(org.users[name]), strain_run="9").status_code == 403
    assert not CareSettings.objects.exists()
    assert post_care(client_for(org.users["ops_zhou"]), strain_run="9").status_code == 302
    assert CareSettings.objects.get().strain_run == 9


def test_the_scheduler_runs_the_care_job_every_minute(
    org: Org, agent_li: User, settings: Any
) -> None:
    [job] = [job for job in settings.LINGTING_SCHEDULE if job[0] == "care"]
    assert job == ("care", "every 1 min", ["care_notify"])
    settings.LINGTING_SCHEDULE = [job]  # the other jobs are tested on their own
    roster(org, ("A1001", at(8, 30), at(17, 30)))

    for moment in (at(10, 24), at(10, 25), at(10, 25) + timedelta(seconds=40), at(10, 26)):
        with time_machine.travel(moment, tick=False):
            call_command("scheduler", "--once", stdout=io.StringIO())

    runs = ScheduledRun.objects.filter(job="care").order_by("due_at")
    assert [timezone_local(run.due_at) for run in runs] == [at(10, 24), at(10, 25), at(10, 26)]
    assert "reminders 1," in runs[1].output
    assert len(texts(agent_li, "【正点提醒】")) == 1


# --- pruning --------------------------------------------------------------------------------


def notice(org: Org, kind: str, sent: datetime) -> CareNotice:
    with time_machine.travel(sent, tick=False):
        return CareNotice.objects.create(agent=org.agents["A1001"], kind=kind, moment=sent)


def test_notices_past_their_retention_are_pruned_daily_and_the_pruning_audited(
    org: Org, settings: Any
) -> None:
    notice(org, CareKind.REMINDER, at(10, 25) - timedelta(days=91))  # past 90 days: goes
    kept_reminder = notice(org, CareKind.BREAK_OPENS, at(10, 25) - timedelta(days=89))
    kept_alert = notice(org, CareKind.STRAIN, at(11, 0) - timedelta(days=200))  # kept a year
    notice(org, CareKind.STRAIN, at(11, 0) - timedelta(days=366))
    [job] = [job for job in settings.LINGTING_SCHEDULE if job[0] == "care prune"]
    assert job[1].startswith("daily")

    out = io.StringIO()
    with time_machine.travel(at(12, 0), tick=False):
        call_command(*job[2], stdout=out)
        call_command(*job[2], stdout=out)  # a second run finds nothing more

    assert set(CareNotice.objects.all()) == {kept_reminder, kept_alert}
    assert out.getvalue().splitlines() == [
        "care notices deleted: reminder 1, strain 1",
        "care notices deleted: none",
    ]
    [event] = AuditEvent.objects.filter(action="care_notice.prune")
    assert event.actor is None
    assert event.after["deleted"] == {"reminder": 1, "strain": 1}
