"""What the customers of a period meant, per ACD group and per agent (issue 15): the share
of contacts whose customer ended angry (and angry or dissatisfied), the unresolved rate and
the mean predicted satisfaction, each with the count it is taken over.

Counted by quality.selectors.meaning_figures (as the KPI page counts them): only contacts
whose customer spoke, the unresolved rate over the contacts with a verdict.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from lingting.core.models import User
from lingting.documents.periods import Period
from lingting.quality.selectors.meaning_figures import MeaningTotals, meaning_totals_by
from lingting.reports.selectors.scope import contacts_of, within

TOP_AGENTS = 30  # the agents with most customers ending upset


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


def meaning_report(*, user: User | None, period: Period) -> MeaningReport:
    """The period's figures over the contacts `user`'s reports cover (None: the center)."""
    contacts = within(contacts_of(user), "started_at", period, period)
    # One pass over the period's contacts, grouped by queue and agent together (a few
    # hundred groups); the overall, per-queue and per-agent figures are added up from it.
    rows = meaning_totals_by(
        contacts, "queue__code", "queue__name", "agent__code", "agent__name", "agent__team__name"
    )
    overall = MeaningTotals()
    queues: dict[tuple[str, str], MeaningTotals] = defaultdict(MeaningTotals)
    agents: dict[tuple[str, str, str], MeaningTotals] = defaultdict(MeaningTotals)
    for row, totals in rows:
        overall.add(totals)
        queues[(row["queue__code"] or "", row["queue__name"] or "")].add(totals)
        who = (row["agent__code"] or "", row["agent__name"] or "", row["agent__team__name"] or "")
        agents[who].add(totals)
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
