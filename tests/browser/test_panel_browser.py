"""A service manager runs the fixed-customer panel (seed 004 篇1) in the browser: the panel
set up from two segments in the menu's 固定客户跟踪, recruited, its quarterly waves
scheduled, a member called and their answer recorded from the wave's list, and the same
customers' movement read on the panel's page once the next quarter's answers are in."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from lingting.campaigns.models import Panel, PanelMember, Segment
from lingting.campaigns.services.panels import AnswerGiven, panel_answer_record
from lingting.core.models import User
from tests.browser.conftest import open_from_menu, screenshot, sign_in
from tests.web.campaigns.conftest import make_customer  # noqa: F401  (a fixture)

pytestmark = pytest.mark.browser


def test_a_manager_sets_up_a_panel_calls_a_member_and_reads_the_movement(
    live_server: Any,
    page: Page,
    make_customer: Any,  # noqa: F811  (the campaign tests' fixture)
    ops_zhou: User,
    password: str,
) -> None:
    for n in range(1, 5):
        make_customer(f"G{n}", name=f"3G客户{n}", phone=f"1860000000{n}", products=["3G"])
    for n in range(1, 3):
        make_customer(f"B{n}", name=f"宽带客户{n}", phone=f"1390000000{n}", products=["宽带"])
    Segment.objects.create(name="3G关键客户", rules="product has 3G")
    Segment.objects.create(name="宽带关键客户", rules="product has 宽带")
    today = timezone.localdate()

    sign_in(page, live_server.url, ops_zhou.username, password)
    open_from_menu(page, "运营", "固定客户跟踪")
    page.get_by_role("link", name="新建固定样本").click()
    page.get_by_label("名称").fill("3G与宽带关键客户跟踪")
    page.get_by_label("3G关键客户", exact=True).check()
    page.get_by_label("宽带关键客户", exact=True).check()
    page.get_by_label("样本量").fill("3")
    screenshot(page, "panel-edit")
    page.get_by_role("button", name="保存").click()

    page.get_by_role("button", name="招募至样本量").click()
    expect(page.get_by_role("status")).to_contain_text("已招募 3 位客户")
    expect(page.locator("#panel-members")).to_contain_text("****")
    page.get_by_label("第一次回访开始日期").fill(today.isoformat())
    page.get_by_role("button", name="按季度安排回访").click()
    expect(page.get_by_role("status")).to_contain_text("已安排 3 次回访")

    page.locator("#panel-waves").get_by_role("link", name="回访清单").first.click()
    calls = page.locator("#wave-calls")
    expect(calls.get_by_role("link", name="回访")).to_have_count(3)
    calls.get_by_role("link", name="回访").first.click()
    page.get_by_label("已回答").check()
    page.get_by_label("总体满意度（1–5）").select_option("3")
    page.get_by_label("网络质量").select_option("2")
    screenshot(page, "panel-call")
    page.get_by_role("button", name="记录回答").click()
    expect(page.get_by_role("status")).to_contain_text("的回答")
    expect(calls).to_contain_text("满意度 3")
    screenshot(page, "panel-wave")

    # next quarter, the same customer says the service got better
    panel = Panel.objects.get()
    member = PanelMember.objects.get(panel=panel, answers__isnull=False)
    second = panel.waves.order_by("opens_on")[1]
    panel_answer_record(
        actor=ops_zhou,
        wave=second,
        member=member,
        given=AnswerGiven(
            outcome="answered", satisfaction=4, aspects={"网络质量": 4}, perception="improved"
        ),
        answered_at=timezone.make_aware(datetime.combine(second.opens_on, time(10))),
    )
    page.get_by_role("link", name=panel.name).click()
    movement = page.locator("#movement-1")
    expect(movement).to_contain_text("3.00 → 4.00")
    expect(movement).to_contain_text("100.0% 感觉服务有提升")
    expect(page.locator("#panel-attrition")).to_contain_text("未开始")
    screenshot(page, "panel-detail")
