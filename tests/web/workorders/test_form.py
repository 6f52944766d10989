"""The work-order form: styled like the app's other forms, filled in from the call (customer,
the caller's number masked as the role requires, queue, the agent's summary); departments
chosen by ticking; an urge that moves the deadline says so; the trail names people."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lingting.core.models import Role, User
from lingting.workorders.models import Department, WorkOrder, WorkOrderType, WorkOrderWarning
from lingting.workorders.services.creation import workorder_create
from tests.conftest import Org
from tests.web.workorders.test_services import departments  # noqa: F401 (a fixture)

ClientFor = Callable[[User], Client]
pytestmark = pytest.mark.django_db
NUMBER = "13812345678"
SUMMARY = "客户反映小区停电三天，要求尽快抢修。"


def _call(make_contact: Any) -> Any:
    return make_contact(
        agent="A1001",
        queue="ACD-02",
        customer=NUMBER,
        extra={"summary": SUMMARY},
        turns=[
            ("agent", "您好，请问有什么可以帮您？", 0.0, 2.0),
            ("customer", "我家停电三天了。", 2.5, 6.0),
        ],
    )


def _form(client: Client, contact: Any) -> str:
    response = client.get(f"/tickets/new/?contact={contact.pk}&type=complaint")
    assert response.status_code == 200
    return response.content.decode().split('id="order-form"')[1].split("</form>")[0]


def test_the_form_is_filled_in_from_the_call_with_the_number_masked(
    make_contact: Any, client_for: ClientFor, agent_li: User
) -> None:
    contact = _call(make_contact)
    client = client_for(agent_li)

    form = _form(client, contact)

    assert "故障报修" in form  # the queue, as every page names it
    assert "138****5678" in form  # the customer and caller's number, masked for an agent
    assert NUMBER not in form
    assert SUMMARY in form  # the agent's summary, in the description
    assert 'class="field"' in form  # the app's own form fields, not Django's bare divs

    client.post(
        f"/tickets/new/?contact={contact.pk}&type=complaint",
        {"title": "停电投诉", "priority": "normal", "description": SUMMARY, "field_phone": ""},
    )
    order = WorkOrder.objects.get()
    assert order.fields["phone"] == NUMBER  # left blank: the caller's number, in full


def test_a_role_that_sees_numbers_gets_the_number_itself(
    make_contact: Any, client_for: ClientFor, org: Org
) -> None:
    admin = User.objects.create_user("admin_he", role=Role.ADMIN, first_name="何")
    form = _form(client_for(admin), _call(make_contact))
    assert re.search(rf'name="field_phone"[^>]*value="{NUMBER}"', form)


def _order(user: User) -> WorkOrder:
    return workorder_create(
        actor=user,
        order_type=WorkOrderType.objects.get(code="complaint"),
        title="停电三天无人处理",
        fields={"phone": NUMBER},
    )


@pytest.mark.usefixtures("departments")
def test_departments_are_ticked_not_ctrl_clicked(agent_li: User, client_for: ClientFor) -> None:
    order = _order(agent_li)
    page = client_for(agent_li).get(f"/tickets/{order.pk}/").content.decode()
    dispatch = page.split('id="act-dispatch"')[1].split("</form>")[0]
    assert "<select" not in dispatch
    boxes = re.findall(r'<input type="checkbox" name="departments" value="(\d+)"', dispatch)
    assert {int(pk) for pk in boxes} == set(Department.objects.values_list("pk", flat=True))
    assert "营销部" in dispatch


def test_an_urge_that_moves_the_deadline_says_from_when_to_when(
    agent_li: User, client_for: ClientFor
) -> None:
    order = _order(agent_li)
    before = timezone.localtime(order.due_at)

    response = client_for(agent_li).post(
        f"/tickets/{order.pk}/urge/", {"version": order.version, "by_customer": "on"}, follow=True
    )

    order.refresh_from_db()
    after = timezone.localtime(order.due_at)
    assert after < before  # the raised priority's shorter limit
    text = response.content.decode()
    assert f"{before:%Y-%m-%d %H:%M} → {after:%Y-%m-%d %H:%M}" in text
    assert "办理时限" in text


@pytest.mark.usefixtures("departments")
def test_the_trail_names_people_not_logins(agent_li: User, client_for: ClientFor) -> None:
    staff = User.objects.get(username="yx_staff")
    staff.first_name = "刘敏"
    staff.save(update_fields=["first_name"])
    order = _order(agent_li)
    now = timezone.now()
    WorkOrderWarning.objects.create(
        order=order,
        point=80,
        clock_started=order.created_at,
        reached_at=now,
        due_at=now + timedelta(hours=1),
        recipients=["yx_staff", "agent_li"],
    )

    page = client_for(agent_li).get(f"/tickets/{order.pk}/").content.decode()
    trail = page.split('id="trail"')[1]

    assert "刘敏" in trail
    assert "李娜" in trail
    assert "yx_staff" not in trail
    assert "agent_li" not in trail
