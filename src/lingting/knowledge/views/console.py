"""The agent console for handed-off bot conversations: the queue with waiting times, a
conversation with everything the bot and the customer said and the articles that answer it,
replies (from an article or in the agent's words), and the bot's report."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from lingting.core.params import int_param
from lingting.core.permissions import request_user, require
from lingting.knowledge.models import Article, BotConversation, BotSender
from lingting.knowledge.permissions import may_answer_chats, may_edit_knowledge
from lingting.knowledge.selectors.bot import bot_report, chats_of, messages_after, waiting_queue
from lingting.knowledge.selectors.suggestions import suggestions_for_turns
from lingting.knowledge.services.bot import agent_say, chat_accept, chat_close
from lingting.knowledge.views.bot import message_dict

REPORT_DAYS = 30


def console(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_answer_chats(user))
    return render(request, "knowledge/console.html", _queue_state(user))


@require_GET
def console_queue(request: HttpRequest) -> JsonResponse:
    user = request_user(request)
    require(may_answer_chats(user))
    state = _queue_state(user)
    return JsonResponse(
        {
            "waiting": [_queue_row(c) for c in state["waiting"]],
            "mine": [_queue_row(c) for c in state["mine"]],
        }
    )


def console_chat(request: HttpRequest, conversation_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_answer_chats(user))
    conversation = _conversation(conversation_id)
    customer = [
        (n, m.text)
        for n, m in enumerate(conversation.messages.filter(sender=BotSender.CUSTOMER), start=1)
    ]
    log = list(messages_after(conversation, 0))
    return render(
        request,
        "knowledge/console_chat.html",
        {
            "conversation": conversation,
            "log": log,
            "last_id": log[-1].pk if log else 0,
            "suggestions": suggestions_for_turns(timezone.localdate(), customer, limit=5),
            "mine": conversation.agent_id == user.pk,
        },
    )


@require_GET
def console_messages(request: HttpRequest, conversation_id: int) -> JsonResponse:
    require(may_answer_chats(request_user(request)))
    conversation = _conversation(conversation_id)
    since = int_param(request.GET, "after", 0) or 0
    return JsonResponse(
        {
            "state": conversation.state,
            "messages": [message_dict(m) for m in messages_after(conversation, since)],
        }
    )


@require_POST
def console_accept(request: HttpRequest, conversation_id: int) -> HttpResponse:
    user = request_user(request)
    try:
        chat_accept(agent=user, conversation=_conversation(conversation_id))
    except ValidationError as error:
        return _refused(request, error)
    return redirect("knowledge:console_chat", conversation_id=conversation_id)


@require_POST
def console_say(request: HttpRequest, conversation_id: int) -> HttpResponse:
    user = request_user(request)
    code = request.POST.get("article", "")
    article = Article.objects.filter(code=code).first() if code else None
    try:
        message = agent_say(
            agent=user,
            conversation=_conversation(conversation_id),
            text=request.POST.get("text", ""),
            article=article,
        )
    except ValidationError as error:
        return _refused(request, error)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(message_dict(message))
    return redirect("knowledge:console_chat", conversation_id=conversation_id)


@require_POST
def console_close(request: HttpRequest, conversation_id: int) -> HttpResponse:
    chat_close(conversation=_conversation(conversation_id), agent=request_user(request))
    return redirect("knowledge:console")


def bot_report_page(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_edit_knowledge(user))
    until = timezone.now()
    report = bot_report(until - timedelta(days=REPORT_DAYS), until)
    return render(request, "knowledge/bot_report.html", {"report": report, "days": REPORT_DAYS})


def _queue_state(user: Any) -> dict[str, Any]:
    return {"waiting": list(waiting_queue()[:100]), "mine": list(chats_of(user))}


def _queue_row(conversation: BotConversation) -> dict[str, Any]:
    first = conversation.messages.filter(sender=BotSender.CUSTOMER).first()
    since = conversation.handoff_at or timezone.now()
    waited = (timezone.now() - since).total_seconds()
    return {
        "id": conversation.pk,
        "reason": conversation.get_handoff_reason_display(),
        "waited_s": round(waited),
        "first": first.text[:60] if first else "",
    }


def _conversation(conversation_id: int) -> BotConversation:
    conversation = BotConversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        raise Http404
    return conversation


def _refused(request: HttpRequest, error: ValidationError) -> HttpResponse:
    reason = " ".join(error.messages)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"error": reason}, status=400)
    messages.error(request, reason)
    return redirect("knowledge:console")
