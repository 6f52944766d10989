"""The department dashboard (/tickets/dashboard/): open, due soon, overdue, urged and returned
orders per department, each a link to the filtered list; a department sees its own row,
team leaders and operations managers every row; the list marks rows due soon and overdue."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from lingting.core.models import User
from lingting.workorders.models import Department, WorkOrder, WorkOrderType
from lingting.workorders.services.creation import workorder_create
from lingting.workorders.services.deadlines import workorder_warnings_send
from lingting.workorders.services.steps import (
    workorder_dispatch,
    workorder_pause,
    workorder_reply,
    workorder_return,
    workorder_urge,
)
from tests.conftest import Org
from tests.web.workorders.test_services import departments  # noqa: F401 (a fixture)
from tests.web.workorders.test_warnings import _fault

ClientFor = Callable[[User], Client]


@pytest.fixture
def board(
    agent_li: User,
    departments: dict[str, Department],  # noqa: F811 (the fixture above)
    org: Org,
) -> dict[str, WorkOrder]:
    """运检部: one overdue fault, one past its 50% point, one fresh and urged, one overdue but
    paused. 营销部: one complaint returned once. Stored times brought up to date by a run of
    the warnings."""
    yj, yx = departments["D-YJ"], departments["D-YX"]
    orders = {
        "overdue": _fault(agent_li, yj, hours_ago=9),
        "soon": _fault(agent_li, yj, hours_ago=5),
        "fresh": _fault(agent_li, yj, hours_ago=0),
        "paused": _fault(agent_li, yj, hours_ago=9),
    }
    fresh = orders["fresh"]
    orders["fresh"] = workorder_urge(
        actor=agent_li, order=fresh, version=fresh.version, by_customer=True
    )
    paused = orders["paused"]
    orders["paused"] = workorder_pause(actor=agent_li, order=paused, version=paused.version)
    complaint = workorder_create(
        actor=agent_li,
        order_type=WorkOrderType.objects.get(code="complaint"),
        title="抄表错误",
        fields={"phone": "13812345678"},
        department=yx,
    )
    complaint = workorder_dispatch(
        actor=agent_li, order=complaint, version=complaint.version, departments=[yx]
    )
    complaint = workorder_reply(
        actor=org.users["yx_staff"], order=complaint, version=complaint.version, reply="已核实"
    )
    orders["returned"] = workorder_return(
        actor=agent_li, order=complaint, version=complaint.version, reason="未说明原因"
    )
    workorder_warnings_send()
    return orders


def _rows(page: str) -> dict[str, list[str]]:
    """Department name → its five counts, read from the dashboard table."""
    body = page.split('id="department-dashboard"')[1].split("<tbody>")[1].split("</tbody>")[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        name = re.findall(r"<td>(.*?)</td>", row)[0]
        rows[name] = re.findall(r'<a href="[^"]*"[^>]*>(\d+)</a>', row)
    return rows


def test_a_team_leader_sees_every_department(
    leader_wang: User, client_for: ClientFor, board: dict[str, WorkOrder]
) -> None:
    page = client_for(leader_wang).get("/tickets/dashboard/").content.decode()
    assert "部门工单看板" in page
    #                         open, due soon, overdue, urged, returned
    assert _rows(page) == {"营销部": ["1", "0", "0", "0", "1"], "运检部": ["4", "1", "1", "1", "0"]}
    assert "?department=D-YJ&amp;due=overdue" in page


def test_an_operations_manager_sees_every_department(
    ops_zhou: User, client_for: ClientFor, board: dict[str, WorkOrder]
) -> None:
    page = client_for(ops_zhou).get("/tickets/dashboard/").content.decode()
    assert set(_rows(page)) == {"营销部", "运检部"}


def test_a_department_sees_only_its_own_row(
    client_for: ClientFor, org: Org, board: dict[str, WorkOrder]
) -> None:
    page = client_for(org.users["yx_staff"]).get("/tickets/dashboard/").content.decode()
    assert set(_rows(page)) == {"营销部"}
    page = client_for(org.users["yj_lead"]).get("/tickets/dashboard/").content.decode()
    assert set(_rows(page)) == {"运检部"}
    listing = client_for(org.users["yx_staff"]).get("/tickets/").content.decode()
    assert 'href="/tickets/dashboard/"' in listing  # reached from the list


def test_others_may_not_see_the_dashboard(
    agent_zhang: User, outsider: User, client_for: ClientFor, board: dict[str, WorkOrder]
) -> None:
    assert client_for(agent_zhang).get("/tickets/dashboard/").status_code == 403
    assert client_for(outsider).get("/tickets/dashboard/").status_code == 403


def test_a_count_opens_the_filtered_list(
    leader_wang: User, client_for: ClientFor, board: dict[str, WorkOrder]
) -> None:
    client = client_for(leader_wang)
    overdue = client.get("/tickets/?department=D-YJ&due=overdue").content.decode()
    assert _numbers(overdue) == {board["overdue"].number}
    soon = client.get("/tickets/?department=D-YJ&due=soon").content.decode()
    assert _numbers(soon) == {board["soon"].number}
    urged = client.get("/tickets/?department=D-YJ&urged=1").content.decode()
    assert _numbers(urged) == {board["fresh"].number}
    returned = client.get("/tickets/?returned=1").content.decode()
    assert _numbers(returned) == {board["returned"].number}
    yx = client.get("/tickets/?department=D-YX").content.decode()
    assert _numbers(yx) == {board["returned"].number}


def test_the_list_marks_rows_due_soon_and_overdue(
    leader_wang: User, client_for: ClientFor, board: dict[str, WorkOrder]
) -> None:
    page = client_for(leader_wang).get("/tickets/").content.decode()
    assert _marked(page, "row-overdue") == {board["overdue"].number}
    assert _marked(page, "row-due-soon") == {board["soon"].number}
    assert "已超时" in page
    assert "即将到期" in page
    assert 'style="' not in page  # the CSP allows no inline style


def test_the_navigation_links_the_dashboard_for_leaders(
    leader_wang: User, agent_li: User, client_for: ClientFor
) -> None:
    assert 'href="/tickets/dashboard/"' in client_for(leader_wang).get("/tickets/").content.decode()
    assert (
        'href="/tickets/dashboard/"' not in client_for(agent_li).get("/tickets/").content.decode()
    )


def _numbers(page: str) -> set[str]:
    return set(re.findall(r'<a href="/tickets/\d+/">(GD[\d-]+)</a>', page))


def _marked(page: str, css: str) -> set[str]:
    return set(
        re.findall(rf'<tr class="{css}">\s*<td class="nowrap"><a href="[^"]+">(GD[\d-]+)<', page)
    )
