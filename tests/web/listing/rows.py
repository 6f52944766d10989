"""Rows by the hundred, written with bulk_create: the services write one at a time, and a
count of queries needs only that the rows are there as the services leave them.

Row `n` is named with `n` in three digits (`L-007`) and is the newest of those written so
far, so the first page of a newest-first list shows the last one written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from lingting.core.models import Agent, Role, Team, User
from lingting.interactions.models import Contact, Queue
from lingting.quality.models import (
    AssignmentKind,
    ContactScore,
    Evaluation,
    Finding,
    FindingScope,
    ReviewedItem,
    ScorecardVersion,
)
from tests.conftest import SHANGHAI, Org

# Contacts of the first days of October 2026, a minute apart: row n started at 09:00 + n min.
FIRST_CALL = datetime(2026, 10, 1, 9, 0, tzinfo=SHANGHAI)


@dataclass(frozen=True)
class Center:
    """The fixtures' contact center (tests.conftest.org) and the standard scorecard its
    contacts are scored with."""

    org: Org
    version: ScorecardVersion


def row_name(prefix: str, n: int) -> str:
    return f"{prefix}-{n:03d}"


# What a list shows of the newest contact `contacts` wrote (see counting.assert_queries_flat).
CONTACT = "L-{n:03d}"


def agents(
    org: Org, numbers: Iterable[int], *, team: Team | Sequence[Team] | None = None
) -> list[Agent]:
    """Agents `AG-000`… named 坐席000…, in `team`, or in each of `team` in turn, or in none."""
    numbers = list(numbers)
    teams = [team] if team is None or isinstance(team, Team) else list(team)
    made = Agent.objects.bulk_create(
        Agent(code=row_name("AG", n), name=f"坐席{n:03d}", team=teams[k % len(teams)])
        for k, n in enumerate(numbers)
    )
    org.agents.update({agent.code: agent for agent in made})
    return made


def teams(numbers: Iterable[int]) -> list[Team]:
    """Teams `T-000`… named 班组000…"""
    return Team.objects.bulk_create(
        Team(code=row_name("T", n), name=f"班组{n:03d}") for n in numbers
    )


def queues(org: Org, numbers: Iterable[int]) -> list[Queue]:
    """ACD groups `Q-000`… named 队列000…"""
    made = Queue.objects.bulk_create(
        Queue(code=row_name("Q", n), name=f"队列{n:03d}") for n in numbers
    )
    org.queues.update({queue.code: queue for queue in made})
    return made


def users(numbers: Iterable[int], *, role: Role, prefix: str) -> list[User]:
    return User.objects.bulk_create(
        User(username=row_name(prefix, n), first_name=row_name(prefix, n), role=role)
        for n in numbers
    )


def contacts(
    center: Center,
    numbers: Iterable[int],
    *,
    prefix: str = "L",
    agent: str | Sequence[str] = "A1001",
    queue: str | Sequence[str] = "ACD-01",
    score: float = 72,
    first_call: datetime = FIRST_CALL,
) -> list[Contact]:
    """Answered contacts `L-000`…, one per minute from `first_call`, each with a current
    score of `score` (one item of severity A failed). `agent` and `queue`: one code, or
    codes taken in turn."""
    codes = [agent] if isinstance(agent, str) else list(agent)
    queues = [queue] if isinstance(queue, str) else list(queue)
    numbers = list(numbers)
    made = Contact.objects.bulk_create(
        Contact(
            external_id=row_name(prefix, n),
            channel="voice",
            direction="inbound",
            queue=center.org.queues[queues[n % len(queues)]],
            agent=center.org.agents[codes[n % len(codes)]],
            started_at=first_call + timedelta(minutes=n),
            answered_at=first_call + timedelta(minutes=n, seconds=6),
            ended_at=first_call + timedelta(minutes=n, seconds=300),
            disposition="answered",
            talk_s=294,
            turn_count=2,
        )
        for n in numbers
    )
    scores = ContactScore.objects.bulk_create(
        ContactScore(
            contact=contact,
            version=center.version,
            score=score,
            passed=score >= 60,
            fatal=False,
            severity_a=1,
            items=[],
        )
        for contact in made
    )
    for contact, result in zip(made, scores, strict=True):
        contact.current_score = result
    Contact.objects.bulk_update(made, ["current_score"])
    return made


def evaluations(
    contacts: Iterable[Contact],
    *,
    reviewer: User,
    result: str = "pass",
    item: tuple[str, str] = ("forbidden_phrases", "服务禁语"),
) -> list[Evaluation]:
    """A submitted sample record of each contact by `reviewer`, newest for the newest
    contact, with one reviewed automatic item (`item`: id and title) the machine failed and
    the reviewer answered `result`: a false hit by default, confirmed (points lost) when
    "fail". Its summary names the contact, for the lists that show no contact id."""
    contacts = list(contacts)
    made = Evaluation.objects.bulk_create(
        Evaluation(
            contact=contact,
            reviewer=reviewer,
            kind=AssignmentKind.SAMPLE,
            version=contact.current_score.version,
            auto_score=contact.current_score,
            score=80 if result == "pass" else 70,
            passed=result == "pass",
            fatal=False,
            summary=f"{contact.external_id} 的监督记录",
        )
        for contact in contacts
        if contact.current_score is not None
    )
    # auto_now_add stamps them all alike: the contacts' order is the records' order.
    now = timezone.now()
    for offset, evaluation in enumerate(reversed(made)):
        evaluation.submitted_at = now - timedelta(seconds=offset)
    Evaluation.objects.bulk_update(made, ["submitted_at"])
    ReviewedItem.objects.bulk_create(
        ReviewedItem(
            evaluation=evaluation,
            position=0,
            item=item[0],
            title=item[1],
            section="attitude",
            severity="A",
            points=10,
            result=result,
            points_lost=10 if result == "fail" else 0,
            auto_result="fail",
            overturned=result != "fail",
        )
        for evaluation in made
    )
    return made


def common_findings(records: Sequence[Evaluation], numbers: Iterable[int]) -> None:
    """In the record of row n, a common finding (共性问题n) on an item of its own, item-n."""
    Finding.objects.bulk_create(
        Finding(
            evaluation=record,
            item=row_name("item", n),
            note=f"共性问题{n:03d}",
            scope=FindingScope.COMMON,
        )
        for n, record in zip(numbers, records, strict=True)
    )
