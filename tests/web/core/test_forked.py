"""Worker processes forked from a process that uses the database (the import's readers, the
tallies' rebuild): they let go of the parent's session, and results come back in order."""

from __future__ import annotations

import os

import pytest
from django.db import connection

from lingting.core.forked import forked_pool, map_in_order


def _database_descriptor(fd: int) -> tuple[str, bool]:
    return os.readlink(f"/proc/self/fd/{fd}"), connection.connection is None


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a socket to let go of")
def test_a_worker_process_lets_go_of_the_parents_database_session() -> None:
    connection.ensure_connection()
    assert connection.connection is not None
    socket = connection.connection.fileno()
    pool = forked_pool(1)
    try:
        seen_by_worker = pool.submit(_database_descriptor, socket).result()
    finally:
        pool.shutdown()

    assert seen_by_worker == (os.devnull, True)
    with connection.cursor() as cursor:  # this process's session is untouched
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def _square_after(n: int) -> int:
    os.sched_yield()
    return n * n


def test_results_come_back_in_the_order_of_the_items_however_many() -> None:
    pool = forked_pool(2)
    try:
        assert list(map_in_order(pool, _square_after, range(50), ahead=3)) == [
            n * n for n in range(50)
        ]
    finally:
        pool.shutdown()
