"""What a roster answers: the assignments, the coverage, each agent's hours, the changes
from the baseline, and why a plan is impossible when it is."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Literal

from lingting.engine.rostering.request import Rule

Status = Literal["optimal", "feasible", "infeasible", "unknown"]


@dataclass(frozen=True, slots=True)
class Assignment:
    agent_id: str
    day: date
    code: str
    queue: str | None  # the pool worked; None for an agent with no skill that is required
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Coverage:
    """One interval of one queue: the requirement against the agents scheduled."""

    start: datetime
    end: datetime
    queue: str
    required: float
    scheduled: float

    @property
    def short_by(self) -> float:
        return max(0.0, self.required - self.scheduled)

    @property
    def over_by(self) -> float:
        return max(0.0, self.scheduled - self.required)


@dataclass(frozen=True, slots=True)
class Shortfall:
    """A run of consecutive intervals of one queue scheduled below the requirement."""

    queue: str
    start: datetime
    end: datetime
    worst: float  # the most agents missing in any interval of the run
    agent_hours: float  # agents missing × hours, added over the run

    def __str__(self) -> str:
        return (
            f"{self.queue} {self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M}: short by up to "
            f"{self.worst:g} agents ({self.agent_hours:g} agent-hours)"
        )


@dataclass(frozen=True, slots=True)
class HoursInPeriod:
    first: date  # the Monday of the week, the 1st of the month
    hours: float  # the plan's shifts dated in it (dates outside the plan not known here)
    cap: float | None


@dataclass(frozen=True, slots=True)
class AgentHours:
    agent_id: str
    hours: float
    weeks: tuple[HoursInPeriod, ...]
    months: tuple[HoursInPeriod, ...]
    min_hours: float | None
    nights: int
    rest_day_shifts: int  # on weekends and official days off
    statutory_holiday_hours: float  # clock hours on 法定节假日 dates (paid 300 %)


@dataclass(frozen=True, slots=True)
class Change:
    """An agent-date that differs from the baseline (None: a day off)."""

    agent_id: str
    day: date
    before: str | None
    after: str | None


@dataclass(frozen=True, slots=True)
class Conflict:
    """Why an agent's fixed days cannot be kept: the rules that each refuse them, or,
    where only a combination does, the rules whose relaxation would make them possible."""

    agent_id: str
    rules: tuple[Rule, ...]
    message: str


@dataclass(frozen=True, slots=True)
class RosterResult:
    """The roster. `status` is ``optimal`` when nothing in the objective can be bettered,
    ``feasible`` when the time limit came first; `shortfall_optimal` says that the
    under-coverage at least is the least possible (the shortfalls shown cannot be cut with
    these agents and rules)."""

    status: Status
    solve_seconds: float
    shortfall_optimal: bool = False
    shortfall_seconds: float = 0.0  # the first stage: finding (and proving) the least shortfall
    assignments: tuple[Assignment, ...] = ()
    coverage: tuple[Coverage, ...] = ()
    agents: tuple[AgentHours, ...] = ()
    changes: tuple[Change, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    warnings: tuple[str, ...] = ()  # input rows left out, with their position and reason

    @property
    def shortfalls(self) -> list[Shortfall]:
        """Where the plan cannot cover the requirement, and by how much."""
        spans: list[Shortfall] = []
        for row in sorted(self.coverage, key=lambda row: (row.queue, row.start)):
            if row.short_by <= 0:
                continue
            missing = row.short_by * (row.end - row.start) / timedelta(hours=1)
            last = spans[-1] if spans else None
            if last and last.queue == row.queue and last.end == row.start:
                spans[-1] = replace(
                    last,
                    end=row.end,
                    worst=max(last.worst, round(row.short_by, 2)),
                    agent_hours=round(last.agent_hours + missing, 2),
                )
            else:
                worst, missing = round(row.short_by, 2), round(missing, 2)
                spans.append(Shortfall(row.queue, row.start, row.end, worst, missing))
        return spans
