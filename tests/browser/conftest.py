"""Browser tests: Debian's chromium (never a downloaded browser) driven by Playwright's
sync API against pytest-django's live server. Screenshots go to var/screenshots/."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
# where a loop is running unless told it is safe (it is: the loop is Playwright's own).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Not test-results/: pytest-playwright empties that folder at the start of every run.
RESULTS = Path("var/screenshots")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is missing: make browser-deps")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(
        viewport={"width": 1440, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    yield context.new_page()
    context.close()


def screenshot(page: Page, name: str) -> None:
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / f"{name}.png"), full_page=True)


def sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    """Sign in through the login form, as a person would (signing out whoever was in)."""
    page.context.clear_cookies()
    page.goto(base_url + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def open_from_menu(page: Page, group: str, link: str) -> None:
    """Follow `link` in the main navigation's `group` menu, as a user does: point at the
    group, then click the page in the menu that opens."""
    nav = page.get_by_role("navigation", name="主导航")
    nav.get_by_role("button", name=group).hover()
    nav.get_by_role("link", name=link).click()
