"""Rosters with CP-SAT, worked through small centers whose best roster can be told by hand:
nights cover the next morning, rest and turnaround rules refuse shifts, caps and leave hold,
a bilingual seat counts once, shortfalls say where and by how much, and the 四班三运转
rotation changes no more days than leave or holiday cover force (seed 004 篇9)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from lingting.engine.calendars import BusinessCalendar
from lingting.engine.rostering import (
    Agent,
    Change,
    Need,
    RosterError,
    RosterRequest,
    RosterResult,
    RosterRules,
    Rule,
    Shortfall,
    build_roster,
    rotation_baseline,
)
from lingting.engine.rotation import RotationPattern, ShiftTemplate, evenly_spaced_teams

MON = date(2026, 10, 12)  # a week with no holiday
EARLY = ShiftTemplate.parse("早", "08:00-16:00")
LATE = ShiftTemplate.parse("中", "16:00-24:00")
NIGHT = ShiftTemplate.parse("夜", "22:00-06:00")
MANDARIN, AMDO = "普通话", "藏语安多"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day) + timedelta(hours=hour, minutes=minute)


def needs(queue: str, start: datetime, end: datetime, agents: float) -> list[Need]:
    """One row per half hour from `start` to `end`."""
    rows, moment = [], start
    while moment < end:
        rows.append(Need(moment, queue, agents))
        moment += timedelta(minutes=30)
    return rows


def agent(name: str, *skills: str, **fields: object) -> Agent:
    return Agent(name, frozenset(skills or {MANDARIN}), **fields)


def roster(
    agents: list[Agent],
    rows: list[Need],
    *,
    first: date = MON,
    last: date | None = None,
    templates: tuple[ShiftTemplate, ...] = (EARLY, LATE, NIGHT),
    **fields: object,
) -> RosterResult:
    request = RosterRequest(
        first=first,
        last=last or first,
        agents=tuple(agents),
        templates=templates,
        needs=tuple(rows),
        **fields,
    )
    return build_roster(request)


def worked(result: RosterResult) -> set[tuple[str, date, str]]:
    return {(a.agent_id, a.day, a.code) for a in result.assignments}


def test_a_night_shift_is_rostered_on_its_start_date_and_covers_the_next_morning() -> None:
    tue = MON + timedelta(days=1)

    result = roster([agent("A")], needs(MANDARIN, at(tue, 0), at(tue, 6), 1), last=tue)

    assert result.status == "optimal"
    [night] = result.assignments
    assert (night.day, night.code, night.start, night.end) == (MON, "夜", at(MON, 22), at(tue, 6))
    assert result.shortfalls == []
    morning = [row for row in result.coverage if at(tue, 0) <= row.start < at(tue, 6)]
    assert [row.scheduled for row in morning] == [1.0] * 12


def test_eleven_hours_of_rest_refuse_an_early_shift_after_a_late_one() -> None:
    """中 ends at 24:00 and 早 starts at 08:00: 8 hours of rest, so one agent covers only
    one of the two; with 8 hours allowed they cover both."""
    tue = MON + timedelta(days=1)
    rows = needs(MANDARIN, at(MON, 16), at(MON, 24), 1) + needs(
        MANDARIN, at(tue, 8), at(tue, 16), 1
    )
    rules = RosterRules(forward_rotation=False)

    refused = roster([agent("A")], rows, last=tue, rules=rules)
    allowed = roster(
        [agent("A")],
        rows,
        last=tue,
        rules=RosterRules(min_rest=timedelta(hours=8), forward_rotation=False),
    )

    assert len(refused.assignments) == 1
    assert sum(span.agent_hours for span in refused.shortfalls) == 8
    assert worked(allowed) == {("A", MON, "中"), ("A", tue, "早")}
    assert allowed.shortfalls == []


def test_no_morning_shift_follows_a_night_shift_within_48_hours() -> None:
    """夜 of Monday ends Tuesday 06:00; 早 on Wednesday at 08:00 leaves 26 hours, enough
    for the 11-hour rest but a night→morning turnaround all the same."""
    wed = MON + timedelta(days=2)
    rows = needs(MANDARIN, at(MON, 22), at(MON, 30), 1) + needs(
        MANDARIN, at(wed, 8), at(wed, 16), 1
    )

    shifts = (EARLY, NIGHT)
    refused = roster([agent("A")], rows, last=wed, templates=shifts)
    rules = RosterRules(night_to_morning_rest=timedelta(hours=11))
    allowed = roster([agent("A")], rows, last=wed, templates=shifts, rules=rules)

    assert len(refused.assignments) == 1
    assert sum(span.agent_hours for span in refused.shortfalls) == 8
    assert worked(allowed) == {("A", MON, "夜"), ("A", wed, "早")}


def test_forward_rotation_refuses_a_shift_earlier_than_the_day_before() -> None:
    """A 12:00–20:00 shift then an 08:00 shift the next day leaves 12 hours of rest, but
    rotates backwards."""
    middle = ShiftTemplate.parse("午", "12:00-20:00")
    tue = MON + timedelta(days=1)
    rows = needs(MANDARIN, at(MON, 12), at(MON, 20), 1) + needs(
        MANDARIN, at(tue, 8), at(tue, 12), 1
    )

    forward = roster([agent("A")], rows, last=tue, templates=(EARLY, middle))
    backward = roster(
        [agent("A")],
        rows,
        last=tue,
        templates=(EARLY, middle),
        rules=RosterRules(forward_rotation=False),
    )

    assert worked(forward) == {("A", MON, "午")}
    assert sum(span.agent_hours for span in forward.shortfalls) == 4
    assert worked(backward) == {("A", MON, "午"), ("A", tue, "早")}


def test_a_weekly_cap_of_16_hours_allows_two_shifts_of_eight() -> None:
    wed = MON + timedelta(days=2)
    rows = [
        row
        for day in range(3)
        for row in needs(
            MANDARIN, at(MON + timedelta(days=day), 8), at(MON + timedelta(days=day), 16), 1
        )
    ]

    result = roster([agent("A", week_max_hours=16)], rows, last=wed, templates=(EARLY,))

    assert len(result.assignments) == 2
    [hours] = result.agents
    assert (hours.hours, hours.weeks[0].hours, hours.weeks[0].cap) == (16, 16, 16)
    assert sum(span.agent_hours for span in result.shortfalls) == 8


def test_a_monthly_cap_counts_each_calendar_month_apart() -> None:
    """10-30..11-02 with 16 h a month: two shifts in October, two in November."""
    first, last = date(2026, 10, 30), date(2026, 11, 2)
    rows = [
        row
        for day in range(4)
        for row in needs(
            MANDARIN, at(first + timedelta(days=day), 8), at(first + timedelta(days=day), 16), 1
        )
    ]

    result = roster(
        [agent("A", month_max_hours=16)], rows, first=first, last=last, templates=(EARLY,)
    )

    assert len(result.assignments) == 4  # 10-30, 10-31 | 11-01, 11-02
    assert [(m.first, m.hours) for m in result.agents[0].months] == [
        (date(2026, 10, 1), 16),
        (date(2026, 11, 1), 16),
    ]
    tight = roster(
        [agent("A", month_max_hours=8)], rows, first=first, last=last, templates=(EARLY,)
    )
    assert len(tight.assignments) == 2


def test_leave_is_honoured_and_a_colleague_covers_it() -> None:
    tue = MON + timedelta(days=1)
    rows = needs(MANDARIN, at(MON, 8), at(MON, 16), 1) + needs(MANDARIN, at(tue, 8), at(tue, 16), 1)
    on_leave = agent("A", leave=frozenset({tue}))

    alone = roster([on_leave], rows, last=tue, templates=(EARLY,))
    covered = roster([on_leave, agent("B")], rows, last=tue, templates=(EARLY,))

    assert worked(alone) == {("A", MON, "早")}
    assert [(s.start, s.end, s.worst) for s in alone.shortfalls] == [(at(tue, 8), at(tue, 16), 1)]
    assert ("A", tue, "早") not in worked(covered)
    assert ("B", tue, "早") in worked(covered)
    assert covered.shortfalls == []


def test_a_bilingual_agent_is_never_in_two_pools_at_once() -> None:
    """One 普通话/藏语安多 seat and one agent needed in each pool: one pool is covered,
    the other short by one agent; in no interval does the seat count twice."""
    rows = needs(MANDARIN, at(MON, 8), at(MON, 16), 1) + needs(AMDO, at(MON, 8), at(MON, 16), 1)

    result = roster([agent("A", MANDARIN, AMDO)], rows, templates=(EARLY,))

    [shift] = result.assignments
    assert shift.queue in {MANDARIN, AMDO}
    per_interval = Counter()
    for row in result.coverage:
        per_interval[row.start] += row.scheduled
    assert max(per_interval.values()) == 1
    [short] = result.shortfalls
    assert short.queue == ({MANDARIN, AMDO} - {shift.queue}).pop()
    assert (short.worst, short.agent_hours) == (1, 8)


def test_bilingual_seats_go_where_the_single_language_agents_cannot() -> None:
    rows = needs(MANDARIN, at(MON, 8), at(MON, 16), 1) + needs(AMDO, at(MON, 8), at(MON, 16), 1)

    result = roster([agent("A", MANDARIN, AMDO), agent("B", MANDARIN)], rows, templates=(EARLY,))

    assert {(a.agent_id, a.queue) for a in result.assignments} == {("A", AMDO), ("B", MANDARIN)}
    assert result.shortfalls == []


def test_a_shortfall_says_where_and_by_how_much() -> None:
    """2.5 agents needed 10:00–12:00 and 1 the rest of the day shift, with two agents: 0.5
    short for two hours, one agent-hour in all."""
    rows = needs(MANDARIN, at(MON, 8), at(MON, 10), 1)
    rows += needs(MANDARIN, at(MON, 10), at(MON, 12), 2.5)
    rows += needs(MANDARIN, at(MON, 12), at(MON, 16), 1)

    result = roster([agent("A"), agent("B")], rows, templates=(EARLY,))

    assert result.shortfalls == [Shortfall(MANDARIN, at(MON, 10), at(MON, 12), 0.5, 1.0)]
    assert str(result.shortfalls[0]) == (
        "普通话 2026-10-12 10:00–12:00: short by up to 0.5 agents (1 agent-hours)"
    )
    assert result.shortfall_optimal


def test_requirements_are_added_up_before_rounding_to_whole_people() -> None:
    """Two ACD queues on the 普通话 pool need 0.4 agents each: 0.8, so one person, not
    one per queue."""
    rows = needs(MANDARIN, at(MON, 8), at(MON, 16), 0.4) * 2

    result = roster([agent("A"), agent("B"), agent("C")], rows, templates=(EARLY,))

    assert len(result.assignments) == 1
    assert {row.required for row in result.coverage if row.required} == {0.8}


def test_rows_adding_up_to_one_agent_are_covered_by_one() -> None:
    """0.2 + 0.4 + 0.3 + 0.1 is 1.0000000000000002 in floating point: still one person."""
    rows = [
        row
        for share in (0.2, 0.4, 0.3, 0.1)
        for row in needs(MANDARIN, at(MON, 8), at(MON, 16), share)
    ]

    result = roster([agent("A"), agent("B")], rows, templates=(EARLY,))

    assert len(result.assignments) == 1
    assert result.shortfalls == []


def test_the_last_shift_before_the_plan_still_covers_its_first_morning() -> None:
    rows = needs(MANDARIN, at(MON, 0), at(MON, 6), 1)
    sunday = MON - timedelta(days=1)

    result = roster([agent("A", last_shift=(sunday, "夜"))], rows)

    assert result.assignments == ()
    assert result.shortfalls == []


def test_a_night_before_the_plan_refuses_a_morning_the_next_day() -> None:
    rows = needs(MANDARIN, at(MON, 8), at(MON, 16), 1)
    sunday = MON - timedelta(days=1)

    result = roster([agent("A", last_shift=(sunday, "夜"))], rows)

    assert result.assignments == ()
    assert len(result.shortfalls) == 1


def test_at_most_six_days_in_a_row_counting_the_days_before() -> None:
    sun = MON + timedelta(days=6)
    rows = [
        row
        for day in range(7)
        for row in needs(
            MANDARIN, at(MON + timedelta(days=day), 8), at(MON + timedelta(days=day), 16), 1
        )
    ]

    fresh = roster([agent("A")], rows, last=sun, templates=(EARLY,))
    tired = roster(
        [agent("A", days_worked_before=5)],
        rows[:32],
        last=MON + timedelta(days=1),
        templates=(EARLY,),
    )

    assert len(fresh.assignments) == 6
    assert len(tired.assignments) == 1  # five days before, so one of the next two is off


def test_an_agent_avoiding_nights_is_spared_them_when_a_colleague_can() -> None:
    rows = needs(MANDARIN, at(MON, 22), at(MON, 30), 1)

    result = roster([agent("A", avoids=frozenset({"夜"})), agent("B")], rows)

    assert worked(result) == {("B", MON, "夜")}


def test_an_agent_wishing_a_day_off_is_spared_it_when_a_colleague_can() -> None:
    rows = needs(MANDARIN, at(MON, 8), at(MON, 16), 1)

    result = roster([agent("A", wishes_off=frozenset({MON})), agent("B")], rows, templates=(EARLY,))

    assert worked(result) == {("B", MON, "早")}


def test_fixed_days_are_kept_where_nothing_is_required() -> None:
    """A swap agreed for Tuesday's 中 and a day off on Monday: both stand, though the
    requirement asks for neither."""
    tue = MON + timedelta(days=1)
    rows = needs(MANDARIN, at(MON, 8), at(MON, 16), 1)

    result = roster([agent("A", fixed={MON: None, tue: "中"}), agent("B")], rows, last=tue)

    assert worked(result) == {("A", tue, "中"), ("B", MON, "早")}


def test_nights_are_shared_out_evenly() -> None:
    """Two nights, two agents who could each take both: one each."""
    tue = MON + timedelta(days=1)
    rows = needs(MANDARIN, at(MON, 22), at(MON, 30), 1) + needs(
        MANDARIN, at(tue, 22), at(tue, 30), 1
    )

    result = roster([agent("A"), agent("B")], rows, last=tue, templates=(NIGHT,))

    assert sorted(hours.nights for hours in result.agents) == [1, 1]


def test_contracted_hours_put_agents_on_shifts_beyond_the_requirement() -> None:
    rows = needs(MANDARIN, at(MON, 8), at(MON, 16), 1)
    tue = MON + timedelta(days=1)

    result = roster([agent("A", min_hours=16)], rows, last=tue, templates=(EARLY,))

    assert worked(result) == {("A", MON, "早"), ("A", tue, "早")}


def test_holiday_and_make_up_days_in_the_hours() -> None:
    """10-01..03 are statutory holidays, so rest days; Saturday 10-10 is a make-up workday
    (调休), not a rest day. A night from 09-30 22:00 puts 6 hours on 10-01."""
    calendar = BusinessCalendar.from_package([2026])
    first, holiday, sat = date(2026, 9, 30), date(2026, 10, 3), date(2026, 10, 10)
    rows = needs(MANDARIN, at(first, 22), at(first, 30), 1)
    rows += needs(MANDARIN, at(holiday, 8), at(holiday, 16), 1)
    rows += needs(MANDARIN, at(sat, 8), at(sat, 16), 1)

    result = roster(
        [agent("A")],
        rows,
        first=first,
        last=sat,
        calendar=calendar,
        statutory_holidays=frozenset({date(2026, 10, 1), date(2026, 10, 2), holiday}),
    )

    assert worked(result) == {("A", first, "夜"), ("A", holiday, "早"), ("A", sat, "早")}
    [hours] = result.agents
    assert hours.statutory_holiday_hours == 6 + 8
    assert hours.rest_day_shifts == 1  # 10-03 only: 09-30 is a workday, 10-10 a make-up one
    assert hours.nights == 1


def test_bad_requirement_rows_are_left_out_with_their_number_and_reason() -> None:
    rows = needs(MANDARIN, at(MON, 8), at(MON, 16), 1)
    rows.insert(0, Need(at(MON, 9, 15), MANDARIN, 1))
    rows.append(Need(at(MON, 10), MANDARIN, -1))
    rows.append(Need(at(MON + timedelta(days=5), 10), MANDARIN, 1))

    result = roster([agent("A")], rows, templates=(EARLY,))

    assert result.warnings[0].startswith("need 1 (普通话, 2026-10-12 09:15:00): 09:15 is not on")
    assert result.warnings[1].startswith("need 18 (普通话, 2026-10-12 10:00:00): agents must be")
    assert result.warnings[2].startswith("need 19 (普通话, 2026-10-17 10:00:00): 2026-10-17")
    assert "is outside the plan 2026-10-12..2026-10-12" in result.warnings[2]
    assert worked(result) == {("A", MON, "早")}
    assert result.shortfalls == []


def test_a_pool_nobody_speaks_is_named_and_stays_short() -> None:
    rows = needs("藏语康巴", at(MON, 8), at(MON, 16), 1)

    result = roster([agent("A")], rows, templates=(EARLY,))

    assert "no agent has the skill '藏语康巴'" in result.warnings[0]
    assert [s.queue for s in result.shortfalls] == ["藏语康巴"]


def test_fixed_days_that_break_the_rest_rule_are_explained() -> None:
    tue = MON + timedelta(days=1)
    fixed = agent("A", fixed={MON: "中", tue: "早"})

    result = roster([fixed, agent("B")], needs(MANDARIN, at(MON, 8), at(MON, 16), 1), last=tue)

    assert result.status == "infeasible"
    [conflict] = result.conflicts
    assert conflict.agent_id == "A"
    assert set(conflict.rules) == {Rule.REST, Rule.FORWARD}  # each refuses 中 then 早
    assert "at least 11 h of rest between shifts" in conflict.message
    assert "10-12 中, 10-13 早" in conflict.message


def test_fixed_days_above_the_weekly_cap_name_the_cap() -> None:
    days = {MON + timedelta(days=n): "早" for n in range(6)}
    fixed = agent("A", fixed=days, week_max_hours=40)

    result = roster([fixed], [], last=MON + timedelta(days=6), templates=(EARLY,))

    [conflict] = result.conflicts
    assert conflict.rules == (Rule.WEEK_CAP,)
    assert "at most 40 h a week" in conflict.message


def test_a_request_without_shifts_or_with_repeated_agents_is_refused() -> None:
    with pytest.raises(RosterError, match="at least one shift template"):
        roster([agent("A")], [], templates=())
    with pytest.raises(RosterError, match="agent ids repeat"):
        roster([agent("A"), agent("A")], [])
    with pytest.raises(RosterError, match="blocks of 0 days"):
        roster([agent("A")], [], block_days=0)


def four_team_center() -> tuple[list[Agent], dict[tuple[str, date], str | None], list[Need]]:
    """Two agents a team on 四班三运转, a floater outside the rotation, two agents needed
    every hour from Monday 00:00 to the morning after Sunday."""
    pattern = RotationPattern.four_teams_three_shifts()
    teams = evenly_spaced_teams(pattern, ["甲", "乙", "丙", "丁"])
    people = [agent(f"{team.name}{n}", team=team.name) for team in teams for n in (1, 2)]
    people.append(agent("机动"))
    sun = MON + timedelta(days=6)
    placed, baseline = rotation_baseline(people, pattern, teams, anchor=MON, first=MON, last=sun)
    return list(placed), baseline, needs(MANDARIN, at(MON, 0), at(sun + timedelta(days=1), 8), 2)


def test_the_rotation_alone_is_kept_as_it_is() -> None:
    agents, baseline, rows = four_team_center()

    result = roster(
        agents,
        rows,
        last=MON + timedelta(days=6),
        templates=RotationPattern.four_teams_three_shifts().shifts,
        baseline=baseline,
    )

    assert result.changes == ()
    assert result.shortfalls == []
    assert len(result.assignments) == 7 * 3 * 2


def test_leave_in_the_rotation_changes_only_the_leave_and_its_cover() -> None:
    """甲1 is on leave on Tuesday, the team's second 早: the floater takes it, and nobody
    else's days move."""
    agents, baseline, rows = four_team_center()
    tue = MON + timedelta(days=1)
    agents = [a if a.id != "甲1" else replace(a, leave=frozenset({tue})) for a in agents]

    result = roster(
        agents,
        rows,
        last=MON + timedelta(days=6),
        templates=RotationPattern.four_teams_three_shifts().shifts,
        baseline=baseline,
    )

    assert set(result.changes) == {Change("甲1", tue, "早", None), Change("机动", tue, None, "早")}
    assert result.shortfalls == []


def test_holiday_cover_adds_the_fewest_shifts() -> None:
    """A third agent wanted on Wednesday's 中: one change, the floater's."""
    agents, baseline, rows = four_team_center()
    wed = MON + timedelta(days=2)
    rows += needs(MANDARIN, at(wed, 16), at(wed, 24), 1)

    result = roster(
        agents,
        rows,
        last=MON + timedelta(days=6),
        templates=RotationPattern.four_teams_three_shifts().shifts,
        baseline=baseline,
    )

    assert result.changes == (Change("机动", wed, None, "中"),)
    assert result.shortfalls == []


def test_rotation_baseline_reads_each_agents_days_from_their_team() -> None:
    agents, baseline, _ = four_team_center()

    by_id = {a.id: a for a in agents}
    assert [baseline[("甲1", MON + timedelta(days=n))] for n in range(7)] == [
        "早",
        "早",
        "中",
        "中",
        "夜",
        "夜",
        None,
    ]
    assert (by_id["丁1"].last_shift, by_id["丁1"].days_worked_before) == (
        (MON - timedelta(days=1), "夜"),
        6,
    )
    assert (by_id["甲1"].last_shift, by_id["甲1"].days_worked_before) == (
        (MON - timedelta(days=3), "夜"),
        0,
    )
    assert (by_id["乙1"].last_shift, by_id["乙1"].days_worked_before) == (
        (MON - timedelta(days=1), "早"),
        2,
    )
