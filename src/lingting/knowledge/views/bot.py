"""The customer's side of the FAQ bot, open to anyone (no sign-in): the chat page a center
embeds on its site or H5 page (`knowledge/bot-widget.js` opens it in a frame), and the small
JSON API the page talks to. A conversation is found by its secret token, sent in the
`X-Lingting-Chat` header (never in a URL, which logs and referrers keep).

That header is also what protects the API from cross-site requests, in place of Django's CSRF
cookie: a page on another site can make a browser send a form or a cookie, not a custom
header (that needs CORS, which Lingting never grants), and the cookie would not even reach a
chat framed on a center's own site (SameSite). So the API views are CSRF-exempt and refuse
any request without the header — starting a conversation included ("new")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.csp import CSP
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from lingting.core.params import int_param
from lingting.knowledge.models import BotConversation, BotMessage, BotSender, ConversationState
from lingting.knowledge.selectors.bot import conversation_by_token, messages_after, queue_position
from lingting.knowledge.services.bot import (
    agent_label,
    chat_close,
    conversation_callback,
    conversation_start,
    customer_say,
)

TOKEN_HEADER = "X-Lingting-Chat"


def _frame_policy() -> dict[str, Any]:
    """The site's policy, but framable by this site and the centers' own sites."""
    policy = dict(settings.SECURE_CSP)
    policy["frame-ancestors"] = [CSP.SELF, *settings.LINGTING_BOT_EMBEDDERS]
    return policy


@login_not_required
@require_GET
@xframe_options_exempt
@csp_override(_frame_policy())
def chat_page(request: HttpRequest) -> HttpResponse:
    return render(request, "knowledge/bot_chat.html")


@login_not_required
@require_GET
def demo_site(request: HttpRequest) -> HttpResponse:
    """A center's page with the widget embedded, as a center would embed it."""
    return render(request, "knowledge/bot_demo.html")


@login_not_required
@csrf_exempt
@require_POST
def chat_start(request: HttpRequest) -> JsonResponse:
    if request.headers.get(TOKEN_HEADER) != "new":
        raise Http404
    conversation = conversation_start()
    return JsonResponse({"token": conversation.token, **_state(conversation, after=0)})


@login_not_required
@require_GET
def chat_messages(request: HttpRequest) -> JsonResponse:
    conversation = _conversation(request)
    return JsonResponse(_state(conversation, after=int_param(request.GET, "after", 0) or 0))


@login_not_required
@csrf_exempt
@require_POST
def chat_say(request: HttpRequest) -> JsonResponse:
    return _after_step(
        request, lambda conversation: customer_say(conversation, request.POST.get("text", ""))
    )


@login_not_required
@csrf_exempt
@require_POST
def chat_callback(request: HttpRequest) -> JsonResponse:
    return _after_step(
        request,
        lambda conversation: conversation_callback(
            conversation, phone=request.POST.get("phone", ""), note=request.POST.get("note", "")
        ),
    )


@login_not_required
@csrf_exempt
@require_POST
def chat_end(request: HttpRequest) -> JsonResponse:
    conversation = chat_close(conversation=_conversation(request))
    return JsonResponse(_state(conversation, after=int_param(request.POST, "after", 0) or 0))


def message_dict(message: BotMessage) -> dict[str, Any]:
    return {
        "id": message.pk,
        "sender": message.sender,
        "text": message.text,
        "who": agent_label(message.author) if message.author else "",
        "at": message.at.isoformat(),
        "related": message.related,
        "article": message.article.code if message.article else None,
    }


def _state(conversation: BotConversation, *, after: int) -> dict[str, Any]:
    conversation.refresh_from_db()
    return {
        "state": conversation.state,
        "position": queue_position(conversation),
        "agent": agent_label(conversation.agent) if conversation.agent else "",
        "messages": [message_dict(m) for m in messages_after(conversation, after)],
        "callback": conversation.state == ConversationState.AFTER_HOURS,
        "customer": BotSender.CUSTOMER,
    }


def _after_step(request: HttpRequest, step: Callable[[BotConversation], object]) -> JsonResponse:
    """Take a customer's step; answer with what is new since their page's last message, or
    with why the step was refused."""
    conversation = _conversation(request)
    try:
        step(conversation)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse(_state(conversation, after=int_param(request.POST, "after", 0) or 0))


def _conversation(request: HttpRequest) -> BotConversation:
    conversation = conversation_by_token(request.headers.get(TOKEN_HEADER, ""))
    if conversation is None:
        raise Http404
    return conversation
