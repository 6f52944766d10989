"""The contact update trigger (0008) joins its statement's old and new rows by id. PL/pgSQL
plans that join once per session, before it knows how many rows a statement has, and took
them for one: a nested loop, quadratic in the rows of a statement. Scoring 2,000 imported
contacts (one UPDATE pointing them at their scores) spent a second in it; `lingting import
--sync` ran at 728 contacts/s instead of 1,113. Without nested loops the join is a hash or
merge join whatever the planner guesses. PostgreSQL only: SQLite's triggers are per row.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

FUNCTION = "lingting_contact_updated()"


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER FUNCTION {FUNCTION} SET enable_nestloop = off")


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER FUNCTION {FUNCTION} RESET enable_nestloop")


class Migration(migrations.Migration):
    dependencies = [
        ("interactions", "0009_contact_rated_idx"),
    ]

    operations = [migrations.RunPython(forward, backward)]
