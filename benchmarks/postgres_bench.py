"""What the PostgreSQL benchmarks share: a database of their own, filled with COPY, and the
best of a few timed runs.

Each benchmark sets DATABASE_URL (its own database name) and DJANGO_SETTINGS_MODULE before
importing this module's `bench_database`.
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

COPY_BUFFER_BYTES = 1 << 22


def copy_rows(cursor: Any, table: str, columns: str, rows: Iterable[str]) -> int:
    """COPY tab-separated text lines into `table`; returns how many."""
    count = 0
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        buffer = io.StringIO()
        for row in rows:
            buffer.write(row)
            buffer.write("\n")
            count += 1
            if buffer.tell() > COPY_BUFFER_BYTES:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())
    return count


def best(work: Callable[[], object], repeat: int) -> float:
    """The fastest of `repeat` runs, in seconds: the least disturbed by the rest of the machine."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


@contextmanager
def bench_database(*, keep: bool) -> Iterator[str]:
    """The benchmark's own migrated database (named by DATABASE_URL), dropped afterwards
    unless `keep` (then kept, and reused by the next run). Prints the server's version."""
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("this benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
    settings = connection.settings_dict
    settings["TEST"]["NAME"] = settings["NAME"]
    name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=keep
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute("show server_version")
            print(f"PostgreSQL {cursor.fetchone()[0]}, database {name}")
        yield name
    finally:
        connection.close()
        if not keep:
            connection.creation.destroy_test_db(name, verbosity=0, keepdb=False)
