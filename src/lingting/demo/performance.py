"""The demo's performance step: a few team targets, the default assessment weights, every
demo month's assessment, and the best and worst agent of each finished month confirmed."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from lingting.core.models import Team, User
from lingting.engine.assessment import Weights
from lingting.performance.selectors import award_proposals, month_bounds
from lingting.performance.services import (
    assessment_compute,
    assessment_weights_set,
    award_confirm,
    kpi_target_set,
)


def demo_performance(*, users: dict[str, User], months: list[date]) -> str:
    """`users` must hold the operations manager "manager_chen"; `months` are the demo's
    months (any day of each). Returns a one-line summary."""
    manager = users["manager_chen"]
    teams = list(Team.objects.order_by("code")[:2])
    for team in teams[:1]:
        kpi_target_set(actor=manager, figure="qa_score", queue=None, team=team, green=90, amber=85)
    for team in teams[1:2]:
        kpi_target_set(actor=manager, figure="fcr", queue=None, team=team, green=0.8, amber=0.7)
    defaults = Weights().as_dict()
    assessment_weights_set(actor=manager, weights=defaults, min_reviewed=3)
    assessed = awards = 0
    for month in sorted({m.replace(day=1) for m in months}):
        assessed += assessment_compute(actor=manager, month=month)
        if month_bounds(month)[1] > month_bounds(timezone.localdate())[0]:
            continue  # not finished: no best/worst yet
        for proposal in award_proposals(month=month):
            try:
                award_confirm(actor=manager, month=month, kind=proposal.kind, agent=proposal.agent)
            except ValidationError:
                continue
            awards += 1
    return (
        f"performance: {len(teams)} team target(s), {assessed} agent-month assessment(s), "
        f"{awards} best/worst award(s) confirmed"
    )
