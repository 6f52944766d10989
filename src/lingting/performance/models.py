"""KPI targets per team, queue or the whole center, set by operations; the monthly
assessment's weights, its rows and the best/worst agent of the month (seed 003)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lingting.core.models import Team
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


LOWER_IS_BETTER = frozenset(
    {
        TargetFigure.ABANDON_RATE,
        TargetFigure.ASA_S,
        TargetFigure.AHT_S,
        TargetFigure.TRANSFER_RATE,
    }
)


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
    def target(self) -> Target:
        return Target(
            green=self.green,
            amber=self.amber,
            higher_is_better=self.figure not in LOWER_IS_BETTER,
        )
