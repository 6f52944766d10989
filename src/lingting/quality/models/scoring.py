"""Scorecards (versioned) and the automatic scores they gave each contact."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lingting.core.models import User
from lingting.interactions.models import Contact, Queue


class Scorecard(models.Model):
    name = models.CharField(_("代码"), max_length=64, unique=True)
    title = models.CharField(_("名称"), max_length=200)

    def __str__(self) -> str:
        return self.title


class VersionStatus(models.TextChoices):
    """A version's way to being used: a draft is edited, submitted for approval, then
    published (approved, and activated) or rejected. Loaded files are published at once."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审批")
    REJECTED = "rejected", _("已驳回")
    PUBLISHED = "published", _("已发布")


class ScorecardVersion(models.Model):
    """One version of a scorecard's YAML; at most one per scorecard is active. A published
    version never changes; a draft's text changes as it is edited (its fingerprint and
    label with it) until it is submitted."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    label = models.CharField(_("版本"), max_length=128)
    fingerprint = models.CharField(max_length=64)
    source_text = models.TextField()
    is_active = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=VersionStatus.choices,
        default=VersionStatus.PUBLISHED,
        db_default=VersionStatus.PUBLISHED,
    )
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="drafts"
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(_("驳回原因"), blank=True)

    class Meta:
        ordering = ["scorecard", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "number"], name="version_unique_number"),
            # Drafts may repeat a published text (a fresh copy); published versions never do.
            models.UniqueConstraint(
                fields=["scorecard", "fingerprint"],
                condition=models.Q(status="published"),
                name="version_unique_fingerprint",
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


class QueueScorecard(models.Model):
    """The scorecard that scores a queue's contacts (its active version gives them their
    current score); queues without one are scored by the standard scorecard."""

    queue = models.OneToOneField(
        Queue, on_delete=models.CASCADE, related_name="scorecard_choice", verbose_name=_("队列")
    )
    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.PROTECT, related_name="queues", verbose_name=_("评分表")
    )

    def __str__(self) -> str:
        return f"{self.queue} → {self.scorecard}"
