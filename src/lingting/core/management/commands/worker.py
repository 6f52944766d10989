"""`lingting worker`: the background task worker (django-tasks-db's `db_worker`, same
options) that also writes its heartbeat for /healthz.

The heartbeat comes from a thread of its own every HEARTBEAT_SECONDS, so a long task (a
re-score of every contact) does not make a working worker look dead.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import DatabaseError, connection
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from lingting.core.services import heartbeat_beat

HEARTBEAT_SECONDS = 30.0


class Command(DatabaseWorkerCommand):
    help = "Run the background task worker (scoring, webhooks) and report its heartbeat."

    def handle(self, *args: Any, **options: Any) -> None:
        beat()  # at once: a worker that cannot reach its database stops here, visibly
        stop = threading.Event()
        threading.Thread(target=beat_until, args=(stop,), name="heartbeat", daemon=True).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()


def beat() -> None:
    heartbeat_beat(process="worker", every_seconds=HEARTBEAT_SECONDS)


def beat_until(stop: threading.Event) -> None:
    while not stop.wait(HEARTBEAT_SECONDS):
        try:
            beat()
        except DatabaseError:
            pass  # the database being away shows on /healthz already; beat again next time
        finally:
            connection.close()  # this thread's own connection
