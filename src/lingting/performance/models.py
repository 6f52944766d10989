"""KPI targets per team, queue or the whole center, set by operations; the monthly
assessment's weights, its rows and the best/worst agent of the month (seed 003)."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from lingting.core.models import Agent, Team, User
from lingting.engine.kpis import KpiOptions
from lingting.engine.targets import Target
from lingting.interactions.models import Queue


class TargetFigure(models.TextChoices):
    """The figures a target can be set for, and which way is better."""

    ANSWER_RATE = "answer_rate", _("接通率")
    ABANDON_RATE = "abandon_rate", _("放弃率")
    SERVICE_LEVEL = "service_level", _("服务水平")
    ASA_S = "asa_s", _("平均应答速度（秒）")
    AHT_S = "aht_s", _("平均处理时长（秒）")
    FCR = "fcr", _("一次解决率")
    TRANSFER_RATE = "transfer_rate", _("转接率")
    QA_SCORE = "qa_score", _("质检均分")
    PASS_RATE = "pass_rate", _("质检合格率")
    CSAT = "csat", _("满意度")
    VERY_SATISFIED = "very_satisfied", _("非常满意率")
    UTILISATION = "utilisation", _("工时利用率")


LOWER_IS_BETTER = frozenset(
    {
        TargetFigure.ABANDON_RATE,
        TargetFigure.ASA_S,
        TargetFigure.AHT_S,
        TargetFigure.TRANSFER_RATE,
    }
)


class FigureUnit(StrEnum):
    """How a figure is measured, and so the range a target of it may take: a rate is stored as
    a fraction of 1 (entered and shown as a percentage), a time in seconds, a score in points
    of 100."""

    RATE = "rate"
    SECONDS = "seconds"
    SCORE = "score"


_NOT_RATES = {
    TargetFigure.ASA_S: FigureUnit.SECONDS,
    TargetFigure.AHT_S: FigureUnit.SECONDS,
    TargetFigure.QA_SCORE: FigureUnit.SCORE,
}
FIGURE_UNITS: dict[str, FigureUnit] = {
    str(figure): _NOT_RATES.get(figure, FigureUnit.RATE) for figure in TargetFigure
}


class KpiTarget(models.Model):
    """A figure's green and amber thresholds, for one team, one queue, or (both empty) for
    the whole center. A team's target comes first, then the queue's, then the center's."""

    figure = models.CharField(_("指标"), max_length=32, choices=TargetFigure.choices)
    queue = models.ForeignKey(
        Queue,
        verbose_name=_("ACD组"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("班组"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    green = models.FloatField(_("达标值"))
    amber = models.FloatField(_("预警值"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["figure", "queue"],
                condition=models.Q(queue__isnull=False),
                name="target_once_per_queue",
            ),
            models.UniqueConstraint(
                fields=["figure"],
                condition=models.Q(queue__isnull=True, team__isnull=True),
                name="target_once_overall",
            ),
            models.UniqueConstraint(
                fields=["figure", "team"],
                condition=models.Q(team__isnull=False),
                name="target_once_per_team",
            ),
            models.CheckConstraint(
                condition=models.Q(queue__isnull=True) | models.Q(team__isnull=True),
                name="target_queue_or_team",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.figure} {self.scope}"

    @property
    def scope(self) -> str:
        """Whom the target is for, as the audit trail names it: a queue's code, "team:"
        and a team's code, or "*" for the whole center."""
        if self.team is not None:
            return f"team:{self.team.code}"
        return self.queue.code if self.queue else "*"

    @property
    def unit(self) -> FigureUnit:
        return FIGURE_UNITS[self.figure]

    @property
    def target(self) -> Target:
        return Target(
            green=self.green,
            amber=self.amber,
            higher_is_better=self.figure not in LOWER_IS_BETTER,
        )


class AssessmentWeights(models.Model):
    """The monthly assessment's weights (one row), set by the operations manager."""

    qa_score = models.FloatField(_("质检均分"), default=30)
    attitude = models.FloatField(_("服务态度"), default=15)
    proficiency = models.FloatField(_("业务熟练程度"), default=15)
    explanation = models.FloatField(_("解释是否到位"), default=10)
    speech = models.FloatField(_("语音语速服务时限"), default=10)
    volume = models.FloatField(_("话务量"), default=20)
    min_reviewed = models.PositiveSmallIntegerField(_("评选最佳/最差的最少复核数"), default=3)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return "assessment weights"


class MonthlyAssessment(models.Model):
    """One agent's assessment (月度考核) for one month, as last computed."""

    month = models.DateField(_("月份"))  # the first day
    agent = models.ForeignKey(Agent, verbose_name=_("坐席"), on_delete=models.CASCADE)
    queue = models.CharField(_("主要ACD组"), max_length=64, blank=True)
    handled = models.PositiveIntegerField(_("应答量"), default=0)
    scored = models.PositiveIntegerField(_("质检数"), default=0)
    reviewed = models.PositiveIntegerField(_("复核数"), default=0)
    components = models.JSONField(default=dict)
    total = models.FloatField(_("加权得分"), null=True, blank=True)
    points = models.FloatField(_("绩效加减分"), default=0)
    final = models.FloatField(_("考核得分"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "agent"], name="assessment_once_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.agent}"


class AwardKind(models.TextChoices):
    BEST = "best", _("最佳坐席")
    WORST = "worst", _("最差坐席")


class MonthlyAward(models.Model):
    """The best or worst agent of a month (seed 003), confirmed by a manager: ±5 points."""

    month = models.DateField(_("月份"))
    kind = models.CharField(max_length=8, choices=AwardKind.choices)
    agent = models.ForeignKey(Agent, verbose_name=_("坐席"), on_delete=models.CASCADE)
    points = models.FloatField(_("绩效加减分"))
    basis = models.JSONField(default=dict)  # the figures the rule chose on
    confirmed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "kind"], name="award_once_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.kind} {self.agent}"


# The thresholds the tallies are counted with: FORMATS.md's defaults. A page that asks for
# others reads the contacts themselves.
TALLY_OPTIONS = KpiOptions()


def _tally_count() -> models.PositiveIntegerField[int, int]:
    return models.PositiveIntegerField(default=0)


def _tally_sum() -> models.FloatField[float, float]:
    return models.FloatField(default=0.0)


class DailyTally(models.Model):
    """The sums every KPI, QA and assessment figure of one day, queue and agent is derived
    from (see performance.tallies): a page adds rows up instead of reading a million contacts.

    `day` is the local date the contact started (the pages' date filters and the
    assessment's months); `group_day` the local date of its queue time, else its start (the
    KPI engine's day, week and month groups): they differ only for a contact queued before
    midnight and answered after it. Missing parts are NULL, as the engine's None groups.
    """

    day = models.DateField(null=True)
    group_day = models.DateField(null=True)
    queue = models.ForeignKey(Queue, null=True, on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(Agent, null=True, on_delete=models.CASCADE, related_name="+")
    latest_moment = models.DateTimeField(null=True)  # the latest queue-or-start time counted

    # Every contact: the assessment's volume and main queue.
    contacts = _tally_count()
    handled = _tally_count()  # answered, whatever the direction

    # Offered contacts, the KPI engine's sums (lingting.engine.kpis.SUM_FIELDS).
    answered = _tally_count()
    abandoned = _tally_count()
    short_abandoned = _tally_count()
    within_service_level = _tally_count()
    wait_count = _tally_count()
    wait_sum = _tally_sum()
    handle_count = _tally_count()
    handle_sum = _tally_sum()
    complaints = _tally_count()
    transfer_known = _tally_count()
    transferred = _tally_count()
    fcr_unidentified = _tally_count()
    fcr_repeated = _tally_count()
    # The moments (POSIX seconds) of the answered contacts with no repeat so far: whether
    # each is resolved depends on the end of the data, so the page that reads the day on
    # which FCR's window reaches that end splits them there (engine.kpis.fcr_open_split).
    fcr_open = models.JSONField(default=list)
    # Offered contacts' score of record.
    qa_scored = _tally_count()
    qa_score_sum = _tally_sum()
    qa_passed = _tally_count()

    # Every contact: the machine's current score (the quality reports' automatic QA) and the
    # score of record.
    auto_scored = _tally_count()
    auto_sum = _tally_sum()
    auto_passed = _tally_count()
    auto_fatal = _tally_count()
    auto_a = _tally_count()  # failed items by severity
    auto_b = _tally_count()
    auto_c = _tally_count()
    item_fails = models.JSONField(default=dict)  # item id → contacts whose current score failed it
    record_scored = _tally_count()
    record_score_sum = _tally_sum()

    # Every contact: the assessment's quality components (read for rows with an agent).
    reviewed = _tally_count()
    reviewed_sum = _tally_sum()
    scored_auto = _tally_count()  # scored by the machine and not reviewed
    score_auto_sum = _tally_sum()
    sections = models.JSONField(default=dict)  # section → [points, points lost]

    # Every contact: what its customer meant (quality's `ContactMeaning`), counted as
    # quality.selectors.meaning_figures counts it (`MeaningTotals`, the same names): only
    # contacts whose customer spoke; verdicts are resolved or unresolved ("unclear" left out).
    with_customer = _tally_count()
    ended_angry = _tally_count()
    ended_upset = _tally_count()  # angry or dissatisfied at the end
    verdicts = _tally_count()
    unresolved = _tally_count()
    satisfaction_count = _tally_count()
    satisfaction_sum = _tally_sum()

    class Meta:
        indexes = [
            models.Index(fields=["day", "agent"], name="tally_day_agent_idx"),
            models.Index(fields=["group_day"], name="tally_group_day_idx"),
            models.Index(fields=["agent", "day"], name="tally_agent_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.queue_id} {self.agent_id}"


class TallyState(models.Model):
    """The one row that says how far the tallies are: taken with a row lock by whoever
    updates them, so two updates never count the same change twice."""

    rebuilt_at = models.DateTimeField(null=True)  # None: never built
    updated_at = models.DateTimeField(null=True)
    # When a page left the waiting changes to the task worker: queued once, not per page.
    queued_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"tallies updated {self.updated_at}"
