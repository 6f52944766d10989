"""Repeat complaints (重复投诉): the same customer and type within the type's N days links the
new order to the earlier one, raises its priority and urges the earlier one if it is still
open ("我们马上为您加急处理") — by hand, from a contact and through the API; the report counts
repeats by the same rule."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from lingting.core.models import Notification, User
from lingting.documents.periods import PeriodKind, last_full_period
from lingting.interactions.models import Customer
from lingting.workorders.models import Department, WorkOrder, WorkOrderType
from lingting.workorders.selectors.report import period_figures
from lingting.workorders.services.creation import workorder_create
from lingting.workorders.services.steps import workorder_cancel, workorder_dispatch
from tests.conftest import Org
from tests.web.conftest import Api
from tests.web.workorders.test_services import departments  # noqa: F401 (a fixture)

PHONE = {"phone": "13812345678"}


def _complaint(actor: User, customer: Customer | None, **kwargs: Any) -> WorkOrder:
    return workorder_create(
        actor=actor,
        order_type=kwargs.pop("order_type", None) or WorkOrderType.objects.get(code="complaint"),
        title="宽带反复断线",
        fields=PHONE,
        customer=customer,
        **kwargs,
    )


def _days_ago(order: WorkOrder, days: float) -> WorkOrder:
    WorkOrder.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(days=days))
    order.refresh_from_db()
    return order


@pytest.fixture
def customer(db: None) -> Customer:
    return Customer.objects.create(code="CU-1001")


@pytest.fixture
def yx(departments: dict[str, Department]) -> Department:  # noqa: F811 (the fixture above)
    return departments["D-YX"]


def test_a_repeat_by_hand_is_linked_raised_and_urges_the_open_original(
    agent_li: User, agent_zhang: User, customer: Customer, yx: Department, org: Org
) -> None:
    first = _complaint(agent_zhang, customer)
    first = workorder_dispatch(
        actor=agent_zhang, order=first, version=first.version, departments=[yx]
    )
    second = _complaint(agent_li, customer)  # another agent, who cannot see the first

    assert second.repeat_of == first
    assert second.priority == "high"  # one step above the type's 一般
    first.refresh_from_db()
    assert first.urges == 1
    assert first.priority == "high"
    urge = first.events.get(action="urge")
    assert urge.payload == {"by_customer": True, "repeat": second.number}
    assert "我们马上为您加急处理" in urge.reason
    assert urge.actor == agent_li
    told = Notification.objects.filter(user=org.users["yx_staff"]).values_list("text", flat=True)
    assert any("客户重复投诉" in text and second.number in text for text in told)
    assert second.events.get(action="create").payload == {"repeat_of": first.number}


def test_a_repeat_of_a_closed_or_cancelled_order_is_linked_but_urges_nothing(
    leader_wang: User, customer: Customer
) -> None:
    first = _complaint(leader_wang, customer)
    first = workorder_cancel(actor=leader_wang, order=first, version=first.version, reason="误建")
    second = _complaint(leader_wang, customer)
    assert second.repeat_of == first
    first.refresh_from_db()
    assert (first.urges, first.state) == (0, "cancelled")


def test_the_latest_open_order_is_the_one_repeated(leader_wang: User, customer: Customer) -> None:
    oldest_open = _days_ago(_complaint(leader_wang, customer), 20)
    closed_later = _days_ago(_complaint(leader_wang, customer), 10)
    workorder_cancel(
        actor=leader_wang, order=closed_later, version=closed_later.version, reason="重复"
    )
    third = _complaint(leader_wang, customer)
    assert third.repeat_of == oldest_open


def test_the_window_is_the_types_n_days(leader_wang: User, customer: Customer) -> None:
    complaint = WorkOrderType.objects.get(code="complaint")
    complaint.repeat_days = 7
    complaint.save()
    at_the_edge = _days_ago(_complaint(leader_wang, customer), 7 - 1 / 24 / 60)
    assert _complaint(leader_wang, customer).repeat_of == at_the_edge

    WorkOrder.objects.update(created_at=timezone.now() - timedelta(days=7, minutes=1))
    assert _complaint(leader_wang, customer).repeat_of is None


def test_another_customer_another_type_or_no_customer_is_not_a_repeat(
    leader_wang: User, customer: Customer
) -> None:
    _complaint(leader_wang, customer)
    other = Customer.objects.create(code="CU-2002")
    assert _complaint(leader_wang, other).repeat_of is None
    report = WorkOrderType.objects.get(code="report")
    assert (
        workorder_create(
            actor=leader_wang,
            order_type=report,
            title="举报营业员",
            fields=PHONE | {"subject": "营业员"},
            customer=customer,
        ).repeat_of
        is None
    )
    assert _complaint(leader_wang, None).repeat_of is None


def test_a_type_with_no_repeat_window_never_links(leader_wang: User, customer: Customer) -> None:
    consultation = WorkOrderType.objects.get(code="consultation")
    assert consultation.repeat_days == 0  # a second question is no complaint
    first = _complaint(leader_wang, customer, order_type=consultation)
    second = _complaint(leader_wang, customer, order_type=consultation)
    assert (first.repeat_of, second.repeat_of) == (None, None)
    assert second.priority == consultation.default_priority


def test_a_repeat_from_a_contact_takes_its_customer(
    client_for: Any, agent_li: User, leader_wang: User, make_contact: Any
) -> None:
    first = _complaint(leader_wang, Customer.objects.create(code="CU-88"))
    contact = make_contact("C-88", agent="A1001", customer="CU-88")
    response = client_for(agent_li).post(
        f"/tickets/new/?contact={contact.pk}&type=complaint",
        {"title": "又断网了", "priority": "normal", "field_phone": "13812345678"},
        follow=True,
    )
    page = response.content.decode()
    second = WorkOrder.objects.exclude(pk=first.pk).get()
    assert second.repeat_of == first
    assert "重复投诉：已关联原工单" in page
    assert 'id="repeat-badge"' in page
    assert first.number in page  # the agent sees the number, not a link they cannot open
    assert f'href="/tickets/{first.pk}/"' not in page


def test_the_by_hand_page_names_the_customer_and_refuses_an_unknown_one(
    client_for: Any, leader_wang: User, customer: Customer
) -> None:
    first = _complaint(leader_wang, customer)
    client = client_for(leader_wang)
    form = {"title": "又断网了", "priority": "normal", "field_phone": "13812345678"}
    refused = client.post("/tickets/new/?type=complaint", form | {"customer": "CU-NOBODY"})
    assert "没有编号为「CU-NOBODY」的客户" in refused.content.decode()
    assert WorkOrder.objects.count() == 1

    client.post("/tickets/new/?type=complaint", form | {"customer": "CU-1001"})
    second = WorkOrder.objects.exclude(pk=first.pk).get()
    assert second.repeat_of == first
    both_ways = client.get(f"/tickets/{first.pk}/").content.decode()
    assert f'href="/tickets/{second.pk}/"' in both_ways  # 此后的重复投诉
    assert "此后的重复投诉" in both_ways
    page = client.get(f"/tickets/{second.pk}/").content.decode()
    assert 'id="repeat-badge"' in page
    assert f'href="/tickets/{first.pk}/"' in page


def test_the_api_links_a_repeat_and_shows_it(agent_li: User, customer: Customer) -> None:
    api = Api(agent_li)
    body = {"type": "complaint", "title": "停电三天", "fields": PHONE, "customer": "CU-1001"}
    first = api.post("/tickets/", body).json()
    second = api.post("/tickets/", body).json()
    assert (first["repeat_of"], second["repeat_of"]) == (None, first["number"])
    assert second["priority"] == "high"
    assert api.get(f"/tickets/{first['number']}").json()["urges"] == 1
    listed = {o["number"]: o["repeat_of"] for o in api.get("/tickets/").json()}
    assert listed[second["number"]] == first["number"]
    unknown = api.post("/tickets/", body | {"customer": "CU-NOBODY"})
    assert unknown.status_code == 404


def test_the_list_filters_repeats(client_for: Any, leader_wang: User, customer: Customer) -> None:
    first = _complaint(leader_wang, customer)
    second = _complaint(leader_wang, customer)
    page = client_for(leader_wang).get("/tickets/?repeat=1").content.decode()
    assert second.number in page
    assert first.number not in page


def test_the_report_counts_repeats_as_creation_links_them(
    leader_wang: User, customer: Customer
) -> None:
    last_month = last_full_period(PeriodKind.MONTH, timezone.localdate())
    start, _end = last_month.bounds(timezone.get_default_timezone())
    first = _complaint(leader_wang, customer)
    second = _complaint(leader_wang, customer)
    third = _complaint(leader_wang, Customer.objects.create(code="CU-3"))
    for order, hours in ((first, 1), (second, 30), (third, 40)):
        WorkOrder.objects.filter(pk=order.pk).update(created_at=start + timedelta(hours=hours))
    figures = period_figures(last_month)
    linked = WorkOrder.objects.filter(repeat_of__isnull=False).count()
    assert (figures.complaints, figures.repeat_complaints) == (3, linked) == (3, 1)
