"""The model judge in a browser: an administrator points it at the center's model (a local
fake OpenAI-compatible server here), a draw hands a contact to a reviewer, the task worker
asks the model, and the reviewer finds the manual items pre-filled, marked 模型建议, with
the quoted words linked to the transcript. Screenshots go to var/screenshots/judge-*.png."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from lingting.core.models import Role, User
from lingting.engine.scorecard_yaml import builtin_scorecard
from lingting.quality.models import ModelJudgement, ReviewAssignment
from lingting.quality.services import contacts_score, scorecard_load, scorecard_version_activate
from tests.browser.conftest import RESULTS, open_from_menu, screenshot, sign_in
from tests.fake_llm import FakeModel, fake_model_fixture  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

QUOTE = "你自己去营业厅问吧"
BRUSH_OFF = [
    ("agent", "您好，很高兴为您服务。", 0.0, 2.0),
    ("customer", "我的宽带又断了，你们到底管不管？我的电话是13812345678。", 2.5, 7.0),
    ("agent", "这个我不清楚，你自己去营业厅问吧。", 7.5, 10.0),
    ("customer", "什么态度！", 10.5, 11.5),
]


@override_settings(
    TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
)
def test_admin_configures_the_judge_and_the_reviewer_sees_its_suggestions(
    live_server: Any,
    transactional_db: None,
    page: Page,
    make_contact: Any,
    fake_model: FakeModel,
    qa_zhao: User,
    qa_sun: User,
    password: str,
) -> None:
    base = live_server.url
    User.objects.create_user("admin_ma", password=password, role=Role.ADMIN)
    version = scorecard_load(scorecard=builtin_scorecard(), actor=None)
    scorecard_version_activate(version=version, actor=None, rescore=False)
    yesterday = timezone.localdate() - timedelta(days=1)
    started = timezone.make_aware(datetime.combine(yesterday, time(10)))
    contact = make_contact("C-JUDGE", agent="A1001", started_at=started, turns=BRUSH_OFF)
    contacts_score(contact_ids=[contact.pk], version=version)
    fake_model.answer_item("不推诿", "fail", "客服让客户自己去营业厅，推诿", [QUOTE])

    # 1. The administrator points the judge at the center's model.
    sign_in(page, base, "admin_ma", password)
    open_from_menu(page, "质检", "模型预评")
    page.get_by_label("启用模型预评").check()
    page.get_by_label("接口地址").fill(fake_model.base_url)
    page.get_by_label("模型名称").fill("qwen2.5-7b-instruct")
    page.get_by_label("API 密钥").fill("sk-local")
    page.get_by_label("每分钟最多请求数").fill("0")
    page.get_by_label("失败重试次数").fill("0")
    screenshot(page, "judge-01-settings")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("模型预评设置已保存")).to_be_visible()
    expect(page.get_by_label("API 密钥")).to_have_value("")

    # 2. The supervisor draws yesterday's sample for 孙丽; the worker asks the model.
    sign_in(page, base, qa_zhao.username, password)
    page.goto(base + "/quality/plans/new/")
    page.get_by_label("名称").fill("模型预评抽检")
    page.get_by_label("抽样方法").select_option(label="随机抽样")
    page.get_by_label("每次抽取量").fill("1")
    page.get_by_label("孙丽", exact=True).fill("1")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("button", name="立即抽取今日样本").click()
    expect(page.get_by_role("status")).to_contain_text("抽取 1 条")
    assert ModelJudgement.objects.filter(contact=contact, item="no_shirking").exists()
    assert all("13812345678" not in str(request) for request in fake_model.requests)

    # 3. 孙丽 opens the review: the model's answers are pre-filled and marked as its own.
    sign_in(page, base, qa_sun.username, password)
    assignment = ReviewAssignment.objects.get(contact=contact)
    page.goto(f"{base}/quality/reviews/")
    page.get_by_role("link", name="开始评分").click()
    shirking = page.locator('.review-item[data-item="no_shirking"]')
    expect(shirking.locator(".judge-suggestion")).to_contain_text("模型建议")
    expect(shirking.locator(".judge-suggestion")).to_contain_text("推诿")
    expect(shirking.locator('input[value="fail"]')).to_be_checked()
    expect(shirking.locator(".judge-suggestion q")).to_have_text(QUOTE)
    shirking.locator(".judge-suggestion a.ev-link").click()
    expect(page).to_have_url(f"{base}/quality/reviews/{assignment.pk}/#turn-2")
    shirking.scroll_into_view_if_needed()
    screenshot(page, "judge-02-review-suggestion")
    shirking.screenshot(path=str(RESULTS / "judge-03-suggested-item.png"))
