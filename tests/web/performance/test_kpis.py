"""The KPI page gives exactly what `lingting kpis` gives for the same contacts."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lingting.core.models import User
from lingting.engine.kpis import KpiOptions, kpi_rows
from lingting.engine.reader import ParsedLine, read_contacts_file
from lingting.interactions.services import contacts_import
from lingting.performance.selectors import kpi_table_for
from lingting.performance.tallies import tallies_drain
from lingting.quality.contact_filters import ContactFilters
from tests.conftest import SHANGHAI
from tests.web.conftest import Api

ClientFor = Callable[[User], Client]
pytestmark = pytest.mark.django_db


def cdr_day(path: Path, *, seed: int = 7, count: int = 120) -> Path:
    """A morning of CDRs across two queues and two agents: answered, abandoned (some
    within seconds), IVR-only and outbound calls; some with wait_s given, some without."""
    rng = random.Random(seed)
    lines = []
    for n in range(count):
        queued = datetime(2026, 10, 1, 8, 0, tzinfo=SHANGHAI) + timedelta(minutes=3 * n)
        wait = rng.choice([0, 2, 4, 8, 15, 25, 40, 90])
        outcome = rng.choices(["answered", "abandoned", "ivr"], weights=[7, 2, 1])[0]
        record: dict[str, Any] = {
            "id": f"CDR-{n:04d}",
            "channel": "voice",
            "direction": "outbound" if n % 17 == 0 else "inbound",
            "queue": ("ACD-01", "ACD-02")[n % 2],
            "agent_id": ("A1001", "A1002")[n % 2] if outcome == "answered" else None,
            "queued_at": queued.isoformat(),
            "disposition": outcome,
        }
        if outcome == "answered":
            answered = queued + timedelta(seconds=wait)
            record["answered_at"] = answered.isoformat()
            record["ended_at"] = (answered + timedelta(seconds=rng.randint(60, 600))).isoformat()
            record["hold_s"] = rng.choice([0, 0, 30])
            record["acw_s"] = rng.choice([10, 20])
        else:
            record["ended_at"] = (queued + timedelta(seconds=wait)).isoformat()
        if n % 3 == 0:
            record["wait_s"] = wait
        if n % 5:  # a few callers, some of whom call again; every fifth unidentified
            record["customer_id"] = f"U{n % 11}"
        if n % 7 == 0:
            record["tags"] = ["投诉"]
        if outcome == "answered" and n % 4 == 0:
            record["transferred"] = n % 8 == 0
        lines.append(orjson.dumps(record))
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


@pytest.fixture
def imported(tmp_path: Path, org: Any) -> Path:
    path = cdr_day(tmp_path / "cdr.jsonl")
    tz = timezone.get_default_timezone()
    contacts_import(lines=read_contacts_file(str(path), tz=tz))
    return path


def engine_rows(
    path: Path, by: list[str], *, extra: bool = False, options: KpiOptions | None = None
) -> list[dict[str, Any]]:
    tz = timezone.get_default_timezone()
    lines = read_contacts_file(str(path), tz=tz)
    contacts = (line.contact for line in lines if isinstance(line, ParsedLine))
    rows = kpi_rows(contacts, by=by, tz=tz, extra=extra, options=options)
    return [row.to_dict(extra=extra) for row in rows]


@pytest.mark.parametrize("by", [["day"], ["queue"], ["hour", "queue"], ["agent"]])
def test_the_page_and_the_command_agree(imported: Path, qa_zhao: User, by: list[str]) -> None:
    tallies_drain()  # by day, queue or agent the page adds up the daily tallies
    table = kpi_table_for(user=qa_zhao, filters=ContactFilters(), by=by)
    page = [line.row.to_dict() for line in table]

    assert page == engine_rows(imported, by)
    assert sum(row["offered"] for row in page) > 0


def test_an_agent_sees_the_kpis_of_their_own_calls(imported: Path, agent_li: User) -> None:
    tallies_drain()
    table = kpi_table_for(user=agent_li, filters=ContactFilters(), by=["agent"])

    assert [dict(line.row.group)["agent"] for line in table] == ["A1001"]


def test_the_page_shows_the_figures(
    client_for: ClientFor, imported: Path, ops_zhou: User, org: Any
) -> None:
    expected = engine_rows(imported, ["queue"])

    page = client_for(ops_zhou).get(reverse("performance:kpis"), {"by": ["queue"]}).content.decode()

    table = page.split('id="kpi-table"')[1]
    for row in expected:
        assert f">{org.queues[row['queue']].name}<" in table  # named as the contact pages do
        assert f'<td class="num">{row["offered"]}</td>' in table


def test_figures_are_coloured_against_the_queues_target_before_the_centers(
    client_for: ClientFor, imported: Path, ops_zhou: User, org: Any
) -> None:
    from lingting.performance.services import kpi_target_set

    expected = {row["queue"]: row for row in engine_rows(imported, ["queue"])}
    rate = expected["ACD-01"]["answer_rate"]
    # the whole center is held to a rate ACD-01 beats; ACD-01 itself to one it misses
    kpi_target_set(actor=ops_zhou, figure="answer_rate", queue=None, green=0.0, amber=0.0)
    kpi_target_set(
        actor=ops_zhou,
        figure="answer_rate",
        queue=org.queues["ACD-01"],
        green=1.0,
        amber=rate + 0.001,
    )

    page = client_for(ops_zhou).get(reverse("performance:kpis"), {"by": ["queue"]}).content.decode()

    rows = {
        r.split("</td>")[0].rsplit(">", 1)[1]: r
        for r in page.split('id="kpi-table"')[1].split("<tr>")[2:]
    }
    assert "rag-red" in rows["话费查询"]  # ACD-01, below its own amber threshold
    assert "rag-green" in rows["故障报修"]  # ACD-02: only the center's target applies


def test_only_operations_sets_targets_and_bad_thresholds_are_refused(
    client_for: ClientFor, ops_zhou: User, qa_zhao: User, agent_li: User
) -> None:
    from lingting.core.models import AuditEvent
    from lingting.performance.models import KpiTarget

    url = reverse("performance:targets")
    assert client_for(qa_zhao).get(url).status_code == 403
    assert (
        client_for(agent_li).post(url, {"figure": "asa_s", "green": 20, "amber": 30}).status_code
        == 403
    )

    wrong = client_for(ops_zhou).post(url, {"figure": "asa_s", "green": 30, "amber": 20})
    right = client_for(ops_zhou).post(url, {"figure": "asa_s", "green": 20, "amber": 30})

    assert "越低越好的指标，达标值不能高于预警值" in wrong.content.decode()
    assert right.status_code == 302
    target = KpiTarget.objects.get()
    assert (target.figure, target.queue, target.target.status(25)) == ("asa_s", None, "amber")
    assert AuditEvent.objects.filter(action="kpi_target.set").count() == 1


# --- beyond FORMATS.md: FCR, transfers, complaints, QA score and pass rate --------------------


@pytest.mark.parametrize("by", [["day"], ["queue"], ["agent"]])
def test_the_extra_figures_on_the_page_are_the_commands(
    imported: Path, qa_zhao: User, by: list[str]
) -> None:
    hour = KpiOptions(fcr_days=1 / 24)  # the file is one morning: an hour's window
    table = kpi_table_for(user=qa_zhao, filters=ContactFilters(), by=by, options=hour)

    assert [line.row.to_dict(extra=True) for line in table] == engine_rows(
        imported, by, extra=True, options=hour
    )
    [total] = engine_rows(imported, [], extra=True, options=hour)
    for figure in ("fcr_repeated", "fcr_resolved", "fcr_pending", "fcr_unidentified"):
        assert total[figure] > 0
    assert total["complaints"] > 0
    assert 0 < total["transfer_rate"] < 1


def test_an_agents_fcr_counts_a_repeat_that_another_agent_answered(
    make_contact: Any, agent_li: User
) -> None:
    first = datetime(2026, 10, 1, 9, 0, tzinfo=SHANGHAI)
    make_contact(agent="A1001", customer="U1", started_at=first, disposition="answered")
    make_contact(
        agent="A1002",
        customer="U1",
        started_at=first + timedelta(days=2),
        disposition="answered",
    )
    make_contact(agent="A1001", customer="U2", started_at=first, disposition="answered")
    make_contact(
        agent="A1002", customer="U3", started_at=first + timedelta(days=30), disposition="answered"
    )

    [line] = kpi_table_for(user=agent_li, filters=ContactFilters(), by=["agent"])

    assert (line.row.answered, line.row.fcr_repeated, line.row.fcr_resolved) == (2, 1, 1)
    assert line.row.fcr == 0.5


def test_qa_score_and_pass_rate_are_the_current_automatic_scores_of_each_group(
    make_contact: Any, qa_zhao: User
) -> None:
    for agent, score in [("A1001", 90), ("A1001", 70), ("A1001", 50), ("A1002", 85)]:
        make_contact(agent=agent, score=score, disposition="answered")
    make_contact(agent="A1002", disposition="answered")  # not scored yet

    table = kpi_table_for(user=qa_zhao, filters=ContactFilters(), by=["agent"])

    qa = {dict(line.row.group)["agent"]: line.qa for line in table}
    assert (qa["A1001"].scored, qa["A1001"].qa_score) == (3, 70.0)
    assert qa["A1001"].pass_rate == pytest.approx(2 / 3)  # 50 fails (the factory's mark is 60)
    assert (qa["A1002"].scored, qa["A1002"].qa_score, qa["A1002"].pass_rate) == (1, 85.0, 1.0)


def test_the_page_shows_the_extra_figures_with_their_targets(
    client_for: ClientFor, make_contact: Any, ops_zhou: User, org: Any
) -> None:
    from lingting.performance.services import kpi_target_set

    for agent, score in [("A1001", 90), ("A1003", 88), ("A1002", 70)]:
        make_contact(agent=agent, score=score, disposition="answered", tags=["投诉"])
    # the center wants 80; team 一班 (A1001, A1003) is held to 95, which it misses
    kpi_target_set(actor=ops_zhou, figure="qa_score", queue=None, green=80, amber=75)
    kpi_target_set(
        actor=ops_zhou, figure="qa_score", queue=None, team=org.teams["一班"], green=95, amber=89
    )

    page = client_for(ops_zhou).get(reverse("performance:kpis"), {"by": ["agent"]}).content.decode()

    assert "一次解决率" in page
    assert "质检合格率" in page
    rows = {  # by 工号: an agent is shown as the contact pages show one (李娜 A1001)
        r.split("</td>")[0].rsplit(" ", 1)[1]: r
        for r in page.split('id="kpi-table"')[1].split("<tr>")[2:]
    }
    assert 'qa-score rag rag-amber">90.0<' in rows["A1001"]  # green for the center, not 一班
    assert 'qa-score rag rag-red">88.0<' in rows["A1003"]
    assert 'qa-score rag rag-red">70.0<' in rows["A1002"]  # 二班: the center's target
    assert '<td class="num complaints">1</td>' in rows["A1002"]


def test_a_team_target_is_set_through_the_form_and_audited(
    client_for: ClientFor, ops_zhou: User, org: Any
) -> None:
    from lingting.core.models import AuditEvent
    from lingting.performance.models import KpiTarget

    url = reverse("performance:targets")
    team = org.teams["二班"].pk
    both = client_for(ops_zhou).post(
        url,
        {
            "figure": "fcr",
            "team": team,
            "queue": org.queues["ACD-01"].pk,
            "green": 0.8,
            "amber": 0.7,
        },
    )
    wrong = client_for(ops_zhou).post(
        url, {"figure": "transfer_rate", "team": team, "green": 20, "amber": 10}
    )
    right = client_for(ops_zhou).post(
        url, {"figure": "transfer_rate", "team": team, "green": 10, "amber": 20}
    )

    assert "目标针对一个班组或一个ACD组，不能同时针对两者" in both.content.decode()
    assert "越低越好的指标，达标值不能高于预警值" in wrong.content.decode()
    assert right.status_code == 302
    target = KpiTarget.objects.get()
    assert (target.team, target.queue, target.target.status(0.15)) == (
        org.teams["二班"],
        None,
        "amber",
    )
    event = AuditEvent.objects.get(action="kpi_target.set")
    assert event.object_id == "transfer_rate:team:T02"
    assert "二班" in client_for(ops_zhou).get(url).content.decode()


def test_the_api_gives_the_page_figures_in_the_users_scope(
    imported: Path, qa_zhao: User, agent_li: User
) -> None:
    page = [
        row.values()
        for row in kpi_table_for(
            user=qa_zhao, filters=ContactFilters(), by=["day", "queue"], meaning=True
        )
    ]

    rows = Api(qa_zhao).get("/kpis/", by="day,queue").json()
    own = Api(agent_li).get("/kpis/", by="agent").json()

    assert [{k: v for k, v in row.items() if k != "queue_name"} for row in rows] == page
    assert {(row["queue"], row["queue_name"]) for row in rows} == {
        ("ACD-01", "话费查询"),
        ("ACD-02", "故障报修"),
    }
    assert "fcr" in rows[0]
    assert "qa_score" in rows[0]
    assert [row["agent"] for row in own] == ["A1001"]


def test_the_api_refuses_a_grouping_or_queue_it_does_not_know(
    imported: Path, qa_zhao: User
) -> None:
    api = Api(qa_zhao)

    wrong_group = api.get("/kpis/", by="day,shift")
    wrong_queue = api.get("/kpis/", queue="ACD-99")

    assert wrong_group.status_code == 422
    assert "unknown grouping 'shift'" in wrong_group.json()["detail"][0]
    assert wrong_queue.status_code == 422
    assert api.get("/kpis/", queue="ACD-02", by="queue").json()[0]["queue"] == "ACD-02"
