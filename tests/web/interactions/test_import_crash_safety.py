"""An import killed at any moment loses nothing: killed with `kill -9` again and again, then
run to the end, it has stored exactly the file's good lines, once each, all of them scored,
and no process of a killed run is left behind (on PostgreSQL a forked reader left alive
kept the dead run's database session, and the rerun waited on its locks for ever).

The import runs as `lingting import` in a process of its own, on a database that process
can reach: on PostgreSQL the test database, on SQLite a database file in tmp_path.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from urllib.parse import quote

import orjson
import pytest
from django.db import connection
from django.utils.timezone import get_default_timezone

from lingting.demo.generator.organisation import demo_org
from lingting.demo.generator.traffic import generate_contacts
from lingting.engine.reader import ParsedLine, read_contacts_file

pytestmark = pytest.mark.django_db(transaction=True)

FILE_BYTES = 3_000_000
KILLS = 4
BAD_LINES = [
    b"{not json\n",
    orjson.dumps({"id": "BAD-TIME", "started_at": "0001-01-01T00:00:00+08:00"}) + b"\n",
    b'{"id": "BAD-NUL", "turns": []}\x00\n',
    orjson.dumps({"id": "BAD-WAIT", "wait_s": 1e30}) + b"\n",
    orjson.dumps({"id": "BAD-RINGS", "rings": 40000}) + b"\n",
]


def interaction_file(path: Path) -> Path:
    """Demo calls, each with a note beside the format (kept as an unknown field) so that a
    file of several MB holds few enough calls to be scored quickly, and the bad lines
    spread through it."""
    rng = random.Random(5)
    note = "备注" * 700
    lines = []
    size = 0
    for record in generate_contacts(demo_org(5, agents=12), seed=5, start=date(2026, 3, 2)):
        line = orjson.dumps({**record, "note": note}) + b"\n"
        lines.append(line)
        size += len(line)
        if size >= FILE_BYTES:
            break
    for bad in BAD_LINES:
        lines.insert(rng.randrange(len(lines)), bad)
    path.write_bytes(b"".join(lines))
    return path


def survivors(group: int) -> list[int]:
    """Live processes (not zombies) of a process group."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid pgrp ...: comm may hold spaces, so split after its ')'.
        state, _ppid, pgrp = stat.rsplit(")", 1)[1].split()[:3]
        if int(pgrp) == group and state != "Z":
            alive.append(int(entry.name))
    return alive


def reading(run: subprocess.Popen[bytes], source: Path) -> None:
    """Wait until `run` has opened `source` (or has ended)."""
    fds = Path(f"/proc/{run.pid}/fd")
    while run.poll() is None:
        try:
            if any(os.readlink(fd) == str(source) for fd in fds.iterdir()):
                return
        except OSError:  # a descriptor closed while being looked at
            pass
        time.sleep(0.02)


def database_env(tmp_path: Path) -> tuple[dict[str, str], Callable[[str], list[tuple]]]:
    """The environment that points `lingting` at this test's database, and a query on it."""
    env = {**os.environ, "LINGTING_VAR_DIR": str(tmp_path / "var")}
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        user, password, host = (
            quote(str(db[key] or ""), safe="") for key in ("USER", "PASSWORD", "HOST")
        )
        env["DATABASE_URL"] = (
            f"postgres://{user}:{password}@{host or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )

        def query_postgresql(sql: str) -> list[tuple]:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return list(cursor.fetchall())

        return env, query_postgresql
    database = tmp_path / "lingting.sqlite3"
    env["DATABASE_URL"] = f"sqlite:///{database}"
    subprocess.run(lingting("migrate", "-v0"), env=env, check=True, timeout=120)

    def query_sqlite(sql: str) -> list[tuple]:
        with sqlite3.connect(database) as db:
            return db.execute(sql).fetchall()

    return env, query_sqlite


def lingting(*args: str) -> list[str]:
    return [sys.executable, "-m", "lingting.cli", *args]


def test_an_import_killed_at_random_moments_then_rerun_stores_every_good_line_once_and_scores_it(
    tmp_path: Path,
) -> None:
    source = interaction_file(tmp_path / "contacts.jsonl")
    expected = {
        parsed.contact.id: len(parsed.contact.turns)
        for parsed in read_contacts_file(str(source), tz=get_default_timezone())
        if isinstance(parsed, ParsedLine)
    }
    env, query = database_env(tmp_path)
    # Several readers (as on a bigger machine): a reader left behind by its killed parent
    # also blocks its siblings, which inherited the ends of each other's pipes.
    command = lingting("import", str(source), "--sync", "--workers", "3")
    rng = random.Random(20261205)

    for _ in range(KILLS):
        run = subprocess.Popen(
            command,
            env=env,
            start_new_session=True,  # its own process group: its workers are found by it
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Django's start takes seconds, and longer on a busy machine: the moment to kill is
        # drawn from the time the import is under way (it has opened the file).
        reading(run, source)
        time.sleep(rng.uniform(0.0, 2.0))
        run.send_signal(signal.SIGKILL)  # the parent only: its workers must follow it
        run.wait()
        deadline = time.monotonic() + 5
        while survivors(run.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = survivors(run.pid)
        for pid in left:  # not to leave them to the rest of the suite
            os.kill(pid, signal.SIGKILL)
        assert left == [], "a process of the killed import outlived it"

    # A session the killed runs left open would hold its locks: the rerun would never end.
    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)

    said = finished.stdout + finished.stderr
    assert finished.returncode == 1, said  # exactly: some lines were rejected, nothing else
    assert f"rejected {len(BAD_LINES)} ·" in finished.stdout, said
    stored = dict(query("SELECT external_id, turn_count FROM interactions_contact"))
    assert stored == expected
    [(turns,)] = query("SELECT count(*) FROM interactions_turn")
    assert turns == sum(expected.values())
    unscored = query(
        "SELECT external_id FROM interactions_contact"
        " WHERE turn_count > 0 AND current_score_id IS NULL"
    )
    assert unscored == []
