"""In a real browser against the live server: /healthz answers for the database, and a
locked-out sign-in sees why on the login page."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from playwright.sync_api import Page, expect

from lingting.core.models import User
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.browser


def test_healthz_reports_the_database(live_server: Any, transactional_db: None, page: Page) -> None:
    response = page.goto(live_server.url + "/healthz")

    assert response is not None
    assert response.status == 200
    assert orjson.loads(response.body())["database"] == "ok"


def test_a_locked_out_sign_in_is_told_why_on_the_login_page(
    live_server: Any, transactional_db: None, page: Page, agent_li: User, settings: Any
) -> None:
    for _ in range(settings.LINGTING_LOGIN_FAILURES_PER_ACCOUNT):
        sign_in(page, live_server.url, "agent_li", "not-the-password")
        expect(page.get_by_role("alert")).to_be_visible()

    sign_in(page, live_server.url, "agent_li", "not-the-password")

    expect(page.get_by_role("alert")).to_contain_text("登录失败次数过多")
    expect(page.get_by_label("用户名")).to_have_value("agent_li")
    screenshot(page, "login-locked-out")
