"""Reading bot conversations: a customer's own (by its secret token), new messages since the
last one a page has, the queue and its positions, the agent console's lists, and the bot's
report (containment, handoffs and why, unanswered questions, articles used)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, QuerySet

from lingting.core.models import User
from lingting.knowledge.models import (
    BotConversation,
    BotMessage,
    BotReply,
    BotSender,
    ConversationState,
    HandoffReasonChoice,
    TrainingPair,
)

UNANSWERED_SHOWN = 30


@dataclass(frozen=True, slots=True)
class BotReport:
    conversations: int
    contained: int  # ended with the bot alone, the customer having asked something
    handed_off: int
    reasons: list[tuple[str, int]]  # (reason label, conversations)
    unanswered: list[tuple[str, int]]  # (customer's words, times) the bot could not answer
    articles: list[tuple[str, str, int]]  # (code, title, answers given)

    @property
    def containment(self) -> float | None:
        return self.contained / self.conversations if self.conversations else None


def conversation_by_token(token: str) -> BotConversation | None:
    if not token or len(token) > 64:
        return None
    return BotConversation.objects.filter(token=token).select_related("agent").first()


def messages_after(conversation: BotConversation, after: int) -> QuerySet[BotMessage]:
    return conversation.messages.filter(pk__gt=after).select_related("author").order_by("pk")


def queue_position(conversation: BotConversation) -> int:
    """How many wait before this conversation (0: next to be taken)."""
    if conversation.state != ConversationState.WAITING or conversation.handoff_at is None:
        return 0
    return BotConversation.objects.filter(
        state=ConversationState.WAITING, handoff_at__lt=conversation.handoff_at
    ).count()


def waiting_queue() -> QuerySet[BotConversation]:
    return BotConversation.objects.filter(state=ConversationState.WAITING).order_by("handoff_at")


def chats_of(agent: User) -> QuerySet[BotConversation]:
    return BotConversation.objects.filter(state=ConversationState.HUMAN, agent=agent).order_by(
        "accepted_at"
    )


def bot_report(since: datetime, until: datetime) -> BotReport:
    talks = (
        BotConversation.objects.filter(started_at__gte=since, started_at__lt=until)
        .filter(messages__sender=BotSender.CUSTOMER)
        .distinct()
    )
    total = talks.count()
    handed = talks.exclude(handoff_reason="")
    labels = dict(HandoffReasonChoice.choices)
    reasons = [
        (str(labels.get(row["handoff_reason"], row["handoff_reason"])), row["n"])
        for row in handed.values("handoff_reason").annotate(n=Count("pk")).order_by("-n")
    ]
    bot_said = BotMessage.objects.filter(conversation__in=talks, sender=BotSender.BOT)
    answered = (
        bot_said.filter(article__isnull=False)
        .values("article__code", "article__title")
        .annotate(n=Count("pk"))
        .order_by("-n", "article__code")
    )
    return BotReport(
        conversations=total,
        contained=total - handed.count(),
        handed_off=handed.count(),
        reasons=reasons,
        unanswered=_unanswered(talks),
        articles=[(r["article__code"], r["article__title"], r["n"]) for r in answered],
    )


def _unanswered(talks: QuerySet[BotConversation]) -> list[tuple[str, int]]:
    """The customer's words the bot met with "say it another way" or handed off because it
    could not answer: what the vault lacks, most asked first."""
    rows = (
        BotMessage.objects.filter(
            conversation__in=talks,
            reply__in=[BotReply.REPHRASE, BotReply.UNANSWERED],
            replying_to__isnull=False,
        )
        .values("replying_to__text")
        .annotate(n=Count("pk"))
        .order_by("-n", "replying_to__text")
    )
    return [(row["replying_to__text"], row["n"]) for row in rows[:UNANSWERED_SHOWN]]


def training_pairs() -> list[tuple[str, str, bool]]:
    """(customer's words, an article's question, same intent) from agents' corrections."""
    pairs: list[tuple[str, str, bool]] = []
    for pair in TrainingPair.objects.select_related("article__live", "bot_article__live").order_by(
        "pk"
    ):
        if pair.article.live is None:
            continue
        pairs.append((pair.question, pair.article.live.as_content().wordings[0], True))
        wrong = pair.bot_article
        if wrong is not None and wrong.pk != pair.article_id and wrong.live is not None:
            pairs.append((pair.question, wrong.live.as_content().wordings[0], False))
    return pairs
