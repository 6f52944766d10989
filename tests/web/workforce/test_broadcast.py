"""The hourly broadcast (seed 000 §1(2) 每小时CALL量及实时满意度): `lingting broadcast_hourly`
tells each team's members their calls in the hour, today's calls and today's satisfaction,
once per hour; the page shows today's calls and satisfaction per hour for the teams a user
sees."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from lingting.core.models import Notification, User
from lingting.interactions.models import Contact
from lingting.surveys.models import SurveyResponse
from lingting.workforce.models import HourlyBroadcast
from tests.conftest import SHANGHAI, ContactFactory, Org

ClientFor = Callable[[User], Client]


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 10, 1, hour, minute, tzinfo=SHANGHAI)


def survey(contact: Contact, score: int, when: datetime) -> None:
    SurveyResponse.objects.create(contact=contact, channel="sms", score=score, answered_at=when)


@pytest.fixture
def traffic(make_contact: ContactFactory) -> None:
    """一班 (A1001 agent_li, A1003): 2 calls 08:xx, 3 calls 09:xx; surveys 5, 4, 1 by 10:00.
    二班 (A1002 agent_zhang): 1 call 08:xx, none at 09:xx."""
    first = make_contact(agent="A1001", started_at=at(8, 10))
    make_contact(agent="A1003", started_at=at(8, 40))
    make_contact(agent="A1001", started_at=at(9, 5))
    second = make_contact(agent="A1003", started_at=at(9, 20))
    third = make_contact(agent="A1001", started_at=at(9, 59))
    make_contact(agent="A1002", queue="ACD-02", started_at=at(8, 30))
    survey(first, 5, at(8, 20))
    survey(second, 4, at(9, 30))
    survey(third, 1, at(10, 5))  # after the hour: not in the 09:00 broadcast


def test_each_member_of_a_busy_team_hears_the_hour_once(
    traffic: None, org: Org, agent_li: User, leader_wang: User, agent_zhang: User
) -> None:
    call_command("broadcast_hourly", "--hour", "2026-10-01T09")
    call_command("broadcast_hourly", "--hour", "2026-10-01T09")  # run twice: told once
    [broadcast] = HourlyBroadcast.objects.all()
    assert (broadcast.team.name, broadcast.calls_hour, broadcast.calls_today) == ("一班", 3, 5)
    for member in (agent_li, leader_wang):
        [note] = Notification.objects.filter(user=member)
        assert note.text == (
            "【话务播报】一班 10-01 09:00–10:00 接听 3 通，今日累计 5 通，"
            "今日满意度 100.0%（2 份评价）"
        )
        assert note.url == "/workforce/broadcast/?day=2026-10-01"
    # 二班 took no call from 09:00 to 10:00: nobody there is disturbed.
    leader_liu = org.users["leader_liu"]
    assert not Notification.objects.filter(user__in=[agent_zhang, leader_liu]).exists()


def test_a_team_without_answers_yet_is_told_so(
    make_contact: ContactFactory, agent_zhang: User
) -> None:
    make_contact(agent="A1002", started_at=at(8, 30))
    call_command("broadcast_hourly", "--hour", "2026-10-01T08")
    [note] = Notification.objects.filter(user=agent_zhang)
    assert note.text.endswith("接听 1 通，今日累计 1 通，今日暂无满意度评价")


def test_without_an_hour_it_broadcasts_the_hour_just_ended(
    make_contact: ContactFactory, agent_li: User
) -> None:
    last_hour = timezone.localtime() - timedelta(hours=1)
    make_contact(agent="A1001", started_at=last_hour.replace(minute=30))
    call_command("broadcast_hourly")
    assert HourlyBroadcast.objects.get().hour_start == last_hour.replace(
        minute=0, second=0, microsecond=0
    )
    assert Notification.objects.filter(user=agent_li).count() == 1


def test_a_malformed_hour_is_explained(db: None) -> None:
    with pytest.raises(CommandError, match="2026-10-01T09"):
        call_command("broadcast_hourly", "--hour", "9 o'clock")


def test_the_scheduler_runs_it_at_the_top_of_every_hour() -> None:
    assert ("broadcast", "hourly :00", ["broadcast_hourly"]) in settings.LINGTING_SCHEDULE


def test_agent_sees_own_teams_hours_and_satisfaction(
    traffic: None, agent_li: User, client_for: ClientFor
) -> None:
    html = client_for(agent_li).get("/workforce/broadcast/", {"day": "2026-10-01"}).content.decode()
    assert "话务播报" in html
    assert "一班" in html
    assert "二班" not in html
    assert "<svg" in html
    assert "<title>9:00 · 3</title>" in html
    assert "66.7%" in html  # today: 5, 4, 1 → two of three satisfied
    assert "workforce/refresh.js" in html  # the board refreshes itself
    assert 'style="' not in html


def test_managers_see_every_team_and_outsiders_no_page(
    traffic: None, ops_zhou: User, qa_sun: User, client_for: ClientFor
) -> None:
    html = client_for(ops_zhou).get("/workforce/broadcast/", {"day": "2026-10-01"}).content.decode()
    assert "一班" in html
    assert "二班" in html
    assert client_for(qa_sun).get("/workforce/broadcast/").status_code == 403


def test_today_refreshes_itself_from_the_board_fragment(
    make_contact: ContactFactory, agent_li: User, client_for: ClientFor
) -> None:
    make_contact(agent="A1001", started_at=timezone.localtime().replace(minute=0, second=1))
    client = client_for(agent_li)
    page = client.get("/workforce/broadcast/").content.decode()
    assert 'data-refresh="/workforce/broadcast/?partial=board"' in page
    fragment = client.get("/workforce/broadcast/", {"partial": "board"}).content.decode()
    assert "一班" in fragment
    assert "<html" not in fragment
    assert "每分钟自动刷新" in fragment


def test_an_empty_day_points_to_the_latest_day_with_calls(
    traffic: None, leader_wang: User, client_for: ClientFor
) -> None:
    html = client_for(leader_wang).get("/workforce/broadcast/", {"day": "2026-10-05"})
    assert "查看最近有话务的一天（2026-10-01）" in html.content.decode()
