"""The effect page: coached agents against comparable agents, with an interval and groups."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lingting.coaching.models import ImprovementPlan
from lingting.core.models import Agent, User
from lingting.engine.streaks import add_months, first_of_month
from tests.conftest import SHANGHAI, ContactFactory, Org

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]
EFFECT = reverse("coaching:effect")
# Plans opened three months ago, so three whole months on each side are in the past.
START = add_months(first_of_month(timezone.localdate()), -3)
PRE = [add_months(START, k) for k in (-3, -2, -1)]
POST = [add_months(START, k) for k in (0, 1, 2)]


def _agent(org: Org, code: str) -> Agent:
    agent = Agent.objects.create(code=code, name=code, team=org.teams["一班"])
    org.agents[code] = agent
    return agent


def _scores(make_contact: ContactFactory, code: str, pre: float, post: float) -> None:
    for month in PRE + POST:
        make_contact(
            agent=code,
            started_at=datetime.combine(month.replace(day=5), time(10), tzinfo=SHANGHAI),
            score=pre if month < START else post,
            disposition="answered",
        )


def _panel(
    org: Org, make_contact: ContactFactory, ops_zhou: User, *, treated: int, gain: float
) -> None:
    """`treated` coached agents (QA score 58–64 before, + `gain` after) and five agents
    never coached (57–65 before, +1 after: what happened to everyone)."""
    for k in range(treated):
        code = f"T{k}"
        _agent(org, code)
        level = 58.0 + 2 * (k % 4)
        _scores(make_contact, code, level, level + gain + (k % 3) * 0.5)
        ImprovementPlan.objects.create(
            agent=org.agents[code],
            figure="qa_score",
            detected_months=[m.strftime("%Y-%m") for m in PRE],
            baseline=[level] * 3,
            target_green=80,
            opened_on=START,
            opened_by=ops_zhou,
        )
    for k in range(5):
        code = f"C{k}"
        _agent(org, code)
        level = 57.0 + 2 * k
        _scores(make_contact, code, level, level + 1 + (k % 2) * 0.5)


def test_the_effect_page_shows_the_difference_with_its_interval_and_groups(
    client_for: ClientFor, ops_zhou: User, org: Org, make_contact: ContactFactory
) -> None:
    _panel(org, make_contact, ops_zhou, treated=4, gain=10)

    page = client_for(ops_zhou).get(EFFECT).content.decode()

    assert "95% 置信区间" in page
    assert 'id="treated-count">4<' in page
    # The four uncoached agents closest to the coached agents' level before (about 61):
    # C1, C2, C3 and one of C0/C4.
    assert 'id="control-count">4<' in page
    assert "参加计划的坐席比可比坐席改善更多" in page
    estimate = page.split('id="effect-estimate">', 1)[1].split("<", 1)[0]
    assert 8 < float(estimate) < 11
    assert "平行趋势检验" in page
    assert "整群自助抽样" in page
    assert "<svg" in page


def test_comparing_with_every_uncoached_agent_counts_them_all(
    client_for: ClientFor, ops_zhou: User, org: Org, make_contact: ContactFactory
) -> None:
    _panel(org, make_contact, ops_zhou, treated=4, gain=10)

    page = client_for(ops_zhou).get(
        EFFECT, {"cohort": f"qa_score:{START:%Y-%m}", "comparison": "all"}
    )

    assert 'id="control-count">5<' in page.content.decode()


def test_no_change_beyond_everyones_says_there_is_no_evidence(
    client_for: ClientFor, ops_zhou: User, org: Org, make_contact: ContactFactory
) -> None:
    _panel(org, make_contact, ops_zhou, treated=4, gain=1)

    page = client_for(ops_zhou).get(EFFECT).content.decode()

    assert "没有证据表明计划有效果" in page


def test_too_few_coached_agents_says_so(
    client_for: ClientFor, ops_zhou: User, org: Org, make_contact: ContactFactory
) -> None:
    _panel(org, make_contact, ops_zhou, treated=2, gain=10)

    page = client_for(ops_zhou).get(EFFECT).content.decode()

    assert "坐席太少" in page
    assert 'id="effect-estimate"' not in page


def test_without_plans_the_page_says_there_is_nothing_to_measure(
    client_for: ClientFor, ops_zhou: User
) -> None:
    assert "还没有提升计划" in client_for(ops_zhou).get(EFFECT).content.decode()


@pytest.mark.parametrize("username", ["agent_li", "leader_wang", "qa_sun", "planner_qian"])
def test_the_effect_page_is_for_trainers_operations_and_qa_supervisors(
    client_for: ClientFor, org: Org, username: str
) -> None:
    assert client_for(org.users[username]).get(EFFECT).status_code == 403


def test_start_month_is_in_the_past() -> None:
    assert POST[-1] < first_of_month(timezone.localdate())
    assert isinstance(START, date)
