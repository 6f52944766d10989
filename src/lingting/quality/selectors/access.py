"""Reading the analysts' access: which teams' and queues' contacts each QA analyst may
read, as the supervisor's page lays it out (a box to tick per team and per queue)."""

from __future__ import annotations

from dataclasses import dataclass

from lingting.core.models import Role, Team, User
from lingting.interactions.models import AccessGrant, Queue


@dataclass(frozen=True, slots=True)
class AnalystAccess:
    user: User
    teams: list[tuple[Team, bool]]  # every team, and whether the analyst reads its contacts
    queues: list[tuple[Queue, bool]]


def analyst_access_rows() -> list[AnalystAccess]:
    """Every active QA analyst by username, with every team and queue: the teams and
    queues are read once for the page, not once per analyst."""
    analysts = list(User.objects.filter(role=Role.QA_ANALYST, is_active=True).order_by("username"))
    grants = AccessGrant.objects.filter(user__in=analysts)
    granted = {(g.user_id, "team", g.team_id) for g in grants if g.team_id} | {
        (g.user_id, "queue", g.queue_id) for g in grants if g.queue_id
    }
    teams = list(Team.objects.order_by("code"))
    queues = list(Queue.objects.order_by("code"))
    return [
        AnalystAccess(
            user=analyst,
            teams=[(t, (analyst.pk, "team", t.pk) in granted) for t in teams],
            queues=[(q, (analyst.pk, "queue", q.pk) in granted) for q in queues],
        )
        for analyst in analysts
    ]
