"""Calls to the demo's 24-hour line (`hotline`): every hour of every day, as CDR-only records.

What a forecast and a roster need from a history, and what seed 004 篇9 tells of 95598:

- **Shape.** Calls arrive as a Poisson process whose rate follows the hour of the day (quiet
  nights, a morning peak, a second after lunch, evenings when people find their power off),
  the day of the week (Monday busiest, weekends quieter) and the official calendar: a
  holiday is quiet, the first workday after a holiday block is the busiest day there is.
- **Pools.** 普通话 takes nearly every call; 安多 a handful a day, 康巴 fewer still (篇9:
  玉树's callers, not yet served in their language).
- **Who answers.** The rotation team on duty (`engine.rotation`): a call goes to a free
  agent of the pool, best-skilled first (Mandarin calls to Mandarin-only agents before the
  bilingual seats, so the Tibetan seats stay free for their callers); a 康巴 caller whose
  speaker is off duty is helped, slowly, by an 安多 seat.
- **Waiting and giving up.** Each caller's patience is exponential (mean `PATIENCE_S`); who
  would wait longer than it hangs up, the wait then being their patience. So the planning
  page's estimate (time waited ÷ callers who hung up) has real abandons to read.
- **Records** are CDR-only (no transcript): a 24-hour line's history is for planning, and
  the office-hours queues already carry the scored transcripts.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import Any

from lingting.demo.generator.draws import choice, pick
from lingting.demo.generator.hotline import AMDO, KHAM, MANDARIN, DemoHotline, LineAgent
from lingting.demo.generator.traffic import TZ
from lingting.engine.calendars import BusinessCalendar
from lingting.engine.rotation import expand_rotation

DAY = timedelta(days=1)
# Calls a day on an ordinary Wednesday, per pool. 安多 takes some 9% of the line (篇9: 藏族
# customers made 9.86% of 青海's requests): enough for its daytime half-hours to be open in a
# forecast's history, when a caller in one of them is about an even chance.
DAILY_CALLS = {MANDARIN: 220.0, AMDO: 22.0, KHAM: 3.0}
# Relative arrivals per hour from 00:00. The quietest half hour still has a call or two on
# most nights, as a forecast's history must for the line to count as open all night
# (engine.queue_history: a half hour with calls on under a quarter of its weekdays is closed).
HOUR_SHAPE = (
    *(1.4, 1.1, 1.0, 0.95, 0.95, 1.05, 1.5, 2.5),  # 00–07: outage reports through the night
    *(3.8, 4.8, 5.0, 4.4, 3.2, 3.1, 4.0, 4.3),  # 08–15: bills, 业扩报装, planned outages
    *(4.0, 3.4, 3.0, 3.3, 3.2, 2.6, 1.9, 1.4),  # 16–23: home again, the power is off
)
WEEKDAY_FACTORS = (1.12, 1.04, 1.0, 1.0, 1.03, 0.9, 0.86)  # Monday..Sunday
HOLIDAY_FACTOR = 0.82
AFTER_HOLIDAY_FACTOR = 1.35  # the first workday after a holiday block
LONGEST_BLOCK_DAYS = 16
IVR_S = (6, 25)  # the menu before the queue
RING_S = (2, 8)
PATIENCE_S = 150.0
# Lognormal talk time (median seconds, spread) per pool; 康巴 answered in 安多 takes longer.
TALK = {MANDARIN: (200.0, 0.45), AMDO: (290.0, 0.45), KHAM: (320.0, 0.5)}
KHAM_IN_AMDO = 1.5
ACW_S = (15, 70)
AWAY_SHARE = 0.1  # after a call, an agent now and then steps away (a break, a work order)
AWAY_S = (300, 900)
HOLD_SHARE = 0.15
# What callers ring about, by 篇9's categories (业务咨询 most, then 故障报修, 催办, 服务申请).
MATTERS = (
    ("停电信息查询", 26.0),
    ("电量电费查询", 34.0),
    ("业扩报装咨询", 15.0),
    ("故障报修", 17.0),
    ("催办", 4.0),
    ("服务申请", 3.0),
    ("投诉", 1.0),
)
CUSTOMERS = 8_000  # accounts calling again (催办, a second report) share an id


@dataclass(slots=True)
class _Desk:
    """Who is on duty in each hour, and until when each agent is busy."""

    line: DemoHotline
    teams_by_hour: dict[datetime, set[str]]  # naive local hour → teams on shift
    busy: dict[str, datetime]  # agent id → when free again

    def on_duty(self, moment: datetime) -> tuple[LineAgent, ...]:
        teams = self.teams_by_hour.get(moment.replace(minute=0, second=0, microsecond=0), set())
        return tuple(a for a in self.line.agents if a.agent.team in teams)


def hotline_contacts(
    line: DemoHotline,
    *,
    seed: int,
    start: date,
    days: int,
    calendar: BusinessCalendar | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield the line's interaction-format records for `days` days from `start`, in time
    order. `calendar` marks the official holidays (None: none known)."""
    rng = random.Random(f"hotline-contacts:{seed}")
    calendar = calendar or BusinessCalendar.weekdays_only()
    shifts = expand_rotation(
        line.pattern, line.places, anchor=line.anchor, first=start - DAY, last=start + DAY * days
    )
    teams_by_hour: dict[datetime, set[str]] = {}
    for shift in shifts:  # the rotation's shifts start and end on the hour
        hour = shift.start
        while hour < shift.end:
            teams_by_hour.setdefault(hour, set()).add(shift.team)
            hour += timedelta(hours=1)
    desk = _Desk(line, teams_by_hour, {a.agent.id: datetime.min for a in line.agents})
    matters = tuple(accumulate(weight for _, weight in MATTERS))
    for offset in range(days):
        day = start + DAY * offset
        arrivals = _arrivals(rng, day, _day_factor(day, calendar))
        for number, (moment, pool) in enumerate(arrivals, start=1):
            matter = MATTERS[pick(rng, matters)][0]
            yield _call(rng, desk, f"L{day:%Y%m%d}-{number:05d}", moment, pool, matter)


def _day_factor(day: date, calendar: BusinessCalendar) -> float:
    """How busy `day` is against an ordinary Wednesday."""
    if _in_holiday_block(day, calendar):
        return HOLIDAY_FACTOR
    if calendar.is_workday(day) and _in_holiday_block(day - DAY, calendar):
        return AFTER_HOLIDAY_FACTOR
    if day in calendar.workdays:  # a weekend worked as a make-up day: an ordinary workday
        return WEEKDAY_FACTORS[2]
    return WEEKDAY_FACTORS[day.weekday()]


def _in_holiday_block(day: date, calendar: BusinessCalendar) -> bool:
    """A day off joined by other days off to an official holiday (国庆节's weekend too)."""
    for step in (-DAY, DAY):
        cursor = day
        for _ in range(LONGEST_BLOCK_DAYS):
            if calendar.is_workday(cursor):
                break
            if cursor in calendar.holidays:
                return True
            cursor += step
    return False


def _arrivals(rng: random.Random, day: date, factor: float) -> list[tuple[datetime, str]]:
    midnight = datetime(day.year, day.month, day.day)
    scale = factor * rng.uniform(0.94, 1.06) / sum(HOUR_SHAPE)
    arrivals = []
    for pool, daily in DAILY_CALLS.items():
        for hour, weight in enumerate(HOUR_SHAPE):
            per_second = daily * scale * weight / 3600
            second = rng.expovariate(per_second)
            while second < 3600:
                arrivals.append((midnight + timedelta(hours=hour, seconds=int(second)), pool))
                second += rng.expovariate(per_second)
    arrivals.sort()
    return arrivals


def _call(
    rng: random.Random, desk: _Desk, contact_id: str, arrival: datetime, pool: str, matter: str
) -> dict[str, Any]:
    queued = arrival + timedelta(seconds=rng.randint(*IVR_S))
    record: dict[str, Any] = {
        "id": contact_id,
        "channel": "voice",
        "direction": "inbound",
        "queue": pool,
        "customer_id": f"E{310000 + rng.randrange(CUSTOMERS)}",
        "started_at": _iso(arrival),
        "queued_at": _iso(queued),
        "tags": [matter],
    }
    agent, ready = _agent_for(rng, desk, queued, pool)
    ring = rng.randint(*RING_S)
    answered = ready + timedelta(seconds=ring)
    wait = (answered - queued).total_seconds()
    patience = rng.expovariate(1 / PATIENCE_S)
    if patience < wait:
        waited = max(1, int(patience))
        return record | {
            "ended_at": _iso(queued + timedelta(seconds=waited)),
            "disposition": "abandoned",
            "hangup_by": "customer",
            "wait_s": waited,
        }
    answer = _answered(rng, desk, agent, answered, pool)
    return record | answer | {"wait_s": int(wait), "rings": 1 + ring // 4}


def _agent_for(
    rng: random.Random, desk: _Desk, queued: datetime, pool: str
) -> tuple[LineAgent, datetime]:
    """The agent who takes the call and when they are ready: a free one of the best level
    for the pool, else whoever is free first (a 康巴 call falls back to the 安多 seats)."""
    on_duty = desk.on_duty(queued)
    skilled = [a for a in on_duty if pool in a.pools] or [a for a in on_duty if AMDO in a.pools]
    free = [a for a in skilled if desk.busy[a.agent.id] <= queued]
    if free:
        best = min(_level(a, pool) for a in free)
        return choice(rng, [a for a in free if _level(a, pool) == best]), queued
    agent = min(skilled, key=lambda a: desk.busy[a.agent.id])
    return agent, desk.busy[agent.agent.id]


def _level(agent: LineAgent, pool: str) -> int:
    """0 for the agent's first language, 1 for the second…; past them for a stand-in."""
    return agent.pools.index(pool) if pool in agent.pools else len(agent.pools)


def _answered(
    rng: random.Random, desk: _Desk, agent: LineAgent, answered: datetime, pool: str
) -> dict[str, Any]:
    median, spread = TALK[pool]
    talk = median * rng.lognormvariate(0.0, spread)
    if pool == KHAM and KHAM not in agent.pools:
        talk *= KHAM_IN_AMDO
    hold = rng.uniform(20, 90) if rng.random() < HOLD_SHARE else 0.0
    length = int(talk + hold) + 1
    acw = rng.randint(*ACW_S)
    ended = answered + timedelta(seconds=length)
    away = rng.randint(*AWAY_S) if rng.random() < AWAY_SHARE else 0
    desk.busy[agent.agent.id] = ended + timedelta(seconds=acw + away)
    return {
        "agent_id": agent.agent.id,
        "answered_at": _iso(answered),
        "ended_at": _iso(ended),
        "disposition": "answered",
        "hangup_by": "customer" if rng.random() < 0.8 else "agent",
        "talk_s": round(length - hold, 1),
        "hold_s": round(hold, 1),
        "acw_s": acw,
    }


def _iso(moment: datetime) -> str:
    return moment.replace(tzinfo=TZ).isoformat()
