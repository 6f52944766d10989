"""Background sending of webhook deliveries, run by the database-backed task worker
(`lingting worker`): enqueued when a publishing change commits, and again when a failed
delivery's retry is due."""

from __future__ import annotations

from datetime import datetime

from django.tasks import task

from lingting.core.tasks import enqueue_at
from lingting.webhooks.sending import webhook_deliveries_send


@task()
def deliveries_send() -> int:
    """Send the deliveries that are due; how many were delivered. When a failed one may go
    again, the task asks for itself then."""
    run = webhook_deliveries_send()
    if run.next_due is not None:
        deliveries_send_soon(run_after=run.next_due)
    return run.delivered


def deliveries_send_soon(run_after: datetime | None = None) -> None:
    """Have the task worker send what is due (at `run_after`, where the backend can wait)."""
    enqueue_at(deliveries_send, run_after)
