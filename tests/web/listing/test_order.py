"""Lists that count something per row (sessions, attendees, contacts) still come newest
first: a query that aggregates drops the model's own ordering, so these lists say theirs."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from lingting.coaching.models import ImprovementPlan, Training
from lingting.coaching.selectors.plans import plans_for
from lingting.coaching.selectors.training import trainings_listed
from lingting.core.models import User
from lingting.quality.models import CalibrationSession, ScorecardVersion
from lingting.quality.selectors.calibration import calibration_sessions_for

pytestmark = pytest.mark.django_db
DAYS = [date(2026, 10, 8), date(2026, 10, 1), date(2026, 10, 15)]


def test_improvement_plans_are_listed_newest_first(org: Any, ops_zhou: User) -> None:
    for agent, day in zip(("A1001", "A1002", "A1003"), DAYS, strict=True):
        ImprovementPlan.objects.create(
            agent=org.agents[agent],
            figure="qa_score",
            target_green=80,
            opened_on=day,
            opened_by=ops_zhou,
        )

    listed = [plan.opened_on for plan in plans_for(user=ops_zhou)]

    assert listed == sorted(DAYS, reverse=True)


def test_trainings_are_listed_newest_first(org: Any, ops_zhou: User) -> None:
    for day in DAYS:
        Training.objects.create(topic="规范用语", item="x", held_on=day, trainer=ops_zhou)

    assert [training.held_on for training in trainings_listed()] == sorted(DAYS, reverse=True)


def test_calibration_sessions_are_listed_newest_first(
    qa_zhao: User, standard_version: ScorecardVersion
) -> None:
    made = [
        CalibrationSession.objects.create(title=title, created_by=qa_zhao, version=standard_version)
        for title in ("九月", "十月", "十一月")
    ]

    listed = [session.pk for session in calibration_sessions_for(qa_zhao)]

    assert listed == [session.pk for session in reversed(made)]
