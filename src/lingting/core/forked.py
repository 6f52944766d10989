"""Worker processes forked from a process that uses the database: the import's readers and
the tallies' rebuild. Forked, they inherit the loaded apps; each dies with its parent and
lets go of the parent's database session at once (`_start_worker`), so a killed command
leaves nothing behind; one that needs the database connects anew."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

from django.db import connections

from lingting.engine.processes import die_with_parent


def forked_pool(workers: int) -> ProcessPoolExecutor:
    """`workers` processes forked from this one (`_start_worker` first in each)."""
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(os.getpid(),),
    )


def map_in_order[T, R](
    pool: ProcessPoolExecutor, function: Callable[[T], R], items: Iterable[T], *, ahead: int
) -> Iterator[R]:
    """`function` of each item, run in `pool`, in the items' order, with at most `ahead`
    of them submitted and not yet taken: memory stays flat however many items."""
    remaining = iter(items)
    pending: deque[Future[R]] = deque(
        pool.submit(function, item) for item in islice(remaining, ahead)
    )
    while pending:
        result = pending.popleft().result()
        pending.extend(pool.submit(function, item) for item in islice(remaining, 1))
        yield result


def _start_worker(parent: int) -> None:
    """First thing in a worker process. It dies with this one: left behind by a `kill -9`,
    it would hold the inherited socket of this process's database session, so the server
    would keep the session and its open transaction's locks, and a rerun would wait on
    them for ever. And it lets go of that socket at once: not by closing the connection
    (the driver would tell the server to end the session, this process's own), but by
    pointing the descriptor at /dev/null, so that nothing the worker does or frees can
    reach the session."""
    die_with_parent(parent)
    for alias in connections:
        wrapper = connections[alias]
        if wrapper.connection is None:
            continue
        if wrapper.vendor == "postgresql":
            blank = os.open(os.devnull, os.O_RDWR)
            os.dup2(blank, wrapper.connection.fileno())
            os.close(blank)
        # Forgotten, not closed; and the wrapper with it, transaction state and all (forked
        # inside the parent's transaction, it would take itself to be in one): were the
        # worker to need a database, a fresh wrapper connects anew.
        wrapper.connection = None
        del connections[alias]
    gc.freeze()
