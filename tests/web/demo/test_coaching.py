"""The demo step: plans for the agents below target as of the fourth month, their sessions,
a training, and a summary line with the effect."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from django.utils import timezone

from lingting.coaching.models import CoachingSession, ImprovementPlan, Training
from lingting.core.models import Agent, Role, User
from lingting.demo.coaching import demo_coaching
from lingting.engine.streaks import add_months, first_of_month
from tests.conftest import SHANGHAI, ContactFactory, Org

pytestmark = pytest.mark.django_db
MONTHS = [add_months(first_of_month(timezone.localdate()), k) for k in range(-6, 0)]


def test_demo_opens_plans_for_the_agents_below_target_and_coaches_them(
    org: Org, make_contact: ContactFactory
) -> None:
    users = {
        "manager_chen": org.users["ops_zhou"],
        "leader_wang": org.users["leader_wang"],
        "qa_zhao": org.users["qa_zhao"],
        "trainer_zhou": User.objects.create_user("trainer_zhou", role=Role.TRAINER),
    }
    for k in range(8):
        code = f"D{k}"
        org.agents[code] = Agent.objects.create(code=code, name=code, team=org.teams["一班"])
        for month in MONTHS:
            weak = k < 4 and month < MONTHS[3]
            for day in (4, 14, 24):
                make_contact(
                    agent=code,
                    started_at=datetime.combine(month.replace(day=day), time(10), SHANGHAI),
                    score=62.0 if weak else 90.0,
                    items=[make_contact.forbidden_phrase_item(0, 0, 4, "您好")] if weak else [],
                    disposition="answered",
                )

    summary = demo_coaching(users=users, months=MONTHS)

    plans = ImprovementPlan.objects.all()
    assert sorted(p.agent.code for p in plans) == ["D0", "D1", "D2", "D3"]
    assert {p.opened_on for p in plans} == {MONTHS[3]}
    assert CoachingSession.objects.filter(plan__in=plans, held_on__gte=MONTHS[3]).count() >= 4 * 6
    assert Training.objects.get().item == "forbidden_phrases"
    assert "4 3+1 plans" in summary
    assert "effect" in summary


def test_demo_needs_four_months(org: Org) -> None:
    assert "skipped" in demo_coaching(users=dict(org.users), months=MONTHS[:3])
