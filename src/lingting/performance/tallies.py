"""Keeping the daily tallies (`DailyTally`): the sums the KPI, QA and assessment pages add up.

A page over a million contacts cannot recompute its figures from every row on every request;
it adds up these sums instead, kept per day × queue × agent. They are counted by the engine
itself (a `KpiAccumulator` per day, the same `KpiSums` a file's figures come from), so the
definitions stay in one place, and a test compares every page's figures both ways.

They are kept up to date from the figure changes the import, scoring, reviews and stored
meanings (`lingting meaning_backfill` too) note (interactions.figure_changes):
`tallies_update` counts again every day and agent a change names — where the contact counts
now and where it counted before — and deletes the changes it counted, all in one
transaction. Pages call it before they read (a few changes: at once),
the task worker and the scheduler call it too, and `lingting tally_rebuild` counts everything
from scratch (`tallies_rebuild`).

First-contact resolution needs a customer's later contacts: a contact counts as *repeated*
when its customer made another offered contact within `KpiOptions().fcr_days` after it
(among all stored contacts). A new contact can therefore make earlier ones repeated: the
days and agents of the customer's contacts in the window before a changed contact are
counted again too. Whether a contact without a repeat is resolved or not yet known depends
on the end of the data, so the tallies keep only `fcr_repeated` and `fcr_unidentified`; the
page settles the rest when it reads (performance.selectors).

The thresholds are `KpiOptions()`'s, FORMATS.md's defaults: a page asking for others (the KPI
page's threshold fields) reads the contacts themselves.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Max, Min, Q, QuerySet
from django.utils import timezone

from lingting.core.forked import forked_pool, map_in_order
from lingting.interactions.models import Contact, FigureChange
from lingting.interactions.selectors import local_midnight
from lingting.performance.models import TALLY_OPTIONS, DailyTally, TallyState
from lingting.performance.selectors import tallies_ready, with_moment_between
from lingting.performance.tally_counting import TallyKey, TallyRow, count_contacts, local_date

# Changes counted per transaction by the background update: bounded work, bounded memory.
CHANGES_PER_ROUND = 20_000

Unit = tuple[date | None, int | None]  # (local start date, agent id): what is counted again


def tallies_update(*, limit: int | None = CHANGES_PER_ROUND) -> int:
    """Count again what the noted figure changes name (at most `limit` changes, oldest
    first); returns how many changes were counted (0: none waited). Tallies never built are
    built first. Waits for an update or rebuild already running."""
    # Only a build deletes changes it counted; an update deletes those it read.
    settled = None if tallies_ready() else _settled_changes()
    workers = _rebuild_workers()
    with transaction.atomic():
        state = _locked_state()
        built = state.rebuilt_at is None
        if built:
            _rebuild(state, settled=settled, workers=workers)
        counted = _update(state, limit)
    if built:
        _vacuum()
    return counted


def tallies_drain() -> int:
    """`tallies_update` until no change waits (for work that must read current tallies: the
    assessment, the demo); returns how many changes it counted."""
    counted = 0
    while done := tallies_update():
        counted += done
    return counted


def tallies_rebuild() -> int:
    """Count every contact again, from scratch, in one transaction (pages read the old
    tallies until it commits); returns the number of tally rows."""
    settled = _settled_changes()
    workers = _rebuild_workers()
    with transaction.atomic():
        written = _rebuild(_locked_state(), settled=settled, workers=workers)
    _vacuum()
    return written


IN_REQUEST_CHANGES = 5_000  # counted while a page waits; more go to the task worker


def tallies_count_in_request() -> int:
    """Count the waiting changes now when they are few (0: the tallies are current); else
    return how many wait — changes, and every contact while the tallies were never built —
    for the task worker to count (`lingting.performance.catch_up`). Never waits for an
    update that is already running."""
    waiting = len(FigureChange.objects.values_list("pk", flat=True)[: IN_REQUEST_CHANGES + 1])
    built = tallies_ready()
    if built and not waiting:
        return 0
    small = waiting <= IN_REQUEST_CHANGES and (
        built or not Contact.objects.all()[IN_REQUEST_CHANGES:].exists()
    )
    if small:
        settled = None if built else _settled_changes()
        with transaction.atomic():
            state = _free_state()
            if state is not None:
                if state.rebuilt_at is None:
                    _rebuild(state, settled=settled)
                _update(state, None)
                return 0
    # Counted in full only now: thousands of changes are waiting, the page says how many.
    return FigureChange.objects.count() + (0 if built else Contact.objects.count())


def _update(state: TallyState, limit: int | None) -> int:
    changes = list(
        FigureChange.objects.order_by("id").values_list(
            "id", "contact_id", "started_at", "queued_at", "agent_id", "customer_id"
        )[:limit]
    )
    if not changes:
        return 0
    places = [
        (started, queued, agent, customer) for _, _, started, queued, agent, customer in changes
    ]
    places += list(
        Contact.objects.filter(pk__in={change[1] for change in changes}).values_list(
            "started_at", "queued_at", "agent_id", "customer_id"
        )
    )
    units = {_unit(started, agent) for started, _queued, agent, _customer in places}
    units |= _earlier_contacts_of_customers(places)
    _recount(units)
    FigureChange.objects.filter(pk__in=[change[0] for change in changes]).delete()
    state.updated_at = timezone.now()
    state.save(update_fields=["updated_at"])
    return len(changes)


def _rebuild(state: TallyState, *, settled: int | None, workers: int = 1) -> int:
    """Every tally counted again, day by day (memory: a few days' contacts), by `workers`
    processes; returns the number of tally rows. The changes up to `settled`
    (`_settled_changes`) are counted by then and deleted; later ones stay for the next
    update, which counts their days again."""
    DailyTally.objects.all().delete()
    written = 0
    for rows in _counted_days(workers):
        written += _write(rows)
    if settled is not None:
        FigureChange.objects.filter(pk__lte=settled).delete()
    state.rebuilt_at = state.updated_at = timezone.now()
    state.save(update_fields=["rebuilt_at", "updated_at"])
    return written


def _vacuum() -> None:
    """After a build has committed (PostgreSQL, the caller holding no transaction): it
    replaced every row, so the table is rewritten without the old ones and the planner's
    statistics renewed at once. A plain VACUUM would leave the file twice its size (the
    new rows were written after the old ones), and every page that reads months of
    tallies would scan it all (detection at 1 M contacts: 0.28 -> 0.20 s of SQL). The
    rewrite locks the table while it runs, a second or so per 100,000 rows: pages wait."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (FULL, ANALYZE) {DailyTally._meta.db_table}")


# The most processes a rebuild counts days in (PostgreSQL; the database works alongside).
REBUILD_WORKERS = 4


def _rebuild_workers() -> int:
    """How many processes a build about to start may count days in: on PostgreSQL, when the
    caller holds no transaction (the workers read what is committed; inside a transaction
    they would not see the caller's own writes), one per core up to REBUILD_WORKERS; else
    one, this process."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return 1
    return max(1, min(REBUILD_WORKERS, os.cpu_count() or 1))


def _counted_days(workers: int) -> Iterator[dict[TallyKey, TallyRow]]:
    """Every day's tally rows, day by day: counted here, or in `workers` forked processes
    while this one writes (two days ahead per process at most)."""
    days = _contact_days()
    if workers < 2:
        for day in days:
            yield _count_day(day)
        return
    pool = forked_pool(workers)
    try:
        yield from map_in_order(pool, _count_day, days, ahead=2 * workers)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _count_day(day: date | None) -> dict[TallyKey, TallyRow]:
    """One day's tally rows (in a worker process too: `count_contacts` opens the
    transaction its settings need when there is none)."""
    return count_contacts(_day_contacts(day, agents=None))


def _settled_changes() -> int | None:
    """The id up to which every noted change is committed, read before a rebuild begins: a
    rebuild counts those changes' contacts as they now are, so it may delete them. None when
    it cannot be known (on PostgreSQL inside a caller's transaction): the changes then stay.

    On PostgreSQL a change is noted inside the transaction that changes its contact, which
    holds a lock on the change table until it ends; taking a SHARE lock (in a transaction of
    its own, released at once) waits for every such transaction, so no change below the id
    read then can still commit later. SQLite writes one transaction at a time."""
    latest = Max("pk")
    if connection.vendor != "postgresql":
        return FigureChange.objects.aggregate(latest=latest)["latest"] or 0
    if connection.in_atomic_block:
        return None
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {FigureChange._meta.db_table} IN SHARE MODE")
        settled: int | None = FigureChange.objects.aggregate(latest=latest)["latest"] or 0
    return settled


def _locked_state() -> TallyState:
    """The state row, locked for this transaction (waiting for another that holds it)."""
    TallyState.objects.get_or_create(pk=1)
    return TallyState.objects.select_for_update().get(pk=1)


def _free_state() -> TallyState | None:
    """The state row, locked for this transaction; None when another holds it."""
    TallyState.objects.get_or_create(pk=1)
    return TallyState.objects.select_for_update(skip_locked=True).filter(pk=1).first()


def _unit(started_at: datetime | None, agent_id: int | None) -> Unit:
    return (local_date(started_at, timezone.get_current_timezone()), agent_id)


def _contact_days() -> Iterator[date | None]:
    """Every local start date that has contacts, then None (contacts with no start)."""
    tz = timezone.get_current_timezone()
    first = Contact.objects.aggregate(first=Min("started_at"))["first"]
    if first is not None:
        day = local_date(first, tz)
        assert day is not None
        while True:
            following = Contact.objects.filter(started_at__gte=local_midnight(day)).aggregate(
                first=Min("started_at")
            )["first"]
            if following is None:
                break
            day = local_date(following, tz)
            assert day is not None
            yield day
            day += timedelta(days=1)
    yield None


def _earlier_contacts_of_customers(
    places: Sequence[tuple[datetime | None, datetime | None, int | None, int | None]],
) -> set[Unit]:
    """The units of the contacts whose FCR a change may turn: the same customer's contacts
    in the window before the changed contact's queue-or-start time."""
    window = timedelta(days=TALLY_OPTIONS.fcr_days)
    moments: dict[int, list[datetime]] = defaultdict(list)
    for started, queued, _agent, customer in places:
        moment = queued or started
        if customer is not None and moment is not None:
            moments[customer].append(moment)
    units: set[Unit] = set()
    customers = list(moments)
    for start in range(0, len(customers), 500):
        chunk = customers[start : start + 500]
        low = min(min(moments[c]) for c in chunk) - window
        high = max(max(moments[c]) for c in chunk)
        rows = with_moment_between(Contact.objects.filter(customer_id__in=chunk), low, high)
        for customer, queued, started, agent in rows.values_list(
            "customer_id", "queued_at", "started_at", "agent_id"
        ):
            moment = queued or started
            if moment is not None and any(m - window <= moment <= m for m in moments[customer]):
                units.add(_unit(started, agent))
    return units


def _recount(units: Iterable[Unit]) -> None:
    agents_by_day: dict[date | None, set[int | None]] = defaultdict(set)
    for day, agent in units:
        agents_by_day[day].add(agent)
    for day, agents in agents_by_day.items():
        _unit_tallies(day, agents).delete()
        _write(count_contacts(_day_contacts(day, agents=agents)))


def _on_day(field: str, day: date | None) -> Q:
    if day is None:
        return Q(**{f"{field}__isnull": True})
    return Q(
        **{
            f"{field}__gte": local_midnight(day),
            f"{field}__lt": local_midnight(day + timedelta(days=1)),
        }
    )


def _of_agents(agents: set[int | None]) -> Q:
    known = [agent for agent in agents if agent is not None]
    condition = Q(agent_id__in=known)
    return condition | Q(agent_id__isnull=True) if None in agents else condition


def _unit_tallies(day: date | None, agents: set[int | None]) -> QuerySet[DailyTally]:
    on_day = Q(day__isnull=True) if day is None else Q(day=day)
    return DailyTally.objects.filter(on_day & _of_agents(agents))


def _day_contacts(day: date | None, *, agents: set[int | None] | None) -> QuerySet[Contact]:
    contacts = Contact.objects.filter(_on_day("started_at", day))
    return contacts if agents is None else contacts.filter(_of_agents(agents))


def _write(rows: dict[TallyKey, TallyRow]) -> int:
    DailyTally.objects.bulk_create(
        [
            DailyTally(
                day=day,
                group_day=group_day,
                queue_id=queue,
                agent_id=agent,
                latest_moment=row.latest,
                sections=row.sections,
                item_fails=row.item_fails,
                fcr_open=row.fcr_open,
                **(row.values | row.kpi.values() | row.meaning.counts()),
            )
            for (day, group_day, queue, agent), row in rows.items()
        ],
        batch_size=1000,
    )
    return len(rows)
