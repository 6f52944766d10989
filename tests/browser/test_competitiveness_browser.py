"""An operations manager enters two choice-intention waves in a browser (issue 17): the
form's script adds a fourth operator row, and the waves page shows the index, its change
since the wave before and the trend chart, drawn inline under the page's strict CSP; a
wave is deleted after a second click."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from lingting.core.models import User
from lingting.surveys.models import CompetitivenessWave
from tests.browser.conftest import open_from_menu, screenshot, sign_in

pytestmark = pytest.mark.browser


def fill_wave(page: Page, name: str, day: str, rows: list[tuple[str, str, str, str]]) -> None:
    page.get_by_label("名称").fill(name)
    page.get_by_label("测评日期").fill(day)
    for i, values in enumerate(rows):
        if page.locator(f"#id_op-{i}-operator").count() == 0:
            page.get_by_role("button", name="添加一行").click()
        for field, value in zip(
            ("operator", "subscribers", "asked", "choosing_us"), values, strict=True
        ):
            page.locator(f"#id_op-{i}-{field}").fill(value)


def test_a_manager_enters_waves_and_sees_the_trend(
    live_server: Any, page: Page, ops_zhou: User, password: str
) -> None:
    sign_in(page, live_server.url, ops_zhou.username, password)
    open_from_menu(page, "运营", "服务竞争力指数")
    expect(page.get_by_role("heading", name="服务竞争力指数")).to_be_visible()

    page.get_by_role("link", name="录入测评").click()
    fill_wave(
        page,
        "2012年末",
        "2012-12-20",
        [
            ("联通", "1500", "500", "400"),
            ("移动", "2000", "800", "80"),
            ("电信", "500", "400", "48"),
        ],
    )
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#wave-formula")).to_contain_text("= 36.5")

    page.goto(live_server.url + "/surveys/competitiveness/new/")
    fill_wave(
        page,
        "2013年中",
        "2013-06-20",
        [
            ("联通", "1500", "500", "422"),
            ("移动", "2000", "800", "73"),
            ("电信", "500", "400", "48"),
            ("广电", "0", "100", "0"),  # the fourth row: a spare one, then one the script adds
            ("其他", "0", "50", "0"),
        ],
    )
    screenshot(page, "competitiveness-form")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#wave-figures")).to_contain_text("↑1.2")
    screenshot(page, "competitiveness-wave")

    page.get_by_role("link", name="服务竞争力指数").first.click()
    table = page.locator("#competitiveness-waves")
    expect(table.get_by_role("row", name="2013年中")).to_contain_text("↓0.7")
    expect(page.locator(".page-charts svg")).to_be_visible()
    screenshot(page, "competitiveness")
    assert CompetitivenessWave.objects.get(name="2013年中").operators.count() == 5

    table.get_by_role("link", name="2012年末").click()
    page.get_by_text("删除测评").click()
    page.get_by_role("button", name="确认删除").click()
    expect(page.get_by_role("status")).to_contain_text("测评“2012年末”已删除")
    assert list(CompetitivenessWave.objects.values_list("name", flat=True)) == ["2013年中"]
