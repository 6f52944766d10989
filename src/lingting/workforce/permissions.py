"""Who sees which agents' states and occupancy, which teams' hourly broadcast, and whose
attrition figures; who records a leaver."""

from __future__ import annotations

from django.db.models import QuerySet

from lingting.core.models import Agent, Role, Team, User
from lingting.core.permissions import led_or_own_agents, sees_all_contacts

# Agent states and occupancy (workforce): the agent sees their own, a team leader their
# teams', operations managers and WFM planners (排班) everyone's.
ROLES_SEEING_ALL_OCCUPANCY = frozenset({Role.OPERATIONS_MANAGER, Role.WFM_PLANNER, Role.ADMIN})


def occupancy_agents(user: User) -> QuerySet[Agent]:
    """The agents whose states, occupancy and utilisation `user` may see."""
    if user.is_superuser or user.role in ROLES_SEEING_ALL_OCCUPANCY:
        return Agent.objects.all()
    return led_or_own_agents(user)


def may_see_occupancy(user: User) -> bool:
    return (
        user.is_superuser
        or user.role in ROLES_SEEING_ALL_OCCUPANCY
        or user.role in (Role.TEAM_LEADER, Role.AGENT)
    )


def broadcast_teams(user: User) -> QuerySet[Team]:
    """The teams whose hourly calls and satisfaction (000 §1(2)) `user` sees: a member
    their own team's, a team leader the teams they lead, managers, planners and those who
    see every contact all teams'."""
    if user.is_superuser or user.role in ROLES_SEEING_ALL_OCCUPANCY or sees_all_contacts(user):
        return Team.objects.all()
    if user.role == Role.TEAM_LEADER:
        return Team.objects.filter(leader=user)
    if user.role == Role.AGENT:
        return Team.objects.filter(agents__user=user)
    return Team.objects.none()


def may_see_broadcast(user: User) -> bool:
    """Whether the hourly broadcast page is for `user` (it shows `broadcast_teams`)."""
    return (
        user.is_superuser
        or user.role in ROLES_SEEING_ALL_OCCUPANCY
        or sees_all_contacts(user)
        or user.role in (Role.TEAM_LEADER, Role.AGENT)
    )


# Forecasts, staffing policies and the requirement (issue 14): the planner's work, which
# operations managers oversee; team leaders and agents see schedules, not the plan behind them.
ROLES_PLANNING = frozenset({Role.WFM_PLANNER, Role.OPERATIONS_MANAGER, Role.ADMIN})


def may_plan(user: User) -> bool:
    return user.is_superuser or user.role in ROLES_PLANNING


def may_set_care(user: User) -> bool:
    """The care settings (reminders, break rules, strain alerts) belong to those who plan the
    agents' time: WFM planners, operations managers and administrators."""
    return may_plan(user)


# Attrition (004 篇10): WFM planners, operations managers and admins see every team, a team
# leader the teams they lead; agents and QA not at all. Recording who left is the planners',
# operations managers' and admins' (the people who keep the headcount).
def attrition_teams(user: User) -> QuerySet[Team]:
    """The teams whose headcount, hires and leavers `user` sees."""
    if user.is_superuser or user.role in ROLES_SEEING_ALL_OCCUPANCY:
        return Team.objects.all()
    if user.role == Role.TEAM_LEADER:
        return Team.objects.filter(leader=user)
    return Team.objects.none()


def attrition_agents(user: User) -> QuerySet[Agent]:
    """The agents counted on `user`'s attrition page: those of `attrition_teams`, and for
    whoever sees every team the agents of no team too."""
    if user.is_superuser or user.role in ROLES_SEEING_ALL_OCCUPANCY:
        return Agent.objects.all()
    return Agent.objects.filter(team__in=attrition_teams(user).values("pk"))


def may_see_attrition(user: User) -> bool:
    return user.is_superuser or user.role in ROLES_SEEING_ALL_OCCUPANCY | {Role.TEAM_LEADER}


def may_record_leavers(user: User) -> bool:
    return user.is_superuser or user.role in ROLES_SEEING_ALL_OCCUPANCY


def roster_agents(user: User) -> QuerySet[Agent]:
    """The agents whose rows of a roster `user` sees: planners everyone, a team leader their
    teams', an agent themselves (on their own schedule page)."""
    if may_plan(user):
        return Agent.objects.all()
    return led_or_own_agents(user)


def may_see_rosters(user: User) -> bool:
    return may_plan(user) or user.role == Role.TEAM_LEADER


def may_see_own_schedule(user: User) -> bool:
    """Agents read their own shifts and breaks (decided by role: the menu asks on every page,
    and a role costs no query)."""
    return user.role == Role.AGENT


# The intraday day (issue 14): the queue's calls, re-forecast and re-staffing for those who
# plan or run the floor; adherence of the agents each sees as for their states
# (`occupancy_agents`): planners and managers everyone's, a team leader their teams', an agent
# their own. QA roles are not part of the workforce day.
def may_see_intraday(user: User) -> bool:
    return (
        user.is_superuser
        or user.role in ROLES_PLANNING
        or user.role in (Role.TEAM_LEADER, Role.AGENT)
    )


def sees_queue_day(user: User) -> bool:
    """Whether `user` sees a queue's intraday figures (an agent sees their adherence only)."""
    return user.is_superuser or user.role in ROLES_PLANNING or user.role == Role.TEAM_LEADER


# The roster solver's inputs (issue 14): shift templates, agents' skills and rotations are the
# planner's setup, overseen by operations managers and administrators.
def may_set_up_rosters(user: User) -> bool:
    return may_plan(user)


# Leave (请假): planners enter anyone's; a team leader reads and enters (and takes back) the
# leave of the agents of the teams they lead, as a team leader does in a WFM tool.
def absence_agents(user: User) -> QuerySet[Agent]:
    """The agents whose leave `user` reads and enters."""
    if may_plan(user):
        return Agent.objects.all()
    if user.role == Role.TEAM_LEADER:
        return Agent.objects.filter(team__leader=user)
    return Agent.objects.none()


def absence_teams(user: User) -> QuerySet[Team]:
    """The teams the leave page filters by."""
    if may_plan(user):
        return Team.objects.all()
    if user.role == Role.TEAM_LEADER:
        return Team.objects.filter(leader=user)
    return Team.objects.none()


def may_see_absences(user: User) -> bool:
    return may_plan(user) or user.role == Role.TEAM_LEADER


# Shift swaps (换班, issue 14): an agent proposes, accepts or declines their own; the
# requester's team leader or a planner approves. A team leader sees the swaps of their teams'
# agents (either side), a planner all; the list page is for team leaders and planners.
def swap_agents(user: User) -> QuerySet[Agent]:
    """The agents whose swaps `user` sees (as requester or counterpart)."""
    return roster_agents(user)


def may_see_swaps(user: User) -> bool:
    return may_see_rosters(user)


def may_approve_swaps_of(user: User, requester: Agent) -> bool:
    """Whether `user` approves or rejects the swaps `requester` asks for."""
    if may_plan(user):
        return True
    return (
        user.role == Role.TEAM_LEADER
        and requester.team is not None
        and (requester.team.leader_id == user.pk)
    )


SWAP_STEPS = ("accept", "decline", "withdraw", "approve", "reject")


def may_take_swap_step(user: User, step: str, requester: Agent, counterpart: Agent) -> bool:
    """The counterpart accepts or declines, the requester withdraws, the approver (the
    requester's team leader, a planner) approves or rejects."""
    if step in ("accept", "decline"):
        return counterpart.user_id is not None and counterpart.user_id == user.pk
    if step == "withdraw":
        return requester.user_id is not None and requester.user_id == user.pk
    return step in ("approve", "reject") and may_approve_swaps_of(user, requester)


# Shift limits (no night shifts for a pregnant or nursing agent, a medical note, a student's
# hours): entered like leave, by planners for anyone and by a team leader for their teams.
def shift_limit_agents(user: User) -> QuerySet[Agent]:
    """The agents whose shift limits `user` reads and sets."""
    return absence_agents(user)


def may_see_shift_limits(user: User) -> bool:
    return may_see_absences(user)
