"""A customer answers the SMS survey's H5 page on a phone (issue 17): the link from the
invitation opens without a login, fits a 390 px screen, takes a tapped score and a comment,
thanks the customer, and refuses a second answer."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lingting.surveys.gateways import FakeGateway
from lingting.surveys.models import SurveyPlan, SurveyResponse
from lingting.surveys.services.invitations import survey_invitations_decide
from lingting.surveys.services.sending import survey_invitations_send
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
# No quiet hours: the invitation goes at once whatever the time the tests run (real time,
# for the live server), never held till 08:00.
ANY_HOUR = {"quiet_start": time(0), "quiet_end": time(0)}


def invitation_link(make_contact: Any) -> str:
    """The H5 link of the invitation sent after a call that ended a few minutes ago."""
    now = timezone.now()
    make_contact(
        queue="ACD-01",
        started_at=now - timedelta(minutes=9),
        ended_at=now - timedelta(minutes=6),
        disposition="answered",
        extra={"customer_phone": "13812345678"},
    )
    survey_invitations_decide(now=now)
    FakeGateway.sent.clear()
    survey_invitations_send(now=now, gateway=FakeGateway())
    [message] = FakeGateway.sent
    return message.link


def test_a_customer_answers_the_survey_on_a_phone(
    live_server: Any, chromium: Any, make_contact: Any, settings: Any
) -> None:
    settings.LINGTING_PUBLIC_URL = live_server.url
    SurveyPlan.objects.create(
        name="短信满意度",
        question="您对刚才的服务满意吗？点击 {link} 评价，回复TD退订",
        **ANY_HOUR,
    )
    link = invitation_link(make_contact)

    context = chromium.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.goto(link)
    expect(page.get_by_role("heading", name="服务评价")).to_be_visible()
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    page.get_by_text("不满意", exact=True).click()
    page.get_by_label("还有什么想告诉我们的？（可不填）").fill("等了很久才接通")
    screenshot(page, "survey-phone")
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_role("status")).to_contain_text("感谢您的评价")

    page.goto(link)
    expect(page.get_by_role("alert")).to_contain_text("已经填写过了")
    context.close()

    response = SurveyResponse.objects.get()
    assert (response.score, response.comment) == (2, "等了很久才接通")


def test_a_customer_answers_an_nps_survey_on_a_phone(
    live_server: Any, chromium: Any, make_contact: Any, settings: Any
) -> None:
    settings.LINGTING_PUBLIC_URL = live_server.url
    SurveyPlan.objects.create(
        name="推荐意愿",
        question="您有多大可能向亲友推荐我们？点击 {link}",
        asks="nps",
        scale=10,
        **ANY_HOUR,
    )
    link = invitation_link(make_contact)

    context = chromium.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.goto(link)
    expect(page.get_by_text("0 = 不可能推荐，10 = 非常愿意推荐")).to_be_visible()
    choices = page.locator("input[name=score]")
    expect(choices).to_have_count(11)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    # Eleven choices in two rows of six, each wide enough for a thumb.
    boxes = [page.locator(".score").nth(n).bounding_box() for n in (0, 5, 6, 10)]
    rows = [box["y"] for box in boxes if box is not None and box["width"] >= 44]
    assert rows[0] == rows[1] < rows[2] == rows[3]
    page.get_by_role("radio", name="0", exact=True).check()
    screenshot(page, "survey-nps-phone")
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_role("status")).to_contain_text("感谢您的评价")
    context.close()

    response = SurveyResponse.objects.get()
    assert (response.question, response.score, response.scale) == ("nps", 0, 10)
