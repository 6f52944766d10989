"""An agent works today's callback list (issue 17, seed 003's zero-usage callbacks): the
list from the menu, a customer's page with the script and the customer's history, the
number to dial, the outcome recorded; a call back needs its time."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from lingting.campaigns.models import CampaignTarget
from lingting.campaigns.services.campaigns import campaign_refresh
from lingting.core.models import Agent
from lingting.interactions.models import Contact
from tests.browser.conftest import open_from_menu, screenshot, sign_in
from tests.web.campaigns.conftest import (  # noqa: F401  (fixtures)
    callers,
    make_campaign,
    make_customer,
    outbound_queue,
)

pytestmark = pytest.mark.browser


def test_an_agent_calls_back_the_customers_on_todays_list(
    live_server: Any,
    page: Page,
    settings: Any,
    callers: dict[str, Agent],  # noqa: F811  (the campaign tests' fixtures)
    make_customer: Any,  # noqa: F811
    make_campaign: Any,  # noqa: F811
    password: str,
) -> None:
    # open all day, so that the test does not depend on the hour it runs at
    settings.LINGTING_CALLING_WINDOW = (time(0), time(0))
    today = timezone.localdate()
    first = make_customer("U100", name="王建国", phone="13800138100", usage_last_month=0)
    make_customer("U101", name="赵丽", phone="13800138101", usage_last_month=0)
    Contact.objects.create(
        external_id="in-1",
        customer=first,
        channel="voice",
        started_at=timezone.now() - timedelta(days=20),
    )
    campaign = make_campaign(
        starts_on=today - timedelta(days=3),
        ends_on=today + timedelta(days=20),
        call_start=time(0),
        call_end=time(0),
    )
    campaign_refresh(campaign, today=today)
    agent = callers["H01"]
    CampaignTarget.objects.filter(campaign=campaign).update(assigned_to=agent, assigned_on=today)
    user = agent.user
    assert user is not None
    user.set_password(password)
    user.save()

    sign_in(page, live_server.url, user.username, password)
    open_from_menu(page, "运营", "今日回访")
    listing = page.locator("#callback-list")
    expect(listing).to_contain_text("王建国")
    expect(listing).to_contain_text("138****8100")
    screenshot(page, "callback-list")

    listing.get_by_role("row", name="王建国").get_by_role("link", name="回访").click()
    expect(page.locator("#dial-number")).to_have_text("13800138100")
    expect(page.locator("#customer-history")).to_contain_text("没有回访记录")
    page.get_by_label("已接通").check()
    page.get_by_label("未使用原因").select_option(label="不了解如何使用")
    page.get_by_label("客户满意度").select_option("5")
    screenshot(page, "callback-call")
    page.get_by_role("button", name="记录结果").click()
    expect(page.get_by_role("status")).to_contain_text("已记录")
    expect(listing.get_by_role("row", name="王建国")).to_contain_text("已回访")

    listing.get_by_role("row", name="赵丽").get_by_role("link", name="回访").click()
    page.get_by_label("约定回拨", exact=True).check()
    page.get_by_role("button", name="记录结果").click()
    expect(page.locator("#call-form")).to_contain_text("请填写约定回拨时间")
    later = timezone.localtime() + timedelta(days=1)
    page.get_by_label("约定回拨时间").fill(later.strftime("%Y-%m-%dT10:00"))
    page.get_by_role("button", name="记录结果").click()
    expect(page.get_by_role("status")).to_contain_text("已记录")
    called_back = CampaignTarget.objects.get(campaign=campaign, customer__code="U101")
    assert called_back.state == "open"
    assert called_back.next_try_at is not None
    assert timezone.localtime(called_back.next_try_at).hour == 10
