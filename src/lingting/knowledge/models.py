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


class ArticleSearchDocument(models.Model):
    """An article's live version as search reads it (lingting.engine.knowledge_search): its
    terms in three fields, and the products and queues it applies to for filters (each
    framed by line breaks, "\\n5G畅享套餐\\n", so that a filter matches whole names).
    Written by knowledge.search_index; indexed by SQLite FTS5 or a PostgreSQL tsvector with
    the head weighted above the body (migration 0002)."""

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    head = models.TextField()
    body = models.TextField()
    initials = models.TextField()
    products = models.TextField(blank=True)
    queues = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.article_id}: {self.head[:30]}"


class KnowledgeWords(models.Model):
    """The words a vault's knowledge owners add for search: their dictionary (products,
    slang; one word a line) and synonym groups (one group a line). One row."""

    dictionary = models.TextField(_("自定义词典"), blank=True)
    synonyms = models.TextField(_("同义词"), blank=True)
    updated_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"words of {self.updated_at:%Y-%m-%d %H:%M}"


class KnowledgeSearch(models.Model):
    """One search of the vault: who searched what, how many articles it found, and the
    article opened from its results (none: a gap in the vault, or in its words)."""

    user = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    query = models.CharField(max_length=200)
    folded = models.CharField(max_length=200)  # the query folded: one gap per wording
    results = models.PositiveIntegerField()
    searched_at = models.DateTimeField(auto_now_add=True)
    clicked = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    clicked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["searched_at"], name="knowledge_search_at_idx")]

    def __str__(self) -> str:
        return f"{self.query} ({self.results})"
