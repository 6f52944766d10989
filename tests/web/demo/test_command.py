"""`lingting demo`: an organisation, one login per role, and every transcript scored."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.test import RequestFactory

from lingting.core.models import Agent, Role, Team, User
from lingting.demo.management.commands.demo import ACCOUNTS, FIRST_AGENT
from lingting.interactions.models import Contact, ContactTopic, Queue, Topic
from lingting.knowledge.models import Article, ArticleVersion
from lingting.quality.models import (
    AssignmentStatus,
    CalibrationSession,
    Case,
    ContactScore,
    Dispute,
    Evaluation,
    ReviewAssignment,
    SamplingPlan,
    ScorecardVersion,
)

pytestmark = pytest.mark.django_db

# The 24-hour line's weeks of calls are left out: tests/web/demo/test_planning.py has them.
SMALL = (
    *("--months", "1", "--days", "1", "--calls-per-agent-day", "2", "--no-jddc"),
    *("--line-weeks", "0"),
)


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "teams": Team.objects.count(),
        "agents": Agent.objects.count(),
        "queues": Queue.objects.count(),
        "contacts": Contact.objects.count(),
        "scores": ContactScore.objects.count(),
        "versions": ScorecardVersion.objects.count(),
        "assignments": ReviewAssignment.objects.count(),
        "evaluations": Evaluation.objects.count(),
        "articles": Article.objects.filter(live__isnull=False).count(),
        "article versions": ArticleVersion.objects.count(),
    }


def test_the_demo_scores_every_transcript_and_running_it_again_changes_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("demo", *SMALL)
    first = counts()
    call_command("demo", *SMALL)

    assert counts() == first
    assert first["contacts"] > 0
    assert first["articles"] >= 300  # the knowledge vault, published
    transcripts = Contact.objects.filter(turn_count__gt=0)
    assert transcripts.exists()
    assert not transcripts.filter(current_score=None).exists()
    assert ScorecardVersion.objects.get(is_active=True).scorecard.name == "standard"
    out = capsys.readouterr().out
    assert "JDDC" not in out
    assert "/login/" in out
    # 客户之声: the demo's calls are filed under topics named by their words.
    assert Topic.objects.exclude(label="").exists()
    assert ContactTopic.objects.count() > transcripts.count() // 2


def test_every_printed_demo_login_works_and_passes_the_password_validators(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("demo", *SMALL)
    out = capsys.readouterr().out

    assert {account.role for account in ACCOUNTS} == set(Role)
    for account in ACCOUNTS:
        assert f"{account.username}" in out
        assert account.password in out
        validate_password(account.password)
        # a sign-in always comes with its request: axes throttles by its address
        sign_in = RequestFactory().post("/login/")
        user = authenticate(sign_in, username=account.username, password=account.password)
        assert user is not None
        assert user.role == account.role


def test_agent_li_is_agent_a1001_and_leader_wang_leads_that_agents_team() -> None:
    call_command("demo", *SMALL)

    agent = Agent.objects.select_related("user", "team__leader").get(code=FIRST_AGENT)
    assert agent.name
    assert agent.user is not None
    assert agent.user.username == "agent_li"
    assert agent.user.display_name == agent.name
    assert agent.team is not None
    assert agent.team.leader is not None
    assert agent.team.leader.username == "leader_wang"
    assert Queue.objects.exclude(name="").count() == Queue.objects.count()


def test_the_demo_month_has_plans_draws_reviews_and_shared_cases() -> None:
    call_command(
        "demo",
        *("--months", "1", "--days", "4", "--calls-per-agent-day", "2", "--no-jddc"),
        *("--line-weeks", "0"),
    )

    assert SamplingPlan.objects.filter(schedule="daily").get().draws.count() == 4
    pending = ReviewAssignment.objects.filter(status=AssignmentStatus.PENDING)
    assert pending.exists()  # the last days wait in the reviewers' queues
    assert (
        Evaluation.objects.count()
        == ReviewAssignment.objects.filter(status=AssignmentStatus.SUBMITTED).count()
        > 0
    )
    assert Evaluation.objects.filter(items__overturned=True).exists()
    assert Case.objects.filter(shared=True).count() == 2
    disputes = Dispute.objects.count()
    assert disputes  # agent_li disputed some deductions…
    assert Dispute.objects.exclude(status="open").count() == min(disputes, 2)  # …two decided
    session = CalibrationSession.objects.get()
    assert session.assignments.filter(status=AssignmentStatus.SUBMITTED).count() == (
        session.assignments.count()
    )


def test_the_demo_reaches_back_months_with_a_quieter_history() -> None:
    call_command(
        "demo",
        *("--months", "3", "--days", "3", "--calls-per-agent-day", "6"),
        *("--history-calls-per-agent-day", "1", "--no-jddc", "--line-weeks", "0"),
    )

    months = sorted({c.started_at.strftime("%Y-%m") for c in Contact.objects.all()})
    assert len(months) == 3
    last = Contact.objects.filter(started_at__month=int(months[-1][5:])).count()
    earlier = Contact.objects.filter(started_at__month=int(months[0][5:])).count()
    assert earlier < last * 10  # a whole month at 1 call a day against 3 days at 6
    assert earlier > 0
