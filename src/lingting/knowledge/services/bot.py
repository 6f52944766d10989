"""The FAQ bot and its handoff to people: a customer's messages answered from the vault
(`engine.bot` decides), the queue of handed-off chats, the agent who takes one and replies,
a callback work order out of hours, and every closed conversation stored as a contact that
auto-QA scores like any other.

Every message is a row written before anyone is told of it, so a reload on either side
loses nothing: both pages read the conversation back from the rows.
"""

from __future__ import annotations

import secrets
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lingting.core.models import Agent, User
from lingting.core.services import system_user
from lingting.engine.bot import (
    BotAction,
    BotDecision,
    HandoffReason,
    asks_for_person,
    bot_decision,
)
from lingting.engine.contacts import contact_from_record
from lingting.engine.reader import ParsedLine
from lingting.interactions.models import Contact
from lingting.interactions.services.importing import contacts_import
from lingting.knowledge.models import (
    Article,
    BotConversation,
    BotMessage,
    BotReply,
    BotSender,
    ConversationState,
    TrainingPair,
)
from lingting.knowledge.permissions import may_answer_chats
from lingting.knowledge.selectors.suggestions import vault_matcher
from lingting.quality.services.scorecards import scorecard_version_ensure_current
from lingting.quality.tasks import score_after_import
from lingting.workorders.models import WorkOrderType
from lingting.workorders.services.creation import workorder_create

MAX_MESSAGE_CHARS = 1000
BOT_USERNAME = "lingting-bot"  # the work orders a customer asks for out of hours are its
CALLBACK_ORDER_TYPE = "consultation"  # 业务咨询, with a phone field (workorders.seeds)
_TOP = 5


class ChatError(ValidationError):
    """A message or step the conversation cannot take; the message says why."""


def conversation_start() -> BotConversation:
    conversation = BotConversation.objects.create(token=secrets.token_urlsafe(32))
    _say(conversation, BotSender.BOT, _("您好，我是智能客服，请问有什么可以帮您？"))
    return conversation


def customer_say(conversation: BotConversation, text: str) -> list[BotMessage]:
    """Store what the customer wrote, and the bot's reply while the bot is answering.
    Returns the new messages."""
    text = _message_text(text)
    with transaction.atomic():
        conversation = BotConversation.objects.select_for_update().get(pk=conversation.pk)
        if conversation.state == ConversationState.CLOSED:
            raise ChatError(_("对话已结束，请重新开始"))
        said = _say(conversation, BotSender.CUSTOMER, text)
        if conversation.state != ConversationState.BOT:
            conversation.save(update_fields=["last_activity_at"])
            return [said]
        return [said, *_bot_reply(conversation, said)]


def conversation_callback(conversation: BotConversation, *, phone: str, note: str) -> BotMessage:
    """Out of hours: the customer's number becomes a work order asking for a call back."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if not 7 <= len(digits) <= 15:
        raise ChatError(_("请填写正确的联系电话"))
    with transaction.atomic():
        conversation = BotConversation.objects.select_for_update().get(pk=conversation.pk)
        if conversation.state != ConversationState.AFTER_HOURS:
            raise ChatError(_("现在可以直接转人工，无需留电话"))
        asked = _customer_texts(conversation)
        order = workorder_create(
            actor=_bot_user(),
            order_type=WorkOrderType.objects.get(code=CALLBACK_ORDER_TYPE),
            title=_("在线客服留言回电：%(q)s") % {"q": (asked[0] if asked else note)[:40]},
            description="\n".join([*asked, note.strip()]).strip(),
            fields={"phone": digits},
        )
        conversation.callback_phone, conversation.workorder = digits, order
        reply = _say(
            conversation,
            BotSender.SYSTEM,
            _("已记录，工单号 %(number)s。人工客服上班后会尽快给您回电。")
            % {"number": order.number},
        )
        _close(conversation)
    return reply


def chat_accept(*, agent: User, conversation: BotConversation) -> BotConversation:
    """`agent` takes a waiting conversation; the customer is told who joined."""
    _require_agent(agent)
    with transaction.atomic():
        conversation = BotConversation.objects.select_for_update().get(pk=conversation.pk)
        if conversation.state != ConversationState.WAITING:
            raise ChatError(_("这个对话已被接入或已结束"))
        conversation.state, conversation.agent = ConversationState.HUMAN, agent
        conversation.accepted_at = timezone.now()
        conversation.save()
        _say(
            conversation,
            BotSender.SYSTEM,
            _("人工客服%(name)s已接入，将为您服务。") % {"name": agent_label(agent)},
        )
    return conversation


def agent_say(
    *, agent: User, conversation: BotConversation, text: str, article: Article | None = None
) -> BotMessage:
    """The agent's reply; with `article` (answered from the vault), the customer's question
    and that article become a training pair — and the bot's own answer to it, if it gave
    another, a pair that says it was wrong."""
    text = _message_text(text)
    with transaction.atomic():
        conversation = BotConversation.objects.select_for_update().get(pk=conversation.pk)
        if conversation.state != ConversationState.HUMAN or conversation.agent_id != agent.pk:
            raise PermissionDenied(_("只有接入这个对话的客服可以回复"))
        message = _say(conversation, BotSender.AGENT, text, article=article, author=agent)
        conversation.save(update_fields=["last_activity_at"])
        if article is not None:
            _learn(conversation, article, agent)
    return message


def chat_close(*, conversation: BotConversation, agent: User | None = None) -> BotConversation:
    """End the conversation (the customer, or the agent who has it) and store it as a
    contact, scored by auto-QA."""
    with transaction.atomic():
        conversation = BotConversation.objects.select_for_update().get(pk=conversation.pk)
        if agent is not None and conversation.agent_id != agent.pk:
            raise PermissionDenied(_("只有接入这个对话的客服可以结束它"))
        if conversation.state == ConversationState.CLOSED:
            return conversation
        _say(conversation, BotSender.SYSTEM, _("对话已结束，感谢您的咨询。"))
        _close(conversation)
    return conversation


def chats_close_idle(*, now: datetime, idle: timedelta, waiting: timedelta) -> int:
    """End the conversations nobody has written in for `idle` (a customer who closed the
    page, an agent who forgot) — `waiting` for those still in the queue — so that every
    conversation becomes a contact. How many were ended."""
    stale = BotConversation.objects.filter(
        Q(last_activity_at__lt=now - idle) & ~Q(state__in=_NOT_IDLE)
        | Q(state=ConversationState.WAITING, last_activity_at__lt=now - waiting)
    )
    ended = 0
    for conversation in stale.iterator():
        with transaction.atomic():
            conversation = BotConversation.objects.select_for_update().get(pk=conversation.pk)
            if conversation.state == ConversationState.CLOSED:
                continue
            _say(conversation, BotSender.SYSTEM, _("长时间没有新消息，对话已自动结束。"))
            _close(conversation)
            ended += 1
    return ended


def agent_label(agent: User) -> str:
    """How the customer sees who answers: name and staff number (工号)."""
    code = Agent.objects.filter(user=agent).values_list("code", flat=True).first()
    return f"{agent.display_name}（{code}）" if code else agent.display_name


def within_human_hours(moment: datetime) -> bool:
    opens, closes = (time.fromisoformat(t) for t in settings.LINGTING_BOT_HOURS.split("-"))
    now = timezone.localtime(moment).time()
    return opens <= now < closes


def _bot_reply(conversation: BotConversation, question: BotMessage) -> list[BotMessage]:
    said = _customer_texts(conversation)
    vault = vault_matcher(timezone.localdate())
    matches = vault.matcher.match(said[-1], _TOP) if vault else []
    last = conversation.messages.filter(sender=BotSender.BOT).last()
    decision = bot_decision(
        said,
        matches,
        failures=conversation.failures,
        answered_last=bool(last and last.article_id),
    )
    conversation.failures += decision.failed
    if decision.action is BotAction.ANSWER:
        assert decision.answer is not None
        assert vault is not None
        article = vault.articles[str(decision.answer.kb_id)]
        reply = _say(
            conversation,
            BotSender.BOT,
            _answer_text(article),
            reply=BotReply.ANSWERED,
            replying_to=question,
            article=article,
            score=decision.answer.score,
            related=_related(decision, vault.articles),
        )
        conversation.save(update_fields=["failures", "last_activity_at"])
        return [reply]
    if decision.action is BotAction.REPHRASE:
        reply = _say(
            conversation,
            BotSender.BOT,
            _("抱歉，我不太确定您的问题，能换个说法吗？您是不是想问："),
            reply=BotReply.REPHRASE,
            replying_to=question,
            related=_related(decision, vault.articles if vault else {}),
        )
        conversation.save(update_fields=["failures", "last_activity_at"])
        return [reply]
    return _hand_off(conversation, decision, question)


def _hand_off(
    conversation: BotConversation, decision: BotDecision, question: BotMessage
) -> list[BotMessage]:
    assert decision.reason is not None
    conversation.handoff_reason = decision.reason.value
    conversation.handoff_at = timezone.now()
    if within_human_hours(conversation.handoff_at):
        conversation.state = ConversationState.WAITING
        text = str(_HANDOFF_TEXTS[decision.reason])
    else:
        conversation.state = ConversationState.AFTER_HOURS
        text = _("现在是非人工服务时间（%(hours)s）。请留下您的电话，我们上班后给您回电。") % {
            "hours": settings.LINGTING_BOT_HOURS
        }
    unanswered = decision.reason in (HandoffReason.LOW_CONFIDENCE, HandoffReason.FAILED_TWICE)
    reply = _say(
        conversation,
        BotSender.SYSTEM,
        text,
        reply=BotReply.UNANSWERED if unanswered else BotReply.HANDOFF,
        replying_to=question,
    )
    conversation.save()
    return [reply]


def _learn(conversation: BotConversation, article: Article, agent: User) -> None:
    questions = conversation.messages.filter(sender=BotSender.CUSTOMER).order_by("-pk")
    question = next((m for m in questions if not asks_for_person(m.text)), None)
    if question is None:
        return
    answered = (
        conversation.messages.filter(
            sender=BotSender.BOT, pk__gt=question.pk, article__isnull=False
        )
        .order_by("pk")
        .first()
    )
    TrainingPair.objects.get_or_create(
        question=question.text[:500],
        article=article,
        defaults={
            "bot_article": answered.article if answered else None,
            "conversation": conversation,
            "confirmed_by": agent,
        },
    )


def _close(conversation: BotConversation) -> None:
    conversation.state = ConversationState.CLOSED
    conversation.closed_at = timezone.now()
    conversation.contact_id = _store_as_contact(conversation)
    conversation.save()


def _store_as_contact(conversation: BotConversation) -> int | None:
    """The conversation as a chat contact, in the interaction format, through the import
    that every contact takes (search index, scoring)."""
    messages = list(conversation.messages.order_by("pk"))
    if not any(m.sender == BotSender.CUSTOMER for m in messages):
        return None
    started = conversation.started_at
    external_id = f"BOT-{conversation.pk:08d}"
    code = (
        Agent.objects.filter(user_id=conversation.agent_id).values_list("code", flat=True).first()
        if conversation.agent_id
        else None
    )
    record = {
        "id": external_id,
        "channel": "chat",
        "direction": "inbound",
        "queue": settings.LINGTING_BOT_QUEUE,
        "agent_id": code,
        "started_at": started.isoformat(),
        "answered_at": started.isoformat(),
        "ended_at": (conversation.closed_at or timezone.now()).isoformat(),
        "tags": [
            "在线客服",
            *([conversation.handoff_reason] if conversation.handoff_reason else []),
        ],
        # Without times, as FORMATS.md allows for chats: rules on speech timing (speed,
        # silence) are "not applicable" to typed messages.
        "turns": [{"speaker": m.sender, "text": m.text} for m in messages],
    }
    contact = contact_from_record(
        {k: v for k, v in record.items() if v is not None}, tz=timezone.get_default_timezone()
    )
    scorecard_version_ensure_current()  # a new center's first chat finds one to score with
    # Scored by the task worker once this commits, like an imported contact: closing a chat
    # never waits for the scorecard.
    contacts_import(
        lines=[ParsedLine(1, contact)],
        on_stored=score_after_import(in_process=False),
        in_process=True,
    )
    return Contact.objects.filter(external_id=external_id).values_list("pk", flat=True).first()


def _say(
    conversation: BotConversation,
    sender: str,
    text: str,
    *,
    reply: str = "",
    replying_to: BotMessage | None = None,
    article: Article | None = None,
    score: float | None = None,
    related: list[dict[str, str]] | None = None,
    author: User | None = None,
) -> BotMessage:
    return BotMessage.objects.create(
        conversation=conversation,
        sender=sender,
        text=text,
        reply=reply,
        replying_to=replying_to,
        article=article,
        score=score,
        related=related or [],
        author=author,
    )


def _answer_text(article: Article) -> str:
    assert article.live is not None
    content = article.live.as_content()
    return content.body or "\n".join(step.say for step in content.steps)


def _related(decision: BotDecision, articles: dict[str, Article]) -> list[dict[str, str]]:
    return [
        {"code": code, "title": articles[code].title}
        for code in (str(match.kb_id) for match in decision.related)
        if code in articles
    ]


def _customer_texts(conversation: BotConversation) -> list[str]:
    return list(
        conversation.messages.filter(sender=BotSender.CUSTOMER)
        .order_by("pk")
        .values_list("text", flat=True)
    )


def _message_text(text: str) -> str:
    text = text.replace("\x00", "").strip()
    if not text:
        raise ChatError(_("请输入内容"))
    if len(text) > MAX_MESSAGE_CHARS:
        raise ChatError(_("消息太长，请分几次发送"))
    return text


def _bot_user() -> User:
    """The account the bot's work orders are taken under."""
    return system_user(username=BOT_USERNAME, name="智能客服")


def _require_agent(user: User) -> None:
    if not may_answer_chats(user):
        raise PermissionDenied(_("你不能接待在线客服对话"))


# Closed already, or in the queue (judged by `waiting`): not ended for being idle.
_NOT_IDLE = (ConversationState.CLOSED, ConversationState.WAITING)
_HANDOFF_TEXTS = {
    HandoffReason.ASKED: gettext_lazy("好的，正在为您转接人工客服，请稍候。"),
    HandoffReason.ANGRY: gettext_lazy("非常抱歉给您带来不好的体验，马上为您转接人工客服。"),
    HandoffReason.LOW_CONFIDENCE: gettext_lazy(
        "这个问题我暂时回答不了，正在为您转接人工客服，请稍候。"
    ),
    HandoffReason.FAILED_TWICE: gettext_lazy("抱歉没能帮到您，正在为您转接人工客服，请稍候。"),
}
