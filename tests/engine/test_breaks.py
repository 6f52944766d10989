"""Breaks by time worked (seed 000 §1(2): 10 minutes after 1.5–2 hours, 15 after 3.5–4),
each inside its window, within a group's cap, where the forecast has slack; an infeasible
cap names the smallest that works.

Worked windows for a shift from 08:30: the 10-minute break starts 1.5–2 h in, 10:00–10:30;
the 15-minute break 3.5–4 h of *work* in, and the first break is not work, so 10 minutes
later on the clock: 12:10–12:40."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import pytest

from lingting.engine.break_rules import (
    SEED_000_RULES,
    BreakRule,
    BreakRuleError,
    Shift,
    break_windows,
)
from lingting.engine.breaks import (
    BreakPlan,
    BreaksInfeasible,
    PlannedBreak,
    StaffingInterval,
    plan_breaks,
)

DAY = datetime(2026, 3, 2)


def at(hour: int, minute: int = 0, *, day: int = 0) -> datetime:
    return DAY + timedelta(days=day, hours=hour, minutes=minute)


def day_shift(agent: str, group: str = "T1") -> Shift:
    return Shift(agent, group, at(8, 30), at(17, 30))


def away_each_minute(plan: BreakPlan, group: str) -> Counter[datetime]:
    """How many of the group's agents are on break in each minute, from the breaks alone."""
    away: Counter[datetime] = Counter()
    for placed in plan.breaks:
        if placed.shift.group != group:
            continue
        minute = placed.start
        while minute < placed.end:
            away[minute] += 1
            minute += timedelta(minutes=1)
    return away


def breaks_of(plan: BreakPlan, agent: str) -> list[PlannedBreak]:
    return [b for b in plan.breaks if b.shift.agent == agent]


def test_a_nine_hour_day_shift_gets_both_breaks_inside_their_windows() -> None:
    plan = plan_breaks([day_shift("A1")])

    first, second = breaks_of(plan, "A1")
    assert at(10, 0) <= first.start <= at(10, 30)
    assert first.end - first.start == timedelta(minutes=10)
    assert at(12, 10) <= second.start <= at(12, 40)
    assert second.end - second.start == timedelta(minutes=15)
    assert all(b.start.minute % 5 == 0 and b.start.second == 0 for b in (first, second))


def test_the_second_window_counts_time_worked_not_time_since_the_start() -> None:
    windows = break_windows(day_shift("A1"), SEED_000_RULES)

    assert [(w.earliest, w.latest) for w in windows] == [
        (at(10, 0), at(10, 30)),
        (at(12, 10), at(12, 40)),
    ]


def test_a_night_shift_across_midnight_takes_its_breaks_after_midnight_too() -> None:
    # 22:00 start: 23:30–00:00 for the first; 3.5 h worked + 10 min = 01:40–02:10 next day.
    night = Shift("N1", "T9", at(22, 0), at(6, 0, day=1))

    first, second = breaks_of(plan_breaks([night]), "N1")

    assert at(23, 30) <= first.start <= at(0, 0, day=1)
    assert at(1, 40, day=1) <= second.start <= at(2, 10, day=1)


def test_a_shift_that_ends_inside_a_window_has_no_break_of_it() -> None:
    # 08:00–12:00 is 3 h 50 min of work after the 10-minute break: under 4 h, no 15-minute one.
    four_hours = Shift("A1", "T1", at(8, 0), at(12, 0))
    two_hours = Shift("A2", "T2", at(8, 0), at(10, 0))

    plan = plan_breaks([four_hours, two_hours])

    assert [b.rule.length for b in breaks_of(plan, "A1")] == [timedelta(minutes=10)]
    assert breaks_of(plan, "A2") == []
    assert [(g.group, g.breaks) for g in plan.groups] == [("T1", 1), ("T2", 0)]


def test_the_cap_holds_at_every_minute() -> None:
    # Nine 15-minute breaks in 12:10–12:55 fill three at once exactly.
    team = [day_shift(f"A{n:02d}") for n in range(9)]

    plan = plan_breaks(team, caps={"T1": 3})

    assert max(away_each_minute(plan, "T1").values()) <= 3
    assert Counter(b.shift.agent for b in plan.breaks) == {s.agent: 2 for s in team}
    assert plan.groups[0].peak <= 3


def test_a_cap_too_low_names_the_smallest_cap_that_works() -> None:
    # Ten agents on one shift. The 15-minute breaks start 12:10–12:40, so all ten fall in
    # 12:10–12:55: 150 agent-minutes in 45 minutes need 4 away at once (3 give room for 135).
    team = [day_shift(f"A{n:02d}") for n in range(10)]

    with pytest.raises(BreaksInfeasible) as raised:
        plan_breaks(team, caps={"T1": 2})

    (obstacle,) = raised.value.obstacles
    assert (obstacle.group, obstacle.smallest_cap) == ("T1", 4)
    assert "between 03-02 12:10 and 03-02 12:55" in obstacle.reason
    assert "150 agent-minutes" in obstacle.reason
    with pytest.raises(BreaksInfeasible):
        plan_breaks(team, caps={"T1": 3})
    assert max(away_each_minute(plan_breaks(team, caps={"T1": 4}), "T1").values()) == 4


def test_one_infeasible_group_gives_no_plan_at_all() -> None:
    shifts = [day_shift("B1", "T2")] + [day_shift(f"A{n:02d}") for n in range(10)]

    with pytest.raises(BreaksInfeasible) as raised:
        plan_breaks(shifts, caps={"T1": 1, "T2": 1})

    assert [o.group for o in raised.value.obstacles] == ["T1"]


def test_a_window_with_no_slot_to_start_names_the_agent_and_rule() -> None:
    # Started at 08:00, the break may only start 09:32–09:33: no 5-minute slot falls in it.
    narrow = BreakRule("tight", timedelta(minutes=92), timedelta(minutes=93), timedelta(minutes=10))

    with pytest.raises(BreaksInfeasible) as raised:
        plan_breaks([Shift("A7", "T1", at(8, 0), at(12, 0))], rules=[narrow])

    (obstacle,) = raised.value.obstacles
    assert (obstacle.agent, obstacle.rule) == ("A7", "tight")
    assert "between 03-02 09:32 and 03-02 09:33" in obstacle.reason


@pytest.mark.parametrize(
    ("early_slack", "late_slack", "earliest", "latest"),
    [(0.5, 3.0, at(10, 20), at(10, 30)), (3.0, 0.5, at(10, 0), at(10, 10))],
)
def test_the_break_goes_where_the_forecast_has_slack(
    early_slack: float, late_slack: float, earliest: datetime, latest: datetime
) -> None:
    # Half an agent to spare on one side of 10:20, three on the other: the 10-minute break
    # (10:00–10:30 start) lies wholly on the side with three.
    staffing = [
        StaffingInterval("T1", at(10, 0), at(10, 20), scheduled=8, required=8 - early_slack),
        StaffingInterval("T1", at(10, 20), at(10, 45), scheduled=8, required=8 - late_slack),
    ]

    first, _ = breaks_of(plan_breaks([day_shift("A1")], staffing=staffing), "A1")

    assert earliest <= first.start <= latest


def test_breaks_spread_over_even_slack_instead_of_piling_up() -> None:
    # Four 10-minute breaks in 10:00–10:40 with two agents to spare throughout: one at a time.
    staffing = [StaffingInterval("T1", at(10, 0), at(10, 40), scheduled=6, required=4.0)]

    plan = plan_breaks([day_shift(f"A{n}") for n in range(4)], staffing=staffing)

    away = away_each_minute(plan, "T1")
    assert max(count for minute, count in away.items() if minute < at(10, 40)) == 1


def test_breaks_take_as_few_agent_minutes_below_the_requirement_as_possible() -> None:
    # Three 10-minute breaks (30 agent-minutes) in 10:00–10:40; one agent spare 10:00–10:20
    # (20 agent-minutes), none 10:20–10:40: at least 10 agent-minutes fall short.
    staffing = [
        StaffingInterval("T1", at(10, 0), at(10, 20), scheduled=5, required=4.0),
        StaffingInterval("T1", at(10, 20), at(10, 40), scheduled=5, required=5.0),
    ]

    plan = plan_breaks([day_shift(f"A{n}") for n in range(3)], staffing=staffing)

    assert plan.groups[0].shortfall_agent_minutes == pytest.approx(10.0)


def test_falling_short_weighs_more_than_deeper_slack_next_door() -> None:
    # Five-minute slack from 10:00: 3, -1, 3, -1, 3, -1, then 0.6, 0.6. Every start before
    # 10:30 covers one slot already short (a whole agent below for 5 minutes) however deep
    # the slack beside it; the break at 10:30 leaves only 0.4 of an agent short twice.
    slacks = [3.0, -1.0, 3.0, -1.0, 3.0, -1.0, 0.6, 0.6]
    staffing = [
        StaffingInterval("T1", at(10, 5 * n), at(10, 5 * n + 5), scheduled=5, required=5 - slack)
        for n, slack in enumerate(slacks)
    ]

    plan = plan_breaks([day_shift("A1")], staffing=staffing)

    assert breaks_of(plan, "A1")[0].start == at(10, 30)
    assert plan.groups[0].shortfall_agent_minutes == pytest.approx(4.0)


def test_agents_on_the_same_shift_get_the_earlier_starts_in_order_of_their_ids() -> None:
    team = [day_shift(f"A{n}") for n in (3, 1, 2)]

    plan = plan_breaks(team, caps={"T1": 1})

    firsts = [breaks_of(plan, agent)[0].start for agent in ("A1", "A2", "A3")]
    assert firsts == sorted(firsts)
    assert len(set(firsts)) == 3


def test_rules_whose_windows_overlap_are_refused() -> None:
    overlapping = [
        BreakRule("a", timedelta(hours=1), timedelta(hours=2), timedelta(minutes=10)),
        BreakRule("b", timedelta(hours=1, minutes=30), timedelta(hours=3), timedelta(minutes=10)),
    ]

    with pytest.raises(BreakRuleError, match="overlap"):
        plan_breaks([day_shift("A1")], rules=overlapping)


def test_bad_shifts_and_caps_are_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match="agent A1: a shift must end after it starts"):
        Shift("A1", "T1", at(9, 0), at(8, 0))
    with pytest.raises(ValueError, match="group T1: the cap"):
        plan_breaks([day_shift("A1")], caps={"T1": 0})
