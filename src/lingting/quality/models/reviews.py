"""Reviewers' evaluations of contacts: the monitoring record (客户代表监督记录表)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lingting.core.models import User
from lingting.interactions.models import Contact
from lingting.quality.models.sampling import AssignmentKind, ReviewAssignment
from lingting.quality.models.scoring import ContactScore, ScorecardVersion


class Evaluation(models.Model):
    """One reviewer's record of one contact against one scorecard version.

    A calibration evaluation is blind practice: it never becomes the contact's score.
    """

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="evaluations")
    reviewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="evaluations")
    assignment = models.OneToOneField(
        ReviewAssignment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluation",
    )
    kind = models.CharField(max_length=16, choices=AssignmentKind.choices)
    version = models.ForeignKey(ScorecardVersion, on_delete=models.PROTECT, related_name="+")
    auto_score = models.ForeignKey(
        ContactScore, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    score = models.FloatField(_("得分"))
    passed = models.BooleanField(_("合格"))
    fatal = models.BooleanField(_("致命项"))
    severity_a = models.PositiveSmallIntegerField(default=0)
    severity_b = models.PositiveSmallIntegerField(default=0)
    severity_c = models.PositiveSmallIntegerField(default=0)
    summary = models.TextField(_("总体评价"), blank=True)
    coaching_proposed = models.BooleanField(_("建议辅导"), default=False)
    coaching_note = models.TextField(_("辅导建议"), blank=True)
    training_need = models.TextField(_("培训需求"), blank=True)
    submitted_at = models.DateTimeField(_("评分时间"), auto_now_add=True)
    # When the agent signed for (签收) the record: they have read it. None until then.
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            # A contact's one monitoring record: its reviewed score is the score of record.
            models.UniqueConstraint(
                fields=["contact"],
                condition=models.Q(kind="sample"),
                name="evaluation_one_sample_record",
            ),
        ]
        indexes = [
            models.Index(fields=["contact", "-submitted_at"], name="evaluation_contact_idx"),
            models.Index(fields=["reviewer", "-submitted_at"], name="evaluation_reviewer_idx"),
            # The newest records first (the records' list, the quality report's examples):
            # walked until a page is full, instead of joining every contact to sort them.
            models.Index(fields=["-submitted_at", "-id"], name="evaluation_newest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.contact} {self.score:g} ({self.reviewer})"


class ReviewedItem(models.Model):
    """One item of an evaluation; rows, so overturn rates and A/B/C counts aggregate fast."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    item = models.CharField(max_length=64)
    title = models.CharField(max_length=200)
    section = models.CharField(max_length=64, blank=True)
    severity = models.CharField(max_length=1, blank=True)
    fatal = models.BooleanField(default=False)
    points = models.FloatField()
    result = models.CharField(max_length=8)
    points_lost = models.FloatField(default=0)
    auto_result = models.CharField(max_length=8, blank=True)  # "" for a manual item
    overturned = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["evaluation", "position"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "item"], name="reviewed_item_once")
        ]
        indexes = [models.Index(fields=["item", "overturned"], name="reviewed_item_trust_idx")]

    def __str__(self) -> str:
        return f"{self.item}: {self.result}"


class FindingScope(models.TextChoices):
    COMMON = "common", _("共性问题")
    INDIVIDUAL = "individual", _("个性问题")


class Finding(models.Model):
    """A reviewer's comment on the words of a contact, classified for the reports
    (002 §四 step 1: "发现问题,并判断是否为共性问题")."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="findings")
    item = models.CharField(max_length=64, blank=True)
    turn = models.PositiveIntegerField(null=True, blank=True)
    start_char = models.PositiveIntegerField(null=True, blank=True)
    end_char = models.PositiveIntegerField(null=True, blank=True)
    quote = models.TextField(blank=True)
    note = models.TextField(_("问题描述"))
    scope = models.CharField(_("问题类型"), max_length=16, choices=FindingScope.choices)

    class Meta:
        ordering = ["evaluation", "turn", "start_char", "id"]

    def __str__(self) -> str:
        return self.note[:40]
