"""The scorecard editor in a real browser, on the built-in standard scorecard: a QA
supervisor drafts a new version, adds a forbidden phrase to 服务禁语, previews the
yesterday's call that would now fail, and submits; a second QA supervisor approves and
publishes it; the call is scored again and its page shows it failed.

Runs Debian's chromium through Playwright's sync API against pytest-django's live server;
scoring tasks run in the request (the immediate backend), as the worker would run them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lingting.core.models import Role, User
from lingting.engine.scorecard_yaml import builtin_scorecard
from lingting.interactions.models import Contact
from lingting.quality.models import ScorecardVersion, VersionStatus
from lingting.quality.services import contacts_score, scorecard_load, scorecard_version_activate
from tests.browser.conftest import open_from_menu, screenshot, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

# Passes the standard scorecard; 随便你 is not (yet) a forbidden phrase.
CALL = [
    ("agent", "您好，很高兴为您服务，请问有什么可以帮您？", 0.0, 3.0),
    ("customer", "我的快递到哪了，都三天了", 3.5, 6.0),
    ("agent", "随便你，明天就到了，请问还有其他可以帮您的吗？", 6.5, 10.0),
    ("customer", "好吧", 10.5, 11.0),
    ("agent", "感谢您的来电，再见", 11.5, 13.0),
]


def test_a_rule_change_is_previewed_approved_published_and_rescores_the_call(
    live_server: Any,
    transactional_db: None,
    page: Any,
    settings: Any,
    make_contact: Any,
    qa_zhao: User,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    approver = User.objects.create_user("qa_qian", password=PASSWORD, role=Role.QA_SUPERVISOR)
    standard = scorecard_load(scorecard=builtin_scorecard(), actor=None)
    scorecard_version_activate(version=standard, actor=None, rescore=False)
    call: Contact = make_contact(
        "C-EDIT-0001", started_at=timezone.now() - timedelta(days=1), turns=CALL
    )
    contacts_score(contact_ids=[call.pk], version=standard)
    call.refresh_from_db()
    assert call.current_score is not None
    assert call.current_score.passed
    base = live_server.url

    sign_in(page, base, qa_zhao.username, PASSWORD)
    open_from_menu(page, "质检", "评分表")
    expect(page.get_by_role("heading", level=1)).to_have_text("评分表")
    page.get_by_role("link", name="第 1 版", exact=True).click()
    page.get_by_role("button", name="以此版本新建草稿").click()
    expect(page.locator("#version-status")).to_have_text("草稿")

    # Change a rule: 随便你 becomes a forbidden phrase.
    page.get_by_role("link", name="服务禁语", exact=True).click()
    rule = page.get_by_label("规则（YAML；留空为人工评分项）")
    written = rule.input_value()
    assert "phrases: [不知道, " in written
    rule.fill(written.replace("phrases: [不知道, ", "phrases: [不知道, 随便你, ", 1))
    must_trigger = page.get_by_label("必须触发的例子")
    must_trigger.fill(must_trigger.input_value() + "\n\ncustomer: 怎么还没到\nagent: 随便你")
    screenshot(page, "scorecard-item-form")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("评分项 服务禁语 已保存")
    screenshot(page, "scorecard-draft")

    # Its examples still behave, and the preview shows the call that would flip.
    page.get_by_role("link", name="运行例子").click()
    expect(page.locator("#examples-report")).to_contain_text("全部符合预期")
    page.go_back()
    page.get_by_role("link", name="预览影响").click()
    flips = page.locator("#flips")
    expect(flips).to_contain_text("C-EDIT-0001")
    expect(flips).to_contain_text("合格→不合格")
    expect(page.locator("#preview-summary")).to_contain_text("合格 1 → 0")
    screenshot(page, "scorecard-preview")
    page.locator(".crumbs").get_by_role("link").nth(1).click()
    page.get_by_role("button", name="提交审批").click()
    expect(page.locator("#awaiting")).to_be_visible()
    draft = ScorecardVersion.objects.get(status=VersionStatus.SUBMITTED)
    expect(page.get_by_role("button", name="批准并发布")).to_have_count(0)

    # Another QA supervisor approves and publishes it: the call is scored again.
    sign_in(page, base, approver.username, PASSWORD)
    page.goto(f"{base}/quality/scorecards/versions/{draft.pk}/")
    page.get_by_role("button", name="批准并发布").click()
    expect(page.locator("main")).to_contain_text("已批准并发布")
    draft.refresh_from_db()
    assert draft.is_active
    assert draft.decided_by == approver

    page.goto(f"{base}/contacts/{call.pk}/")
    summary = page.locator(".score-summary")
    expect(summary).to_contain_text("不合格")
    expect(summary).to_contain_text(draft.label)
    screenshot(page, "scorecard-rescored-contact")
    call.refresh_from_db()
    assert call.current_score is not None
    assert call.current_score.version == draft
