"""In a real browser, on a small demo: a QA supervisor opens 客户之声 from the menu, reads
this week's topics and drills down from one to its contacts in the contact list."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.conftest import open_from_menu, screenshot, sign_in

pytestmark = pytest.mark.browser

SMALL_DEMO = (
    *("--months", "2", "--days", "10", "--calls-per-agent-day", "3"),
    *("--history-calls-per-agent-day", "1", "--no-jddc", "--line-weeks", "0"),
)


def test_a_supervisor_reads_the_weeks_topics_and_opens_one(
    live_server: Any, transactional_db: None, page: Page
) -> None:
    call_command("demo", *SMALL_DEMO)

    sign_in(page, live_server.url, "qa_zhao", "qa_zhao-demo")
    open_from_menu(page, "质检", "客户之声")
    expect(page.get_by_role("heading", name="客户之声：客户在问什么")).to_be_visible()
    rows = page.locator("#topics-table tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.first.locator("svg rect").count() == 8  # eight weeks of bars
    screenshot(page, "topics")

    first = rows.first.locator("a").first
    label = first.inner_text()
    first.click()

    expect(page.locator("select[name=topic] option:checked")).to_have_text(label)
    expect(page.locator("table tbody tr").first).to_be_visible()
    screenshot(page, "topic-contacts")
