"""The fixed-customer panel's pages as their users meet them: a manager sets a panel up from
two segments, recruits it, schedules its waves, records answers in two waves and sees how
the same customers moved; a team leader calls but does not set up; an agent is refused;
numbers are masked for a role that may not see them and hidden when not to be called."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import orjson
import pytest
import time_machine
from django.test import Client

from lingting.campaigns.models import (
    DoNotCallSource,
    Panel,
    PanelAnswer,
    PanelMember,
    PanelWave,
    Segment,
)
from lingting.campaigns.services.customers import do_not_call_add
from lingting.core.models import User
from lingting.core.services import api_token_create
from tests.web.campaigns.conftest import MakeCustomer

SHANGHAI = ZoneInfo("Asia/Shanghai")
SETTING_UP = datetime(2027, 1, 4, 9, tzinfo=SHANGHAI)
IN_FIRST_WAVE = datetime(2027, 1, 20, 10, tzinfo=SHANGHAI)
IN_SECOND_WAVE = datetime(2027, 4, 20, 10, tzinfo=SHANGHAI)
ASPECTS = "网络质量\n窗口服务\n增值业务\n消费提醒"


@pytest.fixture(autouse=True)
def sessions_outlast_the_year(settings: Any) -> None:
    """The clients sign in today and the tests travel through 2027's waves."""
    settings.SESSION_COOKIE_AGE = 5 * 365 * 24 * 3600


@pytest.fixture
def segments(make_customer: MakeCustomer) -> list[Segment]:
    """3G key customers G1–G6 and broadband key customers B1–B3."""
    for n in range(1, 7):
        make_customer(f"G{n}", name=f"3G客户{n}", phone=f"1860000000{n}", products=["3G"])
    for n in range(1, 4):
        make_customer(f"B{n}", name=f"宽带客户{n}", phone=f"1390000000{n}", products=["宽带"])
    return [
        Segment.objects.create(name="3G关键客户", rules="product has 3G"),
        Segment.objects.create(name="宽带关键客户", rules="product has 宽带"),
    ]


def set_up(client: Client, segments: list[Segment]) -> Panel:
    """The manager's first steps: the panel, its members, three quarterly waves."""
    with time_machine.travel(SETTING_UP, tick=False):
        created = client.post(
            "/campaigns/panels/new/",
            {
                "name": "3G与宽带关键客户跟踪",
                "description": "服务年各项措施的成效",
                "segments": [s.pk for s in segments],
                "size": "6",
                "aspects": ASPECTS,
            },
        )
        assert created.status_code == 302, created.content.decode()
        panel = Panel.objects.get()
        assert created["Location"] == f"/campaigns/panels/{panel.pk}/"
        assert client.post(f"/campaigns/panels/{panel.pk}/recruit/").status_code == 302
        scheduled = client.post(
            f"/campaigns/panels/{panel.pk}/waves/",
            {"first_opens_on": "2027-01-15", "count": "3", "open_days": "30"},
        )
        assert scheduled.status_code == 302
    return panel


def answer_form(satisfaction: int, perception: str = "", **extra: str) -> dict[str, str]:
    return {
        "outcome": "answered",
        "satisfaction": str(satisfaction),
        "aspect_0": str(satisfaction),  # 网络质量
        "perception": perception,
        "comment": "",
        **extra,
    }


@pytest.fixture
def manager(ops_zhou: User, client_for: Callable[[User], Client]) -> Client:
    return client_for(ops_zhou)


@pytest.fixture
def panel(manager: Client, segments: list[Segment]) -> Panel:
    return set_up(manager, segments)


def call_url(wave: PanelWave, member: PanelMember) -> str:
    return f"/campaigns/panels/waves/{wave.pk}/members/{member.pk}/"


def test_a_manager_follows_the_same_customers_over_two_waves(manager: Client, panel: Panel) -> None:
    assert list(panel.segments.values_list("name", flat=True)) == ["3G关键客户", "宽带关键客户"]
    assert panel.aspects == ["网络质量", "窗口服务", "增值业务", "消费提醒"]
    members = list(panel.members.order_by("id"))
    assert len(members) == 6
    first, second, third = panel.waves.order_by("opens_on")
    assert (first.name, second.name, third.name) == (
        "2027年第1季度",
        "2027年第2季度",
        "2027年第3季度",
    )

    with time_machine.travel(IN_FIRST_WAVE, tick=False):
        listed = manager.get(f"/campaigns/panels/waves/{first.pk}/")
        assert listed.status_code == 200
        assert call_url(first, members[0]) in listed.content.decode()
        for member, score in zip(members, [3, 4, 4, 2], strict=False):
            recorded = manager.post(call_url(first, member), answer_form(score))
            assert recorded.status_code == 302
            assert recorded["Location"] == f"/campaigns/panels/waves/{first.pk}/"
    with time_machine.travel(IN_SECOND_WAVE, tick=False):
        call_page = manager.get(call_url(second, members[0])).content.decode()
        assert "2027年第1季度：满意度 3" in call_page  # the member's earlier answer
        for member, score, perception in zip(
            members, [4, 4, 3, 4], ["improved", "same", "worse", "improved"], strict=False
        ):
            recorded = manager.post(call_url(second, member), answer_form(score, perception))
            assert recorded.status_code == 302

        page = manager.get(f"/campaigns/panels/{panel.pk}/").content.decode()

    assert PanelAnswer.objects.count() == 8
    assert "2027年第1季度 → 2027年第2季度" in page
    assert "3.25 → 3.75" in page  # the same four customers' mean satisfaction
    assert "2 / 1 / 1" in page  # rose, held, fell
    assert "50.0% 感觉服务有提升 ±35.0（4 位客户回答）" in page


def test_an_answer_is_corrected_on_the_same_form(manager: Client, panel: Panel) -> None:
    member = panel.members.order_by("id")[0]
    wave = panel.waves.order_by("opens_on")[0]

    with time_machine.travel(IN_FIRST_WAVE, tick=False):
        manager.post(call_url(wave, member), answer_form(2))
        form = manager.get(call_url(wave, member)).content.decode()
        manager.post(call_url(wave, member), answer_form(5))

    assert "修改回答" in form
    assert PanelAnswer.objects.get().satisfaction == 5


def test_a_bad_answer_is_shown_with_its_field_and_nothing_is_stored(
    manager: Client, panel: Panel
) -> None:
    member = panel.members.order_by("id")[0]
    wave = panel.waves.order_by("opens_on")[0]

    with time_machine.travel(IN_FIRST_WAVE, tick=False):
        no_score = manager.post(call_url(wave, member), {"outcome": "answered"})
        out_of_range = manager.post(call_url(wave, member), answer_form(7))
        scored_unreached = manager.post(
            call_url(wave, member), {"outcome": "unreachable", "satisfaction": "3"}
        )
    with time_machine.travel(SETTING_UP, tick=False):
        too_early = manager.post(call_url(wave, member), answer_form(4))

    assert no_score.status_code == 400
    assert "请填写总体满意度" in no_score.content.decode()
    assert out_of_range.status_code == 400
    assert scored_unreached.status_code == 400
    assert "客户未回答时不能填写评分" in scored_unreached.content.decode()
    assert too_early.status_code == 400
    assert "2027-01-15" in too_early.content.decode()
    assert not PanelAnswer.objects.exists()


def test_a_bad_panel_is_refused_line_by_line(manager: Client, segments: list[Segment]) -> None:
    refused = manager.post(
        "/campaigns/panels/new/",
        {
            "name": "重复方面",
            "segments": [segments[0].pk],
            "size": "0",
            "aspects": "网络质量\n网络质量",
        },
    )

    page = refused.content.decode()
    assert refused.status_code == 200
    assert "第 2 行：“网络质量”重复" in page
    assert "样本量至少为 1" in page
    assert not Panel.objects.exists()


def test_a_member_who_leaves_is_replaced_and_the_attrition_shown(
    manager: Client, panel: Panel
) -> None:
    leaver = panel.members.order_by("id")[0]

    with time_machine.travel(IN_FIRST_WAVE, tick=False):
        left = manager.post(f"/campaigns/panels/members/{leaver.pk}/leave/", {"reason": "declined"})
        page = manager.get(f"/campaigns/panels/{panel.pk}/").content.decode()

    assert left.status_code == 302
    assert panel.members.filter(left_on__isnull=True).count() == 6
    assert PanelMember.objects.get(replaces=leaver).joined_on.isoformat() == "2027-01-20"
    assert "不愿再参加 1" in page  # the first wave's leaver, by reason
    assert "14.3%" in page  # 1 of the 7 members the first wave's time had


def test_a_do_not_call_member_is_suppressed_on_the_list_and_leaves_with_that_reason(
    manager: Client, panel: Panel
) -> None:
    member = PanelMember.objects.select_related("customer__profile").filter(panel=panel)[0]
    phone = member.customer.profile.phone
    do_not_call_add(number=phone, source=DoNotCallSource.MANUAL, actor=None)
    wave = panel.waves.order_by("opens_on")[0]

    with time_machine.travel(IN_FIRST_WAVE, tick=False):
        listed = manager.get(f"/campaigns/panels/waves/{wave.pk}/").content.decode()
        call_page = manager.get(call_url(wave, member)).content.decode()
        refused = manager.post(call_url(wave, member), answer_form(5))
        left = manager.post(
            f"/campaigns/panels/members/{member.pk}/leave/",
            {"reason": "do_not_call", "wave": str(wave.pk)},
        )

    assert "免打扰" in listed
    assert phone[:3] + "****" + phone[-4:] not in listed  # not even masked: not to be called
    assert "该号码已登记免打扰，不得拨打" in call_page
    assert 'id="answer-form"' not in call_page
    assert refused.status_code == 400
    assert not PanelAnswer.objects.exists()
    assert left["Location"] == f"/campaigns/panels/waves/{wave.pk}/"
    assert PanelMember.objects.filter(replaces=member).exists()


def test_numbers_are_masked_for_a_role_that_may_not_see_them(
    panel: Panel, manager: Client, qa_zhao: User, client_for: Callable[[User], Client]
) -> None:
    member = PanelMember.objects.select_related("customer__profile").filter(panel=panel)[0]
    phone = member.customer.profile.phone
    masked = phone[:3] + "****" + phone[-4:]
    wave = panel.waves.order_by("opens_on")[0]
    supervisor = client_for(qa_zhao)

    with time_machine.travel(IN_FIRST_WAVE, tick=False):
        for client, shown, hidden in [(manager, masked, phone), (supervisor, phone, masked)]:
            for url in (
                f"/campaigns/panels/{panel.pk}/",
                f"/campaigns/panels/waves/{wave.pk}/",
                call_url(wave, member),
            ):
                page = client.get(url).content.decode()
                assert shown in page, url
                assert hidden not in page, url
        assert f"tel:{phone}" in supervisor.get(call_url(wave, member)).content.decode()


def test_a_team_leader_calls_the_panel_but_does_not_set_it_up(
    panel: Panel, leader_wang: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(leader_wang)
    member = panel.members.order_by("id")[0]
    wave = panel.waves.order_by("opens_on")[0]

    with time_machine.travel(IN_FIRST_WAVE, tick=False):
        assert client.get("/campaigns/panels/").status_code == 200
        assert client.get(f"/campaigns/panels/{panel.pk}/").status_code == 200
        assert client.post(call_url(wave, member), answer_form(4)).status_code == 302
        assert client.get("/campaigns/panels/new/").status_code == 403
        assert client.post(f"/campaigns/panels/{panel.pk}/recruit/").status_code == 403
        assert (
            client.post(f"/campaigns/panels/members/{member.pk}/leave/", {"reason": "other"})
        ).status_code == 403

    assert PanelAnswer.objects.get().asked_by == leader_wang
    assert member.__class__.objects.get(pk=member.pk).left_on is None


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/campaigns/panels/"),
        ("get", "/campaigns/panels/{panel}/"),
        ("get", "/campaigns/panels/new/"),
        ("get", "/campaigns/panels/waves/{wave}/"),
        ("get", "/campaigns/panels/waves/{wave}/members/{member}/"),
        ("post", "/campaigns/panels/waves/{wave}/members/{member}/"),
        ("post", "/campaigns/panels/{panel}/recruit/"),
        ("post", "/campaigns/panels/{panel}/waves/"),
        ("post", "/campaigns/panels/members/{member}/leave/"),
    ],
)
def test_an_agent_is_refused_every_panel_page(
    panel: Panel,
    agent_li: User,
    client_for: Callable[[User], Client],
    method: str,
    url: str,
) -> None:
    member = panel.members.order_by("id")[0]
    wave = panel.waves.order_by("opens_on")[0]
    address = url.format(panel=panel.pk, wave=wave.pk, member=member.pk)
    data: dict[str, Any] = answer_form(4) if method == "post" else {}

    with time_machine.travel(IN_FIRST_WAVE, tick=False):
        response = getattr(client_for(agent_li), method)(address, data)

    assert response.status_code == 403
    assert not PanelAnswer.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(panel: Panel, ops_zhou: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(ops_zhou)
    member = panel.members.order_by("id")[0]
    wave = panel.waves.order_by("opens_on")[0]

    with time_machine.travel(IN_FIRST_WAVE, tick=False):
        response = client.post(call_url(wave, member), answer_form(4))

    assert response.status_code == 403
    assert not PanelAnswer.objects.exists()


def test_the_navigation_leads_managers_to_the_panels(
    manager: Client, agent_li: User, client_for: Callable[[User], Client]
) -> None:
    assert 'id="nav-panels"' in manager.get("/campaigns/").content.decode()
    assert 'id="nav-panels"' not in client_for(agent_li).get("/").content.decode()


def test_the_api_gives_the_panels_movement_and_attrition(
    manager: Client, panel: Panel, ops_zhou: User, agent_li: User
) -> None:
    members = list(panel.members.order_by("id"))
    first, second, _third = panel.waves.order_by("opens_on")
    with time_machine.travel(IN_FIRST_WAVE, tick=False):
        manager.post(call_url(first, members[0]), answer_form(3))
        manager.post(f"/campaigns/panels/members/{members[1].pk}/leave/", {"reason": "cancelled"})
    with time_machine.travel(IN_SECOND_WAVE, tick=False):
        manager.post(call_url(second, members[0]), answer_form(4, "improved"))
    _token, key = api_token_create(user=ops_zhou, name="bi")
    _token, agents_key = api_token_create(user=agent_li, name="mine")

    with time_machine.travel(IN_SECOND_WAVE, tick=False):
        response = Client(HTTP_AUTHORIZATION=f"Bearer {key}").get(
            f"/api/campaigns/panels/{panel.pk}"
        )
        refused = Client(HTTP_AUTHORIZATION=f"Bearer {agents_key}").get(
            f"/api/campaigns/panels/{panel.pk}"
        )

    assert response.status_code == 200
    body = orjson.loads(response.content)
    assert (body["name"], body["size"], body["members"]) == ("3G与宽带关键客户跟踪", 6, 6)
    assert body["attrition"][0] == {
        "wave": "2027年第1季度",
        "opens_on": "2027-01-15",
        "at_start": 6,
        "joined": 1,
        "left": 1,
        "by_reason": {"cancelled": 1},
        "replaced": 1,
        "rate": pytest.approx(1 / 7),
    }
    move = body["movements"][0]
    assert (move["earlier"], move["later"], move["count"]) == ("2027年第1季度", "2027年第2季度", 1)
    assert (move["before"], move["after"], move["rose"]) == (3.0, 4.0, 1)
    assert move["improved"] == {
        "share": 1.0,
        "margin": pytest.approx(0.3969, abs=0.0005),
        "count": 1,
    }
    assert move["aspects"][0] == {"aspect": "网络质量", "before": 3.0, "after": 4.0, "count": 1}
    assert refused.status_code == 403


@pytest.mark.parametrize("hostile", ["9999-12-31", "0001-01-01", "abc", str(2**63)])
def test_hostile_values_are_refused_with_a_message_never_a_500(
    manager: Client, panel: Panel, hostile: str
) -> None:
    member = panel.members.order_by("id")[0]

    scheduled = manager.post(
        f"/campaigns/panels/{panel.pk}/waves/",
        {"first_opens_on": hostile, "count": hostile, "open_days": "30"},
        follow=True,
    )
    left = manager.post(
        f"/campaigns/panels/members/{member.pk}/leave/", {"reason": hostile, "wave": hostile}
    )

    assert scheduled.status_code == 200
    assert "第一次回访开始日期：" in scheduled.content.decode()  # the message names the field
    assert panel.waves.count() == 3
    assert left.status_code == 302
    assert PanelMember.objects.get(pk=member.pk).left_on is None
