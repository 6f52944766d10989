"""`lingting workorder_warn`: send the deadline warnings (时限预警) open work orders reached,
then climb the escalation ladder (投诉升级) with the orders their triggers put higher, and
forget the API's idempotency keys older than 24 hours.

The scheduler runs it hourly (LINGTING_SCHEDULE, "hourly :00": the schedule's finest step),
so a warning arrives within the hour after its point; it can also run from cron more often
(`*/10 * * * * lingting workorder_warn`). Each warning is sent once however often it runs,
and an order climbs to a rung once.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand

from lingting.workorders.services.deadlines import workorder_warnings_send
from lingting.workorders.services.escalation import workorder_escalations_send
from lingting.workorders.services.idempotency import idempotency_keys_forget


class Command(BaseCommand):
    help = (
        "Warn owners and departments of work orders past a warning point or overdue, and"
        " escalate the orders whose triggers reach a higher rung of the escalation ladder;"
        " forget the API's idempotency keys older than a day."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = workorder_warnings_send()
        points = Counter(warning.point for warning in run.sent)
        summary = ", ".join(f"{count} at {point}%" for point, count in sorted(points.items()))
        self.stdout.write(f"sent {len(run.sent)} warnings" + (f" ({summary})" if summary else ""))
        if run.superseded:
            self.stdout.write(f"{run.superseded} earlier points passed unsent (recorded only)")
        if run.refreshed:
            self.stdout.write(f"{run.refreshed} stored deadlines brought up to date")
        for number, reason in run.failed:
            self.stderr.write(f"{number}: cannot compute its deadline: {reason}")
        climbs = workorder_escalations_send()
        self.stdout.write(f"escalated {len(climbs.escalated)} orders")
        for number, level in climbs.escalated:
            self.stdout.write(f"{number}: escalated to level {level}")
        for number, reason in climbs.failed:
            self.stderr.write(f"{number}: cannot escalate: {reason}")
        if forgotten := idempotency_keys_forget():
            self.stdout.write(f"forgot {forgotten} idempotency keys older than 24 hours")
