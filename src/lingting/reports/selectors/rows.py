"""What the quality reports are made of: each period's counts, the rows of queues, agents,
issues, examples, training needs and cases, and the report itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from lingting.documents.figures import Figure
from lingting.documents.periods import Period
from lingting.engine.forecast import Forecast
from lingting.reports.selectors.meaning import MeaningReport

# Which way each figure should move: the report colours a change green or red by it
# (more contacts or more monitoring is neither).
BETTER = {
    "auto_pass_rate": 1,
    "auto_average": 1,
    "record_average": 1,
    "reviewed_pass_rate": 1,
    "reviewed_average": 1,
    **dict.fromkeys(("auto_fatal", "auto_a", "auto_b", "auto_c"), -1),
    **dict.fromkeys(("reviewed_fatal", "reviewed_a", "reviewed_b", "reviewed_c"), -1),
}


@dataclass(slots=True)
class Totals:
    """Counts of one period (and queue or agent): automatic QA and human monitoring."""

    volume: int = 0
    scored: int = 0
    auto_passed: int = 0
    auto_fatal: int = 0
    auto_a: int = 0
    auto_b: int = 0
    auto_c: int = 0
    auto_score_sum: float = 0.0
    reviewed: int = 0
    reviewed_passed: int = 0
    reviewed_fatal: int = 0
    reviewed_a: int = 0
    reviewed_b: int = 0
    reviewed_c: int = 0
    reviewed_score_sum: float = 0.0
    # The score of record: reviewed where a person reviewed the contact, else the machine's.
    record_scored: int = 0
    record_score_sum: float = 0.0

    def add(self, other: Totals) -> None:
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def auto_pass_rate(self) -> float | None:
        return self.auto_passed / self.scored if self.scored else None

    @property
    def auto_average(self) -> float | None:
        return self.auto_score_sum / self.scored if self.scored else None

    @property
    def record_average(self) -> float | None:
        return self.record_score_sum / self.record_scored if self.record_scored else None

    @property
    def reviewed_pass_rate(self) -> float | None:
        return self.reviewed_passed / self.reviewed if self.reviewed else None

    @property
    def reviewed_average(self) -> float | None:
        return self.reviewed_score_sum / self.reviewed if self.reviewed else None

    @property
    def monitored_share(self) -> float | None:
        return self.reviewed / self.volume if self.volume else None


@dataclass(frozen=True, slots=True)
class Pair:
    """A thing measured in this period and the previous one."""

    current: Totals
    previous: Totals

    def figure(self, name: str) -> Figure:
        return Figure(
            getattr(self.current, name), getattr(self.previous, name), BETTER.get(name, 0)
        )


@dataclass(frozen=True, slots=True)
class QueueRow:
    code: str
    name: str
    totals: Pair


@dataclass(frozen=True, slots=True)
class AgentRow:
    code: str
    name: str
    team: str
    totals: Pair


@dataclass(frozen=True, slots=True)
class IssueRow:
    """Findings about one item (or about the contact as a whole), of one scope."""

    scope: str
    item: str
    title: str
    count: Figure
    agents: int


@dataclass(frozen=True, slots=True)
class Example:
    scope: str
    title: str
    quote: str
    note: str
    agent: str
    queue: str
    contact_id: int
    external_id: str


@dataclass(frozen=True, slots=True)
class TrainingRow:
    """A failed item of the monitoring records (培训意见ABC项) and what reviewers asked for."""

    item: str
    title: str
    severity: str
    count: Figure
    agents: int
    needs: tuple[tuple[str, int], ...]  # (training need, how many records raised it)


@dataclass(frozen=True, slots=True)
class CaseFinding:
    scope: str
    quote: str
    note: str


@dataclass(frozen=True, slots=True)
class CaseRow:
    case_id: int
    kind: str
    kind_label: str
    title: str
    note: str
    shared: bool
    created_at: datetime
    agent: str
    queue: str
    contact_id: int
    external_id: str
    score: float | None
    passed: bool | None
    summary: str
    findings: tuple[CaseFinding, ...]


@dataclass(frozen=True, slots=True)
class TrendPoint:
    period: Period
    totals: Totals


@dataclass(frozen=True, slots=True)
class QualityReport:
    period: Period
    previous: Period
    scope_label: str
    totals: Pair
    queues: list[QueueRow]
    issues: list[IssueRow]
    examples: list[Example]
    training: list[TrainingRow]
    agents: list[AgentRow]
    cases: list[CaseRow]
    cases_previous: int
    trend: list[TrendPoint]
    forecasts: dict[str, Forecast] = field(default_factory=dict)
    # What customers meant (issue 15), per ACD group and agent; None in reports built
    # before it was stored.
    meaning: MeaningReport | None = None

    def issue_figure(self, scope: str) -> Figure:
        rows = [row for row in self.issues if row.scope == scope]
        return Figure(
            sum(row.count.value or 0 for row in rows),
            sum(row.count.previous or 0 for row in rows),
            better=-1,
        )
