from __future__ import annotations

from datetime import date

import pytest

from lingting.engine.streaks import (
    MonthFigure,
    add_months,
    below_target_streaks,
    month_key,
    months_before,
    run_lengths,
    trailing_run,
)
from lingting.engine.targets import Status


def _series(*statuses: Status | None) -> list[MonthFigure]:
    return [
        MonthFigure(month=f"2026-{m:02d}", value=None if s is None else 1.0, status=s)
        for m, s in enumerate(statuses, start=1)
    ]


def test_three_months_amber_or_red_is_a_streak() -> None:
    streaks = below_target_streaks({"A1": _series("green", "amber", "red", "red")})

    assert [(s.agent, s.run) for s in streaks] == [("A1", 3)]


def test_a_green_month_in_the_last_three_breaks_the_run() -> None:
    assert below_target_streaks({"A1": _series("red", "red", "green", "red")}) == []


def test_a_month_without_figures_breaks_the_run() -> None:
    assert trailing_run(_series("red", None, "red", "red")) == 2
    assert below_target_streaks({"A1": _series("red", None, "red", "red")}) == []


def test_longest_runs_come_first() -> None:
    streaks = below_target_streaks(
        {
            "A2": _series("green", "red", "red", "red"),
            "A1": _series("red", "red", "red", "red"),
            "A3": _series("green", "green", "red", "red"),
        }
    )

    assert [(s.agent, s.run) for s in streaks] == [("A1", 4), ("A2", 3)]


def test_run_length_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least one month"):
        below_target_streaks({}, length=0)


def test_month_arithmetic_crosses_years() -> None:
    assert months_before(date(2026, 2, 14), 3) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
    ]
    assert add_months(date(2026, 12, 31), 1) == date(2027, 1, 1)
    assert month_key(date(2026, 3, 9)) == "2026-03"


def test_run_lengths_count_the_true_flags_in_a_row_up_to_each_position() -> None:
    flags = [True, True, False, True, True, True]

    assert list(run_lengths(flags)) == [1, 2, 0, 1, 2, 3]
