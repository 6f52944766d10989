"""Must-read bulletins: sent to teams and roles with a deadline, read and acknowledged
(check questions answered right), followed up by team leaders, counted per team."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from lingting.core.models import Notification, Role, User
from lingting.engine.bulletin_checks import CheckQuestion
from lingting.knowledge.models import Bulletin, BulletinReceipt
from lingting.knowledge.services.bulletins import (
    bulletin_acknowledge,
    bulletin_publish,
    bulletin_remind,
)
from tests.conftest import Org

ClientFor = Callable[[User], Client]
QUESTION = CheckQuestion("新套餐月租多少？", ("58 元", "68 元", "78 元"), 1)


def send_to_team_one(org: Org, **extra: object) -> Bulletin:
    return bulletin_publish(
        actor=org.users["leader_wang"],
        title="5G 套餐调价",
        body="自 12 月 10 日起，5G 畅享套餐月租调整为 68 元。",
        deadline=timezone.now() + timedelta(days=2),
        teams=[org.teams["一班"]],
        questions=[QUESTION],
        **extra,  # type: ignore[arg-type]
    )


def test_a_leader_sends_to_their_team_and_its_agents_are_told(org: Org) -> None:
    bulletin = send_to_team_one(org)
    readers = set(bulletin.receipts.values_list("user__username", flat=True))
    assert readers == {"agent_li", "leader_wang"}  # 一班's agent with a login, and its leader
    notice = Notification.objects.get(user=org.users["agent_li"])
    assert "5G 套餐调价" in notice.text
    assert notice.url == f"/knowledge/bulletins/{bulletin.pk}/"


def test_a_leader_cannot_send_to_another_team_or_to_a_role(org: Org) -> None:
    with pytest.raises(PermissionDenied):
        bulletin_publish(
            actor=org.users["leader_wang"],
            title="t",
            body="b",
            deadline=timezone.now() + timedelta(days=1),
            teams=[org.teams["二班"]],
        )
    with pytest.raises(PermissionDenied):
        bulletin_publish(
            actor=org.users["leader_wang"],
            title="t",
            body="b",
            deadline=timezone.now() + timedelta(days=1),
            roles=[Role.AGENT],
        )
    with pytest.raises(PermissionDenied):
        bulletin_publish(
            actor=org.users["agent_li"],
            title="t",
            body="b",
            deadline=timezone.now() + timedelta(days=1),
            teams=[org.teams["一班"]],
        )


def test_a_wrong_answer_leaves_it_unread_and_a_right_one_marks_it_read(org: Org) -> None:
    bulletin = send_to_team_one(org)
    agent = org.users["agent_li"]
    assert bulletin_acknowledge(user=agent, bulletin=bulletin, answers=[0]) == [1]
    receipt = BulletinReceipt.objects.get(bulletin=bulletin, user=agent)
    assert receipt.read_at is None
    assert bulletin_acknowledge(user=agent, bulletin=bulletin, answers=[1]) == []
    receipt.refresh_from_db()
    assert receipt.read_at is not None
    assert receipt.attempts == 2
    with pytest.raises(PermissionDenied):
        bulletin_acknowledge(user=org.users["agent_zhang"], bulletin=bulletin, answers=[1])


def test_the_agent_reads_and_answers_on_the_page(client_for: ClientFor, org: Org) -> None:
    bulletin = send_to_team_one(org)
    client = client_for(org.users["agent_li"])
    assert "必读" in client.get("/knowledge/").content.decode()
    page = client.get(f"/knowledge/bulletins/{bulletin.pk}/").content.decode()
    assert "新套餐月租多少？" in page
    assert 'name="viewport"' in page  # read on a phone as well
    wrong = client.post(f"/knowledge/bulletins/{bulletin.pk}/", {"q1": "2"}).content.decode()
    assert "有题目答错了" in wrong
    client.post(f"/knowledge/bulletins/{bulletin.pk}/", {"q1": "1"})
    assert "已于" in client.get(f"/knowledge/bulletins/{bulletin.pk}/").content.decode()
    stranger = client_for(org.users["agent_zhang"])
    assert stranger.get(f"/knowledge/bulletins/{bulletin.pk}/").status_code == 404


def test_the_leader_sees_who_has_not_read_and_reminds_only_them(
    client_for: ClientFor, org: Org
) -> None:
    bulletin = send_to_team_one(org)
    bulletin_acknowledge(user=org.users["leader_wang"], bulletin=bulletin, answers=[1])
    leader = client_for(org.users["leader_wang"])
    page = leader.get(f"/knowledge/bulletins/{bulletin.pk}/readers/").content.decode()
    assert "李娜" in page
    assert "2 人中 1 人未读" in page
    leader.post(f"/knowledge/bulletins/{bulletin.pk}/remind/")
    reminders = Notification.objects.filter(text__startswith="提醒")
    assert [n.user.username for n in reminders] == ["agent_li"]
    assert bulletin_remind(actor=org.users["ops_zhou"], bulletin=bulletin) == 1
    other = client_for(org.users["leader_liu"])
    assert other.get(f"/knowledge/bulletins/{bulletin.pk}/readers/").status_code == 403


def test_reading_rates_per_team(client_for: ClientFor, org: Org) -> None:
    bulletin = bulletin_publish(
        actor=org.users["ops_zhou"],
        title="春节值班安排",
        body="见附表。",
        deadline=timezone.now() + timedelta(days=1),
        teams=[org.teams["一班"], org.teams["二班"]],
    )
    bulletin_acknowledge(user=org.users["agent_li"], bulletin=bulletin)
    page = client_for(org.users["ops_zhou"]).get("/knowledge/bulletins/report/").content.decode()
    rows = {
        row.strip().removeprefix("<td>").split("</td>")[0]: row
        for row in page.split('id="reading-by-team"')[1].split("<tr>")[2:]
    }
    assert '<td class="num">50%</td>' in rows["一班"]  # 李娜 read, 王芳 not yet
    assert '<td class="num">0%</td>' in rows["二班"]  # 张伟 and 刘洋 not yet


def test_the_reports_lead_to_reading_rates_and_the_bot_report(
    client_for: ClientFor, org: Org
) -> None:
    page = client_for(org.users["ops_zhou"]).get("/reports/topics/").content.decode()
    assert 'href="/knowledge/bulletins/report/"' in page
    assert 'href="/knowledge/bot/report/"' in page
