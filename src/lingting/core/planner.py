"""PostgreSQL planner settings for the queries of one block of code, where a query needs
other settings than the server's (the tallies' rebuild looks rows up by index; a page's
aggregate of the tallies needs more memory to hash its groups)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def planner_settings(**settings: str) -> Iterator[None]:
    """`settings` for the queries of the block, in a transaction (the caller's, or one of
    its own: a setting made with SET LOCAL outlives no transaction), then as they were.
    Nothing on SQLite. If the block fails, rolling back its savepoint undoes them too."""
    if connection.vendor != "postgresql":
        yield
        return
    names = list(settings)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(["current_setting(%s)"] * len(names)), names)
            before = cursor.fetchone() or ()
            for name, value in settings.items():
                cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
        yield
        with connection.cursor() as cursor:
            for name, value in zip(names, before, strict=True):
                cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
