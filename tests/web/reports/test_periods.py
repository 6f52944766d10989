"""Report periods: months, ISO weeks and days, their previous period and their names."""

from __future__ import annotations

from datetime import date

import pytest

from lingting.documents.periods import PeriodKind, last_full_period, parse_period


def test_a_month_and_the_one_before_across_a_year() -> None:
    january = parse_period(PeriodKind.MONTH, "2027-01")

    assert (january.start, january.end, january.last_day) == (
        date(2027, 1, 1),
        date(2027, 2, 1),
        date(2027, 1, 31),
    )
    assert january.previous().key == "2026-12"
    assert january.previous(12).key == "2026-01"
    assert january.next().key == "2027-02"


def test_iso_weeks_start_on_monday_and_cross_years() -> None:
    week = parse_period(PeriodKind.WEEK, "2026-W53")

    assert week.start == date(2026, 12, 28)
    assert week.next().key == "2027-W01"
    assert parse_period(PeriodKind.WEEK, "2026-w40").key == "2026-W40"


def test_the_default_is_the_last_full_period() -> None:
    today = date(2026, 11, 3)  # a Tuesday

    assert last_full_period(PeriodKind.MONTH, today).key == "2026-10"
    assert last_full_period(PeriodKind.WEEK, today).key == "2026-W44"
    assert last_full_period(PeriodKind.DAY, today).key == "2026-11-02"


@pytest.mark.parametrize(
    ("kind", "text", "example"),
    [
        (PeriodKind.MONTH, "2026-13", "2026-10"),
        (PeriodKind.WEEK, "2026-10", "2026-W40"),
        (PeriodKind.DAY, "10/05/2026", "2026-10-05"),
    ],
)
def test_a_bad_period_says_what_was_expected(kind: PeriodKind, text: str, example: str) -> None:
    with pytest.raises(ValueError, match=example):
        parse_period(kind, text)
