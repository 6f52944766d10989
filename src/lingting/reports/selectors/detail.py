"""The daily monitoring detail (每日监听明细): every sample record of a day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lingting.core.models import User
from lingting.core.personal_numbers import text_shown_to
from lingting.documents.periods import Period
from lingting.quality.selectors.quotes import quote_shown_to
from lingting.reports.selectors.scope import (
    sample_records_of,
    within,
)


@dataclass(frozen=True, slots=True)
class DetailFinding:
    scope: str
    item: str
    quote: str
    note: str


@dataclass(frozen=True, slots=True)
class DetailRow:
    evaluation_id: int
    contact_id: int
    external_id: str
    started_at: datetime | None
    reviewer: str
    agent: str
    team: str
    queue: str
    score: float
    passed: bool
    fatal: bool
    severity_a: int
    severity_b: int
    severity_c: int
    failed_items: tuple[str, ...]
    findings: tuple[DetailFinding, ...]
    summary: str
    coaching_note: str
    training_need: str


def daily_detail(
    *, user: User | None, day: Period, queue_id: int | None = None, team_id: int | None = None
) -> list[DetailRow]:
    """Every contact of `day` a reviewer monitored (sample reviews), with its findings."""
    mask = text_shown_to(user)
    records = within(sample_records_of(user), "contact__started_at", day, day)
    if queue_id:
        records = records.filter(contact__queue_id=queue_id)
    if team_id:
        records = records.filter(contact__agent__team_id=team_id)
    records = (
        records.select_related("reviewer", "contact__agent__team", "contact__queue")
        .prefetch_related("findings", "items")
        .order_by("contact__started_at", "id")
    )
    rows = []
    for record in records:
        contact = record.contact
        agent = contact.agent
        titles = {i.item: i.title for i in record.items.all()}
        rows.append(
            DetailRow(
                evaluation_id=record.pk,
                contact_id=contact.pk,
                external_id=contact.external_id,
                started_at=contact.started_at,
                reviewer=record.reviewer.display_name,
                agent=str(agent) if agent else "",
                team=agent.team.name if agent and agent.team else "",
                queue=str(contact.queue) if contact.queue else "",
                score=record.score,
                passed=record.passed,
                fatal=record.fatal,
                severity_a=record.severity_a,
                severity_b=record.severity_b,
                severity_c=record.severity_c,
                failed_items=tuple(
                    f"{i.title}({i.severity})" if i.severity else i.title
                    for i in record.items.all()
                    if i.result == "fail"
                ),
                findings=tuple(
                    DetailFinding(
                        f.scope, titles.get(f.item, f.item), quote_shown_to(f, user), mask(f.note)
                    )
                    for f in record.findings.all()
                ),
                summary=mask(record.summary),
                coaching_note=mask(record.coaching_note),
                training_need=mask(record.training_need),
            )
        )
    return rows
