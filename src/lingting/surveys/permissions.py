"""Who may run the surveys: plan them, read their outbox, feed replies in through the API
(the gateway's own login is such a user's API key)."""

from __future__ import annotations

from lingting.core.models import Role, User

SURVEY_MANAGERS = frozenset({Role.ADMIN, Role.OPERATIONS_MANAGER, Role.QA_SUPERVISOR})


def may_manage_surveys(user: User) -> bool:
    return user.is_superuser or user.role in SURVEY_MANAGERS


def may_see_competitiveness(user: User) -> bool:
    """The service competitiveness index is the center's standing among the operators: for
    those who see the satisfaction page's management parts (they also enter the waves)."""
    return may_manage_surveys(user)
