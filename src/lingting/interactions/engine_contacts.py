"""Reading stored contacts back as the engine's `Contact`, ready to be scored.

Raw SQL, not the ORM: scoring reads thousands of contacts and a dozen turns each per
chunk, and compiling a 2,000-id `IN` list, decoding JSON with the standard library and
converting values row by row through querysets took longer than scoring them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import cache
from itertools import groupby
from operator import itemgetter
from typing import Any

import orjson
from django.conf import settings
from django.db import connection
from django.db.models import Model, QuerySet

from lingting.core.models import Agent
from lingting.engine.call_sound import CallSound, SoundError, call_sound
from lingting.engine.contacts import Contact, Hold, Turn
from lingting.interactions.models import Contact as ContactRow
from lingting.interactions.models import Customer, Listening, Queue, Recording
from lingting.interactions.models import Turn as TurnRow

_CONTACT_SQL = """
SELECT c.id, c.external_id, q.code, a.code, cu.code, c.tags, c.holds, c.extra,
    (SELECT r.uri FROM {recording} r WHERE r.contact_id = c.id ORDER BY r.id DESC LIMIT 1),
    (SELECT l.metrics FROM {listening} l WHERE l.error = '' AND l.recording_id = (
        SELECT r.id FROM {recording} r WHERE r.contact_id = c.id ORDER BY r.id DESC LIMIT 1)),
    c.channel, c.direction, c.disposition, c.hangup_by,
    c.queued_at, c.started_at, c.answered_at, c.ended_at,
    c.rings, c.wait_s, c.talk_s, c.hold_s, c.acw_s
FROM {contact} c
LEFT JOIN {queue} q ON q.id = c.queue_id
LEFT JOIN {agent} a ON a.id = c.agent_id
LEFT JOIN {customer} cu ON cu.id = c.customer_id
WHERE c.id {ids}
ORDER BY c.id
"""
_TURN_SQL = """
SELECT contact_id, "index", speaker, text, start, "end" FROM {turn}
WHERE contact_id {ids}
ORDER BY contact_id, "index"
"""


def engine_contacts_for(*, contact_ids: Iterable[int]) -> list[tuple[int, Contact]]:
    """(row id, engine contact) for each stored contact, in id order, in two queries."""
    ids = sorted({int(i) for i in contact_ids})
    if not ids:
        return []
    ids_sql, ids_params = ids_condition(ids)
    turn_sql, contact_sql = _queries(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(turn_sql.format(ids=ids_sql), ids_params)
        turns = {
            contact_id: tuple([Turn(*row[1:]) for row in rows])
            for contact_id, rows in groupby(cursor.fetchall(), itemgetter(0))
        }
        cursor.execute(contact_sql.format(ids=ids_sql), ids_params)
        rows = cursor.fetchall()
    stamp = _datetime_reader()
    return [
        (
            contact_id,
            Contact(
                id=external_id,
                turns=turns.get(contact_id, ()),
                # Blank text columns stand for "absent" in the file: None to the engine.
                channel=channel or None,
                direction=direction or None,
                queue=queue,
                agent_id=agent,
                customer_id=customer,
                queued_at=stamp(queued_at),
                started_at=stamp(started_at),
                answered_at=stamp(answered_at),
                ended_at=stamp(ended_at),
                disposition=disposition or None,
                hangup_by=hangup_by or None,
                tags=tuple(_json(tags)),
                rings=rings,
                wait_s=wait_s,
                talk_s=talk_s,
                hold_s=hold_s,
                acw_s=acw_s,
                holds=tuple(Hold(h["start"], h["end"]) for h in _json(holds)),
                # The engine holds one recording; the latest one imported is the one that counts.
                recording=recording,
                extra=_json(extra),
                audio=_heard(heard),
            ),
        )
        for (
            contact_id,
            external_id,
            queue,
            agent,
            customer,
            tags,
            holds,
            extra,
            recording,
            heard,
            channel,
            direction,
            disposition,
            hangup_by,
            queued_at,
            started_at,
            answered_at,
            ended_at,
            rings,
            wait_s,
            talk_s,
            hold_s,
            acw_s,
        ) in rows
    ]


def ids_condition(ids: list[int]) -> tuple[str, list[Any]]:
    """The SQL to put after a column to keep the rows whose value is among `ids` (any
    number of them), and its parameters: one array or JSON text, not a placeholder per id."""
    if connection.vendor == "postgresql":
        # A bigint[]: psycopg sends a list of ints as the smallest array type that holds
        # them (int4[]), and a bigint column compared with that searches the whole array for
        # each row where a bigint[] is hashed (seen: 220 ms instead of 9 for 2,000 ids).
        return "= ANY(%s::bigint[])", [pg_array(ids)]
    if connection.vendor == "sqlite":
        return "IN (SELECT value FROM json_each(%s))", [orjson.dumps(ids).decode()]
    return f"IN ({', '.join(['%s'] * len(ids))})", list(ids)


def pg_array(ids: Iterable[int]) -> str:
    """A PostgreSQL array literal of these integers."""
    return "{" + ",".join(map(str, ids)) + "}"


@cache
def _queries(vendor: str) -> tuple[str, str]:
    """The turn and contact queries, with `{ids}` left for `ids_condition`."""
    turn = _TURN_SQL.format(turn=_table(TurnRow), ids="{ids}")
    contact = _CONTACT_SQL.format(
        recording=_table(Recording),
        listening=_table(Listening),
        contact=_table(ContactRow),
        queue=_table(Queue),
        agent=_table(Agent),
        customer=_table(Customer),
        ids="{ids}",
    )
    return turn, contact


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _json(value: Any) -> Any:
    """A JSON column's value: the backends hand Django its text, which it decodes itself."""
    if not isinstance(value, str | bytes):
        return value
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError:
        # What orjson refuses and the standard library (which wrote it) reads: NaN, or an
        # integer beyond 64 bits.
        return json.loads(value)


def _heard(metrics: Any) -> CallSound | None:
    """What the task worker heard in the contact's latest recording, for the rules on sound.
    It wrote the metrics itself; a row an older version wrote in another shape is read as
    not listened to (the rules answer "na") rather than failing the contact's scoring."""
    if metrics is None:
        return None
    try:
        return call_sound(_json(metrics))
    except SoundError:
        return None


def _datetime_reader() -> Callable[[Any], datetime | None]:
    """PostgreSQL gives aware datetimes; SQLite naive ones in UTC (or their text), which
    Django makes aware in the connection's time zone."""
    if connection.vendor != "sqlite":
        return _same
    tz = connection.timezone if settings.USE_TZ else None

    def read(value: datetime | str | None) -> datetime | None:
        if value is None:
            return None
        stamp = value if isinstance(value, datetime) else datetime.fromisoformat(value)
        return stamp if tz is None or stamp.tzinfo is not None else stamp.replace(tzinfo=tz)

    return read


def _same(value: Any) -> Any:
    return value


def contacts_without_current_score() -> QuerySet[ContactRow]:
    """Contacts with a transcript and no current result: never scored (the process that
    stored them died before it sent them for scoring), or whose score an import cleared."""
    return ContactRow.objects.filter(turn_count__gt=0, current_score__isnull=True)
