"""Issue 16's handoff, in a real browser: a customer on a center's page opens the bot
widget, gets an answer from the vault, asks for a person and waits in the queue; an agent
in the console takes the chat, sees what the bot and the customer said and the article that
answers it, and replies; the customer sees who answers, reloads without losing a message,
and writes back; the agent reads it and closes the chat, which is stored as a contact."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from lingting.engine.knowledge import article_record
from lingting.interactions.models import Contact
from lingting.knowledge.models import BotConversation
from lingting.knowledge.services.articles import article_import
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import Org

pytestmark = pytest.mark.browser

VAULT = [
    {
        "code": "KB-TEL-1",
        "kind": "answer",
        "title": "怎样查询话费余额",
        "alternates": ["话费还剩多少", "查一下话费余额"],
        "body": "发送短信 CXYE 到 10001 即可查询余额。",
    },
    {
        "code": "KB-TEL-3",
        "kind": "answer",
        "title": "话费为什么突然变多了",
        "alternates": ["这个月话费怎么这么多", "话费多扣了"],
        "body": "请查看账单明细：增值业务和套外流量最常见；有疑问可申请核查。",
    },
]


def test_a_customer_is_handed_from_the_bot_to_an_agent(
    live_server: Any, chromium: Browser, org: Org, password: str, settings: Any
) -> None:
    settings.LINGTING_BOT_HOURS = "00:00-23:59"
    records = [(n, article_record(r)) for n, r in enumerate(VAULT, start=1)]
    article_import(actor=org.users["ops_zhou"], records=records, publish=True)

    phone = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    customer = phone.new_page()
    customer.goto(live_server.url + "/bot/demo/")
    customer.get_by_role("button", name="在线客服").click()
    chat = customer.frame_locator("#lingting-bot")
    expect(chat.get_by_text("您好，我是智能客服")).to_be_visible()
    chat.get_by_label("请输入您的问题").fill("我想查一下话费还剩多少")
    chat.get_by_role("button", name="发送").click()
    expect(chat.get_by_text("发送短信 CXYE 到 10001 即可查询余额。")).to_be_visible()
    chat.get_by_label("请输入您的问题").fill("这个月话费怎么这么多，我要找人工客服")
    chat.get_by_role("button", name="发送").click()
    expect(chat.locator("#chat-status")).to_contain_text("正在为您转接人工客服")
    screenshot(customer, "bot-customer-waiting")

    desk = chromium.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    agent = desk.new_page()
    sign_in(agent, live_server.url, "agent_li", password)
    agent.goto(live_server.url + "/knowledge/console/")
    conversation = BotConversation.objects.get()
    agent.locator(f"#accept-{conversation.pk}").click()
    expect(agent.locator("#console-log")).to_contain_text("我想查一下话费还剩多少")
    expect(agent.locator("#console-log")).to_contain_text("发送短信 CXYE")  # the bot's answer
    agent.locator('.use-article[data-code="KB-TEL-3"]').click()
    expect(agent.locator("#reply-text")).to_have_value(
        "请查看账单明细：增值业务和套外流量最常见；有疑问可申请核查。"
    )
    agent.locator("#send-reply").click()
    screenshot(agent, "bot-agent-console")

    expect(chat.locator("#chat-status")).to_contain_text("李娜（A1001）为您服务")
    expect(chat.get_by_text("请查看账单明细")).to_be_visible()
    customer.reload()  # nothing is lost: the conversation is read back from the server
    customer.get_by_role("button", name="在线客服").click()
    expect(chat.get_by_text("请查看账单明细")).to_be_visible()
    expect(chat.get_by_text("我想查一下话费还剩多少")).to_be_visible()
    chat.get_by_label("请输入您的问题").fill("明白了，谢谢")
    chat.get_by_role("button", name="发送").click()

    expect(agent.locator("#console-log")).to_contain_text("明白了，谢谢")
    agent.locator("#close-chat").click()
    expect(chat.locator("#chat-status")).to_contain_text("对话已结束")
    screenshot(customer, "bot-customer-closed")
    conversation.refresh_from_db()
    contact = Contact.objects.get(pk=conversation.contact_id)
    assert contact.channel == "chat"
    assert contact.turns.filter(speaker="agent", text__startswith="请查看账单明细").exists()
    phone.close()
    desk.close()
