"""Every role against every page and step of the "3+1" coaching loop: who opens what (200),
who is refused a tool (403), and who is told a plan does not exist for them (404).

The table reads as the rules of `lingting.coaching.permissions`: an agent sees their own
plan and writes its goals; a team leader opens, coaches and writes goals for their own
team's agents; trainers, operations managers and QA supervisors see every plan (QA
supervisors coach too); trainers schedule training; a QA analyst and a WFM planner have no
part in it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lingting.coaching.models import ImprovementPlan, Training
from lingting.core.models import Role, User
from tests.conftest import STAFF

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]
ROLES = (*STAFF, "trainer_he")


@dataclass(frozen=True)
class Request:
    method: str
    url: str


@pytest.fixture
def users(org: Any) -> dict[str, User]:
    trainer = User.objects.create_user("trainer_he", password="x", role=Role.TRAINER)
    return {**org.users, "trainer_he": trainer}


@pytest.fixture
def requests(org: Any, users: dict[str, User]) -> dict[str, Request]:
    """李娜's (A1001, 一班 under leader_wang) plan, and a training she attended."""
    plan = ImprovementPlan.objects.create(
        agent=org.agents["A1001"],
        figure="qa_score",
        detected_months=["2026-07", "2026-08", "2026-09"],
        baseline=[65.0, 65.0, 65.0],
        target_green=80.0,
        opened_on=date(2026, 10, 1),
        opened_by=users["ops_zhou"],
    )
    training = Training.objects.create(
        topic="服务禁语",
        item="forbidden_phrases",
        held_on=date(2026, 10, 8),
        trainer=users["trainer_he"],
    )
    training.attendees.add(org.agents["A1001"])

    def get(name: str, *args: int) -> Request:
        return Request("get", reverse(f"coaching:{name}", args=args))

    def post(name: str, *args: int) -> Request:
        return Request("post", reverse(f"coaching:{name}", args=args))

    return {
        "plan_list": get("plan_list"),
        "plan": get("plan_detail", plan.pk),
        "detect": get("detect"),
        "effect": get("effect"),
        "training_needs": get("training_needs"),
        "training_new": get("training_new"),
        "training": get("training_detail", training.pk),
        "record_session": post("session_record", plan.pk),
        "write_goals": post("goal_save", plan.pk),
        "move_plan": post("plan_status", plan.pk),
    }


# "ok": the page opens (200), or a step (sent empty) gets past the role and scope checks to
# be refused on its content (400) — never a 403 or 404.
OK = "ok"
#                 li   zhang wang liu  sun  zhao zhou qian he
EXPECTED = {
    "plan_list":      (OK,  OK,  OK,  OK,  403, OK,  OK,  403, OK),
    "plan":           (OK,  404, OK,  404, 404, OK,  OK,  404, OK),
    "detect":         (403, 403, OK,  OK,  403, OK,  OK,  403, OK),
    "effect":         (403, 403, 403, 403, 403, OK,  OK,  403, OK),
    "training_needs": (403, 403, 403, 403, 403, OK,  OK,  403, OK),
    "training_new":   (403, 403, 403, 403, 403, 403, 403, 403, OK),
    "training":       (403, 403, 403, 403, 403, OK,  OK,  403, OK),
    "record_session": (403, 404, OK,  404, 404, OK,  OK,  404, OK),
    "write_goals":    (OK,  404, OK,  404, 404, 403, 403, 404, 403),
    "move_plan":      (403, 404, OK,  404, 404, OK,  OK,  404, OK),
}  # fmt: skip


def _outcome(client: Client, request: Request) -> str | int:
    response = getattr(client, request.method)(request.url)
    allowed = 200 if request.method == "get" else 400
    return OK if response.status_code == allowed else response.status_code


@pytest.mark.parametrize("kind", EXPECTED)
def test_each_role_opens_and_takes_only_what_it_may(
    client_for: ClientFor, users: dict[str, User], requests: dict[str, Request], kind: str
) -> None:
    got = tuple(_outcome(client_for(users[role]), requests[kind]) for role in ROLES)

    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, EXPECTED[kind], strict=True))
