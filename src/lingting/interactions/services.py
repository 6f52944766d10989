"""Importing contacts in bulk (FORMATS.md interaction records), idempotent by contact id.

Each batch is one transaction: a database error rolls back that batch only, and its lines
are then retried one by one so that only the offending line is rejected. Importing an id
that is already stored updates that contact; it never duplicates it. On PostgreSQL the
rows go in with COPY (see benchmarks/import_throughput.py for what that buys).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from django.db import DataError, IntegrityError, connection, models, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb

from lingting.core.models import Agent
from lingting.engine.contacts import Contact, Turn
from lingting.engine.reader import LineError, ParsedLine
from lingting.interactions.models import Contact as ContactRow
from lingting.interactions.models import Customer, Queue, Recording
from lingting.interactions.models import Turn as TurnRow
from lingting.quality.selectors import engine_contacts_for
from lingting.quality.tasks import score_contacts

# The report keeps this many errors for display; `on_error` sees every one.
MAX_KEPT_ERRORS = 1000

# Engine fields whose absence the engine may spell "" but the database stores as blank/NULL.
_BLANKABLE = (
    "channel",
    "direction",
    "disposition",
    "hangup_by",
    "queue",
    "agent_id",
    "customer_id",
)
_JSON_COLUMNS = frozenset({"tags", "holds", "extra"})
_SCRATCH = "lingting_contact_import"
_SMALLINT_MAX = 32767

ErrorSink = Callable[[LineError], None]


@dataclass(slots=True)
class ImportReport:
    read: int = 0
    imported: int = 0  # contacts created
    updated: int = 0  # lines that updated a stored contact (or an earlier line of the file)
    rejected: int = 0
    errors: list[LineError] = field(default_factory=list)  # the first MAX_KEPT_ERRORS
    seconds: float = 0.0

    @property
    def contacts_per_second(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True, slots=True)
class _Scoring:
    enabled: bool
    in_process: bool


def contacts_import(
    *,
    lines: Iterable[ParsedLine | LineError],
    batch_size: int = 2000,
    score: bool = True,
    score_in_process: bool = False,
    on_error: ErrorSink | None = None,
) -> ImportReport:
    """Store every good line and report every bad one; never stops at a bad line.

    A line without turns never erases a stored transcript, and a line without a recording
    never drops a stored one: a CDR refresh (CSV) after the transcripts keeps them. When
    what the scorecard reads changed, the contact's current score is cleared (its evidence
    may point at words no longer there) and, with `score`, the contact is scored again
    once its batch commits: by the task worker, or here with `score_in_process`.
    """
    report = ImportReport()
    scoring = _Scoring(enabled=score, in_process=score_in_process)
    began = time.perf_counter()
    for chunk in itertools.batched(lines, batch_size):
        parsed: list[ParsedLine] = []
        for item in chunk:
            report.read += 1
            if isinstance(item, LineError):
                _reject(report, item, on_error)
            else:
                parsed.append(item)
        _import_batch(parsed, report=report, scoring=scoring, on_error=on_error)
    report.seconds = time.perf_counter() - began
    return report


def _reject(report: ImportReport, error: LineError, on_error: ErrorSink | None) -> None:
    report.rejected += 1
    if len(report.errors) < MAX_KEPT_ERRORS:
        report.errors.append(error)
    if on_error is not None:
        on_error(error)


def _import_batch(
    lines: list[ParsedLine], *, report: ImportReport, scoring: _Scoring, on_error: ErrorSink | None
) -> None:
    storable: list[ParsedLine] = []
    for line in lines:
        problem = _column_problem(line.contact)
        if problem:
            _reject(report, LineError(line.line, problem, "", line.contact.id), on_error)
        else:
            storable.append(line)
    contacts = _latest_per_id(storable)
    if not contacts:
        return
    try:
        with transaction.atomic():
            created, updated = _store(contacts, scoring)
    except (DataError, IntegrityError) as exc:
        # A row the database refuses. Anything else (a lock timeout, a lost connection)
        # stops the import: retrying line by line would only fail the same way, slowly.
        if len(storable) == 1:
            line = storable[0]
            reason = f"the database refused this contact: {str(exc).strip().splitlines()[0]}"
            _reject(report, LineError(line.line, reason, "", line.contact.id), on_error)
            return
        # Find the offending line(s): every other line of the batch still lands.
        for line in storable:
            _import_batch([line], report=report, scoring=scoring, on_error=on_error)
        return
    report.imported += created
    report.updated += updated + len(storable) - len(contacts)


def _column_limits() -> dict[str, int]:
    columns: dict[str, tuple[type[models.Model], str]] = {
        "id": (ContactRow, "external_id"),
        "channel": (ContactRow, "channel"),
        "direction": (ContactRow, "direction"),
        "disposition": (ContactRow, "disposition"),
        "hangup_by": (ContactRow, "hangup_by"),
        "queue": (Queue, "code"),
        "agent_id": (Agent, "code"),
        "customer_id": (Customer, "code"),
        "recording": (Recording, "uri"),
    }
    limits = {}
    for name, (model, column) in columns.items():
        field = model._meta.get_field(column)
        assert isinstance(field, models.CharField)
        assert field.max_length is not None
        limits[name] = field.max_length
    return limits


_LIMITS = _column_limits()


def _column_problem(contact: Contact) -> str | None:
    """Why the contact does not fit its columns, checked here so that SQLite and
    PostgreSQL (which alone enforces sizes) accept and refuse the same lines."""
    for name, limit in _LIMITS.items():
        value = getattr(contact, name)
        if value is not None and len(value) > limit:
            return f"'{name}' is longer than {limit} characters ({len(value)})"
    if contact.rings is not None and contact.rings > _SMALLINT_MAX:
        return f"'rings' must be at most {_SMALLINT_MAX}, not {contact.rings}"
    return None


def _latest_per_id(lines: list[ParsedLine]) -> list[Contact]:
    """One contact per id: a later line wins over an earlier line of the same batch."""
    latest: dict[str, Contact] = {}
    for line in lines:
        earlier = latest.get(line.contact.id)
        latest[line.contact.id] = line.contact if earlier is None else _kept(line.contact, earlier)
    return list(latest.values())


def _kept(incoming: Contact, stored: Contact) -> Contact:
    """`incoming`, keeping the stored transcript and recording when the line has none."""
    if not incoming.turns and stored.turns:
        incoming = replace(incoming, turns=stored.turns)
    if incoming.recording is None and stored.recording is not None:
        incoming = replace(incoming, recording=stored.recording)
    return incoming


def _as_stored(contact: Contact) -> Contact:
    """The contact as reading it back from the database gives it, for comparison."""
    blanks: dict[str, Any] = {name: None for name in _BLANKABLE if getattr(contact, name) == ""}
    return replace(contact, **blanks) if blanks else contact


def _store(contacts: list[Contact], scoring: _Scoring) -> tuple[int, int]:
    """Write one batch; returns (created, updated)."""
    before = _stored_contacts([c.id for c in contacts])
    contacts = [_kept(c, before[c.id]) if c.id in before else c for c in contacts]
    row_ids = _upsert_contacts(contacts)
    _store_transcripts(contacts, before, row_ids)
    _store_recordings(contacts, before, row_ids)

    changed = {c.id for c in contacts if c.id in before and _as_stored(c) != before[c.id]}
    if changed:
        ContactRow.objects.filter(id__in=[row_ids[i] for i in changed]).update(current_score=None)
    to_score = [
        row_ids[c.id] for c in contacts if c.turns and (c.id not in before or c.id in changed)
    ]
    if scoring.enabled and to_score:
        transaction.on_commit(partial(_score, to_score, in_process=scoring.in_process))
    return len(contacts) - len(before), len(before)


def _store_transcripts(
    contacts: list[Contact], before: dict[str, Contact], row_ids: dict[str, int]
) -> None:
    """Replace the turns of contacts whose transcript is new or different."""
    new = [c for c in contacts if c.id not in before and c.turns]
    different = [c for c in contacts if c.id in before and c.turns != before[c.id].turns]
    if different:
        TurnRow.objects.filter(contact_id__in=[row_ids[c.id] for c in different]).delete()
    _insert_turns([(row_ids[c.id], c.turns) for c in new + different])


def _store_recordings(
    contacts: list[Contact], before: dict[str, Contact], row_ids: dict[str, int]
) -> None:
    stored = {c.id: c.recording for c in before.values()}
    Recording.objects.bulk_create(
        [
            Recording(contact_id=row_ids[c.id], uri=c.recording)
            for c in contacts
            if c.recording is not None and c.recording != stored.get(c.id)
        ],
        ignore_conflicts=True,
    )


def _score(contact_ids: list[int], *, in_process: bool) -> None:
    if in_process:
        score_contacts.call(contact_ids)
    else:
        score_contacts.enqueue(contact_ids)


def _stored_contacts(external_ids: list[str]) -> dict[str, Contact]:
    """The stored contacts among these ids, as the engine sees them, by id."""
    ids = ContactRow.objects.filter(external_id__in=external_ids).values_list("id", flat=True)
    return {contact.id: contact for _, contact in engine_contacts_for(contact_ids=list(ids))}


def _upsert_contacts(contacts: list[Contact]) -> dict[str, int]:
    """Insert new contacts and update stored ones; returns row ids by contact id."""
    values = _contact_values(contacts)
    # What a line sets replaces what is stored; `imported_at` and `current_score` stay.
    updated = [column for column in values[0] if column != "external_id"] + ["updated_at"]
    if connection.vendor == "postgresql":
        return _copy_upsert_contacts(values, updated)
    rows = [ContactRow(**row) for row in values]
    ContactRow.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["external_id"], update_fields=updated
    )
    return {row.external_id: row.pk for row in rows}


def _contact_values(contacts: list[Contact]) -> list[dict[str, Any]]:
    """The contact columns a line sets, by column name."""
    queues = _ids_by_code(Queue.objects, {c.queue for c in contacts if c.queue})
    agents = _ids_by_code(Agent.objects, {c.agent_id for c in contacts if c.agent_id})
    customers = _ids_by_code(Customer.objects, {c.customer_id for c in contacts if c.customer_id})
    return [
        {
            "external_id": c.id,
            "channel": c.channel or "",
            "direction": c.direction or "",
            "queue_id": queues.get(c.queue or ""),
            "agent_id": agents.get(c.agent_id or ""),
            "customer_id": customers.get(c.customer_id or ""),
            "queued_at": c.queued_at,
            "started_at": c.started_at,
            "answered_at": c.answered_at,
            "ended_at": c.ended_at,
            "disposition": c.disposition or "",
            "hangup_by": c.hangup_by or "",
            "tags": list(c.tags),
            "rings": c.rings,
            "wait_s": c.wait_s,
            "talk_s": c.talk_s,
            "hold_s": c.hold_s,
            "acw_s": c.acw_s,
            "holds": [{"start": h.start, "end": h.end} for h in c.holds],
            "turn_count": len(c.turns),
            "extra": dict(c.extra),
        }
        for c in contacts
    ]


def _copy_upsert_contacts(values: list[dict[str, Any]], updated: list[str]) -> dict[str, int]:
    """PostgreSQL: COPY the batch into a scratch table and upsert from it in one statement.
    Building bulk_create's SQL, value by value, took half the time of a whole import."""
    table = ContactRow._meta.db_table
    columns = ", ".join([*values[0], "imported_at", "updated_at"])
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in updated)
    now = timezone.now()
    with connection.wrap_database_errors, connection.cursor() as cursor:
        # One scratch table per session, emptied at commit; batches that share a
        # transaction (an outer atomic block) empty it themselves.
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_SCRATCH} ON COMMIT DELETE ROWS"
            f" AS SELECT * FROM {table} WITH NO DATA"
        )
        cursor.execute(f"DELETE FROM {_SCRATCH}")
        with cursor.copy(f"COPY {_SCRATCH} ({columns}) FROM STDIN") as copy:
            for row in values:
                cells = [Jsonb(v) if k in _JSON_COLUMNS else v for k, v in row.items()]
                copy.write_row([*cells, now, now])
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {_SCRATCH}"
            f" ON CONFLICT (external_id) DO UPDATE SET {updates} RETURNING external_id, id"
        )
        return dict(cursor.fetchall())


def _ids_by_code(manager: models.Manager[Any], codes: set[str]) -> dict[str, int]:
    """Row ids for codes, creating the rows that are missing (a concurrent import may
    create the same ones: the conflict is ignored and the row read back)."""
    if not codes:
        return {}
    found: dict[str, int] = dict(manager.filter(code__in=codes).values_list("code", "id"))
    missing = codes - found.keys()
    if missing:
        manager.bulk_create([manager.model(code=code) for code in missing], ignore_conflicts=True)
        found.update(manager.filter(code__in=missing).values_list("code", "id"))
    return found


def _insert_turns(transcripts: list[tuple[int, tuple[Turn, ...]]]) -> None:
    """Write turns with one raw statement, not `bulk_create`: a contact has ~12 turns, and
    building and compiling a model instance per turn made turns the bottleneck of import."""
    rows = [
        (contact_id, t.index, t.speaker, t.text, t.start, t.end)
        for contact_id, turns in transcripts
        for t in turns
    ]
    columns = f'{TurnRow._meta.db_table} (contact_id, "index", speaker, text, start, "end")'
    # COPY's errors come from psycopg itself: wrap them into Django's DataError & co., so
    # that a refused row is handled like any other and only its batch is rolled back.
    with connection.wrap_database_errors, connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams rows several times faster than any INSERT.
            with cursor.copy(f"COPY {columns} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {columns} VALUES (%s, %s, %s, %s, %s, %s)", rows)
