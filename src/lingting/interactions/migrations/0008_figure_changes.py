"""Figure changes: the database notes every contact it inserts, updates or deletes in
`FigureChange`, for the daily tallies to count again (performance.tallies).

Triggers, not calls in the services: every path that writes a contact (the import's COPY and
upsert, scoring, a script, the admin) is covered without having to remember it. On
PostgreSQL one statement-level trigger per operation notes a whole statement's rows with one
INSERT … SELECT from its transition tables (an import batch of thousands of rows costs one
statement); SQLite's triggers are per row. An update notes a contact only when a column a
figure reads changed: where it counts now and, when it moved, where it counted before.
"""

import django.db.models.functions.comparison
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CONTACTS = "interactions_contact"
CHANGES = "interactions_figurechange"
PLACE = "started_at, queued_at, agent_id, queue_id, customer_id"
# The columns a figure reads (KPIs, QA, assessment): anything else (updated_at, turn_count,
# holds, rings) changes no figure.
READ = (
    "channel", "direction", "queue_id", "agent_id", "customer_id", "queued_at", "started_at",
    "answered_at", "ended_at", "disposition", "hangup_by", "tags", "wait_s", "talk_s",
    "hold_s", "acw_s", "extra", "current_score_id",
)
NOTE = f"INSERT INTO {CHANGES} (contact_id, {PLACE})"


def _differs(old: str, new: str) -> str:
    return (
        f"({', '.join(f'{old}.{c}' for c in READ)})"
        f" IS DISTINCT FROM ({', '.join(f'{new}.{c}' for c in READ)})"
    )


def _moved(old: str, new: str) -> str:
    """The contact left its place: start, queue time, agent, queue or customer changed."""
    columns = [column.strip() for column in PLACE.split(",")]
    return (
        f"({', '.join(f'{old}.{c}' for c in columns)})"
        f" IS DISTINCT FROM ({', '.join(f'{new}.{c}' for c in columns)})"
    )


def _place(alias: str) -> str:
    return f"{alias}.id, " + ", ".join(f"{alias}.{c.strip()}" for c in PLACE.split(","))


POSTGRESQL = [
    f"""CREATE FUNCTION lingting_contact_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN {NOTE} SELECT {_place('n')} FROM new_rows n; RETURN NULL; END $$""",
    f"""CREATE FUNCTION lingting_contact_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN {NOTE} SELECT {_place('o')} FROM old_rows o; RETURN NULL; END $$""",
    # Where it counted before only when that is not where it counts now (a new score, say).
    f"""CREATE FUNCTION lingting_contact_updated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN {NOTE} SELECT {_place('moved')} FROM (
        SELECT {_place('n')} FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE {_differs('o', 'n')}
        UNION ALL
        SELECT {_place('o')} FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE {_moved('o', 'n')}) moved;
    RETURN NULL; END $$""",
    f"CREATE TRIGGER contact_figures_insert AFTER INSERT ON {CONTACTS}"
    " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT"
    " EXECUTE FUNCTION lingting_contact_inserted()",
    f"CREATE TRIGGER contact_figures_update AFTER UPDATE ON {CONTACTS}"
    " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT"
    " EXECUTE FUNCTION lingting_contact_updated()",
    f"CREATE TRIGGER contact_figures_delete AFTER DELETE ON {CONTACTS}"
    " REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT"
    " EXECUTE FUNCTION lingting_contact_deleted()",
]
POSTGRESQL_BACKWARD = [
    f"DROP TRIGGER IF EXISTS contact_figures_{operation} ON {CONTACTS}"
    for operation in ("insert", "update", "delete")
] + [
    f"DROP FUNCTION IF EXISTS lingting_contact_{operation}()"
    for operation in ("inserted", "updated", "deleted")
]

SQLITE = [
    f"CREATE TRIGGER contact_figures_insert AFTER INSERT ON {CONTACTS}"
    f" BEGIN {NOTE} VALUES ({_place('NEW')}); END",
    f"CREATE TRIGGER contact_figures_update AFTER UPDATE ON {CONTACTS}"
    f" WHEN {_differs('OLD', 'NEW').replace('IS DISTINCT FROM', 'IS NOT')}"
    f" BEGIN {NOTE} VALUES ({_place('NEW')}); {NOTE} SELECT {_place('OLD')}"
    f" WHERE {_moved('OLD', 'NEW').replace('IS DISTINCT FROM', 'IS NOT')}; END",
    f"CREATE TRIGGER contact_figures_delete AFTER DELETE ON {CONTACTS}"
    f" BEGIN {NOTE} VALUES ({_place('OLD')}); END",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS contact_figures_{operation}"
    for operation in ("insert", "update", "delete")
]


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    postgresql = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRESQL if postgresql else SQLITE:
        schema_editor.execute(statement)


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    postgresql = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRESQL_BACKWARD if postgresql else SQLITE_BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("interactions", "0007_clear_impossible_values"),
    ]

    operations = [
        migrations.CreateModel(
            name="FigureChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("contact_id", models.BigIntegerField()),
                ("started_at", models.DateTimeField(null=True)),
                ("queued_at", models.DateTimeField(null=True)),
                ("agent_id", models.BigIntegerField(null=True)),
                ("queue_id", models.BigIntegerField(null=True)),
                ("customer_id", models.BigIntegerField(null=True)),
            ],
        ),
        migrations.RunPython(forward, backward),
        # The moment FCR's repeats and a day's contacts are found by (queue time, else start).
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(
                django.db.models.functions.comparison.Coalesce("queued_at", "started_at"),
                name="contact_moment_idx",
            ),
        ),
    ]
