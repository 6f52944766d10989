"""A day of traffic: calls arriving by the hour, queueing for an agent or abandoned, and
the interaction-format record each one makes (`generate_contacts`)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone
from itertools import accumulate
from typing import Any

from lingting.demo.generator.conversation import Call, compose_conversation
from lingting.demo.generator.draws import choice, pick
from lingting.demo.generator.organisation import DemoAgent, DemoOrg, on_staff
from lingting.demo.generator.scenarios import QUEUE_SCENARIOS, SCENARIOS, Surge, call_slots
from lingting.demo.generator.styles import AgentStyle, agent_style, coached_styles
from lingting.demo.generator.timeline import mark_leads, timeline

TZ = timezone(timedelta(hours=8))  # Asia/Shanghai has no DST: a fixed +08:00 offset
FIRST_HOUR = 8  # calls arrive 08:00–22:00
# Relative arrivals per hour from 08:00; peaks around 10:00 and 15:00.
WEEKDAY_HOURS = (4.0, 7.5, 10.0, 8.5, 5.0, 5.5, 8.0, 9.5, 8.0, 6.0, 4.5, 4.0, 3.0, 2.0)
WEEKEND_HOURS = (3.0, 5.5, 8.0, 7.5, 5.5, 6.0, 7.0, 8.0, 7.0, 6.0, 5.0, 4.5, 3.5, 2.5)
# Monday..Sunday volume factors (mean 1.0): weekdays busier than weekends.
DAY_FACTORS = (1.15, 1.08, 1.04, 1.04, 1.08, 0.85, 0.76)
RING_SECONDS = 4.0
PATIENCE_S = 240  # a caller who would wait longer than this gives up


def generate_contacts(
    org: DemoOrg,
    *,
    seed: int,
    start: date,
    days: int = 30,
    calls_per_agent_day: int | Callable[[date], int] = 10,
    coaching_from: date | None = None,
    surge: Surge | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield interaction-format records for `days` days from `start`, in time order.

    `calls_per_agent_day` may vary by day (a quieter history before the busy month). An
    agent takes calls only from their hire date to their last day. From `coaching_from` on,
    the weakest fifth of the agents — those a center would coach first — work better, all
    but one in three of them: their habits become those of an agent 0.35 more skilled, the
    kind of change a coaching programme hopes for, which the demo's effect page then has to
    find (or not) on its own.

    A `surge` turns a share of some queues' answered calls, day by day, to one subject
    (which calls, its own seeded draws decide).
    """
    rate = (
        calls_per_agent_day if callable(calls_per_agent_day) else lambda _day: calls_per_agent_day
    )
    rng = random.Random(f"contacts:{seed}")
    styles = {a.id: agent_style(seed, a) for a in org.everyone}
    coached = {**styles, **coached_styles(seed, org)}
    peak = max(rate(start + timedelta(days=offset)) for offset in range(days)) if days else 0
    pool = max(500, int(len(org.everyone) * peak * min(days, 30) * 0.8))
    for offset in range(days):
        day = start + timedelta(days=offset)
        by_queue = [
            tuple(a for a in org.everyone if a.queue == q.id and on_staff(a, day))
            for q in org.queues
        ]
        today = coached if coaching_from is not None and day >= coaching_from else styles
        sim = _DaySim(rng, org, by_queue, today, day, pool)
        if surge is not None:
            sim.subject = _Subject(random.Random(f"surge:{seed}:{day}"), surge, day)
        yield from sim.run(rate(day))


class _Subject:
    """Which of a day's answered calls are about a surge's subject."""

    def __init__(self, rng: random.Random, surge: Surge, day: date) -> None:
        self.rng, self.queues = rng, surge.queues
        self.scenario, self.share = surge.share(day)

    def scenario_for(self, qi: int) -> str | None:
        if qi in self.queues and self.rng.random() < self.share:
            return self.scenario
        return None


class _DaySim:
    """Arrivals, queueing and agent availability for one day across all queues."""

    def __init__(
        self,
        rng: random.Random,
        org: DemoOrg,
        by_queue: list[tuple[DemoAgent, ...]],
        styles: dict[str, AgentStyle],
        day: date,
        pool: int,
    ) -> None:
        self.rng, self.org, self.by_queue, self.styles = rng, org, by_queue, styles
        self.day, self.pool = day, pool
        self.midnight = datetime(day.year, day.month, day.day, tzinfo=TZ)
        weekend = day.weekday() >= 5
        self.hours = WEEKEND_HOURS if weekend else WEEKDAY_HOURS
        self.hour_cum = tuple(accumulate(self.hours))
        self.busy: dict[str, float] = {a.id: 0.0 for a in org.everyone}
        self.scenario_cum = [tuple(accumulate(w for _, w in mix)) for mix in QUEUE_SCENARIOS]
        self.subject: _Subject | None = None

    def run(self, per_agent: int) -> Iterator[dict[str, Any]]:
        for number, (arrival, qi) in enumerate(self._arrivals(per_agent), start=1):
            yield self._call(f"C{self.day:%Y%m%d}-{number:06d}", arrival, qi)

    def _arrivals(self, per_agent: int) -> list[tuple[int, int]]:
        rng, factor = self.rng, DAY_FACTORS[self.day.weekday()]
        arrivals: list[tuple[int, int]] = []
        for qi, agents in enumerate(self.by_queue):
            count = round(len(agents) * per_agent * factor * rng.uniform(0.9, 1.1))
            for _ in range(count):
                hour = FIRST_HOUR + pick(rng, self.hour_cum)
                arrivals.append((hour * 3600 + rng.randrange(3600), qi))
        arrivals.sort()
        return arrivals

    def _load(self, second: int) -> float:
        """How busy this hour is, 0..1 (the day's peak hour is 1)."""
        index = min(len(self.hours) - 1, max(0, second // 3600 - FIRST_HOUR))
        return self.hours[index] / max(self.hours)

    def _call(self, contact_id: str, arrival: int, qi: int) -> dict[str, Any]:
        rng = self.rng
        queued = arrival + rng.randint(8, 35)  # time in the IVR menu
        customer = 10000 + rng.randrange(self.pool)
        load = self._load(arrival)
        agents = self.by_queue[qi]
        if not agents or rng.random() < 0.035 + 0.05 * load**1.5:
            return self._abandoned(contact_id, arrival, queued, qi, customer, load)
        ready = queued + int(min(300.0, rng.expovariate(1.0 / (3.0 + 25.0 * load**2))))
        free = [a for a in agents if self.busy[a.id] <= ready]
        agent = choice(rng, free) if free else min(agents, key=lambda a: self.busy[a.id])
        ready = max(ready, int(self.busy[agent.id]) + rng.randint(1, 5))
        if ready - queued > PATIENCE_S:
            return self._abandoned(contact_id, arrival, queued, qi, customer, load)
        return self._answered(contact_id, arrival, queued, ready, qi, agent, customer)

    def _abandoned(
        self, contact_id: str, arrival: int, queued: int, qi: int, customer: int, load: float
    ) -> dict[str, Any]:
        rng = self.rng
        if rng.random() < 0.2:
            wait = rng.randint(1, 4)  # a short abandon
        else:
            wait = min(PATIENCE_S, 5 + int(rng.expovariate(1.0 / (30.0 + 40.0 * load))))
        return {
            "id": contact_id,
            "channel": "voice",
            "direction": "inbound",
            "queue": self.org.queues[qi].id,
            "customer_id": f"U{customer}",
            "started_at": self._iso(arrival),
            "queued_at": self._iso(queued),
            "ended_at": self._iso(queued + wait),
            "disposition": "abandoned",
            "hangup_by": "customer",
            "wait_s": wait,
        }

    def _answered(
        self,
        contact_id: str,
        arrival: int,
        queued: int,
        ready: int,
        qi: int,
        agent: DemoAgent,
        customer: int,
    ) -> dict[str, Any]:
        rng, style = self.rng, self.styles[agent.id]
        rings = 1 + pick(rng, style.rings)
        answered = ready + max(1, int(rings * RING_SECONDS - rng.uniform(0.0, 2.0)))
        scenario_key = QUEUE_SCENARIOS[qi][pick(rng, self.scenario_cum[qi])][0]
        if self.subject is not None:
            scenario_key = self.subject.scenario_for(qi) or scenario_key
        scenario = SCENARIOS[scenario_key]
        call = Call(rng, style, call_slots(rng, agent, customer, self.day))
        call.upset = rng.random() < scenario.upset
        compose_conversation(call, scenario, order=scenario_key == "order")
        mark_leads(call)
        turns, holds = timeline(call, rng.uniform(200, 260))
        length = int(max(t["end"] for t in turns) + rng.uniform(0.5, 2.0)) + 1
        hold_s = round(sum((h["end"] - h["start"] for h in holds), 0.0), 1)
        acw = int(rng.uniform(*style.acw_s))
        self.busy[agent.id] = answered + length + acw
        tags = list(scenario.tags)
        if scenario_key == "order":
            tags.append(call.slots["tag"])
        # Handed on to another department (second line, a specialist): more often by agents
        # who cannot settle the matter themselves.
        transferred = rng.random() < 0.02 + 0.08 * (1 - agent.skill)
        return {
            "id": contact_id,
            "channel": "voice",
            "direction": "inbound",
            "queue": self.org.queues[qi].id,
            "agent_id": agent.id,
            "customer_id": f"U{customer}",
            "started_at": self._iso(arrival),
            "queued_at": self._iso(queued),
            "answered_at": self._iso(answered),
            "ended_at": self._iso(answered + length),
            "disposition": "answered",
            "hangup_by": "agent" if call.agent_hangup else "customer",
            "rings": rings,
            "wait_s": answered - queued,
            "talk_s": round(length - hold_s, 1),
            "hold_s": hold_s,
            "holds": holds,
            "acw_s": acw,
            "transferred": transferred,
            "tags": tags,
            "turns": turns,
        }

    def _iso(self, second: int) -> str:
        return (self.midnight + timedelta(seconds=second)).isoformat()
