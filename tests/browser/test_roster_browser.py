"""The planner's week in a real browser (issue 14): from the planning page, forecast a queue
from its stored calls, build next week's roster from the requirement, place the breaks by time
worked, publish it; then the agent is told and reads their shifts and breaks.

Runs Debian's chromium through Playwright's sync API against pytest-django's live server.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Page, expect

from lingting.calendars.services import calendar_load
from lingting.core.models import Agent, User
from lingting.workforce.models import AgentSkill, Roster, RosterBreak, RosterStatus, ShiftTemplate
from tests.browser.conftest import open_from_menu, screenshot, sign_in
from tests.conftest import SHANGHAI
from tests.web.workforce.test_planning import store_history

pytestmark = pytest.mark.browser


def prepare_center(org: Any) -> None:
    calendar_load(year=2026)
    queue = org.queues["ACD-01"]
    store_history(queue)  # weekdays 09:00–17:00 of August and September
    ShiftTemplate.objects.create(code="白", start_minutes=9 * 60, length_minutes=8 * 60)
    ShiftTemplate.objects.create(code="晚", start_minutes=13 * 60, length_minutes=4 * 60)
    extra = Agent.objects.create(code="A200", name="坐席甲", team=org.teams["二班"])
    # Three agents for a queue that needs about three at a time: everyone works.
    for agent in (org.agents["A1001"], org.agents["A1002"], extra):
        AgentSkill.objects.create(agent=agent, queue=queue)


def test_the_planner_builds_and_publishes_a_week_with_breaks(
    live_server: Any,
    transactional_db: None,
    page: Page,
    org: Any,
    planner_qian: User,
    agent_li: User,
    password: str,
) -> None:
    prepare_center(org)
    base = live_server.url
    # The Friday before the week to plan: its defaults are that week, and the agent's
    # schedule page shows it.
    with time_machine.travel(datetime(2026, 9, 25, 15, tzinfo=SHANGHAI), tick=True):
        sign_in(page, base, planner_qian.username, password)
        expect(page.get_by_role("heading", level=1)).to_have_text("人力规划：预测与需求")
        page.get_by_label("预测起始日").fill("2026-09-28")
        page.get_by_label("预测截止日").fill("2026-10-04")
        page.get_by_role("button", name="生成预测").click()
        expect(page.locator("#forecast-bands")).to_be_visible()
        expect(page.locator("#requirement-intervals tbody tr")).to_have_count(16)
        screenshot(page, "planning")

        open_from_menu(page, "运营", "排班表")
        page.get_by_label("开始日期").fill("2026-09-28")
        page.get_by_label("结束日期").fill("2026-10-04")
        page.get_by_label("话费查询").check()
        page.get_by_role("button", name="自动排班").click()
        expect(page.locator("#roster-grid")).to_be_visible()
        expect(page.locator("#roster-status")).to_have_text("草稿")

        page.get_by_label("每个 ACD 组同时休息上限（人）").fill("2")
        page.get_by_role("button", name="安排休息").click()
        expect(page.locator("#roster-grid .break").first).to_be_visible()
        screenshot(page, "roster-with-breaks")
        page.get_by_role("button", name="发布给坐席").click()
        expect(page.locator("#roster-status")).to_have_text("已发布")

        roster = Roster.objects.get()
        assert roster.status == RosterStatus.PUBLISHED
        assert RosterBreak.objects.filter(shift__roster=roster).exists()
        assert roster.shifts.filter(agent__user=agent_li).exists()
        sign_in(page, base, agent_li.username, password)
        expect(page.locator("#unread-count")).to_have_text("1")
        open_from_menu(page, "运营", "我的排班")
        expect(page.locator("#my-schedule")).to_contain_text("休息")
        screenshot(page, "my-schedule")
