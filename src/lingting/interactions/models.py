"""Contacts as they arrive from switches, ACD, recording and ASR platforms (FORMATS.md)."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from lingting.core.models import Agent


class Queue(models.Model):
    """An ACD group (ACD组): where the switch queues contacts for a set of agents."""

    code = models.CharField(_("编号"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=128, blank=True)

    def __str__(self) -> str:
        return self.name or self.code


class Customer(models.Model):
    code = models.CharField(_("客户编号"), max_length=128, unique=True)

    def __str__(self) -> str:
        return self.code


class Contact(models.Model):
    """One call, chat or message thread; CDR fields plus what the file carried beyond them."""

    external_id = models.CharField(_("编号"), max_length=128, unique=True)
    channel = models.CharField(_("渠道"), max_length=32, blank=True)
    direction = models.CharField(_("方向"), max_length=16, blank=True)
    queue = models.ForeignKey(
        Queue, verbose_name=_("ACD组"), null=True, blank=True, on_delete=models.PROTECT
    )
    agent = models.ForeignKey(
        Agent, verbose_name=_("坐席"), null=True, blank=True, on_delete=models.PROTECT
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("客户"), null=True, blank=True, on_delete=models.PROTECT
    )
    queued_at = models.DateTimeField(_("排队时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("应答时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    disposition = models.CharField(_("结果"), max_length=32, blank=True)
    hangup_by = models.CharField(_("挂机方"), max_length=16, blank=True)
    tags = models.JSONField(_("标签"), default=list, blank=True)
    rings = models.PositiveSmallIntegerField(_("响铃次数"), null=True, blank=True)
    wait_s = models.FloatField(_("等待秒数"), null=True, blank=True)
    talk_s = models.FloatField(_("通话秒数"), null=True, blank=True)
    hold_s = models.FloatField(_("保持秒数"), null=True, blank=True)
    acw_s = models.FloatField(_("话后处理秒数"), null=True, blank=True)
    holds = models.JSONField(_("保持时段"), default=list, blank=True)
    turn_count = models.PositiveIntegerField(_("轮次"), default=0)
    extra = models.JSONField(_("其他字段"), default=dict, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    current_score = models.OneToOneField(
        "quality.ContactScore",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="current_for",
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["-started_at", "-id"], name="contact_started_idx"),
            models.Index(fields=["agent", "-started_at"], name="contact_agent_started_idx"),
            models.Index(fields=["queue", "-started_at"], name="contact_queue_started_idx"),
            # The KPI engine's moment of a contact (queue time, else start): FCR's repeats and
            # the pages' "one day of contacts" are ranges on it.
            models.Index(Coalesce("queued_at", "started_at"), name="contact_moment_idx"),
            # The contacts that carry the switch's satisfaction rating, by when it was given
            # (surveys.selectors): a few among millions, found without reading the others.
            models.Index(
                Coalesce("ended_at", "started_at"),
                condition=models.Q(extra__has_key="satisfaction"),
                name="contact_rated_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.external_id


class Turn(models.Model):
    # No foreign-key constraint and no index of its own: turns are written only by the
    # import (interactions.services), which takes each contact id from the row it has just
    # upserted, and checking ~12 turns per contact against the contact table cost a third
    # of the import's database time. Deleting a contact still deletes its turns (Django
    # cascades it). Lookups by contact use the (contact, index) unique index.
    contact = models.ForeignKey(
        Contact,
        on_delete=models.CASCADE,
        related_name="turns",
        db_constraint=False,
        db_index=False,
    )
    index = models.PositiveIntegerField()
    speaker = models.CharField(max_length=16)
    text = models.TextField()
    start = models.FloatField(null=True, blank=True)
    end = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["contact", "index"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "index"], name="turn_unique_index"),
        ]

    def __str__(self) -> str:
        return f"{self.speaker}: {self.text[:30]}"


class Recording(models.Model):
    """Where the audio of a call lives (a path or URI on the recording platform)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="recordings")
    uri = models.CharField(max_length=1024)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contact", "uri"], name="recording_unique_uri"),
        ]

    def __str__(self) -> str:
        return self.uri


class Listening(models.Model):
    """What `lingting listen` heard in a recording (FORMATS.md "Listening to audio"), kept
    for the rules that need sound and the two-lane waveform on the contact page.

    Listened to by the task worker after import; one row per recording, replaced when the
    recording is listened to again. A file that cannot be read keeps its `error` (and no
    metrics), so the page says why instead of showing nothing."""

    recording = models.OneToOneField(Recording, on_delete=models.CASCADE, related_name="listening")
    listened_at = models.DateTimeField()
    # The `lingting listen` line of the file, as FORMATS.md names its fields.
    metrics = models.JSONField(null=True, blank=True)
    # Per channel, the loudest sample of each of a few hundred equal slices (0–1): enough to
    # draw the waveform without reading the file again.
    waveform = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.recording.uri}: {self.error or 'listened'}"


class AccessGrant(models.Model):
    """A QA analyst's standing access to a team's or a queue's contacts, beyond the
    contacts their review assignments give them (granted by a QA supervisor)."""

    user = models.ForeignKey("core.User", on_delete=models.CASCADE, related_name="access_grants")
    team = models.ForeignKey(
        "core.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    queue = models.ForeignKey(
        Queue, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    granted_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(team__isnull=True) ^ models.Q(queue__isnull=True),
                name="grant_team_or_queue",
            ),
            models.UniqueConstraint(fields=["user", "team"], name="grant_team_once"),
            models.UniqueConstraint(fields=["user", "queue"], name="grant_queue_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.team or self.queue}"


class SearchDocument(models.Model):
    """A contact's words for full-text search (lingting.engine.search): its transcript
    without the digits of personal numbers, and its tags, segmented into space-separated
    terms (written by interactions.search_index). Indexed by SQLite FTS5 or a PostgreSQL GIN
    index (migration 0005)."""

    contact = models.OneToOneField(
        Contact, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    terms = models.TextField()

    def __str__(self) -> str:
        return f"{self.contact_id}: {self.terms[:30]}"


class PhoneNumber(models.Model):
    """A phone number a contact carries (read out in its transcript, its customer code or
    one of its extra fields), normalised as lingting.engine.pii finds it: searched only by
    roles that may see personal numbers."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    number = models.CharField(max_length=32)

    class Meta:
        indexes = [models.Index(fields=["number"], name="phone_number_idx")]
        constraints = [
            models.UniqueConstraint(fields=["contact", "number"], name="phone_number_once"),
        ]

    def __str__(self) -> str:
        return self.number


class FigureChange(models.Model):
    """A contact whose figures must be counted again by the daily tallies (performance's
    `DailyTally`): written by the database itself, by triggers (migrations interactions 0008
    and quality 0007), whenever a contact is inserted, updated or deleted, and whenever its
    automatic score or its sample review is — whatever wrote it: the import, scoring, a
    review, an administrator, a script. Nothing that changes a figure can forget to say so.

    Each row holds where the contact counted at that moment: an update writes two, where the
    contact counted before and where it counts now, so the day and agent it leaves are counted
    again too. Plain ids, no foreign keys: a change outlives a deleted contact.
    """

    contact_id = models.BigIntegerField()
    started_at = models.DateTimeField(null=True)
    queued_at = models.DateTimeField(null=True)
    agent_id = models.BigIntegerField(null=True)
    queue_id = models.BigIntegerField(null=True)
    customer_id = models.BigIntegerField(null=True)

    def __str__(self) -> str:
        return f"contact {self.contact_id}"


class Topic(models.Model):
    """客户之声: one subject customers contact the center about, found among recent contacts
    by lingting.engine.topics (interactions.services.topics). Kept until the next clustering
    replaces them all, so that its id, and the contacts put in it, stay the same meanwhile."""

    label = models.CharField(_("话题"), max_length=200)
    keywords = models.JSONField(_("关键词"), default=list)
    # The topic's centre (word → weight, unit length) and those words' IDF: what puts a
    # contact arriving later in its nearest topic.
    centroid = models.JSONField(default=dict)
    idf = models.JSONField(default=dict)
    created_at = models.DateTimeField(_("生成时间"))  # the clustering's moment

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.label


class ContactTopic(models.Model):
    """The topic a contact is about (at most one). Contacts with nothing but greetings, or
    like no topic, have none."""

    contact = models.OneToOneField(
        Contact, primary_key=True, on_delete=models.CASCADE, related_name="topic_link"
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="contact_links")

    class Meta:
        indexes = [models.Index(fields=["topic", "contact"], name="contact_topic_idx")]

    def __str__(self) -> str:
        return f"{self.contact_id} → {self.topic_id}"
