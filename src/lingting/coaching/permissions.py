"""Who may do what in the "3+1" coaching loop: whose plans a user sees, who opens and
coaches them, who writes the goals, who schedules and reads training."""

from __future__ import annotations

from django.db.models import QuerySet

from lingting.core.models import Agent, Role, User

# The "3+1" improvement loop (seed 000 §3(2)): team leaders (their own team's agents),
# trainers and operations managers open plans and coach; QA supervisors read every plan
# and record follow-up evaluations; an agent sees their own plan and writes its goals.
ROLES_OPENING_PLANS = frozenset(
    {Role.TEAM_LEADER, Role.TRAINER, Role.OPERATIONS_MANAGER, Role.ADMIN}
)
ROLES_SEEING_ALL_PLANS = frozenset(
    {Role.TRAINER, Role.OPERATIONS_MANAGER, Role.QA_SUPERVISOR, Role.ADMIN}
)
ROLES_SCHEDULING_TRAINING = frozenset({Role.TRAINER, Role.ADMIN})
ROLES_READING_TRAINING_NEEDS = frozenset(
    {Role.TRAINER, Role.QA_SUPERVISOR, Role.OPERATIONS_MANAGER, Role.ADMIN}
)


def plan_agents(user: User) -> QuerySet[Agent]:
    """The agents whose improvement plans `user` may see."""
    if user.is_superuser or user.role in ROLES_SEEING_ALL_PLANS:
        return Agent.objects.all()
    if user.role == Role.TEAM_LEADER:
        return Agent.objects.filter(team__leader=user)
    if user.role == Role.AGENT:
        return Agent.objects.filter(user=user)
    return Agent.objects.none()


def may_see_plans(user: User) -> bool:
    return (
        user.is_superuser
        or user.role in ROLES_SEEING_ALL_PLANS
        or user.role in {Role.TEAM_LEADER, Role.AGENT}
    )


def may_detect(user: User) -> bool:
    """Who runs the three-months-below-target check (their own team's agents for a leader)."""
    return user.is_superuser or user.role in ROLES_OPENING_PLANS | ROLES_SEEING_ALL_PLANS


def may_open_plan_for(user: User, agent: Agent) -> bool:
    return (user.is_superuser or user.role in ROLES_OPENING_PLANS) and plan_agents(user).filter(
        pk=agent.pk
    ).exists()


def may_coach(user: User, agent: Agent) -> bool:
    """Recording a coaching session or follow-up evaluation, moving a plan on, closing it."""
    coaches = ROLES_OPENING_PLANS | {Role.QA_SUPERVISOR}
    return (user.is_superuser or user.role in coaches) and plan_agents(user).filter(
        pk=agent.pk
    ).exists()


def may_write_goals(user: User, agent: Agent) -> bool:
    """The "1" of 3+1: the agent's own plan, written by the agent under their team leader."""
    if agent.user_id is not None and agent.user_id == user.pk:
        return True
    return user.role == Role.TEAM_LEADER and plan_agents(user).filter(pk=agent.pk).exists()


def may_read_training_needs(user: User) -> bool:
    return user.is_superuser or user.role in ROLES_READING_TRAINING_NEEDS


def may_schedule_training(user: User) -> bool:
    return user.is_superuser or user.role in ROLES_SCHEDULING_TRAINING


def may_see_coaching_effect(user: User) -> bool:
    return user.is_superuser or user.role in ROLES_SEEING_ALL_PLANS
