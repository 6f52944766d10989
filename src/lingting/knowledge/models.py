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


class ConversationState(models.TextChoices):
    BOT = "bot", _("机器人应答")
    WAITING = "waiting", _("排队等待人工")
    HUMAN = "human", _("人工服务中")
    AFTER_HOURS = "after_hours", _("非服务时间，待留电话")
    CLOSED = "closed", _("已结束")


class HandoffReasonChoice(models.TextChoices):
    ASKED = "asked", _("客户要求转人工")
    ANGRY = "angry", _("客户情绪激动")
    LOW_CONFIDENCE = "low_confidence", _("没有把握的答案")
    FAILED_TWICE = "failed_twice", _("两次未能解答")


class BotConversation(models.Model):
    """One customer's chat with the FAQ bot (seed 004 篇3), and the person it was handed to.

    The customer's page holds `token` (a secret, in the browser's storage): it finds the
    conversation again after a reload, and nothing else does. When it closes, the whole
    conversation is stored as a contact (`contact`) and scored like any other."""

    token = models.CharField(max_length=64, unique=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=ConversationState.choices, default=ConversationState.BOT
    )
    started_at = models.DateTimeField(auto_now_add=True, db_index=True)
    last_activity_at = models.DateTimeField(auto_now=True)
    failures = models.PositiveSmallIntegerField(default=0)
    handoff_reason = models.CharField(
        _("转人工原因"), max_length=16, choices=HandoffReasonChoice.choices, blank=True
    )
    handoff_at = models.DateTimeField(_("转人工时间"), null=True, blank=True)
    agent = models.ForeignKey(
        User,
        verbose_name=_("接待人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("接入时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    callback_phone = models.CharField(_("回电号码"), max_length=32, blank=True)
    workorder = models.ForeignKey(
        "tickets.WorkOrder", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact = models.ForeignKey(
        "interactions.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["state", "handoff_at"], name="bot_queue_idx")]

    def __str__(self) -> str:
        return f"bot {self.pk} ({self.state})"


class BotSender(models.TextChoices):
    CUSTOMER = "customer", _("客户")
    BOT = "bot", _("智能客服")
    AGENT = "agent", _("人工客服")
    SYSTEM = "system", _("系统")


class BotReply(models.TextChoices):
    """What a bot or system message did with the customer's question (`replying_to`)."""

    ANSWERED = "answered", _("已解答")
    REPHRASE = "rephrase", _("请客户换个说法")
    UNANSWERED = "unanswered", _("未能解答，转人工")
    HANDOFF = "handoff", _("转人工")


class BotMessage(models.Model):
    conversation = models.ForeignKey(
        BotConversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.CharField(max_length=16, choices=BotSender.choices)
    reply = models.CharField(max_length=16, choices=BotReply.choices, blank=True)
    replying_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    at = models.DateTimeField(auto_now_add=True)
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # the article a bot answer (or an agent's chosen one) came from
    score = models.FloatField(null=True, blank=True)
    related = models.JSONField(default=list, blank=True)  # [{"code", "title"}] offered with it
    author = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["conversation", "pk"]

    def __str__(self) -> str:
        return f"{self.sender}: {self.text[:20]}"


class TrainingPair(models.Model):
    """A customer's question and the article that truly answers it, confirmed by the agent
    who took over from the bot: the pairs `lingting faq-train` learns from."""

    question = models.CharField(max_length=500)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    bot_article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # what the bot had answered, if anything
    conversation = models.ForeignKey(
        BotConversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "article"], name="training_pair_once")
        ]

    def __str__(self) -> str:
        return f"{self.question[:20]} → {self.article_id}"


class ArticleSearchDocument(models.Model):
    """An article's live version as search reads it (lingting.engine.knowledge_search): its
    terms in three fields, and the products and queues it applies to for filters (each
    framed by line breaks, "\\n5G畅享套餐\\n", so that a filter matches whole names).
    Written by knowledge.search_index; indexed by SQLite FTS5 or a PostgreSQL tsvector with
    the head weighted above the body (migration 0004)."""

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
