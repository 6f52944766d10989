"""Issue 5's acceptance, in a real browser, as a new user would try it, across the 2026
National Day holiday.

An agent takes a complaint from a call on Wednesday 30 September 2026 at 10:00 and
dispatches it to two departments; 营销部 replies, the agent returns the reply (退单) and the
department replies again; the customer calls twice to urge it (催单), each urge raising the
priority and shortening the time limit; with the second the customer threatens to go to the
press, and the order climbs seed 004's escalation ladder, once more when the hourly run finds
it far past its deadline; both departments' replies are accepted, the agent sums up, the
order goes to the callback (回访), the customer is satisfied and the order is closed.

The clock is moved with time-machine (the live server runs in this process, so it sees the
same time), and every deadline the pages show is pinned against the official 2026 calendar
(the State Council's notice, held by the chinesecalendar package): 1–7 October off, Sunday
20 September and Saturday 10 October make-up workdays; office hours 08:30–12:00, 13:30–17:30.

Runs on SQLite, and on PostgreSQL when DATABASE_URL is set.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import Page, expect

from lingting.calendars.services import calendar_load
from lingting.core.models import Role, User
from lingting.workorders.models import Department, WorkOrder
from lingting.workorders.seeds import escalation_ladder_ensure, workorder_types_ensure
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import SHANGHAI

pytestmark = pytest.mark.browser

COMPLAINT_CALL = [
    ("agent", "您好，很高兴为您服务，请问有什么可以帮您？", 0.0, 3.0),
    ("customer", "我们小区停电三天了，报修了好几次都没人来，我要投诉！", 3.5, 9.0),
    ("agent", "非常抱歉给您带来不便，我马上为您登记投诉，请留一个联系电话。", 9.5, 15.0),
    ("customer", "13812345678。", 15.5, 17.0),
]


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    """The wall clock of the test and the live server, starting on the eve of the holiday."""
    with time_machine.travel(at(9, 30, 9, 55), tick=True) as traveller:
        yield traveller


@pytest.fixture
def back_office(password: str) -> dict[str, Department]:
    departments = {}
    for code, name, login in [("D-YX", "营销部", "yx_staff"), ("D-YJ", "运检部", "yj_staff")]:
        staff = User.objects.create_user(login, password=password, role=Role.AGENT)
        departments[code] = Department.objects.create(code=code, name=name, lead=staff)
        departments[code].members.add(staff)
    return departments


def act(page: Page, action: str, reason: str = "") -> None:
    """Take `action` from the order page's action forms, as a user does."""
    form = page.locator(f"#act-{action}")
    if reason:
        form.locator("textarea[name=reason]").fill(reason)
    form.get_by_role("button").click()
    flash = page.locator("li[class^=flash-]").first
    expect(flash).to_be_visible()
    assert flash.get_attribute("class") == "flash-success", flash.inner_text()


def open_order(page: Page, base: str, order: WorkOrder) -> None:
    page.goto(f"{base}/tickets/")
    page.get_by_role("link", name=order.number, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(order.number)


def due_shown(page: Page) -> str:
    return page.locator("#due-at").inner_text().split(" 已超时")[0].split(" 即将超时")[0].strip()


def test_a_complaint_goes_round_the_loop_across_national_day(
    live_server: Any,
    transactional_db: None,
    clock: time_machine.Coordinates,
    page: Page,
    make_contact: Any,
    back_office: dict[str, Department],
    agent_li: User,
    leader_wang: User,
    password: str,
) -> None:
    base = live_server.url
    # the 95598 types and seed 004's ladder (a transactional test starts from a flush)
    workorder_types_ensure()
    escalation_ladder_ensure()
    calendar_load(year=2026)
    contact = make_contact(
        "C20260930-000321",
        customer="CU-95598-001",
        started_at=at(9, 30, 9, 40),
        turns=COMPLAINT_CALL,
    )

    # Wednesday 30 September, 10:00: the agent takes the complaint from the call.
    clock.move_to(at(9, 30, 10, 0))
    sign_in(page, base, agent_li.username, password)
    page.goto(f"{base}/contacts/{contact.pk}/")
    page.get_by_role("link", name="创建工单").click()
    page.get_by_role("link", name="投诉", exact=True).click()
    page.get_by_label("标题").fill("小区停电三天无人处理")
    page.get_by_label("联系电话").fill("13812345678")
    page.get_by_role("button", name="受理").click()
    expect(page.locator("#order-state")).to_have_text("已受理")
    order = WorkOrder.objects.get(parent=None)
    assert (order.contact, order.customer and order.customer.code) == (contact, "CU-95598-001")
    # Five working days: 30 Sep (6 h), the holiday skipped, 8 and 9 Oct, Saturday 10 Oct
    # (a make-up workday), Monday 12 Oct, and 1.5 h of Tuesday 13 Oct.
    assert due_shown(page) == "2026-10-13 10:00"
    expect(page.locator("main")).to_contain_text("138****5678")  # masked for the agent

    # Dispatched to two departments: one child order each, on the parent's clock.
    for name in ("营销部", "运检部"):  # ticked, no Ctrl-click
        page.locator("#act-dispatch").get_by_label(name).check()
    act(page, "dispatch")
    expect(page.locator("#order-state")).to_have_text("已派单")
    children = page.locator("#children tbody tr")
    expect(children).to_have_count(2)
    yx = order.children.get(department=back_office["D-YX"])
    yj = order.children.get(department=back_office["D-YJ"])
    screenshot(page, "workorder-loop-dispatched")

    # Thursday 8 October, the first day back: 营销部 replies; the agent returns the reply.
    clock.move_to(at(10, 8, 9, 0))
    sign_in(page, base, "yx_staff", password)
    open_order(page, base, yx)
    act(page, "reply", "已联系供电所，明日复电")
    expect(page.locator("#order-state")).to_have_text("已回单")

    sign_in(page, base, agent_li.username, password)
    open_order(page, base, yx)
    act(page, "return", "未说明停电原因和复电时间")
    expect(page.locator("#order-state")).to_have_text("已派单")
    expect(page.locator("#returns")).to_have_text("1")

    # The customer calls again at 10:00 and at 15:00: two urges, each raising the priority
    # (一般 → 紧急 → 特急) and shortening the limit, counted from the start (30 Sep 10:00).
    clock.move_to(at(10, 8, 10, 0))
    open_order(page, base, order)
    act(page, "urge", "客户来电催办")
    expect(page.locator("#urges")).to_have_text("1")
    expect(page.locator("main")).to_contain_text("紧急")
    # Two working days: 30 Sep (6 h), 8 Oct (7.5 h), 1.5 h of Friday 9 Oct.
    assert due_shown(page) == "2026-10-09 10:00"

    clock.move_to(at(10, 8, 15, 0))
    open_order(page, base, order)
    page.locator("#act-urge").get_by_label("客户扬言媒体曝光/越级投诉").check()
    act(page, "urge", "客户再次来电，情绪激动，表示要向媒体反映")
    expect(page.locator("#urges")).to_have_text("2")
    expect(page.locator("main")).to_contain_text("特急")
    # One working day: 30 Sep (6 h) and 1.5 h of 8 Oct: already past.
    assert due_shown(page) == "2026-10-08 10:00"
    expect(page.locator("#due-at")).to_contain_text("已超时")
    urged = page.locator("#trail tbody tr", has_text="客户再次来电")
    expect(urged).to_contain_text("催单（客户来电）")
    expect(urged).not_to_contain_text("→")  # an urge leaves the stage as it was
    # The second urge (and the threat) put it on the first rung of seed 004's ladder.
    expect(page.locator("#escalation-level")).to_have_text("第 1 级：值班长/现场班长")
    expect(page.locator("main")).to_contain_text("扬言曝光/越级投诉")
    screenshot(page, "workorder-loop-urged")

    # Friday 9 October, 09:00: the hourly run finds it at 187% of its limit (14 of 7.5
    # working hours), past the second rung's 150%: the city complaint line; the duty team
    # leader is told of both rungs.
    clock.move_to(at(10, 9, 9, 0))
    call_command("workorder_warn", stdout=StringIO())
    sign_in(page, base, leader_wang.username, password)
    page.get_by_role("link", name="通知").click()
    expect(page.locator("main")).to_contain_text(order.number)
    open_order(page, base, order)
    expect(page.locator("#escalation-level")).to_have_text("第 2 级：地市分公司投诉热线")

    # Friday 9 October: both departments reply; the agent accepts and closes the children.
    clock.move_to(at(10, 9, 9, 30))
    for login, child, reply in [
        ("yx_staff", yx, "停电原因为小区变压器故障，已于今日 9 时复电"),
        ("yj_staff", yj, "已更换变压器，线路检测正常"),
    ]:
        sign_in(page, base, login, password)
        open_order(page, base, child)
        act(page, "reply", reply)
    sign_in(page, base, agent_li.username, password)
    for child in (yx, yj):
        open_order(page, base, child)
        act(page, "accept")
        act(page, "close")
        expect(page.locator("#order-state")).to_have_text("已办结")

    # The agent sums up, accepts, and the order goes to the callback; the customer is
    # satisfied and the order is closed.
    open_order(page, base, order)
    act(page, "reply", "两部门均已处理：变压器故障已修复，已复电")
    act(page, "accept")
    act(page, "callback")
    expect(page.locator("#order-state")).to_have_text("回访中")
    page.locator("#act-callback_result input[value=yes]").check()
    act(page, "callback_result", "客户表示满意")
    expect(page.locator("#order-state")).to_have_text("已办结")
    screenshot(page, "workorder-loop-closed")

    trail = page.locator("#trail tbody tr")
    expect(trail.first).to_contain_text("2026-09-30 10:00")
    order.refresh_from_db()
    assert (order.urges, order.satisfied, order.priority) == (2, True, "urgent")
    assert (order.escalation_level, order.threatened) == (2, True)
    assert order.closed_at is not None
    actions = list(order.events.values_list("action", flat=True))
    assert actions == [
        "create",
        "dispatch",
        "urge",
        "urge",
        "escalate",
        "escalate",
        "reply",
        "accept",
        "callback",
        "callback_result",
    ]
    assert list(yx.events.values_list("action", flat=True)) == [
        "dispatch",
        "reply",
        "return",
        "reply",
        "accept",
        "close",
    ]
