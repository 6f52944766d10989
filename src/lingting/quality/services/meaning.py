"""Storing what contacts meant (`ContactMeaning`): written with every score, in the
scoring's own transaction and cursor, and filled in for contacts scored before meaning was
stored (`lingting meaning_backfill`)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import NamedTuple

import orjson
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from lingting.engine.meaning import Meaning, contact_meaning
from lingting.interactions.engine_contacts import engine_contacts_for
from lingting.interactions.models import Contact
from lingting.quality.models import ContactMeaning

logger = logging.getLogger(__name__)

BACKFILL_CHUNK = 2000


class MeaningRow(NamedTuple):
    """A `ContactMeaning` row as the database takes it."""

    contact_id: int
    emotion_start: str
    emotion_end: str
    emotion_peak: str
    peak_intensity: float
    calmed: bool
    resolved: bool | None
    resolution_reason: str
    satisfaction_predicted: float | None
    details: str  # JSON text


def meaning_row(contact_id: int, meaning: Meaning) -> MeaningRow:
    """The row of one contact's meaning; a contact whose customer never spoke has empty
    emotions and no verdict, so that no filter or rate counts it."""
    emotion, resolution, satisfaction = meaning.emotion, meaning.resolution, meaning.satisfaction
    if satisfaction is None:
        return MeaningRow(contact_id, "", "", "", 0.0, False, None, resolution.reason, None, "{}")
    peak_intensity = max(
        (turn.intensity for turn in emotion.turns if turn.emotion == emotion.peak), default=0.0
    )
    details = {
        "turns": [
            {
                "turn": turn.turn,
                "emotion": turn.emotion,
                "intensity": turn.intensity,
                "evidence": [
                    [cue.start_char, cue.end_char, cue.emotion, cue.kind] for cue in turn.evidence
                ],
            }
            for turn in emotion.turns
        ],
        "resolution_evidence": [
            [cue.turn, cue.start_char, cue.end_char, cue.kind] for cue in resolution.evidence
        ],
        "satisfaction_why": [factor.to_dict() for factor in satisfaction.why],
    }
    return MeaningRow(
        contact_id,
        emotion.start,
        emotion.end,
        emotion.peak,
        float(peak_intensity),
        emotion.calmed,
        resolution.resolved,
        resolution.reason,
        satisfaction.value,
        orjson.dumps(details).decode(),
    )


_TABLE = ContactMeaning._meta.db_table
_COLUMNS = MeaningRow._fields
_UPDATES = ", ".join(f"{c} = EXCLUDED.{c}" for c in (*_COLUMNS[1:], "computed_at"))
# A contact scored again with its transcript unchanged (a new scorecard version re-scores
# every contact) means the same: its row is left as it is rather than rewritten.
_CHANGED = " OR ".join(f"{_TABLE}.{c} {{distinct}} EXCLUDED.{c}" for c in _COLUMNS[1:])
_SCRATCH = "lingting_meaning_scratch"
# PostgreSQL: the rows are streamed with COPY into a scratch table (one per session, emptied
# at commit) and upserted from it in one statement, the way scores are stored.
_PG_SCRATCH = (
    f"CREATE TEMP TABLE IF NOT EXISTS {_SCRATCH} (contact_id bigint, emotion_start text,"
    " emotion_end text, emotion_peak text, peak_intensity float8, calmed boolean,"
    " resolved boolean, resolution_reason text, satisfaction_predicted float8, details jsonb)"
    " ON COMMIT DELETE ROWS"
)
_PG_COPY = f"COPY {_SCRATCH} ({', '.join(_COLUMNS)}) FROM STDIN"
_PG_UPSERT = (
    f"INSERT INTO {_TABLE} ({', '.join(_COLUMNS)}, computed_at)"
    f" SELECT {', '.join(_COLUMNS)}, %s FROM {_SCRATCH}"
    f" ON CONFLICT (contact_id) DO UPDATE SET {_UPDATES}"
    f" WHERE {_CHANGED.format(distinct='IS DISTINCT FROM')}"
)
_SQLITE_UPSERT = (
    f"INSERT INTO {_TABLE} ({', '.join(_COLUMNS)}, computed_at)"
    f" VALUES ({', '.join(['%s'] * (len(_COLUMNS) + 1))})"
    f" ON CONFLICT (contact_id) DO UPDATE SET {_UPDATES}"
    f" WHERE {_CHANGED.format(distinct='IS NOT')}"
)


def meanings_store(cursor: CursorWrapper, rows: Iterable[MeaningRow]) -> None:
    """Insert or replace these contacts' meanings, with the caller's cursor (and so in the
    caller's transaction: a score and its meaning are stored together or not at all)."""
    rows = list(rows)
    if not rows:
        return
    now = timezone.now()
    if connection.vendor == "postgresql":
        cursor.execute(_PG_SCRATCH)
        cursor.execute(f"TRUNCATE {_SCRATCH}")  # chunks sharing an outer transaction
        with cursor.copy(_PG_COPY) as copy:
            copy.write(b"".join([_copy_line(row) for row in rows]))
        cursor.execute(_PG_UPSERT, [now])
        return
    stamp = connection.ops.adapt_datetimefield_value(now)
    cursor.executemany(_SQLITE_UPSERT, [(*row, stamp) for row in rows])


_COPY_BOOLEAN = {True: b"t", False: b"f", None: b"\\N"}


def _copy_line(row: MeaningRow) -> bytes:
    """A row as COPY text. The strings are identifiers (emotions, reasons) and JSON, which
    holds no raw tab or newline: only its backslashes need escaping."""
    satisfaction = (
        b"\\N" if row.satisfaction_predicted is None else b"%a" % row.satisfaction_predicted
    )
    return b"%d\t%s\t%s\t%s\t%a\t%s\t%s\t%s\t%s\t%s\n" % (
        row.contact_id,
        row.emotion_start.encode(),
        row.emotion_end.encode(),
        row.emotion_peak.encode(),
        row.peak_intensity,
        _COPY_BOOLEAN[row.calmed],
        _COPY_BOOLEAN[row.resolved],
        row.resolution_reason.encode(),
        satisfaction,
        row.details.encode().replace(b"\\", b"\\\\"),
    )


def contacts_meaning_fill(*, contact_ids: Iterable[int]) -> int:
    """Read and store the meaning of these contacts (those with a transcript) without
    scoring them again; returns how many were stored. A chunk that fails is halved until
    the contact that cannot be read stands alone, logged and left out (as scoring does)."""
    ids = list(contact_ids)
    try:
        return _fill_together(ids)
    except (OperationalError, InterfaceError):
        raise
    except (DatabaseError, ValueError, OverflowError, TypeError) as exc:
        if len(ids) == 1:
            logger.warning("the meaning of contact %s cannot be stored: %s", ids[0], exc)
            return 0
        middle = len(ids) // 2
        return contacts_meaning_fill(contact_ids=ids[:middle]) + contacts_meaning_fill(
            contact_ids=ids[middle:]
        )


def _fill_together(ids: list[int]) -> int:
    rows = [
        meaning_row(contact_id, contact_meaning(contact))
        for contact_id, contact in engine_contacts_for(contact_ids=ids)
        if contact.turns
    ]
    with transaction.atomic(), connection.wrap_database_errors, connection.cursor() as cursor:
        meanings_store(cursor, rows)
    return len(rows)


def meaning_backfill(*, everything: bool = False) -> int:
    """Store the meaning of every contact with a transcript that has none yet (`everything`:
    every contact with a transcript again, after the engine's readers changed), a chunk per
    transaction; returns how many were stored."""
    stored = 0
    last_id = 0
    while True:
        contacts = Contact.objects.filter(id__gt=last_id, turn_count__gt=0)
        if not everything:
            contacts = contacts.filter(meaning__isnull=True)
        chunk = list(contacts.order_by("id").values_list("id", flat=True)[:BACKFILL_CHUNK])
        if not chunk:
            return stored
        stored += contacts_meaning_fill(contact_ids=chunk)
        last_id = chunk[-1]
