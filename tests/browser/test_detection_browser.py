"""In a real browser: the "3+1" detection page lists the agents below target at once, and
each card's diagnosis arrives after it (coaching/diagnosis.js), with links to examples."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from lingting.core.models import User
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import ContactFactory
from tests.web.coaching.test_plans import AS_OF, MONTHS, monthly

pytestmark = pytest.mark.browser


def test_each_agent_below_target_gets_the_diagnosis_of_their_months(
    live_server: Any,
    transactional_db: None,
    page: Page,
    make_contact: ContactFactory,
    ops_zhou: User,
    password: str,
) -> None:
    monthly(make_contact, "A1001", dict.fromkeys(MONTHS, 65.0), failing=True)
    monthly(make_contact, "A1002", dict.fromkeys(MONTHS, 60.0))

    sign_in(page, live_server.url, ops_zhou.username, password)
    page.goto(f"{live_server.url}/coaching/detect/?figure=qa_score&as_of={AS_OF}")

    failing = page.locator("#detected-A1001")
    expect(failing.get_by_text("服务禁语 ×6")).to_be_visible()
    example = re.compile(r"^/contacts/\d+/$")  # the newest call that failed it
    expect(failing.locator(".diag a").first).to_have_attribute("href", example)
    expect(page.locator("#detected-A1002 .diag")).to_contain_text("宽带故障 0/6")
    screenshot(page, "detection")
