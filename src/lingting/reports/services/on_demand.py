"""A QA supervisor's 生成 (generate) in the report archive: the report now, or queued for
the task worker while the tallies have much to count (minutes after a big import) rather
than holding the request."""

from __future__ import annotations

from django.db import transaction

from lingting.core.models import User
from lingting.documents.periods import Period
from lingting.performance.catch_up import tallies_catch_up
from lingting.reports.models import QueuedReport
from lingting.reports.permissions import may_archive_reports
from lingting.reports.services.generation import Generated, report_generate
from lingting.reports.tasks import generate_queued_report


def report_generate_on_demand(
    *, kind: str, period: Period, actor: User
) -> Generated | QueuedReport:
    """A QA supervisor's 生成: the report now, when the tallies are current or nearly (a few
    thousand waiting changes are counted in the request, `tallies_catch_up`); else queued
    for the task worker, which counts them first (minutes after a big import) and tells
    `actor` when the report is in the archive."""
    if not may_archive_reports(actor):
        raise PermissionError("only a QA supervisor generates the center's reports")
    if not tallies_catch_up():
        return report_generate(kind=kind, period=period, actor=actor)
    with transaction.atomic():  # the task is committed, or lost, with its row
        queued = QueuedReport.objects.create(kind=kind, period=period.key, requested_by=actor)
        generate_queued_report.enqueue(queued.pk)
    return queued
