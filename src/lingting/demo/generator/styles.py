"""Each agent's habits on calls, as probabilities drawn from their skill, and the habits a
coaching programme brings the weakest agents to."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from itertools import accumulate

from lingting.demo.generator.organisation import DemoAgent, DemoOrg

GOOD_RINGS = (50.0, 38.0, 9.0, 2.0, 1.0, 0.0)  # weights for 1..6 rings
BAD_RINGS = (15.0, 30.0, 22.0, 15.0, 11.0, 7.0)


@dataclass(frozen=True, slots=True)
class AgentStyle:
    """One agent's habits as probabilities, derived from skill (and a seeded roll or two)."""

    cpm: float  # speech rate, Chinese characters per minute
    fast: bool
    opening: float
    closing: float
    identity: float
    rude_ask: float  # 你姓什么 instead of 您贵姓
    apology: float
    brushoff: float  # per answer
    helpful: float  # per answer
    filler: float  # per agent turn
    impolite: float  # per agent turn: 你 for 您, no 请
    dead_air: float  # per customer → agent hand-over
    interrupt: float  # per call: the agent keeps cutting in this call
    silent_hold: float  # hold without 请稍等
    hold_s: tuple[float, float]
    acw_s: tuple[float, float]
    hangup_first: float
    insult: float  # per call
    order_full: float
    rings: tuple[float, ...]  # cumulative weights for 1..6 rings


def agent_style(seed: int, agent: DemoAgent) -> AgentStyle:
    rng = random.Random(f"style:{seed}:{agent.id}")
    s = agent.skill
    poor = max(0.0, 0.62 - s)  # 0 for good agents, up to ~0.47
    fast = rng.random() < (0.45 if s < 0.5 else 0.06)
    blend = [s * g + (1 - s) * b for g, b in zip(GOOD_RINGS, BAD_RINGS, strict=True)]
    return AgentStyle(
        cpm=rng.uniform(280, 330) if fast else rng.uniform(180, 230),
        fast=fast,
        opening=min(0.98, 0.2 + 0.82 * s),
        closing=min(0.97, 0.15 + 0.85 * s),
        identity=min(0.95, 0.05 + 0.95 * s),
        rude_ask=0.005 + 0.5 * poor,
        apology=min(0.97, 0.1 + s),
        brushoff=0.004 + 0.55 * poor,
        helpful=0.03 + 0.1 * s,
        filler=0.01 + 0.8 * poor,
        impolite=0.3 * poor,
        dead_air=0.004 + 0.15 * poor,
        interrupt=0.02 + 0.8 * poor,
        silent_hold=0.03 + 1.2 * poor,
        hold_s=(12.0, 55.0) if s >= 0.5 else (20.0, 160.0),
        acw_s=(10.0, 45.0) if s >= 0.5 else (20.0, 120.0),
        hangup_first=0.02 + 0.5 * poor,
        insult=0.009 if s < 0.45 else 0.0,
        order_full=min(0.92, max(0.1, 1.5 * s - 0.5)),
        rings=tuple(accumulate(blend)),
    )


COACHED_SHARE = 0.2
COACHING_GAIN = 0.35


def coached_styles(seed: int, org: DemoOrg) -> dict[str, AgentStyle]:
    """The habits, once coached, of the weakest fifth of the agents who respond to it:
    all but every third of them in order of skill, so that who responds does not hinge on
    a lucky draw in a group this small."""
    weakest = sorted(org.agents, key=lambda agent: (agent.skill, agent.id))
    weakest = weakest[: max(1, round(len(weakest) * COACHED_SHARE))]
    return {
        agent.id: agent_style(seed, replace(agent, skill=min(0.95, agent.skill + COACHING_GAIN)))
        for rank, agent in enumerate(weakest)
        if rank % 3 != 2
    }
