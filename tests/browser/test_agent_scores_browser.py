"""The agent's path, in a real browser, at desktop and at phone width (390 px): a monitoring
record about the agent is published → the agent sees the notification → opens 我的成绩 →
signs for the record (签收) → disputes a deduction (申诉). At phone width the navigation
opens behind 菜单 and its links work, and no page scrolls sideways: the contact, review,
my-scores, dispute and work-order pages fit 390 px.

Runs Debian's chromium through Playwright's sync API against pytest-django's live server.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from lingting.core.models import User
from lingting.engine.evaluation import Answer
from lingting.engine.scorecard_yaml import builtin_scorecard
from lingting.interactions.models import Contact
from lingting.quality.models import (
    AssignmentKind,
    Dispute,
    Evaluation,
    ReviewAssignment,
    ScorecardVersion,
)
from lingting.quality.selectors.score_of_record import auto_results_of
from lingting.quality.services import contacts_score, scorecard_load, scorecard_version_activate
from lingting.quality.services.reviews import RecordInput, evaluation_submit
from lingting.workorders.models import WorkOrderType
from lingting.workorders.seeds import workorder_types_ensure
from lingting.workorders.services.creation import workorder_create
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import SHANGHAI

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
BRUSH_OFF = [
    ("agent", "您好，很高兴为您服务。", 0.0, 2.0),
    ("customer", "我的宽带又断了，你们到底管不管？我的电话是13812345678。", 2.5, 7.0),
    ("agent", "这个我不清楚，你自己去营业厅问吧。", 7.5, 10.0),
    ("customer", "什么态度！", 10.5, 11.5),
]


def standard_version() -> ScorecardVersion:
    version = scorecard_load(scorecard=builtin_scorecard(), actor=None)
    scorecard_version_activate(version=version, actor=None, rescore=False)
    return version


def scored(make_contact: Any, version: ScorecardVersion, external_id: str) -> Contact:
    contact: Contact = make_contact(
        external_id,
        agent="A1001",
        queue="ACD-01",
        customer="CU-0001",
        started_at=datetime(2026, 10, 1, 9, 30, tzinfo=SHANGHAI),
        turns=BRUSH_OFF,
        rings=5,
    )
    contacts_score(contact_ids=[contact.pk], version=version)
    contact.refresh_from_db()
    return contact


def publish(contact: Contact, reviewer: User) -> Evaluation:
    """The reviewer's record accepts the engine (manual items pass): 服务禁语 costs points."""
    auto = auto_results_of(contact.current_score)
    answers = {
        item.id: Answer(auto.get(item.id, "pass"))  # type: ignore[arg-type]
        for item in builtin_scorecard().items
    }
    assignment = ReviewAssignment.objects.create(
        contact=contact, reviewer=reviewer, kind=AssignmentKind.SAMPLE
    )
    return evaluation_submit(
        reviewer=reviewer, assignment=assignment, record=RecordInput(answers=answers)
    )


def assert_fits(page: Page) -> None:
    """Nothing sticks out sideways: the page never scrolls horizontally."""
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


def open_nav_link(page: Page, name: str, *, phone: bool) -> None:
    """Follow a link of the main navigation as a user does: on a phone behind 菜单, on a
    desktop by pointing at the group that holds it."""
    nav = page.get_by_role("navigation", name="主导航")
    if phone:
        expect(nav).to_be_hidden()
        page.get_by_role("button", name="菜单").click()
        expect(nav).to_be_visible()
    else:
        nav.get_by_role("button", name="质检").hover()
    nav.get_by_role("link", name=name).click()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_agent_is_told_signs_for_and_disputes_a_record(
    live_server: Any,
    transactional_db: None,
    chromium: Any,
    make_contact: Any,
    agent_li: User,
    qa_sun: User,
    password: str,
    viewport: dict[str, int],
) -> None:
    phone = viewport == PHONE
    context = chromium.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    base = live_server.url
    record = publish(scored(make_contact, standard_version(), "C-LI-0001"), qa_sun)

    sign_in(page, base, agent_li.username, password)
    expect(page.locator("#unread-count")).to_have_text("1")
    assert_fits(page)
    page.get_by_role("link", name="通知").click()
    page.get_by_role("link", name="C-LI-0001").click()  # the notification names the call

    expect(page.get_by_role("heading", level=1)).to_have_text("我的成绩")
    row = page.locator(f"#record-{record.pk}")
    expect(row).to_contain_text("剩 6 天")
    expect(page.locator("#my-trend svg")).to_be_visible()
    assert_fits(page)
    screenshot(page, f"agent-scores-{'phone' if phone else 'desktop'}")
    row.get_by_role("button", name="签收").click()
    expect(page.locator(f"#record-{record.pk}")).to_contain_text("已签收")
    record.refresh_from_db()
    assert record.acknowledged_at is not None

    page.locator(f"#record-{record.pk}").get_by_role("link", name="查看并申诉").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("客户代表监督记录表")
    assert_fits(page)
    page.locator("details.dispute-raise summary").first.click()
    page.get_by_label("申诉理由").first.fill("客户先提到营业厅，我是在复述")
    page.get_by_role("button", name="提交申诉").first.click()
    expect(page.locator("main")).to_contain_text("待处理")
    assert_fits(page)
    assert Dispute.objects.get().raised_by == agent_li

    # The navigation leads back to 我的成绩 (behind 菜单 on a phone).
    open_nav_link(page, "我的成绩", phone=phone)
    expect(page.get_by_role("heading", level=1)).to_have_text("我的成绩")
    context.close()


def test_the_main_pages_fit_a_phone(
    live_server: Any,
    transactional_db: None,
    chromium: Any,
    make_contact: Any,
    agent_li: User,
    qa_sun: User,
    password: str,
) -> None:
    context = chromium.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    base = live_server.url
    version = standard_version()
    for n in range(3):
        scored(make_contact, version, f"C-LI-{n:04d}")
    contact = scored(make_contact, version, "C-LI-REVIEW")
    record = publish(scored(make_contact, version, "C-LI-RECORD"), qa_sun)
    assignment = ReviewAssignment.objects.create(
        contact=contact, reviewer=qa_sun, kind=AssignmentKind.SAMPLE
    )
    workorder_types_ensure()
    order = workorder_create(
        actor=agent_li,
        order_type=WorkOrderType.objects.get(code="complaint"),
        title="宽带断线三天无人处理，客户要求尽快上门",
        description="客户反映宽带断线三天，多次报修无人上门，情绪激动。",
        fields={"phone": "13812345678"},
        contact=contact,
    )

    sign_in(page, base, qa_sun.username, password)
    for path in ["/contacts/", f"/contacts/{contact.pk}/", f"/quality/reviews/{assignment.pk}/"]:
        page.goto(base + path)
        assert_fits(page)
    expect(page.locator('.review-item[data-item="answer_speed"]')).to_contain_text("响铃 5 声")
    screenshot(page, "review-phone")

    sign_in(page, base, agent_li.username, password)
    dispute_page = f"/quality/records/{record.pk}/"
    for path in ["/contacts/", "/quality/my-scores/", f"/tickets/{order.pk}/", dispute_page]:
        page.goto(base + path)
        assert_fits(page)
    page.locator("details.dispute-raise summary").first.click()
    page.get_by_label("申诉理由").first.fill("我在复述客户的话")
    page.get_by_role("button", name="提交申诉").first.click()
    expect(page.locator("main")).to_contain_text("待处理")
    assert_fits(page)  # the dispute's page

    open_nav_link(page, "联络记录", phone=True)
    expect(page).to_have_url(f"{base}/contacts/")
    open_nav_link(page, "工单", phone=True)
    expect(page).to_have_url(f"{base}/tickets/")
    assert_fits(page)
    context.close()
