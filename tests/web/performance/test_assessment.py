"""The monthly assessment (月度考核), its weights, the best/worst agent of the month (±5,
seed 003) and the weekly ranking board (每周排行榜)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lingting.core.models import Agent, AuditEvent, Team, User
from lingting.performance.models import MonthlyAssessment, MonthlyAward
from lingting.performance.services import assessment_compute
from lingting.performance.tallies import tallies_drain
from tests.conftest import SHANGHAI, Org, review

ClientFor = Callable[[User], Client]
pytestmark = pytest.mark.django_db
OCTOBER = date(2026, 10, 1)


@pytest.fixture
def october(make_contact: Any, qa_sun: User) -> None:
    """A1001 (一班) reviewed 95, 93, 91; A1003 (一班) 85 ×3; A1002 (二班) 60 ×3 with
    patience failed; outsider's A1999 answered calls but has no QA at all."""
    day = datetime(2026, 10, 5, 9, 0, tzinfo=SHANGHAI)
    plan = {"A1001": [95, 93, 91], "A1003": [85, 85, 85], "A1002": [60, 60, 60]}
    for agent, scores in plan.items():
        for n, score in enumerate(scores):
            contact = make_contact(
                agent=agent, started_at=day + timedelta(hours=n), score=80, disposition="answered"
            )
            review(contact, qa_sun, score, attitude_lost=2 if agent == "A1002" else 0)
    make_contact(agent="A1999", started_at=day, disposition="answered")


def test_the_assessment_ranks_quality_first_and_each_role_sees_its_rows(
    october: None, client_for: ClientFor, ops_zhou: User, agent_li: User, leader_wang: User
) -> None:
    assert assessment_compute(actor=ops_zhou, month=OCTOBER) == 4

    rows = {row.agent.code: row for row in MonthlyAssessment.objects.filter(month=OCTOBER)}
    assert rows["A1001"].rank == 1
    assert rows["A1002"].rank == 3
    assert rows["A1002"].components["attitude"] == 0.0  # patience failed every time
    assert rows["A1999"].rank is None  # calls alone make no assessment
    assert AuditEvent.objects.filter(action="assessment.compute", object_id="2026-10").exists()

    url = f"{reverse('performance:assessment')}?month=2026-10"
    everyone = client_for(ops_zhou).get(url).content.decode()
    own = client_for(agent_li).get(url).content.decode()
    team = client_for(leader_wang).get(url).content.decode()
    assert all(name in everyone for name in ("李娜", "陈晨", "张伟"))
    assert "李娜" in own
    assert "陈晨" not in own
    assert "张伟" not in own
    assert "陈晨" in team
    assert "张伟" not in team


def test_only_the_operations_manager_computes_and_sets_weights(
    october: None, client_for: ClientFor, ops_zhou: User, qa_zhao: User, agent_li: User
) -> None:
    compute = reverse("performance:assessment_compute")
    weights = reverse("performance:assessment_weights")
    assert client_for(agent_li).post(compute, {"month": "2026-10"}).status_code == 403
    assert client_for(qa_zhao).get(weights).status_code == 403

    form = {
        "qa_score": 50,
        "attitude": 0,
        "proficiency": 0,
        "explanation": 0,
        "speech": 0,
        "volume": 50,
        "min_reviewed": 3,
    }
    none = client_for(ops_zhou).post(weights, {**form, "qa_score": 0})
    saved = client_for(ops_zhou).post(weights, form)

    assert "至少一项质量指标的权重大于 0" in none.content.decode()
    assert saved.status_code == 302
    event = AuditEvent.objects.get(action="assessment.weights")
    assert event.before is None
    assert event.after is not None
    assert (event.after["qa_score"], event.after["volume"]) == (50, 50)
    assert client_for(ops_zhou).post(compute, {"month": "2026-10"}).status_code == 302
    row = MonthlyAssessment.objects.get(month=OCTOBER, agent__code="A1002")
    assert row.total == pytest.approx((50 * 60 + 50 * 100) / 100)


def test_best_and_worst_are_proposed_confirmed_by_a_manager_and_move_five_points(
    october: None, client_for: ClientFor, ops_zhou: User, agent_li: User, org: Any
) -> None:
    assessment_compute(actor=ops_zhou, month=OCTOBER)
    url = f"{reverse('performance:assessment')}?month=2026-10"
    page = client_for(ops_zhou).get(url).content.decode()
    assert "建议最佳坐席：李娜" in page
    assert "建议最差坐席：张伟" in page
    assert "建议最佳坐席" not in client_for(agent_li).get(url).content.decode()

    confirm = reverse("performance:award_confirm")
    best = {"month": "2026-10", "kind": "best", "agent": org.agents["A1001"].pk}
    assert client_for(agent_li).post(confirm, best).status_code == 403
    stale = {"month": "2026-10", "kind": "worst", "agent": org.agents["A1003"].pk}
    client_for(ops_zhou).post(confirm, stale)
    client_for(ops_zhou).post(confirm, best)
    client_for(ops_zhou).post(confirm, {**stale, "agent": org.agents["A1002"].pk})

    assert set(MonthlyAward.objects.values_list("kind", "agent__code", "points")) == {
        ("best", "A1001", 5.0),
        ("worst", "A1002", -5.0),
    }
    rows = {row.agent.code: row for row in MonthlyAssessment.objects.filter(month=OCTOBER)}
    assert rows["A1001"].points == 5
    assert rows["A1001"].final == pytest.approx((rows["A1001"].total or 0) + 5)
    assert rows["A1002"].final == pytest.approx((rows["A1002"].total or 0) - 5)
    assert AuditEvent.objects.filter(action="assessment.award_best").count() == 1
    shown = client_for(agent_li).get(url).content.decode()
    assert "+5" in shown
    assert 'class="award-best"' in shown


def test_the_weekly_board_is_public_ranked_by_weighted_qa_and_marks_top_and_bottom(
    october: None, client_for: ClientFor, agent_li: User, planner_qian: User
) -> None:
    page = client_for(agent_li).get(reverse("performance:ranking"), {"week": "2026-W41"})
    html = page.content.decode()

    board = html.split('id="ranking-table"')[1]
    assert board.index("李娜") < board.index("陈晨") < board.index("张伟")
    assert "吴新" not in board  # no QA, no place
    assert 'class="rank-top"' in board
    assert 'class="rank-bottom"' in board
    assert "C20261001" not in html  # names and ranks, never contacts
    assert client_for(planner_qian).get(reverse("performance:ranking")).status_code == 200


def test_the_board_asks_the_same_number_of_queries_however_many_agents_it_ranks(
    october: None,
    org: Org,
    make_contact: Any,
    qa_sun: User,
    client_for: ClientFor,
    agent_li: User,
) -> None:
    client = client_for(agent_li)
    week = {"week": "2026-W41"}
    tallies_drain()  # the page's own queries, not counting the new contacts (the worker's)
    with CaptureQueriesContext(connection) as three_agents:
        client.get(reverse("performance:ranking"), week)
    day = datetime(2026, 10, 6, 9, 0, tzinfo=SHANGHAI)
    for n in range(4):  # four more agents, each in a team of its own
        team = Team.objects.create(code=f"T1{n}", name=f"新{n}班")
        code = f"A20{n}"
        org.agents[code] = Agent.objects.create(code=code, name=f"新人{n}", team=team)
        review(make_contact(agent=code, started_at=day, score=80), qa_sun, 88)

    tallies_drain()
    with CaptureQueriesContext(connection) as seven_agents:
        board = client.get(reverse("performance:ranking"), week).content.decode()

    assert "新3班" in board.split('id="ranking-table"')[1]
    assert len(seven_agents) == len(three_agents)


def test_the_board_opens_on_the_latest_week_with_scores(
    october: None, client_for: ClientFor, agent_li: User
) -> None:
    html = client_for(agent_li).get(reverse("performance:ranking")).content.decode()

    assert "2026-W40" in html  # the October contacts' week, not this week's empty board
    assert "李娜" in html.split('id="ranking-table"')[1]


def test_the_demo_step_sets_targets_weights_assessments_and_awards(
    october: None, ops_zhou: User
) -> None:
    from lingting.demo.performance import demo_performance
    from lingting.performance.models import KpiTarget

    summary = demo_performance(users={"manager_chen": ops_zhou}, months=[OCTOBER])

    assert "4 agent-month assessment(s)" in summary
    assert "2 best/worst award(s)" in summary
    assert KpiTarget.objects.exclude(team=None).count() == 2
    assert MonthlyAssessment.objects.get(month=OCTOBER, agent__code="A1001").points == 5


def test_the_monthly_assessment_runs_for_last_month_or_a_named_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("assessment_run", "--month", "2026-10")

    assert "assessment 2026-10: 0 agents assessed" in capsys.readouterr().out
    with pytest.raises(CommandError, match="YYYY-MM, not '10/2026'"):
        call_command("assessment_run", "--month", "10/2026")
