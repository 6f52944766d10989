"""Figure changes of meanings: the database notes the contact of every `ContactMeaning` row
it inserts, updates or deletes (as 0007 does for scores and reviews, interactions 0008 for
contacts), for the daily tallies to count what the customers meant again. Scoring stores a
meaning in the same transaction as its score, but `lingting meaning_backfill` (and any
script) writes meanings alone, touching neither the contact nor its score: their triggers
would not see it. An inserted or deleted row whose customer never spoke counts nowhere and
is not noted; an update is (scoring rewrites a row only when it changed).
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CONTACTS = "interactions_contact"
CHANGES = "interactions_figurechange"
MEANINGS = "quality_contactmeaning"
PLACE = "id, started_at, queued_at, agent_id, queue_id, customer_id"
NOTE = f"INSERT INTO {CHANGES} (contact_id, started_at, queued_at, agent_id, queue_id, customer_id)"
# Which rows hold a figure (SQL over the row's alias), per operation; and the row's alias.
COUNTS = {
    "insert": "{row}.emotion_end <> ''",
    "update": "TRUE",
    "delete": "{row}.emotion_end <> ''",
}
ROWS = {"insert": ("NEW", "new_rows"), "update": ("NEW", "new_rows"), "delete": ("OLD", "old_rows")}


def _postgresql() -> list[str]:
    statements = []
    for operation, counts in COUNTS.items():
        rows = ROWS[operation][1]
        function = f"lingting_meaning_{operation}_figures"
        statements += [
            f"""CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN {NOTE} SELECT {PLACE} FROM {CONTACTS} WHERE id IN (
                SELECT r.contact_id FROM {rows} r WHERE {counts.format(row="r")});
            RETURN NULL; END $$""",
            f"CREATE TRIGGER meaning_figures_{operation} AFTER {operation.upper()} ON {MEANINGS}"
            f" REFERENCING {'OLD' if rows == 'old_rows' else 'NEW'} TABLE AS {rows}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        ]
    return statements


def _sqlite() -> list[str]:
    statements = []
    for operation, counts in COUNTS.items():
        row = ROWS[operation][0]
        statements.append(
            f"CREATE TRIGGER meaning_figures_{operation} AFTER {operation.upper()} ON {MEANINGS}"
            f" WHEN {counts.format(row=row).replace('TRUE', '1')}"
            f" BEGIN {NOTE} SELECT {PLACE} FROM {CONTACTS} WHERE id = {row}.contact_id; END"
        )
    return statements


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    postgresql = schema_editor.connection.vendor == "postgresql"
    for statement in _postgresql() if postgresql else _sqlite():
        schema_editor.execute(statement)


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    postgresql = schema_editor.connection.vendor == "postgresql"
    for operation in COUNTS:
        on = f" ON {MEANINGS}" if postgresql else ""
        schema_editor.execute(f"DROP TRIGGER IF EXISTS meaning_figures_{operation}{on}")
        if postgresql:
            schema_editor.execute(f"DROP FUNCTION IF EXISTS lingting_meaning_{operation}_figures()")


class Migration(migrations.Migration):
    dependencies = [
        ("interactions", "0012_contact_topics"),
        ("quality", "0011_contact_meaning"),
    ]

    operations = [migrations.RunPython(forward, backward)]
