"""Who corrects the business calendar (everyone reads it)."""

from __future__ import annotations

from lingting.core.models import Role, User

# The business calendar (工作日历: holidays and make-up workdays behind every SLA deadline) is
# read by all staff and corrected by administrators and operations managers, who also get
# the warning when next year's official schedule is not loaded.
ROLES_KEEPING_CALENDAR = frozenset({Role.ADMIN, Role.OPERATIONS_MANAGER})


def may_correct_calendar(user: User) -> bool:
    return user.is_superuser or user.role in ROLES_KEEPING_CALENDAR
