"""In a real browser at 10:05 on a busy Monday: a WFM planner opens 当日监控 from the menu,
reads the queue's calls against the forecast with the rest of the day re-forecast and its
two charts, and the adherence exceptions; the agent 李娜 sees only her own adherence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Page, expect

from tests.browser.conftest import open_from_menu, screenshot, sign_in
from tests.conftest import Org
from tests.web.workforce.test_intraday import at, set_up_monday, store_calls

pytestmark = pytest.mark.browser


def test_the_planner_watches_the_day_and_the_agent_her_adherence(
    live_server: Any, transactional_db: None, org: Org, password: str, page: Page, tmp_path: Path
) -> None:
    set_up_monday(org, tmp_path)

    with time_machine.travel(at(10, 5)):
        sign_in(page, live_server.url, "planner_qian", password)
        open_from_menu(page, "运营", "当日监控")
        expect(page.locator("#intraday-figures")).to_contain_text("截至 10:05 的实际呼入")
        expect(page.locator("#reforecast-method")).to_contain_text("1.250")
        assert page.locator(".page-charts svg").count() == 2
        expect(page.locator("#adherence-agents")).to_contain_text("A1002 张伟")
        screenshot(page, "intraday-planner")

        sign_in(page, live_server.url, "agent_li", password)
        open_from_menu(page, "运营", "当日监控")
        expect(page.get_by_role("heading", name="我的遵从度")).to_be_visible()
        expect(page.locator("#adherence-agents tbody tr")).to_have_count(1)
        expect(page.locator("#intraday-intervals")).to_have_count(0)
        screenshot(page, "intraday-agent")


def test_today_s_figures_refresh_themselves_each_minute_without_a_reload(
    live_server: Any, transactional_db: None, org: Org, password: str, page: Page, tmp_path: Path
) -> None:
    set_up_monday(org, tmp_path)  # 4 calls so far in 10:00's half hour
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security" in message.text else None
        ),
    )

    with time_machine.travel(at(10, 5), tick=False) as clock:
        page.clock.install()
        sign_in(page, live_server.url, "ops_zhou", password)
        open_from_menu(page, "运营", "当日监控")
        expect(page.locator("#intraday-updated")).to_contain_text("更新于 10:05")
        ten = page.locator("#intraday-intervals tbody tr").nth(2)
        expect(ten.locator("td").nth(3)).to_have_text("4…")
        page.evaluate("window.notReloaded = true")
        # The refresh script is deferred: its minute starts once the page has loaded it.
        page.wait_for_load_state("load")

        clock.move_to(at(10, 6))
        store_calls(org.queues["ACD-01"], {at(10, 5): 3})
        page.clock.fast_forward("01:01")

        expect(page.locator("#intraday-updated")).to_contain_text("更新于 10:06")
        expect(ten.locator("td").nth(3)).to_have_text("7…")
        assert page.evaluate("window.notReloaded") is True
    assert refused == []
