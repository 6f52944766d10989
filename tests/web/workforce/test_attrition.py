"""The attrition page and API (004 篇10): who sees them, the figures of a worked month, the
export, and recording a leaver (with its audit event).

The fixture center on 15 November 2026, September–October:

    一班  A1001 李娜 hired 2025-01-01, still here
          A1003 陈晨 hired 2026-08-15, resigned 2026-10-20 (66 days: an early leaver)
    二班  A1002 张伟 hired 2024-05-01, still here
    none  A1999 吴新 no hire date: listed, not counted
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from lingting.core.models import Agent, AuditEvent, User
from lingting.performance.tallies import tallies_drain
from tests.conftest import SHANGHAI, STAFF, ContactFactory, Org
from tests.web.conftest import Api

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]
URL = "/workforce/attrition/"
MONTHS = {"month_from": "2026-09", "month_to": "2026-10"}

#            agent_li agent_zhang leader_wang leader_liu qa_sun qa_zhao ops_zhou planner_qian
MAY_SEE = (403, 403, 200, 200, 403, 403, 200, 200)


@pytest.fixture(autouse=True)
def mid_november() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 11, 15, 10, 0, tzinfo=SHANGHAI)):
        yield


@pytest.fixture
def center(org: Org) -> Org:
    for code, hired, left, reason in [
        ("A1001", date(2025, 1, 1), None, ""),
        ("A1003", date(2026, 8, 15), date(2026, 10, 20), "resigned"),
        ("A1002", date(2024, 5, 1), None, ""),
    ]:
        Agent.objects.filter(code=code).update(hired_on=hired, left_on=left, leaving_reason=reason)
    return org


def _page(client: Client, **params: str) -> str:
    response = client.get(URL, {**MONTHS, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_planners_managers_and_team_leaders_open_the_page_agents_and_qa_do_not(
    center: Org, client_for: ClientFor
) -> None:
    got = tuple(client_for(center.users[name]).get(URL).status_code for name in STAFF)

    assert dict(zip(STAFF, got, strict=True)) == dict(zip(STAFF, MAY_SEE, strict=True))


def test_the_api_answers_the_same_roles_the_same_way(center: Org) -> None:
    got = tuple(Api(center.users[name]).get("/workforce/attrition").status_code for name in STAFF)

    assert dict(zip(STAFF, got, strict=True)) == dict(zip(STAFF, MAY_SEE, strict=True))


def test_an_administrator_sees_every_team(center: Org, client_for: ClientFor) -> None:
    admin = User.objects.create_user("admin_he", role="admin")

    html = _page(client_for(admin))

    assert "一班" in html
    assert "二班" in html


def test_the_navigation_links_the_page_for_those_who_may_see_it(
    center: Org, client_for: ClientFor
) -> None:
    link = f'href="{URL}"'
    assert (
        link
        in client_for(center.users["planner_qian"]).get("/workforce/occupancy/").content.decode()
    )
    assert (
        link
        not in client_for(center.users["agent_li"]).get("/workforce/occupancy/").content.decode()
    )


def test_a_planner_sees_the_early_leaver_and_the_months_rate(
    center: Org, client_for: ClientFor
) -> None:
    html = _page(client_for(center.users["planner_qian"]))

    # 一班 in October: A1001 and A1003 at the start, A1003 gone by the end: 1 of 1.5.
    assert "66.7%" in html
    assert "800.0%" in html  # annualised: 1 ÷ 1.5 × 12
    assert "A1003 陈晨" in html
    assert "2026-10-20" in html
    assert "主动离职" in html
    assert "3个月以内" in html
    assert html.count("<svg") >= 2  # the monthly rate and the hires and leavers
    # A1999 has no hire date: not counted, but named.
    assert "1 名坐席缺少入职日期" in html
    assert "A1999 吴新" in html


def test_a_team_leader_sees_only_the_teams_they_lead(center: Org, client_for: ClientFor) -> None:
    html = _page(client_for(center.users["leader_liu"]))

    assert "二班" in html
    assert "A1003" not in html
    assert "一班" not in html
    assert "登记离职" not in html  # recording leavers is not theirs


def test_a_team_leader_cannot_ask_the_api_for_another_team(center: Org) -> None:
    api = Api(center.users["leader_liu"])

    assert api.get("/workforce/attrition", team="T01").status_code == 422
    assert api.get("/workforce/attrition", team="T02").status_code == 200


def test_the_api_gives_the_figures_and_the_early_leaver(center: Org) -> None:
    body = Api(center.users["ops_zhou"]).get("/workforce/attrition", **MONTHS).json()

    october = next(r for r in body["months"] if r["month"] == "2026-10" and r["team"] == "一班")
    assert (october["start"], october["end"], october["leavers"]) == (2, 1, 1)
    assert october["rate"] == pytest.approx(1 / 1.5)
    assert october["early_share"] == 1.0
    whole = next(r for r in body["totals"] if r["team"] is None)
    # September: 3 at the start and end; October: 3 then 2. Average (3 + 2.5) / 2.
    assert whole["average"] == 2.75
    assert whole["annualised"] == pytest.approx(1 / 2.75 * 6)
    [leaver] = body["leavers"]
    assert (leaver["agent"], leaver["tenure_days"], leaver["early"], leaver["reason"]) == (
        "A1003",
        66,
        True,
        "resigned",
    )
    assert leaver["window"] == ["2026-09"]  # hired 15 August: September is the one full month
    assert body["unplaced"] == [
        {"agent": "A1999", "name": "吴新", "team": "", "problem": "no_hired_on"}
    ]


def test_the_api_is_in_the_schema_under_its_views_name(center: Org, client_for: ClientFor) -> None:
    schema = client_for(center.users["ops_zhou"]).get("/api/openapi.json").json()

    operation = schema["paths"]["/api/workforce/attrition"]["get"]
    assert operation["operationId"] == "attrition"
    assert {"403", "422"} <= set(operation["responses"])


@pytest.mark.parametrize("months", [{"month_from": "2026-10", "month_to": "2026-09"},
                                    {"month_from": "2020-01", "month_to": "2026-01"},
                                    {"month_from": "0000-01"}])  # fmt: skip
def test_the_api_refuses_months_it_cannot_use(center: Org, months: dict[str, str]) -> None:
    assert Api(center.users["ops_zhou"]).get("/workforce/attrition", **months).status_code == 422


def _calls(
    make_contact: ContactFactory, agent: str, count: int, talk_s: float, score: float
) -> None:
    for number in range(count):
        started = datetime(2026, 9, 10, 9, 0, tzinfo=SHANGHAI) + timedelta(hours=number)
        make_contact(
            f"C-{agent}-{number}",
            agent=agent,
            started_at=started,
            disposition="answered",
            talk_s=talk_s,
            score=score,
        )


def test_the_leaver_is_compared_with_the_stayers_in_the_same_month(
    center: Org, make_contact: ContactFactory
) -> None:
    # September: A1003 (leaving) 2 calls of 300 s scored 70; stayers A1001 4 calls of 180 s
    # scored 90 and A1002 2 calls of 120 s scored 96.
    _calls(make_contact, "A1003", 2, 300, 70)
    _calls(make_contact, "A1001", 4, 180, 90)
    _calls(make_contact, "A1002", 2, 120, 96)
    tallies_drain()

    body = Api(center.users["planner_qian"]).get("/workforce/attrition", **MONTHS).json()

    leavers, stayers = body["comparison"]["leavers"], body["comparison"]["stayers"]
    assert (leavers["agents"], leavers["answered_per_month"]) == (1, 2)
    assert leavers["handle_time_s"] == 300
    assert leavers["qa_score"] == 70
    assert (stayers["agents"], stayers["answered_per_month"]) == (2, 3)
    assert stayers["handle_time_s"] == pytest.approx((4 * 180 + 2 * 120) / 6)
    assert stayers["qa_score"] == pytest.approx((4 * 90 + 2 * 96) / 6)
    assert body["leavers"][0]["own"]["handle_time_s"] == 300


def test_the_page_downloads_its_tables_as_csv_and_xlsx(center: Org, client_for: ClientFor) -> None:
    client = client_for(center.users["planner_qian"])

    response = client.get(URL, {**MONTHS, "export": "csv"})
    assert response.status_code == 200
    assert 'filename="attrition-202609-202610.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    october = next(r for r in rows if r[:2] == ["2026-10", "一班"])
    assert october[2:7] == ["2", "1", "1.5", "0", "1"]
    assert float(october[7]) == pytest.approx(1 / 1.5)
    assert any(r[:1] == ["A1003 陈晨"] for r in rows)

    xlsx = client.get(URL, {**MONTHS, "export": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"


def _post(client: Client, path: str, **data: Any) -> Any:
    return client.post(reverse(f"workforce:{path}"), data)


def test_a_planner_records_a_leaver_and_it_is_audited(center: Org, client_for: ClientFor) -> None:
    planner = center.users["planner_qian"]
    agent = center.agents["A1002"]

    response = _post(
        client_for(planner),
        "attrition_leaver",
        agent=agent.pk,
        left_on="2026-11-10",
        reason="transferred",
        note="调往投诉组",
    )

    assert response.status_code == 302
    agent.refresh_from_db()
    assert (agent.left_on, agent.leaving_reason) == (date(2026, 11, 10), "transferred")
    event = AuditEvent.objects.get(action="agent.leave")
    assert (event.actor, event.object_id, event.note) == (planner, "A1002", "调往投诉组")
    assert event.before == {"left_on": None, "leaving_reason": ""}
    assert event.after == {"left_on": "2026-11-10", "leaving_reason": "transferred"}


def test_a_leaving_day_before_the_hire_day_is_refused_on_the_form(
    center: Org, client_for: ClientFor
) -> None:
    agent = center.agents["A1002"]

    response = _post(
        client_for(center.users["ops_zhou"]),
        "attrition_leaver",
        agent=agent.pk,
        left_on="2024-04-30",
    )

    assert response.status_code == 200
    assert "离职日期 2024-04-30 早于入职日期 2024-05-01" in response.content.decode()
    agent.refresh_from_db()
    assert agent.left_on is None
    assert not AuditEvent.objects.filter(action="agent.leave").exists()


@pytest.mark.parametrize("name", ["leader_wang", "agent_li", "qa_zhao"])
def test_only_planners_managers_and_admins_record_leavers(
    center: Org, client_for: ClientFor, name: str
) -> None:
    agent = center.agents["A1001"]

    response = _post(
        client_for(center.users[name]), "attrition_leaver", agent=agent.pk, left_on="2026-11-10"
    )

    assert response.status_code == 403
    agent.refresh_from_db()
    assert agent.left_on is None


def test_a_leaving_recorded_by_mistake_is_taken_back(center: Org, client_for: ClientFor) -> None:
    agent = center.agents["A1003"]

    response = _post(
        client_for(center.users["ops_zhou"]), "attrition_leaver_cancel", agent=agent.pk
    )

    assert response.status_code == 302
    agent.refresh_from_db()
    assert (agent.left_on, agent.leaving_reason) == (None, "")
    event = AuditEvent.objects.get(action="agent.leave_cancel")
    assert event.before == {"left_on": "2026-10-20", "leaving_reason": "resigned"}


def test_an_agent_who_left_keeps_their_pages(
    center: Org, make_contact: ContactFactory, client_for: ClientFor
) -> None:
    contact = make_contact("C-LEFT-1", agent="A1003", score=88)
    leader = client_for(center.users["leader_wang"])

    assert leader.get(f"/contacts/{contact.pk}/").status_code == 200
    assert "A1003" in leader.get("/contacts/").content.decode()
    assert leader.get("/workforce/occupancy/").status_code == 200
