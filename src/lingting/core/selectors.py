"""Reads every app shares: a user's in-app notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from lingting.core.models import Notification, User

NOTIFICATIONS_SHOWN = 100


def notifications_unread_count(user: User) -> int:
    """How many of `user`'s notifications are unread (one COUNT on the unread index)."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for(user: User) -> QuerySet[Notification]:
    """`user`'s latest notifications, newest first (the page shows no more than these)."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")[
        :NOTIFICATIONS_SHOWN
    ]
