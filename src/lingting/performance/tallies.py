"""Keeping the daily tallies (`DailyTally`): the sums the KPI, QA and assessment pages add up.

A page over a million contacts cannot recompute its figures from every row on every request;
it adds up these sums instead, kept per day × queue × agent. They are counted by the engine
itself (a `KpiAccumulator` per day, the same `KpiSums` a file's figures come from), so the
definitions stay in one place, and a test compares every page's figures both ways.

They are kept up to date from the figure changes the import, scoring and reviews note
(interactions.figure_changes): `tallies_update` counts again every day and agent a change
names — where the contact counts now and where it counted before — and deletes the changes
it counted, all in one transaction. Pages call it before they read (a few changes: at once),
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
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from functools import update_wrapper
from typing import Any, Concatenate

import orjson
from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Func, Max, Min, Q, QuerySet, TextField
from django.db.models.sql.compiler import SQLCompiler
from django.http import HttpRequest
from django.utils import timezone

from lingting.core.forked import forked_pool, map_in_order
from lingting.core.planner import planner_settings
from lingting.engine.kpis import SUM_FIELDS, KpiAccumulator, KpiSums
from lingting.engine.scorecard import Scorecard, ScorecardError
from lingting.engine.scorecard_yaml import builtin_scorecard, parse_scorecard
from lingting.interactions.models import Contact, FigureChange
from lingting.interactions.selectors import local_midnight
from lingting.performance.models import TALLY_OPTIONS, DailyTally, TallyState
from lingting.performance.selectors import (
    CDR_FIELDS,
    cdr_contact,
    possible_repeats,
    tallies_ready,
    with_moment_between,
)
from lingting.quality.models import AssignmentKind, Evaluation, ReviewedItem, ScorecardVersion
from lingting.quality.selectors.score_of_record import with_score_of_record

# Changes counted per transaction by the background update: bounded work, bounded memory.
CHANGES_PER_ROUND = 20_000

Unit = tuple[date | None, int | None]  # (local start date, agent id): what is counted again
_Key = tuple[date | None, date | None, int | None, int | None]  # a tally row's key

_TALLY_FIELDS = (
    "contacts",
    "handled",
    *SUM_FIELDS,
    "qa_scored",
    "qa_score_sum",
    "qa_passed",
    "auto_scored",
    "auto_sum",
    "auto_passed",
    "auto_fatal",
    "auto_a",
    "auto_b",
    "auto_c",
    "record_scored",
    "record_score_sum",
    "reviewed",
    "reviewed_sum",
    "scored_auto",
    "score_auto_sum",
)
_ROW_FIELDS = (
    *CDR_FIELDS,
    "pk",
    "queue_id",
    "agent_id",
    "current_score__score",
    "current_score__passed",
    "current_score__fatal",
    "current_score__severity_a",
    "current_score__severity_b",
    "current_score__severity_c",
    "current_score__version_id",
    "evaluated_items",  # the current score's items judged pass or fail (`_EvaluatedItems`)
)


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


def tallies_catch_up() -> int:
    """Before a page reads the tallies: count the waiting changes now when they are few, so
    a page shows what was just imported, scored or reviewed; else leave them to the task
    worker (queued once) and return how many wait, for the page to say so. Never waits for
    an update that is already running: the page reads the tallies as they are. Tallies never
    built wait for every contact (the pages read the contacts meanwhile)."""
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
    _queue_update()
    # Counted in full only now: thousands of changes are waiting, the page says how many.
    return FigureChange.objects.count() + (0 if built else Contact.objects.count())


def counted_first[**P, R](
    view: Callable[Concatenate[HttpRequest, P], R],
) -> Callable[Concatenate[HttpRequest, P], R]:
    """For a view that reads the tallies: catch them up first (`tallies_catch_up`); the
    page's banner (core/base.html) says how many changes still wait, if any."""

    def counted(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> R:
        request.tallies_waiting = tallies_catch_up()  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    update_wrapper(counted, view)
    return counted


IN_REQUEST_CHANGES = 5_000
_QUEUED_FOR = timedelta(minutes=10)  # a queued update not done by then is queued again


def _queue_update() -> None:
    # Imported here: the task module imports this one.
    from lingting.performance.tasks import count_figure_changes

    TallyState.objects.get_or_create(pk=1)
    stale = timezone.now() - _QUEUED_FOR
    if TallyState.objects.filter(Q(queued_at=None) | Q(queued_at__lt=stale), pk=1).update(
        queued_at=timezone.now()
    ):
        count_figure_changes.enqueue()


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


def _counted_days(workers: int) -> Iterator[dict[_Key, _Row]]:
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


def _count_day(day: date | None) -> dict[_Key, _Row]:
    """One day's tally rows (in a worker process too: `_index_lookups` opens the
    transaction its settings need when there is none)."""
    return _count(_day_contacts(day, agents=None))


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


def _local_date(moment: datetime | None, tz: tzinfo) -> date | None:
    # The zone is passed in: timezone.localtime looks the current one up on every call.
    return None if moment is None else moment.astimezone(tz).date()


def _unit(started_at: datetime | None, agent_id: int | None) -> Unit:
    return (_local_date(started_at, timezone.get_current_timezone()), agent_id)


def _contact_days() -> Iterator[date | None]:
    """Every local start date that has contacts, then None (contacts with no start)."""
    tz = timezone.get_current_timezone()
    first = Contact.objects.aggregate(first=Min("started_at"))["first"]
    if first is not None:
        day = _local_date(first, tz)
        assert day is not None
        while True:
            following = Contact.objects.filter(started_at__gte=local_midnight(day)).aggregate(
                first=Min("started_at")
            )["first"]
            if following is None:
                break
            day = _local_date(following, tz)
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
        _write(_count(_day_contacts(day, agents=agents)))


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


@dataclass(slots=True)
class _Row:
    """One tally row being counted: the KPI engine's sums and the rest."""

    kpi: KpiSums
    values: dict[str, float]
    sections: dict[str, list[float]] = field(default_factory=dict)
    item_fails: dict[str, int] = field(default_factory=dict)
    latest: datetime | None = None
    fcr_open: list[float] = field(default_factory=list)  # KpiAccumulator.pending_moments


def _index_lookups() -> AbstractContextManager[None]:
    """PostgreSQL: look a day's contacts' scores, customers and reviews up by index. The
    planner otherwise hashes the whole score and customer tables for each day (a million
    rows each, 180 times over a rebuild); and plans the cursors for reading every row, not
    the first tenth (its default for a cursor), which walked the customers' repeats in
    moment order."""
    return planner_settings(
        enable_hashjoin="off", enable_mergejoin="off", cursor_tuple_fraction="1"
    )


def _count(contacts: QuerySet[Contact]) -> dict[_Key, _Row]:
    """The tally rows of these contacts (one local start date's), counted by the engine."""
    with _index_lookups():
        return _count_by_engine(contacts)


def _count_by_engine(contacts: QuerySet[Contact]) -> dict[_Key, _Row]:
    tz = timezone.get_current_timezone()
    accumulator = KpiAccumulator(
        by=("day", "queue", "agent"), options=TALLY_OPTIONS, tz=tz, extra=True
    )
    rows: dict[_Key, _Row] = {}
    engine_keys: dict[tuple[Any, ...], _Key] = {}
    reviews = _sample_reviews(contacts)
    sections = _ItemSections()
    customer_moments: list[datetime] = []  # where the customers' repeats can start
    for values in (
        with_score_of_record(contacts)
        .annotate(evaluated_items=_EvaluatedItems("current_score__items"))
        .order_by()
        .values_list(*_ROW_FIELDS)
        .iterator(chunk_size=5000)
    ):
        contact = cdr_contact(values)
        record_score, record_passed = values[len(CDR_FIELDS) - 2 : len(CDR_FIELDS)]
        pk, queue_id, agent_id, *score = values[len(CDR_FIELDS) :]
        moment = contact.queued_at or contact.started_at
        key = (_local_date(contact.started_at, tz), _local_date(moment, tz), queue_id, agent_id)
        row = rows.get(key)
        if row is None:
            row = rows[key] = _Row(KpiSums(), dict.fromkeys(_TALLY_FIELDS, 0))
            engine_keys[(_engine_day(moment, tz), contact.queue, contact.agent_id)] = key
        if moment is not None and (row.latest is None or moment > row.latest):
            row.latest = moment
        if moment is not None and contact.customer_id is not None:
            customer_moments.append(moment)
        tally = row.values
        tally["contacts"] += 1
        tally["handled"] += contact.disposition == "answered"
        if record_score is not None:
            tally["record_scored"] += 1
            tally["record_score_sum"] += record_score
        if accumulator.add(contact) and record_score is not None:
            tally["qa_scored"] += 1
            tally["qa_score_sum"] += record_score
            tally["qa_passed"] += bool(record_passed)
        machine = _MachineScore(*score) if score[0] is not None else None
        if machine is not None:
            _add_machine(row, machine)
        _add_quality(row, reviews.get(pk), machine, sections)
    if customer_moments:
        span = (min(customer_moments), max(customer_moments))
        for later in possible_repeats(contacts, fcr_days=TALLY_OPTIONS.fcr_days, span=span):
            accumulator.add_possible_repeat(later)
    for engine_key, sums in accumulator.sums(settle=False).items():
        rows[engine_keys[engine_key]].kpi = sums
    for engine_key, moments in accumulator.pending_moments().items():
        rows[engine_keys[engine_key]].fcr_open = moments
    return rows


def _engine_day(moment: datetime | None, tz: tzinfo) -> str | None:
    local = _local_date(moment, tz)
    return None if local is None else local.isoformat()


@dataclass(frozen=True, slots=True)
class _Review:
    score: float
    items: list[tuple[str, float, str, float]]  # section, points, result, points lost


def _sample_reviews(contacts: QuerySet[Contact]) -> dict[int, _Review]:
    """Each reviewed contact's sample record (at most one: a database constraint)."""
    evaluations = {
        evaluation: (contact, score)
        for evaluation, contact, score in Evaluation.objects.filter(
            contact__in=contacts.values("pk"), kind=AssignmentKind.SAMPLE
        ).values_list("id", "contact_id", "score")
    }
    items: dict[int, list[tuple[str, float, str, float]]] = defaultdict(list)
    for evaluation, section, points, result, lost in ReviewedItem.objects.filter(
        evaluation_id__in=list(evaluations)
    ).values_list("evaluation_id", "section", "points", "result", "points_lost"):
        items[evaluation].append((section, points, result, lost))
    return {
        contact: _Review(score, items[evaluation])
        for evaluation, (contact, score) in evaluations.items()
    }


@dataclass(frozen=True, slots=True)
class _MachineScore:
    """A contact's current automatic score, as `_ROW_FIELDS` read it."""

    score: float
    passed: bool
    fatal: bool
    severity_a: int
    severity_b: int
    severity_c: int
    version: int
    evaluated: str | None  # `_EvaluatedItems` of its items

    def judged(self) -> list[tuple[Any, Any, Any]]:
        """(item id, failed, points lost) of each item it judged pass or fail."""
        return orjson.loads(self.evaluated) if self.evaluated else []


class _EvaluatedItems(Func):
    """A score's items judged pass or fail (not those left to a person or not applicable),
    as JSON text [[item id, failed, points lost], ...], or NULL when there are none: what the
    tallies need of the ~45 items of a score, picked in the database rather than sending
    every item's title and evidence to be read here (a tenth of the bytes)."""

    output_field = TextField()

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        items, params = compiler.compile(self.source_expressions[0])
        return (
            "(SELECT jsonb_agg(jsonb_build_array("
            "e -> 'item', e ->> 'result' = 'fail', e -> 'points_lost'))::text"
            f" FROM jsonb_array_elements(CASE WHEN jsonb_typeof({items}) = 'array'"
            f" THEN {items} END) AS e WHERE e ->> 'result' IN ('pass', 'fail'))",
            (*params, *params),
        )

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        items, params = compiler.compile(self.source_expressions[0])
        result = "json_extract(e.value, '$.result')"
        return (
            "(SELECT json_group_array(json_array(json_extract(e.value, '$.item'),"
            f" {result} = 'fail', json_extract(e.value, '$.points_lost')))"
            f" FROM json_each(CASE WHEN json_type({items}) = 'array' THEN {items} END) AS e"
            f" WHERE {result} IN ('pass', 'fail') HAVING count(*))",
            (*params, *params),
        )


def _add_machine(row: _Row, machine: _MachineScore) -> None:
    """The quality reports' automatic QA: the current score (its failed items: `_add_items`)."""
    tally = row.values
    tally["auto_scored"] += 1
    tally["auto_sum"] += machine.score
    tally["auto_passed"] += bool(machine.passed)
    tally["auto_fatal"] += bool(machine.fatal)
    tally["auto_a"] += machine.severity_a
    tally["auto_b"] += machine.severity_b
    tally["auto_c"] += machine.severity_c


def _add_quality(
    row: _Row, review: _Review | None, machine: _MachineScore | None, sections: _ItemSections
) -> None:
    """The assessment's quality sums: a reviewer's record where there is one (its reviewed
    items give the sections), else the machine's current score (its items mapped through
    their scorecard version); and the machine's failed items either way."""
    tally = row.values
    if review is not None:
        tally["reviewed"] += 1
        tally["reviewed_sum"] += review.score
        for section, points, result, lost in review.items:
            if result in ("pass", "fail"):
                _add_section(row, section, points, lost)
    if machine is None:
        return
    if review is None:
        tally["scored_auto"] += 1
        tally["score_auto_sum"] += machine.score
    _add_items(row, machine.judged(), None if review else sections.of_version(machine.version))


def _add_items(
    row: _Row, judged: list[tuple[Any, Any, Any]], placed: dict[str, tuple[str, float]] | None
) -> None:
    """The failed items of a machine score, and (`placed`: item → section and points) the
    points of its judged items by section. Every score passes here: one loop, no calls."""
    fails, sections = row.item_fails, row.sections
    for item, failed, points_lost in judged:
        name = str(item)
        if failed:
            fails[name] = fails.get(name, 0) + 1
        where = placed.get(name) if placed is not None else None
        if where is not None:
            sums = sections.get(where[0])
            if sums is None:
                sums = sections[where[0]] = [0.0, 0.0]
            sums[0] += where[1]
            sums[1] += float(points_lost or 0)


def _add_section(row: _Row, section: str, points: float, lost: float) -> None:
    sums = row.sections.setdefault(section, [0.0, 0.0])
    sums[0] += points
    sums[1] += lost


class _ItemSections:
    """Item id → (section, points) per scorecard version, read once per version."""

    def __init__(self) -> None:
        self._standard = self._map(builtin_scorecard())
        self._versions: dict[int, dict[str, tuple[str, float]]] = {}

    @staticmethod
    def _map(scorecard: Scorecard) -> dict[str, tuple[str, float]]:
        return {item.id: (item.section, item.points) for item in scorecard.items}

    def of_version(self, version: int) -> dict[str, tuple[str, float]]:
        """Item id → (section, points) of `version`, the built-in standard's for the rest."""
        if version not in self._versions:
            source = (
                ScorecardVersion.objects.filter(pk=version)
                .values_list("source_text", flat=True)
                .first()
            )
            try:
                own = self._map(parse_scorecard(source or ""))
            except ScorecardError:
                own = {}
            self._versions[version] = self._standard | own
        return self._versions[version]


def _write(rows: dict[_Key, _Row]) -> int:
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
                **(row.values | row.kpi.values()),
            )
            for (day, group_day, queue, agent), row in rows.items()
        ],
        batch_size=1000,
    )
    return len(rows)
