"""Writing the report archive: generate a period's report, keep its XLSX and PDF, and tell
the QA supervisors when a scheduled one is ready, or whoever queued one when it is."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.core.models import Role, User
from lingting.core.services import audit_record, notification_send
from lingting.documents.exports.pdf import pdf_begun, render_pdf
from lingting.documents.exports.xlsx import render_xlsx
from lingting.documents.periods import Period, parse_period
from lingting.performance.tallies import tallies_drain
from lingting.reports.layouts.kinds import PERIOD_OF_KIND, document_for
from lingting.reports.models import GeneratedReport, QueuedReport, ReportKind
from lingting.reports.permissions import may_archive_reports


@dataclass(frozen=True, slots=True)
class Generated:
    report: GeneratedReport
    created: bool  # False: it existed and was left alone (a scheduled re-run)


def report_generate(*, kind: str, period: Period, actor: User | None) -> Generated:
    """The center-wide report `kind` of `period`, stored with its XLSX and PDF.

    Scheduled (`actor` None): idempotent, a period already generated is left alone, and the
    QA supervisors are notified of a new one. On demand (a QA supervisor): generated again,
    replacing the stored files; audited either way. Personal numbers are always masked in
    the archive, whoever reads it later.
    """
    if kind not in ReportKind.values:
        raise ValueError(f"no report of kind {kind!r}")
    if actor is not None and not may_archive_reports(actor):
        raise PermissionError("only a QA supervisor generates the center's reports")
    existing = GeneratedReport.objects.filter(kind=kind, period=period.key).first()
    if existing is not None and actor is None:
        return Generated(existing, created=False)
    begun = pdf_begun()  # its font loads while the figures are counted and read
    tallies_drain()  # every contact imported, scored and reviewed so far in the figures
    document = document_for(kind=kind, period=period, user=None)
    xlsx, pdf = render_xlsx(document), render_pdf(document, begun=begun)
    with transaction.atomic():
        report, created = GeneratedReport.objects.update_or_create(
            kind=kind,
            period=period.key,
            defaults={
                "period_start": period.start,
                "period_end": period.last_day,
                "generated_at": timezone.now(),
                "generated_by": actor,
                "xlsx": xlsx,
                "pdf": pdf,
            },
        )
        audit_record(
            actor=actor,
            action="report.generate",
            object_type="report",
            object_id=report.pk,
            after={"kind": kind, "period": period.key, "replaced": not created},
        )
        if actor is None:
            text = _("%(report)s %(period)s 已生成，可下载 XLSX 和 PDF") % {
                "report": report.get_kind_display(),
                "period": period.key,
            }
            for supervisor in User.objects.filter(role=Role.QA_SUPERVISOR, is_active=True):
                notification_send(user=supervisor, text=text, url=reverse("reports:archive"))
    return Generated(report, created=True)


def queued_report_generate(queued: QueuedReport) -> GeneratedReport | None:
    """Generate a queued report (in the task worker) and tell whoever asked for it, also when
    it could not be generated; the queue entry goes either way."""
    actor = queued.requested_by
    label = {"report": queued.get_kind_display(), "period": queued.period}
    try:
        period = parse_period(PERIOD_OF_KIND[queued.kind], queued.period)
        generated = report_generate(kind=queued.kind, period=period, actor=actor)
    except Exception:
        queued.delete()
        text = _("%(report)s %(period)s 生成失败，请重试或联系管理员") % label
        notification_send(user=actor, text=text, url=reverse("reports:archive"))
        raise
    queued.delete()
    anchor = f"{reverse('reports:archive')}#report-{generated.report.pk}"
    text = _("%(report)s %(period)s 已生成，可下载 XLSX 和 PDF") % label
    notification_send(user=actor, text=text, url=anchor)
    return generated.report
