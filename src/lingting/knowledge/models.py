"""The knowledge vault (业务金库): articles, each a series of versions, and the life cycle
that puts one version in front of agents and customers at a time.

What an article says is `lingting.engine.knowledge.ArticleContent`, kept as a version's
`content`. An article has at most one live version (the one answers come from) and at most
one open version (a draft, or a draft waiting for review) that will replace it when
approved: a published article is edited without being taken down. Its dates say when the
live version is shown: from `effective_from`, until `expires_on`, its last day.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from lingting.core.models import User
from lingting.engine.knowledge import ArticleContent, ArticleKind, content_from_dict


class KindChoice(models.TextChoices):
    ANSWER = ArticleKind.ANSWER.value, _("标准问答")
    POLICY = ArticleKind.POLICY.value, _("政策资费")
    CASE = ArticleKind.CASE.value, _("案例")
    SCRIPT = ArticleKind.SCRIPT.value, _("服务话术")


class ArticleStatus(models.TextChoices):
    """Where an article stands, as lists and filters show it."""

    DRAFT = "draft", _("草稿")
    REVIEW = "review", _("待审核")
    PUBLISHED = "published", _("已发布")
    EXPIRED = "expired", _("已失效")


class VersionState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REVIEW = "review", _("待审核")
    PUBLISHED = "published", _("已发布")  # live now, or was (see Article.live)
    REJECTED = "rejected", _("已退回")  # sent back by a reviewer: editable again


class Article(models.Model):
    code = models.CharField(_("编号"), max_length=64, unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=KindChoice.choices)
    owner = models.ForeignKey(
        User, verbose_name=_("负责人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    live = models.ForeignKey(
        "ArticleVersion",
        verbose_name=_("现行版本"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    open = models.ForeignKey(
        "ArticleVersion",
        verbose_name=_("修订中的版本"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    effective_from = models.DateField(_("生效日期"), null=True, blank=True)
    expires_on = models.DateField(_("失效日期"), null=True, blank=True)
    withdrawn = models.BooleanField(_("已下线"), default=False)
    # Copied from the live version (or the open one before any is live) for lists and
    # filters; the versions stay the record.
    title = models.CharField(_("标题"), max_length=200)
    category = models.CharField(_("分类"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["category"], name="article_category_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def status_on(self, day: date) -> ArticleStatus:
        if self.live_id is None:
            in_review = self.open is not None and self.open.state == VersionState.REVIEW
            return ArticleStatus.REVIEW if in_review else ArticleStatus.DRAFT
        if self.withdrawn or (self.expires_on is not None and self.expires_on < day):
            return ArticleStatus.EXPIRED
        return ArticleStatus.PUBLISHED

    def shown_on(self, day: date) -> bool:
        """Whether answers, the bot and agents' suggestions use this article on `day`."""
        return (
            self.live_id is not None
            and not self.withdrawn
            and (self.effective_from is None or self.effective_from <= day)
            and (self.expires_on is None or day <= self.expires_on)
        )


class ArticleVersion(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    state = models.CharField(
        _("状态"), max_length=16, choices=VersionState.choices, default=VersionState.DRAFT
    )
    content = models.JSONField(_("内容"))  # ArticleContent.to_dict()
    note = models.CharField(_("修改说明"), max_length=500, blank=True)
    author = models.ForeignKey(
        User, verbose_name=_("编写人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    reviewer = models.ForeignKey(
        User, verbose_name=_("审核人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="article_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"

    def as_content(self) -> ArticleContent:
        return content_from_dict(self.content)


class Bulletin(models.Model):
    """A must-read (必读): a notice, or a changed article, that the people it is sent to must
    read by `deadline` — and, where it asks check questions, answer them right.

    `questions`: [{"text": "...", "options": ["...", ...], "answer": index}, ...] (0–3)."""

    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    article = models.ForeignKey(
        Article,
        verbose_name=_("相关文章"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bulletins",
    )
    teams = models.ManyToManyField(
        "core.Team", verbose_name=_("发送班组"), blank=True, related_name="+"
    )
    roles = models.JSONField(_("发送角色"), default=list, blank=True)
    deadline = models.DateTimeField(_("阅读截止时间"))
    questions = models.JSONField(_("检查题"), default=list, blank=True)
    author = models.ForeignKey(
        User, verbose_name=_("发布人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title


class BulletinReceipt(models.Model):
    """One person's copy of a bulletin: when they read it (and passed its questions)."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="bulletin_receipts")
    team = models.ForeignKey(
        "core.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # their team when it was sent, for reading rates per team
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("答题次数"), default=0)
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "user"], name="bulletin_receipt_once")
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="bulletin_unread_idx")]

    def __str__(self) -> str:
        return f"{self.bulletin_id} → {self.user_id}"
