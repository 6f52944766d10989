"""Background work on the report archive, run by the database-backed task worker."""

from __future__ import annotations

from django.tasks import task

from lingting.reports.models import QueuedReport
from lingting.reports.services.generation import queued_report_generate


@task()
def generate_queued_report(queued_id: int) -> int | None:
    """Generate a report a QA supervisor queued (`report_generate_on_demand`); returns the
    archived report's id (None: the queue entry is gone, generated already)."""
    queued = QueuedReport.objects.select_related("requested_by").filter(pk=queued_id).first()
    if queued is None:
        return None
    report = queued_report_generate(queued)
    return None if report is None else report.pk
