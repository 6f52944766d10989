"""How many stored contacts per second `contacts_score` scores and writes back.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lingting \\
        .venv/bin/python benchmarks/score_store_throughput.py --contacts 12000

For SQLite, and for DATABASE_URL's PostgreSQL when it names one, each in its own process:
creates a throwaway database the way benchmarks/import_throughput.py does (PostgreSQL:
`<name>_score_bench` on the same server, never DATABASE_URL's own database nor the import
benchmark's; SQLite: a temporary file with the production settings), imports N generated
demo contacts without scoring them, activates the built-in standard scorecard and times
`contacts_score` over every transcript in chunks, as `lingting demo` and `rescore_all` do:
first with no score stored (all inserts), then again (all updates, failed items replaced).
The same contacts are also read and scored without writing anything, to show what the
writing costs. The three timings are taken in rounds and the best of each is kept, since
other work on the machine slows them down alike. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from itertools import batched
from pathlib import Path
from typing import Any


def run_one(contacts: int, chunk: int, seed: int, repeat: int) -> None:
    """Benchmark the database DATABASE_URL names."""
    from django.db import connection
    from django.utils.timezone import get_default_timezone
    from import_throughput import demo_records, use_throwaway_database  # sets Django up

    from lingting.engine.contacts import ContactError, contact_from_record
    from lingting.engine.reader import LineError, ParsedLine
    from lingting.engine.scorecard_yaml import builtin_scorecard
    from lingting.interactions.engine_contacts import engine_contacts_for
    from lingting.interactions.models import Contact
    from lingting.interactions.services import contacts_import
    from lingting.quality.models import ContactScore, ItemFailure
    from lingting.quality.selectors.scorecards import compiled_scorecard
    from lingting.quality.services import (
        contacts_score,
        scorecard_load,
        scorecard_version_activate,
    )

    def parsed(records: Iterator[dict[str, Any]]) -> Iterator[ParsedLine | LineError]:
        tz = get_default_timezone()
        for number, record in enumerate(records, start=1):
            try:
                yield ParsedLine(number, contact_from_record(record, tz=tz))
            except ContactError as exc:
                yield LineError(number, str(exc), "", str(record.get("id")))

    def timed(work: Callable[[Sequence[int]], object], ids: list[int]) -> float:
        began = time.perf_counter()
        for part in batched(ids, chunk):
            work(part)
        return time.perf_counter() - began

    def show(what: str, runs: list[float], count: int) -> float:
        best = min(runs)
        spread = ", ".join(f"{count / s:,.0f}" for s in runs)
        print(
            f"  {what:<40} {best:6.2f} s = {count / best:7,.0f} contacts/s"
            + (f"  (runs: {spread})" if len(runs) > 1 else "")
        )
        return best

    def vacuum() -> None:
        """Dead rows of the previous run out of the way, as autovacuum would put them."""
        if connection.vendor == "postgresql":
            tables = [ContactScore._meta.db_table, ItemFailure._meta.db_table]
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM ANALYZE {', '.join([*tables, Contact._meta.db_table])}")

    with tempfile.TemporaryDirectory() as tmp:
        original_name = connection.settings_dict["NAME"]
        # `<name>_score_bench`, so that an import benchmark running beside it (its database
        # is `<name>_bench`) is not dropped by this one, nor this one by it.
        connection.settings_dict["NAME"] = f"{original_name}_score"
        print(use_throwaway_database(Path(tmp)))
        try:
            report = contacts_import(lines=parsed(demo_records(contacts, seed)))
            assert report.rejected == 0, report.errors[:3]
            ids = list(
                Contact.objects.filter(turn_count__gt=0).order_by("id").values_list("id", flat=True)
            )
            print(f"  {report.imported:,} contacts imported, {len(ids):,} with a transcript")
            version = scorecard_load(scorecard=builtin_scorecard(), actor=None)
            scorecard_version_activate(version=version, actor=None, rescore=False)
            version.refresh_from_db()
            compiled = compiled_scorecard(version)

            def read_and_score(part: Sequence[int]) -> None:
                for _, contact in engine_contacts_for(contact_ids=part):
                    if contact.turns:
                        compiled.encode(compiled.score(contact))

            def store(part: Sequence[int]) -> None:
                contacts_score(contact_ids=part, version=version)

            # Rounds of the three timings, best of each kept: other work on the machine
            # then weighs on all three alike.
            engine: list[float] = []
            first: list[float] = []
            again: list[float] = []
            for _ in range(repeat):
                engine.append(timed(read_and_score, ids))
                ContactScore.objects.all().delete()
                vacuum()
                first.append(timed(store, ids))
                vacuum()
                again.append(timed(store, ids))
            alone = show("read and score only (nothing written)", engine, len(ids))
            for what, runs in [
                ("contacts_score, no score stored yet", first),
                ("contacts_score again (scores replaced)", again),
            ]:
                best = show(what, runs, len(ids))
                print(f"  {'':<40} {alone / best:6.0%} of reading and scoring alone")
            scored = Contact.objects.filter(current_score__version=version).count()
            assert scored == len(ids), (scored, len(ids))
            print(
                f"  {ContactScore.objects.count():,} scores, "
                f"{ItemFailure.objects.count():,} failed items stored"
            )
        finally:
            connection.creation.destroy_test_db(original_name, verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=12000)
    parser.add_argument("--chunk", type=int, default=2000, help="contacts per contacts_score")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing (best kept)")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    options = [
        f"--contacts={args.contacts}",
        f"--chunk={args.chunk}",
        f"--seed={args.seed}",
        f"--repeat={args.repeat}",
    ]
    if args.one:
        run_one(args.contacts, args.chunk, args.seed, args.repeat)
        return
    url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory() as tmp:
        # The settings' SQLite (WAL, IMMEDIATE transactions); the file itself goes unused.
        targets = [f"sqlite:///{Path(tmp) / 'unused.sqlite3'}"]
        if url.startswith(("postgres://", "postgresql://")):
            targets.append(url)
        for target in targets:
            env = {**os.environ, "DATABASE_URL": target}
            command = [sys.executable, __file__, "--one", *options]
            subprocess.run(command, env=env, check=True)


if __name__ == "__main__":
    main()
