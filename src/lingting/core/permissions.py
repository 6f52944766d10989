"""Who may see what: the role rules of Lingting, in one place.

- An agent sees the contacts handled by their own `Agent` (``User.agent``).
- A team leader sees the contacts of the agents in the teams they lead (and their own).
- A QA analyst sees the contacts assigned to them for review (sampling, calibration) and
  those of the teams and queues a QA supervisor granted them (`AccessGrant`).
- QA supervisors, trainers, operations managers and admins see every contact.
- Anyone else (a WFM planner, a user with no role rule) sees none.
- Personal numbers (phones, ID cards, bank cards) are shown in full only to QA supervisors
  and admins; everyone else sees them masked.
- QA supervisors (and admins) run sampling plans and calibration; QA analysts and
  supervisors review the contacts assigned to them.

Other apps ask these functions; they never test roles themselves.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest

from lingting.core.models import Agent, Role, Team, User

ROLES_SEEING_ALL_CONTACTS = frozenset(
    {
        Role.QA_SUPERVISOR,
        Role.TRAINER,
        Role.OPERATIONS_MANAGER,
        Role.ADMIN,
    }
)
ROLES_SEEING_PERSONAL_NUMBERS = frozenset({Role.QA_SUPERVISOR, Role.ADMIN})


def request_user(request: HttpRequest) -> User:
    """The signed-in Lingting user of a request (LoginRequiredMiddleware guarantees one)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user


def sees_all_contacts(user: User) -> bool:
    return user.is_superuser or user.role in ROLES_SEEING_ALL_CONTACTS


def may_see_personal_numbers(user: User) -> bool:
    return user.is_superuser or user.role in ROLES_SEEING_PERSONAL_NUMBERS


def led_or_own_agents(user: User) -> QuerySet[Agent]:
    """The line's own view of people: a team leader's agents (and themselves), an agent
    themselves, nobody for anyone else. The rules below add who sees more."""
    if user.role == Role.TEAM_LEADER:
        return Agent.objects.filter(Q(team__leader=user) | Q(user=user))
    if user.role == Role.AGENT:
        return Agent.objects.filter(user=user)
    return Agent.objects.none()


def visible_agents(user: User) -> QuerySet[Agent]:
    """The agents whose contacts `user` may see."""
    if sees_all_contacts(user):
        return Agent.objects.all()
    if user.role == Role.QA_ANALYST:
        return _reviewer_agents(user)
    return led_or_own_agents(user)


def contact_scope(user: User, *, via: str = "") -> Q:
    """A filter on contacts (`via` "") or on any model that reaches its contact through
    `via` (e.g. "contact", "evaluation__contact"): the rows of contacts `user` may see.

    Built from small subqueries (agents, assignments, grants), so the database can use
    the (agent, time) index on 1 M contacts.
    """
    if sees_all_contacts(user):
        return Q()
    prefix = f"{via}__" if via else ""
    if user.role == Role.QA_ANALYST:
        if not via:  # on the contacts themselves: no subquery over every contact around it
            return _reviewer_contacts(user)
        contact = apps.get_model("interactions", "Contact")
        return Q(**{f"{via}__in": contact.objects.filter(_reviewer_contacts(user)).values("pk")})
    return Q(**{f"{prefix}agent__in": visible_agents(user).values("pk")})


def has_contacts_to_read(user: User) -> bool:
    """Whether the contact list is `user`'s page: those who see contacts by role, review them
    or handle calls (an agent) or lead those who do. A WFM planner or a work-order department's
    staff (no `Agent` of their own) have none, and start elsewhere."""
    return (
        sees_all_contacts(user) or user.role == Role.QA_ANALYST or led_or_own_agents(user).exists()
    )


def readable_contact_scope(user: User) -> Q:
    """`contact_scope`, plus the source calls of the work orders a department `user` belongs
    to (or leads) handles: the staff who answer an order may hear what the customer said. For
    opening one contact; lists and figures stay on `contact_scope`."""
    if sees_all_contacts(user):
        return Q()  # (an empty Q or'ed with another would narrow to the other)
    order = apps.get_model("tickets", "WorkOrder")
    handled = order.objects.filter(
        department__in=workorder_departments(user).values("pk"), contact__isnull=False
    ).values("contact")
    return contact_scope(user) | Q(pk__in=handled)


def workorder_departments(user: User) -> QuerySet[Any]:
    """The work-order departments `user` is a member or the lead of."""
    department = apps.get_model("tickets", "Department")
    return department.objects.filter(Q(members=user) | Q(lead=user)).distinct()


# A QA analyst's contacts come three ways: assigned for review, in a queue granted to them, or
# handled by an agent of a team granted to them. Their agents are the union of one subquery
# per way, each served by its own index (assignments by reviewer, contacts by queue, agents by
# team): the agents of one OR of the three over the contacts took a scan of every contact
# (1.29 s against 0.055 s at 1 M contacts). The contacts themselves are that OR, applied to
# the contacts a page asks for, so that it walks the page's own index (by time, by agent): a
# day's count at 1 M contacts took 0.003 s, against 0.23 s with the OR in a subquery of every
# contact it allows and 0.57 s as a union of the three (which the planner joins back row by
# row).


def _reviewer_ways_in(user: User) -> tuple[QuerySet[Any], QuerySet[Any], QuerySet[Any]]:
    """The ids of the contacts assigned to `user` for review, and of the queues and the
    teams granted to them."""
    # The models live in the apps that build on core: looked up, not imported.
    grant = apps.get_model("interactions", "AccessGrant")
    assignment = apps.get_model("quality", "ReviewAssignment")
    grants = grant.objects.filter(user=user)
    return (
        assignment.objects.filter(reviewer=user).values("contact"),
        grants.filter(queue__isnull=False).values("queue"),
        grants.filter(team__isnull=False).values("team"),
    )


def _reviewer_contacts(user: User) -> Q:
    """A filter on contacts: those a QA analyst may see."""
    assigned, queues, teams = _reviewer_ways_in(user)
    return (
        Q(pk__in=assigned)
        | Q(queue__in=queues)
        | Q(agent__in=Agent.objects.filter(team__in=teams).values("pk"))
    )


def _reviewer_agents(user: User) -> QuerySet[Agent]:
    """The agents of the contacts a QA analyst may see: of an assigned contact, of a contact
    in a granted queue, or of a granted team — found through the team, with one probe of the
    agent index for whether they have a contact at all."""
    contact = apps.get_model("interactions", "Contact")
    assigned, queues, teams = _reviewer_ways_in(user)
    return Agent.objects.filter(
        Q(pk__in=contact.objects.filter(pk__in=assigned).values("agent"))
        | Q(pk__in=contact.objects.filter(queue__in=queues).values("agent"))
        | Q(Exists(contact.objects.filter(agent=OuterRef("pk"))), team__in=teams)
    )


ROLES_MANAGING_QA = frozenset({Role.QA_SUPERVISOR, Role.ADMIN})
ROLES_REVIEWING = frozenset({Role.QA_ANALYST, Role.QA_SUPERVISOR})


def may_manage_qa(user: User) -> bool:
    """Sampling plans, draws, calibration: the QA supervisor's tools (002 §二)."""
    return user.is_superuser or user.role in ROLES_MANAGING_QA


def may_review(user: User) -> bool:
    """Whether `user` scores contacts (a review queue is theirs only if they may)."""
    return user.role in ROLES_REVIEWING


def require(allowed: bool) -> None:
    """Stop a request that its user may not make (403)."""
    if not allowed:
        raise PermissionDenied


ROLES_READING_QA_REPORTS = frozenset(
    {Role.QA_ANALYST, Role.QA_SUPERVISOR, Role.TRAINER, Role.OPERATIONS_MANAGER, Role.ADMIN}
)


def may_read_qa_reports(user: User) -> bool:
    """Figures across agents (trust in the machine, case library admin): QA and managers."""
    return user.is_superuser or user.role in ROLES_READING_QA_REPORTS


ROLES_CURATING_CASES = frozenset({Role.QA_ANALYST, Role.QA_SUPERVISOR, Role.TRAINER, Role.ADMIN})


def may_curate_cases(user: User) -> bool:
    """Filing and sharing cases (002 §一.6 案例分析; 003 good and bad recordings)."""
    return user.is_superuser or user.role in ROLES_CURATING_CASES


ROLES_SETTING_TARGETS = frozenset({Role.OPERATIONS_MANAGER, Role.ADMIN})


def may_set_targets(user: User) -> bool:
    """KPI targets are the operations manager's (运营经理) to set."""
    return user.is_superuser or user.role in ROLES_SETTING_TARGETS


# Besides the roles that see every contact, those who see some (their own, their team's,
# a QA analyst's assigned and granted ones) see the disputes of those contacts.
ROLES_SEEING_OWN_DISPUTES = frozenset({Role.AGENT, Role.TEAM_LEADER, Role.QA_ANALYST})


def may_see_disputes(user: User) -> bool:
    return sees_all_contacts(user) or user.role in ROLES_SEEING_OWN_DISPUTES


def may_see_own_scores(user: User) -> bool:
    """我的成绩: an agent's own monitoring records, to sign for and dispute."""
    return user.role == Role.AGENT


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


def may_read_quality_reports(user: User) -> bool:
    """The quality reports (002 §七): center-wide for QA and managers, a team leader's own
    teams' contacts for a team leader; agents and others none."""
    return may_read_qa_reports(user) or user.role == Role.TEAM_LEADER


def report_scope(user: User, *, via: str = "") -> Q:
    """The contacts a quality report of `user` covers, as `contact_scope` builds filters:
    every contact for QA and managers, their teams' for a team leader, none otherwise."""
    if may_read_qa_reports(user):
        return Q()
    if user.role == Role.TEAM_LEADER:
        return contact_scope(user, via=via)
    return Q(pk__in=[])


def may_archive_reports(user: User) -> bool:
    """Generating the center's stored reports on demand: the QA supervisor's (002 §二.6)."""
    return may_manage_qa(user)


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


def may_see_broadcast(user: User) -> bool:
    """Whether the hourly broadcast page is for `user` (it shows `broadcast_teams`)."""
    return (
        user.is_superuser
        or user.role in ROLES_SEEING_ALL_OCCUPANCY
        or sees_all_contacts(user)
        or user.role in (Role.TEAM_LEADER, Role.AGENT)
    )


# The business calendar (工作日历: holidays and make-up workdays behind every SLA deadline) is
# read by all staff and corrected by administrators and operations managers, who also get
# the warning when next year's official schedule is not loaded.
ROLES_KEEPING_CALENDAR = frozenset({Role.ADMIN, Role.OPERATIONS_MANAGER})


def may_correct_calendar(user: User) -> bool:
    return user.is_superuser or user.role in ROLES_KEEPING_CALENDAR
