"""Break rules by time worked, and the window in which each of an agent's breaks may start.

Seed 000 §1(2) "制定灵活的工作小休机制": "工作时间达到1.5小时后,组长开始便签通知组员小休10分钟"
and "工作3.5小时后组长开始发便签通知队员小休15分钟" — a 10-minute break once the agent has
worked 1.5–2 hours, a 15-minute one at 3.5–4 hours. `SEED_000_RULES` holds those two as
data; a center edits them (more rules, other lengths) by passing its own.

**Time worked** counts the shift's time less the breaks before: the 15-minute break falls
3.5–4 hours of *work* into the shift, so 10 minutes (the first break) later on the clock
than 3.5–4 hours after the start. Each rule's window on the clock therefore depends only on
the lengths of the rules before it, not on when the agent took them, which lets the planner
(`lingting.engine.breaks`) treat the breaks of a shift independently.

A rule **applies** to a shift when the agent would otherwise work past the end of its window
(more than `worked_max`): a shift that ends inside a window or before it has no such break —
the agent goes home instead. The latest start is also kept early enough for the break to end
by the end of the shift.

Shifts are on an absolute time axis (datetimes), so a 22:00–06:00 shift crosses midnight
without any special case. This module is light (no solver): the care notices
(`lingting.engine.care`) use the windows too.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


class BreakRuleError(ValueError):
    """Rules that cannot work together (overlapping windows, a name used twice)."""


@dataclass(frozen=True, slots=True)
class BreakRule:
    """A break of `length` to start once the agent has worked from `worked_min` to `worked_max`."""

    name: str
    worked_min: timedelta
    worked_max: timedelta
    length: timedelta

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise BreakRuleError("a break rule needs a name")
        if self.worked_min < timedelta(0) or self.worked_max < self.worked_min:
            raise BreakRuleError(
                f"rule {self.name!r}: the worked-time window must run forwards from 0 or more, "
                f"not {self.worked_min}–{self.worked_max}"
            )
        if self.length <= timedelta(0):
            raise BreakRuleError(f"rule {self.name!r}: a break must last more than 0")


SEED_000_RULES = (
    BreakRule(
        "工作1.5–2小时后小休10分钟", timedelta(hours=1.5), timedelta(hours=2), timedelta(minutes=10)
    ),
    BreakRule(
        "工作3.5–4小时后小休15分钟", timedelta(hours=3.5), timedelta(hours=4), timedelta(minutes=15)
    ),
)


def checked_rules(rules: Sequence[BreakRule]) -> tuple[BreakRule, ...]:
    """The rules in the order of their windows; BreakRuleError where two windows overlap (the
    breaks of a shift must come one after the other) or two rules share a name."""
    ordered = tuple(sorted(rules, key=lambda rule: rule.worked_min))
    names = [rule.name for rule in ordered]
    if len(set(names)) != len(names):
        raise BreakRuleError(f"two break rules share a name: {names}")
    for before, after in itertools.pairwise(ordered):
        if after.worked_min < before.worked_max:
            raise BreakRuleError(
                f"rules {before.name!r} and {after.name!r} overlap: the later window must open "
                f"at or after {before.worked_max} worked, not at {after.worked_min}"
            )
    return ordered


@dataclass(frozen=True, slots=True)
class Shift:
    """One agent's shift; `group` is the team or queue whose break cap applies to the agent."""

    agent: str
    group: str
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(
                f"agent {self.agent}: a shift must end after it starts ({self.start} – {self.end})"
            )


@dataclass(frozen=True, slots=True)
class BreakWindow:
    """When the break of `rule` may start in `shift`: from `earliest` to `latest`, both
    included. `latest` before `earliest` means the break cannot fit (a rule's window
    narrower than its break near the end of a shift)."""

    shift: Shift
    rule: BreakRule
    earliest: datetime
    latest: datetime

    @property
    def fits(self) -> bool:
        return self.earliest <= self.latest


def break_windows(shift: Shift, rules: Sequence[BreakRule]) -> tuple[BreakWindow, ...]:
    """The windows of the breaks due in `shift`, in order, under `rules` (checked_rules)."""
    windows: list[BreakWindow] = []
    breaks_before = timedelta(0)
    for rule in checked_rules(rules):
        if shift.end - shift.start - breaks_before <= rule.worked_max:
            break  # the shift ends inside this window: no break, nor any later one
        earliest = shift.start + breaks_before + rule.worked_min
        latest = min(shift.start + breaks_before + rule.worked_max, shift.end - rule.length)
        windows.append(BreakWindow(shift, rule, earliest, latest))
        breaks_before += rule.length
    return tuple(windows)
