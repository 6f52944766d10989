"""Figure changes of scores and reviews: the database notes the contact of every automatic
score it updates and every sample review it inserts, updates or deletes (interactions 0008
does the same for contacts), for the daily tallies to count again. A rescore with the same
scorecard version updates the score row in place, and a settled dispute changes a review's
score: neither touches the contact row, so the contact's own triggers would not see them. A
new or deleted score does not need its own note: it counts only once it is (or stops being)
the contact's current score, which updates the contact. Calibration reviews never become a
score of record and are left out.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CONTACTS = "interactions_contact"
CHANGES = "interactions_figurechange"
PLACE = "id, started_at, queued_at, agent_id, queue_id, customer_id"
NOTE = f"INSERT INTO {CHANGES} (contact_id, started_at, queued_at, agent_id, queue_id, customer_id)"
TABLES = {"score": "quality_contactscore", "evaluation": "quality_evaluation"}
# Which rows of each table hold a figure (SQL over the row's alias), and on which operations.
COUNTS = {"score": "TRUE", "evaluation": "{row}.kind = 'sample'"}
OPERATIONS = {"score": ("update",), "evaluation": ("insert", "update", "delete")}
ROWS = {"insert": ("NEW", "new_rows"), "update": ("NEW", "new_rows"), "delete": ("OLD", "old_rows")}


def _postgresql(name: str) -> list[str]:
    table, counts = TABLES[name], COUNTS[name]
    statements = []
    for operation in OPERATIONS[name]:
        rows = ROWS[operation][1]
        function = f"lingting_{name}_{operation}_figures"
        statements += [
            f"""CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN {NOTE} SELECT {PLACE} FROM {CONTACTS} WHERE id IN (
                SELECT r.contact_id FROM {rows} r WHERE {counts.format(row="r")});
            RETURN NULL; END $$""",
            f"CREATE TRIGGER {name}_figures_{operation} AFTER {operation.upper()} ON {table}"
            f" REFERENCING {'OLD' if rows == 'old_rows' else 'NEW'} TABLE AS {rows}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        ]
    return statements


def _sqlite(name: str) -> list[str]:
    table, counts = TABLES[name], COUNTS[name]
    statements = []
    for operation in OPERATIONS[name]:
        row = ROWS[operation][0]
        statements.append(
            f"CREATE TRIGGER {name}_figures_{operation} AFTER {operation.upper()} ON {table}"
            f" WHEN {counts.format(row=row).replace('TRUE', '1')}"
            f" BEGIN {NOTE} SELECT {PLACE} FROM {CONTACTS} WHERE id = {row}.contact_id; END"
        )
    return statements


def _backward(name: str, postgresql: bool) -> list[str]:
    statements = []
    for operation in OPERATIONS[name]:
        on = f" ON {TABLES[name]}" if postgresql else ""
        statements.append(f"DROP TRIGGER IF EXISTS {name}_figures_{operation}{on}")
        if postgresql:
            statements.append(f"DROP FUNCTION IF EXISTS lingting_{name}_{operation}_figures()")
    return statements


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    postgresql = schema_editor.connection.vendor == "postgresql"
    for name in TABLES:
        for statement in _postgresql(name) if postgresql else _sqlite(name):
            schema_editor.execute(statement)


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    postgresql = schema_editor.connection.vendor == "postgresql"
    for name in TABLES:
        for statement in _backward(name, postgresql):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("interactions", "0008_figure_changes"),
        ("quality", "0006_one_sample_record_per_contact"),
    ]

    operations = [migrations.RunPython(forward, backward)]
