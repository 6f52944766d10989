"""An agent's shift limit as the roster solver reads it (issue 14): no night work (22:00–06:00,
女职工劳动保护特别规定) and named shifts ruled out."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from lingting.engine import rostering
from lingting.engine.rotation import ShiftTemplate
from lingting.engine.shift_limits import allowed_shifts, works_at_night


def shift(code: str, start_hours: float, length_hours: float = 8) -> ShiftTemplate:
    return ShiftTemplate(code, timedelta(hours=start_hours), timedelta(hours=length_hours))


EARLY, LATE, NIGHT = shift("早", 8), shift("中", 16), shift("夜", 24)


@pytest.mark.parametrize(
    ("template", "night"),
    [
        (EARLY, False),  # 08:00–16:00
        (LATE, True),  # 16:00–24:00: two hours past 22:00
        (NIGHT, True),  # 24:00–08:00 (the small hours of the next date)
        (shift("白", 9), False),  # 09:00–17:00
        (shift("早6", 6), False),  # 06:00–14:00: starts as the night ends
        (shift("早5", 5.5), True),  # 05:30–13:30: half an hour of night
        (shift("晚", 14, 8), False),  # 14:00–22:00: ends as the night begins
        (shift("晚2", 14, 8.25), True),  # 14:00–22:15
        (shift("零", 0, 4), True),  # 00:00–04:00 of its own date
        (shift("长", 7, 16), True),  # 07:00–23:00
    ],
)
def test_a_shift_works_at_night_when_any_minute_falls_between_22_and_6(
    template: ShiftTemplate, night: bool
) -> None:
    assert works_at_night(template) is night


def test_no_night_leaves_the_early_shift_of_four_teams_three_shifts() -> None:
    templates = (EARLY, LATE, NIGHT)

    assert allowed_shifts(templates, no_night=True, excluded=()) == {"早"}
    assert allowed_shifts(templates, no_night=False, excluded=("夜",)) == {"早", "中"}
    assert allowed_shifts(templates, no_night=False, excluded=()) is None  # nothing ruled out
    assert allowed_shifts(templates, no_night=True, excluded=("早",)) == frozenset()


def test_a_roster_never_puts_a_no_night_agent_on_a_night_even_where_nights_fall_short() -> None:
    """Two agents, a week of one agent needed around the clock: the limited agent works
    early shifts only, however short the nights fall."""
    templates = (EARLY, LATE, NIGHT)
    monday = date(2026, 11, 2)
    needs = tuple(
        rostering.Need(datetime(2026, 11, 2) + timedelta(minutes=30 * n), "95598-KB", 1.0)
        for n in range(7 * 48)
    )
    limited = rostering.Agent(
        "A1", frozenset({"95598-KB"}), shifts=allowed_shifts(templates, no_night=True, excluded=())
    )
    free = rostering.Agent("A2", frozenset({"95598-KB"}))
    request = rostering.RosterRequest(
        first=monday,
        last=monday + timedelta(days=6),
        agents=(limited, free),
        templates=templates,
        needs=needs,
        time_limit_s=5,
    )

    result = rostering.build_roster(request)

    assert result.status in {"optimal", "feasible"}
    mine = [a.code for a in result.assignments if a.agent_id == "A1"]
    assert mine
    assert set(mine) == {"早"}
    assert any(a.code in {"中", "夜"} for a in result.assignments if a.agent_id == "A2")
