"""The FAQ bot with human handoff, as a customer and an agent use it: answers from the
vault, handoff (asked, angry, unsure twice) into a queue, the agent's console, a callback
work order out of hours, every conversation stored and scored as a contact, corrections
kept as training pairs, and the bot's report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from lingting.core.models import User
from lingting.engine.knowledge import article_record
from lingting.interactions.models import Contact
from lingting.knowledge.models import BotConversation, ConversationState, TrainingPair
from lingting.knowledge.services.articles import article_import
from lingting.quality.models import ContactScore
from lingting.workorders.models import WorkOrder
from tests.conftest import Org

ClientFor = Callable[[User], Client]
VAULT: list[dict[str, Any]] = [
    {
        "code": "KB-TEL-1",
        "kind": "answer",
        "title": "怎样查询话费余额",
        "alternates": ["话费还剩多少", "查一下话费余额"],
        "body": "发送短信 CXYE 到 10001 即可查询余额。",
    },
    {
        "code": "KB-TEL-2",
        "kind": "answer",
        "title": "宽带坏了怎么报修",
        "alternates": ["宽带上不了网", "网络断了"],
        "body": "请先重启光猫；仍不能上网请拨 10001 报修。",
    },
    {
        "code": "KB-PWR-1",
        "kind": "answer",
        "title": "家里停电了怎么办",
        "alternates": ["突然没电了"],
        "body": "先检查空气开关；邻居也停电请拨 95598。",
    },
]


@pytest.fixture
def vault(org: Org) -> None:
    records = [(n, article_record(r)) for n, r in enumerate(VAULT, start=1)]
    article_import(actor=org.users["ops_zhou"], records=records, publish=True)


@pytest.fixture
def open_hours(settings: Any) -> None:
    settings.LINGTING_BOT_HOURS = "00:00-23:59"


class Customer:
    """The chat page's calls, as its script makes them."""

    def __init__(self) -> None:
        self.client = Client()
        started = self.client.post("/bot/api/start/", headers={"X-Lingting-Chat": "new"})
        assert started.status_code == 200
        self.token = started.json()["token"]
        self.seen: list[dict[str, Any]] = started.json()["messages"]

    def say(self, text: str) -> dict[str, Any]:
        answer = self.client.post(
            "/bot/api/say/",
            {"text": text, "after": self.last},
            headers={"X-Lingting-Chat": self.token},
        )
        assert answer.status_code == 200, answer.content
        self.seen += answer.json()["messages"]
        return answer.json()

    def poll(self) -> dict[str, Any]:
        body = self.client.get(
            f"/bot/api/messages/?after={self.last}", headers={"X-Lingting-Chat": self.token}
        ).json()
        self.seen += body["messages"]
        return body

    @property
    def last(self) -> int:
        return max(m["id"] for m in self.seen)

    @property
    def conversation(self) -> BotConversation:
        return BotConversation.objects.get(token=self.token)


@pytest.mark.usefixtures("vault", "open_hours")
def test_the_bot_answers_from_the_vault_with_related_questions() -> None:
    customer = Customer()
    state = customer.say("我想查一下话费还剩多少")
    answer = state["messages"][-1]
    assert answer["sender"] == "bot"
    assert answer["article"] == "KB-TEL-1"
    assert "CXYE" in answer["text"]
    assert state["state"] == ConversationState.BOT


@pytest.mark.usefixtures("vault", "open_hours")
def test_asking_for_a_person_queues_the_customer_with_a_position() -> None:
    first, second = Customer(), Customer()
    assert first.say("转人工")["state"] == ConversationState.WAITING
    state = second.say("人工客服在吗")
    assert state["state"] == ConversationState.WAITING
    assert state["position"] == 1
    assert first.poll()["position"] == 0
    assert second.conversation.handoff_reason == "asked"


@pytest.mark.usefixtures("vault", "open_hours")
def test_an_angry_customer_and_an_unanswerable_question_are_handed_off() -> None:
    angry = Customer()
    angry.say("你们到底管不管！！！气死我了")
    assert angry.conversation.handoff_reason == "angry"
    lost = Customer()
    lost.say("我的快递丢了谁来赔")
    assert lost.conversation.handoff_reason == "low_confidence"


@pytest.mark.usefixtures("vault", "open_hours")
@override_settings(
    TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
)
def test_the_agent_takes_the_chat_answers_from_an_article_and_it_is_stored_and_scored(
    client_for: ClientFor, org: Org, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    customer = Customer()
    customer.say("网络断了")  # the bot answers with KB-TEL-2 …
    customer.say("不对，我问的是停电，家里突然没电了")  # … which did not help
    customer.say("转人工")
    conversation = customer.conversation
    agent = client_for(org.users["agent_li"])

    queue = agent.get("/knowledge/console/").content.decode()
    assert f"accept-{conversation.pk}" in queue
    accepted = agent.post(f"/knowledge/console/{conversation.pk}/accept/", follow=True)
    assert accepted.redirect_chain[-1][0] == f"/knowledge/console/{conversation.pk}/", (
        accepted.redirect_chain
    )
    joined = customer.poll()
    assert joined["state"] == ConversationState.HUMAN
    assert joined["agent"] == "李娜（A1001）"
    assert "李娜（A1001）已接入" in joined["messages"][-1]["text"]

    page = agent.get(f"/knowledge/console/{conversation.pk}/").content.decode()
    assert "网络断了" in page  # the whole bot conversation
    assert 'data-code="KB-PWR-1"' in page  # and the article that answers it
    agent.post(
        f"/knowledge/console/{conversation.pk}/say/",
        {"text": "先检查空气开关；邻居也停电请拨 95598。", "article": "KB-PWR-1"},
    )
    reply = customer.poll()["messages"][-1]
    assert reply["sender"] == "agent"
    assert reply["who"] == "李娜（A1001）"

    pair = TrainingPair.objects.get()
    assert pair.article.code == "KB-PWR-1"
    assert pair.question == "不对，我问的是停电，家里突然没电了"
    out = tmp_path / "pairs.tsv"
    call_command("knowledge_pairs", str(out), stdout=StringIO())
    assert out.read_text(encoding="utf-8").splitlines()[0] == (
        "不对，我问的是停电，家里突然没电了\t家里停电了怎么办\t1"
    )

    with django_capture_on_commit_callbacks(execute=True):
        agent.post(f"/knowledge/console/{conversation.pk}/close/")
    conversation.refresh_from_db()
    contact = Contact.objects.get(pk=conversation.contact_id)
    assert contact.channel == "chat"
    assert contact.agent is not None
    assert contact.agent.code == "A1001"
    speakers = list(contact.turns.order_by("index").values_list("speaker", flat=True))
    assert {"bot", "customer", "agent", "system"} <= set(speakers)
    assert ContactScore.objects.filter(contact=contact).exists()


@pytest.mark.usefixtures("vault")
def test_out_of_hours_the_customer_leaves_a_number_and_a_work_order_asks_for_a_call(
    settings: Any, org: Org
) -> None:
    settings.LINGTING_BOT_HOURS = "00:00-00:00"  # no hour is a working hour
    customer = Customer()
    state = customer.say("转人工")
    assert state["callback"] is True
    answer = customer.client.post(
        "/bot/api/callback/",
        {"phone": "138-0013-8000", "note": "想办宽带"},
        headers={"X-Lingting-Chat": customer.token},
    )
    assert answer.status_code == 200
    order = WorkOrder.objects.get()
    assert order.fields["phone"] == "13800138000"
    assert "想办宽带" in order.description
    assert customer.conversation.state == ConversationState.CLOSED


def test_the_api_answers_only_with_the_conversation_token(org: Org) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post("/bot/api/start/").status_code == 404  # no header: a cross-site form
    customer = Customer()
    assert client.get("/bot/api/messages/").status_code == 404
    other = client.get("/bot/api/messages/", headers={"X-Lingting-Chat": "x" * 43})
    assert other.status_code == 404
    mine = client.get("/bot/api/messages/", headers={"X-Lingting-Chat": customer.token})
    assert mine.status_code == 200


def test_the_chat_page_is_open_and_may_be_framed_by_the_centers_site(settings: Any) -> None:
    page = Client().get("/bot/")
    assert page.status_code == 200
    assert "X-Frame-Options" not in page.headers
    assert "frame-ancestors 'self'" in page.headers["Content-Security-Policy"]
    assert "bot-chat.js" in page.content.decode()
    demo = Client().get("/bot/demo/").content.decode()
    assert "bot-widget.js" in demo


@pytest.mark.usefixtures("vault", "open_hours")
def test_the_report_counts_containment_handoffs_unanswered_and_articles(
    client_for: ClientFor, org: Org
) -> None:
    Customer().say("我想查一下话费还剩多少")
    Customer().say("转人工")
    Customer().say("我的快递丢了谁来赔")
    page = client_for(org.users["ops_zhou"]).get("/knowledge/bot/report/").content.decode()
    assert 'id="bot-conversations">3<' in page
    assert 'id="bot-containment">33%<' in page
    assert "客户要求转人工" in page
    assert "我的快递丢了谁来赔" in page
    assert "KB-TEL-1" in page


@pytest.mark.usefixtures("vault", "open_hours")
def test_a_chat_the_customer_walked_away_from_is_ended_and_stored_by_the_hourly_job() -> None:
    left = Customer()
    left.say("我想查一下话费还剩多少")
    queued = Customer()
    queued.say("转人工")
    long_ago = timezone.now() - timedelta(minutes=45)
    BotConversation.objects.update(last_activity_at=long_ago)

    out = StringIO()
    call_command("bot_close_idle", stdout=out)
    assert "1 idle conversations ended" in out.getvalue()
    ended = left.conversation
    assert ended.state == ConversationState.CLOSED
    assert Contact.objects.filter(pk=ended.contact_id, channel="chat").exists()
    assert "长时间没有新消息" in left.poll()["messages"][-1]["text"]
    assert queued.conversation.state == ConversationState.WAITING  # still in the queue
