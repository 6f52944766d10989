"""Agent state events from the ACD, and the hourly broadcasts sent to each team."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lingting.core.models import Agent, Team


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
