"""The model judge: its settings (one row, an administrator's) and the judgements it made.

A judgement is the model's suggestion for one manual item of one contact; reviewers see it
marked as the model's and decide themselves. Rows are appended, never changed: the newest
accepted judgement of an item is the one the review page shows.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lingting.core.models import User
from lingting.interactions.models import Contact
from lingting.quality.models.scoring import ScorecardVersion


class JudgeSettings(models.Model):
    """Where the center's language model is and how to use it (one row, pk 1).

    `api_key` is kept to authenticate with and never shown back: the settings page only
    says whether one is set.
    """

    enabled = models.BooleanField(_("启用模型预评"), default=False)
    # Not a URLField: an endpoint inside the center is often a bare host name (http://vllm:8000).
    base_url = models.CharField(_("接口地址"), max_length=500, blank=True)
    model = models.CharField(_("模型名称"), max_length=200, blank=True)
    api_key = models.CharField(max_length=500, blank=True)
    timeout_s = models.PositiveSmallIntegerField(_("超时（秒）"), default=60)
    retries = models.PositiveSmallIntegerField(_("失败重试次数"), default=2)
    requests_per_minute = models.PositiveIntegerField(_("每分钟最多请求数"), default=30)
    price_input_per_million = models.FloatField(_("输入价格（元/百万 tokens）"), default=0)
    price_output_per_million = models.FloatField(_("输出价格（元/百万 tokens）"), default=0)
    send_unmasked = models.BooleanField(_("发送完整的个人号码"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("模型预评设置")

    def __str__(self) -> str:
        return f"{self.model or '—'} @ {self.base_url or '—'}"

    @property
    def usable(self) -> bool:
        """Enabled and complete enough to ask a model."""
        return self.enabled and bool(self.base_url and self.model)


class ModelJudgement(models.Model):
    """The model's answer for one manual item of one contact, or why it has none (`error`:
    the server failed, or the answer was discarded, e.g. a quote not in the transcript)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(ScorecardVersion, on_delete=models.PROTECT, related_name="+")
    item = models.CharField(max_length=64)
    result = models.CharField(max_length=8, blank=True)  # pass / fail; "" when discarded
    reason = models.TextField(blank=True)
    evidence = models.JSONField(default=list, blank=True)  # [{"text": quote, "turn": index}]
    model = models.CharField(max_length=200)
    latency_ms = models.PositiveIntegerField(default=0)
    prompt_tokens = models.PositiveIntegerField(default=0)
    completion_tokens = models.PositiveIntegerField(default=0)
    cost = models.FloatField(default=0)  # 元, from the configured prices
    cache_key = models.CharField(max_length=64)
    cached = models.BooleanField(default=False)  # answered from an earlier identical question
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["contact", "version", "item"], name="judgement_contact_idx"),
            models.Index(fields=["cache_key"], name="judgement_cache_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} {self.item}: {self.result or self.error[:40]}"
