"""Every page at a million contacts: how long each takes, for the role that uses it, on
PostgreSQL filled like six months of a real center.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_volume \\
        .venv/bin/python benchmarks/volume.py                      # 1,000,000 contacts
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_volume_small \\
        .venv/bin/python benchmarks/volume.py --contacts 20000     # a quick run
    .venv/bin/python benchmarks/volume.py --keep --only kpi       # reuse a filled one

Builds its own database (the one DATABASE_URL names, default bench_volume), migrated like
production, and fills it with COPY (the fill time is printed): `--contacts` inbound calls
from 2026-06-01 to 2026-11-30 (Asia/Shanghai), weekdays busier than weekends, peaks at
10:00 and 15:00, over 20 ACD groups served by 500 agents in 40 teams, each with a team
leader's login. Some callers give up in the queue (abandoned, with their wait); the others
are answered with waits, talk, hold and after-call work, and customers call back (about one
call in eight repeats a call of the days before), so first-contact resolution has repeats.
The answered calls take their transcripts, CDR figures and automatic QA in turn from a pool
of `--pool` demo calls (lingting.demo.generator, as benchmarks/search.py does), each agent
from the same demo agent's calls so good and poor agents stay apart; each pool call is
scored once with the built-in scorecard, and its result stored as scoring stores it
(quality ContactScore with the engine's items JSON, ItemFailure rows, the contact's
current score, and what the contact meant: ContactMeaning, in versions that store it).
2 % of the scored calls are reviewed (a daily sampling plan's draws, sample
ReviewAssignments, submitted Evaluations with every ReviewedItem, findings and the
audit trail; the last two days' still pending in the reviewers' queues), a few dozen are
filed as cases, some complaint and fault calls became work orders (with their trail), one
answered call in eight got an SMS survey reply (seed 000's satisfaction survey), the
center has the demo's KPI targets, and ten agents are on "3+1" improvement plans (the
figure changes the load made the database note are dropped: step 1 counts every contact,
and a center in its steady state has few waiting). Logins
as `lingting demo` makes them: manager_chen (operations manager), qa_zhao (QA
supervisor), qa_sun (QA analyst with assignments and a team grant), leader_wang (team
leader), agent_li (agent A1001), admin, trainer_zhou, planner_wu.

Then:

1. `lingting tally_rebuild` (the daily aggregates the pages read), timed, when the command
   exists (target under 2 minutes at 1 M contacts);
2. every page, as the role that uses it, with django.test.Client: median and max of
   `--repeat` runs, SQL queries per request (the most of the runs) and how much the peak
   RSS of this process grew while the page ran (0: it stayed under the peak reached
   before; the fill runs in a child process so the pages start from a small one). A page
   answering an unexpected status is reported as an error, not timed. Also timed:
   computing the month's assessment as `lingting assessment_run` does. Targets: 500 ms an
   interactive page, 2 s the monthly report page, PDF, XLSX and generation;
3. the import rate into the filled database: `--import-contacts` fresh demo calls written
   to a JSON-lines file and stored by `lingting import --no-score`, then as many others by
   `lingting import --sync` (stored and scored in the same process), in contacts/s
   (targets: ≥ 5,000 alone; with scoring it was 2,853 before).

The database is dropped at the end unless --keep (which also reuses a filled one; the
imported contacts then stay in it). `--only WORDS` times the pages whose name or URL holds
any of the WORDS (and rebuilds the tallies only when they are not built or WORDS name
tally_rebuild); `--skip-import` leaves step 3 out.
"""

from __future__ import annotations

import argparse
import array
import gc
import multiprocessing
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import warnings
from bisect import bisect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cache
from itertools import accumulate, islice
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from postgres_bench import bench_database, copy_rows

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_volume")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lingting.config.settings")

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST_DAY = date(2026, 6, 1)
DAYS = 183  # 2026-06-01 … 2026-11-30
LAST_MONTH = date(2026, 11, 1)  # the last finished month of the data
MONTH_FROM, MONTH_TO = "2026-11-01", "2026-11-30"
AS_OF = "2026-12-01"  # "3+1" detection looks at September to November
RANKED_WEEK = "2026-W48"  # 23–29 November
AGENTS = 500
# fmt: off
QUEUE_NAMES = (
    "话费咨询", "故障报修", "投诉处理", "产品订购", "宽带业务", "国际漫游", "政企客户",
    "VIP专席", "家庭套餐", "携号转网", "流量业务", "积分兑换", "营业厅预约", "5G专区",
    "物联网卡", "账单查询", "停复机", "实名认证", "英语专席", "老年专席",
)
# fmt: on
TEAMS_PER_QUEUE = 2
ANALYSTS = 10  # qa_sun and nine others
POOL_AGENTS = 40  # the demo agents whose calls make the pool; agent n takes n % 40's
REPEAT_SHARE = 0.12  # calls that repeat a call of the last few days (first-contact resolution)
REPEAT_WINDOW_DAYS = 3
REVIEWED_SHARE = 0.02
PENDING_DAYS = 2  # reviews of the last days' calls are still in the reviewers' queues
WORK_ORDER_SHARE = 0.03  # of the complaint and fault calls
PLANS = 10
CASES = 40
INTERACTIVE_TARGET_S = 0.5
REPORT_TARGET_S = 2.0
TALLY_TARGET_S = 120.0
# The GIN index of the search documents (migration 0006), built after the load as a restore
# would (benchmarks/search.py does the same).
GIN_INDEX = "interactions_searchdocument_words_gin"
# Agent n serves queue n % 20.
AGENTS_BY_QUEUE = [
    [n for n in range(AGENTS) if n % len(QUEUE_NAMES) == q] for q in range(len(QUEUE_NAMES))
]
# Times are written as text for COPY: Asia/Shanghai has no daylight saving, a fixed +08:00.
DAY_TEXT = [(FIRST_DAY + timedelta(days=d)).isoformat() for d in range(DAYS + 40)]


def copy_text(value: str) -> str:
    """A value as COPY's text format reads it (backslash, tab and line breaks escaped)."""
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def copy_json(value: Any) -> str:
    return copy_text(orjson.dumps(value).decode())


def copy_value(value: object) -> str:
    return "\\N" if value is None else str(value)


def stamp(second: int) -> str:
    """Seconds since 2026-06-01 00:00 in Shanghai as an ISO time with its offset."""
    day, rest = divmod(second, 86400)
    return f"{DAY_TEXT[day]}T{rest // 3600:02d}:{rest // 60 % 60:02d}:{rest % 60:02d}+08:00"


# --- the pool of demo calls ---------------------------------------------------------------


@dataclass(slots=True)
class PoolCall:
    """One demo call, everything COPY writes for it computed once: its CDR columns, turns,
    search entry and (answered calls) its automatic QA result."""

    demo_agent: int  # index among the pool's demo agents; -1 for an abandoned call
    queued_off: int  # seconds after the start of the call
    answered_off: int | None
    ended_off: int
    cdr: str  # disposition … acw_s, holds: the contact's columns after its times
    tags: str
    extra: str
    turns: list[str]  # "index\tspeaker\ttext\tstart\tend"
    terms: str
    numbers: list[str]
    score: str = ""  # score … severity_c, for the ContactScore row
    items: str = ""
    failures: list[str] = field(default_factory=list)  # "item\tseverity\tpoints_lost"
    auto_results: dict[str, str] = field(default_factory=dict)
    auto: tuple[float, bool] = (0.0, False)
    meaning: str = ""  # emotion_start … details, for the ContactMeaning row scoring stores
    route: tuple[str, str] | None = None  # (work-order type, department) of its topic
    first_words: str = ""  # the customer's first turn: a work order's description


@dataclass(slots=True)
class Pool:
    calls: list[PoolCall]
    answered_by_agent: list[list[int]]  # indexes into calls, per demo agent
    abandoned: list[int]


def build_pool(size: int, seed: int) -> Pool:
    """`size` demo calls in the demo's own mix of answered and abandoned ones."""
    from lingting.demo.generator.organisation import demo_org
    from lingting.demo.generator.traffic import generate_contacts
    from lingting.demo.tickets import ROUTES
    from lingting.engine.scorecard_yaml import builtin_scorecard
    from lingting.interactions.search import search_segmenter

    # The staff alone: the demo's former agents would take some of the pool's calls, whose
    # agents the pool does not index.
    org = replace(demo_org(seed, agents=POOL_AGENTS), former=())
    agent_index = {agent.id: n for n, agent in enumerate(org.agents)}
    # From the demo's "today" on, so every demo agent (new ones too) is taking calls.
    records = generate_contacts(
        org,
        seed=seed,
        start=date(2026, 10, 1),
        days=size // (POOL_AGENTS * 8) + 2,
        calls_per_agent_day=10,
    )
    compiled = builtin_scorecard().compile()
    segmenter = search_segmenter()
    pool = Pool([], [[] for _ in org.agents], [])
    for record in islice(records, size):
        call = pool_call(record, compiled, segmenter, agent_index, ROUTES)
        if call.demo_agent < 0:
            pool.abandoned.append(len(pool.calls))
        else:
            pool.answered_by_agent[call.demo_agent].append(len(pool.calls))
        pool.calls.append(call)
    return pool


def pool_call(
    record: dict[str, Any],
    compiled: Any,
    segmenter: Any,
    agent_index: dict[str, int],
    routes: dict[str, tuple[str, str]],
) -> PoolCall:
    from lingting.engine.contacts import contact_from_record
    from lingting.interactions.search_index import search_entry_of

    contact = contact_from_record(record, tz=SHANGHAI)
    start = contact.started_at
    assert start is not None  # every demo call has its times

    def offset(moment: datetime | None) -> int | None:
        return None if moment is None else int((moment - start).total_seconds())

    terms, numbers = search_entry_of(
        segmenter, contact.turns, tags=contact.tags, customer=None, extra={}
    )
    holds = [{"start": h.start, "end": h.end} for h in contact.holds]
    call = PoolCall(
        demo_agent=agent_index.get(contact.agent_id or "", -1),
        queued_off=offset(contact.queued_at) or 0,
        answered_off=offset(contact.answered_at),
        ended_off=offset(contact.ended_at) or 0,
        cdr="\t".join(
            [
                contact.disposition or "",
                contact.hangup_by or "",
                copy_value(contact.rings),
                copy_value(contact.wait_s),
                copy_value(contact.talk_s),
                copy_value(contact.hold_s),
                copy_value(contact.acw_s),
                copy_json(holds),
            ]
        ),
        tags=copy_json(list(contact.tags)),
        extra=copy_json(dict(contact.extra)),
        turns=[
            f"{t.index}\t{t.speaker}\t{copy_text(t.text)}\t{copy_value(t.start)}\t"
            f"{copy_value(t.end)}"
            for t in contact.turns
        ],
        terms=terms,
        numbers=sorted(numbers),
        route=next((routes[tag] for tag in contact.tags if tag in routes), None),
        first_words=next((t.text for t in contact.turns if t.speaker == "customer"), ""),
    )
    if contact.turns:
        score_call(call, compiled, contact)
    return call


def score_call(call: PoolCall, compiled: Any, contact: Any) -> None:
    """The automatic result as `quality.services.scoring` stores it: the `items` of the
    engine's encoded result, and a failure row per failed item."""
    from lingting.quality.selectors.score_of_record import auto_results_in

    result = compiled.score(contact)
    counts = result.severity_counts
    items = orjson.loads(compiled.encode(result))["items"]
    call.score = (
        f"{result.score}\t{result.passed}\t{result.fatal}\t{counts.get('A', 0)}\t"
        f"{counts.get('B', 0)}\t{counts.get('C', 0)}"
    )
    call.items = copy_json(items)
    call.failures = [
        f"{item.item}\t{item.severity or ''}\t{item.points_lost}"
        for item in result.items
        if item.result == "fail"
    ]
    call.auto_results = auto_results_in(items)  # as a review stores them
    call.auto = (result.score, result.passed)
    if stores_meaning():
        call.meaning = meaning_text(result.meaning)


@cache
def stores_meaning() -> bool:
    """Whether this version stores what contacts meant (quality `ContactMeaning`)."""
    from django.db import connection

    return MEANINGS in connection.introspection.table_names()


def meaning_text(meaning: Any) -> str:
    """A contact's meaning as `quality.services.meaning` stores it, without its contact id."""
    from lingting.quality.services.meaning import meaning_row

    row = meaning_row(0, meaning)
    return "\t".join(
        [
            row.emotion_start,
            row.emotion_end,
            row.emotion_peak,
            repr(row.peak_intensity),
            str(row.calmed),
            copy_value(row.resolved),
            copy_text(row.resolution_reason),
            copy_value(
                None if row.satisfaction_predicted is None else repr(row.satisfaction_predicted)
            ),
            copy_text(row.details),
        ]
    )


# --- the organisation -----------------------------------------------------------------------


@dataclass(slots=True)
class Org:
    """Row ids of what the contacts refer to, by position."""

    queues: list[int]
    agents: list[int]  # agent n's row id
    agent_users: list[int]  # agent n's login
    reviewers: list[int]  # user ids, qa_sun twice (their plan quota is 2)
    supervisor: int
    manager: int
    version: int
    departments: dict[str, int]
    order_types: dict[str, int]


ACCOUNTS = (
    ("admin", "admin", "系统管理员"),
    ("qa_zhao", "qa_supervisor", "赵敏"),
    ("qa_sun", "qa_analyst", "孙丽"),
    ("trainer_zhou", "trainer", "周婷"),
    ("manager_chen", "operations_manager", "陈刚"),
    ("planner_wu", "wfm_planner", "吴倩"),
)


def create_organisation(seed: int) -> Org:
    """Queues, teams with their leaders, agents with their logins, the people of QA and
    operations, the work-order departments and the active standard scorecard."""
    from lingting.core.models import Agent, Role, Team, User
    from lingting.demo.generator.organisation import demo_org
    from lingting.interactions.models import Queue

    people = {
        username: User.objects.create_user(
            username, role=role, first_name=name, is_staff=role == Role.ADMIN
        )
        for username, role, name in ACCOUNTS
    }
    User.objects.filter(username="admin").update(is_superuser=True)
    analysts = [people["qa_sun"]] + [
        User.objects.create_user(f"qa_{n:02d}", role=Role.QA_ANALYST, first_name=f"质检员{n}")
        for n in range(2, ANALYSTS + 1)
    ]
    queues = Queue.objects.bulk_create(
        Queue(code=f"ACD-{q + 1:02d}", name=name) for q, name in enumerate(QUEUE_NAMES)
    )
    demo = demo_org(seed, agents=AGENTS)
    leaders = User.objects.bulk_create(
        User(
            username="leader_wang" if t == 0 else f"leader_{t + 1:02d}",
            role=Role.TEAM_LEADER,
            first_name="王磊" if t == 0 else demo.agents[-1 - t].name,
            password="!",  # an unusable password: the benchmark signs in with force_login
        )
        for t in range(len(queues) * TEAMS_PER_QUEUE)
    )
    teams = Team.objects.bulk_create(
        Team(
            code=f"T{t + 1:02d}",
            name=f"{QUEUE_NAMES[t // TEAMS_PER_QUEUE]}{t % TEAMS_PER_QUEUE + 1}班",
            leader=leader,
        )
        for t, leader in enumerate(leaders)
    )
    logins = User.objects.bulk_create(
        User(
            username="agent_li" if n == 0 else f"agent_{person.id.lower()}",
            role=Role.AGENT,
            first_name=person.name,
            password="!",
        )
        for n, person in enumerate(demo.agents)
    )
    agents = Agent.objects.bulk_create(
        Agent(
            code=person.id,
            name=person.name,
            team=teams[team_of(n)],
            user=logins[n],
            hired_on=person.hired_on,
        )
        for n, person in enumerate(demo.agents)
    )
    return Org(
        queues=[q.pk for q in queues],
        agents=[a.pk for a in agents],
        agent_users=[u.pk for u in logins],
        reviewers=[u.pk for u in [analysts[0], *analysts, people["qa_zhao"]]],
        supervisor=people["qa_zhao"].pk,
        manager=people["manager_chen"].pk,
        version=active_scorecard(people["admin"]),
        departments=work_order_departments(),
        order_types=order_types(),
    )


def team_of(agent: int) -> int:
    """Agent n serves queue n % 20, in the first or second team of that queue; agent 0
    (agent_li, A1001) is in leader_wang's team T01."""
    queue = agent % len(QUEUE_NAMES)
    return queue * TEAMS_PER_QUEUE + (agent // len(QUEUE_NAMES)) % TEAMS_PER_QUEUE


def active_scorecard(admin: Any) -> int:
    from lingting.engine.scorecard_yaml import builtin_scorecard
    from lingting.quality.services import scorecard_load, scorecard_version_activate

    version = scorecard_load(scorecard=builtin_scorecard(), actor=admin)
    scorecard_version_activate(version=version, actor=admin, rescore=False)
    return int(version.pk)


def work_order_departments() -> dict[str, int]:
    """The demo's back-office departments, each with its lead's login."""
    from lingting.core.models import Role, User
    from lingting.demo.tickets import DEPARTMENTS
    from lingting.workorders.models import Department

    made = {}
    for code, name, username, person, hours in DEPARTMENTS:
        lead = User.objects.create_user(username, role=Role.AGENT, first_name=person)
        department = Department.objects.create(
            code=code, name=name, lead=lead, working_hours=hours or []
        )
        department.members.add(lead)
        made[code] = department.pk
    return made


def order_types() -> dict[str, int]:
    from lingting.workorders.models import WorkOrderType
    from lingting.workorders.seeds import workorder_types_ensure

    workorder_types_ensure()  # the migration seeds them; this only makes sure
    return dict(WorkOrderType.objects.values_list("code", "pk"))


# --- the contacts, planned before they are written ------------------------------------------


@dataclass(slots=True)
class ContactPlan:
    """Per contact (position n is contact id n + 1), in time order: compact arrays, so the
    COPY passes over contacts, turns, scores … read the same contacts again cheaply."""

    start: array.array[int] = field(default_factory=lambda: array.array("l"))
    queue: array.array[int] = field(default_factory=lambda: array.array("b"))
    agent: array.array[int] = field(default_factory=lambda: array.array("h"))  # -1: none
    customer: array.array[int] = field(default_factory=lambda: array.array("l"))
    call: array.array[int] = field(default_factory=lambda: array.array("l"))
    score: array.array[int] = field(default_factory=lambda: array.array("l"))  # 0: none
    reviewed: list[int] = field(default_factory=list)  # positions, submitted reviews
    pending: list[int] = field(default_factory=list)  # positions, reviews still to do
    orders: list[int] = field(default_factory=list)  # positions that became work orders
    customers: int = 0

    def __len__(self) -> int:
        return len(self.start)


def plan_contacts(count: int, pool: Pool, seed: int) -> ContactPlan:
    """When each call came, to which queue and agent, from which customer, and what became
    of it; the day's volume follows the demo's weekday factors and hourly curve."""
    from lingting.demo.generator.traffic import (
        DAY_FACTORS,
        FIRST_HOUR,
        WEEKDAY_HOURS,
        WEEKEND_HOURS,
    )

    rng = random.Random(f"volume:{seed}")
    plan = ContactPlan(customers=max(1000, count // 2))
    queue_cum = list(accumulate(1.0 / (1 + 0.12 * q) for q in range(len(QUEUE_NAMES))))
    recent: list[int] = []  # the customers of the last few days' calls, a ring
    window = max(50, count * REPEAT_WINDOW_DAYS // DAYS)
    pending_from = (DAYS - PENDING_DAYS) * 86400
    for day, calls in enumerate(day_counts(count, DAY_FACTORS)):
        weekend = (FIRST_DAY + timedelta(days=day)).weekday() >= 5
        hours = WEEKEND_HOURS if weekend else WEEKDAY_HOURS
        hour_cum = list(accumulate(hours))
        for second in sorted(
            (FIRST_HOUR + bisect(hour_cum, rng.random() * hour_cum[-1])) * 3600
            + rng.randrange(3600)
            for _ in range(calls)
        ):
            load = hours[second // 3600 - FIRST_HOUR] / max(hours)
            plan_one(plan, pool, rng, day * 86400 + second, load, queue_cum, recent, window)
            position = len(plan) - 1
            if plan.score[position]:
                if rng.random() < REVIEWED_SHARE:
                    late = plan.start[position] >= pending_from
                    (plan.pending if late else plan.reviewed).append(position)
                call = pool.calls[plan.call[position]]
                if call.route and rng.random() < WORK_ORDER_SHARE:
                    plan.orders.append(position)
    return plan


def day_counts(total: int, factors: Sequence[float]) -> list[int]:
    """`total` calls shared over the days by their weekday's factor."""
    weights = [factors[(FIRST_DAY + timedelta(days=d)).weekday()] for d in range(DAYS)]
    counts = [int(total * w / sum(weights)) for w in weights]
    for d in range(total - sum(counts)):
        counts[d % DAYS] += 1
    return counts


def plan_one(
    plan: ContactPlan,
    pool: Pool,
    rng: random.Random,
    second: int,
    load: float,
    queue_cum: list[float],
    recent: list[int],
    window: int,
) -> None:
    queue = bisect(queue_cum, rng.random() * queue_cum[-1])
    if recent and rng.random() < REPEAT_SHARE:
        customer = recent[rng.randrange(len(recent))]  # calling again about the same thing
    else:
        customer = 1 + rng.randrange(plan.customers)
    recent.append(customer)
    if len(recent) > window:
        del recent[: len(recent) - window]
    # The demo's odds of giving up in the queue, higher in the busy hours.
    if rng.random() < 0.035 + 0.05 * load**1.5 and pool.abandoned:
        agent, call = -1, pool.abandoned[rng.randrange(len(pool.abandoned))]
    else:
        agent = rng.choice(AGENTS_BY_QUEUE[queue])
        own = pool.answered_by_agent[agent % POOL_AGENTS] or pool.answered_by_agent[0]
        call = own[rng.randrange(len(own))]
    plan.start.append(second)
    plan.queue.append(queue)
    plan.agent.append(agent)
    plan.customer.append(customer)
    plan.call.append(call)
    # An answered call is scored; its score's id is the contact's id.
    plan.score.append(len(plan.start) if agent >= 0 else 0)


# --- COPY: the rows of each table -----------------------------------------------------------

CONTACT_COLUMNS = (
    "id, external_id, channel, direction, queue_id, agent_id, customer_id, queued_at, "
    "started_at, answered_at, ended_at, disposition, hangup_by, rings, wait_s, talk_s, hold_s, "
    "acw_s, holds, tags, turn_count, extra, imported_at, updated_at, current_score_id"
)
MEANINGS = "quality_contactmeaning"
MEANING_COLUMNS = (
    "contact_id, emotion_start, emotion_end, emotion_peak, peak_intensity, calmed, resolved, "
    "resolution_reason, satisfaction_predicted, details, computed_at"
)
SCORE_COLUMNS = (
    "id, contact_id, version_id, score, passed, fatal, severity_a, severity_b, severity_c, "
    "items, scored_at"
)


def contact_rows(plan: ContactPlan, pool: Pool, org: Org) -> Iterator[str]:
    for n in range(len(plan)):
        call, start, agent = pool.calls[plan.call[n]], plan.start[n], plan.agent[n]
        answered = "\\N" if call.answered_off is None else stamp(start + call.answered_off)
        ended = start + call.ended_off
        imported = stamp(ended + 300)  # the ACD's files arrive a few minutes later
        yield (
            f"{n + 1}\tV{n + 1:09d}\tvoice\tinbound\t{org.queues[plan.queue[n]]}\t"
            f"{org.agents[agent] if agent >= 0 else '\\N'}\t{plan.customer[n]}\t"
            f"{stamp(start + call.queued_off)}\t{stamp(start)}\t{answered}\t{stamp(ended)}\t"
            f"{call.cdr}\t{call.tags}\t{len(call.turns)}\t{call.extra}\t{imported}\t{imported}\t"
            f"{plan.score[n] or '\\N'}"
        )


def customer_rows(plan: ContactPlan) -> Iterator[str]:
    return (f"{n}\tU{n}" for n in range(1, plan.customers + 1))


def turn_rows(plan: ContactPlan, pool: Pool) -> Iterator[str]:
    for n in range(len(plan)):
        for turn in pool.calls[plan.call[n]].turns:
            yield f"{n + 1}\t{turn}"


def document_rows(plan: ContactPlan, pool: Pool) -> Iterator[str]:
    for n in range(len(plan)):
        terms = pool.calls[plan.call[n]].terms
        if terms:
            yield f"{n + 1}\t{terms}"


def number_rows(plan: ContactPlan, pool: Pool) -> Iterator[str]:
    for n in range(len(plan)):
        for number in pool.calls[plan.call[n]].numbers:
            yield f"{n + 1}\t{number}"


def score_rows(plan: ContactPlan, pool: Pool, org: Org) -> Iterator[str]:
    for n in range(len(plan)):
        if plan.score[n]:
            call = pool.calls[plan.call[n]]
            scored = stamp(plan.start[n] + call.ended_off + 360)  # scored after the import
            yield f"{n + 1}\t{n + 1}\t{org.version}\t{call.score}\t{call.items}\t{scored}"


def meaning_rows(plan: ContactPlan, pool: Pool) -> Iterator[str]:
    """What each scored contact meant, stored with its score (as scoring stores it)."""
    for n in range(len(plan)):
        if plan.score[n]:
            call = pool.calls[plan.call[n]]
            if call.meaning:
                scored = stamp(plan.start[n] + call.ended_off + 360)
                yield f"{n + 1}\t{call.meaning}\t{scored}"


def failure_rows(plan: ContactPlan, pool: Pool) -> Iterator[str]:
    for n in range(len(plan)):
        if plan.score[n]:
            for failure in pool.calls[plan.call[n]].failures:
                yield f"{n + 1}\t{failure}"


SURVEYED = 0.12  # of the answered calls, the share whose customer answers the SMS survey
SURVEY_COMMENTS = ("等了很久才接通", "问题还是没有解决", "客服态度一般", "解释得不清楚", "")


def survey_rows(plan: ContactPlan, pool: Pool, seed: int) -> Iterator[str]:
    """Seed 000's SMS survey after the call: about one answered call in eight gets a reply
    (1–5) minutes to an hour after it ended, lower after a call the machine scored low, a
    comment with some of the unsatisfied ones."""
    rng = random.Random(f"surveys:{seed}")
    for n in range(len(plan)):
        call = pool.calls[plan.call[n]]
        if call.answered_off is None or rng.random() >= SURVEYED:
            continue
        good = call.auto[0] >= 80
        score = rng.choices((5, 4, 3, 2, 1), (70, 18, 7, 3, 2) if good else (45, 25, 15, 9, 6))[0]
        comment = rng.choice(SURVEY_COMMENTS) if score <= 3 else ""
        answered = stamp(plan.start[n] + call.ended_off + rng.randrange(120, 3600))
        yield f"{n + 1}\tsms\t{score}\t5\t{answered}\t{comment}\t{answered}"


# --- reviews: the sampling plan's draws, assignments and monitoring records ------------------


@dataclass(slots=True)
class ReviewRows:
    assignments: list[str] = field(default_factory=list)
    evaluations: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    audits: list[str] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)


def review_rows(plan: ContactPlan, pool: Pool, org: Org, seed: int) -> ReviewRows:
    """A day's sample is reviewed the next day by the plan's reviewers, as the demo's
    reviewers do it (most automatic results confirmed, some phrase items overturned, a few
    manual problems found); the last days' samples are still pending."""
    from lingting.engine.scorecard_yaml import builtin_scorecard

    rng = random.Random(f"reviews:{seed}")
    draws = sample_draws(plan, org)
    scorecard = builtin_scorecard()
    rows = ReviewRows()
    assignment = 0
    for position in plan.reviewed:
        assignment += 1
        review_one(rows, assignment, position, plan, pool, org, draws, scorecard, rng)
    for position in plan.pending:
        assignment += 1
        day = plan.start[position] // 86400 + 1
        reviewer = org.reviewers[position % len(org.reviewers)]
        rows.assignments.append(
            f"{assignment}\t{position + 1}\t{reviewer}\t{draws[day]}\tsample\tpending\t"
            f"{stamp(day * 86400 + 7 * 3600)}"
        )
    step = max(1, len(plan.reviewed) // CASES)
    for position in plan.reviewed[::step][:CASES]:
        created = stamp(plan.start[position] + 2 * 86400)
        kind = "excellent" if pool.calls[plan.call[position]].auto[1] else "poor"
        rows.cases.append(
            f"{position + 1}\t{kind}\t案例 V{position + 1:09d}\t点评\t[]\t{org.supervisor}\t"
            f"{created}\tTrue\t{created}"
        )
    return rows


def sample_draws(plan: ContactPlan, org: Org) -> dict[int, int]:
    """The daily plan and one draw a day (of the day before's calls): draw id by day."""
    from lingting.quality.models import PlanReviewer, SampleDraw, SamplingPlan

    daily = SamplingPlan.objects.create(
        name="每日分层抽检",
        method="stratified",
        stratify_by="queue",
        allocation="proportional",
        sample_size=max(1, round(len(plan) * REVIEWED_SHARE / DAYS)),
        min_per_agent_month=3,
        schedule="daily",
        created_by_id=org.supervisor,
    )
    quotas: dict[int, int] = {}
    for reviewer in org.reviewers:
        quotas[reviewer] = quotas.get(reviewer, 0) + 1
    PlanReviewer.objects.bulk_create(
        PlanReviewer(plan=daily, reviewer_id=reviewer, quota=quota)
        for reviewer, quota in quotas.items()
    )
    drawn: dict[int, int] = {}
    for position in plan.reviewed + plan.pending:
        day = plan.start[position] // 86400 + 1
        drawn[day] = drawn.get(day, 0) + 1
    start = datetime(FIRST_DAY.year, FIRST_DAY.month, FIRST_DAY.day, tzinfo=SHANGHAI)
    draws = SampleDraw.objects.bulk_create(
        SampleDraw(
            plan=daily,
            day=FIRST_DAY + timedelta(days=day),
            seed=day,
            window_start=start + timedelta(days=day - 1),
            window_end=start + timedelta(days=day),
            candidates=len(plan) // DAYS,
            drawn=drawn.get(day, 0),
        )
        for day in range(1, DAYS + 1)
    )
    return {day: draw.pk for day, draw in enumerate(draws, start=1)}


def review_one(
    rows: ReviewRows,
    number: int,
    position: int,
    plan: ContactPlan,
    pool: Pool,
    org: Org,
    draws: dict[int, int],
    scorecard: Any,
    rng: random.Random,
) -> None:
    """One submitted review: its assignment, its record (scored by the engine from the
    reviewer's answers), every item, the findings and the audit event."""
    from lingting.demo.quality import MANUAL_FAIL_RATE, OFTEN_OVERTURNED
    from lingting.engine.evaluation import Answer, evaluate_answers

    call = pool.calls[plan.call[position]]
    answers: dict[str, Answer] = {}
    findings: list[tuple[str, str]] = []
    for item in scorecard.items:
        machine = call.auto_results.get(item.id)
        if machine not in ("pass", "fail", "na"):  # a manual item: the reviewer's own view
            failed = rng.random() < MANUAL_FAIL_RATE
            answers[item.id] = Answer("fail" if failed else "pass")
            if failed:
                scope = "common" if rng.random() < 0.4 else "individual"
                findings.append((item.id, f"{copy_text(item.title)}不到位\t{scope}"))
        elif machine == "fail" and rng.random() < OFTEN_OVERTURNED.get(item.id, 0.0):
            answers[item.id] = Answer("pass", reason="结合上下文，该用语并非问题")
        else:
            answers[item.id] = Answer(machine)  # type: ignore[arg-type]
    outcome = evaluate_answers(scorecard, answers, auto_results=call.auto_results)
    day = plan.start[position] // 86400 + 1
    reviewer = org.reviewers[number % len(org.reviewers)]
    submitted = stamp(day * 86400 + 9 * 3600 + rng.randrange(8 * 3600))
    counts = outcome.severity_counts
    contact = position + 1
    rows.assignments.append(
        f"{number}\t{contact}\t{reviewer}\t{draws[day]}\tsample\tsubmitted\t"
        f"{stamp(day * 86400 + 7 * 3600)}"
    )
    rows.evaluations.append(
        f"{number}\t{contact}\t{reviewer}\t{number}\tsample\t{org.version}\t{contact}\t"
        f"{outcome.score}\t{outcome.passed}\t{outcome.fatal}\t{counts['A']}\t{counts['B']}\t"
        f"{counts['C']}\t{'整体服务规范' if not findings else '存在需改进之处，见问题记录'}\t"
        f"{bool(findings) and rng.random() < 0.5}\t\t"
        f"{'业务知识' if any('common' in f for _i, f in findings) else ''}\t{submitted}"
    )
    for index, item in enumerate(outcome.items):
        rows.items.append(
            f"{number}\t{index}\t{item.item}\t{copy_text(item.title)}\t{item.section}\t"
            f"{item.severity}\t{item.fatal}\t{item.points}\t{item.result}\t{item.points_lost}\t"
            f"{item.auto_result}\t{item.overturned}\t{item.reason}\t{item.note}"
        )
    rows.findings.extend(f"{number}\t{item}\t\t{note}" for item, note in findings)
    overturned = {i.item: [i.auto_result, i.result] for i in outcome.items if i.overturned}
    score, passed = call.auto
    rows.audits.append(
        f"{submitted}\t{reviewer}\tevaluation.submit\tcontact\t{contact}\t"
        + copy_json({"score": score, "passed": passed, "source": "auto"})
        + "\t"
        + copy_json(
            {
                "score": outcome.score,
                "passed": outcome.passed,
                "source": "review",
                "evaluation": number,
                "overturned": overturned,
            }
        )
        + "\t"
        + copy_text("\n".join(f"{i.title}：{i.reason}" for i in outcome.items if i.overturned))
    )


# --- work orders ------------------------------------------------------------------------------


@dataclass(slots=True)
class OrderRows:
    orders: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)


# Where an order taken more than a few days before the end of the data stands now, and the
# steps that took it there (the trail's actions and the stage each leaves it in).
CLOSED_STEPS = (
    ("dispatch", "dispatched"),
    ("reply", "replied"),
    ("accept", "reviewed"),
    ("callback", "callback"),
    ("callback_result", "closed"),
)
RETURNED_STEPS = (
    ("dispatch", "dispatched"),
    ("reply", "replied"),
    ("return", "dispatched"),
    ("reply", "replied"),
    ("accept", "reviewed"),
    ("callback", "callback"),
    ("callback_result", "closed"),
)
OPEN_STEPS = (
    (),
    (("dispatch", "dispatched"),),
    (("dispatch", "dispatched"), ("reply", "replied")),
    (("dispatch", "dispatched"), ("reply", "replied"), ("accept", "reviewed")),
    CLOSED_STEPS[:4],
)


def order_rows(plan: ContactPlan, pool: Pool, org: Org, seed: int) -> OrderRows:
    """Orders taken by the agent from the call, dispatched to the topic's department and
    closed after a callback (one in ten returned once on the way, a few cancelled); the
    last days' orders are still at some stage of the loop."""
    rng = random.Random(f"orders:{seed}")
    rows = OrderRows()
    open_from = (DAYS - 5) * 86400
    for number, position in enumerate(plan.orders, start=1):
        call = pool.calls[plan.call[position]]
        assert call.route is not None
        created = plan.start[position] + call.ended_off + 120
        if created >= open_from:
            steps: Sequence[tuple[str, str]] = OPEN_STEPS[rng.randrange(len(OPEN_STEPS))]
        elif rng.random() < 0.03:
            steps = (("cancel", "cancelled"),)
        else:
            steps = RETURNED_STEPS if rng.random() < 0.1 else CLOSED_STEPS
        order_one(rows, number, position, plan, org, call, created, steps, rng)
    return rows


def order_one(
    rows: OrderRows,
    number: int,
    position: int,
    plan: ContactPlan,
    org: Org,
    call: PoolCall,
    created: int,
    steps: Sequence[tuple[str, str]],
    rng: random.Random,
) -> None:
    assert call.route is not None
    kind, department = call.route
    customer = plan.customer[position]
    taker = org.agent_users[plan.agent[position]]
    hours = 8 if kind == "fault" else 5 * 24  # the seeded time limits, roughly
    at, state = created, "accepted"
    rows.events.append(f"{number}\tcreate\t{taker}\t{stamp(at)}\t\taccepted\t\t{{}}\t1")
    for version, (action, after) in enumerate(steps, start=2):
        at += rng.randrange(1800, hours * 3600 // 2)
        reason = "回复未说明处理时限，客户不认可" if action == "return" else ""
        rows.events.append(
            f"{number}\t{action}\t{taker}\t{stamp(at)}\t{state}\t{after}\t{reason}\t{{}}\t{version}"
        )
        state = after
    fields = {"phone": f"1{3 + customer % 7}{customer * 7919 % 10**9:09d}"}
    if kind == "fault":
        fields |= {"address": "城关区民主西路 18 号", "fault_kind": "其他"}
    title = f"{'宽带故障报修' if kind == 'fault' else '投诉'}：U{customer}"
    closed = stamp(at) if state == "closed" else "\\N"
    rows.orders.append(
        f"{number}\tGD{DAY_TEXT[created // 86400].replace('-', '')}{number:06d}\t"
        f"{org.order_types[kind]}\t{title}\t"
        f"{copy_text(call.first_words)}\t{copy_json(fields)}\t{customer}\t"
        f"{position + 1}\t{'high' if kind == 'fault' else 'normal'}\t{state}\tFalse\t"
        f"{org.departments[department]}\t{taker}\t{taker}\t{stamp(created)}\t{stamp(at)}\t"
        f"{closed}\t{stamp(created + hours * 3600)}\t{stamp(created + hours * 1800)}\t0\t"
        f"{sum(1 for a, _s in steps if a == 'return')}\t0\t"
        f"{'True' if state == 'closed' else '\\N'}\tFalse\t0\t{len(steps) + 1}"
    )


# --- the fill ---------------------------------------------------------------------------------

ORDER_COLUMNS = (
    "id, number, type_id, title, description, fields, customer_id, contact_id, priority, "
    "state, paused, department_id, owner_id, created_by_id, created_at, updated_at, "
    "closed_at, due_at, warn_from, urges, returns, reopens, satisfied, threatened, "
    "escalation_level, version"
)
# Scores are TOASTed: lz4 (where the server has it) compresses them faster, as scoring does.
LZ4 = (
    "SELECT set_config('default_toast_compression', 'lz4', true) FROM pg_settings"
    " WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
)
# Tables written with their own ids: their sequences go on from the largest.
NUMBERED = (
    "interactions_customer",
    "interactions_contact",
    "quality_contactscore",
    "quality_reviewassignment",
    "quality_evaluation",
    "tickets_workorder",
)


def fill(contacts: int, pool_size: int, seed: int) -> None:
    """Build the center and write its six months, a COPY per table in one transaction."""
    from django.db import connection, transaction

    began = time.perf_counter()
    pool = build_pool(pool_size, seed)
    print(
        f"pool of {len(pool.calls):,} demo calls ({len(pool.abandoned):,} abandoned) scored "
        f"and indexed in {time.perf_counter() - began:.1f} s"
    )
    plan = plan_contacts(contacts, pool, seed)
    with transaction.atomic():
        org = create_organisation(seed)
        reviews = review_rows(plan, pool, org, seed)
        orders = order_rows(plan, pool, org, seed)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX {GIN_INDEX}")
            cursor.execute(LZ4)
            for what, table, columns, rows in copy_steps(plan, pool, org, reviews, orders, seed):
                started = time.perf_counter()
                count = copy_rows(cursor.cursor, table, columns, rows)
                print(f"copied {count:,} {what} in {time.perf_counter() - started:.1f} s")
            for table in NUMBERED:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
                )
    # After the commit: the deferred foreign-key checks of the COPYs must have run.
    with transaction.atomic(), connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cursor.execute(f"CREATE INDEX {GIN_INDEX} ON interactions_searchdocument USING gin (words)")
        print(f"GIN index built in {time.perf_counter() - started:.1f} s")
    settle_the_center(org)
    forget_figure_changes()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # what autovacuum would have done over six months
    print(f"VACUUM ANALYZE in {time.perf_counter() - started:.1f} s")
    print(
        f"filled: {len(plan):,} contacts 2026-06-01 … 2026-11-30, {plan.customers:,} customers, "
        f"{len(plan.reviewed):,} reviewed, {len(plan.pending):,} pending reviews, "
        f"{len(plan.orders):,} work orders"
    )


def copy_steps(
    plan: ContactPlan, pool: Pool, org: Org, reviews: ReviewRows, orders: OrderRows, seed: int
) -> list[tuple[str, str, str, Any]]:
    """(what, table, columns, rows) in an order the foreign keys accept at commit."""
    return [
        ("customers", "interactions_customer", "id, code", customer_rows(plan)),
        ("contacts", "interactions_contact", CONTACT_COLUMNS, contact_rows(plan, pool, org)),
        (
            "turns",
            "interactions_turn",
            'contact_id, "index", speaker, text, start, "end"',
            turn_rows(plan, pool),
        ),
        (
            "search documents",
            "interactions_searchdocument",
            "contact_id, terms",
            document_rows(plan, pool),
        ),
        (
            "phone numbers",
            "interactions_phonenumber",
            "contact_id, number",
            number_rows(plan, pool),
        ),
        ("scores", "quality_contactscore", SCORE_COLUMNS, score_rows(plan, pool, org)),
        (
            "failed items",
            "quality_itemfailure",
            "score_id, item, severity, points_lost",
            failure_rows(plan, pool),
        ),
        *(
            [("meanings", MEANINGS, MEANING_COLUMNS, meaning_rows(plan, pool))]
            if stores_meaning()
            else []
        ),
        (
            "review assignments",
            "quality_reviewassignment",
            "id, contact_id, reviewer_id, draw_id, kind, status, assigned_at",
            reviews.assignments,
        ),
        (
            "monitoring records",
            "quality_evaluation",
            "id, contact_id, reviewer_id, assignment_id, kind, version_id, auto_score_id, score, "
            "passed, fatal, severity_a, severity_b, severity_c, summary, coaching_proposed, "
            "coaching_note, training_need, submitted_at",
            reviews.evaluations,
        ),
        (
            "reviewed items",
            "quality_revieweditem",
            "evaluation_id, position, item, title, section, severity, fatal, points, result, "
            "points_lost, auto_result, overturned, reason, note",
            reviews.items,
        ),
        (
            "findings",
            "quality_finding",
            "evaluation_id, item, quote, note, scope",
            reviews.findings,
        ),
        (
            "audit events",
            "core_auditevent",
            "at, actor_id, action, object_type, object_id, before, after, note",
            reviews.audits,
        ),
        (
            "cases",
            "quality_case",
            "contact_id, kind, title, note, tags, created_by_id, created_at, shared, shared_at",
            reviews.cases,
        ),
        (
            "survey responses",
            "surveys_surveyresponse",
            "contact_id, channel, score, scale, answered_at, comment, imported_at",
            survey_rows(plan, pool, seed),
        ),
        ("work orders", "tickets_workorder", ORDER_COLUMNS, orders.orders),
        (
            "work-order events",
            "tickets_workorderevent",
            "order_id, action, actor_id, at, before, after, reason, payload, version",
            orders.events,
        ),
    ]


def settle_the_center(org: Org) -> None:
    """What the people of the center set up through the app: the demo's KPI targets, the
    QA analyst's standing grant on agent_li's team, "3+1" plans for the ten agents with the
    lowest QA score over June–August."""
    from lingting.core.models import Team, User
    from lingting.demo.management.commands.demo import DEMO_TARGETS
    from lingting.interactions.services import access_grants_set
    from lingting.performance.services import kpi_target_set

    manager = User.objects.get(pk=org.manager)
    for figure, green, amber in DEMO_TARGETS:
        kpi_target_set(actor=manager, figure=figure, queue=None, green=green, amber=amber)
    access_grants_set(
        actor=User.objects.get(pk=org.supervisor),
        user=User.objects.get(username="qa_sun"),
        teams=[Team.objects.get(code="T01")],
        queues=[],
    )
    open_plans(manager)


def forget_figure_changes() -> None:
    """The database notes every contact written for the daily tallies to count again
    (interactions.FigureChange); a center in its steady state has few waiting, and
    `tally_rebuild` counts every contact anyway: the load's notes are dropped."""
    from django.db import connection

    table = "interactions_figurechange"
    if table not in connection.introspection.table_names():
        return  # no daily tallies in this version
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        print(f"dropped the load's {cursor.fetchone()[0]:,} figure changes")
        cursor.execute(f"TRUNCATE {table}")


def open_plans(manager: Any) -> None:
    from django.db import connection

    from lingting.coaching.models import ImprovementPlan

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.agent_id, to_char(c.started_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM'),"
            " avg(s.score) FROM interactions_contact c"
            " JOIN quality_contactscore s ON s.id = c.current_score_id"
            " WHERE c.started_at >= '2026-06-01T00:00+08:00'"
            " AND c.started_at < '2026-09-01T00:00+08:00' GROUP BY 1, 2"
        )
        months: dict[int, dict[str, float]] = {}
        for agent, month, mean in cursor.fetchall():
            months.setdefault(agent, {})[month] = float(mean)
    detected = ["2026-06", "2026-07", "2026-08"]
    worst = sorted(
        (a for a, m in months.items() if len(m) == 3), key=lambda a: sum(months[a].values())
    )[:PLANS]
    ImprovementPlan.objects.bulk_create(
        ImprovementPlan(
            agent_id=agent,
            figure="qa_score",
            detected_months=detected,
            baseline=[round(months[agent][m], 1) for m in detected],
            target_green=97.0,
            focus="服务用语",
            status="in_progress",
            opened_on=date(2026, 9, 1),
            opened_by=manager,
        )
        for agent in worst
    )


def fill_apart(contacts: int, pool_size: int, seed: int) -> float:
    """Fill in a child process (its memory is not this one's, whose peak the pages measure);
    returns the seconds it took."""
    from django.db import connection

    connection.close()  # the child opens its own
    began = time.perf_counter()
    child = multiprocessing.get_context("fork").Process(
        target=fill, args=(contacts, pool_size, seed)
    )
    child.start()
    child.join()
    if child.exitcode != 0:
        sys.exit(f"the fill failed (exit status {child.exitcode})")
    return time.perf_counter() - began


# --- timing the pages -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Page:
    """One request as the role that makes it. A POST (`data`) that worked redirects to a
    URL holding `redirect_to`; `follow` follows redirects (a landing page)."""

    name: str
    role: str  # the username
    url: str
    target_s: float | None = INTERACTIVE_TARGET_S
    data: dict[str, str] | None = None
    redirect_to: str = ""
    follow: bool = False


@dataclass(slots=True)
class Timing:
    name: str
    role: str
    target_s: float | None
    seconds: list[float] = field(default_factory=list)
    queries: int | None = None
    rss_mb: float | None = None
    error: str = ""

    @property
    def verdict(self) -> str:
        if self.error:
            return "ERROR"
        if self.target_s is None or not self.seconds:
            return "-"
        return "OK" if statistics.median(self.seconds) <= self.target_s else "SLOW"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def measure(timing: Timing, work: Callable[[], str], repeat: int) -> Timing:
    """Run `work` `repeat` times, counting its SQL queries (the most of any run); `work`
    returns why its answer is wrong, or "" when right. A wrong answer stops the timing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    gc.collect()
    before = peak_rss_mb()
    for _ in range(repeat):
        # The log keeps its last 9,000 queries: emptied, it counts this run's from 0.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            try:
                problem = work()
            except Exception as error:  # a server error: the page is reported, not timed
                problem = f"{type(error).__name__}: {error}"
            elapsed = time.perf_counter() - began
        if problem:
            timing.error = " ".join(problem.split())[:160]
            timing.seconds = []
            return timing
        timing.seconds.append(elapsed)
        timing.queries = max(timing.queries or 0, len(captured))
    timing.rss_mb = peak_rss_mb() - before
    return timing


QUERY_LOG_LIMIT = 9000  # django.db.backends.base.base.BaseDatabaseWrapper.queries_limit


def queries_text(count: int | None) -> str:
    if count is None:
        return "-"
    return f"{QUERY_LOG_LIMIT:,}+" if count >= QUERY_LOG_LIMIT else str(count)


def request_page(client: Any, page: Page) -> str:
    """Make the request and read the whole answer (a download streams); "" when it is the
    answer the page should give."""
    if page.data is not None:
        response = client.post(page.url, page.data)
    else:
        response = client.get(page.url, follow=page.follow)
    if response.streaming:
        b"".join(response.streaming_content)
    response.close()
    expected = 302 if page.data is not None else 200
    if response.status_code != expected:
        detail = "" if response.streaming else response.content[:200].decode(errors="replace")
        if "html" in response.get("Content-Type", ""):
            detail = ""  # a page of markup says nothing in a table cell
        return f"HTTP {response.status_code} {detail}"
    if page.redirect_to and page.redirect_to not in response.get("Location", ""):
        return f"redirected to {response.get('Location')}"
    return ""


@dataclass(frozen=True, slots=True)
class Ids:
    """Rows a page names in its URL."""

    reviewed_contact: int
    assigned_contact: int
    evaluation: int
    work_order: int
    plan: int  # an improvement plan
    planned_agent: str  # its agent's code
    leaders_agent: str  # an agent of leader_wang's team


def find_ids() -> Ids:
    from lingting.coaching.models import ImprovementPlan
    from lingting.core.models import Agent
    from lingting.quality.models import Evaluation, ReviewAssignment
    from lingting.workorders.models import WorkOrder

    record = Evaluation.objects.filter(kind="sample").order_by("-contact_id").first()
    assigned = ReviewAssignment.objects.filter(reviewer__username="qa_sun").order_by("-id").first()
    order = WorkOrder.objects.order_by("-id").first()
    plan = ImprovementPlan.objects.select_related("agent").order_by("id").first()
    led = Agent.objects.filter(team__leader__username="leader_wang").order_by("code").first()
    if record is None or assigned is None or order is None or plan is None or led is None:
        sys.exit("the database has no review, assignment, work order, plan or team to open")
    return Ids(
        record.contact_id,
        assigned.contact_id,
        record.pk,
        order.pk,
        plan.pk,
        plan.agent.code,
        led.code,
    )


def pages(ids: Ids) -> list[Page]:
    """Every page of the issue, as the role that uses it."""
    month = f"date_from={MONTH_FROM}&date_to={MONTH_TO}"
    diagnosed = "date_from=2026-09-01&date_to=2026-11-30"  # the months detection looks at
    report = REPORT_TARGET_S
    return [
        Page("话务指标 KPIs, default view", "manager_chen", "/performance/kpis/"),
        Page(
            "话务指标 KPIs by agent, 2026-11",
            "manager_chen",
            f"/performance/kpis/?by=agent&{month}",
        ),
        Page("话务指标 KPIs, default view", "leader_wang", "/performance/kpis/"),
        Page('"3+1" detection', "manager_chen", f"/coaching/detect/?as_of={AS_OF}"),
        Page('"3+1" detection', "leader_wang", f"/coaching/detect/?as_of={AS_OF}"),
        Page("每周排行榜 ranking", "agent_li", f"/performance/ranking/?week={RANKED_WEEK}"),
        Page("每周排行榜 ranking", "manager_chen", f"/performance/ranking/?week={RANKED_WEEK}"),
        Page(
            "月度考核 assessment, 2026-11", "manager_chen", "/performance/assessment/?month=2026-11"
        ),
        Page(
            "月度考核 assessment, 2026-11", "leader_wang", "/performance/assessment/?month=2026-11"
        ),
        Page(
            '"3+1" diagnosis of one agent (the card asks for it)',
            "manager_chen",
            f"/coaching/detect/diagnosis/?agent={ids.planned_agent}&{diagnosed}&fragment=1",
        ),
        Page(
            '"3+1" diagnosis of one agent (the card asks for it)',
            "leader_wang",
            f"/coaching/detect/diagnosis/?agent={ids.leaders_agent}&{diagnosed}&fragment=1",
        ),
        Page("improvement plan page", "manager_chen", f"/coaching/plans/{ids.plan}/"),
        Page("coaching effect", "manager_chen", "/coaching/effect/"),
        Page("improvement plans", "manager_chen", "/coaching/"),
        Page("KPI API by day", "manager_chen", "/api/kpis/"),
        Page("KPI API by agent, 2026-11", "manager_chen", f"/api/kpis/?by=agent&{month}"),
        Page("monthly report page", "qa_zhao", "/reports/monthly/?period=2026-11", report),
        Page(
            "monthly report PDF", "qa_zhao", "/reports/monthly/download.pdf?period=2026-11", report
        ),
        Page(
            "monthly report XLSX",
            "qa_zhao",
            "/reports/monthly/download.xlsx?period=2026-11",
            report,
        ),
        Page(
            "monthly report generate",
            "qa_zhao",
            "/reports/archive/generate/",
            report,
            data={"kind": "monthly", "period": "2026-11"},
            redirect_to="#report-",
        ),
        Page(
            "monthly report page (own teams)",
            "leader_wang",
            "/reports/monthly/?period=2026-11",
            report,
        ),
        Page("weekly report page", "qa_zhao", f"/reports/weekly/?period={RANKED_WEEK}", report),
        Page("report archive", "qa_zhao", "/reports/archive/"),
        Page("contact list", "qa_zhao", "/contacts/"),
        Page(
            "contact list, 2026-11, 服务禁语 failed",
            "qa_zhao",
            f"/contacts/?{month}&failed_item=forbidden_phrases",
        ),
        Page("contact list", "qa_sun", "/contacts/"),
        Page("contact list", "leader_wang", "/contacts/"),
        Page("contact list", "agent_li", "/contacts/"),
        Page("contact page", "qa_zhao", f"/contacts/{ids.reviewed_contact}/"),
        Page("contact page (assigned)", "qa_sun", f"/contacts/{ids.assigned_contact}/"),
        Page("monitoring record", "qa_zhao", f"/quality/records/{ids.evaluation}/"),
        Page("review queue", "qa_sun", "/quality/reviews/"),
        Page("review queue", "qa_zhao", "/quality/reviews/"),
        Page("自动质检可信度 trust", "qa_zhao", "/quality/trust/"),
        Page("自动质检可信度 trust", "qa_sun", "/quality/trust/"),
        Page("我的成绩 my scores", "agent_li", "/quality/my-scores/"),
        Page("disputes", "qa_zhao", "/quality/disputes/"),
        Page("dispute report", "qa_zhao", "/quality/disputes/report/"),
        Page("sampling plans", "qa_zhao", "/quality/plans/"),
        Page("cases", "qa_zhao", "/quality/cases/"),
        Page("calibration", "qa_zhao", "/quality/calibration/"),
        Page("training needs", "trainer_zhou", "/coaching/training/"),
        Page("work orders list", "manager_chen", "/tickets/"),
        Page("work orders report, 2026-11", "manager_chen", "/tickets/report/?period=2026-11"),
        Page("work orders dashboard", "manager_chen", "/tickets/dashboard/"),
        Page("work order page", "manager_chen", f"/tickets/{ids.work_order}/"),
        Page("landing: department's orders", "dept_jf", "/", follow=True),
        Page("landing: contact list", "qa_zhao", "/", follow=True),
        Page("在线利用率 occupancy", "planner_wu", "/workforce/occupancy/"),
        Page("satisfaction", "manager_chen", "/surveys/"),
        Page("notifications", "agent_li", "/notifications/"),
        Page("API contacts", "qa_zhao", "/api/contacts"),
        Page("API contacts", "qa_sun", "/api/contacts"),
        Page("API contacts", "agent_li", "/api/contacts"),
        Page("API reviews", "qa_sun", "/api/quality/reviews"),
        Page("API evaluations", "qa_zhao", "/api/quality/evaluations"),
        Page("API disputes", "qa_zhao", "/api/quality/disputes"),
        Page("API cases", "qa_zhao", "/api/quality/cases"),
        Page("API sampling plans", "qa_zhao", "/api/quality/plans"),
        Page("API calibrations", "qa_zhao", "/api/quality/calibrations"),
        Page("API trust", "qa_zhao", "/api/quality/trust"),
        Page("API notifications", "agent_li", "/api/notifications"),
        Page("API work orders", "manager_chen", "/api/tickets/"),
        Page("API work-order changes", "manager_chen", "/api/tickets/changes"),
        Page("API webhooks", "admin", "/api/webhooks/"),
    ]


def selected(name: str, url: str, only: str) -> bool:
    """Whether `only` (words; none: every page) asks for this page: any word in its name or URL."""
    text = f"{name} {url}".lower()
    return not only.split() or any(word in text for word in only.lower().split())


def time_pages(repeat: int, only: str) -> list[Timing]:
    from django.conf import settings
    from django.test import Client

    from lingting.core.models import User

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    clients: dict[str, Any] = {}
    timings = []
    for page in pages(find_ids()):
        if not selected(page.name, page.url, only):
            continue
        client = clients.get(page.role)
        if client is None:
            client = clients[page.role] = Client()
            client.force_login(User.objects.get(username=page.role))
            # One request first, untimed: the URLs, the views and the base template load
            # once per process, not in the first page's time and memory.
            client.get("/notifications/")
        timing = Timing(page.name, page.role, page.target_s)
        timings.append(measure(timing, lambda c=client, p=page: request_page(c, p), repeat))
        print_progress(timings[-1], page.url)
    return timings


def print_progress(timing: Timing, what: str) -> None:
    figures = (
        timing.error
        if timing.error
        else f"median {statistics.median(timing.seconds) * 1000:,.0f} ms, "
        f"{queries_text(timing.queries)} queries"
    )
    print(f"  {timing.name} [{timing.role}] {what}: {figures}", flush=True)


# --- what runs beside the pages: the aggregates and the month's assessment ------------------


def tally_rebuild() -> Timing | None:
    """`lingting tally_rebuild`, as an operator runs it, when it exists."""
    from django.core.management import get_commands

    if "tally_rebuild" not in get_commands():
        print("tally_rebuild: not available")
        return None
    timing = Timing("tally_rebuild (command)", "-", TALLY_TARGET_S)
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "lingting.cli", "tally_rebuild"],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - began
    print(done.stdout.strip())
    if done.returncode != 0:
        timing.error = f"exit {done.returncode}: {done.stderr.strip()[-150:]}"
        print(f"tally_rebuild: failed ({timing.error})")
    else:
        timing.seconds = [seconds]
        print(f"tally_rebuild: {seconds:.1f} s (target < {TALLY_TARGET_S:.0f} s)")
    return timing


def time_assessment(repeat: int, only: str) -> Timing | None:
    """The month's assessment computed as `lingting assessment_run` does; the assessment
    page reads what it stores, so it runs (untimed when --only leaves it out) before them."""
    from lingting.performance.models import MonthlyAssessment
    from lingting.performance.services import assessment_compute

    name = "月度考核 compute 2026-11 (assessment_run)"
    if not selected(name, "assessment_run", only):
        if not MonthlyAssessment.objects.filter(month=LAST_MONTH).exists():
            assessment_compute(actor=None, month=LAST_MONTH)
        return None

    def compute() -> str:
        return "" if assessment_compute(actor=None, month=LAST_MONTH) else "no agent assessed"

    timing = measure(Timing(name, "-", None), compute, repeat)
    print_progress(timing, "assessment_compute")
    return timing


# --- the table --------------------------------------------------------------------------------


def width(text: str) -> int:
    """Columns a terminal gives `text`: two for each CJK character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def cell(text: str, columns: int, *, right: bool = False) -> str:
    space = " " * max(0, columns - width(text))
    return space + text if right else text + space


def print_table(timings: Sequence[Timing]) -> None:
    header = ["page", "role", "median ms", "max ms", "queries", "RSS MB", "target", ""]
    rows = [header, *(table_row(t) for t in timings)]
    widths = [max(width(row[i]) for row in rows) for i in range(len(header))]
    print()
    for row in rows:
        print(
            "  ".join(
                cell(text, widths[i], right=1 < i < len(header) - 1) for i, text in enumerate(row)
            ).rstrip()
        )
    for timing in timings:
        if timing.error:
            print(f"ERROR {timing.name} [{timing.role}]: {timing.error}")
    slow = sum(t.verdict == "SLOW" for t in timings)
    failed = sum(t.verdict == "ERROR" for t in timings)
    print(f"{len(timings)} timed: {slow} slow, {failed} errors; peak RSS {peak_rss_mb():,.0f} MB")


def table_row(timing: Timing) -> list[str]:
    times = timing.seconds
    target = "-" if timing.target_s is None else f"{timing.target_s * 1000:,.0f} ms"
    if timing.target_s is not None and timing.target_s >= 60:
        target = f"{timing.target_s:,.0f} s"
    return [
        timing.name,
        timing.role,
        f"{statistics.median(times) * 1000:,.0f}" if times else "-",
        f"{max(times) * 1000:,.0f}" if times else "-",
        queries_text(timing.queries),
        "-" if timing.rss_mb is None else f"{timing.rss_mb:,.0f}",
        target,
        timing.verdict,
    ]


# --- the import rate into the filled database -------------------------------------------------

IMPORT_AGENTS = 200  # the demo's agents A1001 …, all in the filled center


def write_import_file(path: Path, count: int, seed: int, tag: str) -> int:
    """`count` demo calls of November as `lingting import` reads them, under ids no other
    run used (a reused database then still takes them as new contacts); returns the turns."""
    from lingting.demo.generator.organisation import demo_org
    from lingting.demo.generator.traffic import generate_contacts

    org = demo_org(seed, agents=IMPORT_AGENTS)
    records = generate_contacts(
        org,
        seed=seed,
        start=LAST_MONTH,
        days=count // (IMPORT_AGENTS * 9) + 2,
        calls_per_agent_day=10,
    )
    turns = 0
    with path.open("wb") as out:
        for number, record in enumerate(islice(records, count)):
            record["id"] = f"I{tag}-{number:07d}"
            turns += len(record.get("turns") or ())
            out.write(orjson.dumps(record) + b"\n")
    return turns


def import_rates(count: int, seed: int) -> None:
    """`lingting import` of fresh contacts, alone and then with scoring in the process."""
    tag = f"{int(time.time()):x}"
    with tempfile.TemporaryDirectory() as tmp:
        for n, (label, flag, target) in enumerate(
            [
                ("import alone (--no-score)", "--no-score", "target ≥ 5,000 contacts/s"),
                (
                    "import with scoring (--sync)",
                    "--sync",
                    "2,853 contacts/s before --sync also indexed for search",
                ),
            ]
        ):
            path = Path(tmp) / f"import-{n}.jsonl"
            turns = write_import_file(path, count, seed + n, f"{tag}{n}")
            size = path.stat().st_size / 1e6
            began = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "lingting.cli", "import", str(path), flag],
                capture_output=True,
                text=True,
                check=False,
            )
            wall = time.perf_counter() - began
            rate = re.search(r"([\d,]+) contacts/s", done.stdout)
            if done.returncode != 0 or rate is None:
                print(f"{label}: FAILED (exit {done.returncode}) {done.stderr.strip()[-300:]}")
                continue
            print(
                f"{label:<30} {count:,} contacts ({turns:,} turns, {size:.0f} MB): "
                f"{rate.group(1)} contacts/s as the command reports it, {count / wall:,.0f} "
                f"with its start-up ({wall:.1f} s)  [{target}]"
            )


# --- the run ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument(
        "--pool", type=int, default=10_000, help="distinct demo calls (at most one per contact)"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the database")
    parser.add_argument("--only", default="", metavar="WORDS", help="time these pages only")
    parser.add_argument("--skip-import", action="store_true", help="leave the import out")
    parser.add_argument(
        "--import-contacts",
        type=int,
        default=None,
        help="contacts per import (default 50,000, or --contacts when fewer)",
    )
    args = parser.parse_args()

    # WhiteNoise's note that `collectstatic` never ran: the pages are timed without it.
    warnings.filterwarnings("ignore", message="No directory at")
    # A page of more than 9,000 queries shows as "9,000+" in the table.
    warnings.filterwarnings("ignore", message="Limit for query logging exceeded")
    with bench_database(keep=args.keep):
        from lingting.interactions.models import Contact
        from lingting.performance.selectors import tallies_ready

        if Contact.objects.exists():
            imported = Contact.objects.filter(external_id__startswith="I").count()
            print(
                f"reusing the filled database: {Contact.objects.count():,} contacts "
                f"({imported:,} of them stored by earlier runs' imports)"
            )
        else:
            seconds = fill_apart(args.contacts, min(args.pool, args.contacts), args.seed)
            print(f"fill time: {seconds:.1f} s")
        # A kept database whose tallies are built needs no rebuild to time other pages.
        rebuild = selected("tally_rebuild", "", args.only) or not tallies_ready()
        timings = [t for t in [tally_rebuild() if rebuild else None] if t is not None]
        assessment = time_assessment(args.repeat, args.only)
        timings += [assessment] if assessment is not None else []
        timings += time_pages(args.repeat, args.only)
        print_table(timings)
        if not args.skip_import:
            import_rates(args.import_contacts or min(50_000, args.contacts), args.seed)


if __name__ == "__main__":
    main()
