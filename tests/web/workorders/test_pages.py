"""Work-order pages: 创建工单 from a contact, the list by role, an order's page with the
actions its stage allows, taking a step through a form, and a stale form's message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from lingting.core.models import User
from lingting.workorders.models import Department, WorkOrder, WorkOrderType
from lingting.workorders.services.creation import workorder_create
from tests.conftest import Org
from tests.web.workorders.test_services import departments  # noqa: F401 (a fixture)

DEPARTMENTS = pytest.mark.usefixtures("departments")

ClientFor = Callable[[User], Client]


def _order(user: User) -> WorkOrder:
    return workorder_create(
        actor=user,
        order_type=WorkOrderType.objects.get(code="complaint"),
        title="停电三天无人处理",
        fields={"phone": "13812345678"},
    )


def test_an_agent_creates_an_order_from_the_contact_page(
    agent_li: User, client_for: ClientFor, make_contact: Any
) -> None:
    contact = make_contact(agent="A1001", customer="CU-9")
    client = client_for(agent_li)
    page = client.get(f"/contacts/{contact.pk}/").content.decode()
    assert "创建工单" in page
    types = client.get(f"/tickets/new/?contact={contact.pk}").content.decode()
    assert "投诉" in types
    assert "故障报修" in types
    response = client.post(
        f"/tickets/new/?contact={contact.pk}&type=complaint",
        {"title": "停电投诉", "priority": "normal", "field_phone": "13812345678"},
        follow=True,
    )
    order = WorkOrder.objects.get()
    assert (order.contact, order.customer and order.customer.code) == (contact, "CU-9")
    text = response.content.decode()
    assert "已受理" in text
    assert "138****5678" in text
    assert "13812345678" not in text


def test_an_agent_cannot_take_an_order_from_another_agents_contact(
    agent_li: User, client_for: ClientFor, make_contact: Any
) -> None:
    contact = make_contact(agent="A1002")
    assert client_for(agent_li).get(f"/tickets/new/?contact={contact.pk}").status_code == 404


def test_a_missing_field_is_shown_on_the_form(agent_li: User, client_for: ClientFor) -> None:
    response = client_for(agent_li).post(
        "/tickets/new/?type=complaint", {"title": "投诉", "priority": "normal"}
    )
    assert "请填写联系电话" in response.content.decode()
    assert not WorkOrder.objects.exists()


def test_the_list_shows_each_role_its_orders(
    agent_li: User, agent_zhang: User, leader_wang: User, client_for: ClientFor
) -> None:
    order = _order(agent_li)
    assert order.number in client_for(agent_li).get("/tickets/").content.decode()
    assert order.number in client_for(leader_wang).get("/tickets/").content.decode()
    assert order.number not in client_for(agent_zhang).get("/tickets/").content.decode()
    assert client_for(agent_zhang).get(f"/tickets/{order.pk}/").status_code == 404


@DEPARTMENTS
def test_the_department_sees_its_queue_and_replies(
    agent_li: User, client_for: ClientFor, org: Org
) -> None:
    order = _order(agent_li)
    client = client_for(agent_li)
    page = client.get(f"/tickets/{order.pk}/").content.decode()
    assert "派单" in page
    assert "回单内容" not in page
    client.post(
        f"/tickets/{order.pk}/dispatch/",
        {"version": 1, "departments": [Department.objects.get(code="D-YX").pk]},
    )
    staff = client_for(org.users["yx_staff"])
    assert order.number in staff.get("/tickets/").content.decode()
    page = staff.get(f"/tickets/{order.pk}/").content.decode()
    assert "回单内容" in page
    staff.post(f"/tickets/{order.pk}/reply/", {"version": 2, "reason": "已复电"})
    order.refresh_from_db()
    assert order.state == "replied"
    trail = client.get(f"/tickets/{order.pk}/").content.decode()
    assert "派单" in trail
    assert "已复电" in trail


def test_a_stale_form_says_someone_else_changed_the_order(
    agent_li: User, client_for: ClientFor
) -> None:
    order = _order(agent_li)
    client = client_for(agent_li)
    client.post(f"/tickets/{order.pk}/urge/", {"version": 1})
    response = client.post(f"/tickets/{order.pk}/note/", {"version": 1, "reason": "x"}, follow=True)
    assert "该工单已被他人修改，请刷新后再试" in response.content.decode()
    assert list(order.events.values_list("action", flat=True)) == ["create", "urge"]


def test_a_refused_step_shows_the_machines_reason(agent_li: User, client_for: ClientFor) -> None:
    order = _order(agent_li)
    response = client_for(agent_li).post(
        f"/tickets/{order.pk}/reply/", {"version": 1, "reason": "x"}, follow=True
    )
    assert "工单处于「已受理」，不能回单" in response.content.decode()


@pytest.mark.parametrize("username", ["agent_li", "leader_wang", "ops_zhou"])
def test_the_navigation_links_to_work_orders(
    username: str, org: Org, client_for: ClientFor
) -> None:
    assert 'href="/tickets/"' in client_for(org.users[username]).get("/tickets/").content.decode()


def test_a_planner_has_no_work_order_link(planner_qian: User, client_for: ClientFor) -> None:
    assert 'href="/tickets/"' not in client_for(planner_qian).get("/contacts/").content.decode()
