"""Who may see which contacts beyond their role's own: a QA analyst's granted queues,
teams and agents."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet

from lingting.core.models import Team, User
from lingting.core.services import audit_record
from lingting.interactions.models import AccessGrant, Queue


def access_grants_set(
    *, actor: User, user: User, teams: Iterable[Team], queues: Iterable[Queue]
) -> None:
    """Give `user` (a QA analyst) exactly these teams' and queues' contacts, audited."""
    with transaction.atomic():
        current = AccessGrant.objects.filter(user=user)
        before = _grant_codes(current)
        current.delete()
        AccessGrant.objects.bulk_create(
            [AccessGrant(user=user, team=team, granted_by=actor) for team in teams]
            + [AccessGrant(user=user, queue=queue, granted_by=actor) for queue in queues]
        )
        after = _grant_codes(AccessGrant.objects.filter(user=user))
        if before != after:
            audit_record(
                actor=actor,
                action="access_grant.set",
                object_type="user",
                object_id=user.pk,
                before=before,
                after=after,
            )


def _grant_codes(grants: QuerySet[AccessGrant]) -> dict[str, list[str]]:
    rows = list(grants.select_related("team", "queue"))
    return {
        "teams": sorted(g.team.code for g in rows if g.team),
        "queues": sorted(g.queue.code for g in rows if g.queue),
    }
