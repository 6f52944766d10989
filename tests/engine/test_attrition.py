"""Attrition figures worked by hand on a small center: two teams over February–March 2026.

一班  A1 hired 2025-01-10, still here            A2 hired 2026-01-05, left 2026-03-20 (74 days)
      A3 hired 2024-06-01, left 2026-03-31       A4 hired 2026-03-02     A5 hired 2026-02-01
二班  B1 hired 2023-01-01, still here            B2 hired 2025-12-01, left 2026-02-27 (88 days)
      B3 no hire date                            B4 "left" 2026-03-01 before its hire 2026-04-01
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lingting.engine.attrition import (
    TENURE_BANDS,
    AttritionReport,
    Employment,
    HeadcountRow,
    MonthSums,
    attrition_report,
    completed_months,
    full_months_before_leaving,
    leaver_comparison,
    tenure_band,
)

FEB, MAR = date(2026, 2, 1), date(2026, 3, 1)
CENTER = [
    Employment("A1", "一班", date(2025, 1, 10)),
    Employment("A2", "一班", date(2026, 1, 5), date(2026, 3, 20), "resigned"),
    Employment("A3", "一班", date(2024, 6, 1), date(2026, 3, 31), "dismissed"),
    Employment("A4", "一班", date(2026, 3, 2)),
    Employment("A5", "一班", date(2026, 2, 1)),
    Employment("B1", "二班", date(2023, 1, 1)),
    Employment("B2", "二班", date(2025, 12, 1), date(2026, 2, 27), "resigned"),
    Employment("B3", "二班", None),
    Employment("B4", "二班", date(2026, 4, 1), date(2026, 3, 1)),
]


@pytest.fixture
def report() -> AttritionReport:
    return attrition_report(CENTER, first_month=FEB, last_month=MAR)


def _row(rows: tuple[HeadcountRow, ...], month: str | None, team: str | None) -> HeadcountRow:
    return next(r for r in rows if r.month == month and r.team == team)


def _flows(row: HeadcountRow) -> tuple[int, int, int, int, int, float]:
    f = row.figures
    return (f.start, f.end, f.hires, f.leavers, f.early_leavers, f.average)


def test_a_month_counts_who_was_there_who_came_and_who_left(report: AttritionReport) -> None:
    # 一班 in March: A1 A2 A3 A5 at the start; A4 came; A2 and A3 left (A3 on the 31st: gone
    # by the month's end); A2 after 74 days, an early leaver.
    march = _row(report.months, "2026-03", "一班")

    assert _flows(march) == (4, 3, 1, 2, 1, 3.5)
    assert march.figures.rate == pytest.approx(2 / 3.5)
    assert march.figures.annualised == pytest.approx(2 / 3.5 * 12)
    assert march.figures.early_share == 0.5


def test_hired_on_the_first_is_a_hire_of_that_month_not_part_of_its_start(
    report: AttritionReport,
) -> None:
    # A5 came on 1 February: not on staff when February began.
    assert _flows(_row(report.months, "2026-02", "一班")) == (3, 4, 1, 0, 0, 3.5)
    assert _row(report.months, "2026-02", "一班").figures.rate == 0


def test_every_team_together_month_by_month(report: AttritionReport) -> None:
    # B2 left 二班 on 27 February after 88 days: under 90, early.
    assert _flows(_row(report.months, "2026-02", "二班")) == (2, 1, 0, 1, 1, 1.5)
    assert _flows(_row(report.months, "2026-02", None)) == (5, 5, 1, 1, 1, 5.0)
    assert _flows(_row(report.months, "2026-03", None)) == (5, 4, 1, 2, 1, 4.5)


def test_the_run_of_months_rate_is_annualised_by_its_length(report: AttritionReport) -> None:
    whole = _row(report.totals, None, None).figures

    assert (whole.months, whole.start, whole.end, whole.hires, whole.leavers) == (2, 5, 4, 2, 3)
    assert whole.average == pytest.approx((5 + 4.5) / 2)
    assert whole.rate == pytest.approx(3 / 4.75)
    assert whole.annualised == pytest.approx(3 / 4.75 * 6)
    assert whole.early_share == pytest.approx(2 / 3)


def test_teams_keep_their_first_appearance_order_and_every_team_comes_last(
    report: AttritionReport,
) -> None:
    assert [r.team for r in report.totals] == ["一班", "二班", None]
    assert [(r.month, r.team) for r in report.months][:3] == [
        ("2026-02", "一班"),
        ("2026-02", "二班"),
        ("2026-02", None),
    ]


def test_agents_without_a_hire_date_are_listed_not_counted(report: AttritionReport) -> None:
    assert [e.agent for e in report.undated] == ["B3"]
    assert _row(report.totals, None, "二班").figures.start == 2  # B1 and B2 only


def test_an_employment_ending_before_it_begins_is_reported(report: AttritionReport) -> None:
    assert [(p.employment.agent, p.reason) for p in report.problems] == [
        ("B4", "left on 2026-03-01 before being hired on 2026-04-01")
    ]


def test_an_undated_agent_gone_before_the_months_is_not_listed() -> None:
    gone = Employment("C1", "一班", None, date(2025, 12, 31))
    report = attrition_report([gone], first_month=FEB, last_month=MAR)

    assert report.undated == ()
    assert report.totals == (HeadcountRow(None, None, report.totals[0].figures),)


def test_leavers_are_listed_by_day_with_tenure_band_and_early_flag(
    report: AttritionReport,
) -> None:
    listed = [(x.employment.agent, x.tenure_days, x.early, x.band) for x in report.leavers]

    assert listed == [
        ("B2", 88, True, "lt_3m"),
        ("A2", 74, True, "lt_3m"),
        ("A3", 668, False, "1_2y"),
    ]


def test_tenure_bands_of_staff_at_the_end_and_of_leavers(report: AttritionReport) -> None:
    # Staff on 31 March: A1 14 months, A4 and A5 under 3, B1 38 months.
    every = next(t for t in report.tenure if t.team is None)
    first = next(t for t in report.tenure if t.team == "一班")

    assert [code for code, _low, _high in TENURE_BANDS] == [
        "lt_3m",
        "3_6m",
        "6_12m",
        "1_2y",
        "gt_2y",
    ]
    assert every.staff == (2, 0, 0, 1, 1)
    assert every.leavers == (2, 0, 0, 1, 0)
    assert first.staff == (2, 0, 0, 1, 0)


def test_tenure_on_another_day_moves_staff_between_bands() -> None:
    report = attrition_report(CENTER, first_month=FEB, last_month=MAR, as_of=date(2026, 5, 2))
    every = next(t for t in report.tenure if t.team is None)

    assert every.staff == (1, 1, 0, 1, 1)  # A5 reached 3 months on 1 May; A4 not yet


def test_a_reversed_month_range_is_refused() -> None:
    with pytest.raises(ValueError, match="2026-03 is after the last 2026-02"):
        attrition_report(CENTER, first_month=MAR, last_month=FEB)


def test_completed_months_count_whole_calendar_months() -> None:
    assert completed_months(date(2026, 1, 15), date(2026, 4, 14)) == 2
    assert completed_months(date(2026, 1, 15), date(2026, 4, 15)) == 3
    assert tenure_band(date(2024, 3, 1), date(2026, 3, 1)) == "gt_2y"
    assert tenure_band(date(2024, 3, 2), date(2026, 3, 1)) == "1_2y"


def test_the_window_is_the_last_whole_months_on_staff() -> None:
    assert full_months_before_leaving(date(2020, 1, 1), date(2026, 5, 31)) == (
        date(2026, 3, 1),
        date(2026, 4, 1),
        date(2026, 5, 1),
    )
    assert full_months_before_leaving(date(2020, 1, 1), date(2026, 5, 15)) == (
        date(2026, 2, 1),
        date(2026, 3, 1),
        date(2026, 4, 1),
    )
    # Hired 5 January: January is not a whole month on staff.
    assert full_months_before_leaving(date(2026, 1, 5), date(2026, 3, 20)) == (date(2026, 2, 1),)


def _sums(answered: int, handle_s: float, qa_scored: int, qa: float) -> MonthSums:
    return MonthSums(answered, answered, answered * handle_s, qa_scored, qa_scored * qa)


# A1 and B1 every month; A5 from February (hired the 1st); A4 in March (hired the 2nd: not a
# whole month, so not compared). Leavers: A2 in February; A3 January–March; B2 in January
# (December, in training, has no figures).
STAYING = {"A1": _sums(500, 150, 10, 90), "B1": _sums(300, 160, 10, 95)}
FIGURES = {
    **{(a, m): s for a, s in STAYING.items() for m in ("2025-12", "2026-01", "2026-02", "2026-03")},
    ("A5", "2026-02"): _sums(200, 200, 5, 80),
    ("A5", "2026-03"): _sums(200, 200, 5, 80),
    ("A4", "2026-03"): _sums(100, 300, 5, 50),
    ("A2", "2026-02"): _sums(250, 220, 5, 70),
    ("A3", "2026-01"): _sums(400, 170, 10, 85),
    ("A3", "2026-02"): _sums(300, 180, 10, 82),
    ("A3", "2026-03"): _sums(200, 190, 10, 78),
    ("B2", "2026-01"): _sums(150, 240, 4, 75),
}


def test_leavers_last_months_against_stayers_in_the_same_months(
    report: AttritionReport,
) -> None:
    compared = leaver_comparison(report, CENTER, FIGURES)
    leavers, stayers = compared.leavers, compared.stayers

    # Five leaver-months: A2 Feb, A3 Jan–Mar, B2 Jan.
    assert (leavers.agents, leavers.agent_months, leavers.answered) == (3, 5, 1300)
    assert leavers.answered_per_month == 260
    assert leavers.handle_time_s == pytest.approx(251_000 / 1300)
    assert leavers.qa_score == pytest.approx(3100 / 39)
    # Stayers in the same months, as often as leavers are compared in each: December once
    # (B2), January twice (A3, B2), February twice (A2, A3), March once (A3).
    assert (stayers.agents, stayers.agent_months, stayers.answered) == (3, 15, 5400)
    assert stayers.answered_per_month == 360
    assert stayers.handle_time_s == pytest.approx(858_000 / 5400)
    assert stayers.qa_score == pytest.approx(12_300 / 135)


def test_each_leaver_against_the_stayers_of_their_own_months(report: AttritionReport) -> None:
    compared = leaver_comparison(report, CENTER, FIGURES)
    a2 = next(p for p in compared.per_leaver if p.leaver.employment.agent == "A2")

    assert a2.leaver.window == ("2026-02",)
    assert (a2.own.answered_per_month, a2.own.handle_time_s, a2.own.qa_score) == (250, 220, 70)
    assert a2.stayers.agents == 3  # A1, B1, A5 in February
    assert a2.stayers.answered_per_month == pytest.approx(1000 / 3)
    assert a2.stayers.handle_time_s == 163
    assert a2.stayers.qa_score == 90


def test_no_leavers_compares_nothing() -> None:
    report = attrition_report(CENTER[:1], first_month=FEB, last_month=MAR)
    compared = leaver_comparison(report, CENTER[:1], FIGURES)

    assert compared.per_leaver == ()
    assert compared.leavers.answered_per_month is None
    assert compared.stayers.agent_months == 0


days = st.integers(min_value=0, max_value=5 * 365)
BASE = date(2023, 1, 1)


@st.composite
def employments(draw: st.DrawFn) -> Employment:
    hired = BASE + timedelta(days=draw(days))
    stay = draw(st.none() | st.integers(min_value=0, max_value=4 * 365))
    team = draw(st.sampled_from(["一班", "二班", ""]))
    return Employment("X", team, hired, None if stay is None else hired + timedelta(days=stay))


@given(st.lists(employments(), max_size=30))
def test_each_month_ends_with_its_start_plus_hires_minus_leavers(
    people: list[Employment],
) -> None:
    report = attrition_report(people, first_month=date(2024, 1, 1), last_month=date(2025, 12, 1))
    by_team: dict[str | None, list[HeadcountRow]] = {}
    for row in report.months:
        f = row.figures
        assert f.end == f.start + f.hires - f.leavers
        assert f.early_leavers <= f.leavers
        by_team.setdefault(row.team, []).append(row)
    for rows in by_team.values():  # a month begins with whoever ended the one before
        for before, after in itertools.pairwise(rows):
            assert after.figures.start == before.figures.end
