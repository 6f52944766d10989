"""Work orders in the HTTP API: create from a contact, list by role, detail with the trail,
steps with the version (409 when stale, 422 when the state machine refuses)."""

from __future__ import annotations

from typing import Any

import pytest

from lingting.core.models import User
from tests.web.conftest import Api
from tests.web.workorders.test_services import departments  # noqa: F401 (a fixture)


def _create(api: Api, **extra: Any) -> Any:
    body = {"type": "complaint", "title": "停电三天", "fields": {"phone": "13812345678"}}
    return api.post("/tickets/", body | extra)


def test_an_agent_creates_an_order_from_their_contact(agent_li: User, make_contact: Any) -> None:
    contact = make_contact("C-77", agent="A1001", customer="CU-7")
    response = _create(Api(agent_li), contact="C-77")
    assert response.status_code == 201
    order = response.json()
    assert (order["state"], order["contact"], order["customer"]) == ("accepted", "C-77", "CU-7")
    assert order["fields"]["phone"] == "138****5678"  # an agent sees personal numbers masked
    assert [event["action"] for event in order["trail"]] == ["create"]
    assert contact.work_orders.count() == 1


def test_a_missing_required_field_is_422(agent_li: User, db: None) -> None:
    response = Api(agent_li).post("/tickets/", {"type": "complaint", "title": "x"})
    assert response.status_code == 422
    assert "请填写联系电话" in str(response.json())


@pytest.mark.usefixtures("departments")
def test_steps_with_versions_stale_is_409_refused_is_422(agent_li: User) -> None:
    api = Api(agent_li)
    number = _create(api).json()["number"]
    refused = api.post(f"/tickets/{number}/reply", {"version": 1, "reason": "x"})
    assert refused.status_code == 422
    assert refused.json()["detail"] == ["工单处于「已受理」，不能回单"]
    dispatched = api.post(f"/tickets/{number}/dispatch", {"version": 1, "departments": ["D-YX"]})
    assert dispatched.status_code == 200
    assert (dispatched.json()["state"], dispatched.json()["version"]) == ("dispatched", 2)
    stale = api.post(f"/tickets/{number}/urge", {"version": 1, "by_customer": True})
    assert stale.status_code == 409
    assert stale.json()["detail"] == "该工单已被他人修改，请刷新后再试"
    urged = api.post(f"/tickets/{number}/urge", {"version": 2, "by_customer": True}).json()
    assert (urged["urges"], urged["priority"]) == (1, "high")
    assert [e["action"] for e in urged["trail"]] == ["create", "dispatch", "urge"]


def test_the_list_is_scoped_by_role(
    agent_li: User, agent_zhang: User, leader_wang: User, db: None
) -> None:
    number = _create(Api(agent_li)).json()["number"]
    assert [o["number"] for o in Api(agent_li).get("/tickets/").json()] == [number]
    assert Api(agent_zhang).get("/tickets/").json() == []
    assert Api(agent_zhang).get(f"/tickets/{number}").status_code == 404
    assert [o["number"] for o in Api(leader_wang).get("/tickets/").json()] == [number]
