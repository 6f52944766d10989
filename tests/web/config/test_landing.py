"""Each role lands on a page made for it (after sign-in and at `/`): those with contacts on
the contact list, a WFM planner on occupancy, a work-order department's staff on their
department's orders; department staff open the source call of an order their department
handles, its numbers masked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from lingting.core.models import User
from lingting.workorders.models import Department, WorkOrderType
from lingting.workorders.services.creation import workorder_create_from_contact
from lingting.workorders.services.steps import workorder_dispatch
from tests.conftest import Org
from tests.web.workorders.test_services import departments  # noqa: F401 (a fixture)

ClientFor = Callable[[User], Client]
pytestmark = pytest.mark.django_db
EMPTY_CONTACT_LIST = "还没有联络记录"


@pytest.mark.parametrize(
    ("username", "landing"),
    [
        ("agent_li", "/contacts/"),
        ("leader_wang", "/contacts/"),
        ("qa_zhao", "/contacts/"),
        ("qa_sun", "/contacts/"),
        ("ops_zhou", "/contacts/"),
        ("planner_qian", "/workforce/planning/"),
    ],
)
def test_home_sends_each_role_to_its_page(
    org: Org, client_for: ClientFor, username: str, landing: str
) -> None:
    response = client_for(org.users[username]).get("/")
    assert response.status_code == 302
    assert response["Location"] == landing


@pytest.mark.usefixtures("departments")
def test_department_staff_land_on_their_departments_orders(org: Org, client_for: ClientFor) -> None:
    for username, code in [("yx_staff", "D-YX"), ("yj_lead", "D-YJ")]:
        response = client_for(org.users[username]).get("/", follow=True)
        assert response.redirect_chain[-1][0] == f"/tickets/?department={code}"
        assert EMPTY_CONTACT_LIST not in response.content.decode()


def test_signing_in_lands_the_planner_on_planning(planner_qian: User, password: str) -> None:
    client = Client()
    response = client.post(
        "/login/", {"username": "planner_qian", "password": password}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/workforce/planning/"
    assert EMPTY_CONTACT_LIST not in response.content.decode()


def test_a_sign_in_with_a_next_page_still_goes_there(planner_qian: User, password: str) -> None:
    response = Client().post(
        "/login/?next=/workforce/broadcast/",
        {"username": "planner_qian", "password": password},
    )
    assert response["Location"] == "/workforce/broadcast/"


def _dispatched_order_from_a_call(
    org: Org, make_contact: Any, department: Department, number: str
) -> Any:
    contact = make_contact(
        agent="A1001",
        customer="CU-7",
        turns=[
            ("agent", "您好，请问有什么可以帮您？", 0.0, 2.0),
            ("customer", f"我家停电了，电话 {number}。", 2.5, 6.0),
        ],
    )
    order = workorder_create_from_contact(
        actor=org.users["agent_li"],
        contact=contact,
        order_type=WorkOrderType.objects.get(code="complaint"),
        title="停电投诉",
        fields={"phone": number},
    )
    workorder_dispatch(
        actor=org.users["agent_li"], order=order, version=order.version, departments=[department]
    )
    return contact


@pytest.mark.usefixtures("departments")
def test_department_staff_open_the_source_call_of_their_order_masked(
    org: Org, client_for: ClientFor, make_contact: Any
) -> None:
    marketing, maintenance = (Department.objects.get(code=c) for c in ("D-YX", "D-YJ"))
    ours = _dispatched_order_from_a_call(org, make_contact, marketing, "13812345678")
    theirs = _dispatched_order_from_a_call(org, make_contact, maintenance, "13912345678")
    staff = client_for(org.users["yx_staff"])

    page = staff.get(f"/contacts/{ours.pk}/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "138****5678" in text
    assert "13812345678" not in text
    assert staff.get(f"/contacts/{theirs.pk}/").status_code == 404
    assert EMPTY_CONTACT_LIST not in text
