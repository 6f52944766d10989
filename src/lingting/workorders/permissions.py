"""Who may do what with work orders (工单): see which orders, take them, take each step,
read the report and the dashboard, set up types, departments and the escalation ladder.
The work-order pages, API and services ask these functions; they never test roles
themselves. (Which contacts a department's staff may open because of an order stays with
the contact scopes, in `lingting.core.permissions`.)"""

from __future__ import annotations

from django.db.models import Q

from lingting.core.models import Role, User
from lingting.workorders.models import Department, WorkOrder

# Work orders (工单). Team leaders, operations managers and admins see every order; anyone
# else sees the orders they took (an agent's own), the orders on their own contacts, and
# the queue of the departments they belong to or lead. Agents take orders from their own
# contacts; the centre (whoever took the order, leaders, managers) dispatches, reviews,
# calls back and closes; the department replies; anyone who sees an order may urge it or
# add a follow-up note; only leaders, managers and admins cancel, reopen or escalate (升级)
# by hand.
ROLES_SEEING_ALL_WORKORDERS = frozenset({Role.TEAM_LEADER, Role.OPERATIONS_MANAGER, Role.ADMIN})
ROLES_TAKING_WORKORDERS = frozenset(
    {Role.AGENT, Role.TEAM_LEADER, Role.OPERATIONS_MANAGER, Role.ADMIN}
)
WORKORDER_CENTRE_ACTIONS = frozenset(
    {"dispatch", "accept", "return", "callback", "callback_result", "close"}
)
WORKORDER_DEPARTMENT_ACTIONS = frozenset({"reply"})
WORKORDER_SHARED_ACTIONS = frozenset({"urge", "note", "pause", "resume"})
WORKORDER_MANAGER_ACTIONS = frozenset({"cancel", "reopen", "escalate"})


def sees_all_workorders(user: User) -> bool:
    return user.is_superuser or user.role in ROLES_SEEING_ALL_WORKORDERS


def may_take_workorders(user: User) -> bool:
    """Whether `user` may create work orders (by hand or from a contact they may see)."""
    return user.is_superuser or user.role in ROLES_TAKING_WORKORDERS


def workorder_scope(user: User) -> Q:
    """A filter on work orders: those `user` may see."""
    if sees_all_workorders(user):
        return Q()
    departments = Department.objects.filter(Q(members=user) | Q(lead=user)).values("pk")
    mine = WorkOrder.objects.filter(
        Q(created_by=user) | Q(owner=user) | Q(contact__agent__user=user)
    ).values("pk")
    return Q(pk__in=mine) | Q(department__in=departments)


def may_act_on_workorder(user: User, order: WorkOrder, action: str) -> bool:
    """Whether `user` may take `action` (an engine `Action` value) on `order`, which they
    can see. The state machine decides separately whether the action fits the order now."""
    if user.is_superuser or user.role in (Role.OPERATIONS_MANAGER, Role.ADMIN):
        return True
    department = order.department
    in_department = department is not None and (
        department.lead_id == user.pk or department.members.filter(pk=user.pk).exists()
    )
    centre = user.role == Role.TEAM_LEADER or order.created_by_id == user.pk
    if order.parent_id is not None and not centre:
        parent = order.parent
        centre = parent is not None and parent.created_by_id == user.pk
    if action in WORKORDER_MANAGER_ACTIONS:
        return user.role == Role.TEAM_LEADER
    if action in WORKORDER_CENTRE_ACTIONS:
        return centre
    if action in WORKORDER_DEPARTMENT_ACTIONS:  # a split parent's reply sums up its children
        return (
            in_department
            or user.role == Role.TEAM_LEADER
            or (centre and order.department_id is None)
        )
    return action in WORKORDER_SHARED_ACTIONS


def may_see_workorders(user: User) -> bool:
    """Whether the navigation shows the 工单 link: those who take or see all orders. (A
    department member of another role reaches the queue from the notifications; asking the
    table here would cost every page a query.)"""
    return sees_all_workorders(user) or may_take_workorders(user)


# The work-order report (工单报表: volume, on-time and return rates, handling time, repeat
# complaints) is for those who run the centre: operations managers, team leaders, QA
# supervisors and admins; agents and department staff read their orders, not the report.
ROLES_READING_WORKORDER_REPORTS = frozenset(
    {Role.OPERATIONS_MANAGER, Role.TEAM_LEADER, Role.QA_SUPERVISOR, Role.ADMIN}
)


def may_read_workorder_reports(user: User) -> bool:
    return user.is_superuser or user.role in ROLES_READING_WORKORDER_REPORTS


# Work-order types (their fields, default department and priority, time limits, warning
# points), the departments (members, lead, working hours) and the escalation ladder (its
# rungs, triggers and threat words) are set up by administrators and operations managers,
# who also keep the business calendar the limits run on.
ROLES_CONFIGURING_WORKORDERS = frozenset({Role.ADMIN, Role.OPERATIONS_MANAGER})


def may_configure_workorders(user: User) -> bool:
    return user.is_superuser or user.role in ROLES_CONFIGURING_WORKORDERS


# The work-order dashboard (部门工单看板): team leaders, operations managers and admins see
# every department; a department's members and lead see their own.
def workorder_dashboard_scope(user: User) -> Q:
    """A filter on work-order departments: those whose dashboard row `user` may see."""
    if sees_all_workorders(user):
        return Q()
    return Q(members=user) | Q(lead=user)


def may_see_workorder_dashboard(user: User) -> bool:
    if sees_all_workorders(user):
        return True
    return Department.objects.filter(workorder_dashboard_scope(user)).exists()
