"""Post-contact survey responses (客户满意度回访), each about one stored contact."""

from __future__ import annotations

from datetime import time

from django.db import models
from django.utils.translation import gettext_lazy as _

from lingting.core.models import User
from lingting.interactions.models import Contact


class SurveyChannel(models.TextChoices):
    IVR = "ivr", _("语音按键")
    SMS = "sms", _("短信")
    WEB = "web", _("网页")
    APP = "app", _("App")
    WECHAT = "wechat", _("微信")
    EMAIL = "email", _("邮件")
    OTHER = "other", _("其他")


class ReasonChoice(models.TextChoices):
    """Seed 004's kinds of dissatisfaction (lingting.engine.survey_reasons.Reason)."""

    PEOPLE = "people", _("人员")
    PROCESS = "process", _("流程")
    PRODUCT = "product", _("产品")
    NETWORK = "network", _("网络")


class SurveyQuestion(models.TextChoices):
    """What a survey asks: satisfaction on a 1–`scale` scale (CSAT, very-satisfied share), or
    how likely the customer is to recommend us, 0–10 (NPS: promoters 9–10, detractors 0–6)."""

    SATISFACTION = "csat", _("满意度（1 至满分）")
    RECOMMEND = "nps", _("推荐意愿 NPS（0–10）")


NPS_SCALE = 10


class SurveyResponse(models.Model):
    """One customer's answer (README, "Survey results"): a score from 1 to `scale`, or 0–10
    to the recommend question."""

    contact = models.ForeignKey(
        Contact, verbose_name=_("联络"), on_delete=models.CASCADE, related_name="survey_responses"
    )
    channel = models.CharField(_("渠道"), max_length=16, choices=SurveyChannel.choices)
    score = models.PositiveSmallIntegerField(_("评分"))
    scale = models.PositiveSmallIntegerField(_("满分"), default=5)
    question = models.CharField(
        _("问题"), max_length=8, choices=SurveyQuestion.choices, default=SurveyQuestion.SATISFACTION
    )
    answered_at = models.DateTimeField(_("评价时间"), db_index=True)
    comment = models.TextField(_("留言"), blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    # Why the customer was dissatisfied, set by a person; unset, the rules code the comment.
    reason = models.CharField(
        _("不满意原因"), max_length=16, choices=ReasonChoice.choices, blank=True
    )

    class Meta:
        ordering = ["-answered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "channel", "answered_at"], name="survey_response_once"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(question="csat", score__gte=1, score__lte=models.F("scale"))
                    | models.Q(question="nps", scale=NPS_SCALE, score__lte=NPS_SCALE)
                ),
                name="survey_score_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} {self.score}/{self.scale}"


# --- sending surveys (issue 17) ---------------------------------------------------------------


class LowScoreAction(models.TextChoices):
    NONE = "none", _("不处理")
    WORKORDER = "workorder", _("自动生成投诉工单")


class SurveyPlan(models.Model):
    """Which contacts a survey follows, how it is sent and what it asks (seed 000's SMS
    satisfaction after the call). Empty lists admit every queue, channel or disposition."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    active = models.BooleanField(_("启用"), default=True)
    channel = models.CharField(
        _("发送渠道"), max_length=16, choices=SurveyChannel.choices, default=SurveyChannel.SMS
    )
    question = models.TextField(_("邀请内容"))
    asks = models.CharField(
        _("问题"), max_length=8, choices=SurveyQuestion.choices, default=SurveyQuestion.SATISFACTION
    )
    scale = models.PositiveSmallIntegerField(_("满分"), default=5)
    queues = models.JSONField(_("队列"), default=list, blank=True)
    contact_channels = models.JSONField(_("联络渠道"), default=list, blank=True)
    dispositions = models.JSONField(_("联络结果"), default=list, blank=True)
    rest_days = models.PositiveSmallIntegerField(_("同一客户间隔天数"), default=30)
    after_complaints = models.BooleanField(_("投诉后也邀请"), default=False)
    quiet_start = models.TimeField(_("免打扰开始"), default=time(21))
    quiet_end = models.TimeField(_("免打扰结束"), default=time(8))
    delay_minutes = models.PositiveSmallIntegerField(_("联络结束后几分钟发送"), default=5)
    within_hours = models.PositiveSmallIntegerField(_("联络结束后多久内仍邀请（小时）"), default=48)
    answer_hours = models.PositiveSmallIntegerField(_("邀请有效（小时）"), default=72)
    low_score_action = models.CharField(
        _("低分后"), max_length=16, choices=LowScoreAction.choices, default=LowScoreAction.NONE
    )
    low_score_at_most = models.PositiveSmallIntegerField(_("低分（含）以下"), default=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class InvitationStatus(models.TextChoices):
    SKIPPED = "skipped", _("不邀请")  # the decision said no; `verdict` says why
    DUE = "due", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    ANSWERED = "answered", _("已回复")
    WITHDRAWN = "withdrawn", _("已撤回")  # the customer opted out before it went


class SurveyInvitation(models.Model):
    """The decision about one contact under one plan and, when it is to be sent, the outbox
    row the task worker delivers: written in the transaction that decided, so a crash
    between deciding and sending loses nothing and sends nothing twice."""

    plan = models.ForeignKey(SurveyPlan, on_delete=models.PROTECT, related_name="invitations")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    address = models.CharField(_("发送号码"), max_length=64, blank=True, db_index=True)
    verdict = models.CharField(_("决定"), max_length=16)
    status = models.CharField(_("状态"), max_length=16, choices=InvitationStatus.choices)
    decided_at = models.DateTimeField(_("决定时间"))
    send_at = models.DateTimeField(_("计划发送"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    expires_at = models.DateTimeField(_("失效时间"), null=True, blank=True)
    response = models.OneToOneField(
        SurveyResponse, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitation"
    )

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "contact"], name="survey_invitation_once"),
        ]
        indexes = [models.Index(fields=["status", "send_at"], name="survey_invitation_due")]

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.contact_id} {self.status}"


class SurveyOptOut(models.Model):
    """A number that asked for no more surveys (回复TD退订): honoured forever."""

    address = models.CharField(_("号码"), max_length=64, unique=True)
    opted_out_at = models.DateTimeField(_("退订时间"))
    source = models.CharField(_("来源"), max_length=32)  # sms reply, h5 page, by hand

    def __str__(self) -> str:
        return self.address


class ReplyKindChoice(models.TextChoices):
    SCORE = "score", _("评分")
    OPT_OUT = "opt_out", _("退订")
    UNREADABLE = "unreadable", _("无法识别")


class SurveyReply(models.Model):
    """One message a customer sent back through the gateway, kept as received: the score
    it gave, the opt-out, or words for a person to read."""

    message_id = models.CharField(max_length=128, unique=True)  # the gateway's: a resend is one
    address = models.CharField(_("号码"), max_length=64, db_index=True)
    text = models.CharField(_("内容"), max_length=1000)
    received_at = models.DateTimeField(_("收到时间"))
    kind = models.CharField(_("类型"), max_length=16, choices=ReplyKindChoice.choices)
    invitation = models.ForeignKey(
        SurveyInvitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.address}: {self.text[:20]}"


class SurveySettings(models.Model):
    """The center's survey settings (one row): the words that code dissatisfaction."""

    reason_rules = models.TextField(_("不满意原因规则"))
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return "survey settings"


# --- the service competitiveness index (seed 004 篇1) ------------------------------------


class CompetitivenessWave(models.Model):
    """One choice-intention survey wave (口碑测评): every operator's users asked which operator
    they would choose, with each operator's subscriber count for the wave's time
    (engine.competitiveness gives the index and its two parts)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    surveyed_on = models.DateField(_("测评日期"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["surveyed_on", "name"]

    def __str__(self) -> str:
        return self.name


class WaveOperator(models.Model):
    """One operator in a wave: its subscribers, its users asked and how many would choose us."""

    wave = models.ForeignKey(
        CompetitivenessWave, on_delete=models.CASCADE, related_name="operators"
    )
    operator = models.CharField(_("运营商"), max_length=64)
    ours = models.BooleanField(_("本网"), default=False)
    subscribers = models.PositiveBigIntegerField(_("用户数"))
    asked = models.PositiveIntegerField(_("受访用户数"))
    choosing_us = models.PositiveIntegerField(_("选择我方人数"))

    class Meta:
        ordering = ["-ours", "operator"]
        constraints = [
            models.UniqueConstraint(fields=["wave", "operator"], name="wave_operator_once"),
            models.UniqueConstraint(
                fields=["wave"], condition=models.Q(ours=True), name="wave_one_own_operator"
            ),
            models.CheckConstraint(
                condition=models.Q(choosing_us__lte=models.F("asked")),
                name="wave_choosing_at_most_asked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wave_id} {self.operator}"
