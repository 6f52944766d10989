"""The 客户之声 page: this week's topics against the weeks before, who may read it and over
which contacts, and the drill-down to a topic's contacts in the contact list."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from lingting.core.models import User
from lingting.interactions.models import Contact, ContactTopic, Topic
from tests.conftest import SHANGHAI, ContactFactory
from tests.web.conftest import Api

ClientFor = Callable[[User], Client]
END = date(2026, 10, 28)  # "this week" is Oct 22–28
URL = reverse("reports:topics")


@pytest.fixture
def topics(make_contact: ContactFactory) -> dict[str, Topic]:
    """Refunds steady at 6 a week (agent 李娜, 一班); deliveries 2 a week, then 20 this week
    (agent 张伟, 二班)."""
    made = {
        "refund": Topic.objects.create(
            label="退款 · 订单 · 取消",
            keywords=["退款", "订单", "取消"],
            created_at=datetime(2026, 10, 1, tzinfo=SHANGHAI),
        ),
        "delivery": Topic.objects.create(
            label="快递 · 物流 · 送到",
            keywords=["快递", "物流", "送到"],
            created_at=datetime(2026, 10, 1, tzinfo=SHANGHAI),
        ),
    }
    for week in range(5):  # 4 weeks back … this week
        first_day = END - timedelta(days=7 * (4 - week) + 6)
        deliveries = 20 if week == 4 else 2
        for n in range(6):
            _in(made["refund"], make_contact, first_day + timedelta(days=n), "A1001")
        for n in range(deliveries):
            _in(made["delivery"], make_contact, first_day + timedelta(days=n % 7), "A1002")
    return made


def _in(topic: Topic, make_contact: ContactFactory, day: date, agent: str) -> Contact:
    contact = make_contact(
        started_at=datetime(day.year, day.month, day.day, 10, 0, tzinfo=SHANGHAI), agent=agent
    )
    ContactTopic.objects.create(contact=contact, topic=topic)
    return contact


def _row(html: str, topic: Topic) -> str:
    start = html.index(f'data-topic="{topic.pk}"')
    return html[start : html.index("</tr>", start)]


def test_qa_sees_this_weeks_topics_with_the_spike_flagged(
    client_for: ClientFor, qa_zhao: User, topics: dict[str, Topic]
) -> None:
    response = client_for(qa_zhao).get(URL, {"end": END.isoformat()})

    assert response.status_code == 200
    html = response.content.decode()
    delivery, refund = _row(html, topics["delivery"]), _row(html, topics["refund"])
    assert "快递 · 物流 · 送到" in delivery
    assert ">20<" in delivery
    assert "+900%" in delivery
    assert "激增" in delivery
    assert ">6<" in refund
    assert "激增" not in refund
    assert "上升" not in refund
    # The spike comes first.
    assert html.index(delivery) < html.index(refund)
    assert "2026-10-22" in html  # the week's first day


def test_the_week_defaults_to_the_latest_day_with_contacts(
    client_for: ClientFor, qa_zhao: User, topics: dict[str, Topic]
) -> None:
    response = client_for(qa_zhao).get(URL)

    assert response.context["page_data"].week_end == END


def test_agents_may_not_read_the_topics(
    client_for: ClientFor, agent_li: User, topics: dict[str, Topic]
) -> None:
    assert client_for(agent_li).get(URL).status_code == 403


def test_a_team_leader_counts_only_their_teams_contacts(
    client_for: ClientFor, leader_wang: User, topics: dict[str, Topic]
) -> None:
    page = client_for(leader_wang).get(URL, {"end": END.isoformat()}).context["page_data"]

    counts = {row.topic.pk: row.trend.this_week for row in page.rows}
    assert counts[topics["refund"].pk] == 6
    assert counts[topics["delivery"].pk] == 0  # 张伟 is in 二班


def test_a_date_that_is_not_one_is_told(
    client_for: ClientFor, qa_zhao: User, topics: dict[str, Topic]
) -> None:
    response = client_for(qa_zhao).get(URL, {"end": "2026-13-45"})

    assert response.status_code == 400
    assert "格式不对" in response.content.decode()


def test_no_topics_yet_says_how_they_come(client_for: ClientFor, qa_zhao: User) -> None:
    response = client_for(qa_zhao).get(URL)

    assert response.status_code == 200
    assert "topics_refresh" in response.content.decode()


def test_a_topic_drills_down_to_its_contacts(
    client_for: ClientFor, qa_zhao: User, topics: dict[str, Topic]
) -> None:
    html = client_for(qa_zhao).get(URL, {"end": END.isoformat()}).content.decode()
    link = reverse("interactions:contact_list") + f"?topic={topics['delivery'].pk}&amp;"
    assert link in html

    listed = client_for(qa_zhao).get(
        reverse("interactions:contact_list"),
        {"topic": topics["delivery"].pk, "date_from": "2026-10-22", "date_to": "2026-10-28"},
    )

    shown = {row.contact.pk for row in listed.context["contacts"].rows}
    expected = set(
        ContactTopic.objects.filter(
            topic=topics["delivery"], contact__started_at__date__gte=date(2026, 10, 22)
        ).values_list("contact_id", flat=True)
    )
    assert shown == expected
    assert len(shown) == 20


def test_an_agent_filtering_by_topic_still_sees_only_their_own_contacts(
    client_for: ClientFor, agent_li: User, topics: dict[str, Topic]
) -> None:
    listed = client_for(agent_li).get(
        reverse("interactions:contact_list"), {"topic": topics["delivery"].pk}
    )

    assert listed.status_code == 200
    assert not listed.context["contacts"].rows  # every delivery contact is 张伟's


def test_the_navigation_offers_the_page_to_qa_not_to_agents(
    client_for: ClientFor, qa_zhao: User, agent_li: User
) -> None:
    home = reverse("interactions:contact_list")
    assert URL in client_for(qa_zhao).get(home).content.decode()
    assert URL not in client_for(agent_li).get(home).content.decode()


def test_the_api_gives_the_weeks_topics_with_their_trend(
    topics: dict[str, Topic], qa_zhao: User, agent_li: User
) -> None:
    supervisor = Api(qa_zhao)
    body = supervisor.get("/reports/topics", end=END.isoformat()).json()

    assert (body["week_start"], body["week_end"]) == ("2026-10-22", "2026-10-28")
    first = body["topics"][0]
    assert first["id"] == topics["delivery"].pk
    assert (first["this_week"], first["spike"], first["weeks"][-5:]) == (20, True, [2, 2, 2, 2, 20])
    refund = next(t for t in body["topics"] if t["id"] == topics["refund"].pk)
    assert (refund["this_week"], refund["spike"], refund["rising"]) == (6, False, False)
    assert refund["keywords"] == ["退款", "订单", "取消"]
    assert Api(agent_li).get("/reports/topics").status_code == 403
    assert supervisor.get("/reports/topics", end="yesterday").status_code == 422
