"""Enqueueing a task for the task worker (`lingting worker`) now or at a moment."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.tasks import Task


def enqueue_at(task: Task[[], Any], run_after: datetime | None = None) -> None:
    """Have the task worker run `task` now, or at `run_after` where the backend can wait;
    where it cannot, nothing is enqueued: the scheduled command that does the same catches
    up."""
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return
        task = task.using(run_after=run_after)
    task.enqueue()
