"""Scorecards (versioned) and the automatic scores they gave each contact."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lingting.interactions.models import Contact


class Scorecard(models.Model):
    name = models.CharField(_("代码"), max_length=64, unique=True)
    title = models.CharField(_("名称"), max_length=200)

    def __str__(self) -> str:
        return self.title


class ScorecardVersion(models.Model):
    """One immutable version of a scorecard's YAML; at most one per scorecard is active."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    label = models.CharField(_("版本"), max_length=128)
    fingerprint = models.CharField(max_length=64)
    source_text = models.TextField()
    is_active = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["scorecard", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "number"], name="version_unique_number"),
            models.UniqueConstraint(
                fields=["scorecard", "fingerprint"], name="version_unique_fingerprint"
            ),
            models.UniqueConstraint(
                fields=["scorecard"],
                condition=models.Q(is_active=True),
                name="version_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scorecard.name} v{self.number} ({self.label})"


class ContactScore(models.Model):
    """The automatic result of one scorecard version on one contact (FORMATS.md result)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="scores")
    version = models.ForeignKey(ScorecardVersion, on_delete=models.PROTECT, related_name="scores")
    score = models.FloatField(_("得分"))
    passed = models.BooleanField(_("合格"))
    fatal = models.BooleanField(_("致命项"))
    severity_a = models.PositiveSmallIntegerField(default=0)
    severity_b = models.PositiveSmallIntegerField(default=0)
    severity_c = models.PositiveSmallIntegerField(default=0)
    items = models.JSONField()
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contact", "version"], name="score_unique_version"),
        ]
        indexes = [
            models.Index(fields=["score"], name="score_value_idx"),
            models.Index(fields=["fatal"], name="score_fatal_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.score:g} ({self.version.label})"


class ItemFailure(models.Model):
    """A failed item of a score, kept as a row so lists can filter on it quickly."""

    score = models.ForeignKey(ContactScore, on_delete=models.CASCADE, related_name="failures")
    item = models.CharField(max_length=64)
    severity = models.CharField(max_length=1, blank=True)
    points_lost = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["item", "score"], name="failure_item_idx")]

    def __str__(self) -> str:
        return f"{self.item} −{self.points_lost:g}"
