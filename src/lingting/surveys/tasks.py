"""Background sending of survey invitations, run by the task worker (`lingting worker`):
enqueued when a decision commits invitations, and again when the next one falls due (a
delayed send, the end of the quiet hours, a retry)."""

from __future__ import annotations

from datetime import datetime

from django.tasks import task

from lingting.core.tasks import enqueue_at
from lingting.surveys.services.sending import survey_invitations_send


@task()
def invitations_send() -> int:
    """Send the invitations that are due; how many went. Asks for itself again when the
    next one is due."""
    run = survey_invitations_send()
    if run.next_due is not None:
        invitations_send_soon(run_after=run.next_due)
    return run.sent


def invitations_send_soon(run_after: datetime | None = None) -> None:
    enqueue_at(invitations_send, run_after)
