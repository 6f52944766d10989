"""The daily tallies: every page figure is the same added up from them as read from the
contacts one by one by the engine (what the customers meant: as counted in SQL), however the
contacts got there (created, imported, re-imported to another agent and day, scored,
reviewed, their meaning stored, changed or deleted), and a page asks the same number of
queries however many agents it covers."""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
import random
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from lingting.core.forked import forked_pool
from lingting.core.models import Agent, Team, User
from lingting.documents.periods import PeriodKind, period_containing
from lingting.engine.scorecard_yaml import builtin_scorecard
from lingting.interactions.models import Contact, ContactTopic, FigureChange, Topic
from lingting.interactions.services import contacts_import_file
from lingting.performance import tallies
from lingting.performance.models import DailyTally, TallyState
from lingting.performance.selectors import (
    agent_periods,
    kpi_table_for,
    kpi_table_of_contacts,
    tallies_ready,
)
from lingting.performance.selectors import kpis as kpi_selectors
from lingting.performance.tallies import tallies_drain, tallies_rebuild
from lingting.quality.contact_filters import ContactFilters
from lingting.quality.models import AssignmentKind, ContactMeaning, Evaluation
from lingting.quality.selectors.meaning_figures import MEANING_COUNTS
from lingting.reports.selectors import quality_report, training_plan
from tests.conftest import ContactFactory, Org, review

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST = datetime(2026, 8, 3, 8, 0, tzinfo=SHANGHAI)
GROUPINGS = [(), ("day",), ("week",), ("month", "agent"), ("queue",), ("day", "queue", "agent")]


def _contacts(make_contact: ContactFactory, reviewer: User, *, count: int, seed: int) -> None:
    """Calls over three months with everything a figure can trip on: callers who call again
    within a week and after it, unidentified callers, short and long abandons, outbound calls
    and IVR-only ones (never offered), transfers, complaints, calls queued before midnight
    and answered after it, calls with no agent, no queue, no times or no recorded wait,
    machine scores and sample reviews; what most customers meant (some contacts never
    read, some whose customer never spoke)."""
    rng = random.Random(seed)
    meant = random.Random(seed + 1)  # apart: the calls stay those they were before
    agents = ["A1001", "A1002", "A1003", "A1999", None]
    customers = [f"13{n:09d}" for n in range(25)] + ["0", ""]
    for n in range(count):
        started = FIRST + timedelta(days=rng.randrange(90), minutes=rng.randrange(16 * 60))
        queued = started - timedelta(seconds=rng.choice([3, 15, 40, 400]))
        if n % 17 == 0:  # queued before midnight, answered after
            started = started.replace(hour=0, minute=0, second=20)
            queued = started - timedelta(minutes=2)
        abandoned = rng.random() < 0.15
        fields: dict[str, Any] = {
            "queued_at": None if n % 23 == 0 else queued,
            "disposition": "abandoned" if abandoned else rng.choice(["answered"] * 9 + ["ivr"]),
            "direction": "outbound" if n % 19 == 0 else "inbound",
            "wait_s": None if n % 3 else float(rng.randrange(0, 60)),
            "talk_s": None if abandoned else float(rng.randrange(30, 900)),
            "hold_s": float(rng.randrange(0, 60)) if n % 4 == 0 else None,
            "tags": ["投诉"] if n % 11 == 0 else ["转接"] if n % 13 == 0 else [],
            "extra": {"transferred": n % 5 == 0} if n % 2 else {},
        }
        if abandoned:
            fields["answered_at"] = None
        contact = make_contact(
            f"T{seed}-{n:05d}",
            agent=rng.choice(agents),
            queue=rng.choice(["ACD-01", "ACD-02", None]),
            started_at=None if n % 29 == 0 else started,
            customer=rng.choice(customers) or None,
            score=None if n % 7 == 0 else float(rng.randrange(40, 101)),
            items=_machine_items(failed=n % 4 == 0),
            **fields,
        )
        if contact.current_score is not None and n % 9 == 0 and contact.agent is not None:
            score = float(rng.randrange(50, 101))
            review(contact, reviewer, score, attitude_lost=2 if score < 80 else 0)
        if n % 6:
            _meaning(contact, meant)


EMOTIONS_AT_END = ["angry", "dissatisfied", "anxious", "calm", "pleased", ""]


def _meaning(contact: Contact, rng: random.Random) -> ContactMeaning:
    """A meaning as scoring stores it (a customer who never spoke: no emotion, no verdict,
    no satisfaction). Satisfaction in 64ths: added in any order, the sums are exact."""
    end = rng.choice(EMOTIONS_AT_END)
    return ContactMeaning.objects.create(
        contact=contact,
        emotion_start=end and "calm",
        emotion_peak=end,
        emotion_end=end,
        resolved=rng.choice([True, False, None]) if end else None,
        resolution_reason="test",
        satisfaction_predicted=rng.randrange(65) / 64 if end and rng.random() < 0.9 else None,
    )


def _machine_items(*, failed: bool) -> list[dict[str, Any]]:
    """A machine score's items: one passed, one left to a person, and (or not) one failed
    that reviewers fail too (the training plan shows the machine's rate beside theirs)."""
    items = [
        {"item": "opening", "title": "开头语", "result": "pass", "points_lost": 0, "evidence": []},
        {"item": "info_accurate", "title": "信息准确", "result": "manual", "points_lost": 0},
    ]
    if failed:
        items.append(
            {
                "item": "patience",
                "title": "耐心",
                "result": "fail",
                "severity": "B",
                "points_lost": 2.0,
            }
        )
    return items


def _figures(rows: list[Any]) -> list[dict[str, Any]]:
    return [row.values() for row in rows]


def _tally_rows() -> list[tuple[Any, ...]]:
    fields = [f.name for f in DailyTally._meta.fields if f.name != "id"]
    rows = DailyTally.objects.values_list(*fields)
    rounded = [tuple(round(v, 6) if isinstance(v, float) else v for v in row) for row in rows]
    return sorted(rounded, key=repr)


@pytest.fixture
def center(make_contact: ContactFactory, qa_sun: User) -> None:
    _contacts(make_contact, qa_sun, count=400, seed=7)
    tallies_drain()


@pytest.mark.parametrize("by", GROUPINGS)
@pytest.mark.parametrize("who", ["ops_zhou", "leader_wang", "agent_li"])
def test_every_kpi_figure_is_the_same_from_the_tallies_as_from_the_contacts(
    center: None, org: Org, by: tuple[str, ...], who: str
) -> None:
    user = org.users[who]
    for filters in _tally_filters(org):
        from_tallies = _figures(kpi_table_for(user=user, filters=filters, by=by))
        from_contacts = _figures(kpi_table_of_contacts(user=user, filters=filters, by=by))
        assert from_tallies == from_contacts, (who, by, filters)
        if who == "ops_zhou" and filters.is_empty:
            assert sum(row["offered"] for row in from_tallies) > 250  # the center's calls
            assert sum(row["fcr_repeated"] for row in from_tallies) > 0
            assert sum(row["fcr_resolved"] for row in from_tallies) > 0
            assert sum(row["fcr_pending"] for row in from_tallies) > 0


def _tally_filters(org: Org) -> list[ContactFilters]:
    """Selections the tallies answer: everything, dates, a queue, a team, an agent."""
    return [
        ContactFilters(),
        ContactFilters(date_from=date(2026, 8, 20), date_to=date(2026, 9, 30)),
        ContactFilters(queue_id=org.queues["ACD-02"].pk, date_to=date(2026, 10, 25)),
        ContactFilters(team_id=org.teams["一班"].pk),
        ContactFilters(agent_id=org.agents["A1001"].pk, date_from=date(2026, 10, 1)),
    ]


def _meanings(rows: list[Any]) -> list[tuple[Any, Any]]:
    """Each table row's group and what its customers meant."""
    return [(row.row.group, row.meaning) for row in rows]


@pytest.mark.parametrize("by", GROUPINGS)
@pytest.mark.parametrize("who", ["ops_zhou", "leader_wang", "agent_li"])
def test_what_the_customers_meant_is_the_same_from_the_tallies_as_counted_over_the_contacts(
    center: None, org: Org, by: tuple[str, ...], who: str
) -> None:
    user = org.users[who]
    for filters in _tally_filters(org):
        from_tallies = kpi_table_for(user=user, filters=filters, by=by, meaning=True)
        from_contacts = kpi_table_of_contacts(user=user, filters=filters, by=by, meaning=True)
        assert _meanings(from_tallies) == _meanings(from_contacts), (who, by, filters)
        assert _figures(from_tallies) == _figures(from_contacts), (who, by, filters)
        if who == "ops_zhou" and filters.is_empty and not by:
            [center_row] = from_tallies
            totals = center_row.meaning
            assert totals is not None
            # every contact whose customer spoke, offered or not (as the quality report)
            assert totals.with_customer == ContactMeaning.objects.exclude(emotion_end="").count()
            assert totals.ended_angry
            assert totals.unresolved
            assert totals.satisfaction_count


def test_the_kpi_pages_meaning_is_added_up_from_the_tallies_without_reading_a_contact(
    center: None, ops_zhou: User, leader_wang: User
) -> None:
    for user, by in ((ops_zhou, ("day",)), (leader_wang, ("agent",))):
        with CaptureQueriesContext(connection) as queries:
            table = kpi_table_for(user=user, filters=ContactFilters(), by=by, meaning=True)
        assert sum(row.meaning.with_customer for row in table) > 0
        read = " ".join(query["sql"] for query in queries)
        assert "quality_contactmeaning" not in read
        assert "interactions_contact" not in read


@pytest.mark.parametrize(
    "narrowed",
    [
        {"emotion_end": ("angry",)},
        {"emotion_peak": ("angry", "dissatisfied")},
        {"resolved": "no"},
        {"satisfaction_below": 50},
        {"topic": True},
    ],
    ids=["emotion_end", "emotion_peak", "resolved", "satisfaction_below", "topic"],
)
def test_a_filter_on_what_the_customer_meant_or_a_topic_narrows_every_kpi_figure(
    center: None, ops_zhou: User, narrowed: dict[str, Any]
) -> None:
    """Tallies count whole days of an agent: a filter on the contacts' meaning or topic is
    answered from the contacts, the KPI figures narrowed as the meaning figures are."""
    if narrowed.pop("topic", False):
        topic = Topic.objects.create(label="宽带故障", created_at=FIRST)
        ContactTopic.objects.bulk_create(
            ContactTopic(contact=contact, topic=topic)
            for contact in Contact.objects.order_by("pk")[::3]
        )
        narrowed["topic_id"] = topic.pk
    filters = ContactFilters(**narrowed)
    everything = kpi_table_for(user=ops_zhou, filters=ContactFilters(), by=("month",))

    table = kpi_table_for(user=ops_zhou, filters=filters, by=("month",), meaning=True)

    assert _figures(table) == _figures(
        kpi_table_of_contacts(user=ops_zhou, filters=filters, by=("month",), meaning=True)
    )
    offered = sum(row.row.offered for row in table)
    assert 0 < offered < sum(row.row.offered for row in everything)
    if "emotion_end" in narrowed:
        assert all(row.meaning.ended_angry == row.meaning.with_customer for row in table)


def test_meanings_stored_changed_or_deleted_alone_are_counted_again(
    center: None, ops_zhou: User
) -> None:
    """Not only scoring writes meanings: `lingting meaning_backfill`, a script or the admin
    change them without touching the contact or its score; the tallies follow them."""
    read = list(
        ContactMeaning.objects.exclude(emotion_end="").order_by("pk").select_related("contact")
    )
    ContactMeaning.objects.filter(pk=read[0].pk).update(emotion_end="angry", resolved=False)
    ContactMeaning.objects.filter(pk__in=[read[1].pk, read[2].pk]).delete()
    unread = Contact.objects.filter(meaning__isnull=True).order_by("pk")[:3]
    for contact in unread:
        _meaning(contact, random.Random(contact.pk))
    assert FigureChange.objects.exists()

    tallies_drain()
    counted = _tally_rows()
    page = _meanings(
        kpi_table_for(user=ops_zhou, filters=ContactFilters(), by=("day",), meaning=True)
    )
    tallies_rebuild()

    assert _tally_rows() == counted
    assert page == _meanings(
        kpi_table_of_contacts(user=ops_zhou, filters=ContactFilters(), by=("day",), meaning=True)
    )


upgrade = importlib.import_module("lingting.performance.migrations.0007_tally_meaning")


def test_tallies_counted_before_they_held_the_meaning_are_counted_again_on_upgrade(
    center: None, ops_zhou: User
) -> None:
    by = ("month",)
    expected = _meanings(
        kpi_table_of_contacts(user=ops_zhou, filters=ContactFilters(), by=by, meaning=True)
    )
    # As an older version counted them: without what the customers meant.
    DailyTally.objects.update(**dict.fromkeys(MEANING_COUNTS, 0))

    upgrade.count_again(apps, connection.schema_editor())

    assert not tallies_ready()  # the pages read the contacts meanwhile
    assert (
        _meanings(kpi_table_for(user=ops_zhou, filters=ContactFilters(), by=by, meaning=True))
        == expected
    )
    tallies_drain()  # what the task worker does
    assert tallies_ready()
    assert (
        _meanings(kpi_table_for(user=ops_zhou, filters=ContactFilters(), by=by, meaning=True))
        == expected
    )


def test_a_page_reads_the_tallies_not_the_contacts(center: None, ops_zhou: User) -> None:
    """Shown by changing a tally by hand (never done otherwise): the page follows it."""
    before = kpi_table_for(user=ops_zhou, filters=ContactFilters(), by=())[0].row
    DailyTally.objects.filter(group_day__lt=date(2026, 9, 1)).update(answered=F("answered") + 1)
    after = kpi_table_for(user=ops_zhou, filters=ContactFilters(), by=())[0].row
    assert after.answered > before.answered


def test_changes_counted_one_by_one_give_the_tallies_a_rebuild_gives(
    center: None, make_contact: ContactFactory, org: Org, qa_sun: User, ops_zhou: User
) -> None:
    stored = list(Contact.objects.filter(agent__isnull=False).order_by("pk")[:40])
    # Moved to another agent, queue and day; a new score; a review; a deletion.
    moved = stored[0]
    moved.agent = org.agents["A1003"] if moved.agent_id != org.agents["A1003"].pk else None
    moved.started_at = FIRST + timedelta(days=45, hours=3)
    moved.queued_at = None
    moved.queue = org.queues["ACD-01"]
    moved.save()
    rescored = next(c for c in stored[1:] if c.current_score is not None)
    assert rescored.current_score is not None
    rescored.current_score.score = 12.5
    rescored.current_score.save(update_fields=["score"])
    reviewed = next(
        c
        for c in stored[2:]
        if c.current_score is not None and not Evaluation.objects.filter(contact=c).exists()
    )
    review(reviewed, qa_sun, 55, attitude_lost=2)
    gone = next(c for c in stored[3:] if not Evaluation.objects.filter(contact=c).exists())
    gone.delete()
    # A caller's new call makes their call three days earlier a repeat.
    earlier = (
        Contact.objects.filter(customer__isnull=False, disposition="answered", direction="inbound")
        .exclude(customer__code__in=["0"])
        .order_by("started_at")
        .first()
    )
    assert earlier is not None
    assert earlier.customer is not None
    assert earlier.started_at
    make_contact(
        "T-repeat",
        customer=earlier.customer.code,
        started_at=earlier.started_at + timedelta(days=3),
        disposition="answered",
        score=77,
    )
    assert FigureChange.objects.exists()

    tallies_drain()
    counted_one_by_one = _tally_rows()
    page = _figures(kpi_table_for(user=ops_zhou, filters=ContactFilters(), by=("agent",)))
    tallies_rebuild()

    assert _tally_rows() == counted_one_by_one
    assert tallies_drain() == 0  # nothing waited: every change was counted
    assert page == _figures(
        kpi_table_of_contacts(user=ops_zhou, filters=ContactFilters(), by=("agent",))
    )


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_outside_a_transaction_counts_as_one_inside_one(
    make_contact: ContactFactory, qa_sun: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`lingting tally_rebuild` holds no transaction before it starts, so on PostgreSQL it
    counts the days in worker processes: the same tallies as counted in this process."""
    _contacts(make_contact, qa_sun, count=200, seed=5)
    with transaction.atomic():  # the workers would not see the caller's own writes
        tallies_rebuild()
    in_this_process = _tally_rows()
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    pools: list[int] = []
    monkeypatch.setattr(tallies, "forked_pool", lambda n: pools.append(n) or forked_pool(n))

    tallies_rebuild()

    assert _tally_rows() == in_this_process
    assert pools == ([2] if connection.vendor == "postgresql" else [])


def test_imported_and_reimported_contacts_are_counted_where_they_now_are(
    org: Org, ops_zhou: User, tmp_path: Path
) -> None:
    """Through the import itself (COPY and one upsert per batch on PostgreSQL): a line
    that moves a stored contact to another agent and day takes it out of where it was."""

    def line(n: int, agent: str, day: int) -> str:
        started = datetime(2026, 10, day, 10, n, tzinfo=SHANGHAI)
        return json.dumps(
            {
                "id": f"I-{n}",
                "direction": "inbound",
                "disposition": "answered",
                "queue": "ACD-01",
                "agent_id": agent,
                "customer_id": f"1380000{n % 3:04d}",
                "started_at": started.isoformat(),
                "answered_at": (started + timedelta(seconds=8)).isoformat(),
                "ended_at": (started + timedelta(minutes=4)).isoformat(),
                "wait_s": 8,
            },
            ensure_ascii=False,
        )

    first = tmp_path / "first.jsonl"
    first.write_text("\n".join(line(n, "A1001", 5) for n in range(12)) + "\n", encoding="utf-8")
    second = tmp_path / "second.jsonl"
    second.write_text("\n".join(line(n, "A1002", 9) for n in range(4)) + "\n", encoding="utf-8")
    for path in (first, second):
        report = contacts_import_file(str(path), tz=SHANGHAI)
        assert report.rejected == 0
        tallies_drain()

    on_day = {
        (row.day, row.agent.code if row.agent else None): row.answered
        for row in DailyTally.objects.select_related("agent")
    }
    assert on_day == {(date(2026, 10, 5), "A1001"): 8, (date(2026, 10, 9), "A1002"): 4}
    counted = _tally_rows()
    tallies_rebuild()
    assert _tally_rows() == counted


def test_the_assessment_adds_up_the_tallies(center: None, org: Org) -> None:
    start = datetime(2026, 9, 1, tzinfo=SHANGHAI)
    end = datetime(2026, 10, 1, tzinfo=SHANGHAI)
    periods = {p.agent: p for p in agent_periods(start=start, end=end)}
    contacts = Contact.objects.filter(started_at__gte=start, started_at__lt=end)
    for code, agent in org.agents.items():
        own = contacts.filter(agent=agent)
        if not own.exists():
            assert code not in periods
            continue
        period = periods[code]
        assert period.handled == own.filter(disposition="answered").count()
        reviews = Evaluation.objects.filter(contact__in=own, kind=AssignmentKind.SAMPLE)
        assert period.reviewed == reviews.count()
        assert period.reviewed_sum == pytest.approx(sum(e.score for e in reviews))
        scored = own.filter(current_score__isnull=False)
        assert period.auto_scored == scored.count()
        assert period.scored == period.reviewed + scored.exclude(evaluations__in=reviews).count()
        points, lost = _section_sums(own)
        assert period.section_points == pytest.approx(points)
        assert period.section_lost == pytest.approx(lost)


def _section_sums(contacts: Any) -> tuple[dict[str, float], dict[str, float]]:
    """The points at stake and lost by section: a reviewer's items where one reviewed the
    contact, else the machine's judged items placed by the built-in scorecard."""
    placed = {item.id: item for item in builtin_scorecard().items}
    points: dict[str, float] = defaultdict(float)
    lost: dict[str, float] = defaultdict(float)
    for contact in contacts.select_related("current_score"):
        record = Evaluation.objects.filter(contact=contact, kind=AssignmentKind.SAMPLE).first()
        if record is not None:
            judged = [
                (i.section, i.points, i.points_lost)
                for i in record.items.all()
                if i.result in ("pass", "fail")
            ]
        elif contact.current_score is not None:
            judged = [
                (placed[i["item"]].section, placed[i["item"]].points, i["points_lost"])
                for i in contact.current_score.items
                if i["result"] in ("pass", "fail")
            ]
        else:
            judged = []
        for section, at_stake, taken in judged:
            points[section] += at_stake
            lost[section] += taken
    return dict(points), dict(lost)


def _agents_with_calls(make_contact: ContactFactory, org: Org, count: int) -> None:
    for n in range(count):
        team = Team.objects.create(code=f"Q{count}-{n}", name=f"班{count}-{n}")
        code = f"B{count}-{n}"
        org.agents[code] = Agent.objects.create(code=code, name=f"坐席{n}", team=team)
        for day in (3, 10, 17):
            make_contact(
                agent=code,
                started_at=datetime(2026, 9, day, 10, n, tzinfo=SHANGHAI),
                score=70 + n % 20,
                customer=f"1390000{n:04d}",
            )


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("performance:kpis", {"by": ["agent", "month"]}),
        ("performance:kpis", {}),
        ("coaching:detect", {"figure": "qa_score", "as_of": "2026-11-01"}),
        ("performance:assessment", {"month": "2026-09"}),
        ("performance:ranking", {"week": "2026-W37"}),
    ],
)
def test_a_page_asks_as_many_queries_for_ten_agents_as_for_forty(
    make_contact: ContactFactory,
    org: Org,
    ops_zhou: User,
    client_for: Any,
    url_name: str,
    params: Any,
) -> None:
    client = client_for(ops_zhou)
    _agents_with_calls(make_contact, org, 10)
    tallies_drain()
    with CaptureQueriesContext(connection) as ten:
        assert client.get(reverse(url_name), params).status_code == 200
    _agents_with_calls(make_contact, org, 30)
    tallies_drain()
    with CaptureQueriesContext(connection) as forty:
        assert client.get(reverse(url_name), params).status_code == 200
    assert len(forty) == len(ten)


def test_a_page_leaves_many_waiting_changes_to_the_worker_and_says_so(
    center: None,
    make_contact: ContactFactory,
    ops_zhou: User,
    client_for: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tallies, "IN_REQUEST_CHANGES", 3)
    for n in range(5):
        make_contact(f"late-{n}", started_at=datetime(2026, 11, 2, 9, n, tzinfo=SHANGHAI))
    client = client_for(ops_zhou)

    first = client.get(reverse("performance:kpis")).content.decode()
    again = client.get(reverse("performance:kpis")).content.decode()

    assert "正在后台计入统计" in first
    assert "正在后台计入统计" in again
    queued = DBTaskResult.objects.filter(task_path__endswith="count_figure_changes")
    assert queued.count() == 1  # once, not once per page
    tallies_drain()
    assert "正在后台计入统计" not in client.get(reverse("performance:kpis")).content.decode()


def test_a_page_refuses_to_read_too_many_contacts_one_by_one_and_says_why(
    center: None, ops_zhou: User, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hourly groups and other thresholds are not in the tallies: the page reads the contacts
    themselves, up to a limit, and past it asks for a narrower question instead of a minute's
    wait."""
    monkeypatch.setattr(kpi_selectors, "CONTACTS_READ_ONE_BY_ONE", 50)
    client = client_for(ops_zhou)

    hourly = client.get(reverse("performance:kpis"), {"by": "hour"})
    one_day = client.get(
        reverse("performance:kpis"),
        {"by": "hour", "date_from": "2026-09-01", "date_to": "2026-09-01"},
    )
    api = client.get("/api/kpis/", {"by": "hour", "service_level_seconds": 30})

    assert hourly.status_code == 400
    assert "请缩小日期范围" in hourly.content.decode()
    assert one_day.status_code == 200
    assert api.status_code == 400
    assert "请缩小日期范围" in api.json()["detail"]


def _rounded(value: Any) -> Any:
    """A report as plain values, sums rounded: the tallies add in another order."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        slots = getattr(value, "__slots__", ())
        names = [f.name for f in dataclasses.fields(value)] or list(slots)
        return {name: _rounded(getattr(value, name)) for name in names}
    if hasattr(value, "__slots__") and not isinstance(value, (str, int, float)):
        return {name: _rounded(getattr(value, name)) for name in value.__slots__}
    if isinstance(value, (list, tuple)):
        return [_rounded(item) for item in value]
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    return round(value, 6) if isinstance(value, float) else value


@pytest.mark.parametrize("kind", [PeriodKind.MONTH, PeriodKind.WEEK])
@pytest.mark.parametrize("who", ["qa_zhao", "leader_wang"])
def test_the_quality_reports_are_the_same_from_the_tallies_as_from_the_contacts(
    center: None, org: Org, kind: PeriodKind, who: str
) -> None:
    user = org.users[who]
    period = period_containing(kind, date(2026, 10, 14))
    from_tallies = (
        quality_report(user=user, period=period),
        training_plan(user=user, period=period),
    )
    TallyState.objects.all().delete()  # tallies never built: the reports count the contacts
    from_contacts = (
        quality_report(user=user, period=period),
        training_plan(user=user, period=period),
    )

    assert _rounded(from_tallies) == _rounded(from_contacts)
    assert from_tallies[0].totals.current.volume > 0
    if who == "qa_zhao":  # the whole center, where reviewers failed patience too
        rows = from_tallies[1].rows
        assert any(row.item == "patience" and row.auto_rate.value for row in rows)


def test_an_installation_upgraded_with_contacts_reads_them_until_its_tallies_are_built(
    center: None, ops_zhou: User, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the upgrade that brings the tallies, none exist yet: the pages read the contacts
    (the same figures, slower), say the figures are being counted, and queue the build."""
    monkeypatch.setattr(tallies, "IN_REQUEST_CHANGES", 3)
    expected = _figures(kpi_table_of_contacts(user=ops_zhou, filters=ContactFilters(), by=()))
    DailyTally.objects.all().delete()
    TallyState.objects.all().delete()

    page = client_for(ops_zhou).get(reverse("performance:kpis"), {"by": "month"})

    assert page.status_code == 200
    assert f"还有 {Contact.objects.count()} 条联络的变化正在后台计入统计" in page.content.decode()
    assert DBTaskResult.objects.filter(task_path__endswith="count_figure_changes").count() == 1
    assert _figures(kpi_table_for(user=ops_zhou, filters=ContactFilters(), by=())) == expected
    tallies_drain()  # what the task worker does
    assert DailyTally.objects.exists()
    assert _figures(kpi_table_for(user=ops_zhou, filters=ContactFilters(), by=())) == expected
