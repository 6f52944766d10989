"""The demo's 24-hour line: a 95598 power hotline and its people (seed 004 篇9).

The provincial grid company of seed 004 篇9 answers 95598 around the clock, holidays
included, with four teams (班组) on 四班三运转 (早早中中夜夜休休, `engine.rotation`'s
defaults). Its Tibetan-language seats work the same rotation: twelve 安多 seats, all
bilingual with 普通话, and — as the seed plans for 玉树 — a first 康巴 speaker. So the demo
gives each team three 安多 seats among its Mandarin agents, and one team the single 康巴
speaker: on every shift at least one 安多 seat is on duty, while 康巴 callers find their
speaker only one shift in four (what a planner is to notice).

A rotation staffs every hour alike while calls come by day, so a team sized for the
daytime peak idles at night: what 四班三运转 costs, and what the roster shows a planner.

Plain Python and deterministic from the seed, like the rest of the generator.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from lingting.demo.generator.draws import choice
from lingting.demo.generator.organisation import (
    DEMO_AS_OF,
    DemoAgent,
    DemoQueue,
    DemoTeam,
    unique_names,
)
from lingting.engine.rotation import RotationPattern, Team, evenly_spaced_teams

MANDARIN = "95598"
AMDO = "95598-AD"
KHAM = "95598-KB"
LINE_QUEUES = (
    (MANDARIN, "95598供电服务"),
    (AMDO, "95598藏语安多"),
    (KHAM, "95598藏语康巴"),
)
TEAM_NAMES = ("95598甲班", "95598乙班", "95598丙班", "95598丁班")
AMDO_SEATS_PER_TEAM = 3  # 篇9: 藏语座席12名 … 倒班形式为四班三运转 (12 over four teams)
MANDARIN_SEATS_PER_TEAM = 4
FIRST_LINE_AGENT = 2001  # A2001…: clear of the office-hours agents and their leavers
# The rotation's anchor: a fixed date, so a team's shift on any date follows from the seed
# alone, whenever the demo runs.
ROTATION_ANCHOR = date(2026, 1, 5)
ROTATION_NAME = "95598四班三运转"
TENURE_DAYS = (200, 3000)
# Tibetan given names of 青海 (安多) and 玉树 (康巴): two parts each, as they are written.
TIBETAN_PARTS = (
    ("才让", "扎西", "拉毛", "多杰", "卓玛", "索南", "尼玛", "完玛", "更登", "德吉", "仁青"),
    ("卓玛", "措", "才旦", "加", "吉", "本", "草", "拉姆", "东智", "当周", "太"),
)


@dataclass(frozen=True)
class LineAgent:
    """An agent of the line and the pools (queues) they answer, best first."""

    agent: DemoAgent
    pools: tuple[str, ...]


@dataclass(frozen=True)
class DemoHotline:
    queues: tuple[DemoQueue, ...]
    teams: tuple[DemoTeam, ...]
    agents: tuple[LineAgent, ...]
    pattern: RotationPattern
    places: tuple[Team, ...]  # each team's phase offset in the cycle, at the anchor
    anchor: date = ROTATION_ANCHOR


def demo_hotline(
    seed: int, *, as_of: date = DEMO_AS_OF, taken: frozenset[str] = frozenset()
) -> DemoHotline:
    """The line's three pools, its four rotation teams and their agents; `taken` are names
    already given (the office-hours agents), so nobody has a namesake."""
    rng = random.Random(f"hotline:{seed}")
    queues = tuple(DemoQueue(code, name) for code, name in LINE_QUEUES)
    names = unique_names(rng, len(TEAM_NAMES) * (1 + MANDARIN_SEATS_PER_TEAM), taken)
    leaders, mandarin = names[: len(TEAM_NAMES)], names[len(TEAM_NAMES) :]
    teams = tuple(
        DemoTeam(f"L{index + 1}", name, leaders[index], MANDARIN)
        for index, name in enumerate(TEAM_NAMES)
    )
    tibetan = _tibetan_names(rng, len(TEAM_NAMES) * AMDO_SEATS_PER_TEAM + 1)
    seats: list[tuple[DemoTeam, str, tuple[str, ...]]] = []
    for team in teams:
        seats += [(team, tibetan.pop(0), (AMDO, MANDARIN)) for _ in range(AMDO_SEATS_PER_TEAM)]
        seats += [(team, mandarin.pop(0), (MANDARIN,)) for _ in range(MANDARIN_SEATS_PER_TEAM)]
    # The one 康巴 speaker, from 玉树 (also 安多 and 普通话), in the first team.
    seats[AMDO_SEATS_PER_TEAM] = (teams[0], tibetan.pop(), (KHAM, AMDO, MANDARIN))
    agents = tuple(
        LineAgent(_line_agent(rng, FIRST_LINE_AGENT + index, name, team, as_of), pools)
        for index, (team, name, pools) in enumerate(seats)
    )
    pattern = RotationPattern.four_teams_three_shifts()
    places = evenly_spaced_teams(pattern, [team.id for team in teams])
    return DemoHotline(queues, teams, agents, pattern, places)


def _tibetan_names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = choice(rng, TIBETAN_PARTS[0]) + choice(rng, TIBETAN_PARTS[1])
        if name not in names and name[1] != name[2]:  # no 德吉吉
            names.append(name)
    return names


def _line_agent(
    rng: random.Random, number: int, name: str, team: DemoTeam, as_of: date
) -> DemoAgent:
    hired = as_of - timedelta(days=rng.randint(*TENURE_DAYS))
    skill = round(rng.uniform(0.6, 0.95), 2)
    return DemoAgent(f"A{number}", name, team.id, team.queue, skill, hired, is_new=False)
