"""KPIs of stored contacts, computed by the same engine as `lingting kpis`.

The contacts a user may see are streamed out of the database as the engine's CDR-only
`Contact`s (no transcript), so a page and the command give identical figures for the same
contacts (tests/web/test_kpis_page.py checks exactly that).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.utils import timezone

from lingting.core.models import User
from lingting.engine.contacts import Contact as EngineContact
from lingting.engine.kpis import KpiAccumulator, KpiOptions, KpiRow
from lingting.engine.targets import Status, Target
from lingting.interactions.selectors import ContactFilters, contacts_matching
from lingting.performance.models import KpiTarget, TargetFigure

_CDR_FIELDS = (
    "external_id",
    "channel",
    "direction",
    "queue__code",
    "agent__code",
    "queued_at",
    "started_at",
    "answered_at",
    "ended_at",
    "disposition",
    "wait_s",
    "talk_s",
    "hold_s",
    "acw_s",
)


def kpis_for(
    *,
    user: User,
    filters: ContactFilters,
    by: Sequence[str],
    options: KpiOptions | None = None,
) -> list[KpiRow]:
    """KPI rows over the contacts `user` may see that `filters` select, grouped `by`."""
    accumulator = KpiAccumulator(by=by, options=options, tz=timezone.get_current_timezone())
    for contact in _cdr_contacts(user, filters):
        accumulator.add(contact)
    return accumulator.rows()


def _cdr_contacts(user: User, filters: ContactFilters) -> Iterator[EngineContact]:
    rows = (
        contacts_matching(user=user, filters=filters)
        .order_by()
        .values_list(*_CDR_FIELDS)
        .iterator(chunk_size=5000)
    )
    for row in rows:
        external_id, channel, direction, queue, agent, *times, disposition = row[:10]
        wait_s, talk_s, hold_s, acw_s = row[10:]
        yield EngineContact(
            id=external_id,
            channel=channel or None,
            direction=direction or None,
            queue=queue,
            agent_id=agent,
            queued_at=times[0],
            started_at=times[1],
            answered_at=times[2],
            ended_at=times[3],
            disposition=disposition or None,
            wait_s=wait_s,
            talk_s=talk_s,
            hold_s=hold_s,
            acw_s=acw_s,
        )


Statuses = dict[str, Status]


def kpi_targets() -> dict[tuple[str, str | None], Target]:
    """Every target, by (figure, queue code); a None code is the whole center's."""
    return {
        (t.figure, t.queue.code if t.queue else None): t.target
        for t in KpiTarget.objects.select_related("queue")
    }


def row_statuses(
    row: KpiRow, targets: dict[tuple[str, str | None], Target], *, queue: str | None = None
) -> Statuses:
    """Red/amber/green of each figure of `row` that has a target: the row's own queue's
    target (grouped by queue, or `queue` filtered on) before the whole center's."""
    queue = dict(row.group).get("queue", queue)  # type: ignore[assignment]
    statuses: Statuses = {}
    for figure in TargetFigure.values:
        target = targets.get((figure, queue)) or targets.get((figure, None))
        status = target.status(getattr(row, figure)) if target else None
        if status is not None:
            statuses[figure] = status
    return statuses
