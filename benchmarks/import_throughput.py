"""How many contacts per second `lingting import` stores, from file to committed rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lingting \\
        .venv/bin/python benchmarks/import_throughput.py --contacts 20000

It never touches the database DATABASE_URL names: it creates a throwaway database beside
it (PostgreSQL: `<name>_bench` on the same server; SQLite: a temporary file with the
production settings, WAL and all), migrates it, imports N generated demo contacts twice —
first all new, then the same file again (all updates, transcripts unchanged) — and drops
it. Scoring is left out (no `on_stored`): it runs in the task worker, not in the import.

The two file imports go through `contacts_import_file`, as `lingting import` does: on
PostgreSQL, a file of 4 MB or more is read by `--workers` processes (default: one less
than the cores) while this one writes. The machine is often shared: run it a few times,
and compare figures taken while nothing else runs.
"""

from __future__ import annotations

import argparse
import gc
import os
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

import django
import orjson

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lingting.config.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils.timezone import get_default_timezone  # noqa: E402

from lingting.demo.generator.organisation import demo_org  # noqa: E402
from lingting.demo.generator.traffic import generate_contacts  # noqa: E402
from lingting.engine.reader import LineError, ParsedLine, read_contacts_file  # noqa: E402
from lingting.interactions.services import (  # noqa: E402
    ImportReport,
    contacts_import,
    contacts_import_file,
    default_import_workers,
)

AGENTS = 40
CALLS_PER_AGENT_DAY = 10


def demo_records(count: int, seed: int) -> Iterator[dict[str, Any]]:
    org = demo_org(seed, agents=AGENTS)
    days = count // (AGENTS * CALLS_PER_AGENT_DAY) + 2
    records = generate_contacts(
        org,
        seed=seed,
        start=date(2026, 1, 1),
        days=days,
        calls_per_agent_day=CALLS_PER_AGENT_DAY,
    )
    return islice(records, count)


def write_jsonl(records: Iterator[dict[str, Any]], path: Path) -> tuple[int, int]:
    contacts = turns = 0
    with path.open("wb") as out:
        for record in records:
            out.write(orjson.dumps(record) + b"\n")
            contacts += 1
            turns += len(record.get("turns") or ())
    return contacts, turns


def use_throwaway_database(workdir: Path) -> str:
    """Point the connection at a new, migrated database and describe it."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        settings["TEST"]["NAME"] = str(workdir / "bench.sqlite3")
    else:
        settings["TEST"]["NAME"] = f"{settings['NAME']}_bench"
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    with connection.cursor() as cursor:
        cursor.execute(
            "select sqlite_version()" if connection.vendor == "sqlite" else "show server_version"
        )
        version = cursor.fetchone()[0]
    return f"{connection.vendor} {version}, database {name}"


def read_file(path: Path) -> Iterator[ParsedLine | LineError]:
    return read_contacts_file(str(path), tz=get_default_timezone())


def import_file(path: Path, args: argparse.Namespace) -> ImportReport:
    """What `lingting import` does: read in worker processes when the file is big."""
    return contacts_import_file(
        str(path),
        tz=get_default_timezone(),
        workers=args.workers,
        batch_size=args.batch_size,
    )


def timed(what: str, report: ImportReport) -> None:
    assert report.rejected == 0, report.errors[:3]
    print(
        f"{what:<44} {report.seconds:6.2f} s = {report.contacts_per_second:7,.0f} contacts/s"
        f" ({report.imported:,} created, {report.updated:,} updated)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=20000)
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="reading processes for the file imports (0: none; default: as `lingting import`,"
        f" {default_import_workers()} here for a file of 4 MB or more)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        path = workdir / "contacts.jsonl"
        contacts, turns = write_jsonl(demo_records(args.contacts, args.seed), path)
        print(f"{contacts:,} contacts, {turns:,} turns, {path.stat().st_size / 1e6:.1f} MB")
        original_name = connection.settings_dict["NAME"]
        print(use_throwaway_database(workdir))
        gc.freeze()  # as `lingting import` does
        try:
            began = time.perf_counter()
            parsed = list(read_file(path))
            seconds = time.perf_counter() - began
            # Keep the garbage collector from scanning these 20,000 contacts over and over
            # while they are stored: a streaming import never holds them all at once.
            gc.freeze()
            print(
                f"{'reading and validating the file alone':<44} {seconds:6.2f} s = "
                f"{contacts / seconds:7,.0f} contacts/s"
            )
            timed(
                "storing already-read contacts (all new)",
                contacts_import(lines=parsed, batch_size=args.batch_size),
            )
            del parsed
            call_command("flush", interactive=False, verbosity=0)
            timed("file to database, like `lingting import`", import_file(path, args))
            timed("the same file again (all updates)", import_file(path, args))
        finally:
            connection.creation.destroy_test_db(original_name, verbosity=0)


if __name__ == "__main__":
    main()
