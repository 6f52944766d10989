"""The contact list: what each role sees, the filters, paging, and its query count."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lingting.core.models import User
from lingting.quality.selectors.contacts import PAGE_SIZE

SHANGHAI = ZoneInfo("Asia/Shanghai")
LIST_URL = reverse("interactions:contact_list")

ClientFor = Callable[[User], Client]


def listed(client: Client, **params: Any) -> str:
    response = client.get(LIST_URL, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def scored_day(make_contact: Any) -> dict[str, Any]:
    """Five contacts across agents, queues, scores and days."""
    item = make_contact.forbidden_phrase_item(0, 0, 2, "您好")
    return {
        "li_low": make_contact("C-LI-LOW", agent="A1001", score=55, items=[item], fatal=True),
        "li_high": make_contact("C-LI-HIGH", agent="A1001", queue="ACD-02", score=95),
        "chen_mid": make_contact("C-CHEN-MID", agent="A1003", score=72),
        "zhang_good": make_contact(
            "C-ZHANG-GOOD",
            agent="A1002",
            score=85,
            started_at=datetime(2026, 10, 2, 23, 30, tzinfo=SHANGHAI),
        ),
        "zhang_unscored": make_contact("C-ZHANG-NEW", agent="A1002"),
    }


def test_agent_list_shows_only_own_contacts(
    client_for: ClientFor, agent_li: User, scored_day: dict[str, Any]
) -> None:
    page = listed(client_for(agent_li))

    assert "C-LI-LOW" in page
    assert "C-LI-HIGH" in page
    assert "C-CHEN-MID" not in page
    assert "C-ZHANG-GOOD" not in page
    assert "C-ZHANG-NEW" not in page


def test_team_leader_sees_team_contacts_only(
    client_for: ClientFor, leader_wang: User, scored_day: dict[str, Any]
) -> None:
    page = listed(client_for(leader_wang))

    assert all(code in page for code in ("C-LI-LOW", "C-LI-HIGH", "C-CHEN-MID"))
    assert "C-ZHANG-GOOD" not in page
    assert "C-ZHANG-NEW" not in page


@pytest.mark.parametrize("role_user", ["qa_zhao", "ops_zhou"])
def test_quality_and_operations_roles_see_every_contact(
    client_for: ClientFor, org: Any, role_user: str, scored_day: dict[str, Any]
) -> None:
    page = listed(client_for(org.users[role_user]))

    assert all(contact.external_id in page for contact in scored_day.values())


def test_outsider_sees_the_empty_state(
    client_for: ClientFor, outsider: User, scored_day: dict[str, Any]
) -> None:
    page = listed(client_for(outsider))

    assert "还没有联络记录。运行 lingting import 文件 导入。" in page
    assert "C-LI-LOW" not in page


def test_empty_filter_result_says_so_and_offers_to_clear(
    client_for: ClientFor, qa_zhao: User, scored_day: dict[str, Any]
) -> None:
    page = listed(client_for(qa_zhao), failed_item="dead_air")

    assert "没有符合筛选条件的联络记录。" in page


def test_filter_by_failed_item(
    client_for: ClientFor, qa_zhao: User, scored_day: dict[str, Any]
) -> None:
    page = listed(client_for(qa_zhao), failed_item="forbidden_phrases")

    assert "C-LI-LOW" in page
    assert "C-LI-HIGH" not in page
    assert "C-ZHANG-GOOD" not in page


@pytest.mark.parametrize(
    ("band", "expected"),
    [
        ("lt60", {"C-LI-LOW"}),
        ("60-80", {"C-CHEN-MID"}),
        ("80-90", {"C-ZHANG-GOOD"}),
        ("gte90", {"C-LI-HIGH"}),
    ],
)
def test_filter_by_score_band(
    client_for: ClientFor,
    qa_zhao: User,
    scored_day: dict[str, Any],
    band: str,
    expected: set[str],
) -> None:
    page = listed(client_for(qa_zhao), score_band=band)

    shown = {c.external_id for c in scored_day.values() if c.external_id in page}
    assert shown == expected


def test_filter_fatal_only(
    client_for: ClientFor, qa_zhao: User, scored_day: dict[str, Any]
) -> None:
    page = listed(client_for(qa_zhao), fatal_only="on")

    assert "C-LI-LOW" in page
    assert "C-LI-HIGH" not in page


def test_filter_unscored(client_for: ClientFor, qa_zhao: User, scored_day: dict[str, Any]) -> None:
    page = listed(client_for(qa_zhao), unscored="on")

    assert "C-ZHANG-NEW" in page
    assert "C-LI-LOW" not in page
    assert "C-ZHANG-GOOD" not in page


def test_filter_by_queue_team_and_agent(
    client_for: ClientFor, org: Any, qa_zhao: User, scored_day: dict[str, Any]
) -> None:
    client = client_for(qa_zhao)

    by_queue = listed(client, queue=org.queues["ACD-02"].pk)
    by_team = listed(client, team=org.teams["二班"].pk)
    by_agent = listed(client, agent=org.agents["A1003"].pk)

    assert "C-LI-HIGH" in by_queue
    assert "C-LI-LOW" not in by_queue
    assert "C-ZHANG-GOOD" in by_team
    assert "C-ZHANG-NEW" in by_team
    assert "C-LI-LOW" not in by_team
    assert "C-CHEN-MID" in by_agent
    assert "C-LI-LOW" not in by_agent


def test_filter_by_local_date_range(
    client_for: ClientFor, qa_zhao: User, scored_day: dict[str, Any]
) -> None:
    # 23:30 in Shanghai on 2 October is still 2 October, though it is 15:30 UTC.
    page = listed(client_for(qa_zhao), date_from="2026-10-02", date_to="2026-10-02")

    assert "C-ZHANG-GOOD" in page
    assert "C-LI-LOW" not in page


def test_agent_cannot_filter_into_another_agents_contacts(
    client_for: ClientFor, org: Any, agent_li: User, scored_day: dict[str, Any]
) -> None:
    page = listed(client_for(agent_li), agent=org.agents["A1002"].pk)

    assert "C-ZHANG-GOOD" not in page


def test_bad_filter_input_is_reported_not_fatal(
    client_for: ClientFor, qa_zhao: User, scored_day: dict[str, Any]
) -> None:
    page = listed(client_for(qa_zhao), date_from="not-a-date", score_band="lt60")

    assert "alert-error" in page
    assert "C-LI-LOW" in page
    assert "C-LI-HIGH" not in page


def test_rows_show_score_band_failed_count_and_fatal_flag(
    client_for: ClientFor, qa_zhao: User, scored_day: dict[str, Any]
) -> None:
    response = client_for(qa_zhao).get(LIST_URL, {"fatal_only": "on"})
    row = response.context["contacts"].rows[0]

    assert row.contact.external_id == "C-LI-LOW"
    assert (row.band, row.failed_count, row.duration) == ("lt60", 1, "5:29")
    page = response.content.decode()
    assert 'class="score score-lt60"' in page
    assert "badge-fatal" in page


def test_filter_change_refreshes_only_the_results(
    client_for: ClientFor, qa_zhao: User, scored_day: dict[str, Any]
) -> None:
    response = client_for(qa_zhao).get(
        LIST_URL, {"score_band": "gte90"}, headers={"X-Lingting-Fragment": "results"}
    )
    page = response.content.decode()

    assert page.lstrip().startswith('<section id="results"')
    assert "C-LI-HIGH" in page
    assert "<html" not in page
    assert "contact-filters" not in page


def test_list_pages_fifty_at_a_time(
    client_for: ClientFor, qa_zhao: User, make_contact: Any
) -> None:
    for _ in range(PAGE_SIZE + 3):
        make_contact()
    client = client_for(qa_zhao)

    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"page": 2})

    assert len(first.context["contacts"].rows) == PAGE_SIZE
    assert len(second.context["contacts"].rows) == 3
    assert first.context["contacts"].total == PAGE_SIZE + 3
    assert 'rel="next"' in first.content.decode()


def _queries_for_list(client: Client, **params: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL, params)
    assert response.status_code == 200
    return len(queries)


def test_contact_list_query_count_is_constant(
    client_for: ClientFor,
    qa_zhao: User,
    make_contact: Any,
    django_assert_max_num_queries: Any,
) -> None:
    item = make_contact.forbidden_phrase_item(0, 0, 2, "您好")
    client = client_for(qa_zhao)

    def add(n: int) -> None:
        for k in range(n):
            agent = ("A1001", "A1002", "A1003")[k % 3]
            make_contact(agent=agent, score=50 + k, items=[item], fatal=k % 7 == 0)

    add(2)
    few = _queries_for_list(client)
    add(40)
    many = _queries_for_list(client)

    assert few == many
    # session + user, the count, the page, the filter form's queue/team/agent/topic choices,
    # and the top bar's unread notifications and unread must-reads
    with django_assert_max_num_queries(10):
        response = client.get(LIST_URL)
    assert len(response.context["contacts"].rows) == 42
    with django_assert_max_num_queries(10):
        client.get(LIST_URL, {"failed_item": "forbidden_phrases", "score_band": "60-80"})
