"""Who may do what in quality assurance: the QA supervisor's tools, reviewing, the QA
figures, the case library, disputes and an agent's own scores. Which contacts a user sees
is the shared rule of `lingting.core.permissions`."""

from __future__ import annotations

from lingting.core.models import Role, User
from lingting.core.permissions import sees_all_contacts
from lingting.quality.models import ScorecardVersion

ROLES_MANAGING_QA = frozenset({Role.QA_SUPERVISOR, Role.ADMIN})
ROLES_REVIEWING = frozenset({Role.QA_ANALYST, Role.QA_SUPERVISOR})


def may_manage_qa(user: User) -> bool:
    """Sampling plans, draws, calibration: the QA supervisor's tools (002 §二)."""
    return user.is_superuser or user.role in ROLES_MANAGING_QA


def may_review(user: User) -> bool:
    """Whether `user` scores contacts (a review queue is theirs only if they may)."""
    return user.role in ROLES_REVIEWING


def may_configure_judge(user: User) -> bool:
    """The model judge's settings: administrators only, since they decide where transcripts
    are sent (and whether personal numbers go with them)."""
    return user.is_superuser or user.role == Role.ADMIN


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


# Besides the roles that see every contact, those who see some (their own, their team's,
# a QA analyst's assigned and granted ones) see the disputes of those contacts.
ROLES_SEEING_OWN_DISPUTES = frozenset({Role.AGENT, Role.TEAM_LEADER, Role.QA_ANALYST})


def may_see_disputes(user: User) -> bool:
    return sees_all_contacts(user) or user.role in ROLES_SEEING_OWN_DISPUTES


def may_see_own_scores(user: User) -> bool:
    """我的成绩: an agent's own monitoring records, to sign for and dispute."""
    return user.role == Role.AGENT


def may_see_scorecards(user: User) -> bool:
    """The scorecard editor's pages, read only (versions, preview, export): QA and
    managers, never agents."""
    return may_read_qa_reports(user)


def may_edit_scorecards(user: User) -> bool:
    """Drafting a scorecard version, submitting it, choosing a queue's scorecard."""
    return may_manage_qa(user)


def may_approve_scorecard(user: User, version: ScorecardVersion) -> bool:
    """Publishing (or rejecting) a submitted version: another QA supervisor or an admin
    than the one who submitted it — four eyes on what scores every contact."""
    return may_manage_qa(user) and version.submitted_by_id != user.pk
