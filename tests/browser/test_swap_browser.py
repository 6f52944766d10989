"""A shift swap in a real browser (issue 14): 李娜 asks 张伟 to take her Wednesday morning
from her schedule page, he accepts on his, and her team leader approves it on the swap list,
where the rule check shows it keeps the roster's rules.

Runs Debian's chromium through Playwright's sync API against pytest-django's live server.
"""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from playwright.sync_api import Page, expect

from lingting.core.models import User
from lingting.workforce.models import ShiftSwap, SwapStatus
from tests.browser.conftest import open_from_menu, screenshot, sign_in
from tests.web.workforce.test_swaps import SATURDAY_BEFORE, put, roster

pytestmark = pytest.mark.browser
__all__ = ["roster"]  # the fixture, shared with the page tests


def test_an_agent_asks_a_colleague_accepts_and_the_team_leader_approves(
    live_server: Any,
    transactional_db: None,
    page: Page,
    org: Any,
    roster: Any,
    agent_li: User,
    agent_zhang: User,
    leader_wang: User,
    password: str,
) -> None:
    li, zhang = org.agents["A1001"], org.agents["A1002"]
    wednesday = put(roster, li, 2)
    put(roster, zhang, 0)
    base = live_server.url
    with time_machine.travel(SATURDAY_BEFORE, tick=True):
        sign_in(page, base, agent_li.username, password)
        open_from_menu(page, "运营", "我的排班")
        page.get_by_label("我的班次").select_option(label="10-14 早 08:00–16:00 ACD-01")
        page.get_by_label("换给同事").select_option(label="张伟 (A1002)")
        page.get_by_label("换班原因").fill("孩子开家长会")
        page.get_by_role("button", name="申请换班").click()
        expect(page.locator("#my-swap-list")).to_contain_text("待对方同意")
        screenshot(page, "swap-requested")

        sign_in(page, base, agent_zhang.username, password)
        expect(page.locator("#unread-count")).to_have_text("1")
        open_from_menu(page, "运营", "我的排班")
        expect(page.locator("#my-swap-list")).to_contain_text("符合排班规则")
        page.locator("#my-swap-list").get_by_role("button", name="同意").click()
        expect(page.locator("#my-swap-list")).to_contain_text("待审批")

        sign_in(page, base, leader_wang.username, password)
        open_from_menu(page, "运营", "换班审批")
        waiting = page.locator("#swap-waiting")
        expect(waiting).to_contain_text("孩子开家长会")
        expect(waiting).to_contain_text("符合排班规则")
        screenshot(page, "swap-approval")
        waiting.get_by_role("button", name="批准", exact=True).click()
        expect(page.locator("#swap-closed")).to_contain_text("已生效")

    wednesday.refresh_from_db()
    assert wednesday.agent == zhang
    assert ShiftSwap.objects.get().status == SwapStatus.APPROVED
