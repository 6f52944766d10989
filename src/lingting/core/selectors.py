"""Reads every app shares: a user's in-app notifications, an object's audit trail, the
background processes' heartbeats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from lingting.core.models import Agent, AuditEvent, Heartbeat, Notification, User

# The processes /healthz reports on, each beating as it works (core.Heartbeat).
MONITORED_PROCESSES = ("worker", "scheduler")
# A heartbeat is fresh while younger than this many of its intervals (a slow task or a
# busy database may delay one beat; three missed ones mean the process is gone).
MISSED_BEATS_TOLERATED = 3

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


@dataclass(frozen=True)
class ProcessHealth:
    process: str
    last_beat: datetime | None
    fresh: bool


def heartbeats_now() -> list[ProcessHealth]:
    """Each monitored process's last heartbeat and whether it is recent enough."""
    beats = {beat.process: beat for beat in Heartbeat.objects.all()}
    now = timezone.now()
    health = []
    for process in MONITORED_PROCESSES:
        beat = beats.get(process)
        if beat is None:
            health.append(ProcessHealth(process, None, fresh=False))
            continue
        allowed = timedelta(seconds=MISSED_BEATS_TOLERATED * beat.every_seconds)
        health.append(ProcessHealth(process, beat.beat_at, fresh=now - beat.beat_at <= allowed))
    return health


def people_names(usernames: set[str]) -> dict[str, str]:
    """Each of these users' name as the pages show people (their full name, else the login),
    by username: for records that keep only logins (a warning's recipients)."""
    return {
        user.username: user.display_name
        for user in User.objects.filter(username__in=usernames).only(
            "username", "first_name", "last_name"
        )
    }


def agent_names() -> dict[str, str]:
    """Each agent as the contact pages show one (name and 工号, else the 工号 alone), by 工号:
    for tables whose rows carry only the code (KPIs by agent)."""
    return {
        code: f"{name} {code}" if name else code
        for code, name in Agent.objects.values_list("code", "name")
    }
