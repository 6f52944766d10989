"""Browser tests: Debian's chromium (never a downloaded browser) driven by Playwright's
sync API against pytest-django's live server. Screenshots go to var/screenshots/."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread
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


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server, answering one request at a time.

    On in-memory SQLite every request thread shares the test's one connection, and two
    threads using it at once fail inside sqlite3 ("bad parameter or other API misuse").
    A page that fetches its parts in parallel (the detection page's diagnoses) did that.
    The lock is taken per request, not per connection: a browser's idle keep-alive
    connection must not hold the others up."""

    def set_app(self, application: Any) -> None:
        lock = threading.Lock()

        def one_at_a_time(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
            with lock:
                response = application(environ, start_response)
                try:
                    return list(response)
                finally:
                    response.close()  # Django's request_finished, as the server would

        super().set_app(one_at_a_time)


@pytest.fixture(scope="session", autouse=True)
def serial_live_server_on_shared_sqlite(django_db_setup: None) -> Iterator[None]:
    # After django_db_setup: only then does the connection name the test database.
    shared = any(conn.vendor == "sqlite" and conn.is_in_memory_db() for conn in connections.all())
    if not shared:  # PostgreSQL: each request thread has its own connection
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LiveServerThread, "server_class", OneRequestAtATimeServer)
        yield


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
