"""Survey results and CSAT (top-two-box) / very-satisfied share: hand-computed figures,
other scales, the file format and its broken lines, and properties."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from lingting.engine.csat import (
    CsatTotals,
    SurveyResult,
    is_satisfied,
    is_very_satisfied,
    read_survey_results,
)
from lingting.engine.reader import LineError

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_csat_is_the_top_two_boxes_and_very_satisfied_the_top_one() -> None:
    totals = CsatTotals()
    for score in (5, 5, 4, 3, 1, 4, 5, 2):
        totals.add(score)
    assert totals.responses == 8
    assert totals.csat == 0.625  # 5, 5, 4, 4, 5 of 8
    assert totals.very_satisfied_share == 0.375  # three 5s of 8


def test_other_scales_use_their_own_top_boxes() -> None:
    assert is_satisfied(9, 10)
    assert not is_satisfied(8, 10)
    assert is_very_satisfied(10, 10)
    assert not is_very_satisfied(5, 10)
    assert is_satisfied(2, 3)
    assert not is_satisfied(1, 3)


def test_no_responses_give_no_figure_rather_than_zero() -> None:
    assert CsatTotals().csat is None
    assert CsatTotals().very_satisfied_share is None


def test_merged_totals_equal_one_pass() -> None:
    morning, afternoon, day = CsatTotals(), CsatTotals(), CsatTotals()
    for score in (5, 3):
        morning.add(score)
        day.add(score)
    for score in (4, 4, 1):
        afternoon.add(score)
        day.add(score)
    morning.merge(afternoon)
    assert morning == day


def test_survey_file_keeps_good_lines_and_explains_bad_ones(tmp_path: Path) -> None:
    path = tmp_path / "surveys.jsonl"
    path.write_text(
        "\n".join(
            [
                '{"contact_id": "C1", "score": 5, "answered_at": "2026-10-01T09:07:00+08:00",'
                ' "channel": "SMS", "comment": "很好"}',
                '{"contact_id": "C2", "score": 9, "scale": 10, "answered_at":'
                ' "2026-10-01T09:08:00", "channel": "web"}',
                '{"contact_id": "C3", "score": 6, "answered_at": "2026-10-01T09:09:00",'
                ' "channel": "ivr"}',
                '{"contact_id": "C4", "score": 4, "answered_at": "2026-10-01T09:09:00",'
                ' "channel": "fax"}',
                '{"score": 4, "answered_at": "2026-10-01T09:09:00", "channel": "ivr"}',
                '{"contact_id": "C6", "score": "好", "answered_at": "2026-10-01",'
                ' "channel": "ivr"}',
            ]
        ),
        encoding="utf-8",
    )
    results = list(read_survey_results(str(path), tz=SHANGHAI))
    good = [r for r in results if isinstance(r, tuple)]
    assert good[0] == (
        1,
        SurveyResult("C1", 5, datetime(2026, 10, 1, 9, 7, tzinfo=SHANGHAI), "sms", comment="很好"),
    )
    assert good[1][1].scale == 10
    assert good[1][1].answered_at.tzinfo is SHANGHAI
    errors = [r for r in results if isinstance(r, LineError)]
    assert [e.line for e in errors] == [3, 4, 5, 6]
    assert "between 1 and 5" in errors[0].reason
    assert "'channel'" in errors[1].reason
    assert "contact_id" in errors[2].reason
    assert "whole number" in errors[3].reason


def test_survey_csv_in_gbk(tmp_path: Path) -> None:
    path = tmp_path / "surveys.csv"
    path.write_bytes(
        "contact_id,score,answered_at,channel,comment\n"
        "C1,2,2026-10-01T09:07:00+08:00,ivr,等太久了\n".encode("gbk")
    )
    [(line, result)] = list(read_survey_results(str(path), tz=SHANGHAI))  # type: ignore[misc]
    assert line == 2
    assert result.comment == "等太久了"
    assert result.score == 2


@given(st.lists(st.integers(1, 5)))
def test_very_satisfied_is_part_of_satisfied(scores: list[int]) -> None:
    totals = CsatTotals()
    for score in scores:
        totals.add(score)
    if scores:
        assert totals.csat is not None
        assert totals.very_satisfied_share is not None
        assert 0 <= totals.very_satisfied_share <= totals.csat <= 1
