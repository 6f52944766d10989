"""Who sets the KPI targets, who keeps and reads the monthly assessment, who sees the
weekly ranking."""

from __future__ import annotations

from django.db.models import QuerySet

from lingting.core.models import Agent, Role, User
from lingting.core.permissions import led_or_own_agents, sees_all_contacts

ROLES_SETTING_TARGETS = frozenset({Role.OPERATIONS_MANAGER, Role.ADMIN})


def may_set_targets(user: User) -> bool:
    """KPI targets are the operations manager's (运营经理) to set."""
    return user.is_superuser or user.role in ROLES_SETTING_TARGETS


# The monthly assessment (月度考核) and the best/worst agent of the month are the operations
# manager's (seed 003); an agent sees their own assessment, a team leader their teams', the
# roles that see every contact everyone's. The weekly ranking board is public to all staff.
ROLES_MANAGING_ASSESSMENT = frozenset({Role.OPERATIONS_MANAGER, Role.ADMIN})


def may_manage_assessment(user: User) -> bool:
    return user.is_superuser or user.role in ROLES_MANAGING_ASSESSMENT


def assessment_agents(user: User) -> QuerySet[Agent]:
    """The agents whose monthly assessment `user` may see."""
    if sees_all_contacts(user):
        return Agent.objects.all()
    return led_or_own_agents(user)


def may_see_ranking(user: User) -> bool:
    """The weekly ranking board (每周排行榜, "公开排名"): every signed-in member of staff."""
    return user.is_authenticated and user.is_active


def may_see_assessment(user: User) -> bool:
    """The assessment page shows something: everyone's, a team's, or one's own."""
    return sees_all_contacts(user) or user.role in (Role.AGENT, Role.TEAM_LEADER)
