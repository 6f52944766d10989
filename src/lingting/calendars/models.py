"""The business calendar: the dates that break the Monday–Friday rule, and the years loaded.

One `CalendarDay` row per exception — a weekday off (法定节假日) or a weekend day worked
(调休上班) — filled from the ``chinese_calendar`` package by ``lingting calendar_load`` and
corrected by an administrator. An administrator's row always wins over the package's: a load
never overwrites it. A date an administrator set back to the usual rule keeps a row of kind
``normal``, so that the next load does not bring the package's entry back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("放假")
    WORKDAY = "workday", _("调休上班")
    NORMAL = "normal", _("照常")  # an administrator undid the package's exception


class Source(models.TextChoices):
    PACKAGE = "package", _("官方日历")
    ADMIN = "admin", _("管理员更正")


class CalendarDay(models.Model):
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("节日"), max_length=64, blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    note = models.TextField(_("说明"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("修改时间"), default=timezone.now)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.kind}"


class CalendarYear(models.Model):
    """A year whose official schedule is in the table: loaded from the package, or entered
    by hand and marked complete by an administrator (before the package has it)."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    package_version = models.CharField(max_length=32, blank=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)
