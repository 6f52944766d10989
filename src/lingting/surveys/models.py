"""Post-contact survey responses (客户满意度回访), each about one stored contact."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lingting.interactions.models import Contact


class SurveyChannel(models.TextChoices):
    IVR = "ivr", _("语音按键")
    SMS = "sms", _("短信")
    WEB = "web", _("网页")
    APP = "app", _("App")
    WECHAT = "wechat", _("微信")
    EMAIL = "email", _("邮件")
    OTHER = "other", _("其他")


class SurveyResponse(models.Model):
    """One customer's answer (README, "Survey results"): a score from 1 to `scale`."""

    contact = models.ForeignKey(
        Contact, verbose_name=_("联络"), on_delete=models.CASCADE, related_name="survey_responses"
    )
    channel = models.CharField(_("渠道"), max_length=16, choices=SurveyChannel.choices)
    score = models.PositiveSmallIntegerField(_("评分"))
    scale = models.PositiveSmallIntegerField(_("满分"), default=5)
    answered_at = models.DateTimeField(_("评价时间"), db_index=True)
    comment = models.TextField(_("留言"), blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-answered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "channel", "answered_at"], name="survey_response_once"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=models.F("scale")),
                name="survey_score_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} {self.score}/{self.scale}"
