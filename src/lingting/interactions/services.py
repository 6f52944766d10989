"""Importing contacts in bulk (FORMATS.md interaction records), idempotent by contact id.

Each batch is one transaction: a database error rolls back that batch only, and its lines
are then retried one by one so that only the offending line is rejected. Importing an id
that is already stored updates that contact; it never duplicates it.

On PostgreSQL each good line is turned, where it is read, into the text COPY takes (a
`_Row`), so the process that writes to the database does almost no work per field: the
batch goes in with COPY and a few set-based statements. `contacts_import_file` reads a big
JSON-lines file in worker processes (chunks of lines in flight, a bounded number at a time,
in file order) while this process writes; see benchmarks/import_throughput.py for figures.

Each batch is committed with `synchronous_commit = off`: a commit returns before its WAL
reaches the disk, so a crash of the database server within a fraction of a second of it can
lose the last batches (never corrupt anything). The import is idempotent, so running the
file again puts them back, and sends for scoring every stored contact of the file that has
no current result, whatever happened to the run that stored it (so does the hourly sweep,
`lingting rescore --missing`). Reader processes die with this one and never touch its
database session (`lingting.core.forked`), so a killed import leaves nothing behind.
"""

from __future__ import annotations

import itertools
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import tzinfo
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

import orjson
from django.db import DataError, IntegrityError, connection, models, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import QuerySet

from lingting.core.forked import forked_pool
from lingting.core.models import Agent, Team, User
from lingting.core.services import audit_record
from lingting.engine.batch import line_aligned_ranges
from lingting.engine.contacts import Contact, Turn
from lingting.engine.reader import (
    LineError,
    NumberedLines,
    ParsedLine,
    parse_json_line,
    read_contacts_file,
    sniff_file_encoding,
)
from lingting.engine.search import Segmenter
from lingting.interactions.engine_contacts import engine_contacts_for
from lingting.interactions.models import AccessGrant, Customer, Queue, Recording
from lingting.interactions.models import Contact as ContactRow
from lingting.interactions.models import Turn as TurnRow
from lingting.interactions.search import search_segmenter
from lingting.interactions.search_index import SearchEntry, search_entries_store, search_entry_of
from lingting.interactions.tasks import search_index_later
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

# PostgreSQL, JSON lines: files at least this big are read by worker processes; smaller ones
# are done before the workers would have started.
PARALLEL_MIN_BYTES = 4 * 1024 * 1024
# What a worker reads at a time (about 500 contacts with transcripts): small enough that
# the first batch reaches the database soon, big enough that passing chunks costs nothing.
CHUNK_BYTES = 1024 * 1024
# Chunks read ahead of the database: enough that the readers never wait for a batch to be
# written, few enough that memory stays small.
IN_FLIGHT_BYTES = 16 * 1024 * 1024

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


def default_import_workers() -> int:
    """Processes that read the file while this one writes. On two cores one is best: the
    writer and PostgreSQL need the other (benchmarks/import_throughput.py --workers)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, (cores or 1) - 1)


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
    scoring = _Scoring(enabled=score, in_process=score_in_process)
    if connection.vendor == "postgresql":
        importer = _RowImporter(batch_size=batch_size, scoring=scoring, on_error=on_error)
        segmenter = search_segmenter() if score_in_process else None
        for item in lines:
            importer.add(
                item if isinstance(item, LineError) else _compact(item, segmenter=segmenter)
            )
        return importer.finish()
    report = ImportReport()
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


def contacts_import_file(
    path: str,
    *,
    tz: tzinfo,
    workers: int | None = None,
    batch_size: int = 2000,
    score: bool = True,
    score_in_process: bool = False,
    on_error: ErrorSink | None = None,
    chunk_bytes: int = CHUNK_BYTES,
) -> ImportReport:
    """`contacts_import` of a .jsonl or .csv file (`lingting import`).

    On PostgreSQL a JSON-lines file of PARALLEL_MIN_BYTES or more is read and checked by
    `workers` processes (default: `default_import_workers()`; 0 reads it here), chunk by
    chunk in file order, while this process writes what they send back. Raises
    `UnreadableFileError` (or OSError) before anything is stored if the file cannot be read.
    """
    encoding = sniff_file_encoding(path)
    if workers is None:
        big = os.path.getsize(path) >= PARALLEL_MIN_BYTES
        workers = default_import_workers() if big else 0
    if workers < 1 or connection.vendor != "postgresql" or path.lower().endswith(".csv"):
        return contacts_import(
            lines=read_contacts_file(path, tz=tz),
            batch_size=batch_size,
            score=score,
            score_in_process=score_in_process,
            on_error=on_error,
        )
    importer = _RowImporter(
        batch_size=batch_size,
        scoring=_Scoring(enabled=score, in_process=score_in_process),
        on_error=on_error,
    )
    lines_before = 0
    reading = _Reading(path, encoding, tz, with_search=score_in_process)
    for lines, items, more_ready in _read_in_workers(reading, workers, chunk_bytes):
        # A worker numbers the lines of its chunk from 1; the chunks before it held
        # `lines_before` lines (blank ones included).
        for item in items:
            if isinstance(item, LineError):
                importer.add(replace(item, line=item.line + lines_before))
            else:
                importer.add(item._replace(line=item.line + lines_before))
        lines_before += lines
        if not more_ready:
            # The readers are behind: store what there is rather than wait for them
            # with the database idle.
            importer.flush(minimum=batch_size // 4)
    return importer.finish()


def _reject(report: ImportReport, error: LineError, on_error: ErrorSink | None) -> None:
    report.rejected += 1
    if len(report.errors) < MAX_KEPT_ERRORS:
        report.errors.append(error)
    if on_error is not None:
        on_error(error)


_Chunk = tuple[int, list["_Row | LineError"]]


class _Reading(NamedTuple):
    """What a reader process needs to know of the file and the import."""

    path: str
    encoding: str
    tz: tzinfo
    with_search: bool  # make each line's search entry (`import --sync`)


def _read_in_workers(
    reading: _Reading, workers: int, chunk_bytes: int
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


def _read_chunk(reading: _Reading, start: int, end: int) -> _Chunk:
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
                items.append(_compact(parsed, plain="\\" not in text, segmenter=segmenter))
    return lines.lines_read, items


# ---------------------------------------------------------------------------------------------
# PostgreSQL: lines as COPY text, written batch by batch
# ---------------------------------------------------------------------------------------------


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


def _compact(
    parsed: ParsedLine, *, plain: bool = False, segmenter: Segmenter | None = None
) -> _Row | LineError:
    """The line as a `_Row` (with its search entry, given a `segmenter`), or why it cannot
    be stored."""
    contact = parsed.contact
    problem = _column_problem(contact)
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


class _RowImporter:
    """Collects rows into batches and stores each batch in one transaction."""

    def __init__(self, *, batch_size: int, scoring: _Scoring, on_error: ErrorSink | None) -> None:
        self.report = ImportReport()
        self._batch_size = batch_size
        self._scoring = scoring
        self._on_error = on_error
        self._rows: list[_Row] = []
        self._began = time.perf_counter()

    def add(self, item: _Row | LineError) -> None:
        self.report.read += 1
        if isinstance(item, LineError):
            _reject(self.report, item, self._on_error)
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
                self._rows, report=self.report, scoring=self._scoring, on_error=self._on_error
            )
            self._rows = []


def _import_rows(
    rows: list[_Row], *, report: ImportReport, scoring: _Scoring, on_error: ErrorSink | None
) -> None:
    try:
        with transaction.atomic():
            created, updated, contacts = _store_rows(rows, scoring)
    except (DataError, IntegrityError) as exc:
        # As in `_import_batch`: find the offending line(s) and store every other one.
        if len(rows) == 1:
            reason = f"the database refused this contact: {str(exc).strip().splitlines()[0]}"
            _reject(report, LineError(rows[0].line, reason, "", rows[0].id), on_error)
            return
        for row in rows:
            _import_rows([row], report=report, scoring=scoring, on_error=on_error)
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


def _store_rows(rows: list[_Row], scoring: _Scoring) -> tuple[int, int, int]:
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
    search_index_later(contact_ids=later, in_process=scoring.in_process)

    # New contacts with a transcript, and stored ones that have one (theirs or the stored)
    # and were changed or have no current result: a run that died after storing them,
    # before it sent them for scoring, is made good by running the file again.
    rescored = set(changed)
    to_score = [row_ids[row.id] for row in new_turns] + [
        row_id
        for external_id, (row_id, count, unscored) in stored.items()
        if (row_id in rescored or unscored) and (count or latest[external_id].turns)
    ]
    if scoring.enabled and to_score:
        transaction.on_commit(partial(_score, to_score, in_process=scoring.in_process))
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


# ---------------------------------------------------------------------------------------------
# SQLite: the ORM, batch by batch
# ---------------------------------------------------------------------------------------------


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
    PostgreSQL (which alone enforces sizes) accept and refuse the same lines. (What no
    column of any database holds, the reader refuses: `lingting.engine.contacts`.)"""
    for name, limit in _LIMITS.items():
        value = getattr(contact, name)
        if value is not None and len(value) > limit:
            return f"'{name}' is longer than {limit} characters ({len(value)})"
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
        incoming = incoming._replace(turns=stored.turns)
    if incoming.recording is None and stored.recording is not None:
        incoming = incoming._replace(recording=stored.recording)
    return incoming


def _as_stored(contact: Contact) -> Contact:
    """The contact as reading it back from the database gives it, for comparison."""
    blanks: dict[str, Any] = {name: None for name in _BLANKABLE if getattr(contact, name) == ""}
    return contact._replace(**blanks) if blanks else contact


def _store(contacts: list[Contact], scoring: _Scoring) -> tuple[int, int]:
    """Write one batch; returns (created, updated)."""
    before = _stored_contacts([c.id for c in contacts])
    contacts = [_kept(c, before[c.id]) if c.id in before else c for c in contacts]
    row_ids = _upsert_contacts(contacts)
    _store_transcripts(contacts, before, row_ids)
    _store_recordings(contacts, before, row_ids)

    changed = {c.id for c in contacts if c.id in before and _as_stored(c) != before[c.id]}
    search_index_later(
        contact_ids=[row_ids[c.id] for c in contacts if c.id not in before or c.id in changed],
        in_process=scoring.in_process,
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
