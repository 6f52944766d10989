"""The "3+1" improvement plans of seed 000 §3(2), their coaching sessions, and trainings.

Seed 000 (000_5eb18b97b184cd35.txt): for agents whose service was low three months running,
3 = 专项提升 (targeted training) + 三方辅导 (室经理面谈辅导, 训后班组长实时跟踪辅导, 培训管理员
跟踪辅导) + 后续跟踪 (an evaluation in each third of the month, 上中下旬); 1 = the agent's own
improvement plan, phase by phase (上中下旬), with measures and phase goals, "在班长的辅导下执行".
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from lingting.core.models import Agent, User
from lingting.interactions.models import Contact


class PlanStatus(models.TextChoices):
    OPEN = "open", _("已开启")
    IN_PROGRESS = "in_progress", _("进行中")
    CLOSED = "closed", _("已结束")


class PlanOutcome(models.TextChoices):
    IMPROVED = "improved", _("已达标")
    PARTLY = "partly", _("有改善未达标")
    NOT_IMPROVED = "not_improved", _("未改善")
    STOPPED = "stopped", _("中止")


class Phase(models.TextChoices):
    """The thirds of a month in which seed 000 follows up (每月上中下旬分为三个阶段)."""

    EARLY = "early", _("上旬")
    MIDDLE = "middle", _("中旬")
    LATE = "late", _("下旬")

    @classmethod
    def of(cls, day: date) -> Phase:
        return cls.EARLY if day.day <= 10 else cls.MIDDLE if day.day <= 20 else cls.LATE


class ImprovementPlan(models.Model):
    """One agent's "3+1" plan on the figure they missed three months running."""

    agent = models.ForeignKey(
        Agent, verbose_name=_("坐席"), on_delete=models.PROTECT, related_name="improvement_plans"
    )
    figure = models.CharField(_("指标"), max_length=32)
    detected_months = models.JSONField(_("未达标月份"), default=list)  # ["2026-07", …]
    baseline = models.JSONField(_("基线"), default=list)  # the figure of each detected month
    target_green = models.FloatField(_("达标值"))
    higher_is_better = models.BooleanField(default=True)
    focus = models.CharField(_("专项提升重点"), max_length=200, blank=True)
    diagnosis = models.JSONField(_("诊断"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.OPEN
    )
    outcome = models.CharField(_("结果"), max_length=16, choices=PlanOutcome.choices, blank=True)
    outcome_note = models.TextField(_("总结"), blank=True)
    opened_on = models.DateField(_("开始日期"))
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agent", "figure"],
                condition=~models.Q(status="closed"),
                name="one_running_plan_per_agent_figure",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent} {self.figure} ({self.opened_on})"


class SessionKind(models.TextChoices):
    """Who coached, in seed 000's three-party coaching, plus the follow-up evaluation."""

    ROOM_MANAGER = "room_manager", _("室经理面谈辅导")
    TEAM_LEADER = "team_leader", _("班组长跟踪辅导")
    TRAINING_ADMIN = "training_admin", _("培训管理员跟踪辅导")
    EVALUATION = "evaluation", _("阶段效果评估")


class CoachingSession(models.Model):
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("辅导类型"), max_length=16, choices=SessionKind.choices)
    held_on = models.DateField(_("辅导日期"))
    coach = models.ForeignKey(
        User, verbose_name=_("辅导人"), on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(_("辅导记录"))
    contacts = models.ManyToManyField(
        Contact, verbose_name=_("相关录音"), blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.held_on}"

    @property
    def phase(self) -> Phase:
        return Phase.of(self.held_on)


class PhaseGoal(models.Model):
    """The "1": the agent's own measures and goal for one third of one month."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="goals")
    month = models.DateField(_("月份"))  # the first day of the month
    phase = models.CharField(_("阶段"), max_length=8, choices=Phase.choices)
    measures = models.TextField(_("提升措施"))
    goal = models.CharField(_("阶段目标"), max_length=300)
    self_review = models.TextField(_("自我总结"), blank=True)
    leader_note = models.TextField(_("班组长意见"), blank=True)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["month", "phase"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "month", "phase"], name="one_goal_per_phase")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.phase}: {self.goal}"


class Training(models.Model):
    """A training scheduled by a trainer on an issue reviews keep finding (002 §四 steps 6–8)."""

    topic = models.CharField(_("培训主题"), max_length=200)
    item = models.CharField(_("针对评分项"), max_length=64)
    item_title = models.CharField(max_length=200, blank=True)
    held_on = models.DateField(_("培训日期"))
    trainer = models.ForeignKey(
        User, verbose_name=_("培训师"), on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(_("培训内容"), blank=True)
    attendees = models.ManyToManyField(Agent, verbose_name=_("参训坐席"), related_name="trainings")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.topic} ({self.held_on})"
