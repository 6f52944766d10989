"""Clear the values an import stored before it refused them: times no program can read back
(before 0001-01-02 or after 9999-12-30 UTC) and infinite or NaN durations. PostgreSQL took
them, and then the contact list, the contact page and the API answered 500 to everyone and
scoring failed for the whole batch; the import now rejects such lines.

Each cleared value becomes empty (it meant nothing a person could use), and each contact
gets an audit event naming the column and the value it had, so nothing goes unrecorded.
Contacts without a current score are then scored by the scoring sweep. SQLite never stored
such rows (its import stopped with a traceback instead), so there is nothing to clear there.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CONTACTS = "interactions_contact"
TURNS = "interactions_turn"
TIMES = ("queued_at", "started_at", "answered_at", "ended_at")
CONTACT_DURATIONS = ("wait_s", "talk_s", "hold_s", "acw_s")
TURN_OFFSETS = ("start", "end")
# The bounds the import checks (engine.contacts): a day inside the calendar each way, so that
# any time zone's local time is still a date Python can hold.
EARLIEST = "0001-01-02 00:00:00+00"
LATEST = "9999-12-30 23:59:59.999999+00"
NOT_FINITE = "{column} IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8)"


def clear_impossible_values(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    cleared: list[tuple[int, str, str]] = []  # contact id, column, the value it had
    with schema_editor.connection.cursor() as cursor:
        for column in TIMES:
            cursor.execute(
                f"UPDATE {CONTACTS} c SET {column} = NULL FROM {CONTACTS} old"
                f" WHERE c.id = old.id AND (old.{column} < %s OR old.{column} > %s)"
                f" RETURNING c.id, old.{column}::text",
                [EARLIEST, LATEST],
            )
            cleared += [(pk, column, value) for pk, value in cursor.fetchall()]
        for column in CONTACT_DURATIONS:
            condition = NOT_FINITE.format(column=f"old.{column}")
            cursor.execute(
                f"UPDATE {CONTACTS} c SET {column} = NULL FROM {CONTACTS} old"
                f" WHERE c.id = old.id AND {condition} RETURNING c.id, old.{column}::text"
            )
            cleared += [(pk, column, value) for pk, value in cursor.fetchall()]
        for column in TURN_OFFSETS:
            condition = NOT_FINITE.format(column=f'old."{column}"')  # "end" is a keyword
            cursor.execute(
                f'UPDATE {TURNS} t SET "{column}" = NULL FROM {TURNS} old'
                f' WHERE t.id = old.id AND {condition} RETURNING t.contact_id, old."{column}"::text'
            )
            cleared += [(pk, f"turn.{column}", value) for pk, value in cursor.fetchall()]
    audit_event = apps.get_model("core", "AuditEvent")
    audit_event.objects.bulk_create(
        audit_event(
            action="contact.impossible_value_cleared",
            object_type="contact",
            object_id=str(pk),
            before={column: value},
            after={column: None},
            note="a value no program can read back, stored before the import refused it",
        )
        for pk, column, value in cleared
    )


class Migration(migrations.Migration):
    dependencies = [
        ("interactions", "0006_search_stored_tsvector"),
        ("core", "0004_heartbeat"),
    ]

    operations = [
        migrations.RunPython(clear_impossible_values, migrations.RunPython.noop, elidable=True),
    ]
