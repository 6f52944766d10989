"""The case library (案例库, seed 003): excellent and poor contacts kept for training."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lingting.core.models import User
from lingting.interactions.models import Contact


class CaseKind(models.TextChoices):
    EXCELLENT = "excellent", _("优秀案例")
    POOR = "poor", _("问题案例")


class Case(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="cases")
    kind = models.CharField(_("类型"), max_length=16, choices=CaseKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    note = models.TextField(_("点评"), blank=True)
    tags = models.JSONField(_("标签"), default=list, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Shared with agents for training: they read it with personal numbers masked.
    shared = models.BooleanField(_("分享给坐席学习"), default=False)
    shared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "-created_at"], name="case_kind_idx")]

    def __str__(self) -> str:
        return self.title
