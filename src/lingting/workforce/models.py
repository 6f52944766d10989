"""Agent state events from the ACD, the hourly broadcasts sent to each team, planning and
rosters, and the care of agents on the phone (reminders, break notices, strain alerts)."""

from __future__ import annotations

from datetime import timedelta

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lingting.core.models import Agent, Team, User
from lingting.engine.break_rules import SEED_000_RULES
from lingting.engine.care import DIFFICULT_RUN, SEED_000_REMINDERS, STRAIN_BREAK
from lingting.engine.difficulty import standard_insults
from lingting.engine.pool_hours import OpenHours as EngineOpenHours
from lingting.interactions.models import Queue


class AgentState(models.TextChoices):
    # The state, not the web app's sign-in button, which shares the Chinese word.
    LOGIN = "login", pgettext_lazy("agent state", "登录")
    READY = "ready", _("就绪")
    NOT_READY = "not_ready", _("未就绪")
    BUSY = "busy", _("通话中")
    ACW = "acw", _("话后处理")
    LOGOUT = "logout", pgettext_lazy("agent state", "登出")


class AgentStateEvent(models.Model):
    """One state change of one agent, as the switch reported it (README, "Agent state
    events"). Append-only; the same (agent, time, state) is stored once."""

    agent = models.ForeignKey(
        Agent, verbose_name=_("坐席"), on_delete=models.PROTECT, related_name="state_events"
    )
    state = models.CharField(_("状态"), max_length=16, choices=AgentState.choices)
    at = models.DateTimeField(_("时间"))
    reason = models.CharField(_("原因"), max_length=64, blank=True)
    contact_ref = models.CharField(_("联络编号"), max_length=128, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agent", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agent", "at", "state"], name="state_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.state} {self.at:%Y-%m-%d %H:%M:%S}"


class HourlyBroadcast(models.Model):
    """What one team was told at the top of one hour (000 §1(2) 每小时CALL量及实时满意度):
    kept so that the broadcast goes out once per team and hour, whoever runs it again."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="broadcasts")
    hour_start = models.DateTimeField()
    calls_hour = models.PositiveIntegerField()
    calls_today = models.PositiveIntegerField()
    responses_today = models.PositiveIntegerField()
    satisfied_today = models.PositiveIntegerField()
    recipients = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-hour_start", "team"]
        constraints = [
            models.UniqueConstraint(fields=["team", "hour_start"], name="broadcast_once_per_hour"),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.hour_start:%Y-%m-%d %H:00}"


class StaffingModel(models.TextChoices):
    ERLANG_A = "erlang_a", _("Erlang A（来电者会放弃）")
    ERLANG_C = "erlang_c", _("Erlang C（来电者一直等待）")


class ServiceLevelBasis(models.TextChoices):
    """What "answered within T" is divided by (engine.erlang.ServiceLevelBasis)."""

    OFFERED = "offered", _("占全部呼入（放弃计为未达标）")
    ANSWERED = "answered", _("占接通量")
    OFFERED_LESS_SHORT_ABANDONS = "offered_less_short_abandons", _("占呼入量（扣除短时放弃）")


class IntervalLength(models.IntegerChoices):
    QUARTER = 15, _("15 分钟")
    HALF_HOUR = 30, _("30 分钟")
    HOUR = 60, _("60 分钟")


class OpenHours(models.TextChoices):
    """When a queue is open (engine.pool_hours): as its history shows, or every interval."""

    LEARNED = EngineOpenHours.LEARNED.value, _("按历史学习")
    AROUND_THE_CLOCK = EngineOpenHours.AROUND_THE_CLOCK.value, _("24 小时（每个时段都营业）")


MAX_MIN_AGENTS = 100  # a minimum of seats per interval: a language seat or a few, not a floor


class StaffingPolicy(models.Model):
    """How a queue is staffed: the model, the targets a planner sets for it and the shrinkage
    between agents on the phones and agents scheduled (issue 14). A queue without a row is
    staffed with the field defaults. Handling time and patience are read from the queue's own
    contacts unless set here."""

    queue = models.OneToOneField(
        Queue, verbose_name=_("ACD组"), on_delete=models.CASCADE, related_name="staffing_policy"
    )
    model = models.CharField(
        _("排队模型"), max_length=16, choices=StaffingModel.choices, default=StaffingModel.ERLANG_A
    )
    interval_minutes = models.PositiveSmallIntegerField(
        _("时段长度"), choices=IntervalLength.choices, default=IntervalLength.HALF_HOUR
    )
    # A 24-hour line (10086, 95598) works official holidays; an office-hours one closes.
    closed_on_holidays = models.BooleanField(_("法定节假日不营业"), default=True)
    service_level = models.FloatField(_("服务水平目标"), default=0.8)
    answer_within_s = models.FloatField(_("服务水平秒数"), default=20)
    service_level_basis = models.CharField(
        _("服务水平口径"),
        max_length=32,
        choices=ServiceLevelBasis.choices,
        default=ServiceLevelBasis.OFFERED,
    )
    short_abandon_s = models.FloatField(_("短时放弃秒数"), default=5)
    asa_s = models.FloatField(_("平均应答速度上限（秒）"), null=True, blank=True)
    max_occupancy = models.FloatField(_("占用率上限"), null=True, blank=True, default=0.9)
    max_abandon = models.FloatField(_("放弃率上限"), null=True, blank=True, default=0.05)
    shrinkage = models.FloatField(_("缩减率"), default=0.3)
    aht_s = models.FloatField(_("平均处理时长（秒）"), null=True, blank=True)
    patience_s = models.FloatField(_("平均耐心时长（秒）"), null=True, blank=True)
    # A small pool on a 24-hour line: its quiet intervals are open, not closed (issue 14).
    open_hours = models.CharField(
        _("营业时段"), max_length=16, choices=OpenHours.choices, default=OpenHours.LEARNED
    )
    min_agents = models.PositiveSmallIntegerField(
        _("每个营业时段最少在线坐席"), default=0, validators=[MaxValueValidator(MAX_MIN_AGENTS)]
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("人力配置策略")

    def __str__(self) -> str:
        return f"{self.queue}: {self.model}"


# What a planner sets on a policy (the form's fields, the audit trail's snapshot).
POLICY_FIELDS = (
    "model",
    "interval_minutes",
    "closed_on_holidays",
    "service_level",
    "answer_within_s",
    "service_level_basis",
    "short_abandon_s",
    "asa_s",
    "max_occupancy",
    "max_abandon",
    "shrinkage",
    "aht_s",
    "patience_s",
    "open_hours",
    "min_agents",
)


class ForecastRun(models.Model):
    """One forecast of a queue's contacts per interval, with what chose its methods: the
    rolling-origin backtest by lead time (engine.arrivals), and the history's handling time
    and callers' patience, which the staffing of the forecast uses."""

    queue = models.ForeignKey(
        Queue, verbose_name=_("ACD组"), on_delete=models.CASCADE, related_name="forecasts"
    )
    interval_minutes = models.PositiveSmallIntegerField(
        _("时段长度"), choices=IntervalLength.choices
    )
    first_day = models.DateField(_("预测起始日"))
    last_day = models.DateField(_("预测截止日"))
    history_first_day = models.DateField(_("历史起始日"))
    history_last_day = models.DateField(_("历史截止日"))
    offered = models.PositiveIntegerField(_("历史呼入量"))
    abandoned = models.PositiveIntegerField(_("历史放弃量"))
    aht_s = models.FloatField(_("历史平均处理时长（秒）"), null=True)
    patience_s = models.FloatField(_("估计平均耐心时长（秒）"), null=True)
    bands = models.JSONField(default=list)  # the method chosen per band of lead days
    backtest = models.JSONField(default=list)  # every method's WAPE/MAPE per lead day
    origins = models.PositiveSmallIntegerField(default=0)
    warnings = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["queue", "-created_at"], name="forecast_queue_idx")]

    def __str__(self) -> str:
        return f"{self.queue} {self.first_day}–{self.last_day}"


class ForecastInterval(models.Model):
    """One open interval of a forecast: contacts expected and the 80 % interval."""

    run = models.ForeignKey(ForecastRun, on_delete=models.CASCADE, related_name="intervals")
    starts_at = models.DateTimeField()
    forecast = models.FloatField()
    lower = models.FloatField()
    upper = models.FloatField()
    method = models.CharField(max_length=64)

    class Meta:
        ordering = ["run", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["run", "starts_at"], name="forecast_interval_once")
        ]

    def __str__(self) -> str:
        return f"{self.run_id} {self.starts_at:%Y-%m-%d %H:%M} {self.forecast:.1f}"


class ShiftTemplate(models.Model):
    """A shift as rostered (早, 中, 夜, 正常班 …): when it starts, counted from the midnight that
    opens its date (24:00 is the midnight that ends it), and how long it runs. A shift belongs
    to the date it starts on, whatever hours of the next date it covers (issue 14)."""

    code = models.CharField(_("班次"), max_length=16, unique=True)
    name = models.CharField(_("名称"), max_length=64, blank=True)
    start_minutes = models.PositiveSmallIntegerField(_("开始（分钟）"))  # 0–1440
    length_minutes = models.PositiveSmallIntegerField(_("时长（分钟）"))
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["start_minutes", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_minutes__lte=1440), name="shift_starts_within_its_date"
            ),
            models.CheckConstraint(
                condition=models.Q(length_minutes__gt=0, length_minutes__lte=16 * 60),
                name="shift_length_up_to_16_hours",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def start_text(self) -> str:
        """When it starts as a clock reads: 510 → "08:30", 1440 → "24:00"."""
        return f"{self.start_minutes // 60:02d}:{self.start_minutes % 60:02d}"

    @property
    def length_text(self) -> str:
        """How long it runs, hours:minutes: 480 → "8:00"."""
        return f"{self.length_minutes // 60}:{self.length_minutes % 60:02d}"

    @property
    def end_text(self) -> str:
        """When it ends on the clock (the next day's hours past 24:00 wrap): 16:00 + 8 h →
        "24:00", 22:00 + 8 h → "06:00"."""
        end = self.start_minutes + self.length_minutes
        end = end - 24 * 60 if end > 24 * 60 else end
        return f"{end // 60:02d}:{end % 60:02d}"


class AgentSkill(models.Model):
    """A queue (a pool: 普通话, 藏语安多 …) an agent can answer, at a proficiency level. A
    multi-skilled agent works one pool per shift, never two at once."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="skills")
    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="skilled_agents")
    level = models.PositiveSmallIntegerField(_("熟练度"), default=1)  # 1 best

    class Meta:
        ordering = ["agent", "level", "queue"]
        constraints = [
            models.UniqueConstraint(fields=["agent", "queue"], name="agent_skill_once"),
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.queue_id} L{self.level}"


class AbsenceKind(models.TextChoices):
    ANNUAL = "annual", _("年假")
    SICK = "sick", _("病假")
    PERSONAL = "personal", _("事假")
    TRAINING = "training", _("培训")
    OTHER = "other", _("其他")


class Absence(models.Model):
    """Days an agent is not to be rostered (leave, training)."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="absences")
    first_day = models.DateField(_("开始日期"))
    last_day = models.DateField(_("结束日期"))
    kind = models.CharField(_("类型"), max_length=16, choices=AbsenceKind.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["agent", "first_day"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_day__lte=models.F("last_day")),
                name="absence_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.kind} {self.first_day}–{self.last_day}"

    @property
    def days(self) -> int:
        """Days off, both ends counted."""
        return (self.last_day - self.first_day).days + 1


class Rotation(models.Model):
    """A cyclic rotation (四班三运转: 早早中中夜夜休休) that teams walk through, each from its own
    phase offset counted from the anchor date (engine.rotation)."""

    name = models.CharField(_("名称"), max_length=64, unique=True)
    cycle = models.CharField(_("循环"), max_length=64)  # shift codes, 休 for a day off
    anchor = models.DateField(_("起算日"))

    def __str__(self) -> str:
        return self.name


class RotationTeam(models.Model):
    rotation = models.ForeignKey(Rotation, on_delete=models.CASCADE, related_name="teams")
    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="rotation_place")
    offset = models.PositiveSmallIntegerField(_("相位（天）"))

    class Meta:
        ordering = ["rotation", "offset"]

    def __str__(self) -> str:
        return f"{self.rotation} {self.team} +{self.offset}"


class RosterStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    SUPERSEDED = "superseded", _("已被替换")  # a later published roster covers its dates


class Roster(models.Model):
    """Who works which shift on which date, in which pool, from `first_day` to `last_day`:
    built by the solver (engine.rostering) as a draft, with its breaks, then published to the
    agents. A published roster is what adherence is measured against."""

    first_day = models.DateField(_("开始日期"))
    last_day = models.DateField(_("结束日期"))
    status = models.CharField(
        _("状态"), max_length=16, choices=RosterStatus.choices, default=RosterStatus.DRAFT
    )
    solver_status = models.CharField(max_length=16, blank=True)  # optimal, feasible, infeasible
    solve_seconds = models.FloatField(default=0)
    shortfalls = models.JSONField(default=list)  # where and by how much the plan falls short
    conflicts = models.JSONField(default=list)  # why no roster exists, per agent
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-first_day", "-id"]

    def __str__(self) -> str:
        return f"{self.first_day}–{self.last_day} {self.status}"

    @property
    def solver_status_label(self) -> str:
        """The solver's word for the result, as the pages show it (stored in English)."""
        return str(SOLVER_STATUS_LABELS.get(self.solver_status, self.solver_status))


SOLVER_STATUS_LABELS = {
    "optimal": _("最优"),
    "feasible": _("可行（未证明最优）"),
    "infeasible": _("无可行解"),
    "unknown": _("未知"),
}


class RosterShift(models.Model):
    """One agent's shift on one date (the date it starts on) and the pool worked."""

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="shifts")
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="roster_shifts")
    day = models.DateField(_("日期"))
    code = models.CharField(_("班次"), max_length=16)
    queue = models.ForeignKey(Queue, null=True, blank=True, on_delete=models.SET_NULL)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["roster", "day", "starts_at", "agent"]
        constraints = [
            models.UniqueConstraint(fields=["roster", "agent", "day"], name="one_shift_a_day"),
        ]
        indexes = [models.Index(fields=["agent", "starts_at"], name="roster_shift_agent_idx")]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.day} {self.code}"


class RosterBreak(models.Model):
    shift = models.ForeignKey(RosterShift, on_delete=models.CASCADE, related_name="breaks")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    rule = models.CharField(max_length=64)

    class Meta:
        ordering = ["shift", "starts_at"]

    def __str__(self) -> str:
        return f"{self.shift_id} {self.starts_at:%H:%M} {self.rule}"


# Seed 000 §1(2) 正点提醒: "日程秘书短信问候。如:奋斗在一线的战士们,每100个满意顾客会带来25个新
# 顾客,加油!"
SEED_000_GREETING = "奋斗在一线的战士们，每100个满意顾客会带来25个新顾客，加油！"


def seed_000_reminders() -> list[dict[str, str]]:
    """Seed 000's reminder times, each with its greeting: `{"time": "10:30", "text": …}`."""
    return [
        {"time": f"{moment:%H:%M}", "text": SEED_000_GREETING}
        for moment in SEED_000_REMINDERS.times
    ]


def seed_000_break_rules() -> list[dict[str, object]]:
    """Seed 000's break rules in minutes: `{"name", "worked_min", "worked_max", "length"}`."""
    return [
        {
            "name": rule.name,
            "worked_min": rule.worked_min // timedelta(minutes=1),
            "worked_max": rule.worked_max // timedelta(minutes=1),
            "length": rule.length // timedelta(minutes=1),
        }
        for rule in SEED_000_RULES
    ]


def standard_insult_words() -> list[str]:
    return list(standard_insults()[0])


def standard_insult_excused() -> list[str]:
    return list(standard_insults()[1])


class CareSettings(models.Model):
    """How the center looks after its agents on the phone (issue 14, seed 000 §1(2)): timed
    reminders, break rules for the break-due notices, and what makes a strain alert. One row
    (id 1), edited on the care page; until it is saved the defaults, seed 000's, apply."""

    reminders = models.JSONField(_("正点提醒"), default=seed_000_reminders)
    reminder_lead_minutes = models.PositiveSmallIntegerField(_("提前分钟数"), default=5)
    break_rules = models.JSONField(_("小休规则"), default=seed_000_break_rules)
    # The not-ready reason code (agent state events) that means the agent is on a break.
    break_reason = models.CharField(_("小休原因代码"), max_length=64, default="小休")
    strain_run = models.PositiveSmallIntegerField(_("连续困难联络数"), default=DIFFICULT_RUN)
    strain_break_minutes = models.PositiveSmallIntegerField(
        _("建议小休分钟数"), default=STRAIN_BREAK // timedelta(minutes=1)
    )
    insults = models.BooleanField(_("客户辱骂"), default=True)
    insult_words = models.JSONField(_("辱骂用语"), default=standard_insult_words)
    insult_excused = models.JSONField(_("不算辱骂的说法"), default=standard_insult_excused)
    threats = models.BooleanField(_("客户扬言曝光或越级投诉"), default=True)
    complaints = models.BooleanField(_("投诉"), default=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("关怀设置")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="care_settings_one_row"),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


# What a planner sets on the care page (the form's fields, the audit trail's snapshot).
CARE_FIELDS = (
    "reminders",
    "reminder_lead_minutes",
    "break_rules",
    "break_reason",
    "strain_run",
    "strain_break_minutes",
    "insults",
    "insult_words",
    "insult_excused",
    "threats",
    "complaints",
)


class CareKind(models.TextChoices):
    REMINDER = "reminder", _("正点提醒")
    BREAK_OPENS = "break_opens", _("可以小休")
    BREAK_CLOSING = "break_closing", _("小休即将截止")
    STRAIN = "strain", _("连续困难联络")


class CareNotice(models.Model):
    """One care notice sent: a reminder or a break notice to an agent, a strain alert about
    an agent to their team leader. Kept so that each goes out once, however often, late or
    concurrently the job runs: the row and its notification are written together."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="care_notices")
    kind = models.CharField(_("类型"), max_length=16, choices=CareKind.choices)
    # The reminder's time, the moment a break window opens or its closing notice is due,
    # the end of the last contact of a run of difficult ones.
    moment = models.DateTimeField(_("时间"))
    recipient = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contacts = models.JSONField(default=list, blank=True)  # a strain alert's, by external id
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agent", "kind", "moment"], name="care_notice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.kind} {self.moment:%Y-%m-%d %H:%M}"


class ShiftPreference(models.Model):
    """An agent's wish about a shift template: rather work it, or rather not. Soft: the roster
    solver honours it where the requirement and the rules leave room (issue 14)."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="shift_preferences")
    code = models.CharField(_("班次"), max_length=16)
    prefers = models.BooleanField(_("偏好"))  # False: avoids

    class Meta:
        ordering = ["agent", "code"]
        constraints = [models.UniqueConstraint(fields=["agent", "code"], name="one_wish_per_shift")]

    def __str__(self) -> str:
        return f"{self.agent_id} {'+' if self.prefers else '-'}{self.code}"


class DayOffWish(models.Model):
    """A day an agent would rather not work (a wish, unlike leave: soft)."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="day_off_wishes")
    day = models.DateField(_("日期"))
    note = models.CharField(_("原因"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agent", "day"]
        constraints = [models.UniqueConstraint(fields=["agent", "day"], name="one_wish_a_day")]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.day}"


class SwapStatus(models.TextChoices):
    PROPOSED = "proposed", _("待对方同意")
    ACCEPTED = "accepted", _("待审批")
    APPROVED = "approved", _("已生效")
    DECLINED = "declined", _("对方已拒绝")
    WITHDRAWN = "withdrawn", _("已撤回")
    REJECTED = "rejected", _("审批未通过")
    EXPIRED = "expired", _("已过期")


class ShiftSwap(models.Model):
    """A shift swap (换班) on a published roster: the requester offers `shift`; the
    counterpart takes it (替班) or, in an exchange, gives `returned_shift` back. Accepted by
    the counterpart, approved by the requester's team leader or a planner, it is applied:
    the shifts change hands (services.swaps)."""

    requester = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="swaps_requested")
    counterpart = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="swaps_offered")
    shift = models.ForeignKey(RosterShift, on_delete=models.CASCADE, related_name="swaps_given")
    returned_shift = models.ForeignKey(
        RosterShift,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="swaps_returned",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=SwapStatus.choices, default=SwapStatus.PROPOSED
    )
    reason = models.CharField(_("换班原因"), max_length=200, blank=True)
    decision_note = models.CharField(_("处理意见"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(requester=models.F("counterpart")),
                name="swap_between_two_agents",
            )
        ]
        indexes = [models.Index(fields=["status"], name="shift_swap_status_idx")]

    def __str__(self) -> str:
        return f"{self.requester_id}→{self.counterpart_id} {self.shift_id} {self.status}"

    @property
    def is_exchange(self) -> bool:
        return self.returned_shift_id is not None


class ShiftLimitReason(models.TextChoices):
    # 女职工劳动保护特别规定 第九条: 怀孕 7 个月以上 and 第十条: 哺乳未满 1 周岁婴儿, no night work.
    PREGNANCY = "pregnancy", _("怀孕 7 个月以上（不安排夜班）")
    NURSING = "nursing", _("哺乳未满 1 周岁的婴儿（不安排夜班）")
    MEDICAL = "medical", _("医嘱")
    STUDY = "study", _("在读学习时间")
    OTHER = "other", _("其他")


class ShiftLimit(models.Model):
    """The shifts an agent may not be rostered on (issue 14): no night shifts (夜班劳动, any
    hour between 22:00 and 06:00) and/or named shift templates, with the reason, until an
    optional last day. The roster solver's `Agent.shifts` is every active template but
    these. One limit per agent; a pregnancy or nursing limit always keeps nights out."""

    agent = models.OneToOneField(Agent, on_delete=models.CASCADE, related_name="shift_limit")
    no_night = models.BooleanField(_("不排夜班"), default=True)
    codes = models.JSONField(_("不排的班次"), default=list, blank=True)
    reason = models.CharField(_("原因"), max_length=16, choices=ShiftLimitReason.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    last_day = models.DateField(_("截止日期"), null=True, blank=True)  # None: until taken back
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["agent"]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.reason}"
