"""What the customers of a period meant, per ACD group and per agent (issue 15): the share
of contacts whose customer ended angry (and angry or dissatisfied), the unresolved rate and
the mean predicted satisfaction, each with the count it is taken over.

Only contacts whose customer spoke count (a contact without a customer turn has no emotion
and no verdict); the unresolved rate is over the contacts with a verdict (resolved or not,
"unclear" left out). Grouped in SQL over the contacts joined to their meaning by primary
key: nothing loops over contacts in Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, Sum

from lingting.core.models import User
from lingting.documents.periods import Period
from lingting.reports.selectors.scope import contacts_of, within

TOP_AGENTS = 30  # the agents with most customers ending upset


@dataclass(slots=True)
class MeaningTotals:
    with_customer: int = 0  # contacts whose customer spoke (a meaning was read)
    ended_angry: int = 0
    ended_upset: int = 0  # angry or dissatisfied at the end
    verdicts: int = 0  # resolved or unresolved ("unclear" left out)
    unresolved: int = 0
    satisfaction_count: int = 0
    satisfaction_sum: float = 0.0

    @property
    def ended_angry_share(self) -> float | None:
        return self.ended_angry / self.with_customer if self.with_customer else None

    @property
    def ended_upset_share(self) -> float | None:
        return self.ended_upset / self.with_customer if self.with_customer else None

    @property
    def unresolved_rate(self) -> float | None:
        return self.unresolved / self.verdicts if self.verdicts else None

    @property
    def mean_satisfaction(self) -> float | None:
        return self.satisfaction_sum / self.satisfaction_count if self.satisfaction_count else None


@dataclass(frozen=True, slots=True)
class MeaningGroup:
    name: str  # the queue's or agent's name; "" for contacts without one
    code: str
    team: str  # the agent's team ("" for queues)
    totals: MeaningTotals


@dataclass(frozen=True, slots=True)
class MeaningReport:
    overall: MeaningTotals = field(default_factory=MeaningTotals)
    queues: list[MeaningGroup] = field(default_factory=list)
    agents: list[MeaningGroup] = field(default_factory=list)


def _counts() -> dict[str, Any]:
    return {
        "with_customer": Count("id"),
        "ended_angry": Count("id", filter=Q(meaning__emotion_end="angry")),
        "ended_upset": Count("id", filter=Q(meaning__emotion_end__in=("angry", "dissatisfied"))),
        "verdicts": Count("meaning__resolved"),
        "unresolved": Count("id", filter=Q(meaning__resolved=False)),
        "satisfaction_count": Count("meaning__satisfaction_predicted"),
        "satisfaction_sum": Sum("meaning__satisfaction_predicted"),
    }


def _totals(row: dict[str, Any]) -> MeaningTotals:
    return MeaningTotals(
        with_customer=row["with_customer"],
        ended_angry=row["ended_angry"],
        ended_upset=row["ended_upset"],
        verdicts=row["verdicts"],
        unresolved=row["unresolved"],
        satisfaction_count=row["satisfaction_count"],
        satisfaction_sum=float(row["satisfaction_sum"] or 0.0),
    )


def _add(into: MeaningTotals, other: MeaningTotals) -> None:
    for name in MeaningTotals.__slots__:
        setattr(into, name, getattr(into, name) + getattr(other, name))


def meaning_report(*, user: User | None, period: Period) -> MeaningReport:
    """The period's figures over the contacts `user`'s reports cover (None: the center)."""
    contacts = within(contacts_of(user), "started_at", period, period).filter(
        meaning__emotion_end__gt=""
    )
    # One pass over the period's contacts, grouped by queue and agent together (a few
    # hundred groups); the overall, per-queue and per-agent figures are added up from it.
    rows = (
        contacts.values(
            "queue__code", "queue__name", "agent__code", "agent__name", "agent__team__name"
        )
        .annotate(**_counts())
        .order_by()
    )
    overall = MeaningTotals()
    queues: dict[tuple[str, str], MeaningTotals] = defaultdict(MeaningTotals)
    agents: dict[tuple[str, str, str], MeaningTotals] = defaultdict(MeaningTotals)
    for row in rows:
        totals = _totals(row)
        _add(overall, totals)
        _add(queues[(row["queue__code"] or "", row["queue__name"] or "")], totals)
        who = (row["agent__code"] or "", row["agent__name"] or "", row["agent__team__name"] or "")
        _add(agents[who], totals)
    queue_groups = [
        MeaningGroup(name or code, code, "", totals) for (code, name), totals in queues.items()
    ]
    queue_groups.sort(key=lambda g: (g.code == "", g.code))
    agent_groups = [
        MeaningGroup(name or code, code, team, totals)
        for (code, name, team), totals in agents.items()
    ]
    agent_groups.sort(
        key=lambda g: (-g.totals.ended_upset, -(g.totals.ended_upset_share or 0), g.code)
    )
    return MeaningReport(overall=overall, queues=queue_groups, agents=agent_groups[:TOP_AGENTS])
