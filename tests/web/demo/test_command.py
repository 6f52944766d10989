"""`lingting demo`: an organisation, one login per role, and every transcript scored."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from lingting.campaigns.models import (
    CallAttempt,
    Campaign,
    CampaignStatus,
    CampaignTarget,
    Panel,
)
from lingting.core.models import Agent, Role, Team, User
from lingting.demo.management.commands.demo import ACCOUNTS, FIRST_AGENT
from lingting.interactions.models import Contact, ContactTopic, Queue, Topic
from lingting.knowledge.models import Article, ArticleVersion
from lingting.quality.models import (
    ContactScore,
    Evaluation,
    ReviewAssignment,
    ScorecardVersion,
)
from lingting.surveys.models import (
    CompetitivenessWave,
    SurveyInvitation,
    SurveyPlan,
    SurveyResponse,
)

pytestmark = pytest.mark.django_db

# The 24-hour line's weeks of calls are left out: tests/web/demo/test_planning.py has them.
SMALL = (
    *("--months", "1", "--days", "1", "--calls-per-agent-day", "2", "--no-jddc"),
    *("--line-weeks", "0"),
)


@pytest.fixture(scope="module")
def demo_output(module_db: Any) -> str:
    """One small demo for the tests that read it; what it printed."""
    out = StringIO()
    with module_db.unblock():
        call_command("demo", *SMALL, stdout=out)
    return out.getvalue()


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
    demo_output: str,
) -> None:
    first = counts()
    call_command("demo", *SMALL, stdout=StringIO())

    assert counts() == first
    assert first["contacts"] > 0
    assert first["articles"] >= 300  # the knowledge vault, published
    transcripts = Contact.objects.filter(turn_count__gt=0)
    assert transcripts.exists()
    assert not transcripts.filter(current_score=None).exists()
    assert ScorecardVersion.objects.get(is_active=True).scorecard.name == "standard"
    assert "JDDC" not in demo_output
    assert "/login/" in demo_output
    # 客户之声: the demo's calls are filed under topics named by their words.
    assert Topic.objects.exclude(label="").exists()
    assert ContactTopic.objects.count() > transcripts.count() // 2


def test_every_printed_demo_login_works_and_passes_the_password_validators(
    demo_output: str,
) -> None:
    assert {account.role for account in ACCOUNTS} == set(Role)
    for account in ACCOUNTS:
        assert f"{account.username}" in demo_output
        assert account.password in demo_output
        validate_password(account.password)
        # a sign-in always comes with its request: axes throttles by its address
        sign_in = RequestFactory().post("/login/")
        user = authenticate(sign_in, username=account.username, password=account.password)
        assert user is not None
        assert user.role == account.role


def test_agent_li_is_agent_a1001_and_leader_wang_leads_that_agents_team(demo_output: str) -> None:
    agent = Agent.objects.select_related("user", "team__leader").get(code=FIRST_AGENT)
    assert agent.name
    assert agent.user is not None
    assert agent.user.username == "agent_li"
    assert agent.user.display_name == agent.name
    assert agent.team is not None
    assert agent.team.leader is not None
    assert agent.team.leader.username == "leader_wang"
    assert Queue.objects.exclude(name="").count() == Queue.objects.count()


def test_the_demo_has_a_zero_usage_campaign_mid_way_with_agent_li_s_list_for_today(
    demo_output: str,
) -> None:
    campaign = Campaign.objects.get(name="零使用客户回访")
    assert campaign.status == CampaignStatus.RUNNING
    assert campaign.starts_on < timezone.localdate() < campaign.ends_on
    targets = CampaignTarget.objects.filter(campaign=campaign)
    assert targets.exists()
    assert not targets.exclude(customer__profile__usage_last_month=0).exists()
    assert CallAttempt.objects.filter(target__campaign=campaign).exists()  # days behind it
    today = targets.filter(assigned_to__code=FIRST_AGENT, assigned_on=timezone.localdate())
    assert 0 < today.count() <= campaign.daily_quota
    assert "零使用客户回访" in demo_output


def test_the_demo_has_the_competitiveness_index_over_three_waves(
    demo_output: str, client_for: Any
) -> None:
    waves = list(CompetitivenessWave.objects.order_by("surveyed_on"))
    assert len(waves) == 3
    assert all(wave.operators.filter(ours=True).count() == 1 for wave in waves)
    page = client_for(User.objects.get(username="manager_chen")).get(
        reverse("surveys:competitiveness")
    )
    assert page.status_code == 200
    assert all(wave.name in page.content.decode() for wave in waves)


def test_the_demo_has_a_panel_called_back_in_two_waves_with_its_movement(
    demo_output: str, client_for: Any
) -> None:
    panel = Panel.objects.get(name="3G与宽带重点客户感知跟踪")
    waves = list(panel.waves.order_by("opens_on"))
    answered = [wave.answers.filter(outcome="answered").count() for wave in waves]
    assert answered[0] > 0
    assert answered[1] > 0
    assert answered[2] == 0  # the third is open now, nobody called yet
    assert waves[2].opens_on <= timezone.localdate() <= waves[2].closes_on
    assert panel.members.filter(left_on__isnull=False).count() == 2
    assert panel.members.filter(replaces__isnull=False).count() == 2
    page = client_for(User.objects.get(username="manager_chen")).get(
        reverse("campaigns:panel", args=[panel.pk])
    )
    assert page.status_code == 200
    assert "感觉服务有提升" in page.content.decode()


def test_the_demo_has_surveys_running_on_its_contacts_with_replies(
    demo_output: str, client_for: Any
) -> None:
    for name, question in [("通话后短信满意度", "csat"), ("推荐意愿调查（H5）", "nps")]:
        plan = SurveyPlan.objects.get(name=name)
        assert plan.active
        answered = SurveyResponse.objects.filter(question=question, invitation__plan=plan)
        assert answered.exists(), name
    assert SurveyInvitation.objects.filter(status="answered").count() < (
        SurveyInvitation.objects.exclude(sent_at=None).count()
    )  # not everyone answers
    page = client_for(User.objects.get(username="manager_chen")).get(reverse("surveys:csat"))
    assert page.status_code == 200
    assert "NPS" in page.content.decode()
