"""What the customers meant, on the KPI page and in the KPI API (issue 15): per agent, per
ACD group or per day, the share ending angry (and angry or dissatisfied), the unresolved
rate and the mean predicted satisfaction, each beside the count it is taken over — counted
as the quality report counts them, in the reader's scope."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from lingting.core.models import User
from lingting.documents.periods import PeriodKind, parse_period
from lingting.interactions.models import Contact
from lingting.performance.selectors import kpi_table_for, tallies_ready
from lingting.quality.contact_filters import ContactFilters
from lingting.reports.selectors.meaning import meaning_report
from tests.conftest import SHANGHAI, ContactFactory
from tests.web.conftest import ANGRY_UNRESOLVED, PLEASED_RESOLVED, Api, store_meaning

ClientFor = Callable[[User], Client]
pytestmark = pytest.mark.django_db

OCTOBER = {"date_from": "2026-10-01", "date_to": "2026-10-31"}


def meant(
    make_contact: ContactFactory,
    agent: str,
    queue: str,
    end: str,
    resolved: bool | None,
    satisfaction: float | None,
    *,
    started_at: datetime = datetime(2026, 10, 5, 10, tzinfo=SHANGHAI),
) -> Contact:
    """An answered inbound call and what its customer meant ("" : the customer never spoke)."""
    made = make_contact(agent=agent, queue=queue, started_at=started_at, disposition="answered")
    return store_meaning(made, end, resolved, satisfaction)


@pytest.fixture
def october(make_contact: ContactFactory) -> None:
    """李娜 (A1001, ACD-01): angry/unresolved 0.1, dissatisfied/unclear 0.3, pleased/resolved
    0.8. 张伟 (A1002): ACD-01 angry/unresolved 0.2, ACD-02 calm/resolved 0.7, ACD-02 a call
    whose customer never spoke, ACD-02 a call never read. November: 李娜 angry again."""
    meant(make_contact, "A1001", "ACD-01", "angry", False, 0.1)
    meant(make_contact, "A1001", "ACD-01", "dissatisfied", None, 0.3)
    meant(make_contact, "A1001", "ACD-01", "pleased", True, 0.8)
    meant(make_contact, "A1002", "ACD-01", "angry", False, 0.2)
    meant(make_contact, "A1002", "ACD-02", "calm", True, 0.7)
    meant(make_contact, "A1002", "ACD-02", "", None, None)
    make_contact(
        agent="A1002",
        queue="ACD-02",
        started_at=datetime(2026, 10, 6, 10, tzinfo=SHANGHAI),
        disposition="answered",
    )
    meant(
        make_contact,
        "A1001",
        "ACD-01",
        "angry",
        False,
        0.0,
        started_at=datetime(2026, 11, 2, 10, tzinfo=SHANGHAI),
    )


def _rows_by_agent(page: str) -> dict[str, str]:
    """The KPI table's rows by 工号 (an agent is shown as 李娜 A1001)."""
    return {
        r.split("</td>")[0].rsplit(" ", 1)[1]: r
        for r in page.split('id="kpi-table"')[1].split("<tr>")[2:]
    }


def test_the_page_shows_each_agents_shares_beside_their_counts(
    client_for: ClientFor, october: None, ops_zhou: User
) -> None:
    page = (
        client_for(ops_zhou)
        .get(reverse("performance:kpis"), {"by": ["agent"], **OCTOBER})
        .content.decode()
    )

    rows = _rows_by_agent(page)
    li, zhang = rows["A1001"], rows["A1002"]
    assert '<td class="num with-customer">3</td>' in li  # November's call is another month
    assert 'ended-angry">33%<' in li
    assert 'ended-upset">67%<' in li
    assert 'verdicts">2<' in li  # the unclear one is no verdict
    assert 'unresolved">50%<' in li
    assert 'satisfaction">40%<' in li
    # the call whose customer never spoke and the call never read are not counted
    assert '<td class="num with-customer">2</td>' in zhang
    assert 'ended-angry">50%<' in zhang
    assert 'unresolved">50%<' in zhang
    assert 'satisfaction">45%<' in zhang


def test_a_group_without_a_customer_who_spoke_shows_dashes_not_zeros(
    client_for: ClientFor, make_contact: ContactFactory, ops_zhou: User
) -> None:
    make_contact(agent="A1003", disposition="answered")  # never read

    page = client_for(ops_zhou).get(reverse("performance:kpis"), {"by": ["agent"]}).content.decode()

    row = _rows_by_agent(page)["A1003"]
    assert '<td class="num with-customer">0</td>' in row
    assert 'ended-angry">—<' in row
    assert 'unresolved">—<' in row
    assert 'satisfaction">—<' in row


def test_meanings_filled_in_by_the_backfill_show_on_the_page_it_already_showed(
    client_for: ClientFor, make_contact: ContactFactory, ops_zhou: User
) -> None:
    """Calls stored before meanings were: the page is read from the daily tallies, and
    `lingting meaning_backfill` (which scores nothing) still changes what it shows."""
    for turns in (ANGRY_UNRESOLVED, PLEASED_RESOLVED):
        make_contact(agent="A1001", turns=turns, disposition="answered")
    client = client_for(ops_zhou)

    before = client.get(reverse("performance:kpis"), {"by": ["agent"]}).content.decode()
    assert tallies_ready()  # the page counted the tallies and read them
    call_command("meaning_backfill")
    after = client.get(reverse("performance:kpis"), {"by": ["agent"]}).content.decode()

    assert '<td class="num with-customer">0</td>' in _rows_by_agent(before)["A1001"]
    row = _rows_by_agent(after)["A1001"]
    assert '<td class="num with-customer">2</td>' in row
    assert 'ended-angry">50%<' in row
    assert 'unresolved">50%<' in row


def test_per_queue_the_page_counts_what_the_quality_report_counts(
    october: None, qa_zhao: User
) -> None:
    table = kpi_table_for(
        user=qa_zhao,
        filters=ContactFilters(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31)),
        by=["queue"],
        meaning=True,
    )
    report = meaning_report(user=qa_zhao, period=parse_period(PeriodKind.MONTH, "2026-10"))

    page = {dict(line.row.group)["queue"]: line.meaning for line in table}
    assert page == {group.code: group.totals for group in report.queues}
    assert report.queues[0].totals.with_customer == 4  # ACD-01: 李娜's three and 张伟's one


def test_by_day_a_call_counts_on_its_local_day(make_contact: ContactFactory, qa_zhao: User) -> None:
    # 01:30 in Shanghai on the 6th is still the 5th in UTC
    meant(make_contact, "A1001", "ACD-01", "angry", False, 0.1)
    meant(
        make_contact,
        "A1001",
        "ACD-01",
        "calm",
        True,
        0.9,
        started_at=datetime(2026, 10, 6, 1, 30, tzinfo=SHANGHAI),
    )

    by_day = kpi_table_for(user=qa_zhao, filters=ContactFilters(), by=["day"], meaning=True)
    [total] = kpi_table_for(user=qa_zhao, filters=ContactFilters(), by=[], meaning=True)

    days = {dict(line.row.group)["day"]: line.values() for line in by_day}
    assert {day: row["ended_angry"] for day, row in days.items()} == {
        "2026-10-05": 1,
        "2026-10-06": 0,
    }
    assert days["2026-10-06"]["satisfaction_predicted_mean"] == 0.9
    assert (total.values()["with_customer"], total.values()["unresolved_rate"]) == (2, 0.5)


def test_an_agent_sees_only_their_own_row_and_their_own_share_of_a_queue(
    client_for: ClientFor, october: None, agent_li: User
) -> None:
    page = (
        client_for(agent_li)
        .get(reverse("performance:kpis"), {"by": ["agent"], **OCTOBER})
        .content.decode()
    )
    by_queue = Api(agent_li).get("/kpis/", by="queue", **OCTOBER).json()

    assert list(_rows_by_agent(page)) == ["A1001"]
    assert "A1002" not in page
    [acd01] = by_queue  # 张伟's calls of ACD-01 are not hers to see
    assert (acd01["queue"], acd01["with_customer"], acd01["ended_angry"]) == ("ACD-01", 3, 1)


def test_the_api_gives_the_figures_with_their_counts(october: None, leader_wang: User) -> None:
    rows = Api(leader_wang).get("/kpis/", by="agent", **OCTOBER).json()

    # 一班 is 李娜 and 陈晨: 张伟's calls are outside the leader's scope
    [li] = rows
    assert li["agent"] == "A1001"
    assert {name: li[name] for name in MEANING_FIGURES} == {
        "with_customer": 3,
        "ended_angry": 1,
        "ended_angry_share": 0.3333,
        "ended_upset": 2,
        "ended_upset_share": 0.6667,
        "resolution_verdicts": 2,
        "unresolved": 1,
        "unresolved_rate": 0.5,
        "satisfaction_predicted_count": 3,
        "satisfaction_predicted_mean": 0.4,
    }


MEANING_FIGURES = (
    "with_customer",
    "ended_angry",
    "ended_angry_share",
    "ended_upset",
    "ended_upset_share",
    "resolution_verdicts",
    "unresolved",
    "unresolved_rate",
    "satisfaction_predicted_count",
    "satisfaction_predicted_mean",
)


def test_the_download_carries_the_figures(
    client_for: ClientFor, october: None, ops_zhou: User
) -> None:
    response = client_for(ops_zhou).get(
        reverse("performance:kpis"), {"by": ["queue"], "export": "csv", **OCTOBER}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    header = next(row for row in rows if "呼入量" in row)
    acd01 = dict(
        zip(header, next(row for row in rows if row and row[0] == "话费查询"), strict=True)
    )
    assert (acd01["客户发言的联络"], acd01["有解决判断"]) == ("4", "3")
    assert acd01["生气占比"] == "0.5"  # a rate, as the other rates are downloaded
