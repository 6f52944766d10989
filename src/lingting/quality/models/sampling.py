"""Sampling plans (抽检方案), the draws they made and the reviews those draws assigned."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lingting.core.models import User
from lingting.interactions.models import Contact


class SamplingMethod(models.TextChoices):
    RANDOM = "random", _("随机抽样")
    STRATIFIED = "stratified", _("分层抽样")


class StratifyBy(models.TextChoices):
    QUEUE = "queue", _("按ACD组")
    TEAM = "team", _("按班组")
    AGENT = "agent", _("按坐席")


class Allocation(models.TextChoices):
    PROPORTIONAL = "proportional", _("按比例分配")
    EQUAL = "equal", _("等量分配")


class Schedule(models.TextChoices):
    DAILY = "daily", _("每日自动")
    ON_DEMAND = "on_demand", _("按需")


class SamplingPlan(models.Model):
    """How a QA supervisor chooses the contacts people review.

    `targets` narrows the candidates before the draw (every criterion given must hold);
    its keys are those of `quality.sampling.TargetCriteria`.
    """

    name = models.CharField(_("名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    method = models.CharField(_("抽样方法"), max_length=16, choices=SamplingMethod.choices)
    stratify_by = models.CharField(
        _("分层依据"), max_length=16, choices=StratifyBy.choices, blank=True
    )
    allocation = models.CharField(
        _("样本分配"), max_length=16, choices=Allocation.choices, blank=True
    )
    sample_size = models.PositiveIntegerField(_("每次抽取量"))
    min_per_agent_month = models.PositiveSmallIntegerField(_("每名坐席每月至少"), default=0)
    lookback_days = models.PositiveSmallIntegerField(_("抽取最近几天的联络"), default=1)
    targets = models.JSONField(_("定向条件"), default=dict, blank=True)
    schedule = models.CharField(
        _("执行方式"), max_length=16, choices=Schedule.choices, default=Schedule.ON_DEMAND
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reviewers = models.ManyToManyField(
        User, through="PlanReviewer", related_name="sampling_plans", verbose_name=_("质检员")
    )

    class Meta:
        ordering = ["-is_active", "name"]

    def __str__(self) -> str:
        return self.name


class PlanReviewer(models.Model):
    """A reviewer of a plan and their share of its draws (a weight: 2 gets twice 1's)."""

    plan = models.ForeignKey(SamplingPlan, on_delete=models.CASCADE, related_name="quotas")
    reviewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    quota = models.PositiveSmallIntegerField(_("配额"), default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "reviewer"], name="plan_reviewer_once")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} ×{self.quota}"


class SampleDraw(models.Model):
    """One run of a plan: reproducible from its stored seed and window."""

    plan = models.ForeignKey(SamplingPlan, on_delete=models.PROTECT, related_name="draws")
    drawn_at = models.DateTimeField(auto_now_add=True)
    drawn_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # None: the daily schedule
    day = models.DateField(_("抽检日"))
    seed = models.BigIntegerField()
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    candidates = models.PositiveIntegerField(_("候选数"))
    drawn = models.PositiveIntegerField(_("抽中数"))
    # For a draw that found nothing: which condition of the plan left no candidate.
    why_empty = models.CharField(_("未抽中原因"), max_length=500, blank=True)

    class Meta:
        ordering = ["-drawn_at"]
        get_latest_by = "drawn_at"

    def __str__(self) -> str:
        return f"{self.plan} {self.day}"


class AssignmentKind(models.TextChoices):
    SAMPLE = "sample", _("抽检")
    CALIBRATION = "calibration", _("校准")


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", _("待评")
    SUBMITTED = "submitted", _("已评")


class ReviewAssignment(models.Model):
    """A contact handed to one reviewer. Outside calibration, a contact is reviewed once."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="assignments")
    reviewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="assignments")
    draw = models.ForeignKey(
        SampleDraw, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )
    kind = models.CharField(max_length=16, choices=AssignmentKind.choices)
    # The calibration session a calibration assignment belongs to.
    session = models.ForeignKey(
        "quality.CalibrationSession",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    status = models.CharField(
        max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.PENDING
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact"],
                condition=models.Q(kind="sample"),
                name="sample_review_once_per_contact",
            ),
            models.UniqueConstraint(
                fields=["session", "contact", "reviewer"],
                condition=models.Q(kind="calibration"),
                name="calibration_once_per_reviewer",
            ),
        ]
        indexes = [models.Index(fields=["reviewer", "status"], name="assignment_queue_idx")]

    def __str__(self) -> str:
        return f"{self.contact} → {self.reviewer}"
