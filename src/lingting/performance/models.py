"""KPI targets per queue (or for the whole center), set by operations."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lingting.engine.targets import Target
from lingting.interactions.models import Queue


class TargetFigure(models.TextChoices):
    """The figures a target can be set for, and which way is better."""

    ANSWER_RATE = "answer_rate", _("接通率")
    ABANDON_RATE = "abandon_rate", _("放弃率")
    SERVICE_LEVEL = "service_level", _("服务水平")
    ASA_S = "asa_s", _("平均应答速度（秒）")
    AHT_S = "aht_s", _("平均处理时长（秒）")


LOWER_IS_BETTER = frozenset({TargetFigure.ABANDON_RATE, TargetFigure.ASA_S, TargetFigure.AHT_S})


class KpiTarget(models.Model):
    """A figure's green and amber thresholds, for one queue or (queue empty) for all."""

    figure = models.CharField(_("指标"), max_length=32, choices=TargetFigure.choices)
    queue = models.ForeignKey(
        Queue,
        verbose_name=_("ACD组"),
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
                condition=models.Q(queue__isnull=True),
                name="target_once_overall",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.figure} {self.queue or '*'}"

    @property
    def target(self) -> Target:
        return Target(
            green=self.green,
            amber=self.amber,
            higher_is_better=self.figure not in LOWER_IS_BETTER,
        )
