"""Disputes (申诉): an agent contests one item of a record; a QA supervisor decides."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lingting.core.models import User
from lingting.quality.models.reviews import Evaluation


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    UPHELD = "upheld", _("维持原判")
    OVERTURNED = "overturned", _("申诉成立")


class Dispute(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="disputes")
    item = models.CharField(_("评分项"), max_length=64)
    raised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="disputes_raised")
    reason = models.TextField(_("申诉理由"))
    raised_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=16, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="disputes_decided"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("处理意见"), blank=True)
    score_before = models.FloatField(null=True, blank=True)
    score_after = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            # One dispute per item of a record: a decided item is not argued again.
            models.UniqueConstraint(fields=["evaluation", "item"], name="dispute_once_per_item"),
        ]
        indexes = [models.Index(fields=["status", "raised_at"], name="dispute_status_idx")]

    def __str__(self) -> str:
        return f"{self.evaluation_id}:{self.item} ({self.status})"
