"""The demo's organisation: ACD queues, two teams each, agents of every skill, and the
agents who left over its last months (the attrition page's leavers)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from lingting.demo.generator.draws import choice

DEMO_AS_OF = date(2026, 10, 1)  # "today" for hire dates when demo_org is not told otherwise
NEW_AGENT_DAYS = 90  # hired less than this many days before as_of → a new agent

QUEUES = (
    ("ACD-01", "话费咨询"),
    ("ACD-02", "故障报修"),
    ("ACD-03", "投诉处理"),
    ("ACD-04", "产品订购"),
)
TEAMS_PER_QUEUE = 2
NUMERALS = "一二三四五六七八九十"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程"
    "魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史黎贺顾毛郝龚邵"
)
# Leavers: a sixth of the staff's number, gone over the demo's last months, as a center losing
# some 30% a year would (seed 004 篇10: 年总流失率约为30%–35%). Every other one is an early
# leaver, gone within 90 days of being hired; most resign (the seed's reasons: pressure, pay,
# workload), and they work less well on average than those who stay.
LEAVER_SHARE = 0.15
LEFT_DAYS = (-73, 27)  # leaving days, from as_of
EARLY_TENURE_DAYS = (25, 80)
SETTLED_TENURE_DAYS = (200, 1500)
LEAVER_SKILL = (0.3, 0.8)
LEAVING_REASONS = ("resigned", "dismissed", "transferred", "other")
LEAVING_REASON_WEIGHTS = (6, 2, 1, 1)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉晨雪琳婷宇浩凯佳欣怡梦瑶子涵"


@dataclass(frozen=True)
class DemoQueue:
    id: str
    name: str


@dataclass(frozen=True)
class DemoTeam:
    id: str
    name: str
    leader_name: str
    queue: str


@dataclass(frozen=True)
class DemoAgent:
    id: str
    name: str
    team: str
    queue: str
    skill: float  # 0..1: how well the agent follows the standard
    hired_on: date
    is_new: bool
    left_on: date | None = None  # the last day on staff; the agent takes no calls after it
    leaving_reason: str = ""


@dataclass(frozen=True)
class DemoOrg:
    queues: tuple[DemoQueue, ...]
    teams: tuple[DemoTeam, ...]
    agents: tuple[DemoAgent, ...]  # on staff on as_of (a few leave in the weeks after)
    former: tuple[DemoAgent, ...] = ()  # left before as_of, or soon after it

    @property
    def everyone(self) -> tuple[DemoAgent, ...]:
        """Every agent who took calls at some time: the staff and those who left."""
        return self.agents + self.former


def on_staff(agent: DemoAgent, day: date) -> bool:
    return agent.hired_on <= day and (agent.left_on is None or day <= agent.left_on)


def demo_org(seed: int, agents: int = 40, *, as_of: date = DEMO_AS_OF) -> DemoOrg:
    """Four ACD queues, two teams each, and `agents` agents spread over the teams.

    About 15% of agents are clearly poor (skill < 0.45), 30% middling and the rest good;
    about 20% were hired within the last 90 days before `as_of` (new agents). Besides them,
    about 15% as many former agents (`former`, numbered after the staff) left from ten weeks
    before `as_of` to four weeks after it, half of them within 90 days of being hired.
    """
    rng = random.Random(f"org:{seed}")
    queues = tuple(DemoQueue(qid, name) for qid, name in QUEUES)
    names = unique_names(rng, len(queues) * TEAMS_PER_QUEUE + agents)
    teams = tuple(
        DemoTeam(f"T{i + 1:02d}", f"话务{NUMERALS[i % 10]}班", names[i], queues[i // 2].id)
        for i in range(len(queues) * TEAMS_PER_QUEUE)
    )
    grades = _grades(rng, agents)
    people = tuple(
        _agent(rng, i, names[len(teams) + i], teams[_team_of(i, len(queues))], grades[i], as_of)
        for i in range(agents)
    )
    # Their own random stream, so the staff stays exactly as it was without them.
    leavers = _leavers(random.Random(f"leavers:{seed}"), teams, people, as_of)
    return DemoOrg(queues, teams, people, leavers)


def unique_names(rng: random.Random, count: int, taken: frozenset[str] = frozenset()) -> list[str]:
    names: list[str] = []
    seen: set[str] = set(taken)
    while len(names) < count:
        given = "".join(choice(rng, GIVEN) for _ in range(choice(rng, (1, 2, 2))))
        name = choice(rng, SURNAMES) + given
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _team_of(index: int, queues: int) -> int:
    """Deal agents over the queues first, then over each queue's teams."""
    return (index % queues) * TEAMS_PER_QUEUE + (index // queues) % TEAMS_PER_QUEUE


def _grades(rng: random.Random, count: int) -> list[str]:
    bad = max(1, round(count * 0.15)) if count >= 3 else 0
    mid = round(count * 0.3)
    grades = ["bad"] * bad + ["mid"] * mid + ["good"] * (count - bad - mid)
    rng.shuffle(grades)
    return grades


def _agent(
    rng: random.Random, index: int, name: str, team: DemoTeam, grade: str, as_of: date
) -> DemoAgent:
    is_new = rng.random() < 0.2
    if is_new:
        hired = as_of - timedelta(days=rng.randint(14, NEW_AGENT_DAYS - 1))
    else:
        hired = as_of - timedelta(days=rng.randint(NEW_AGENT_DAYS + 30, 8 * 365))
    low, high = {"bad": (0.15, 0.42), "mid": (0.5, 0.72), "good": (0.76, 0.98)}[grade]
    if is_new and grade == "good":
        high = 0.85
    skill = round(rng.uniform(low, high), 2)
    return DemoAgent(f"A{1001 + index}", name, team.id, team.queue, skill, hired, is_new)


def _leavers(
    rng: random.Random, teams: tuple[DemoTeam, ...], staff: tuple[DemoAgent, ...], as_of: date
) -> tuple[DemoAgent, ...]:
    count = round(len(staff) * LEAVER_SHARE)
    names = unique_names(rng, count, frozenset(a.name for a in staff))
    leavers = []
    for index, name in enumerate(names):
        team = choice(rng, teams)
        left = as_of + timedelta(days=rng.randint(*LEFT_DAYS))
        tenure = EARLY_TENURE_DAYS if index % 2 == 0 else SETTLED_TENURE_DAYS
        hired = left - timedelta(days=rng.randint(*tenure))
        leavers.append(
            DemoAgent(
                id=f"A{1001 + len(staff) + index}",
                name=name,
                team=team.id,
                queue=team.queue,
                skill=round(rng.uniform(*LEAVER_SKILL), 2),
                hired_on=hired,
                is_new=(as_of - hired).days < NEW_AGENT_DAYS,
                left_on=left,
                leaving_reason=rng.choices(LEAVING_REASONS, weights=LEAVING_REASON_WEIGHTS)[0],
            )
        )
    return tuple(leavers)
