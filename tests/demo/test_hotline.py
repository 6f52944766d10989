"""The demo's 24-hour 95598 line: four teams on 四班三运转 with 安多 seats and one 康巴 speaker
(seed 004 篇9), and calls in every hour that a forecast and a roster can be built from."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from lingting.demo.generator.hotline import (
    AMDO,
    KHAM,
    MANDARIN,
    DemoHotline,
    LineAgent,
    demo_hotline,
)
from lingting.demo.generator.hotline_traffic import PATIENCE_S, hotline_contacts
from lingting.demo.generator.organisation import demo_org
from lingting.engine.calendars import BusinessCalendar
from lingting.engine.contacts import contact_from_record
from lingting.engine.rotation import coverage_gaps, expand_rotation

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Eight weeks from Monday 2026-09-28: the days after 中秋节 and 国庆节, and 国庆节's block.
START = date(2026, 9, 28)
DAYS = 56
Record = dict[str, Any]


@pytest.fixture(scope="module")
def line() -> DemoHotline:
    return demo_hotline(7)


@pytest.fixture(scope="module")
def calls(line: DemoHotline) -> list[Record]:
    calendar = BusinessCalendar.from_package([2026])
    return list(hotline_contacts(line, seed=7, start=START, days=DAYS, calendar=calendar))


def moment(record: Record, field: str) -> datetime:
    return datetime.fromisoformat(record[field]).astimezone(SHANGHAI).replace(tzinfo=None)


def day_of(record: Record) -> date:
    return moment(record, "started_at").date()


# --- the people -----------------------------------------------------------------------------


def members(line: DemoHotline, team: str) -> list[LineAgent]:
    return [a for a in line.agents if a.agent.team == team]


def test_four_teams_of_seven_with_twelve_amdo_seats_and_one_kham_speaker(
    line: DemoHotline,
) -> None:
    assert [q.id for q in line.queues] == [MANDARIN, AMDO, KHAM]
    assert len(line.teams) == 4
    assert all(len(members(line, team.id)) == 7 for team in line.teams)
    amdo = [a for a in line.agents if AMDO in a.pools]
    assert len(amdo) == 13  # 篇9's twelve 安多 seats, and the 康巴 speaker speaks 安多 too
    assert all(MANDARIN in a.pools for a in line.agents)  # every seat is bilingual or Mandarin
    for team in line.teams:
        assert sum(AMDO in a.pools for a in members(line, team.id)) >= 3
    [kham] = [a for a in line.agents if KHAM in a.pools]
    assert kham.pools[0] == KHAM
    assert [a.agent.id for a in line.agents] == [f"A{2001 + i}" for i in range(28)]


def test_line_agents_have_names_of_their_own_and_long_service() -> None:
    office = demo_org(7)
    taken = frozenset(a.name for a in office.everyone)
    line = demo_hotline(7, taken=taken)

    names = [a.agent.name for a in line.agents]
    assert len(set(names)) == len(names)
    assert not set(names) & taken
    assert all(not a.agent.is_new and a.agent.left_on is None for a in line.agents)
    assert demo_hotline(7, taken=taken) == line
    assert demo_hotline(8, taken=taken) != line


def test_the_rotation_puts_exactly_one_team_on_every_hour(line: DemoHotline) -> None:
    first, last = START - timedelta(days=1), START + timedelta(days=30)
    shifts = expand_rotation(line.pattern, line.places, anchor=line.anchor, first=first, last=last)
    start = datetime.combine(START, datetime.min.time())
    end = start + timedelta(days=30)
    assert coverage_gaps(shifts, start, end) == []
    for hour in range(30 * 24):
        at = start + timedelta(hours=hour)
        assert sum(s.start <= at < s.end for s in shifts) == 1
    assert sorted(place.offset for place in line.places) == [0, 2, 4, 6]


# --- the calls ------------------------------------------------------------------------------


def test_every_record_is_a_valid_cdr_only_contact_answered_by_the_team_on_duty(
    line: DemoHotline, calls: list[Record]
) -> None:
    shifts = expand_rotation(
        line.pattern,
        line.places,
        anchor=line.anchor,
        first=START - timedelta(days=1),
        last=START + timedelta(days=DAYS),
    )
    team_of = {a.agent.id: a.agent.team for a in line.agents}
    for record in calls:
        contact = contact_from_record(record, tz=SHANGHAI)
        assert contact.queue in {MANDARIN, AMDO, KHAM}
        assert "turns" not in record
        if record["disposition"] == "abandoned":
            assert "agent_id" not in record
            continue
        queued = moment(record, "queued_at")
        on_duty = {s.team for s in shifts if s.start <= queued < s.end}
        assert team_of[record["agent_id"]] in on_duty
        assert moment(record, "answered_at") - queued == timedelta(seconds=record["wait_s"])
    starts = [moment(r, "started_at") for r in calls]
    assert starts == sorted(starts)
    assert len({r["id"] for r in calls}) == len(calls)


def test_calls_come_in_every_hour_of_the_day_and_nearly_every_hour_of_every_day(
    calls: list[Record],
) -> None:
    mandarin = [r for r in calls if r["queue"] == MANDARIN]
    assert {moment(r, "started_at").hour for r in mandarin} == set(range(24))
    hours_with_calls = {moment(r, "started_at").replace(minute=0, second=0) for r in mandarin}
    assert len(hours_with_calls) >= 0.95 * DAYS * 24
    per_hour = Counter(moment(r, "started_at").hour for r in mandarin)
    assert per_hour[10] > 3 * per_hour[4]  # a morning peak, quiet small hours
    assert per_hour[15] > per_hour[12]  # a second peak after lunch


def test_mondays_are_busier_than_sundays_and_the_days_after_holidays_busiest(
    calls: list[Record],
) -> None:
    per_day = Counter(day_of(r) for r in calls)
    holidays = [date(2026, 10, d) for d in range(1, 8)]  # 国庆节
    # Monday 09-28 follows 中秋节 (09-25..27), Thursday 10-08 follows 国庆节.
    after_holidays = [date(2026, 9, 28), date(2026, 10, 8)]
    ordinary = {d: n for d, n in per_day.items() if d not in holidays + after_holidays}
    mondays = [n for d, n in ordinary.items() if d.weekday() == 0]
    sundays = [n for d, n in ordinary.items() if d.weekday() == 6]
    assert statistics.mean(mondays) > 1.1 * statistics.mean(sundays)
    assert statistics.mean(per_day[d] for d in holidays) < statistics.mean(ordinary.values())
    workdays = [n for d, n in ordinary.items() if d.weekday() < 5]
    assert statistics.mean(per_day[d] for d in after_holidays) > 1.15 * statistics.mean(workdays)


def test_the_tibetan_pools_are_small_and_kham_callers_find_their_speaker_one_shift_in_four(
    line: DemoHotline, calls: list[Record]
) -> None:
    per_pool = Counter(r["queue"] for r in calls)
    assert 10 * DAYS < per_pool[AMDO] < 40 * DAYS  # a dozen or two a day
    assert 0 < per_pool[KHAM] < per_pool[AMDO] / 4
    [kham] = [a.agent for a in line.agents if KHAM in a.pools]
    answered = [r for r in calls if r["queue"] == KHAM and r["disposition"] == "answered"]
    by_speaker = sum(r["agent_id"] == kham.id for r in answered)
    assert 0.1 < by_speaker / len(answered) < 0.45
    amdo_seats = {a.agent.id for a in line.agents if AMDO in a.pools}
    assert all(r["agent_id"] in amdo_seats for r in answered)
    amdo_calls = [r for r in calls if r["queue"] == AMDO and r["disposition"] == "answered"]
    assert all(r["agent_id"] in amdo_seats for r in amdo_calls)


def test_some_callers_give_up_and_their_waits_tell_their_patience(calls: list[Record]) -> None:
    abandoned = [r for r in calls if r["disposition"] == "abandoned"]
    assert 0.01 < len(abandoned) / len(calls) < 0.1
    assert all(r["wait_s"] >= 1 and r["hangup_by"] == "customer" for r in abandoned)
    # The planning page's estimate: every second waited, over the callers who hung up.
    estimate = sum(r["wait_s"] for r in calls) / len(abandoned)
    assert estimate == pytest.approx(PATIENCE_S, rel=0.2)


def test_same_seed_same_calls(line: DemoHotline) -> None:
    def week(seed: int) -> list[Record]:
        return list(hotline_contacts(line, seed=seed, start=START, days=2))

    assert week(3) == week(3)
    assert week(3) != week(4)
