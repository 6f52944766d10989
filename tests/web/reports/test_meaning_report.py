"""The quality report's figures on what customers meant, per ACD group and per agent:
share ending angry (and angry or dissatisfied), unresolved rate, mean predicted
satisfaction — each beside its count, a rate over nothing shown as —."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse

from lingting.core.models import User
from lingting.documents.periods import PeriodKind, parse_period
from lingting.interactions.models import Contact
from lingting.reports.selectors.meaning import meaning_report
from tests.conftest import SHANGHAI, ContactFactory
from tests.web.conftest import store_meaning

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]
OCTOBER = parse_period(PeriodKind.MONTH, "2026-10")


@pytest.fixture
def october(make_contact: ContactFactory) -> None:
    """October: ACD-01 — 李娜 angry/unresolved, 李娜 dissatisfied/unclear, 陈晨 pleased/
    resolved; ACD-02 — 张伟 calm/unclear, 张伟 without a customer turn, 张伟 not read yet.
    September: 李娜 angry (another month)."""

    def contact(
        agent: str,
        queue: str,
        end: str,
        resolved: bool | None,
        satisfaction: float | None,
        *,
        month: int = 10,
    ) -> Contact:
        made = make_contact(
            agent=agent, queue=queue, started_at=datetime(2026, month, 5, 10, tzinfo=SHANGHAI)
        )
        return store_meaning(made, end, resolved, satisfaction)

    contact("A1001", "ACD-01", "angry", False, 0.1)
    contact("A1001", "ACD-01", "dissatisfied", None, 0.3)
    contact("A1003", "ACD-01", "pleased", True, 0.9)
    contact("A1002", "ACD-02", "calm", None, 0.7)
    contact("A1002", "ACD-02", "", None, None)  # the customer never spoke
    make_contact(agent="A1002", queue="ACD-02", started_at=datetime(2026, 10, 6, tzinfo=SHANGHAI))
    contact("A1001", "ACD-01", "angry", False, 0.0, month=9)


def test_overall_shares_rates_and_mean_satisfaction(october: None, qa_zhao: User) -> None:
    overall = meaning_report(user=qa_zhao, period=OCTOBER).overall

    assert (overall.with_customer, overall.ended_angry, overall.ended_upset) == (4, 1, 2)
    assert overall.ended_angry_share == pytest.approx(0.25)
    assert overall.ended_upset_share == pytest.approx(0.5)
    assert (overall.verdicts, overall.unresolved) == (2, 1)
    assert overall.unresolved_rate == pytest.approx(0.5)
    assert overall.mean_satisfaction == pytest.approx(0.5)


def test_per_queue_and_per_agent_with_their_denominators(october: None, qa_zhao: User) -> None:
    report = meaning_report(user=qa_zhao, period=OCTOBER)

    queues = {g.code: g.totals for g in report.queues}
    assert (queues["ACD-01"].with_customer, queues["ACD-01"].verdicts) == (3, 2)
    assert queues["ACD-01"].unresolved_rate == pytest.approx(0.5)
    assert queues["ACD-01"].mean_satisfaction == pytest.approx(1.3 / 3)
    assert queues["ACD-02"].ended_angry_share == 0.0
    assert queues["ACD-02"].verdicts == 0
    assert queues["ACD-02"].unresolved_rate is None  # nothing to divide by: not 0
    agents = [(g.code, g.totals.ended_upset, g.totals.with_customer) for g in report.agents]
    assert agents == [("A1001", 2, 2), ("A1002", 0, 1), ("A1003", 0, 1)]


def test_a_team_leader_sees_their_own_teams_agents_only(october: None, leader_wang: User) -> None:
    report = meaning_report(user=leader_wang, period=OCTOBER)

    assert {g.code for g in report.agents} == {"A1001", "A1003"}
    assert report.overall.with_customer == 3


def test_the_monthly_report_page_shows_the_section_with_dashes_for_empty_rates(
    client_for: ClientFor, october: None, ops_zhou: User
) -> None:
    response = client_for(ops_zhou).get(
        f"{reverse('reports:report', args=['monthly'])}?period=2026-10"
    )
    page = response.content.decode()

    assert response.status_code == 200
    assert "八、客户情绪与问题解决（自动判断）" in page
    section = page[page.index("八、客户情绪与问题解决") :]
    row = re.search(r"<tr>\s*<td[^>]*>故障报修</td>(.*?)</tr>", section, re.S)
    assert row, "the ACD-02 row is on the page"
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row.group(1))
    # contacts, angry, share, upset, share, verdicts, unresolved, rate, satisfaction
    assert cells == ["1", "0", "0.0%", "0", "0.0%", "0", "0", "—", "70.0%"]
