"""What each contact meant (issue 15): the customer's emotion, whether the problem was
solved, and how satisfied the customer most likely left — one row per contact.

The engine computes it with every score (`lingting.engine.meaning`); it does not depend on
the scorecard, so it is kept once per contact, beside the contact rather than beside each
score. The columns are what lists, sampling plans and reports filter and count on; `details`
holds what only the contact's page shows (each turn's emotion and its evidence, the
resolution's evidence, the factors behind the predicted satisfaction).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lingting.interactions.models import Contact


class CustomerEmotion(models.TextChoices):
    CALM = "calm", _("平静")
    ANXIOUS = "anxious", _("焦急")
    DISSATISFIED = "dissatisfied", _("不满")
    ANGRY = "angry", _("生气")
    PLEASED = "pleased", _("满意")


class ContactMeaning(models.Model):
    """The meaning of one contact's transcript as last scored.

    A contact whose customer never spoke keeps a row with empty emotions and no verdict, so
    that "has a meaning row" still says "was read" (the backfill skips it)."""

    contact = models.OneToOneField(
        Contact, on_delete=models.CASCADE, primary_key=True, related_name="meaning"
    )
    emotion_start = models.CharField(
        _("开始情绪"), max_length=16, blank=True, choices=CustomerEmotion.choices
    )
    emotion_end = models.CharField(
        _("结束情绪"), max_length=16, blank=True, choices=CustomerEmotion.choices
    )
    emotion_peak = models.CharField(
        _("最强情绪"), max_length=16, blank=True, choices=CustomerEmotion.choices
    )
    peak_intensity = models.FloatField(_("最强情绪强度"), default=0.0)
    calmed = models.BooleanField(_("已安抚"), default=False)
    resolved = models.BooleanField(_("已解决"), null=True)  # None: no verdict (不明)
    resolution_reason = models.CharField(_("解决判断依据"), max_length=32, blank=True)
    satisfaction_predicted = models.FloatField(_("预测满意度"), null=True)  # 0–1
    details = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)  # when it last changed

    class Meta:
        indexes = [
            # The list's and the plans' filters: "ended angry", "peaked angry", "unresolved",
            # "predicted satisfaction below X"; each joins the contacts by primary key.
            models.Index(fields=["emotion_end"], name="meaning_end_idx"),
            models.Index(fields=["emotion_peak"], name="meaning_peak_idx"),
            models.Index(fields=["resolved"], name="meaning_resolved_idx"),
            models.Index(fields=["satisfaction_predicted"], name="meaning_satisfaction_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.emotion_start}→{self.emotion_end}"
