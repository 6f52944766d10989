"""One name per queue: the KPI, assessment and satisfaction pages name an ACD group as the
contact pages do (its name, 话费查询; its code only where it has no name)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from lingting.core.models import User
from lingting.interactions.models import Queue
from lingting.interactions.selectors import queue_names
from lingting.performance.models import MonthlyAssessment
from tests.conftest import Org
from tests.web.conftest import Api
from tests.web.surveys.test_surveys import surveyed  # noqa: F401 (a fixture)

ClientFor = Callable[[User], Client]
pytestmark = pytest.mark.django_db


def _table(page: str, table_id: str) -> str:
    return page.split(f'id="{table_id}"')[1].split("</table>")[0]


def test_the_selector_names_a_queue_as_the_contact_pages_do(org: Org) -> None:
    Queue.objects.create(code="ACD-09")
    names = queue_names()
    assert names["ACD-01"] == str(org.queues["ACD-01"]) == "话费查询"
    assert names["ACD-09"] == "ACD-09"


def test_the_kpi_page_names_queues(
    org: Org, make_contact: Any, client_for: ClientFor, qa_zhao: User
) -> None:
    make_contact(queue="ACD-01", disposition="answered")
    make_contact(queue="ACD-02", disposition="answered")
    client = client_for(qa_zhao)

    contact_list = client.get("/contacts/").content.decode()
    kpis = _table(client.get("/performance/kpis/", {"by": ["queue"]}).content.decode(), "kpi-table")

    assert "话费查询" in contact_list
    assert "话费查询" in kpis
    assert "故障报修" in kpis
    assert "ACD-01" not in kpis


def test_the_kpi_page_names_agents_as_the_contact_pages_do(
    org: Org, make_contact: Any, client_for: ClientFor, qa_zhao: User
) -> None:
    make_contact(agent="A1001", disposition="answered")
    client = client_for(qa_zhao)

    page = client.get("/performance/kpis/", {"by": ["agent"]}).content.decode()
    download = client.get("/performance/kpis/", {"by": ["agent"], "export": "csv"})

    assert "李娜 A1001" in _table(page, "kpi-table")
    assert "李娜 A1001" in download.content.decode("utf-8-sig")


def test_the_assessment_page_names_the_main_queue(
    org: Org, client_for: ClientFor, ops_zhou: User
) -> None:
    MonthlyAssessment.objects.create(
        month=date(2026, 10, 1), agent=org.agents["A1001"], queue="ACD-02", total=90, final=90
    )
    page = client_for(ops_zhou).get("/performance/assessment/?month=2026-10").content.decode()
    table = _table(page, "assessment-table")
    assert "故障报修" in table
    assert "ACD-02" not in table


@pytest.mark.usefixtures("surveyed")
def test_the_satisfaction_page_names_queues(client_for: ClientFor, ops_zhou: User) -> None:
    page = client_for(ops_zhou).get(
        "/surveys/", {"date_from": "2026-10-01", "date_to": "2026-10-01", "by": ["queue"]}
    )
    text = page.content.decode()
    assert "话费查询" in text
    assert "故障报修" in text
    assert "ACD-01" not in text


def test_the_kpi_api_gives_the_queues_name_beside_its_code(
    org: Org, make_contact: Any, qa_zhao: User
) -> None:
    make_contact(queue="ACD-02", disposition="answered")
    [row] = Api(qa_zhao).get("/kpis/", by="queue").json()
    assert (row["queue"], row["queue_name"]) == ("ACD-02", "故障报修")
