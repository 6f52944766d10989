"""Reads every app shares: a user's in-app notifications, an object's audit trail."""

from __future__ import annotations

from django.db.models import QuerySet

from lingting.core.models import AuditEvent, Notification, User

NOTIFICATIONS_SHOWN = 100


def notifications_unread_count(user: User) -> int:
    """How many of `user`'s notifications are unread (one COUNT on the unread index)."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for(user: User) -> QuerySet[Notification]:
    """`user`'s latest notifications, newest first (the page shows no more than these)."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")[
        :NOTIFICATIONS_SHOWN
    ]


def audit_trail_of(*, object_type: str, object_id: object, limit: int = 50) -> QuerySet[AuditEvent]:
    """The latest changes to one object, newest first, with who made them."""
    return AuditEvent.objects.filter(
        object_type=object_type, object_id=str(object_id)
    ).select_related("actor")[:limit]
