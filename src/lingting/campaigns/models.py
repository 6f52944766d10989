"""Callback campaigns (回访/外呼, issue 17): customers and their data, segments, campaigns,
each campaign's customers with their state, every call, and the do-not-call list."""

from __future__ import annotations

from datetime import time

from django.db import models
from django.utils.translation import gettext_lazy as _

from lingting.core.models import Agent, Team, User
from lingting.engine.callbacks import Disposition, TargetState
from lingting.interactions.models import Contact, Customer, Queue
from lingting.knowledge.models import Article


class CustomerProfile(models.Model):
    """What the billing or CRM export says about a customer (engine.customer_records); the
    customer row is the one contacts and work orders name, so their history is at hand."""

    customer = models.OneToOneField(
        Customer, on_delete=models.CASCADE, primary_key=True, related_name="profile"
    )
    name = models.CharField(_("姓名"), max_length=128, blank=True)
    phone = models.CharField(_("电话"), max_length=20, blank=True, db_index=True)
    region = models.CharField(_("区域"), max_length=128, blank=True)
    usage_last_month = models.DecimalField(
        _("上月使用量"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    products = models.JSONField(_("产品"), default=list, blank=True)
    # "|宽带|4G|": the products as text a segment's `product has` finds on any database
    product_keys = models.CharField(max_length=1000, blank=True, default="")
    installed_on = models.DateField(_("装机日期"), null=True, blank=True)
    contract_ends_on = models.DateField(_("合约到期"), null=True, blank=True)
    last_complaint_on = models.DateField(_("最近投诉"), null=True, blank=True)
    last_fault_on = models.DateField(_("最近故障"), null=True, blank=True)
    attributes = models.JSONField(_("其他属性"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name or str(self.customer_id)


class DoNotCallSource(models.TextChoices):
    CALL = "call", _("通话中客户要求")
    IMPORT = "import", _("名单导入")
    MANUAL = "manual", _("手工登记")


class DoNotCall(models.Model):
    """A number never to be called again by any campaign. Sticky: no later outcome of a
    call removes it, and it is checked when an agent is about to dial."""

    number = models.CharField(_("号码"), max_length=20, unique=True)
    since = models.DateTimeField(_("登记时间"))
    source = models.CharField(_("来源"), max_length=16, choices=DoNotCallSource.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-since"]

    def __str__(self) -> str:
        return self.number


class Segment(models.Model):
    """Customers by rules (engine.segments), counted live as the rules are edited."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    rules = models.TextField(_("规则"))
    description = models.CharField(_("说明"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    RUNNING = "running", _("进行中")
    PAUSED = "paused", _("已暂停")
    ENDED = "ended", _("已结束")


class Campaign(models.Model):
    """A callback campaign: a segment's customers called by a team between two days, in
    set hours, a quota of customers per agent a day (seed 003: five), with a script
    from the knowledge vault; its calls are contacts of its queue, so auto-QA scores them
    with the queue's scorecard."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    purpose = models.CharField(_("目的"), max_length=300, blank=True)
    segment = models.ForeignKey(
        Segment, verbose_name=_("客户分群"), on_delete=models.PROTECT, related_name="campaigns"
    )
    team = models.ForeignKey(
        Team, verbose_name=_("外呼班组"), on_delete=models.PROTECT, related_name="campaigns"
    )
    queue = models.ForeignKey(
        Queue, verbose_name=_("外呼队列"), on_delete=models.PROTECT, related_name="campaigns"
    )
    script = models.ForeignKey(
        Article,
        verbose_name=_("话术"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaigns",
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    call_start = models.TimeField(_("每日开始拨打"), default=time(9))
    call_end = models.TimeField(_("每日停止拨打"), default=time(20))
    call_days = models.JSONField(_("拨打日（0=周一）"), default=list)
    daily_quota = models.PositiveSmallIntegerField(_("每人每日回访量"), default=5)
    max_attempts = models.PositiveSmallIntegerField(_("最多拨打次数"), default=3)
    retry_minutes = models.PositiveIntegerField(_("未接通重拨间隔（分钟）"), default=120)
    rest_days = models.PositiveSmallIntegerField(_("同一号码跨活动间隔天数"), default=7)
    status = models.CharField(
        _("状态"), max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    created_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__lte=models.F("ends_on")),
                name="campaign_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=models.Q(max_attempts__gte=1), name="campaign_at_least_one_attempt"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DispositionChoice(models.TextChoices):
    """engine.callbacks.Disposition with its words."""

    REACHED = Disposition.REACHED.value, _("已接通")
    NO_ANSWER = Disposition.NO_ANSWER.value, _("无人接听")
    BUSY = Disposition.BUSY.value, _("占线")
    WRONG_NUMBER = Disposition.WRONG_NUMBER.value, _("号码错误")
    REFUSED = Disposition.REFUSED.value, _("拒绝沟通")
    CALL_BACK = Disposition.CALL_BACK.value, _("约定回拨")
    DO_NOT_CALL = Disposition.DO_NOT_CALL.value, _("要求不再来电")


class TargetStateChoice(models.TextChoices):
    """engine.callbacks.TargetState with its words."""

    OPEN = TargetState.OPEN.value, _("待回访")
    DONE = TargetState.DONE.value, _("已回访")
    CLOSED = TargetState.CLOSED.value, _("已结束")
    SUPPRESSED = TargetState.SUPPRESSED.value, _("免打扰")


class NonUseReason(models.TextChoices):
    """Why a zero-usage customer does not use the service (seed 003 asks every one)."""

    NOT_NEEDED = "not_needed", _("暂时不需要")
    PRICE = "price", _("资费原因")
    QUALITY = "quality", _("网络或质量问题")
    DEVICE = "device", _("终端或设置问题")
    MOVED = "moved", _("搬迁或不在本地")
    OTHER_PROVIDER = "other_provider", _("使用其他运营商")
    UNAWARE = "unaware", _("不了解如何使用")
    OTHER = "other", _("其他")


class CampaignTarget(models.Model):
    """One customer of a campaign: where they stand (engine.callbacks.TargetState), whose
    list they are on today, and what the calls found out."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    state = models.CharField(
        _("状态"),
        max_length=16,
        choices=TargetStateChoice.choices,
        default=TargetStateChoice.OPEN,
    )
    attempts = models.PositiveSmallIntegerField(_("已拨打次数"), default=0)
    next_try_at = models.DateTimeField(_("下次拨打"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="callbacks"
    )
    assigned_on = models.DateField(_("分配日期"), null=True, blank=True)
    last_disposition = models.CharField(
        _("最近结果"), max_length=16, choices=DispositionChoice.choices, blank=True
    )
    last_called_at = models.DateTimeField(_("最近拨打"), null=True, blank=True)
    non_use_reason = models.CharField(
        _("未使用原因"), max_length=16, choices=NonUseReason.choices, blank=True
    )
    offer_accepted = models.BooleanField(_("接受推荐"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("回访满意度（1–5）"), null=True, blank=True)
    revenue = models.DecimalField(
        _("带来收入（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    added_on = models.DateField(_("加入日期"))

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "customer"], name="campaign_target_once"),
            models.CheckConstraint(
                condition=models.Q(satisfaction__isnull=True)
                | models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="campaign_satisfaction_1_to_5",
            ),
        ]
        indexes = [
            models.Index(fields=["assigned_to", "assigned_on"], name="campaign_target_list_idx"),
            models.Index(fields=["campaign", "state"], name="campaign_target_state_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.customer_id} {self.state}"


class CallAttempt(models.Model):
    """One call to a campaign's customer. The call itself is an outbound contact of the
    campaign's queue (logged here, or imported from the switch and linked), scored by
    auto-QA and counted in the agent's work."""

    target = models.ForeignKey(CampaignTarget, on_delete=models.CASCADE, related_name="calls")
    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="callback_calls")
    number = models.CharField(_("号码"), max_length=20, db_index=True)
    called_at = models.DateTimeField(_("拨打时间"), db_index=True)
    disposition = models.CharField(_("结果"), max_length=16, choices=DispositionChoice.choices)
    call_back_at = models.DateTimeField(_("约定回拨"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=500, blank=True)
    contact = models.OneToOneField(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="callback_call"
    )
    # The dialer's own id for the call: a request sent twice records one call.
    dialer_key = models.CharField(max_length=128, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["-called_at", "-id"]

    def __str__(self) -> str:
        return f"{self.target_id} {self.disposition}"


# --- the fixed-customer panel (固定客户感知跟踪, seed 004 篇1) ----------------------------------


def default_panel_aspects() -> list[str]:
    """Seed 004's four: network quality, counter service, value-added services, billing
    reminders."""
    return ["网络质量", "窗口服务", "增值业务", "消费提醒"]


class Panel(models.Model):
    """The same customers called back by managers each quarter to follow how they perceive
    the service (seed 004: key 3G and broadband customers, three waves a year)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    segments = models.ManyToManyField(Segment, verbose_name=_("招募客户群"), related_name="panels")
    size = models.PositiveIntegerField(_("样本量"))
    # What each answer rates from 1 to 5 beside the overall satisfaction.
    aspects = models.JSONField(_("测评方面"), default=default_panel_aspects, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PanelLeaveReason(models.TextChoices):
    CANCELLED = "cancelled", _("销户/离网")
    DECLINED = "declined", _("不愿再参加")
    UNREACHABLE = "unreachable", _("连续联系不上")
    DO_NOT_CALL = "do_not_call", _("免打扰")
    OTHER = "other", _("其他")


class PanelMember(models.Model):
    """A customer in a panel from the day they joined until they left; one who leaves is
    replaced by another customer of the panel's segments (`replaces` links the two)."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    joined_on = models.DateField(_("入组日期"))
    left_on = models.DateField(_("退出日期"), null=True, blank=True)
    left_reason = models.CharField(
        _("退出原因"), max_length=16, choices=PanelLeaveReason.choices, blank=True
    )
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by"
    )

    class Meta:
        ordering = ["panel", "joined_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "customer"], name="panel_member_once"),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True, left_reason="")
                | models.Q(left_on__isnull=False) & ~models.Q(left_reason=""),
                name="panel_member_left_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.panel_id} {self.customer_id}"


class PanelWave(models.Model):
    """One round of calls to the panel's members (a quarter's callback)."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="waves")
    name = models.CharField(_("名称"), max_length=100)
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("结束日期"))

    class Meta:
        ordering = ["panel", "opens_on"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "name"], name="panel_wave_name_once"),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="panel_wave_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PanelCallOutcome(models.TextChoices):
    ANSWERED = "answered", _("已回答")
    UNREACHABLE = "unreachable", _("未接通")
    DECLINED = "declined", _("拒绝回答")


class PerceptionChoice(models.TextChoices):
    """The member's own sense of change since the last call (seed 004: 24.2% felt better)."""

    IMPROVED = "improved", _("有提升")
    SAME = "same", _("没变化")
    WORSE = "worse", _("变差了")


class PanelAnswer(models.Model):
    """A member's call in a wave: reached or not, and what they said."""

    wave = models.ForeignKey(PanelWave, on_delete=models.CASCADE, related_name="answers")
    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="answers")
    outcome = models.CharField(_("结果"), max_length=16, choices=PanelCallOutcome.choices)
    satisfaction = models.PositiveSmallIntegerField(_("总体满意度"), null=True, blank=True)
    aspects = models.JSONField(_("各方面评分"), default=dict, blank=True)
    perception = models.CharField(
        _("服务感知变化"), max_length=16, choices=PerceptionChoice.choices, blank=True
    )
    comment = models.TextField(_("客户意见"), blank=True)
    asked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("回访时间"))

    class Meta:
        ordering = ["wave", "member"]
        constraints = [
            models.UniqueConstraint(fields=["wave", "member"], name="panel_answer_once"),
            models.CheckConstraint(
                condition=models.Q(satisfaction__isnull=True)
                | models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="panel_satisfaction_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wave_id} {self.member_id} {self.outcome}"
