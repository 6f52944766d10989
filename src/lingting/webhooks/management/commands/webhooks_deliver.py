"""`lingting webhooks_deliver`: send the webhook deliveries that are due — those whose
retry time has come, and any first attempt the task worker did not make (it was not
running, or the process stopped after the commit).

First attempts go out right after the work-order step commits, through the task worker;
retries too when the worker runs (it is told when each is due). The scheduler runs this
command hourly (LINGTING_SCHEDULE: the schedule's finest step) as the safety net; cron may
run it more often (`* * * * * lingting webhooks_deliver`). Running it twice at once sends
nothing twice: each delivery is claimed before it is sent.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lingting.webhooks.sending import webhook_deliveries_send
from lingting.webhooks.tasks import deliveries_send_soon


class Command(BaseCommand):
    help = "Send the webhook deliveries that are due, retrying failed ones with backoff."

    def handle(self, *args: Any, **options: Any) -> None:
        run = webhook_deliveries_send()
        self.stdout.write(
            f"delivered {run.delivered}, failed attempts {run.failed_attempts}"
            f" (given up {run.given_up}), waiting {run.waiting}"
        )
        for name in run.disabled:
            self.stderr.write(f"webhook {name!r} disabled after failing too often")
        if run.next_due is not None:
            deliveries_send_soon(run_after=run.next_due)  # the worker tries it then
            self.stdout.write(f"next retry due at {run.next_due.isoformat()}")
