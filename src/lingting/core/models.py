"""Users and their roles, teams, agents, and the append-only audit trail."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENT = "agent", _("坐席")
    TEAM_LEADER = "team_leader", _("班组长")
    QA_ANALYST = "qa_analyst", _("质检员")
    QA_SUPERVISOR = "qa_supervisor", _("质检主管")
    TRAINER = "trainer", _("培训师")
    OPERATIONS_MANAGER = "operations_manager", _("运营经理")
    WFM_PLANNER = "wfm_planner", _("排班")
    ADMIN = "admin", _("管理员")


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, default=Role.AGENT)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Team(models.Model):
    code = models.CharField(_("编号"), max_length=64, unique=True)
    name = models.CharField(_("班组"), max_length=128)
    leader = models.ForeignKey(
        User,
        verbose_name=_("班组长"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_teams",
    )

    def __str__(self) -> str:
        return self.name


class LeavingReason(models.TextChoices):
    """Why an agent left (seed 004 篇10 counts leavers; workforce's attrition page reads them)."""

    RESIGNED = "resigned", _("主动离职")
    DISMISSED = "dismissed", _("辞退")
    TRANSFERRED = "transferred", _("转岗")
    OTHER = "other", _("其他")


class Agent(models.Model):
    """A person who handles contacts, known to the switch by `code` (the CDR's agent_id).

    One who has left keeps their row, and with it their contacts, scores and figures:
    `left_on` is their last day on staff."""

    code = models.CharField(_("工号"), max_length=64, unique=True)
    name = models.CharField(_("姓名"), max_length=128, blank=True)
    team = models.ForeignKey(
        Team,
        verbose_name=_("班组"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agents",
    )
    user = models.OneToOneField(
        User,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agent",
    )
    hired_on = models.DateField(_("入职日期"), null=True, blank=True)
    left_on = models.DateField(_("离职日期"), null=True, blank=True)
    # A database default too: the PostgreSQL import creates agents by code in SQL
    # (interactions.services.import_copy), naming no other column.
    leaving_reason = models.CharField(
        _("离职原因"),
        max_length=16,
        choices=LeavingReason.choices,
        blank=True,
        default="",
        db_default="",
    )

    def __str__(self) -> str:
        return f"{self.name or self.code} ({self.code})"


class AuditEvent(models.Model):
    """One change to something that matters (a score, a scorecard), never edited or deleted."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=128)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id"])]
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"


class Notification(models.Model):
    """A message for one user inside Lingting (a dispute decided, a sample assigned)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.text


class ApiToken(models.Model):
    """A key for the HTTP API, acting as its user with that user's permissions.

    Only a SHA-256 digest is stored: the key itself is shown once, when it is made.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)  # the key's first characters, to tell keys apart
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"


class ScheduledRun(models.Model):
    """One run of a scheduled job (`lingting scheduler`) for one due moment.

    Unique per job and moment: a scheduler claims a moment by inserting its row, so two
    schedulers (or a restart) never run the same moment twice. Rows are kept as the log.
    """

    job = models.CharField(max_length=64)
    due_at = models.DateTimeField()
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    succeeded = models.BooleanField(null=True)
    output = models.TextField(blank=True)

    class Meta:
        ordering = ["-due_at", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "due_at"], name="scheduled_run_once"),
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.due_at:%Y-%m-%d %H:%M}"


class Heartbeat(models.Model):
    """The last sign of life of a long-running process (the task worker, the scheduler),
    written as it works and read by /healthz."""

    process = models.CharField(max_length=32, unique=True)
    beat_at = models.DateTimeField()
    # how often it beats while healthy: a beat older than a few of these means it stopped
    every_seconds = models.FloatField()

    def __str__(self) -> str:
        return f"{self.process} {self.beat_at:%Y-%m-%d %H:%M:%S}"
