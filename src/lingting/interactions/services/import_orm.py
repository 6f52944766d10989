"""SQLite: an import stored through the ORM, batch by batch (see `importing`)."""

from __future__ import annotations

from typing import Any

from django.db import DataError, IntegrityError, connection, models, transaction

from lingting.core.models import Agent
from lingting.engine.contacts import Contact, Turn
from lingting.engine.reader import LineError, ParsedLine
from lingting.interactions.engine_contacts import engine_contacts_for
from lingting.interactions.models import Contact as ContactRow
from lingting.interactions.models import Customer, Queue, Recording
from lingting.interactions.models import Turn as TurnRow
from lingting.interactions.services.import_batches import (
    ErrorSink,
    FollowUp,
    ImportReport,
    column_problem,
    follow_up_batch,
    reject,
)
from lingting.interactions.tasks import search_index_later

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


def import_batch(
    lines: list[ParsedLine],
    *,
    report: ImportReport,
    follow_up: FollowUp,
    on_error: ErrorSink | None,
) -> None:
    storable: list[ParsedLine] = []
    for line in lines:
        problem = column_problem(line.contact)
        if problem:
            reject(report, LineError(line.line, problem, "", line.contact.id), on_error)
        else:
            storable.append(line)
    contacts = _latest_per_id(storable)
    if not contacts:
        return
    try:
        with transaction.atomic():
            created, updated = _store(contacts, follow_up)
    except (DataError, IntegrityError) as exc:
        # A row the database refuses. Anything else (a lock timeout, a lost connection)
        # stops the import: retrying line by line would only fail the same way, slowly.
        if len(storable) == 1:
            line = storable[0]
            reason = f"the database refused this contact: {str(exc).strip().splitlines()[0]}"
            reject(report, LineError(line.line, reason, "", line.contact.id), on_error)
            return
        # Find the offending line(s): every other line of the batch still lands.
        for line in storable:
            import_batch([line], report=report, follow_up=follow_up, on_error=on_error)
        return
    report.imported += created
    report.updated += updated + len(storable) - len(contacts)


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
        incoming = incoming._replace(turns=stored.turns)
    if incoming.recording is None and stored.recording is not None:
        incoming = incoming._replace(recording=stored.recording)
    return incoming


def _as_stored(contact: Contact) -> Contact:
    """The contact as reading it back from the database gives it, for comparison."""
    blanks: dict[str, Any] = {name: None for name in _BLANKABLE if getattr(contact, name) == ""}
    return contact._replace(**blanks) if blanks else contact


def _store(contacts: list[Contact], follow_up: FollowUp) -> tuple[int, int]:
    """Write one batch; returns (created, updated)."""
    before = _stored_contacts([c.id for c in contacts])
    recorded = [c.id for c in contacts if c.recording is not None]  # the lines' own
    contacts = [_kept(c, before[c.id]) if c.id in before else c for c in contacts]
    row_ids = _upsert_contacts(contacts)
    _store_transcripts(contacts, before, row_ids)
    _store_recordings(contacts, before, row_ids)

    changed = {c.id for c in contacts if c.id in before and _as_stored(c) != before[c.id]}
    search_index_later(
        contact_ids=[row_ids[c.id] for c in contacts if c.id not in before or c.id in changed],
        in_process=follow_up.in_process,
    )
    if changed:
        ContactRow.objects.filter(id__in=[row_ids[i] for i in changed]).update(current_score=None)
    # As on PostgreSQL (`_store_rows`): stored contacts without a current result go again.
    unscored = set(
        ContactRow.objects.filter(
            external_id__in=list(before), current_score__isnull=True
        ).values_list("external_id", flat=True)
    )
    to_score = [
        row_ids[c.id]
        for c in contacts
        if c.turns and (c.id not in before or c.id in changed or c.id in unscored)
    ]
    follow_up_batch(follow_up, recorded=[row_ids[i] for i in recorded], to_score=to_score)
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


def _stored_contacts(external_ids: list[str]) -> dict[str, Contact]:
    """The stored contacts among these ids, as the engine sees them, by id."""
    ids = ContactRow.objects.filter(external_id__in=external_ids).values_list("id", flat=True)
    return {contact.id: contact for _, contact in engine_contacts_for(contact_ids=list(ids))}


def _upsert_contacts(contacts: list[Contact]) -> dict[str, int]:
    """Insert new contacts and update stored ones; returns row ids by contact id."""
    values = _contact_values(contacts)
    # What a line sets replaces what is stored; `imported_at` and `current_score` stay.
    updated = [column for column in values[0] if column != "external_id"] + ["updated_at"]
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
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {columns} VALUES (%s, %s, %s, %s, %s, %s)", rows)
