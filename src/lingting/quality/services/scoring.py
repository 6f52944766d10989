"""Automatic scoring of stored contacts with a scorecard version (the versions themselves:
`lingting.quality.services.scorecards`)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from itertools import batched
from typing import Any, NamedTuple

from django.db import (
    DatabaseError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    connection,
    transaction,
)
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from lingting.core.models import AuditEvent
from lingting.engine.contacts import Contact as EngineContact
from lingting.engine.scorecard import CompiledScorecard
from lingting.interactions.engine_contacts import engine_contacts_for, ids_condition, pg_array
from lingting.interactions.models import Contact
from lingting.quality.models import ContactScore, ItemFailure, ScorecardVersion
from lingting.quality.selectors.scorecards import compiled_scorecard, current_under
from lingting.quality.services.meaning import MeaningRow, meaning_row, meanings_store

logger = logging.getLogger(__name__)


def contacts_score(*, contact_ids: Iterable[int], version: ScorecardVersion) -> int:
    """Score these contacts with `version`; returns how many were scored.

    CDR-only contacts (no turns) are not scored. Scores are upserted per (contact,
    version), their failed items replaced, and `Contact.current_score` set when `version`
    is the active version of the contact's scorecard (its queue's, else CURRENT_SCORECARD:
    `versions_in_force_for`). Each contact's meaning (customer emotion, resolution,
    predicted satisfaction: `ContactMeaning`), which the engine reads with every score,
    is upserted in the same transaction. Pass at most a few thousand ids at a time
    (one transaction).

    One contact that cannot be scored (a value an older version stored that the database
    or the engine now refuses) must not leave the rest of its batch unscored: a failed
    batch is halved until the contact stands alone, which is logged and left out. Lost
    connections and lock time-outs are raised as they are: every contact would fail alike,
    and the task is better retried whole.
    """
    ids = list(contact_ids)
    try:
        return _contacts_score_together(ids, version)
    except (OperationalError, InterfaceError):
        raise
    except (DatabaseError, ValueError, OverflowError, TypeError) as exc:
        if len(ids) == 1:
            logger.warning("contact %s cannot be scored and is left out: %s", ids[0], exc)
            return 0
        middle = len(ids) // 2
        return contacts_score(contact_ids=ids[:middle], version=version) + contacts_score(
            contact_ids=ids[middle:], version=version
        )


def _contacts_score_together(contact_ids: list[int], version: ScorecardVersion) -> int:
    """`contacts_score` of these contacts: one transaction for those whose current score
    `version` gives, one for those it scores alongside (usually all are one or the other)."""
    current = current_under(version, contact_ids)
    return _score_part(
        [i for i in contact_ids if i in current], version, current=True
    ) + _score_part([i for i in contact_ids if i not in current], version, current=False)


def _score_part(contact_ids: list[int], version: ScorecardVersion, *, current: bool) -> int:
    """Score and store these contacts, pointing them at their scores when `current`.

    Written with raw SQL, no model instances: the stored `items` are the JSON that
    `CompiledScorecard.encode` makes, and on PostgreSQL rows go in with COPY while the
    next contacts are being scored (see benchmarks/score_store_throughput.py).
    """
    compiled = compiled_scorecard(version)
    contacts = [
        (contact_id, contact)
        for contact_id, contact in engine_contacts_for(contact_ids=contact_ids)
        if contact.turns
    ]
    if not contacts:
        return 0
    rows = _ScoreRows(compiled, contacts)
    store = _store_postgresql if connection.vendor == "postgresql" else _store_executemany
    # A concurrent scoring of the same contacts can insert a score between our look-up
    # and our COPY: then the whole chunk goes again through the upsert, which waits for it.
    ids = [contact_id for contact_id, _ in contacts]
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                before = _current_scores(ids) if current else {}
                # COPY's errors come from psycopg itself: wrap them into Django's.
                with connection.wrap_database_errors, connection.cursor() as c:
                    store(c, rows, version.pk, current, upsert_only=attempt > 1)
                    # Whatever the version: a contact's meaning does not depend on it.
                    meanings_store(c, [row.meaning for row in rows])
                if before:
                    _audit_rescores(before, _current_scores(list(before)), version)
        except IntegrityError:
            if attempt > 1 or connection.vendor != "postgresql":
                raise
        else:
            break
    return len(contacts)


ScoreState = tuple[float, bool, str]  # score, passed, version label


def _current_scores(ids: list[int]) -> dict[int, ScoreState]:
    rows = Contact.objects.filter(pk__in=ids, current_score__isnull=False).values_list(
        "pk", "current_score__score", "current_score__passed", "current_score__version__label"
    )
    return {pk: (score, passed, label) for pk, score, passed, label in rows}


def _audit_rescores(
    before: dict[int, ScoreState], after: dict[int, ScoreState], version: ScorecardVersion
) -> None:
    """One audit event per contact whose current score changed on re-scoring (a new
    scorecard version, an edited transcript): before, after, and the version as the why."""
    changed = [pk for pk, was in before.items() if after.get(pk, was)[:2] != was[:2]]
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=None,
            action="score.rescore",
            object_type="contact",
            object_id=str(pk),
            before=_state(before[pk]),
            after=_state(after[pk]),
            note=f"自动质检重新评分：{version.scorecard.name} {version.label}",
        )
        for pk in changed
    )


def _state(state: ScoreState) -> dict[str, object]:
    score, passed, label = state
    return {"score": score, "passed": passed, "source": "auto", "version": label}


class _ScoreRow(NamedTuple):
    contact_id: int
    score: float
    passed: bool
    fatal: bool
    severity_a: int
    severity_b: int
    severity_c: int
    items: bytes  # the JSON array of the result's items
    failures: list[tuple[str, str, float]]  # (item, severity, points lost)
    meaning: MeaningRow


class _ScoreRows:
    """The scores of a chunk of contacts, each computed when first asked for (so that
    PostgreSQL stores one while the next is scored) and kept for a retry."""

    def __init__(
        self, compiled: CompiledScorecard, contacts: list[tuple[int, EngineContact]]
    ) -> None:
        self._compiled = compiled
        self.contacts = contacts
        self._rows: dict[int, _ScoreRow] = {}

    def row(self, contact_id: int, contact: EngineContact) -> _ScoreRow:
        row = self._rows.get(contact_id)
        if row is None:
            row = self._rows[contact_id] = self._score(contact_id, contact)
        return row

    def score_until(
        self, stop: Callable[[], bool], contacts: list[tuple[int, EngineContact]]
    ) -> None:
        """Score these contacts ahead, in order, until `stop()` or all are scored."""
        for contact_id, contact in contacts:
            if stop():
                return
            self.row(contact_id, contact)

    def __iter__(self) -> Iterator[_ScoreRow]:
        return (self.row(contact_id, contact) for contact_id, contact in self.contacts)

    def _score(self, contact_id: int, contact: EngineContact) -> _ScoreRow:
        result = self._compiled.score(contact)
        assert result.meaning is not None, "the scorer reads every contact's meaning"
        counts = result.severity_counts
        return _ScoreRow(
            contact_id,
            result.score,
            result.passed,
            result.fatal,
            counts.get("A", 0),
            counts.get("B", 0),
            counts.get("C", 0),
            _items_json(self._compiled.encode(result)),
            [
                (item.item, item.severity or "", item.points_lost)
                for item in result.items
                if item.result == "fail"
            ],
            meaning_row(contact_id, result.meaning),
        )


_ITEMS_KEY = b',"items":['


def _items_json(encoded: bytes) -> bytes:
    """The `items` array of an encoded result. Its key is the first `,"items":[` in it: the
    keys before it are fixed, and no JSON string can hold an unescaped quote."""
    start = encoded.index(_ITEMS_KEY) + len(_ITEMS_KEY) - 1
    return encoded[start:-1]


# --- PostgreSQL: COPY -------------------------------------------------------------------

_SCORE = ContactScore._meta.db_table
_FAILURE = ItemFailure._meta.db_table
_CONTACT = Contact._meta.db_table
_SCRATCH = "lingting_score_scratch"
_VALUES = "score, passed, fatal, severity_a, severity_b, severity_c, items"
_UPDATES = ", ".join(
    f"{column} = EXCLUDED.{column}" for column in [*_VALUES.split(", "), "scored_at"]
)
_SET_SCRATCH = ", ".join(f"{column} = x.{column}" for column in _VALUES.split(", "))
_PG = {
    # Scores are TOASTed: lz4 (PostgreSQL 14+, where built with it) compresses them several
    # times faster than the default pglz; reading them back is the same.
    "lz4": "SELECT set_config('default_toast_compression', 'lz4', true) FROM pg_settings"
    " WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)",
    "existing": f"SELECT contact_id, id FROM {_SCORE}"
    " WHERE version_id = %s AND contact_id = ANY(%s::bigint[])",
    # The sequence is looked up once, not once per id.
    "new_ids": f"WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence('{_SCORE}', 'id')::regclass"
    " AS seq) SELECT nextval(s.seq) FROM s, generate_series(1, %s)",
    "copy_new": f"COPY {_SCORE} (id, contact_id, version_id, {_VALUES}, scored_at) FROM STDIN",
    # One scratch table per session, emptied at commit; chunks that share a transaction (an
    # outer atomic block) empty it themselves. Its scores are not compressed: they are
    # copied once, into the scores, and compressed there.
    "scratch": f"CREATE TEMP TABLE IF NOT EXISTS {_SCRATCH} (contact_id bigint, score float8,"
    " passed boolean, fatal boolean, severity_a smallint, severity_b smallint,"
    " severity_c smallint, items jsonb) ON COMMIT DELETE ROWS",
    "scratch_plain": f"ALTER TABLE {_SCRATCH} ALTER COLUMN items SET STORAGE EXTERNAL",
    "scratch_empty": f"TRUNCATE {_SCRATCH}",
    "copy_scratch": f"COPY {_SCRATCH} (contact_id, {_VALUES}) FROM STDIN",
    "upsert": f"INSERT INTO {_SCORE} (contact_id, version_id, {_VALUES}, scored_at)"
    f" SELECT contact_id, %s, {_VALUES}, %s FROM {_SCRATCH}"
    f" ON CONFLICT (contact_id, version_id) DO UPDATE SET {_UPDATES}"
    " RETURNING contact_id, id",
    # Scores known to exist: cheaper than the upsert, which tries an insert first.
    "update": f"UPDATE {_SCORE} s SET {_SET_SCRATCH}, scored_at = %s FROM {_SCRATCH} x"
    " WHERE s.contact_id = x.contact_id AND s.version_id = %s",
    "unfail": f"DELETE FROM {_FAILURE} WHERE score_id = ANY(%s::bigint[])",
    "copy_failures": f"COPY {_FAILURE} (score_id, item, severity, points_lost) FROM STDIN",
    # Contacts that already point at their score (scored again with the same version) are
    # left alone: rewriting a contact row rewrites all its indexes.
    "point": f"UPDATE {_CONTACT} c SET current_score_id = v.score_id"
    " FROM unnest(%s::bigint[], %s::bigint[]) AS v(contact_id, score_id)"
    " WHERE c.id = v.contact_id AND c.current_score_id IS DISTINCT FROM v.score_id",
}


def _store_postgresql(
    cursor: CursorWrapper, rows: _ScoreRows, version_id: int, current: bool, *, upsert_only: bool
) -> None:
    """New scores go straight into their table with COPY, under ids taken beforehand from
    its sequence; scores to replace are copied into a scratch table and updated from it.
    With `upsert_only` (the retry after a concurrent scoring), all go through an upsert.

    Foreign keys are checked at commit, so contacts are pointed at their scores (and the
    failed items of replaced scores deleted) before the scores are written, by the server
    while the contacts are being scored here; then the scores stream in with COPY as they
    are computed, the server storing some while the next are scored.
    """
    now = timezone.now()
    cursor.execute(_PG["lz4"])
    if upsert_only:
        score_ids = _upsert(cursor, rows, rows.contacts, version_id, now)
        cursor.execute(_PG["unfail"], [pg_array(score_ids.values())])
        _copy_failures(cursor, rows, score_ids)
        if current:
            cursor.execute(_PG["point"], [pg_array(score_ids), pg_array(score_ids.values())])
        return
    cursor.execute(_PG["existing"], [version_id, pg_array(pair[0] for pair in rows.contacts)])
    existing: dict[int, int] = dict(cursor.fetchall())
    again = [pair for pair in rows.contacts if pair[0] in existing]
    fresh = [pair for pair in rows.contacts if pair[0] not in existing]
    score_ids = dict(existing)
    if fresh:
        cursor.execute(_PG["new_ids"], [len(fresh)])
        new_ids = [score_id for (score_id,) in cursor.fetchall()]
        score_ids.update(zip([pair[0] for pair in fresh], new_ids, strict=True))
    before: list[tuple[str, list[Any]]] = []
    if existing:
        before.append((_PG["unfail"], [pg_array(existing.values())]))
    if current:
        before.append((_PG["point"], [pg_array(score_ids), pg_array(score_ids.values())]))
    with ThreadPoolExecutor(max_workers=1) as background:
        if before:
            # The same connection, idle here until COPY: psycopg connections are thread-safe.
            done = background.submit(_execute_all, connection.connection, before)
            rows.score_until(done.done, again + fresh)
            done.result()
        if again:
            _copy_scratch(cursor, rows, again)
            cursor.execute(_PG["update"], [now, version_id])
            if cursor.rowcount != len(again):
                raise IntegrityError("a score was deleted while it was being replaced")
        if fresh:
            stamp = now.isoformat().encode()
            with cursor.copy(_PG["copy_new"]) as copy:
                # A write is a message to the server: some contacts' rows at a time.
                for some in batched(fresh, _COPY_CONTACTS):
                    copy.write(
                        b"".join(
                            [
                                b"%d\t%d\t%d\t%s\t%s\n"
                                % (
                                    score_ids[contact_id],
                                    contact_id,
                                    version_id,
                                    _copy_values(rows.row(contact_id, contact)),
                                    stamp,
                                )
                                for contact_id, contact in some
                            ]
                        )
                    )
        _copy_failures(cursor, rows, score_ids)


def _execute_all(raw: Any, statements: list[tuple[str, list[Any]]]) -> None:
    for sql, params in statements:
        raw.execute(sql, params)


def _upsert(
    cursor: CursorWrapper,
    rows: _ScoreRows,
    contacts: list[tuple[int, EngineContact]],
    version_id: int,
    now: datetime,
) -> dict[int, int]:
    """Insert or update the scores of these contacts; returns score ids by contact id."""
    _copy_scratch(cursor, rows, contacts)
    cursor.execute(_PG["upsert"], [version_id, now])
    return dict(cursor.fetchall())


def _copy_scratch(
    cursor: CursorWrapper, rows: _ScoreRows, contacts: list[tuple[int, EngineContact]]
) -> None:
    cursor.execute(_PG["scratch"])
    cursor.execute(_PG["scratch_plain"])
    cursor.execute(_PG["scratch_empty"])
    with cursor.copy(_PG["copy_scratch"]) as copy:
        for some in batched(contacts, _COPY_CONTACTS):
            copy.write(
                b"".join(
                    [
                        b"%d\t%s\n" % (contact_id, _copy_values(rows.row(contact_id, contact)))
                        for contact_id, contact in some
                    ]
                )
            )


def _copy_failures(cursor: CursorWrapper, rows: _ScoreRows, score_ids: dict[int, int]) -> None:
    with cursor.copy(_PG["copy_failures"]) as copy:
        # Item ids are identifiers and severities letters: nothing to escape.
        copy.write(
            b"".join(
                [
                    b"%d\t%s\t%s\t%a\n"
                    % (score_ids[row.contact_id], item.encode(), severity.encode(), points_lost)
                    for row in rows
                    for item, severity, points_lost in row.failures
                ]
            )
        )


# Scores per COPY message, about 100 kB: big enough to cost little each, small enough
# that the server stores them while the next ones are scored.
_COPY_CONTACTS = 16

_BOOLEAN = {True: b"t", False: b"f"}


def _copy_values(row: _ScoreRow) -> bytes:
    """`_VALUES` of a score as COPY text. JSON holds no raw tab or newline (it escapes them
    in strings): only its backslashes need escaping."""
    return b"%a\t%s\t%s\t%d\t%d\t%d\t%s" % (
        row.score,
        _BOOLEAN[row.passed],
        _BOOLEAN[row.fatal],
        row.severity_a,
        row.severity_b,
        row.severity_c,
        row.items.replace(b"\\", b"\\\\"),
    )


# --- SQLite: executemany ---------------------------------------------------------------


def _store_executemany(
    cursor: CursorWrapper, rows: _ScoreRows, version_id: int, current: bool, *, upsert_only: bool
) -> None:
    now = timezone.now()
    scored_at = connection.ops.adapt_datetimefield_value(now)
    cursor.executemany(
        f"INSERT INTO {_SCORE} (contact_id, version_id, {_VALUES}, scored_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
        f" ON CONFLICT (contact_id, version_id) DO UPDATE SET {_UPDATES}",
        [(row.contact_id, version_id, *row[1:7], row.items.decode(), scored_at) for row in rows],
    )
    ids_sql, ids_params = ids_condition([contact_id for contact_id, _ in rows.contacts])
    cursor.execute(
        f"SELECT contact_id, id FROM {_SCORE} WHERE version_id = %s AND contact_id {ids_sql}",
        [version_id, *ids_params],
    )
    score_ids: dict[int, int] = dict(cursor.fetchall())
    ids_sql, ids_params = ids_condition(list(score_ids.values()))
    cursor.execute(f"DELETE FROM {_FAILURE} WHERE score_id {ids_sql}", ids_params)
    cursor.executemany(
        f"INSERT INTO {_FAILURE} (score_id, item, severity, points_lost) VALUES (%s, %s, %s, %s)",
        [(score_ids[row.contact_id], *failure) for row in rows for failure in row.failures],
    )
    if current:
        cursor.executemany(
            f"UPDATE {_CONTACT} SET current_score_id = %s"
            " WHERE id = %s AND (current_score_id IS NULL OR current_score_id <> %s)",
            [(score_id, contact_id, score_id) for contact_id, score_id in score_ids.items()],
        )
