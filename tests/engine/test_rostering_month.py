"""A month rostered a week at a time: the rules hold across the blocks' boundaries (rest,
night→morning, days in a row, weekly and monthly caps), a night at the end of a week covers
the next week's first morning, nights are shared out over the month, not per week, and a
四班三运转 center keeps its rotation for the month but for the days leave forces."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, datetime, timedelta
from itertools import pairwise

from lingting.engine.rostering import (
    Agent,
    Change,
    Need,
    RosterRequest,
    RosterResult,
    build_roster,
    rotation_baseline,
)
from lingting.engine.rotation import RotationPattern, ShiftTemplate, evenly_spaced_teams

MON = date(2026, 11, 2)  # four weeks with no holiday, all in November
DAY = timedelta(days=1)
EARLY = ShiftTemplate.parse("早", "08:00-16:00")
LATE = ShiftTemplate.parse("中", "16:00-24:00")
NIGHT = ShiftTemplate.parse("夜", "22:00-06:00")
MANDARIN = "普通话"


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day) + timedelta(hours=hour)


def needs(start: datetime, end: datetime, agents: float = 1) -> list[Need]:
    rows, moment = [], start
    while moment < end:
        rows.append(Need(moment, MANDARIN, agents))
        moment += timedelta(minutes=30)
    return rows


def every_day(first: date, days: int, start: int, end: int, agents: float = 1) -> list[Need]:
    """The same hours (end past 24 runs into the next morning) on each of `days` dates."""
    return [
        row
        for n in range(days)
        for row in needs(at(first + DAY * n, start), at(first + DAY * n, end), agents)
    ]


def agent(name: str, **fields: object) -> Agent:
    return Agent(name, frozenset({MANDARIN}), **fields)


def month_request(
    agents: list[Agent],
    rows: list[Need],
    *,
    first: date = MON,
    days: int = 28,
    templates: tuple[ShiftTemplate, ...] = (EARLY, LATE, NIGHT),
    **fields: object,
) -> RosterRequest:
    return RosterRequest(
        first=first,
        last=first + DAY * (days - 1),
        agents=tuple(agents),
        templates=templates,
        needs=tuple(rows),
        time_limit_s=8,
        **fields,
    )


def assert_rules_hold(request: RosterRequest, result: RosterResult) -> None:
    """Every agent's shifts, read back from the assignments: 11 h of rest, 48 h from a
    night to a morning, forward rotation, at most 6 days in a row, and the caps."""
    templates = {t.code: t for t in request.templates}
    for person in request.agents:
        mine = [a for a in result.assignments if a.agent_id == person.id]
        for before, after in pairwise(mine):
            rest = after.start - before.end
            assert rest >= timedelta(hours=11), (before, after)
            if templates[before.code].is_night and templates[after.code].is_morning:
                assert rest >= timedelta(hours=48), (before, after)
            if after.day - before.day == DAY:
                assert templates[after.code].start >= templates[before.code].start
        days = {a.day for a in mine}
        for first in days:
            assert not all(first + DAY * n in days for n in range(7)), person.id
        hours = next(h for h in result.agents if h.agent_id == person.id)
        for week in hours.weeks:
            assert person.week_max_hours is None or week.hours <= person.week_max_hours
        for month in hours.months:
            assert person.month_max_hours is None or month.hours <= person.month_max_hours


def test_a_night_ending_a_week_covers_the_next_morning_and_refuses_its_early_shift() -> None:
    """A's night on Sunday, the first block's last day: it covers Monday 00:00–06:00 in
    the second block, and no 早 follows on Monday or Tuesday (within 48 h), so those
    mornings stay short."""
    sun, mon, tue = MON + DAY * 6, MON + DAY * 7, MON + DAY * 8
    rows = needs(at(sun, 22), at(mon, 6)) + needs(at(mon, 8), at(mon, 16))
    rows += needs(at(tue, 8), at(tue, 16))
    request = month_request([agent("A", fixed={sun: "夜"})], rows, days=14)

    result = build_roster(request)

    assert {(a.day, a.code) for a in result.assignments} == {(sun, "夜")}
    assert [(s.start, s.end) for s in result.shortfalls] == [
        (at(mon, 8), at(mon, 16)),
        (at(tue, 8), at(tue, 16)),
    ]
    whole = build_roster(replace(request, block_days=None))
    assert len(result.coverage) == len(whole.coverage)
    assert result.shortfalls == whole.shortfalls


def test_six_days_in_a_row_at_most_across_the_weeks() -> None:
    """One agent wanted every morning for two weeks, three days worked before: at most six
    in a row, however the weeks fall: 3 more, a day off, 6, a day off, 3 = 12 shifts."""
    rows = every_day(MON, 14, 8, 16)
    request = month_request([agent("A", days_worked_before=3)], rows, days=14, templates=(EARLY,))

    result = build_roster(request)

    assert_rules_hold(request, result)
    worked = {a.day for a in result.assignments}
    assert not all(MON + DAY * n in worked for n in range(4))  # 3 before: a day off by Thursday
    assert len(result.assignments) == 12


def test_weekly_caps_count_monday_to_sunday_when_the_blocks_start_on_a_thursday() -> None:
    """16 h a week from Thursday 11-05 to Wednesday 11-18: the blocks run Thursday to
    Wednesday, the caps' weeks Monday to Sunday, and each week holds two 8-hour shifts."""
    thu = MON + DAY * 3
    rows = every_day(thu, 14, 8, 16)
    request = month_request(
        [agent("A", week_max_hours=16)], rows, first=thu, days=14, templates=(EARLY,)
    )

    result = build_roster(request)

    [hours] = result.agents
    assert [(w.first, w.hours) for w in hours.weeks] == [
        (MON, 16),
        (MON + DAY * 7, 16),
        (MON + DAY * 14, 16),
    ]


def test_a_monthly_cap_holds_over_the_four_weeks() -> None:
    """80 h in November for an agent wanted every morning: ten shifts, not ten a week."""
    request = month_request(
        [agent("A", month_max_hours=80)], every_day(MON, 28, 8, 16), templates=(EARLY,)
    )

    result = build_roster(request)

    assert len(result.assignments) == 10
    assert [(m.first, m.hours) for m in result.agents[0].months] == [(date(2026, 11, 1), 80)]


def test_a_small_team_keeps_every_rule_for_a_month() -> None:
    """Five agents, two mornings, a late and a night every day, 168 h a month each (21
    shifts of the 28 × 4 = 112 asked, 105 at most): the rules hold at every boundary."""
    rows = every_day(MON, 28, 8, 16, 2) + every_day(MON, 28, 16, 24) + every_day(MON, 28, 22, 30)
    team = [agent(f"A{n}", month_max_hours=168) for n in range(5)]
    request = month_request(team, rows)

    result = build_roster(request)

    assert result.status in ("optimal", "feasible")
    assert_rules_hold(request, result)
    assert len(result.assignments) == 105


def test_nights_are_shared_out_over_the_month_not_per_week() -> None:
    """Four agents, one night a day for four weeks: seven nights each. Each week alone
    would share its seven nights 2-2-2-1 and could leave the same agent short every week."""
    request = month_request(
        [agent(name) for name in "ABCD"], every_day(MON, 28, 22, 30), templates=(NIGHT,)
    )

    result = build_roster(request)

    assert result.shortfalls == []
    assert sorted(hours.nights for hours in result.agents) == [7, 7, 7, 7]


def test_rest_day_shifts_are_shared_out_over_the_month() -> None:
    """Three agents, one morning every weekend day of four weeks (eight shifts on rest days):
    3-3-2 over the month."""
    weekends = [MON + DAY * (7 * week + day) for week in range(4) for day in (5, 6)]
    rows = [row for day in weekends for row in needs(at(day, 8), at(day, 16))]
    request = month_request([agent(name) for name in "ABC"], rows, templates=(EARLY,))

    result = build_roster(request)

    assert sorted(hours.rest_day_shifts for hours in result.agents) == [2, 3, 3]


def test_a_rotation_keeps_its_days_for_a_month_but_around_leave() -> None:
    """四班三运转 for four weeks, two agents a team and a floater, two agents needed every
    hour: 甲1's leave on the second Wednesday (an 早 day) is the only change, with the
    floater taking it."""
    pattern = RotationPattern.four_teams_three_shifts()
    teams = evenly_spaced_teams(pattern, ["甲", "乙", "丙", "丁"])
    people = [agent(f"{team.name}{n}", team=team.name) for team in teams for n in (1, 2)]
    people.append(agent("机动"))
    last = MON + DAY * 27
    placed, baseline = rotation_baseline(people, pattern, teams, anchor=MON, first=MON, last=last)
    leave_day = MON + DAY * 9
    assert baseline[("甲1", leave_day)] == "早"
    placed = tuple(replace(a, leave=frozenset({leave_day})) if a.id == "甲1" else a for a in placed)
    rows = needs(at(MON, 0), at(last + DAY, 8), 2)
    request = month_request(list(placed), rows, templates=pattern.shifts, baseline=baseline)

    result = build_roster(request)

    assert set(result.changes) == {
        Change("甲1", leave_day, "早", None),
        Change("机动", leave_day, None, "早"),
    }
    assert result.shortfalls == []
    assert Counter(a.code for a in result.assignments) == {"早": 56, "中": 56, "夜": 56}


def test_nights_uneven_week_by_week_even_out_over_two_weeks() -> None:
    """Four peers and eight nights over two weeks, six in the first and two in the second:
    the first week can only split its six 2-2-1-1, so the second gives its two nights to
    the two who had one, and each ends with 2."""
    nights = [MON + DAY * n for n in (0, 1, 2, 3, 4, 5, 9, 11)]
    rows = [row for day in nights for row in needs(at(day, 22), at(day, 30))]
    request = month_request([agent(name) for name in "ABCD"], rows, days=14, templates=(NIGHT,))

    result = build_roster(request)

    assert result.shortfalls == []
    assert [hours.nights for hours in result.agents] == [2, 2, 2, 2]


def test_a_lone_pair_shares_its_pools_nights_while_their_peers_share_theirs() -> None:
    """Two 藏语康巴 seats must cover that pool's every night for two weeks: 7 nights each,
    however few the 普通话 seats work. Four 普通话 peers share that pool's 14 nights 4-4-3-3;
    a fifth who avoids nights takes the mornings and is not made to take a share."""
    kham = "藏语康巴"
    rows = every_day(MON, 14, 22, 30) + every_day(MON, 14, 8, 16)
    rows += [replace(row, queue=kham) for row in every_day(MON, 14, 22, 30)]
    pair = [Agent(name, frozenset({kham})) for name in ("K1", "K2")]
    mandarin = [agent(name) for name in "ABCD"] + [agent("E", avoids=frozenset({"夜"}))]
    request = month_request(pair + mandarin, rows, days=14)

    result = build_roster(request)

    nights = {hours.agent_id: hours.nights for hours in result.agents}
    assert result.shortfalls == []
    assert (nights["K1"], nights["K2"]) == (7, 7)
    assert sorted(nights[name] for name in "ABCD") == [3, 3, 4, 4]
    assert nights["E"] == 0


def test_contracted_hours_are_kept_where_each_week_has_no_hours_to_spare() -> None:
    """Five agents on 40 h a week at most and 160 h contracted over four weeks: every week
    must hold exactly five shifts, one missed is lost for good. A morning, a late and a
    night a day ask for 84 shifts of the 100 contracted: all 100 are rostered."""
    rows = every_day(MON, 28, 8, 16) + every_day(MON, 28, 16, 24) + every_day(MON, 28, 22, 30)
    team = [agent(f"A{n}", week_max_hours=40, min_hours=160) for n in range(5)]
    request = month_request(team, rows)

    result = build_roster(request)

    assert_rules_hold(request, result)
    assert result.shortfalls == []
    assert [hours.hours for hours in result.agents] == [160] * 5
