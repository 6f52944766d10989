"""Work orders (工单): departments that handle them, configurable types, the orders and
their append-only trail.

The loop and its rules are `lingting.engine.workorders`; these tables keep what it decides.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lingting.core.models import User
from lingting.engine.workorders import OPEN_STAGES, Priority, Stage
from lingting.interactions.models import Contact, Customer


class PriorityChoice(models.TextChoices):
    NORMAL = Priority.NORMAL.value, _("一般")
    HIGH = Priority.HIGH.value, _("紧急")
    URGENT = Priority.URGENT.value, _("特急")


class StageChoice(models.TextChoices):
    ACCEPTED = Stage.ACCEPTED.value, _("已受理")
    DISPATCHED = Stage.DISPATCHED.value, _("已派单")
    REPLIED = Stage.REPLIED.value, _("已回单")
    REVIEWED = Stage.REVIEWED.value, _("已审核")
    CALLBACK = Stage.CALLBACK.value, _("回访中")
    CLOSED = Stage.CLOSED.value, _("已办结")
    CANCELLED = Stage.CANCELLED.value, _("已撤销")


OPEN_STATES = [stage.value for stage in OPEN_STAGES]  # the stages whose orders are still open


class Department(models.Model):
    """A back-office department (处理部门) that receives dispatched orders and replies.

    `working_hours`: seven lists (Monday first) of ``["08:30", "12:00"]`` periods; empty
    means the center's office hours. Business-time limits run on the department's hours.
    """

    code = models.CharField(_("编号"), max_length=32, unique=True)
    name = models.CharField(_("部门"), max_length=128)
    members = models.ManyToManyField(
        User, verbose_name=_("成员"), blank=True, related_name="ticket_departments"
    )
    lead = models.ForeignKey(
        User,
        verbose_name=_("负责人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_ticket_departments",
    )
    working_hours = models.JSONField(_("工作时间"), default=list, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class WorkOrderType(models.Model):
    """A kind of order (95598: 故障报修, 投诉, 举报 …), with its own fields and time limits.

    `fields`: ``[{"name", "label", "type": text|number|date|phone|choice, "required",
    "choices"?}]``. `sla`: per priority, ``{"clock": "business"|"natural", "hours": n}`` or
    ``{"clock": "business", "workdays": n}``.
    """

    code = models.CharField(_("编号"), max_length=32, unique=True)
    name = models.CharField(_("类型"), max_length=64)
    fields = models.JSONField(_("字段"), default=list, blank=True)
    default_department = models.ForeignKey(
        Department,
        verbose_name=_("默认处理部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    default_priority = models.CharField(
        _("默认优先级"), max_length=16, choices=PriorityChoice.choices, default="normal"
    )
    sla = models.JSONField(_("时限"), default=dict)
    needs_callback = models.BooleanField(_("需要回访"), default=True)
    is_active = models.BooleanField(_("启用"), default=True)
    # 重复投诉: an order from a customer with an earlier order of this type within so many
    # days is linked to it and expedited (0: orders of this type are never linked)
    repeat_days = models.PositiveSmallIntegerField(_("重复投诉认定天数"), default=30)
    escalates = models.BooleanField(_("适用投诉升级"), default=False)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class WorkOrder(models.Model):
    """One order. `version` rises with every change: a write that names an older version is
    refused (optimistic concurrency), so two people acting at once never lose an update."""

    number = models.CharField(_("工单号"), max_length=40, unique=True)
    type = models.ForeignKey(
        WorkOrderType, verbose_name=_("类型"), on_delete=models.PROTECT, related_name="orders"
    )
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("内容"), blank=True)
    fields = models.JSONField(_("字段"), default=dict, blank=True)
    customer = models.ForeignKey(
        Customer, verbose_name=_("客户"), null=True, blank=True, on_delete=models.PROTECT
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("来源联络"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    priority = models.CharField(
        _("优先级"), max_length=16, choices=PriorityChoice.choices, default="normal"
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=StageChoice.choices, default="accepted"
    )
    paused = models.BooleanField(_("挂起"), default=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("主工单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("处理部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    owner = models.ForeignKey(
        User,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_work_orders",
    )
    created_by = models.ForeignKey(
        User,
        verbose_name=_("受理人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="created_work_orders",
    )
    created_at = models.DateTimeField(_("受理时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    due_at = models.DateTimeField(_("办理时限"), null=True, blank=True)
    # the first warning point (时限预警): past it and before `due_at` the order is due soon
    warn_from = models.DateTimeField(_("预警时间"), null=True, blank=True)
    urges = models.PositiveIntegerField(_("催单次数"), default=0)
    returns = models.PositiveIntegerField(_("退单次数"), default=0)
    reopens = models.PositiveIntegerField(_("重开次数"), default=0)
    satisfied = models.BooleanField(_("回访满意"), null=True, blank=True)  # the latest callback
    repeat_of = models.ForeignKey(
        "self",
        verbose_name=_("重复投诉（原工单）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repeats",
    )
    # the customer threatened the media or a complaint over the centre's head (媒体曝光/越级投诉)
    threatened = models.BooleanField(_("扬言曝光或越级投诉"), default=False)
    escalation_level = models.PositiveSmallIntegerField(_("升级级别"), default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "due_at"], name="workorder_state_due_idx"),
            models.Index(fields=["department", "state"], name="workorder_dept_state_idx"),
            # the change feed for external systems (/api/tickets/changes) walks this order
            models.Index(fields=["updated_at", "id"], name="workorder_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class WorkOrderEvent(models.Model):
    """One step in an order's life (created, dispatched, urged …), never edited or deleted."""

    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("操作"), max_length=32)
    actor = models.ForeignKey(
        User, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    before = models.CharField(_("操作前"), max_length=16, blank=True)
    after = models.CharField(_("操作后"), max_length=16)
    reason = models.TextField(_("说明"), blank=True)
    payload = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField()  # the order's version once this step was done

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["order", "at"], name="workorder_event_order_idx")]

    def __str__(self) -> str:
        return f"{self.order_id} {self.action} {self.before}→{self.after}"


class WorkOrderWarning(models.Model):
    """A deadline warning (时限预警) at one point of one run of an order's clock: sent once.

    `point` is the share of the time limit in percent (50, 80; 100 is the deadline, 超时).
    `clock_started` is when that clock started (creation, or the latest reopening), so a
    reopened order warns again; the unique constraint keeps two runs from sending twice.
    `superseded`: the point had passed unsent when a later one was reached (the command did
    not run in between); recorded, not sent, so nobody gets three messages at once.
    """

    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="warnings")
    point = models.PositiveSmallIntegerField(_("预警点"))
    clock_started = models.DateTimeField(_("计时起点"))
    reached_at = models.DateTimeField(_("到达时间"))
    due_at = models.DateTimeField(_("办理时限"))
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    recipients = models.JSONField(_("接收人"), default=list, blank=True)  # usernames
    superseded = models.BooleanField(_("未单独发送"), default=False)

    class Meta:
        ordering = ["sent_at", "point"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "point", "clock_started"], name="workorder_warning_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.point}% {self.clock_started:%Y-%m-%d %H:%M}"


class EscalationLevel(models.Model):
    """One rung of the escalation ladder (投诉升级, seed 004: 现场班长 → 地市分公司投诉热线 →
    省服务监督热线 → 集团客户服务监督热线), with its triggers and who is told.

    `timeout_percent`: the share of the order's time limit used at which an order reaches
    this rung (100: at the deadline); `urges`: its urge count; `on_threat`: a customer's
    threat (媒体曝光/越级投诉). Empty triggers are not used; an inactive rung is skipped.
    The ladder's rules are `lingting.engine.escalation`.
    """

    rank = models.PositiveSmallIntegerField(_("级别"), unique=True)
    name = models.CharField(_("名称"), max_length=64)
    is_active = models.BooleanField(_("启用"), default=True)
    timeout_percent = models.PositiveSmallIntegerField(
        _("超时触发（时限的百分比）"), null=True, blank=True
    )
    urges = models.PositiveSmallIntegerField(_("催单次数触发"), null=True, blank=True)
    on_threat = models.BooleanField(_("客户扬言曝光或越级投诉时触发"), default=False)
    roles = models.JSONField(_("通知角色"), default=list, blank=True)  # core.Role values
    users = models.ManyToManyField(
        User, verbose_name=_("通知人员"), blank=True, related_name="escalation_levels"
    )
    tell_department_lead = models.BooleanField(_("通知处理部门负责人"), default=False)

    class Meta:
        ordering = ["rank"]

    def __str__(self) -> str:
        return f"{self.rank} {self.name}"


class EscalationSettings(models.Model):
    """The escalation settings that are not per rung (one row): the threat words looked for
    in the customer's turns of an order's contact."""

    threat_words = models.JSONField(_("威胁用语"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return "escalation settings"


class ApiIdempotencyKey(models.Model):
    """An `Idempotency-Key` an API client sent with a create: the same key from the same
    key holder (`scope`: ``key:<digest>`` of the API key, or ``user:<id>`` for a browser
    session) answers the order it made the first time; `request_hash` tells a different
    request apart."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # made by the webhooks app, which held the keys before the work orders' API did;
        # the model moved, the table stays (migrations 0006 and webhooks 0003)
        db_table = "webhooks_apiidempotencykey"
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="api_idempotency_key_once")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"
