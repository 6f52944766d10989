"""Who runs callback campaigns and who calls: managers set up customers, segments and
campaigns and see every result; team leaders see their team's lists; agents call from
their own list (an external dialer's login is a manager's API key)."""

from __future__ import annotations

from lingting.core.models import Role, User

CAMPAIGN_MANAGERS = frozenset({Role.ADMIN, Role.OPERATIONS_MANAGER, Role.QA_SUPERVISOR})


def may_run_campaigns(user: User) -> bool:
    return user.is_superuser or user.role in CAMPAIGN_MANAGERS


def may_see_campaign_results(user: User) -> bool:
    return may_run_campaigns(user) or user.role == Role.TEAM_LEADER


def may_call_customers(user: User) -> bool:
    """Has a callback list of their own: an agent with a login."""
    return user.role == Role.AGENT and hasattr(user, "agent")


def may_run_panels(user: User) -> bool:
    """Set up a fixed-customer panel, recruit and replace its members, schedule its waves:
    the managers who run campaigns."""
    return may_run_campaigns(user)


def may_call_panel_members(user: User) -> bool:
    """See the panels and call their members in a wave (seed 004: the service managers call
    the panel themselves, not the agents): the campaign managers and team leaders."""
    return may_see_campaign_results(user)
