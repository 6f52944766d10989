"""Importing contacts in bulk (FORMATS.md interaction records), idempotent by contact id.

Each batch is one transaction: a database error rolls back that batch only, and its lines
are then retried one by one so that only the offending line is rejected. Importing an id
that is already stored updates that contact; it never duplicates it.

On PostgreSQL each good line is turned, where it is read, into the text COPY takes (a
`_Row`), so the process that writes to the database does almost no work per field: the
batch goes in with COPY and a few set-based statements. `contacts_import_file` reads a big
JSON-lines file in worker processes (chunks of lines in flight, a bounded number at a time,
in file order) while this process writes; see benchmarks/import_throughput.py for figures.

Each batch is committed with `synchronous_commit = off`: a commit returns before its WAL
reaches the disk, so a crash of the database server within a fraction of a second of it can
lose the last batches (never corrupt anything). The import is idempotent, so running the
file again puts them back, and sends for scoring every stored contact of the file that has
no current result, whatever happened to the run that stored it (so does the hourly sweep,
`lingting rescore --missing`). Reader processes die with this one and never touch its
database session (`lingting.core.forked`), so a killed import leaves nothing behind.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Iterable
from dataclasses import replace
from datetime import tzinfo

from django.db import connection

from lingting.engine.reader import LineError, ParsedLine, read_contacts_file, sniff_file_encoding
from lingting.interactions.search import search_segmenter
from lingting.interactions.services.import_batches import (
    ErrorSink,
    FollowUp,
    ImportReport,
    StoredContacts,
    reject,
)
from lingting.interactions.services.import_copy import (
    Reading,
    RowImporter,
    compact,
    read_in_workers,
)
from lingting.interactions.services.import_orm import import_batch

# PostgreSQL, JSON lines: files at least this big are read by worker processes; smaller ones
# are done before the workers would have started.
PARALLEL_MIN_BYTES = 4 * 1024 * 1024
# What a worker reads at a time (about 500 contacts with transcripts): small enough that
# the first batch reaches the database soon, big enough that passing chunks costs nothing.
CHUNK_BYTES = 1024 * 1024


def default_import_workers() -> int:
    """Processes that read the file while this one writes. On two cores one is best: the
    writer and PostgreSQL need the other (benchmarks/import_throughput.py --workers)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, (cores or 1) - 1)


def contacts_import(
    *,
    lines: Iterable[ParsedLine | LineError],
    batch_size: int = 2000,
    on_stored: StoredContacts | None = None,
    in_process: bool = False,
    on_error: ErrorSink | None = None,
) -> ImportReport:
    """Store every good line and report every bad one; never stops at a bad line.

    A line without turns never erases a stored transcript, and a line without a recording
    never drops a stored one: a CDR refresh (CSV) after the transcripts keeps them. When
    what the scorecard reads changed, the contact's current score is cleared (its evidence
    may point at words no longer there); once its batch commits, `on_stored` (quality's
    scoring) gets the contacts whose transcript is new or changed. The recordings the lines
    name are listened to (`services.listening`) by the task worker. With `in_process` their
    words are indexed for search, and their recordings listened to, here, not by the worker.
    """
    follow_up = FollowUp(on_stored=on_stored, in_process=in_process)
    if connection.vendor == "postgresql":
        importer = RowImporter(batch_size=batch_size, follow_up=follow_up, on_error=on_error)
        segmenter = search_segmenter() if in_process else None
        for item in lines:
            importer.add(
                item if isinstance(item, LineError) else compact(item, segmenter=segmenter)
            )
        return importer.finish()
    report = ImportReport()
    began = time.perf_counter()
    for chunk in itertools.batched(lines, batch_size):
        parsed: list[ParsedLine] = []
        for item in chunk:
            report.read += 1
            if isinstance(item, LineError):
                reject(report, item, on_error)
            else:
                parsed.append(item)
        import_batch(parsed, report=report, follow_up=follow_up, on_error=on_error)
    report.seconds = time.perf_counter() - began
    return report


def contacts_import_file(
    path: str,
    *,
    tz: tzinfo,
    workers: int | None = None,
    batch_size: int = 2000,
    on_stored: StoredContacts | None = None,
    in_process: bool = False,
    on_error: ErrorSink | None = None,
    chunk_bytes: int = CHUNK_BYTES,
) -> ImportReport:
    """`contacts_import` of a .jsonl or .csv file (`lingting import`).

    On PostgreSQL a JSON-lines file of PARALLEL_MIN_BYTES or more is read and checked by
    `workers` processes (default: `default_import_workers()`; 0 reads it here), chunk by
    chunk in file order, while this process writes what they send back. Raises
    `UnreadableFileError` (or OSError) before anything is stored if the file cannot be read.
    """
    encoding = sniff_file_encoding(path)
    if workers is None:
        big = os.path.getsize(path) >= PARALLEL_MIN_BYTES
        workers = default_import_workers() if big else 0
    if workers < 1 or connection.vendor != "postgresql" or path.lower().endswith(".csv"):
        return contacts_import(
            lines=read_contacts_file(path, tz=tz),
            batch_size=batch_size,
            on_stored=on_stored,
            in_process=in_process,
            on_error=on_error,
        )
    importer = RowImporter(
        batch_size=batch_size,
        follow_up=FollowUp(on_stored=on_stored, in_process=in_process),
        on_error=on_error,
    )
    lines_before = 0
    reading = Reading(path, encoding, tz, with_search=in_process)
    for lines, items, more_ready in read_in_workers(reading, workers, chunk_bytes):
        # A worker numbers the lines of its chunk from 1; the chunks before it held
        # `lines_before` lines (blank ones included).
        for item in items:
            if isinstance(item, LineError):
                importer.add(replace(item, line=item.line + lines_before))
            else:
                importer.add(item._replace(line=item.line + lines_before))
        lines_before += lines
        if not more_ready:
            # The readers are behind: store what there is rather than wait for them
            # with the database idle.
            importer.flush(minimum=batch_size // 4)
    return importer.finish()
