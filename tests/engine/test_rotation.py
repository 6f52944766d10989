"""四班三运转 on the absolute time axis (seed 004 篇9): four teams 2 days apart cover every hour
of every day, nights belong to the date they start on, and a month's hours are shown
against the 166.64 h standard with the 法定节假日 hours counted by the clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from lingting.engine.rotation import (
    RotationError,
    RotationPattern,
    ShiftTemplate,
    Team,
    coverage_gaps,
    cycle_codes,
    evenly_spaced_teams,
    expand_rotation,
    hours_against_standard,
    shortest_rest,
)

FOUR_THREE = RotationPattern.four_teams_three_shifts()
TEAMS = evenly_spaced_teams(FOUR_THREE, ["甲", "乙", "丙", "丁"])
NATIONAL_DAY = [date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 3)]  # the statutory days


def test_a_night_shift_belongs_to_its_start_date_and_covers_the_next_morning() -> None:
    night = ShiftTemplate.parse("夜", "22:00-06:00")

    assert night.span_on(date(2026, 10, 5)) == (datetime(2026, 10, 5, 22), datetime(2026, 10, 6, 6))
    assert night.hours == 8
    assert night.is_night
    assert not night.is_morning


def test_a_start_of_24_00_is_the_midnight_that_ends_the_date() -> None:
    night = ShiftTemplate.parse("夜", "24:00-08:00")

    assert night.span_on(date(2026, 10, 5)) == (datetime(2026, 10, 6, 0), datetime(2026, 10, 6, 8))
    assert str(night) == "夜 24:00–08:00"
    assert str(ShiftTemplate.parse("中", "16:00-24:00")) == "中 16:00–24:00"


def test_an_evening_shift_with_two_night_hours_is_not_a_night_shift() -> None:
    evening = ShiftTemplate.parse("中", "16:00-24:00")

    assert evening.night_hours == 2
    assert not evening.is_night
    assert ShiftTemplate.parse("早", "08:00-16:00").is_morning


@pytest.mark.parametrize("span", ["8:00", "08:00-08:00", "25:00-08:00", "08:61-16:00", "早-晚"])
def test_a_shift_time_that_cannot_be_read_says_why(span: str) -> None:
    with pytest.raises(RotationError, match="shift 早"):
        ShiftTemplate.parse("早", span)


def test_the_default_cycle_is_two_mornings_two_evenings_two_nights_two_days_off() -> None:
    assert "".join(FOUR_THREE.cycle) == "早早中中夜夜休休"
    assert [str(shift) for shift in FOUR_THREE.shifts] == [
        "早 08:00–16:00",
        "中 16:00–24:00",
        "夜 24:00–08:00",
    ]
    assert [team.offset for team in TEAMS] == [0, 2, 4, 6]


def test_four_teams_on_four_team_three_shift_cover_24_hours_every_day() -> None:
    shifts = expand_rotation(
        FOUR_THREE, TEAMS, anchor=date(2026, 10, 1), first=date(2026, 9, 30), last=date(2026, 11, 1)
    )

    october = (datetime(2026, 10, 1), datetime(2026, 11, 1))
    assert coverage_gaps(shifts, *october) == []
    for day in (date(2026, 10, 1) + timedelta(days=n) for n in range(31)):
        codes = sorted(shift.code for shift in shifts if shift.day == day)
        assert codes == ["中", "夜", "早"]  # one team rests each day


def test_each_team_walks_the_cycle_from_its_offset() -> None:
    shifts = expand_rotation(
        FOUR_THREE, TEAMS, anchor=date(2026, 10, 1), first=date(2026, 10, 1), last=date(2026, 10, 8)
    )

    by_day = {day: "休" for day in (date(2026, 10, 1) + timedelta(days=n) for n in range(8))}
    for shift in shifts:
        if shift.team == "丙":
            by_day[shift.day] = shift.code
    assert "".join(by_day.values()) == "夜夜休休早早中中"  # 丙 starts 4 days into the cycle


def test_three_teams_leave_uncovered_the_hours_the_fourth_would_work() -> None:
    shifts = expand_rotation(
        FOUR_THREE,
        TEAMS[:3],
        anchor=date(2026, 10, 1),
        first=date(2026, 10, 1),
        last=date(2026, 10, 4),
    )

    gaps = coverage_gaps(shifts, datetime(2026, 10, 2), datetime(2026, 10, 5))

    assert gaps == [  # 丁 would be on 早 on 10-03 and 10-04
        (datetime(2026, 10, 3, 8), datetime(2026, 10, 3, 16)),
        (datetime(2026, 10, 4, 8), datetime(2026, 10, 4, 16)),
    ]


def test_nights_at_24_00_leave_a_day_of_rest_after_the_evenings() -> None:
    assert shortest_rest(FOUR_THREE) == timedelta(hours=16)  # morning to morning
    same_date_nights = RotationPattern.parse(
        "早早中中夜夜休休",
        [
            ShiftTemplate.parse("早", "08:00-16:00"),
            ShiftTemplate.parse("中", "16:00-24:00"),
            ShiftTemplate.parse("夜", "00:00-08:00"),
        ],
    )
    assert shortest_rest(same_date_nights) == timedelta(0)  # 中 ends as 夜 begins


def test_teams_that_do_not_divide_the_cycle_are_refused() -> None:
    with pytest.raises(RotationError, match="3 teams cannot be spread evenly over a 8-day cycle"):
        evenly_spaced_teams(FOUR_THREE, ["甲", "乙", "丙"])


def test_a_cycle_naming_a_shift_without_times_is_refused() -> None:
    with pytest.raises(RotationError, match="no times: 夜"):
        RotationPattern.parse(
            "早中夜休",
            [ShiftTemplate.parse("早", "08:00-16:00"), ShiftTemplate.parse("中", "16:00-24:00")],
        )


def test_codes_longer_than_a_character_are_written_with_spaces() -> None:
    pattern = RotationPattern.parse(
        "A1 A1 B2 休",
        [ShiftTemplate.parse("A1", "07:00-19:00"), ShiftTemplate.parse("B2", "19:00-07:00")],
    )

    assert pattern.cycle == ("A1", "A1", "B2", "休")


@pytest.mark.parametrize(
    ("cycle", "codes"),
    [
        ("早早中中夜夜休休", ("早", "早", "中", "中", "夜", "夜", "休", "休")),
        ("A1,A1, B2 休", ("A1", "A1", "B2", "休")),
        ("A1，B2，休", ("A1", "B2", "休")),  # typed with a Chinese keyboard's comma
        (" 早中 ", ("早", "中")),
    ],
)
def test_a_written_cycle_is_read_one_code_a_day(cycle: str, codes: tuple[str, ...]) -> None:
    assert cycle_codes(cycle) == codes


def test_a_month_of_four_team_three_shift_is_above_the_standard_hours() -> None:
    """31 days of a cycle that works 6 days in 8: 23 or 24 shifts of 8 h, 184 or 192 h
    against 166.64; 42 h a week on average is why a 24-hour line needs 综合计算工时."""
    shifts = expand_rotation(
        FOUR_THREE, TEAMS, anchor=date(2026, 10, 1), first=date(2026, 9, 1), last=date(2026, 10, 31)
    )

    october = hours_against_standard(
        shifts, period="month", first=date(2026, 10, 1), statutory_holidays=NATIONAL_DAY
    )

    assert [(row.team, row.hours) for row in october] == [
        ("甲", 192),
        ("乙", 184),
        ("丙", 184),
        ("丁", 184),
    ]
    assert all(row.standard == 166.64 for row in october)
    assert october[0].over_standard == pytest.approx(25.36)
    assert october[1].over_standard == pytest.approx(17.36)


def test_statutory_holiday_hours_are_counted_by_the_clock() -> None:
    """10-01..03: 甲 works 早早中 (24 h), 乙 中中 (16 h; its 10-03 night runs on 10-04),
    丙 the nights of 10-01 and 10-02 (16 h, on 10-02 and 10-03). The night of 09-30 puts
    its 8 hours on 10-01 into September's figures, where its date belongs."""
    shifts = expand_rotation(
        FOUR_THREE, TEAMS, anchor=date(2026, 10, 1), first=date(2026, 9, 1), last=date(2026, 10, 31)
    )

    october = hours_against_standard(
        shifts, period="month", first=date(2026, 10, 1), statutory_holidays=NATIONAL_DAY
    )
    september = hours_against_standard(
        shifts, period="month", first=date(2026, 9, 1), statutory_holidays=NATIONAL_DAY
    )

    assert {row.team: row.statutory_holiday_hours for row in october} == {
        "甲": 24,
        "乙": 16,
        "丙": 16,
        "丁": 8,
    }
    assert sum(row.statutory_holiday_hours for row in september) == 8
    assert sum(row.statutory_holiday_hours for row in october + september) == 72  # 3 days × 24 h


def test_a_quarter_is_compared_with_500_hours() -> None:
    shifts = expand_rotation(
        FOUR_THREE,
        TEAMS,
        anchor=date(2026, 10, 1),
        first=date(2026, 10, 1),
        last=date(2026, 12, 31),
    )

    quarter = hours_against_standard(shifts, period="quarter", first=date(2026, 10, 1))

    assert [row.last for row in quarter] == [date(2026, 12, 31)] * 4
    assert sum(row.hours for row in quarter) == 92 * 24  # every hour of 92 days, once
    assert all(row.standard == 500 for row in quarter)


def test_a_cycle_must_start_on_the_first_of_a_month() -> None:
    with pytest.raises(RotationError, match="starts on the 1st"):
        hours_against_standard([], period="month", first=date(2026, 10, 5))


def test_a_team_offset_moves_its_cycle() -> None:
    shifts = expand_rotation(
        FOUR_THREE,
        [Team("戊", 5)],
        anchor=date(2026, 10, 1),
        first=date(2026, 10, 1),
        last=date(2026, 10, 2),
    )

    assert [shift.code for shift in shifts] == ["夜"]  # day 5 夜, day 6 休
