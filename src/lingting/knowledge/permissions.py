"""Who may do what with the knowledge vault. Everyone signed in reads the articles shown
today (agents answer from them); knowledge owners — trainers, QA supervisors, operations
managers, administrators — write drafts, withdraw and roll back; reviewers approve what
others wrote. The pages, API and services ask these functions; they never test roles
themselves."""

from __future__ import annotations

from lingting.core.models import Role, User

ROLES_EDITING_KNOWLEDGE = frozenset(
    {Role.TRAINER, Role.QA_SUPERVISOR, Role.OPERATIONS_MANAGER, Role.ADMIN}
)
ROLES_REVIEWING_KNOWLEDGE = frozenset({Role.QA_SUPERVISOR, Role.OPERATIONS_MANAGER, Role.ADMIN})


def may_edit_knowledge(user: User) -> bool:
    """Write and submit drafts, withdraw articles, see drafts and expired articles."""
    return user.is_superuser or user.role in ROLES_EDITING_KNOWLEDGE


def may_review_knowledge(user: User) -> bool:
    """Approve or send back a version in review, and roll an article back."""
    return user.is_superuser or user.role in ROLES_REVIEWING_KNOWLEDGE


def may_approve_own(user: User) -> bool:
    """Four eyes: a reviewer approves what someone else wrote; an administrator may approve
    their own (a center with one knowledge owner still publishes)."""
    return user.is_superuser or user.role == Role.ADMIN


def may_publish_bulletins(user: User) -> bool:
    """Send must-reads: knowledge owners to anyone, team leaders to their own teams."""
    return may_edit_knowledge(user) or user.role == Role.TEAM_LEADER


def follows_every_team(user: User) -> bool:
    """See who has not read in every team (a team leader sees their own teams)."""
    return may_edit_knowledge(user) or user.role == Role.OPERATIONS_MANAGER


def may_answer_chats(user: User) -> bool:
    """Take handed-off bot conversations in the agent console."""
    return user.is_superuser or user.role in {
        Role.AGENT,
        Role.TEAM_LEADER,
        Role.OPERATIONS_MANAGER,
        Role.ADMIN,
    }
