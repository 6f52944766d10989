"""PostgreSQL: a document's words are its terms as they are (`array_to_tsvector`), not the
terms parsed again by the 'simple' text search configuration. The terms are already words
(lingting.engine.search: letters and digits, lower-cased, one space between), which that
parser gave back unchanged (checked on 20,000 imported documents) at a third of the
server's time per document; `import --sync` stores a document for every contact. Queries
name their terms as lexemes the same way (interactions.search)."""

from collections.abc import Callable

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

DOCUMENTS = "interactions_searchdocument"


def _words_as(expression: str) -> Callable[[StateApps, BaseDatabaseSchemaEditor], None]:
    """Make `words` the stored value of `expression` (PostgreSQL; SQLite has FTS5 instead)."""

    def run(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in (
            f"DROP INDEX IF EXISTS {DOCUMENTS}_words_gin",
            f"ALTER TABLE {DOCUMENTS} DROP COLUMN IF EXISTS words",
            f"ALTER TABLE {DOCUMENTS} ADD COLUMN words tsvector"
            f" GENERATED ALWAYS AS ({expression}) STORED",
            f"CREATE INDEX {DOCUMENTS}_words_gin ON {DOCUMENTS} USING gin (words)",
            f"ANALYZE {DOCUMENTS}",  # the planner's word statistics pick a search's plan
        ):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("interactions", "0010_figure_changes_hash_join"),
    ]

    operations = [
        migrations.RunPython(
            _words_as("array_to_tsvector(string_to_array(terms, ' '))"),
            _words_as("strip(to_tsvector('simple'::regconfig, terms))"),
        )
    ]
