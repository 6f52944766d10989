"""PostgreSQL: each good line turned, where it is read (a reader process), into the text
COPY takes (a `_Row`), and stored batch by batch with COPY and a few set-based statements.
See `importing` for what a batch guarantees."""

from __future__ import annotations

import itertools
import os
import time
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future
from datetime import tzinfo
from pathlib import Path
from typing import Any, NamedTuple

import orjson
from django.db import DataError, IntegrityError, connection, transaction
from django.db.backends.utils import CursorWrapper

from lingting.core.forked import forked_pool
from lingting.core.models import Agent
from lingting.engine.batch import line_aligned_ranges
from lingting.engine.contacts import Contact
from lingting.engine.reader import LineError, NumberedLines, ParsedLine, parse_json_line
from lingting.engine.search import Segmenter
from lingting.interactions.models import Contact as ContactRow
from lingting.interactions.models import Customer, Queue, Recording
from lingting.interactions.models import Turn as TurnRow
from lingting.interactions.search import search_segmenter
from lingting.interactions.search_index import SearchEntry, search_entries_store, search_entry_of
from lingting.interactions.services.import_batches import (
    ErrorSink,
    FollowUp,
    ImportReport,
    column_problem,
    follow_up_batch,
    reject,
)
from lingting.interactions.tasks import search_index_later

# Chunks read ahead of the database: enough that the readers never wait for a batch to be
# written, few enough that memory stays small.
IN_FLIGHT_BYTES = 16 * 1024 * 1024

_Chunk = tuple[int, list["_Row | LineError"]]


class Reading(NamedTuple):
    """What a reader process needs to know of the file and the import."""

    path: str
    encoding: str
    tz: tzinfo
    with_search: bool  # make each line's search entry (`import --sync`)


def read_in_workers(
    reading: Reading, workers: int, chunk_bytes: int
) -> Iterator[tuple[int, list[_Row | LineError], bool]]:
    """Each chunk of the file as (lines in it, rows and errors, whether the next chunk is
    ready), in file order. At most IN_FLIGHT_BYTES of the file are being read or waiting
    at a time, so memory stays flat however big the file and however slow the database."""
    parts = max(1, os.path.getsize(reading.path) // max(1, chunk_bytes))
    ranges = iter(line_aligned_ranges(Path(reading.path), parts))
    pool = forked_pool(workers)
    pending: deque[Future[_Chunk]] = deque()

    def submit() -> None:
        for start, end in itertools.islice(ranges, 1):
            # Only the first chunk can start with a byte-order mark.
            bom_read = start > 0 and reading.encoding == "utf-8-sig"
            chunk = reading._replace(encoding="utf-8") if bom_read else reading
            pending.append(pool.submit(_read_chunk, chunk, start, end))

    try:
        for _ in range(max(2 * workers + 1, IN_FLIGHT_BYTES // max(1, chunk_bytes))):
            submit()
        while pending:
            lines, items = pending.popleft().result()
            submit()
            yield lines, items, bool(pending) and pending[0].done()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _read_chunk(reading: Reading, start: int, end: int) -> _Chunk:
    """In a worker: read, check and encode the lines of one chunk, numbered from 1."""
    items: list[_Row | LineError] = []
    segmenter = search_segmenter() if reading.with_search else None
    with open(reading.path, "rb") as stream:
        stream.seek(start)
        lines = NumberedLines(stream, encoding=reading.encoding, limit=end - start)
        for number, text in lines:
            if isinstance(text, LineError):
                items.append(text)
                continue
            parsed = parse_json_line(number, text, tz=reading.tz)
            if isinstance(parsed, LineError):
                items.append(parsed)
            else:
                # JSON spells a backslash, tab or line break in a string with a backslash:
                # without one in the line, none of its strings needs escaping for COPY.
                items.append(compact(parsed, plain="\\" not in text, segmenter=segmenter))
    return lines.lines_read, items


class _Row(NamedTuple):
    """A good line as COPY text, made where the line is read (a worker process)."""

    line: int
    id: str
    cells: bytes  # the contact's columns, _SCRATCH_COLUMNS from `external_id` to `extra`
    turns: bytes  # one line per turn, each starting with a tab: the contact's row id goes first
    turn_count: int
    recording: str | None
    # With `import --sync`, what search keeps of the line, made by the reader (see
    # `_searchable`); otherwise None, and the task worker indexes the stored contact.
    search: SearchEntry | None = None


_N = "\\N"  # NULL in COPY text


def _copy_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def _copy_plain(text: str) -> bool:
    """True when `text` needs no escaping for COPY (nearly always)."""
    return not ("\\" in text or "\t" in text or "\n" in text or "\r" in text)


def _copy_json(value: Any) -> str:
    # JSON spells a tab or line break in a string with a backslash: only those need escaping.
    # (`default=dict`: a contact built without extra fields holds a read-only mapping.)
    text = orjson.dumps(value, default=dict).decode()
    return text.replace("\\", "\\\\") if "\\" in text else text


def _copy_values(values: list[Any]) -> list[str]:
    """Times, numbers and None as COPY text, all in one call: orjson writes a time in ISO
    8601 with its offset and a float as the shortest text that reads back as that float,
    several times faster than `isoformat` and `repr` one by one."""
    return orjson.dumps(values).decode()[1:-1].replace('"', "").replace("null", _N).split(",")


def _encode(contact: Contact, *, plain: bool = False) -> tuple[bytes, bytes]:
    """(cells, turns) of a contact as COPY text. Every line goes through here: text is
    escaped only when some of it needs it (`plain`: the caller knows none does), and there
    is no function call per turn."""
    c = contact
    texts = [
        c.id,
        c.channel or "",
        c.direction or "",
        c.queue or "",
        c.agent_id or "",
        c.customer_id or "",
        c.disposition or "",
        c.hangup_by or "",
    ]
    if not plain and not _copy_plain("".join(texts)):
        texts = [_copy_text(text) for text in texts]
    contact_id, channel, direction, queue, agent, customer, disposition, hangup_by = texts
    queued, started, answered, ended, rings, wait, talk, hold, acw = _copy_values(
        [
            c.queued_at,
            c.started_at,
            c.answered_at,
            c.ended_at,
            c.rings,
            c.wait_s,
            c.talk_s,
            c.hold_s,
            c.acw_s,
        ]
    )
    cells = "\t".join(
        (
            contact_id,
            channel,
            direction,
            queue or _N,  # blank and absent codes alike are no queue, agent or customer
            agent or _N,
            customer or _N,
            queued,
            started,
            answered,
            ended,
            disposition,
            hangup_by,
            _copy_json(c.tags),
            rings,
            wait,
            talk,
            hold,
            acw,
            _copy_json([{"start": h.start, "end": h.end} for h in c.holds]),
            _copy_json(c.extra),
        )
    )
    turns = c.turns
    if not turns:
        return cells.encode(), b""
    starts = _copy_values([t.start for t in turns])
    ends = _copy_values([t.end for t in turns])
    if plain or _copy_plain("".join([t.speaker + t.text for t in turns])):
        lines = [
            f"\t{t.index}\t{t.speaker}\t{t.text}\t{start}\t{end}\n"
            for t, start, end in zip(turns, starts, ends, strict=True)
        ]
    else:
        lines = [
            f"\t{t.index}\t{_copy_text(t.speaker)}\t{_copy_text(t.text)}\t{start}\t{end}\n"
            for t, start, end in zip(turns, starts, ends, strict=True)
        ]
    return cells.encode(), "".join(lines).encode()


def compact(
    parsed: ParsedLine, *, plain: bool = False, segmenter: Segmenter | None = None
) -> _Row | LineError:
    """The line as a `_Row` (with its search entry, given a `segmenter`), or why it cannot
    be stored."""
    contact = parsed.contact
    problem = column_problem(contact)
    if problem is not None:
        return LineError(parsed.line, problem, "", contact.id)
    cells, turns = _encode(contact, plain=plain)
    search = None
    if segmenter is not None:
        search = search_entry_of(
            segmenter,
            contact.turns,
            tags=contact.tags,
            customer=contact.customer_id,
            extra=contact.extra,
        )
    return _Row(
        parsed.line, contact.id, cells, turns, len(contact.turns), contact.recording, search
    )


class RowImporter:
    """Collects rows into batches and stores each batch in one transaction."""

    def __init__(self, *, batch_size: int, follow_up: FollowUp, on_error: ErrorSink | None) -> None:
        self.report = ImportReport()
        self._batch_size = batch_size
        self._follow_up = follow_up
        self._on_error = on_error
        self._rows: list[_Row] = []
        self._began = time.perf_counter()

    def add(self, item: _Row | LineError) -> None:
        self.report.read += 1
        if isinstance(item, LineError):
            reject(self.report, item, self._on_error)
            return
        self._rows.append(item)
        if len(self._rows) >= self._batch_size:
            self.flush()

    def finish(self) -> ImportReport:
        self.flush()
        self.report.seconds = time.perf_counter() - self._began
        return self.report

    def flush(self, minimum: int = 1) -> None:
        """Store the rows collected so far, if there are at least `minimum`."""
        if len(self._rows) >= max(1, minimum):
            _import_rows(
                self._rows, report=self.report, follow_up=self._follow_up, on_error=self._on_error
            )
            self._rows = []


def _import_rows(
    rows: list[_Row], *, report: ImportReport, follow_up: FollowUp, on_error: ErrorSink | None
) -> None:
    try:
        with transaction.atomic():
            created, updated, contacts = _store_rows(rows, follow_up)
    except (DataError, IntegrityError) as exc:
        # As in `import_batch`: find the offending line(s) and store every other one.
        if len(rows) == 1:
            reason = f"the database refused this contact: {str(exc).strip().splitlines()[0]}"
            reject(report, LineError(rows[0].line, reason, "", rows[0].id), on_error)
            return
        for row in rows:
            _import_rows([row], report=report, follow_up=follow_up, on_error=on_error)
        return
    report.imported += created
    report.updated += updated + len(rows) - contacts


def _kept_row(row: _Row, earlier: _Row) -> _Row:
    """`row`, keeping the earlier line's transcript and recording when it has none."""
    if not row.turns and earlier.turns:
        # Its search entry was made without these turns: the stored contact is indexed.
        row = row._replace(turns=earlier.turns, turn_count=earlier.turn_count, search=None)
    if row.recording is None and earlier.recording is not None:
        row = row._replace(recording=earlier.recording)
    return row


_SCRATCH = "lingting_import_contacts"
_SCRATCH_TURNS = "lingting_import_turns"
_SCRATCH_COLUMNS = """
    n integer, external_id text, channel text, direction text, queue text, agent text,
    customer text, queued_at timestamptz, started_at timestamptz, answered_at timestamptz,
    ended_at timestamptz, disposition text, hangup_by text, tags jsonb, rings integer,
    wait_s double precision, talk_s double precision, hold_s double precision,
    acw_s double precision, holds jsonb, extra jsonb, turn_count integer, recording text
"""
# Contact columns a line sets as they are; its codes become queue, agent and customer ids.
_PLAIN_COLUMNS = (
    "channel",
    "direction",
    "queued_at",
    "started_at",
    "answered_at",
    "ended_at",
    "disposition",
    "hangup_by",
    "tags",
    "rings",
    "wait_s",
    "talk_s",
    "hold_s",
    "acw_s",
    "holds",
    "extra",
)
_TURN_COLUMNS = 'contact_id, "index", speaker, text, start, "end"'


def _sql() -> dict[str, str]:
    contact, turn, recording = (m._meta.db_table for m in (ContactRow, TurnRow, Recording))
    queue, agent, customer = (m._meta.db_table for m in (Queue, Agent, Customer))
    plain = ", ".join(_PLAIN_COLUMNS)
    # The scratch rows with their codes turned into row ids (NULL: none).
    with_ids = (
        f"{_SCRATCH} s LEFT JOIN {queue} q ON q.code = s.queue"
        f" LEFT JOIN {agent} a ON a.code = s.agent LEFT JOIN {customer} u ON u.code = s.customer"
    )
    latest_recording = (
        f"(SELECT r.uri FROM {recording} r WHERE r.contact_id = c.id ORDER BY r.id DESC LIMIT 1)"
    )
    # What a line sets replaces what is stored; `imported_at` and `current_score` stay, and
    # so do the stored transcript's turn count when the line has no turns.
    compared = (*_PLAIN_COLUMNS, "queue_id", "agent_id", "customer_id")
    updates = ", ".join(f"{col} = EXCLUDED.{col}" for col in compared)
    return {
        "scratch": (
            f"CREATE TEMP TABLE IF NOT EXISTS {_SCRATCH} ({_SCRATCH_COLUMNS})"
            " ON COMMIT DELETE ROWS;"
            f" CREATE TEMP TABLE IF NOT EXISTS {_SCRATCH_TURNS}"
            ' (contact_id bigint, "index" integer, speaker text, text text,'
            f' start double precision, "end" double precision) ON COMMIT DELETE ROWS;'
            f" TRUNCATE {_SCRATCH}, {_SCRATCH_TURNS}"
        ),
        "copy_contacts": f"COPY {_SCRATCH} FROM STDIN",
        "stored": (
            f"SELECT external_id, id, turn_count, current_score_id IS NULL FROM {contact}"
            " WHERE external_id = ANY(%s)"
        ),
        # A concurrent import may create the same codes: the conflict is ignored.
        "codes": (
            f"INSERT INTO {queue} (code, name) SELECT DISTINCT queue, '' FROM {_SCRATCH}"
            " WHERE queue IS NOT NULL ON CONFLICT (code) DO NOTHING;"
            f" INSERT INTO {agent} (code, name) SELECT DISTINCT agent, '' FROM {_SCRATCH}"
            " WHERE agent IS NOT NULL ON CONFLICT (code) DO NOTHING;"
            f" INSERT INTO {customer} (code) SELECT DISTINCT customer FROM {_SCRATCH}"
            " WHERE customer IS NOT NULL ON CONFLICT (code) DO NOTHING"
        ),
        # Stored contacts to which a line brings a recording they do not have as their latest.
        "changed_recordings": (
            f"SELECT c.id FROM {_SCRATCH} s JOIN {contact} c ON c.external_id = s.external_id"
            f" WHERE s.recording IS NOT NULL AND s.recording IS DISTINCT FROM {latest_recording}"
        ),
        "copy_new_turns": f"COPY {turn} ({_TURN_COLUMNS}) FROM STDIN",
        "copy_stored_turns": f"COPY {_SCRATCH_TURNS} ({_TURN_COLUMNS}) FROM STDIN",
        # Stored contacts whose transcript a line changes (the lines' turns are in the scratch
        # table): a turn on one side only, or one that differs.
        "changed_turns": (
            f"SELECT DISTINCT coalesce(n.contact_id, o.contact_id) FROM {_SCRATCH_TURNS} n"
            f" FULL JOIN (SELECT {_TURN_COLUMNS} FROM {turn} WHERE contact_id = ANY(%(ids)s)) o"
            ' ON o.contact_id = n.contact_id AND o."index" = n."index"'
            " WHERE n.contact_id IS NULL OR o.contact_id IS NULL"
            ' OR (n.speaker, n.text, n.start, n."end")'
            ' IS DISTINCT FROM (o.speaker, o.text, o.start, o."end")'
        ),
        # A stored contact is written only when the line changes it, as the database compares
        # values (times as instants, JSON as JSON); `changed` names those whose transcript or
        # recording changes. Only written rows come back.
        "upsert": (
            f"INSERT INTO {contact} AS c (external_id, {plain}, queue_id, agent_id, customer_id,"
            " turn_count, imported_at, updated_at)"
            f" SELECT s.external_id, {', '.join(f's.{col}' for col in _PLAIN_COLUMNS)},"
            f" q.id, a.id, u.id, s.turn_count, now(), now() FROM {with_ids} ORDER BY s.n"
            f" ON CONFLICT (external_id) DO UPDATE SET {updates},"
            " turn_count = CASE WHEN EXCLUDED.turn_count > 0 THEN EXCLUDED.turn_count"
            " ELSE c.turn_count END, updated_at = EXCLUDED.updated_at"
            f" WHERE ({', '.join(f'c.{col}' for col in compared)})"
            f" IS DISTINCT FROM ({', '.join(f'EXCLUDED.{col}' for col in compared)})"
            " OR c.id = ANY(%(changed)s)"
            " RETURNING external_id, id"
        ),
        "replace_turns": (
            f"DELETE FROM {turn} WHERE contact_id = ANY(%(ids)s);"
            f" INSERT INTO {turn} ({_TURN_COLUMNS}) SELECT {_TURN_COLUMNS} FROM {_SCRATCH_TURNS}"
            " WHERE contact_id = ANY(%(ids)s)"
        ),
        # As `bulk_create(ignore_conflicts=True)`: a recording the contact has is kept as it is.
        "recordings": (
            f"INSERT INTO {recording} (contact_id, uri) SELECT c.id, s.recording"
            f" FROM {_SCRATCH} s JOIN {contact} c ON c.external_id = s.external_id"
            f" WHERE s.recording IS NOT NULL AND s.recording IS DISTINCT FROM {latest_recording}"
            " ON CONFLICT DO NOTHING"
        ),
        "unscore": f"UPDATE {contact} SET current_score_id = NULL WHERE id = ANY(%s)",
    }


_SQL = _sql()


def _store_rows(rows: list[_Row], follow_up: FollowUp) -> tuple[int, int, int]:
    """Write one batch; returns (created, updated, contacts).

    The comparison with what is stored happens in the database, set by set: nothing stored
    is read back here. New contacts' turns are copied straight into their table; the turns
    of stored contacts go to a scratch table first, and replace the stored ones only where
    they differ.
    """
    latest: dict[str, _Row] = {}
    for row in rows:
        earlier = latest.get(row.id)
        latest[row.id] = row if earlier is None else _kept_row(row, earlier)
    # COPY's errors come from psycopg itself: wrap them into Django's DataError & co., so
    # that a refused row is handled like any other and only its batch is rolled back.
    with connection.wrap_database_errors, connection.cursor() as cursor:
        # See the module's docstring: a crash may lose this batch, which a rerun restores.
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute(_SQL["stored"], [list(latest)])
        stored = {
            external_id: (row_id, count, unscored)
            for external_id, row_id, count, unscored in cursor.fetchall()
        }
        # One pair of scratch tables per session, emptied at commit; batches that share a
        # transaction (an outer atomic block) empty them themselves.
        cursor.execute(_SQL["scratch"])
        _copy_scratch(cursor, latest.values())
        cursor.execute(_SQL["codes"])

        different: list[int] = []  # stored contacts whose turns are replaced
        recorded: list[int] = []  # stored contacts with a new latest recording
        new_turns = [row for row in latest.values() if row.turns and row.id not in stored]
        stored_turns = [row for row in latest.values() if row.turns and row.id in stored]
        if stored_turns:
            ids = {row.id: stored[row.id][0] for row in stored_turns}
            _copy_turns(cursor, _SQL["copy_stored_turns"], stored_turns, ids)
            cursor.execute(_SQL["changed_turns"], {"ids": list(ids.values())})
            different = [row_id for (row_id,) in cursor.fetchall()]
        has_recordings = any(row.recording is not None for row in latest.values())
        if stored and has_recordings:
            cursor.execute(_SQL["changed_recordings"])
            recorded = [row_id for (row_id,) in cursor.fetchall()]

        cursor.execute(_SQL["upsert"], {"changed": different + recorded})
        written: dict[str, int] = dict(cursor.fetchall())
        row_ids = {external_id: row_id for external_id, (row_id, _, _) in stored.items()} | written
        changed = [row_id for external_id, row_id in written.items() if external_id in stored]
        if new_turns:
            _copy_turns(cursor, _SQL["copy_new_turns"], new_turns, row_ids)
        if different:
            cursor.execute(_SQL["replace_turns"], {"ids": different})
        if has_recordings:
            cursor.execute(_SQL["recordings"])
        if changed:
            cursor.execute(_SQL["unscore"], [changed])
    # Written contacts (new, or changed by the line) are found by search as now stored.
    ready = {
        row_id: entry
        for external_id, row_id in written.items()
        if (entry := _searchable(latest[external_id], stored)) is not None
    }
    search_entries_store(ready)
    later = [row_id for row_id in written.values() if row_id not in ready]
    search_index_later(contact_ids=later, in_process=follow_up.in_process)

    # New contacts with a transcript, and stored ones that have one (theirs or the stored)
    # and were changed or have no current result: a run that died after storing them,
    # before it sent them for scoring, is made good by running the file again.
    rescored = set(changed)
    to_score = [row_ids[row.id] for row in new_turns] + [
        row_id
        for external_id, (row_id, count, unscored) in stored.items()
        if (row_id in rescored or unscored) and (count or latest[external_id].turns)
    ]
    recorded = [row_ids[row.id] for row in latest.values() if row.recording is not None]
    follow_up_batch(follow_up, recorded=recorded, to_score=to_score)
    return len(latest) - len(stored), len(stored), len(latest)


def _searchable(row: _Row, stored: Mapping[str, Any]) -> SearchEntry | None:
    """The reader's search entry of a written row, when it is the stored contact's: the line
    brings a transcript, or the contact is new (a line without turns keeps the stored ones,
    which the reader never saw)."""
    if row.search is None or not (row.turns or row.id not in stored):
        return None
    return row.search


def _copy_scratch(cursor: CursorWrapper, rows: Iterable[_Row]) -> None:
    data = b"".join(
        [
            b"%d\t%s\t%d\t%s\n"
            % (
                n,
                row.cells,
                row.turn_count,
                _N.encode() if row.recording is None else _copy_text(row.recording).encode(),
            )
            for n, row in enumerate(rows)
        ]
    )
    with cursor.copy(_SQL["copy_contacts"]) as copy:
        copy.write(data)


def _copy_turns(
    cursor: CursorWrapper, statement: str, rows: list[_Row], row_ids: dict[str, int]
) -> None:
    """COPY the turns of these rows, each line led by its contact's row id."""
    parts = []
    for row in rows:
        row_id = b"%d" % row_ids[row.id]
        parts.append(row_id + row.turns.replace(b"\n\t", b"\n" + row_id + b"\t"))
    with cursor.copy(statement) as copy:
        copy.write(b"".join(parts))
