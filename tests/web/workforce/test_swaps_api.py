"""Shift swaps in the HTTP API: the same steps, rules and reasons as the pages — an agent
proposes and answers, the requester's team leader or a planner approves; each role lists
only the swaps it may see; a refusal answers 422 with the broken rules in words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
import time_machine

from lingting.core.models import User
from lingting.workforce.models import Roster, RosterShift, ShiftSwap, SwapStatus
from tests.conftest import SHANGHAI, STAFF, Org
from tests.web.conftest import Api
from tests.web.workforce.test_swaps import SATURDAY_BEFORE, put, roster

pytestmark = pytest.mark.django_db
__all__ = ["roster"]  # the fixture, shared with the page tests


@pytest.fixture(autouse=True)
def _saturday_before() -> Iterator[None]:
    with time_machine.travel(SATURDAY_BEFORE, tick=False):
        yield


def propose(user: User, shift: RosterShift, counterpart: str, **fields: object) -> Any:
    body = {"shift": shift.pk, "counterpart": counterpart, "reason": "家里有事"} | fields
    return Api(user).post("/workforce/swaps", body)


def test_a_swap_goes_from_proposal_to_applied(
    org: Org, roster: Roster, agent_li: User, agent_zhang: User, leader_wang: User
) -> None:
    li, zhang = org.agents["A1001"], org.agents["A1002"]
    hers, his = put(roster, li, 2), put(roster, zhang, 3)

    created = propose(agent_li, hers, "A1002", returned_shift=his.pk)

    assert created.status_code == 201
    body = created.json()
    assert (body["status"], body["requester"], body["counterpart"]) == (
        "proposed",
        "A1001",
        "A1002",
    )
    assert (body["shift"]["id"], body["shift"]["code"], body["shift"]["queue"]) == (
        hers.pk,
        "早",
        "ACD-01",
    )
    assert body["returned_shift"]["id"] == his.pk
    assert body["problems"] == []
    swap_id = body["id"]

    accepted = Api(agent_zhang).post(f"/workforce/swaps/{swap_id}/accept", {})
    approved = Api(leader_wang).post(f"/workforce/swaps/{swap_id}/approve", {"note": "同意"})

    assert accepted.json()["status"] == "accepted"
    assert approved.status_code == 200
    assert (approved.json()["status"], approved.json()["decided_by"]) == ("approved", "leader_wang")
    assert approved.json()["decision_note"] == "同意"
    hers.refresh_from_db()
    his.refresh_from_db()
    assert (hers.agent, his.agent) == (zhang, li)


def test_a_proposal_that_breaks_the_rules_answers_422_with_the_reasons(
    org: Org, roster: Roster, agent_li: User
) -> None:
    li, zhang = org.agents["A1001"], org.agents["A1002"]
    tuesday = put(roster, li, 1)
    put(roster, zhang, 0, "中")

    answer = propose(agent_li, tuesday, "A1002")

    assert answer.status_code == 422
    assert answer.json()["detail"] == [
        "张伟 的 10-13 早 与 10-12 中 之间只休息 8 小时，至少需要 11 小时",
        "张伟 的 10-13 早 与 10-12 中 是相邻两天，后一天的班开始得更早，违反顺向轮换",
    ]
    assert not ShiftSwap.objects.exists()


def test_each_role_lists_only_the_swaps_it_may_see(
    org: Org, roster: Roster, agent_li: User
) -> None:
    li = org.agents["A1001"]
    propose(agent_li, put(roster, li, 2), "A1002")
    # One swap between two agents of 一班 (A1003 has no login, so it is built directly).
    ShiftSwap.objects.create(requester=org.agents["A1003"], counterpart=li, shift=put(
        roster, org.agents["A1003"], 4
    ))  # fmt: skip

    seen = {
        name: sorted(
            (row["requester"], row["counterpart"])
            for row in Api(org.users[name]).get("/workforce/swaps").json()
        )
        for name in STAFF
    }

    both = [("A1001", "A1002"), ("A1003", "A1001")]
    assert seen == {
        "agent_li": both,
        "agent_zhang": [("A1001", "A1002")],
        "leader_wang": both,
        "leader_liu": [("A1001", "A1002")],
        "qa_sun": [],
        "qa_zhao": [],
        "ops_zhou": both,
        "planner_qian": both,
    }


def test_steps_are_for_their_own_people_only(
    org: Org, roster: Roster, agent_li: User, agent_zhang: User, planner_qian: User
) -> None:
    li = org.agents["A1001"]
    swap_id = propose(agent_li, put(roster, li, 2), "A1002").json()["id"]

    assert Api(agent_li).post(f"/workforce/swaps/{swap_id}/accept", {}).status_code == 403
    assert (
        Api(org.users["leader_liu"]).post(f"/workforce/swaps/{swap_id}/reject", {}).status_code
        == 403
    )
    assert (
        Api(org.users["outsider"]).post(f"/workforce/swaps/{swap_id}/accept", {}).status_code == 404
    )
    # Approving before the colleague has accepted is refused with the reason.
    early = Api(planner_qian).post(f"/workforce/swaps/{swap_id}/approve", {})
    assert early.status_code == 422
    assert early.json()["detail"] == ["这个换班申请已是「待对方同意」"]
    rejected = Api(planner_qian).post(f"/workforce/swaps/{swap_id}/reject", {"note": "人手不足"})
    assert rejected.json()["status"] == "rejected"
    assert ShiftSwap.objects.get().status == SwapStatus.REJECTED
    # Only the own shift can be offered: another's is not found.
    zhangs = put(roster, org.agents["A1002"], 3)
    assert propose(agent_li, zhangs, "A1002").status_code == 404
    assert propose(agent_zhang, zhangs, "A1002").status_code == 422


def test_the_status_filter_reads_the_status_as_of_now(
    org: Org, roster: Roster, agent_li: User
) -> None:
    propose(agent_li, put(roster, org.agents["A1001"], 0), "A1002")

    with time_machine.travel(datetime(2026, 10, 12, 9, tzinfo=SHANGHAI), tick=False):
        expired = Api(agent_li).get("/workforce/swaps", status="expired").json()
        proposed = Api(agent_li).get("/workforce/swaps", status="proposed").json()

    assert [row["status"] for row in expired] == ["expired"]
    assert proposed == []
