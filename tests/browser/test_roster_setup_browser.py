"""Setting up a 24-hour center from nothing in a real browser (issue 14): the planner adds the
早/中/夜 shifts (and is told why a shift that makes no sense is not added), gives the agents
their pools, records leave, spreads four teams over 四班三运转 and previews it; a team leader
records leave for their own team only; then the planner builds next week's roster from those
settings and sees the leave kept and no night followed by a morning.

Runs Debian's chromium through Playwright's sync API against pytest-django's live server.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Locator, Page, expect

from lingting.calendars.services import calendar_load
from lingting.core.models import Agent, Team, User
from lingting.interactions.models import Queue
from tests.browser.conftest import open_from_menu, screenshot, sign_in
from tests.conftest import SHANGHAI
from tests.workforce_forecasts import one_agent_around_the_clock

pytestmark = pytest.mark.browser

TODAY = datetime(2026, 10, 15, 9, tzinfo=SHANGHAI)  # a Thursday
WEEK_FIRST = date(2026, 10, 19)  # the Monday after: the week the planner rosters
WEEK_DAYS = [WEEK_FIRST + timedelta(days=n) for n in range(7)]
CYCLE = "早早中中夜夜休休"


def prepare_center(org: Any) -> None:
    """What the setup pages do not enter: the teams and agents (from the HR import), an
    English pool, and a forecast of one call every half hour around the clock for the
    24-hour hotline 话费查询, staffed to the service level alone."""
    calendar_load(year=2026)
    for code, name, agent_code, agent_name in (
        ("T03", "三班", "A3001", "赵雷"),
        ("T04", "四班", "A4001", "周敏"),
    ):
        team = Team.objects.create(code=code, name=name)
        Agent.objects.create(code=agent_code, name=agent_name, team=team)
    Queue.objects.create(code="ACD-EN", name="英语服务")
    queue = org.queues["ACD-01"]
    one_agent_around_the_clock(queue, WEEK_FIRST, days=7)


def add_shift(page: Page, code: str, name: str, start: str, length: str) -> None:
    form = page.locator("#shift-form")
    form.get_by_label("班次代码").fill(code)
    form.get_by_label("名称").fill(name)
    form.get_by_label("开始").fill(start)
    form.get_by_label("时长（时:分）").fill(length)
    form.get_by_role("button", name="添加").click()


def set_up_shifts(page: Page) -> None:
    open_from_menu(page, "运营", "班次设置")
    expect(page.get_by_role("heading", level=1)).to_have_text("班次设置")
    expect(page.locator("#shift-list")).to_contain_text("还没有班次")

    add_shift(page, "早", "早班", "06:00", "8:00")
    expect(page.get_by_role("status")).to_have_text("已添加班次 早")
    add_shift(page, "中", "中班", "14:00", "8:00")
    # The night typed with a Chinese keyboard's full-width colon.
    add_shift(page, "夜", "夜班", "22：00", "8:00")
    expect(page.get_by_role("status")).to_have_text("已添加班次 夜")

    # A night that ends when it starts: refused under the length, what was typed kept.
    add_shift(page, "大夜", "大夜班", "22:00", "0:00")
    form = page.locator("#shift-form")
    expect(form.get_by_role("alert")).to_have_text("请按提示修改后再保存")
    expect(form.locator(".field-error")).to_have_text("时长须大于 0 且不超过 16 小时")
    expect(form.get_by_label("班次代码")).to_have_value("大夜")
    expect(form.get_by_label("开始")).to_have_value("22:00")
    # A code already in use: refused under the code.
    add_shift(page, "早", "早班二", "07:00", "8:00")
    expect(form.locator(".field-error")).to_have_text("班次 早 已存在")
    # Time that is not a clock time.
    add_shift(page, "晚", "晚班", "晚上八点", "8:00")
    expect(form.locator(".field-error")).to_have_text("请写成 时:分，如 08:00")

    rows = page.locator("#shift-list tbody tr")
    expect(rows).to_have_count(3)  # nothing of the refused three was stored
    expect(page.locator("#shift-早")).to_contain_text("06:00–14:00")
    expect(page.locator("#shift-中")).to_contain_text("14:00–22:00")
    expect(page.locator("#shift-夜")).to_contain_text("22:00–06:00")
    expect(page.locator("#shift-夜")).to_contain_text("8:00")
    expect(page.locator("#shift-夜")).to_contain_text("启用")
    screenshot(page, "setup-shifts")


def set_up_skills(page: Page) -> None:
    open_from_menu(page, "运营", "坐席技能")
    expect(page.get_by_role("heading", level=1)).to_have_text("坐席技能")
    levels = {"A1001": "1", "A1002": "2", "A1003": "2", "A3001": "1", "A4001": "3"}
    for agent, level in levels.items():
        page.get_by_label(f"{agent} ACD-01").select_option(level)
    page.get_by_label("A1003 ACD-EN").select_option("1")  # 陈晨 answers in English too
    page.get_by_role("button", name="保存技能").click()
    expect(page.get_by_role("status")).to_have_text("已保存 5 名坐席的技能")

    # Read back after the save, one team at a time: 一班's bilingual agent has both pools.
    page.locator("#skill-team").select_option(label="一班")
    page.get_by_role("button", name="查看").click()
    matrix = page.locator("#skill-matrix tbody tr")
    expect(matrix).to_have_count(2)
    expect(page.get_by_label("A1003 ACD-01")).to_have_value("2")
    expect(page.get_by_label("A1003 ACD-EN")).to_have_value("1")
    expect(page.get_by_label("A1001 ACD-EN")).to_have_value("")
    expect(page.get_by_label("A1003 ACD-02")).to_have_value("")
    screenshot(page, "setup-skills")


def record_leave(page: Page, agent: str, day: date, kind: str, note: str) -> None:
    form = page.locator("#absence-form")
    form.get_by_label("坐席").select_option(label=agent)
    form.get_by_label("第一天").fill(day.isoformat())
    form.get_by_label("最后一天").fill(day.isoformat())
    form.get_by_label("类型").select_option(label=kind)
    form.get_by_label("备注").fill(note)
    form.get_by_role("button", name="登记").click()


def leave_rows(page: Page) -> Locator:
    return page.locator("#absence-list tbody tr")


def the_planner_records_leave(page: Page) -> None:
    open_from_menu(page, "运营", "请假")
    expect(page.get_by_role("heading", level=1)).to_have_text("请假")
    expect(leave_rows(page)).to_have_text(["这段日期没有请假。"])
    # 张伟 (二班) is off on Wednesday, a night of his team's rotation.
    record_leave(page, "A1002 张伟（二班）", WEEK_DAYS[2], "年假", "回老家")
    expect(page.get_by_role("status")).to_contain_text("张伟")
    expect(leave_rows(page)).to_have_count(1)
    expect(leave_rows(page).first).to_contain_text("A1002 张伟")
    expect(leave_rows(page).first).to_contain_text("2026-10-21")
    expect(leave_rows(page).first).to_contain_text("年假")

    # The same day again overlaps: refused with the reason, nothing added.
    record_leave(page, "A1002 张伟（二班）", WEEK_DAYS[2], "病假", "重复")
    expect(page.locator("#absence-form").get_by_role("alert")).to_have_text(
        "张伟 (A1002) 在 2026-10-21 至 2026-10-21 已有年假，与这次请假重叠"
    )
    expect(leave_rows(page)).to_have_count(1)
    screenshot(page, "setup-leave-planner")


def the_team_leader_records_leave_for_their_team_only(page: Page, base: str) -> None:
    open_from_menu(page, "运营", "请假")
    agents = page.locator("#absence-form").get_by_label("坐席").locator("option")
    # 王芳 leads 一班: only its agents can be chosen, not 张伟 of 二班 nor anyone else.
    expect(agents).to_have_text(["选择坐席", "A1001 李娜（一班）", "A1003 陈晨（一班）"])
    # Nor is 二班's leave listed to her, nor can she filter by another team.
    expect(leave_rows(page)).to_have_text(["这段日期没有请假。"])
    expect(page.locator("#absence-filters").get_by_label("班组").locator("option")).to_have_text(
        ["全部", "一班"]
    )
    # 陈晨 is at a training on Friday, a night of 一班's rotation.
    record_leave(page, "A1003 陈晨（一班）", WEEK_DAYS[4], "培训", "新系统培训")
    expect(leave_rows(page)).to_have_count(1)
    expect(leave_rows(page).first).to_contain_text("A1003 陈晨")
    expect(leave_rows(page).first).to_contain_text("2026-10-23")
    expect(leave_rows(page).first).to_contain_text("王芳")
    screenshot(page, "setup-leave-leader")
    # The shifts, skills and rotations are the planner's: not in her menu, refused by address.
    nav = page.get_by_role("navigation", name="主导航")
    nav.get_by_role("button", name="运营").hover()
    expect(nav.get_by_role("link", name="请假")).to_be_visible()
    expect(nav.get_by_role("link", name="班次设置")).to_have_count(0)
    response = page.goto(base + "/workforce/shifts/")
    assert response is not None
    assert response.status == 403


def team_row(table: Locator, team: str) -> Locator:
    return table.locator("tbody tr").filter(has=table.page.get_by_text(team, exact=True))


def set_up_rotation(page: Page) -> None:
    open_from_menu(page, "运营", "轮班")
    expect(page.locator("#rotation-list")).to_contain_text("还没有轮班。")
    page.get_by_role("link", name="新增轮班").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("新增轮班")
    page.get_by_label("名称").fill("四班三运转")
    expect(page.get_by_label(re.compile("^循环"))).to_have_value(CYCLE)  # offered as the default
    page.get_by_label("起算日").fill(WEEK_FIRST.isoformat())
    for team in ("一班", "二班", "三班", "四班"):
        page.get_by_label(team, exact=True).check()
    page.get_by_role("button", name="均匀分布相位").click()

    for team, offset in (("一班", "0"), ("二班", "2"), ("三班", "4"), ("四班", "6")):
        expect(page.get_by_label(f"{team} 的相位（天）")).to_have_value(offset)
    expect(page.locator("#rotation-cover")).to_contain_text("24 小时覆盖")
    expect(page.locator("#rotation-rest")).to_have_text("最短休息 16 小时")
    # From today (10-15, four days before the anchor) each team walks the cycle from its
    # phase less four: 一班 (phase 0) is on day 4 today, a night.
    days = page.locator("#rotation-days")
    first_team = team_row(days, "一班").locator("td")
    expect(first_team.first).to_have_text("夜")
    assert first_team.all_inner_texts()[:8] == list(CYCLE[4:] + CYCLE[:4])
    expect(team_row(days, "二班").locator("td").first).to_have_text("休")  # day 6
    expect(team_row(days, "三班").locator("td").first).to_have_text("早")  # day 0
    expect(team_row(days, "四班").locator("td").first).to_have_text("中")  # day 2
    # October: 31 days, 6 worked in 8, counted from each team's phase on 10-01 (anchor less
    # 18 days): 一班 23 shifts of 8 hours, 二班 24, 三班 23, 四班 23, against 166.64 h.
    # The statutory holiday hours: National Day's statutory days (10-01..03; the bridged days
    # off after them are not statutory) are 3 × 24 h, which the four teams cover once between
    # them, less 10-01 00:00–06:00, the end of the night that started on 09-30 and counts in
    # September.
    hours = page.locator("#rotation-hours")
    october = hours.locator("tbody tr").filter(has_text="2026-10")
    expect(october).to_have_count(4)
    holiday = [float(text) for text in october.locator("td:nth-child(6)").all_inner_texts()]
    assert sum(holiday) == 3 * 24 - 6
    for team, worked, over in (
        ("一班", "184", "17.36"),
        ("二班", "192", "25.36"),
        ("三班", "184", "17.36"),
        ("四班", "184", "17.36"),
    ):
        row = hours.locator("tbody tr").filter(has_text="2026-10").filter(has_text=team)
        cells = row.locator("td")
        expect(cells.nth(2)).to_have_text(worked)
        expect(cells.nth(3)).to_have_text("166.64")
        expect(cells.nth(4)).to_have_text(over)
    screenshot(page, "setup-rotation-preview")

    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_have_text("已保存轮班「四班三运转」")
    open_from_menu(page, "运营", "轮班")
    listed = page.locator("#rotation-list tbody tr")
    expect(listed).to_have_count(1)
    expect(listed.first).to_contain_text("一班（0）、二班（2）、三班（4）、四班（6）")
    expect(listed.first).to_contain_text("24 小时覆盖")


def build_next_week(page: Page) -> dict[str, list[str]]:
    """The roster built for next week from the settings; each agent's code per day."""
    open_from_menu(page, "运营", "排班表")
    expect(page.get_by_label("开始日期")).to_have_value(WEEK_FIRST.isoformat())
    expect(page.get_by_label("结束日期")).to_have_value(WEEK_DAYS[-1].isoformat())
    page.get_by_label("话费查询").check()
    page.get_by_role("button", name="自动排班").click()
    grid = page.locator("#roster-grid")
    expect(grid).to_be_visible()
    expect(page.locator("#roster-status")).to_have_text("草稿")
    expect(page.locator(".page-head")).to_contain_text("求解结果 最优")
    screenshot(page, "setup-roster")
    codes = {}
    for row in grid.locator("tbody tr").all():
        agent = row.get_attribute("data-agent") or ""
        cells = row.locator("td").all_inner_texts()[:7]
        codes[agent] = [cell.split()[0] for cell in cells]
    return codes


def test_the_planner_sets_up_a_center_from_nothing_and_rosters_next_week(
    live_server: Any,
    transactional_db: None,
    page: Page,
    org: Any,
    planner_qian: User,
    leader_wang: User,
    password: str,
) -> None:
    prepare_center(org)
    base = live_server.url
    with time_machine.travel(TODAY, tick=True):
        sign_in(page, base, planner_qian.username, password)
        set_up_shifts(page)
        set_up_skills(page)
        the_planner_records_leave(page)
        set_up_rotation(page)

        sign_in(page, base, leader_wang.username, password)
        the_team_leader_records_leave_for_their_team_only(page, base)

        sign_in(page, base, planner_qian.username, password)
        codes = build_next_week(page)

    # Everyone with a pool is rostered, and the agents on leave are off that day.
    assert set(codes) == {"A1001", "A1002", "A1003", "A3001", "A4001"}
    assert codes["A1002"][2] == "休"  # 张伟's annual leave on Wednesday
    assert codes["A1003"][4] == "休"  # 陈晨's training on Friday
    # The leave is covered: every day of the week still has its morning, middle and night
    # (一班's second agent takes the night 张伟 would have worked).
    for day in range(7):
        assert {days[day] for days in codes.values()} >= {"早", "中", "夜"}, (day, codes)
    # Nobody off a night (06:00) is on the next day's morning or middle shift.
    for agent, days in codes.items():
        for night, next_day in pairwise(days):
            if night == "夜":
                assert next_day in ("夜", "休"), (agent, days)
