"""Background sending of webhook deliveries, run by the database-backed task worker
(`lingting worker`): enqueued when a work-order step commits, and again when a failed
delivery's retry is due."""

from __future__ import annotations

from django.tasks import task

from lingting.webhooks.services import webhook_deliveries_send


@task()
def deliveries_send() -> int:
    """Send the deliveries that are due; how many were delivered."""
    return webhook_deliveries_send().delivered
