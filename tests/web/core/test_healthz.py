"""/healthz: is the database answering, and are the task worker and the scheduler alive?"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone
from django.utils.dateparse import parse_datetime

pytestmark = pytest.mark.django_db


def health(client: Client) -> tuple[int, dict[str, Any]]:
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]  # a monitor never reads a cached answer
    return response.status_code, response.json()


def test_open_without_signing_in_and_says_only_what_it_must(client: Client) -> None:
    status, body = health(client)

    assert status == 200
    assert body == {
        "database": "ok",
        "worker": {"last_beat": None, "fresh": False},
        "scheduler": {"last_beat": None, "fresh": False},
    }


# The worker commits and closes its connection as in production: no test transaction.
@pytest.mark.django_db(transaction=True)
def test_the_worker_and_the_scheduler_beat_while_they_run(client: Client, settings: Any) -> None:
    settings.LINGTING_SCHEDULE = []
    before = timezone.now()

    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
    call_command("scheduler", "--once")

    status, body = health(client)
    assert status == 200
    for process in ("worker", "scheduler"):
        assert body[process]["fresh"] is True
        beat = parse_datetime(body[process]["last_beat"])
        assert beat is not None
        assert beat >= before - timedelta(seconds=1)


# The worker commits and closes its connection as in production: no test transaction.
@pytest.mark.django_db(transaction=True)
def test_a_heartbeat_that_stopped_is_not_fresh(client: Client, settings: Any) -> None:
    settings.LINGTING_SCHEDULE = []
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
    call_command("scheduler", "--once")

    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        status, body = health(client)

    assert status == 200  # the site answers; the monitor reads which process is down
    assert body["worker"]["fresh"] is False
    assert body["scheduler"]["fresh"] is False
    assert body["worker"]["last_beat"] is not None


# The worker commits and closes its connection as in production: no test transaction.
@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_queued_tasks(settings: Any) -> None:
    """The heartbeat wrapper is still a worker: what was queued gets done."""
    from django_tasks_db.models import DBTaskResult

    from lingting.quality.tasks import score_contacts

    score_contacts.enqueue([])
    assert DBTaskResult.objects.ready().count() == 1

    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)

    assert DBTaskResult.objects.ready().count() == 0


def test_503_when_the_database_does_not_answer(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)

    status, body = health(client)

    assert status == 503
    assert body == {"database": "unavailable"}
