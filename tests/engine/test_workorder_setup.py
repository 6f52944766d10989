"""Checking a work-order type's limits, warning points and fields, and a department's
working hours as an administrator types them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lingting.engine.workorder_setup import (
    FieldRow,
    field_specs,
    limit_parts,
    limit_spec,
    warning_points,
    warning_points_text,
    working_hours,
    working_hours_texts,
)


def _limit(clock: str, amount: str, unit: str) -> tuple[dict[str, object], list[str]]:
    spec, problems = limit_spec(
        label="一般", field_name="limit_normal", clock=clock, amount=amount, unit=unit
    )
    return spec, [problem.text() for problem in problems]


def test_a_limit_is_stored_as_the_tables_keep_it() -> None:
    assert _limit("business", "3", "workdays") == ({"clock": "business", "workdays": 3}, [])
    assert _limit("natural", " 1.5 ", "hours") == ({"clock": "natural", "hours": 1.5}, [])
    assert limit_parts({"clock": "business", "workdays": 3}) == ("business", "3", "workdays")


def test_a_limit_must_be_a_positive_number_and_natural_time_counts_hours() -> None:
    assert _limit("business", "0", "hours")[1] == ["一般：时限须大于 0"]
    assert _limit("business", "nan", "hours")[1] == ["一般：请填写时限（数字）"]
    assert _limit("natural", "2", "workdays")[1] == ["一般：按自然时间计时的时限请以小时计"]
    assert _limit("business", "400", "workdays")[1] == ["一般：时限太长（最多 366 个工作日）"]


def test_warning_points_are_sorted_shares() -> None:
    assert warning_points("80，50%") == ([0.5, 0.8], [])
    assert warning_points("") == ([], [])
    assert warning_points_text([0.5, 0.8]) == "50, 80"
    assert [p.text() for p in warning_points("0")[1]] == [
        "预警点须在 1 到 99 之间（百分比），「0」不行"
    ]


def test_fields_skip_blank_rows_and_count_rows_as_shown() -> None:
    specs, problems = field_specs(
        [
            FieldRow(name="phone", label="联系电话", type="phone", required=True),
            FieldRow(name="", label="", type="text"),
            FieldRow(name="phone", label="电话", type="text"),
            FieldRow(name="kind", label="类别", type="choice", choices="甲、乙"),
        ]
    )
    assert [spec["name"] for spec in specs] == ["phone", "kind"]
    assert specs[1]["choices"] == ["甲", "乙"]
    assert [p.text() for p in problems] == ["字段第 3 行：名称「phone」重复"]


def test_working_hours_read_as_typed() -> None:
    week, problems = working_hours(["08:30-12:00，13:30 - 17:30"] * 5 + ["00:00-24:00", ""])
    assert problems == []
    assert week[0] == [["08:30", "12:00"], ["13:30", "17:30"]]
    assert week[5] == [["00:00", "24:00"]]
    assert working_hours([""] * 7) == ([], [])
    assert working_hours_texts([]) == [""] * 7


def test_working_hours_refuse_night_shifts_and_overlaps_naming_the_day() -> None:
    _week, problems = working_hours(["22:00-06:00", "", "", "", "", "", ""])
    assert [(p.field, p.text()) for p in problems] == [
        ("hours_0", "周一：「22:00-06:00」的结束时间须晚于开始时间")
    ]
    _week, problems = working_hours(["", "", "", "", "", "09:00-12:00", ""])
    assert [p.text() for p in problems] == ["周一至周五至少要有一天填写工作时间"]


minutes = st.integers(min_value=0, max_value=24 * 60)


@given(st.lists(minutes, min_size=2, max_size=8, unique=True))
def test_hours_shown_on_the_page_read_back_the_same(bounds: list[int]) -> None:
    """Any day of ordered, non-overlapping periods survives the round trip through text."""
    bounds.sort()
    periods = [
        [f"{start // 60:02d}:{start % 60:02d}", f"{end // 60:02d}:{end % 60:02d}"]
        for start, end in zip(bounds[::2], bounds[1::2], strict=False)
    ]
    week = [periods] + [[] for _ in range(6)]
    texts = working_hours_texts(week)
    assert working_hours(texts) == (week, [])
