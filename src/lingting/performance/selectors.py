"""KPIs of stored contacts, computed by the same engine as `lingting kpis`.

The contacts a user may see are streamed out of the database as the engine's CDR-only
`Contact`s (no transcript), so a page and the command give identical figures for the same
contacts (tests/web/test_kpis_page.py checks exactly that).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Max, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from lingting.core.models import Agent, User
from lingting.engine.contacts import Contact as EngineContact
from lingting.engine.kpis import GroupKey, KpiAccumulator, KpiOptions, KpiRow, group_key
from lingting.engine.targets import Status, Target
from lingting.interactions.models import Contact
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
    "customer__code",
    "hangup_by",
    "tags",
    "extra__transferred",
    "current_score__score",
    "current_score__passed",
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


@dataclass(frozen=True, slots=True)
class QaFigures:
    """The automatic QA of a group's contacts (from the database, not the file engine):
    `qa_score` the mean current score, `pass_rate` the share passing, over `scored`."""

    scored: int = 0
    qa_score: float | None = None
    pass_rate: float | None = None


@dataclass(frozen=True, slots=True)
class KpiTableRow:
    row: KpiRow
    qa: QaFigures

    def values(self) -> dict[str, Any]:
        """Every figure by name, rounded (the KPI page's cells and the targets' colours)."""
        return {
            **self.row.to_dict(extra=True),
            "qa_score": None if self.qa.qa_score is None else round(self.qa.qa_score, 1),
            "pass_rate": None if self.qa.pass_rate is None else round(self.qa.pass_rate, 4),
            "qa_scored": self.qa.scored,
        }


def kpi_table_for(
    *,
    user: User,
    filters: ContactFilters,
    by: Sequence[str],
    options: KpiOptions | None = None,
) -> list[KpiTableRow]:
    """The KPI page: `kpis_for`'s rows with the figures beyond FORMATS.md (FCR, transfers,
    complaints) and each group's automatic QA score and pass rate over the same offered
    contacts.

    FCR looks for a customer's repeat contact among *all* stored contacts, not only those
    `user` may see or `filters` select (a repeat handled by another team still means the
    first contact did not resolve it); the end of the data is the latest stored contact.
    """
    options = options or KpiOptions()
    tz = timezone.get_current_timezone()
    accumulator = KpiAccumulator(
        by=by, options=options, tz=tz, extra=True, known_until=_latest_contact_moment()
    )
    qa: dict[tuple[GroupKey, ...], list[float]] = {}
    matching = contacts_matching(user=user, filters=filters)
    for contact, score, passed in _cdr_contacts_with_scores(matching):
        if not accumulator.add(contact) or score is None:
            continue
        sums = qa.setdefault(group_key(contact, accumulator.by, tz), [0, 0.0, 0])
        sums[0] += 1
        sums[1] += score
        sums[2] += bool(passed)
    for contact, _score, _passed in _cdr_contacts_with_scores(
        _possible_repeats(matching, filters, options)
    ):
        accumulator.add_possible_repeat(contact)
    table = []
    for row in accumulator.rows():
        count, total, passing = qa.get(tuple(key for _name, key in row.group), (0, 0.0, 0))
        figures = QaFigures(int(count), total / count, passing / count) if count else QaFigures()
        table.append(KpiTableRow(row=row, qa=figures))
    return table


def _latest_contact_moment() -> datetime | None:
    latest: datetime | None = Contact.objects.aggregate(
        latest=Max(Coalesce("queued_at", "started_at"))
    )["latest"]
    return latest


def _possible_repeats(
    matching: QuerySet[Contact], filters: ContactFilters, options: KpiOptions
) -> QuerySet[Contact]:
    """The other contacts of the customers of `matching`, from its first day to N days
    after its last: where a repeat of one of its contacts can be."""
    others = Contact.objects.filter(
        customer__in=matching.exclude(customer=None).values("customer")
    ).exclude(pk__in=matching.values("pk"))
    if filters.date_from:
        others = others.filter(started_at__gte=_midnight(filters.date_from))
    if filters.date_to:
        days = math.ceil(options.fcr_days) + 1
        others = others.filter(started_at__lt=_midnight(filters.date_to + timedelta(days=days)))
    return others


def _midnight(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _cdr_contacts(user: User, filters: ContactFilters) -> Iterator[EngineContact]:
    matching = contacts_matching(user=user, filters=filters)
    for contact, _score, _passed in _cdr_contacts_with_scores(matching):
        yield contact


def _cdr_contacts_with_scores(
    contacts: QuerySet[Contact],
) -> Iterator[tuple[EngineContact, float | None, bool | None]]:
    rows = contacts.order_by().values_list(*_CDR_FIELDS).iterator(chunk_size=5000)
    for row in rows:
        external_id, channel, direction, queue, agent, *times, disposition = row[:10]
        wait_s, talk_s, hold_s, acw_s = row[10:14]
        customer, hangup_by, tags, transferred, score, passed = row[14:]
        contact = EngineContact(
            id=external_id,
            channel=channel or None,
            direction=direction or None,
            queue=queue,
            agent_id=agent,
            customer_id=customer,
            queued_at=times[0],
            started_at=times[1],
            answered_at=times[2],
            ended_at=times[3],
            disposition=disposition or None,
            hangup_by=hangup_by or None,
            tags=tuple(tags) if isinstance(tags, list) else (),
            wait_s=wait_s,
            talk_s=talk_s,
            hold_s=hold_s,
            acw_s=acw_s,
            extra={} if transferred is None else {"transferred": transferred},
        )
        yield contact, score, passed


Statuses = dict[str, Status]


def kpi_targets() -> dict[tuple[str, str | None], Target]:
    """The queues' and the whole center's targets, by (figure, queue code); a None code is
    the whole center's. Teams' targets: `kpi_team_targets`."""
    return {
        (t.figure, t.queue.code if t.queue else None): t.target
        for t in KpiTarget.objects.filter(team=None).select_related("queue")
    }


def kpi_team_targets() -> dict[tuple[str, str], Target]:
    """The teams' targets, by (figure, team code)."""
    return {
        (t.figure, t.team.code): t.target
        for t in KpiTarget.objects.exclude(team=None).select_related("team")
        if t.team is not None
    }


def agent_team_codes() -> dict[str, str]:
    """Each agent's team code, by agent code (agents without a team left out)."""
    return dict(Agent.objects.exclude(team=None).values_list("code", "team__code"))


def row_statuses(
    row: KpiRow,
    targets: dict[tuple[str, str | None], Target],
    *,
    queue: str | None = None,
    team: str | None = None,
    team_targets: Mapping[tuple[str, str], Target] | None = None,
    values: Mapping[str, Any] | None = None,
) -> Statuses:
    """Red/amber/green of each figure of `row` that has a target: the team's target first
    (`team`, with `team_targets`), then the row's own queue's (grouped by queue, or `queue`
    filtered on), then the whole center's. `values` gives figures the row does not hold
    (the QA score and pass rate); the row's own figures are read from it."""
    queue = dict(row.group).get("queue", queue)  # type: ignore[assignment]
    statuses: Statuses = {}
    for figure in TargetFigure.values:
        target = (
            ((team_targets or {}).get((figure, team)) if team is not None else None)
            or targets.get((figure, queue))
            or targets.get((figure, None))
        )
        if target is None:
            continue
        value = values[figure] if values and figure in values else getattr(row, figure, None)
        status = target.status(value)
        if status is not None:
            statuses[figure] = status
    return statuses
