"""The escalation ladder (投诉升级) and the threat words that climb it.

Seed 004 (004_2e6e1fc8a5fa7dff.txt, 话务现场投诉升级) escalates a complaint when the customer
insists on a superior, threatens media exposure (媒体曝光) or a complaint over the centre's
head to 3.15, the provincial communications administration (省通管局) or the ministry (工信部),
or when the complaint drags on; the agent then guides the customer "按顺序" — in order — to:

    1. 现场班长 (the duty team leader)   2. 地市分公司投诉热线 (the city complaint line; skipped
    where there is none)   3. 省服务监督热线   4. 集团客户服务监督热线

A ladder is that ordered list of `Rung`s, each with its triggers: the order's time limit
used up to a share (超时, 1.0 = at the deadline), an urge count (催单次数), and the customer's
threat (扬言媒体曝光/越级投诉). An inactive rung is skipped, as the seed skips a city line
that does not exist.

**How an order climbs.** Each evaluation (an urge, a threat flagged, the hourly run) puts the
order at the highest active rung any of whose triggers is met — straight there, not one rung
per evaluation: a complaint three times past its deadline belongs with the provincial line
now, not three hourly runs from now. The rungs passed over are named in the climb, so their
people hear of it too (the seed's order is kept: nobody below is bypassed silently). An order
never climbs down: a level reached stays reached, whatever later edits of the ladder say.
A manual escalation (升级, with a reason) goes one active rung up.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from lingting.engine.workorders import gettext_noop


class Trigger(StrEnum):
    TIMEOUT = "timeout"
    URGES = "urges"
    THREAT = "threat"
    MANUAL = "manual"


TRIGGER_LABELS: dict[Trigger, str] = {
    Trigger.TIMEOUT: gettext_noop("超时"),
    Trigger.URGES: gettext_noop("催单次数"),
    Trigger.THREAT: gettext_noop("客户扬言媒体曝光/越级投诉"),
    Trigger.MANUAL: gettext_noop("人工升级"),
}

# Words in a customer's own turns that mean a threat to go to the media or over the centre's
# head (seed 004: 媒体曝光, 3.15, 省通管局, 工信部; and the lines Chinese customers name).
DEFAULT_THREAT_WORDS: tuple[str, ...] = (
    "媒体",
    "曝光",
    "记者",
    "电视台",
    "报社",
    "3.15",
    "315",
    "通管局",
    "工信部",
    "12300",
    "12315",
    "12398",
    "12345",
    "市长热线",
    "消协",
    "消费者协会",
    "越级投诉",
)


@dataclass(frozen=True, slots=True)
class Rung:
    """One level of the ladder. `rank` is its place (1 the lowest); `timeout` the share of
    the time limit used at which it is reached (1.0 at the deadline, 1.5 half the limit
    past it; None: no timeout trigger); `urges` the urge count (None: none); `on_threat`
    whether a threatening customer puts the order here."""

    rank: int
    name: str
    active: bool = True
    timeout: float | None = None
    urges: int | None = None
    on_threat: bool = False

    def met(self, situation: Situation) -> tuple[Trigger, ...]:
        """The triggers of this rung that `situation` meets (in a fixed order)."""
        met = []
        if self.on_threat and situation.threatened:
            met.append(Trigger.THREAT)
        if self.urges is not None and situation.urges >= self.urges:
            met.append(Trigger.URGES)
        share = situation.share
        if self.timeout is not None and share is not None and share >= self.timeout:
            met.append(Trigger.TIMEOUT)
        return tuple(met)


@dataclass(frozen=True, slots=True)
class Situation:
    """What the ladder looks at: the rung the order is on (0: none yet), the share of its
    time limit used now (None when its clock does not run), its urges and whether the
    customer threatened."""

    level: int = 0
    share: float | None = None
    urges: int = 0
    threatened: bool = False


@dataclass(frozen=True, slots=True)
class Climb:
    """An escalation: from rung `before` to rung `after`, by `triggers`; `passed` are the
    active rungs climbed (above `before`, up to and including `after`)."""

    before: int
    after: int
    triggers: tuple[Trigger, ...]
    passed: tuple[int, ...] = field(default=())


class LadderTop(Exception):
    """A manual escalation asked of an order already on the highest active rung."""


def _active(ladder: Sequence[Rung]) -> list[Rung]:
    return sorted((rung for rung in ladder if rung.active), key=lambda rung: rung.rank)


def top_rank(ladder: Sequence[Rung]) -> int:
    """The rank of the highest active rung (0 for a ladder with none)."""
    active = _active(ladder)
    return active[-1].rank if active else 0


def climb(ladder: Sequence[Rung], situation: Situation) -> Climb | None:
    """Where `situation` puts the order: the highest active rung whose triggers are met, if
    it is above the order's level; None when the order stays where it is."""
    reached = [(rung, rung.met(situation)) for rung in _active(ladder)]
    reached = [(rung, met) for rung, met in reached if met]
    if not reached:
        return None
    target, triggers = reached[-1]
    if target.rank <= situation.level:
        return None
    return Climb(
        before=situation.level,
        after=target.rank,
        triggers=triggers,
        passed=_passed(ladder, situation.level, target.rank),
    )


def manual_climb(ladder: Sequence[Rung], level: int) -> Climb:
    """One active rung up from `level` (a manual 升级). Raises `LadderTop` at the top."""
    above = [rung for rung in _active(ladder) if rung.rank > level]
    if not above:
        raise LadderTop(level)
    return Climb(
        before=level, after=above[0].rank, triggers=(Trigger.MANUAL,), passed=(above[0].rank,)
    )


def _passed(ladder: Sequence[Rung], before: int, after: int) -> tuple[int, ...]:
    return tuple(rung.rank for rung in _active(ladder) if before < rung.rank <= after)


# --- threats in a transcript -------------------------------------------------------------


_UNITS = "[元块角分度号楼室米个天次]"


def threat_words_found(texts: Sequence[str], words: Sequence[str]) -> list[str]:
    """The `words` said in `texts` (a customer's turns), in the list's order, each once.

    A word of digits ("315", "12345") counts only where it is no part of a longer number
    nor followed by a unit, so a phone number (13812345678), an amount (315元) or an address
    (315号) does not read as a threat.
    """
    found = []
    for word in dict.fromkeys(w.strip() for w in words if w.strip()):
        pattern = re.escape(word)
        if word[0].isdigit():
            pattern = r"(?<![0-9])(?<![0-9]\.)" + pattern
        if word[-1].isdigit():
            pattern += r"(?!\.?[0-9]|" + _UNITS + ")"
        if any(re.search(pattern, text) for text in texts):
            found.append(word)
    return found


# --- checking a ladder -------------------------------------------------------------------

MAX_TIMEOUT = 10.0  # ten times the time limit: beyond it a timeout would never matter
MAX_URGES = 99
NAME_LENGTH = 64


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong with a ladder, for the user: a Chinese msgid and its values."""

    message: str
    values: dict[str, Any] = field(default_factory=dict)

    def text(self, translate: Callable[[str], str] = gettext_noop) -> str:
        return translate(self.message) % self.values if self.values else translate(self.message)


def ladder_problems(ladder: Sequence[Rung]) -> list[Problem]:
    """Why `ladder` cannot be used (empty when it can): a name for each rung, names unique,
    triggers in range, and each active rung's timeout and urge count above those of the
    active rungs below it (else a lower rung could never be reached on its own)."""
    problems = []
    if not ladder:
        problems.append(Problem(gettext_noop("升级阶梯至少要有一级")))
    names: set[str] = set()
    for rung in ladder:
        name = rung.name.strip()
        if not name:
            problems.append(Problem(gettext_noop("第 %(rank)d 级没有名称"), {"rank": rung.rank}))
        elif len(name) > NAME_LENGTH:
            problems.append(
                Problem(
                    gettext_noop("第 %(rank)d 级的名称太长（最多 %(n)d 个字）"),
                    {"rank": rung.rank, "n": NAME_LENGTH},
                )
            )
        elif name in names:
            problems.append(Problem(gettext_noop("级别名称「%(name)s」重复"), {"name": name}))
        names.add(name)
        if rung.timeout is not None and not 0 < rung.timeout <= MAX_TIMEOUT:
            problems.append(
                Problem(
                    gettext_noop("第 %(rank)d 级的超时比例须在 1%% 到 %(max)d%% 之间"),
                    {"rank": rung.rank, "max": round(MAX_TIMEOUT * 100)},
                )
            )
        if rung.urges is not None and not 1 <= rung.urges <= MAX_URGES:
            problems.append(
                Problem(
                    gettext_noop("第 %(rank)d 级的催单次数须在 1 到 %(max)d 之间"),
                    {"rank": rung.rank, "max": MAX_URGES},
                )
            )
    problems.extend(_order_problems(_active(ladder)))
    return problems


def _order_problems(active: list[Rung]) -> list[Problem]:
    """Each active rung's timeout and urge count must be above the nearest active rung's
    below it that has one."""
    problems = []
    below: dict[str, tuple[int, float]] = {}  # trigger → (rank, value) of the last rung
    for rung in active:
        for trigger, value in (("timeout", rung.timeout), ("urges", rung.urges)):
            if value is None:
                continue
            lower = below.get(trigger)
            if lower is not None and value <= lower[1]:
                problems.append(_out_of_order(trigger, rung.rank, *lower))
            below[trigger] = (rung.rank, value)
    return problems


def _out_of_order(trigger: str, rank: int, lower: int, value: float) -> Problem:
    if trigger == "timeout":
        return Problem(
            gettext_noop("第 %(rank)d 级的超时比例须高于第 %(lower)d 级（%(value)d%%）"),
            {"rank": rank, "lower": lower, "value": round(value * 100)},
        )
    return Problem(
        gettext_noop("第 %(rank)d 级的催单次数须多于第 %(lower)d 级（%(value)d 次）"),
        {"rank": rank, "lower": lower, "value": round(value)},
    )
