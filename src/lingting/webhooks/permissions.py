"""Who may manage the webhooks: the endpoints (their URLs, secrets and the personal numbers
they may receive) and the delivery log."""

from __future__ import annotations

from lingting.core.models import Role, User


def may_manage_webhooks(user: User) -> bool:
    """Administrators only: an endpoint sends the centre's data out of it."""
    return user.is_superuser or user.role == Role.ADMIN
