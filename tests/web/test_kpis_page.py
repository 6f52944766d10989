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
from lingting.engine.kpis import kpi_rows
from lingting.engine.reader import ParsedLine, read_contacts_file
from lingting.interactions.selectors import ContactFilters
from lingting.interactions.services import contacts_import
from lingting.performance.selectors import kpis_for
from tests.conftest import SHANGHAI

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
        lines.append(orjson.dumps(record))
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


@pytest.fixture
def imported(tmp_path: Path, org: Any) -> Path:
    path = cdr_day(tmp_path / "cdr.jsonl")
    tz = timezone.get_default_timezone()
    contacts_import(lines=read_contacts_file(str(path), tz=tz), score=False)
    return path


def engine_rows(path: Path, by: list[str]) -> list[dict[str, Any]]:
    tz = timezone.get_default_timezone()
    lines = read_contacts_file(str(path), tz=tz)
    contacts = (line.contact for line in lines if isinstance(line, ParsedLine))
    return [row.to_dict() for row in kpi_rows(contacts, by=by, tz=tz)]


@pytest.mark.parametrize("by", [["day"], ["queue"], ["hour", "queue"], ["agent"]])
def test_the_page_and_the_command_agree(imported: Path, qa_zhao: User, by: list[str]) -> None:
    page = [row.to_dict() for row in kpis_for(user=qa_zhao, filters=ContactFilters(), by=by)]

    assert page == engine_rows(imported, by)
    assert sum(row["offered"] for row in page) > 0


def test_an_agent_sees_the_kpis_of_their_own_calls(imported: Path, agent_li: User) -> None:
    rows = kpis_for(user=agent_li, filters=ContactFilters(), by=["agent"])

    assert [dict(row.group)["agent"] for row in rows] == ["A1001"]


def test_the_page_shows_the_figures(client_for: ClientFor, imported: Path, ops_zhou: User) -> None:
    expected = engine_rows(imported, ["queue"])

    page = client_for(ops_zhou).get(reverse("performance:kpis"), {"by": ["queue"]}).content.decode()

    table = page.split('id="kpi-table"')[1]
    for row in expected:
        assert f">{row['queue']}<" in table
        assert f'<td class="num">{row["offered"]}</td>' in table
