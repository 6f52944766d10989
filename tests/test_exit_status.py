"""A run that is stopped (SIGTERM, Ctrl+C) or crashes exits 3 with a one-line reason, never
1 ("some lines rejected"): a script that reruns on 3 and reads the errors file on 1 can
tell the two apart. `lingting score`, `lingting kpis` and `lingting import` alike."""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import orjson
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError

from lingting import engine_cli
from lingting.cli import main
from lingting.engine.processes import EXIT_STOPPED

CALL = {
    "id": "C1",
    "direction": "inbound",
    "disposition": "answered",
    "started_at": "2026-10-01T09:00:05+08:00",
    "turns": [{"speaker": "agent", "start": 0.0, "end": 2.0, "text": "您好"}],
}


def stopped_by_sigterm(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `lingting ARGS` reading a pipe that has sent one line and stays open, and send
    it SIGTERM while it waits for more."""
    fifo = tmp_path / "contacts.jsonl"
    os.mkfifo(fifo)
    env = {**os.environ, "LINGTING_VAR_DIR": str(tmp_path / "var"), **(env or {})}
    command = [
        sys.executable,
        "-m",
        "lingting.cli",
        *(str(fifo) if a == "FIFO" else a for a in args),
    ]
    run = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    with open(fifo, "wb") as pipe:  # returns once the command has opened it to read
        pipe.write(orjson.dumps(CALL) + b"\n")
        pipe.flush()
        threading.Event().wait(0.5)
        run.send_signal(signal.SIGTERM)
        stdout, stderr = run.communicate(timeout=30)
    return subprocess.CompletedProcess(command, run.returncode, stdout, stderr)


@pytest.mark.parametrize(
    "args",
    [
        ["score", "FIFO", "--out", "-"],
        ["kpis", "FIFO", "--by", "day", "--out", "-"],
    ],
)
def test_an_engine_run_stopped_by_sigterm_exits_3_with_one_line(
    tmp_path: Path, args: list[str]
) -> None:
    stopped = stopped_by_sigterm(tmp_path, *args)

    assert stopped.returncode == EXIT_STOPPED
    assert stopped.stderr.strip().splitlines() == [
        f"lingting {args[0]}: stopped by SIGTERM; nothing after this point was done"
    ]


def test_an_engine_run_that_crashes_exits_3_with_its_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "contacts.jsonl"
    source.write_bytes(orjson.dumps(CALL) + b"\n")

    def crash(*args: Any, **kwargs: Any) -> None:
        raise MemoryError("no memory left")

    monkeypatch.setattr(engine_cli, "score_file", crash)
    assert main(["score", str(source), "--out", str(tmp_path / "out.jsonl")]) == EXIT_STOPPED
    assert capsys.readouterr().err.strip() == (
        "lingting score: stopped by an error: MemoryError: no memory left"
    )


def test_an_import_stopped_by_sigterm_exits_3_with_one_line(tmp_path: Path) -> None:
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'lingting.sqlite3'}"}
    migrate = [sys.executable, "-m", "lingting.cli", "migrate", "-v0"]
    subprocess.run(migrate, env={**os.environ, **database}, check=True, timeout=120)

    stopped = stopped_by_sigterm(tmp_path, "import", "FIFO", "--no-score", env=database)

    assert stopped.returncode == EXIT_STOPPED
    assert stopped.stderr.strip().splitlines()[-1] == (
        "CommandError: the import stopped by SIGTERM; nothing after this point was done."
        " Run it again to finish: what is stored stays, and nothing is stored twice."
    )


@pytest.mark.django_db
def test_an_import_whose_database_goes_away_exits_3_not_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    command = importlib.import_module("lingting.quality.management.commands.import")

    def database_gone(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("server closed the connection unexpectedly\nThis probably…")

    monkeypatch.setattr(command, "contacts_import_file", database_gone)
    source = tmp_path / "contacts.jsonl"
    source.write_bytes(orjson.dumps(CALL) + b"\n")

    with pytest.raises(CommandError) as raised:
        call_command("import", str(source), "--no-score")

    assert raised.value.returncode == EXIT_STOPPED
    assert str(raised.value) == (
        "the import stopped by an error: OperationalError: server closed the connection"
        " unexpectedly. Run it again to finish: what is stored stays, and nothing is"
        " stored twice."
    )
