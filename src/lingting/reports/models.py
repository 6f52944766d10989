"""Generated reports kept for the archive: the XLSX and PDF a QA supervisor hands on."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lingting.core.models import User


class ReportKind(models.TextChoices):
    """The reports of seed 002 §七 (每日监听明细, 周报/月报, 案例分析报告, 阶段培训计划报告)."""

    DAILY = "daily", _("每日监控明细")
    WEEKLY = "weekly", _("质检周报")
    MONTHLY = "monthly", _("质检月报")
    CASES = "cases", _("案例分析报告")
    TRAINING = "training", _("阶段培训计划")


class GeneratedReport(models.Model):
    """One report of one period, center-wide, with personal numbers masked.

    At most one per kind and period: the scheduled run leaves an existing one alone and
    generating on demand replaces it (who and when are kept in the audit trail).
    """

    kind = models.CharField(_("报告"), max_length=16, choices=ReportKind.choices)
    period = models.CharField(_("周期"), max_length=16)  # 2026-10, 2026-W40, 2026-10-05
    period_start = models.DateField()
    period_end = models.DateField()  # the last day, inclusive
    generated_at = models.DateTimeField(_("生成时间"))
    generated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # None: the scheduled run
    xlsx = models.BinaryField()
    pdf = models.BinaryField()

    class Meta:
        ordering = ["-period_start", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "period"], name="report_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period}"


class QueuedReport(models.Model):
    """A report a QA supervisor asked for while more figure changes waited than a request
    counts (performance.tallies): the task worker counts them and generates it
    (reports.tasks), and the archive lists it until then."""

    kind = models.CharField(_("报告"), max_length=16, choices=ReportKind.choices)
    period = models.CharField(_("周期"), max_length=16)
    requested_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    class Meta:
        ordering = ["requested_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period}"
