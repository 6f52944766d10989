"""PostgreSQL: the search words as a stored tsvector column with its own GIN index, instead
of a GIN index on the to_tsvector(…) expression.

With the expression, every row a lossy bitmap rechecks (a common word matches a quarter of
1 M contacts) was parsed again: seconds. A stored column is read, not recomputed, and its
statistics let the planner walk the contacts newest first for a common word and use the
index for a rare one (benchmarks/search.py). Positions are stripped: search needs none."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

DOCUMENTS = "interactions_searchdocument"

FORWARD = [
    f"DROP INDEX IF EXISTS {DOCUMENTS}_terms_gin",
    f"ALTER TABLE {DOCUMENTS} ADD COLUMN words tsvector"
    " GENERATED ALWAYS AS (strip(to_tsvector('simple'::regconfig, terms))) STORED",
    f"CREATE INDEX {DOCUMENTS}_words_gin ON {DOCUMENTS} USING gin (words)",
]
BACKWARD = [
    f"DROP INDEX IF EXISTS {DOCUMENTS}_words_gin",
    f"ALTER TABLE {DOCUMENTS} DROP COLUMN IF EXISTS words",
    f"CREATE INDEX {DOCUMENTS}_terms_gin ON {DOCUMENTS}"
    " USING gin (to_tsvector('simple'::regconfig, terms))",
]


def _run(schema_editor: BaseDatabaseSchemaEditor, statements: list[str]) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in statements:
            schema_editor.execute(statement)


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, FORWARD)


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("interactions", "0005_search"),
    ]

    operations = [migrations.RunPython(forward, backward)]
