"""Months in a row below target: who has missed a KPI target three months running.

Seed 001 ("如何提升客户服务质量?", 001_44ae70f1a124b706.txt): "选定三个月来观测员工指标情况,
连续三个月通话均长都不达标,分析原因" — watch each agent's figures over three months and act
on those below target in every one of them. Seed 000 §3(2) builds the "3+1" programme for
the agents whose service level "持续三个月比较低".

"Below target" is anything not green (amber or red). A month without a figure (no calls,
no scored contacts) is neither: it breaks a run, because nothing shows the agent missed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from lingting.engine.targets import Status

RUN_LENGTH = 3  # seed 001: 连续三个月


def month_key(day: date) -> str:
    """The engine's month label of a day (`lingting kpis --by month`): ``2026-10``."""
    return f"{day.year:04d}-{day.month:02d}"


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after (or before, when negative) `day`'s."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_before(as_of: date, count: int) -> list[date]:
    """The first days of the `count` whole months before `as_of`'s month, oldest first."""
    start = first_of_month(as_of)
    return [add_months(start, -offset) for offset in range(count, 0, -1)]


@dataclass(frozen=True, slots=True)
class MonthFigure:
    """One agent's figure for one month and its colour against the target."""

    month: str  # "2026-10"
    value: float | None
    status: Status | None


def is_below(figure: MonthFigure) -> bool:
    return figure.value is not None and figure.status is not None and figure.status != "green"


def run_lengths(flags: Iterable[bool]) -> Iterator[int]:
    """At each position, how many flags in a row end there true (0 at a false one). The one
    run counter of months below target."""
    run = 0
    for flag in flags:
        run = run + 1 if flag else 0
        yield run


def trailing_run(figures: Sequence[MonthFigure]) -> int:
    """How many of the last months, counted back from the newest, are all below target."""
    runs = list(run_lengths(is_below(figure) for figure in figures))
    return runs[-1] if runs else 0


@dataclass(frozen=True, slots=True)
class Streak:
    """An agent below target in each of the last `run` months (at least the required length)."""

    agent: str
    run: int
    figures: tuple[MonthFigure, ...]  # every month looked at, oldest first


def below_target_streaks(
    series: Mapping[str, Sequence[MonthFigure]], *, length: int = RUN_LENGTH
) -> list[Streak]:
    """The agents of `series` (agent → figures, oldest month first, one per month looked
    at) whose last `length` months or more are all below target; longest runs first."""
    if length < 1:
        raise ValueError(f"a run is at least one month long, not {length}")
    streaks = [
        Streak(agent=agent, run=run, figures=tuple(figures))
        for agent, figures in series.items()
        if (run := trailing_run(figures)) >= length
    ]
    return sorted(streaks, key=lambda s: (-s.run, s.agent))
