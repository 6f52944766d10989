"""Shift limits (班次限制) in a real browser (issue 14): a planner records that a nursing
mother works no nights — told first, in words, that the law requires the box ticked — and a
team leader can set limits only for her own team's agents.

Runs Debian's chromium through Playwright's sync API against pytest-django's live server.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Page, expect

from lingting.core.models import User
from lingting.workforce.models import ShiftLimit, ShiftTemplate
from tests.browser.conftest import open_from_menu, screenshot, sign_in
from tests.conftest import SHANGHAI

pytestmark = pytest.mark.browser

TODAY = datetime(2026, 10, 15, 9, tzinfo=SHANGHAI)


def fill_limit(page: Page, agent: str, reason: str, *, no_night: bool, note: str) -> None:
    form = page.locator("#shift-limit-form")
    form.get_by_label("坐席").select_option(label=agent)
    form.get_by_label("原因").select_option(label=reason)
    form.get_by_label("不排夜班").set_checked(no_night)
    form.get_by_label("备注").fill(note)
    form.get_by_role("button", name="保存").click()


def test_a_planner_spares_a_nursing_mother_nights_and_a_leader_sees_her_team_only(
    live_server: Any,
    transactional_db: None,
    page: Page,
    org: Any,
    planner_qian: User,
    leader_wang: User,
    password: str,
) -> None:
    for code, hour in (("早", 6), ("中", 14), ("夜", 22)):
        ShiftTemplate.objects.create(
            code=code, name=f"{code}班", start_minutes=hour * 60, length_minutes=480
        )
    base = live_server.url
    with time_machine.travel(TODAY, tick=True):
        sign_in(page, base, planner_qian.username, password)
        open_from_menu(page, "运营", "班次限制")
        expect(page.get_by_role("heading", level=1)).to_have_text("班次限制")
        rows = page.locator("#shift-limit-list tbody tr")
        expect(rows).to_have_text(["没有班次限制。"])

        # Nursing, but the box left unticked: refused with the law's reason, nothing stored.
        fill_limit(
            page,
            "A1001 李娜（一班）",
            "哺乳未满 1 周岁的婴儿（不安排夜班）",
            no_night=False,
            note="产假后返岗",
        )
        form = page.locator("#shift-limit-form")
        expect(form.get_by_role("alert")).to_contain_text("依法不得安排夜班")
        expect(form.get_by_label("备注")).to_have_value("产假后返岗")
        expect(rows).to_have_text(["没有班次限制。"])

        fill_limit(
            page,
            "A1001 李娜（一班）",
            "哺乳未满 1 周岁的婴儿（不安排夜班）",
            no_night=True,
            note="产假后返岗",
        )
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("A1001 李娜")
        expect(rows.first).to_contain_text("哺乳未满 1 周岁的婴儿")
        expect(rows.first).to_contain_text("夜班")
        expect(rows.first).to_contain_text("产假后返岗")
        screenshot(page, "shift-limits-planner")

        # 王芳 leads 一班: only its agents can be chosen; she sees 李娜's limit, not others'.
        sign_in(page, base, leader_wang.username, password)
        open_from_menu(page, "运营", "班次限制")
        choices = page.locator("#shift-limit-form").get_by_label("坐席").locator("option")
        expect(choices).to_have_text(["选择坐席", "A1001 李娜（一班）", "A1003 陈晨（一班）"])
        expect(rows).to_have_count(1)
        fill_limit(page, "A1003 陈晨（一班）", "在读学习时间", no_night=True, note="夜校")
        expect(rows).to_have_count(2)

    limits = {limit.agent.code: limit for limit in ShiftLimit.objects.select_related("agent")}
    assert set(limits) == {"A1001", "A1003"}
    assert limits["A1001"].no_night
    assert limits["A1001"].reason == "nursing"
    assert limits["A1003"].updated_by == leader_wang
