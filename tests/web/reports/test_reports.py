"""Quality reports (002 §七): the monthly report's figures, who may read which, the page with
its charts, the XLSX and PDF exports, the daily detail, cases and the training plan."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lingting.core.models import User
from lingting.documents.periods import PeriodKind, parse_period
from lingting.interactions.models import Contact
from lingting.quality.models import (
    AssignmentKind,
    Case,
    CaseKind,
    Evaluation,
    Finding,
    ReviewedItem,
)
from lingting.reports.selectors import quality_report
from tests.conftest import SHANGHAI, ContactFactory

ClientFor = Callable[[User], Client]
OCTOBER = parse_period(PeriodKind.MONTH, "2026-10")
PHONE = "13812345678"


def review(
    contact: Contact,
    reviewer: User,
    *,
    score: float,
    passed: bool,
    failed: Sequence[tuple[str, str, str]] = (),
    findings: Sequence[tuple[str, str, str, str]] = (),
    training_need: str = "",
    fatal: bool = False,
) -> Evaluation:
    """A sample monitoring record written straight into the tables (no engine)."""
    assert contact.current_score is not None
    severities = [severity for _item, _title, severity in failed]
    record = Evaluation.objects.create(
        contact=contact,
        reviewer=reviewer,
        kind=AssignmentKind.SAMPLE,
        version=contact.current_score.version,
        score=score,
        passed=passed,
        fatal=fatal,
        severity_a=severities.count("A"),
        severity_b=severities.count("B"),
        severity_c=severities.count("C"),
        summary=f"总体尚可，客户号码 {PHONE}",
        training_need=training_need,
    )
    for position, (item, title, severity) in enumerate(failed):
        ReviewedItem.objects.create(
            evaluation=record,
            position=position,
            item=item,
            title=title,
            severity=severity,
            points=10,
            result="fail",
            points_lost=10,
        )
    for scope, item, quote, note in findings:
        Finding.objects.create(evaluation=record, scope=scope, item=item, quote=quote, note=note)
    return record


@pytest.fixture
def two_months(make_contact: ContactFactory, qa_sun: User, qa_zhao: User) -> dict[str, Any]:
    """September: 2 contacts (1 passes), 1 reviewed and passed.
    October: 4 contacts of 一班 and 二班 in two queues (3 pass automatically), 3 reviewed
    (2 pass), with common and individual findings, a case and a training need."""

    def contact(day: int, month: int, *, agent: str, queue: str, score: float) -> Contact:
        return make_contact(
            agent=agent,
            queue=queue,
            started_at=datetime(2026, month, day, 10, 0, tzinfo=SHANGHAI),
            score=score,
        )

    sep_a = contact(10, 9, agent="A1001", queue="ACD-01", score=90)
    contact(11, 9, agent="A1002", queue="ACD-01", score=50)
    review(sep_a, qa_sun, score=92, passed=True)
    oct_li = contact(5, 10, agent="A1001", queue="ACD-01", score=85)
    oct_chen = contact(6, 10, agent="A1003", queue="ACD-01", score=40)
    oct_zhang = contact(7, 10, agent="A1002", queue="ACD-02", score=95)
    contact(31, 10, agent="A1002", queue="ACD-02", score=70)
    review(
        oct_li,
        qa_sun,
        score=80,
        passed=True,
        failed=[("polite_words", "礼貌用语", "C")],
        findings=[("common", "polite_words", f"号码是{PHONE}吧", "没有使用礼貌用语")],
        training_need="礼貌用语专项培训",
    )
    review(
        oct_chen,
        qa_sun,
        score=40,
        passed=False,
        failed=[("forbidden_phrases", "服务禁语", "A"), ("polite_words", "礼貌用语", "C")],
        findings=[
            ("common", "polite_words", "", "结束语缺少祝福语"),
            ("individual", "forbidden_phrases", "我不清楚", "使用服务禁语"),
        ],
        training_need="礼貌用语专项培训",
    )
    review(oct_zhang, qa_zhao, score=96, passed=True)
    Case.objects.create(
        contact=oct_chen,
        kind=CaseKind.POOR,
        title="服务禁语案例",
        note=f"客户留的号码 {PHONE}",
        created_by=qa_zhao,
        created_at=datetime(2026, 10, 8, tzinfo=SHANGHAI),
    )
    Case.objects.filter(title="服务禁语案例").update(
        created_at=datetime(2026, 10, 8, 12, tzinfo=SHANGHAI)
    )
    return {"li": oct_li, "chen": oct_chen, "zhang": oct_zhang}


def _url(kind: str = "monthly", **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{reverse('reports:report', args=[kind])}?{query}"


# --- figures ----------------------------------------------------------------------------


def test_monthly_figures_cover_every_contact_and_the_reviewed_sample(
    two_months: dict[str, Any], qa_zhao: User
) -> None:
    report = quality_report(user=qa_zhao, period=OCTOBER)
    now, before = report.totals.current, report.totals.previous

    assert (now.volume, now.scored, now.auto_passed) == (4, 4, 3)
    assert now.auto_pass_rate == pytest.approx(0.75)
    assert (now.reviewed, now.reviewed_passed) == (3, 2)
    assert now.reviewed_pass_rate == pytest.approx(2 / 3)
    assert (now.reviewed_a, now.reviewed_b, now.reviewed_c) == (1, 0, 2)
    assert now.monitored_share == pytest.approx(0.75)
    assert (before.volume, before.auto_passed, before.reviewed) == (2, 1, 1)
    assert report.totals.figure("auto_pass_rate").change == pytest.approx(0.25)


def test_monthly_figures_per_queue_with_the_previous_month(
    two_months: dict[str, Any], qa_zhao: User
) -> None:
    report = quality_report(user=qa_zhao, period=OCTOBER)
    queues = {q.code: q for q in report.queues}

    assert set(queues) == {"ACD-01", "ACD-02"}
    first = queues["ACD-01"].totals
    assert (first.current.volume, first.current.reviewed, first.current.reviewed_passed) == (
        2,
        2,
        1,
    )
    assert (first.previous.volume, first.previous.reviewed) == (2, 1)
    assert queues["ACD-02"].totals.current.auto_pass_rate == 1.0


def test_an_issue_is_titled_as_the_active_scorecard_names_its_item_now(
    two_months: dict[str, Any], qa_zhao: User, standard_version: Any
) -> None:
    # The reviews stored 礼貌用语; the standard scorecard, active now, calls it 礼貌用语恰当.
    # (Without an active scorecard naming it, the test above: the title the reviews stored.)
    report = quality_report(user=qa_zhao, period=OCTOBER)

    titles = {row.item: row.title for row in report.issues}
    assert titles["polite_words"] == "礼貌用语恰当"
    assert {e.title for e in report.examples if e.scope == "common"} == {"礼貌用语恰当"}


def test_common_and_individual_issues_with_examples_masked(
    two_months: dict[str, Any], leader_wang: User, qa_zhao: User
) -> None:
    report = quality_report(user=leader_wang, period=OCTOBER)
    common = [r for r in report.issues if r.scope == "common"]

    assert [(r.title, r.count.value, r.count.previous, r.agents) for r in common] == [
        ("礼貌用语", 2, 0, 2)
    ]
    assert report.issue_figure("individual").value == 1
    quotes = [e.quote for e in report.examples]
    assert "号码是138****5678吧" in quotes or any("****" in q for q in quotes)
    assert not any(PHONE in q for q in quotes)
    # A QA supervisor may see personal numbers: their report shows them.
    unmasked = quality_report(user=qa_zhao, period=OCTOBER)
    assert any(PHONE in e.quote for e in unmasked.examples)


def test_training_suggestions_by_item_with_the_needs_raised(
    two_months: dict[str, Any], qa_zhao: User
) -> None:
    report = quality_report(user=qa_zhao, period=OCTOBER)
    rows = {r.item: r for r in report.training}

    assert rows["forbidden_phrases"].severity == "A"
    assert rows["polite_words"].count.value == 2
    assert rows["polite_words"].agents == 2
    assert rows["polite_words"].needs == (("礼貌用语专项培训", 2),)
    assert next(r.item for r in report.training) == "forbidden_phrases"  # A before C


def test_trend_and_forecast_state_their_method_and_error(
    two_months: dict[str, Any], qa_zhao: User
) -> None:
    report = quality_report(user=qa_zhao, period=OCTOBER)

    assert [p.period.key for p in report.trend] == ["2026-09", "2026-10"]
    forecast = report.forecasts["auto_pass_rate"]
    assert forecast.method == "naive"  # two months: too few for a trend
    assert forecast.value == pytest.approx(0.75)


def test_a_team_leader_reports_on_their_own_team_only(
    two_months: dict[str, Any], leader_wang: User
) -> None:
    report = quality_report(user=leader_wang, period=OCTOBER)

    assert report.scope_label == "一班"
    assert report.totals.current.volume == 2  # 李 and 陈 of 一班, not 张 of 二班
    assert report.totals.current.reviewed == 2
    assert [c.title for c in report.cases] == ["服务禁语案例"]


# --- who may see -------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["agent_li", "planner_qian", "outsider"])
def test_agents_and_others_may_not_open_reports(
    client_for: ClientFor, org: Any, username: str
) -> None:
    client = client_for(org.users[username])

    assert client.get(_url()).status_code == 403
    assert client.get(reverse("reports:download", args=["monthly", "xlsx"])).status_code == 403
    assert client.get(reverse("reports:archive")).status_code == 403


def test_a_team_leader_sees_the_team_report_but_not_the_archive(
    client_for: ClientFor, two_months: dict[str, Any], leader_wang: User
) -> None:
    client = client_for(leader_wang)

    page = client.get(_url(period="2026-10")).content.decode()

    assert "一班" in page
    assert "张伟" not in page
    assert client.get(reverse("reports:archive")).status_code == 403


# --- the page ----------------------------------------------------------------------------


def test_monthly_page_shows_every_section_and_inline_svg_charts(
    client_for: ClientFor, two_months: dict[str, Any], ops_zhou: User
) -> None:
    response = client_for(ops_zhou).get(_url(period="2026-10"))
    page = response.content.decode()

    assert response.status_code == 200
    for heading in (
        "质检月报",
        "一、总体情况",
        "各ACD组监听量与合格率",
        "共性问题（普遍性，需培训）",
        "培训意见（按问题项，A/B/C 类）",
        "个人提高（问题最多的坐席）",
        "服务禁语案例",
        "七、质量趋势预测",
        "Holt 阻尼趋势指数平滑",
        "MAPE",
    ):
        assert heading in page, heading
    assert page.count("<svg") >= 3
    assert " style=" not in page
    assert "<script>" not in page
    assert PHONE not in page  # an operations manager sees personal numbers masked


def test_the_page_defaults_to_the_last_full_month(
    client_for: ClientFor, qa_zhao: User, db: None
) -> None:
    page = client_for(qa_zhao).get(_url()).content.decode()

    from django.utils import timezone

    from lingting.documents.periods import last_full_period

    expected = last_full_period(PeriodKind.MONTH, timezone.localdate()).key
    assert f'value="{expected}"' in page


def test_a_bad_period_is_a_clear_error(client_for: ClientFor, qa_zhao: User) -> None:
    response = client_for(qa_zhao).get(_url(period="2026-13"))

    assert response.status_code == 400
    assert "格式不对" in response.content.decode()


def test_navigation_links_to_the_reports_for_those_who_may_read_them(
    client_for: ClientFor, qa_zhao: User, agent_li: User
) -> None:
    listing = reverse("interactions:contact_list")
    assert "质检报告" in client_for(qa_zhao).get(listing).content.decode()
    assert "质检报告" not in client_for(agent_li).get(listing).content.decode()


# --- exports -----------------------------------------------------------------------------


def _xlsx_text(body: bytes) -> tuple[str, list[str]]:
    """All the workbook's strings, and its sheets' XML."""
    book = zipfile.ZipFile(io.BytesIO(body))
    strings = book.read("xl/sharedStrings.xml").decode()
    sheets = [
        book.read(name).decode()
        for name in book.namelist()
        if name.startswith("xl/worksheets/sheet")
    ]
    return strings, sheets


def test_xlsx_export_reads_back_with_titles_numbers_and_a_chart(
    client_for: ClientFor, two_months: dict[str, Any], ops_zhou: User
) -> None:
    response = client_for(ops_zhou).get(
        reverse("reports:download", args=["monthly", "xlsx"]) + "?period=2026-10"
    )
    body = response.content
    strings, sheets = _xlsx_text(body)
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()

    assert response.status_code == 200
    assert "quality-month-2026-10.xlsx" in response["Content-Disposition"]
    assert "质检月报" in strings
    assert "2026-10（2026-10-01 至 2026-10-31）" in strings
    assert "各ACD组监听量与合格率" in strings
    assert PHONE not in strings  # masked for an operations manager
    # The overview holds real numbers (4 contacts, a 75% auto pass rate), not text.
    assert re.search(r"<c [^>]*><v>4</v></c>", sheets[0])
    assert re.search(r"<v>0\.75</v>", sheets[0])
    assert any(name.startswith("xl/charts/chart") for name in names)


def test_pdf_export_renders_a_page_with_the_chinese_title(
    client_for: ClientFor, two_months: dict[str, Any], qa_zhao: User, tmp_path: Path
) -> None:
    if not (shutil.which("pdftotext") and shutil.which("pdftoppm")):
        pytest.skip("poppler-utils is not installed (make browser-deps)")
    response = client_for(qa_zhao).get(
        reverse("reports:download", args=["monthly", "pdf"]) + "?period=2026-10"
    )
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)

    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    png = next(tmp_path.glob("p*.png"))

    assert response["Content-Type"] == "application/pdf"
    assert "质检月报" in text
    assert "各ACD组抽检合格率" in text  # the SVG chart's title, drawn in the CJK font
    assert _not_blank(png)


def _not_blank(png: Path) -> bool:
    """A rendered page has more than one colour: read the PNG's pixels with zlib."""
    import struct
    import zlib

    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        chunks.append((kind, data[pos + 8 : pos + 8 + length]))
        pos += 12 + length
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    return len(set(raw)) > 4


def test_pdf_without_a_cjk_font_says_where_it_looked(
    client_for: ClientFor, two_months: dict[str, Any], qa_zhao: User, monkeypatch: Any
) -> None:
    monkeypatch.setenv("LINGTING_REPORT_FONT", "/nowhere/font.ttc")
    client = client_for(qa_zhao)

    response = client.get(
        reverse("reports:download", args=["monthly", "pdf"]) + "?period=2026-10", follow=True
    )

    assert "/nowhere/font.ttc" in response.content.decode()
    assert "无法生成 PDF" in response.content.decode()


# --- the other reports -------------------------------------------------------------------


def test_daily_detail_lists_each_reviewed_contact_with_findings_by_team(
    client_for: ClientFor, two_months: dict[str, Any], qa_sun: User, org: Any
) -> None:
    client = client_for(org.users["ops_zhou"])

    page = client.get(_url("daily", period="2026-10-06")).content.decode()
    other_team = client.get(
        _url("daily", period="2026-10-06", team=str(org.teams["二班"].pk))
    ).content.decode()

    assert "每日监控明细" in page
    assert two_months["chen"].external_id in page
    assert "服务禁语(A)" in page
    assert "使用服务禁语" in page
    assert "我不清楚" in page
    assert "孙丽" in page  # the reviewer
    assert "各ACD组监听量与不合格量" in page.split("<svg", 1)[1]  # the day at a glance
    assert two_months["chen"].external_id not in other_team
    assert "这一天没有监听记录。" in other_team
    assert "<svg" not in other_team  # no chart of nothing


def test_case_analysis_report_carries_the_cases_findings(
    client_for: ClientFor, two_months: dict[str, Any], ops_zhou: User
) -> None:
    page = client_for(ops_zhou).get(_url("cases", period="2026-10")).content.decode()

    assert "案例分析报告" in page
    assert "服务禁语案例" in page
    assert "使用服务禁语" in page
    assert PHONE not in page
    assert "各ACD组案例：优秀与问题" in page.split("<svg", 1)[1]


def test_training_plan_ranks_topics_with_agents_and_needs(
    client_for: ClientFor, two_months: dict[str, Any], ops_zhou: User
) -> None:
    from lingting.reports.selectors import training_plan

    plan = training_plan(user=ops_zhou, period=OCTOBER)
    page = client_for(ops_zhou).get(_url("training", period="2026-10")).content.decode()

    assert [r.item for r in plan.rows][:1] == ["polite_words"]  # 2 failures + 2 common
    top = plan.rows[0]
    assert top.agents == ("李娜", "陈晨")
    assert top.common == 2
    assert plan.reviewed == 3
    assert "阶段培训计划" in page
    assert "礼貌用语专项培训（2）" in page


def test_a_case_filed_next_month_belongs_to_the_month_of_its_call(
    client_for: ClientFor, two_months: dict[str, Any], ops_zhou: User
) -> None:
    Case.objects.filter(title="服务禁语案例").update(
        created_at=datetime(2026, 11, 2, 9, tzinfo=SHANGHAI)
    )

    october = client_for(ops_zhou).get(_url("cases", period="2026-10")).content.decode()
    november = client_for(ops_zhou).get(_url("cases", period="2026-11")).content.decode()

    assert "服务禁语案例" in october
    assert "服务禁语案例" not in november
