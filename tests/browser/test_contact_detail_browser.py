"""In a real browser: sign in, open a contact from the list, see the highlighted evidence.

Runs Debian's chromium (never a downloaded browser) through Playwright's sync API against
pytest-django's live server. Screenshots go to test-results/ (gitignored).
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from lingting.core.models import User
from tests.browser.conftest import screenshot

FORBIDDEN = "你自己去查吧"

pytestmark = pytest.mark.browser


def test_forbidden_phrase_is_highlighted_and_linked_from_its_item(
    live_server: Any,
    transactional_db: None,
    page: Page,
    make_contact: Any,
    agent_li: User,
    password: str,
) -> None:
    item = make_contact.forbidden_phrase_item(2, 0, len(FORBIDDEN), FORBIDDEN)
    for n in range(8):  # some neighbours, so the list looks like a working day
        make_contact(
            agent=("A1001", "A1003")[n % 2],
            score=(96, 88, 73, 58)[n % 4],
            items=[item] if n % 4 == 3 else [],
            fatal=n == 3,
        )
    contact = make_contact(
        "C20261001-000123",
        agent="A1001",
        turns=[
            ("agent", "您好，很高兴为您服务，请问有什么可以帮您？", 0.0, 3.1),
            (
                "customer",
                "我的宽带又断了，上周报修到现在都没人来，我的电话是13812345678。",
                3.4,
                9.8,
            ),
            ("agent", f"{FORBIDDEN}，这个不归我们管。", 10.5, 13.0),
            ("customer", "你这是什么态度？我要投诉！", 13.4, 15.9),
            ("agent", "好的，我帮您登记一下。", 17.0, 19.2),
        ],
        score=55,
        items=[
            make_contact.passed_item("opening", "开头语"),
            item,
            {
                "item": "apology",
                "title": "致歉语",
                "result": "fail",
                "points_lost": 5,
                "severity": "B",
                "detail": "客户抱怨后坐席没有致歉",
                "evidence": [],
            },
            {"item": "accuracy", "title": "信息准确性", "result": "manual", "points_lost": 0},
        ],
        fatal=True,
        customer="U88812",
        rings=2,
        wait_s=6.0,
        talk_s=329.0,
        hangup_by="customer",
        disposition="answered",
        tags=["宽带", "投诉"],
    )

    page.goto(live_server.url + "/")
    page.get_by_label("用户名").fill(agent_li.username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_role("heading", name="联络记录")).to_be_visible()
    screenshot(page, "contact-list")
    page.get_by_role("link", name=contact.external_id).click()

    mark = page.locator("mark#ev-forbidden_phrases-0")
    expect(mark).to_be_visible()
    expect(mark).to_have_text(FORBIDDEN)
    expect(page.locator(".turn-agent mark")).to_have_count(1)
    expect(page.get_by_text("138****5678")).to_be_visible()
    screenshot(page, "contact-detail")

    link = page.locator("#item-forbidden_phrases a.ev-link")
    expect(link).to_have_attribute("href", "#ev-forbidden_phrases-0")
    link.click()
    assert page.url.endswith("#ev-forbidden_phrases-0")
    expect(page.locator("mark:target")).to_have_text(FORBIDDEN)
