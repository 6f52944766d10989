"""Calibration (校准, 002 §二.2): reviewers score the same contacts blind, then compare."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lingting.core.models import User
from lingting.interactions.models import Contact
from lingting.quality.models.scoring import ScorecardVersion


class CalibrationStatus(models.TextChoices):
    OPEN = "open", _("评分中")
    CLOSED = "closed", _("已结束")


class CalibrationSession(models.Model):
    title = models.CharField(_("主题"), max_length=200)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.ForeignKey(ScorecardVersion, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=16, choices=CalibrationStatus.choices, default=CalibrationStatus.OPEN
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("结论"), blank=True)
    contacts = models.ManyToManyField(Contact, related_name="calibrations")
    reviewers = models.ManyToManyField(User, related_name="calibrations")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class AgreedAnswer(models.Model):
    """The answer the session agreed on for one item of one contact (the consensus)."""

    session = models.ForeignKey(
        CalibrationSession, on_delete=models.CASCADE, related_name="agreed_answers"
    )
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="+")
    item = models.CharField(max_length=64)
    result = models.CharField(max_length=8)
    points_lost = models.FloatField(default=0)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "contact", "item"], name="agreed_answer_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact_id}:{self.item}={self.result}"
