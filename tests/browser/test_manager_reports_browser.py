"""In a real browser, on a small demo: a QA supervisor reads last month's quality report and
downloads it as PDF and XLSX; an operations manager finds the 3+1 plans and their effect."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.conftest import open_from_menu, screenshot, sign_in

pytestmark = pytest.mark.browser

# Four months are the least a 3+1 plan needs (three below target, then the plan's month).
SMALL_DEMO = (
    *("--months", "4", "--days", "5", "--calls-per-agent-day", "3"),
    *("--history-calls-per-agent-day", "1", "--no-jddc"),
)


def test_the_monthly_report_reads_downloads_and_the_plans_show_their_effect(
    live_server: Any, transactional_db: None, page: Page, tmp_path: Path
) -> None:
    call_command("demo", *SMALL_DEMO)

    sign_in(page, live_server.url, "qa_zhao", "qa_zhao-demo")
    open_from_menu(page, "质检", "质检报告")
    expect(page.get_by_role("heading", name="质检月报", exact=True)).to_be_visible()
    expect(page.get_by_text("主要指标（与上期对比）")).to_be_visible()
    assert page.locator("svg").count() >= 2  # charts drawn on the server, offline
    screenshot(page, "monthly-report")

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="下载 PDF").click()
    pdf = tmp_path / "monthly.pdf"
    pdf_download.value.save_as(pdf)
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="下载 XLSX").click()
    xlsx = tmp_path / "monthly.xlsx"
    xlsx_download.value.save_as(xlsx)

    assert pdf.read_bytes().startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    assert pdftotext is not None, "poppler-utils is missing: make browser-deps"
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, check=True).stdout
    assert "质检月报" in text.decode()
    with zipfile.ZipFile(xlsx) as book:
        assert any(name.startswith("xl/charts/") for name in book.namelist())

    sign_in(page, live_server.url, "manager_chen", "manager_chen-demo")
    open_from_menu(page, "绩效与辅导", "提升计划")
    expect(page.locator("table tbody tr").first).to_be_visible()  # plans were opened
    page.get_by_role("link", name="提升效果").click()
    expect(page.locator("#effect-interval")).to_contain_text("95% 置信区间")
    expect(page.locator("#effect-estimate")).not_to_be_empty()
    screenshot(page, "coaching-effect")
