"""Every role against every work-order page and every step of the API: who opens what
(200), who is refused a tool or a step (403), and who is told the order does not exist for
them (404).

The table reads as the permission rules (`lingting.workorders.permissions`): the agent who
took the order sees it and takes the centre's steps, the department's lead and staff see
it and reply, team leaders, operations managers and admins see every order and take every
step (leaders alone among the line escalate, cancel and reopen), a QA supervisor reads the
report and no order, a WFM planner nothing of work orders; setup and the ladder are the
operations manager's and the administrator's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from lingting.core.models import Role, User
from lingting.engine.workorders import Action
from lingting.workorders.models import Department, WorkOrder, WorkOrderType
from lingting.workorders.services.creation import workorder_create
from lingting.workorders.services.steps import workorder_step
from tests.conftest import Org
from tests.web.conftest import Api
from tests.web.workorders.test_services import departments  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]
ROLES = (
    "agent_li",
    "agent_zhang",
    "leader_wang",
    "qa_zhao",
    "ops_zhou",
    "planner_qian",
    "yx_lead",
    "yx_staff",
    "admin_ma",
)


def _by_role(codes: Any) -> dict[str, int]:
    return dict(zip(ROLES, codes, strict=True))


@pytest.fixture
def people(org: Org, request: pytest.FixtureRequest) -> dict[str, User]:
    """The named users, with the 营销部 department's lead and staff and an administrator."""
    request.getfixturevalue("departments")
    org.users["admin_ma"] = User.objects.create_user("admin_ma", role=Role.ADMIN)
    return org.users


def _order(people: dict[str, User], *, code: str = "complaint") -> WorkOrder:
    """An order agent_li took for 营销部 (D-YX)."""
    return workorder_create(
        actor=people["agent_li"],
        order_type=WorkOrderType.objects.get(code=code),
        title="停电三天无人处理",
        fields={"phone": "13812345678"},
        department=Department.objects.get(code="D-YX"),
    )


#                 agent_li agent_zhang leader_wang qa_zhao ops_zhou planner yx_lead yx_staff admin
PAGES = {
    "list":              (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "create":            (200, 200, 200, 403, 200, 403, 200, 200, 200),
    "detail":            (200, 404, 200, 404, 200, 404, 200, 200, 200),
    "dashboard":         (403, 403, 200, 403, 200, 403, 200, 200, 200),
    "report":            (403, 403, 200, 200, 200, 403, 403, 403, 200),
    "ladder":            (403, 403, 403, 403, 200, 403, 403, 403, 200),
    "setup_types":       (403, 403, 403, 403, 200, 403, 403, 403, 200),
    "setup_departments": (403, 403, 403, 403, 200, 403, 403, 403, 200),
    "api_list":          (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api_detail":        (200, 404, 200, 404, 200, 404, 200, 200, 200),
}  # fmt: skip


@pytest.mark.parametrize("page", PAGES)
def test_each_role_opens_only_the_work_order_pages_it_may(
    client_for: ClientFor, people: dict[str, User], page: str
) -> None:
    order = _order(people)
    urls = {
        "list": reverse("tickets:list"),
        "create": reverse("tickets:create"),
        "detail": reverse("tickets:detail", args=[order.pk]),
        "dashboard": reverse("tickets:dashboard"),
        "report": reverse("tickets:report"),
        "ladder": reverse("tickets:ladder"),
        "setup_types": reverse("tickets:setup_types"),
        "setup_departments": reverse("tickets:setup_departments"),
        "api_list": "/api/tickets/",
        "api_detail": f"/api/tickets/{order.number}",
    }
    got = tuple(client_for(people[role]).get(urls[page]).status_code for role in ROLES)

    assert _by_role(got) == _by_role(PAGES[page])


# The steps that bring a fresh order to where `action` fits, and the type it needs.
BEFORE: dict[str, tuple[str, list[str]]] = {
    "dispatch": ("complaint", []),
    "reply": ("complaint", ["dispatch"]),
    "accept": ("complaint", ["dispatch", "reply"]),
    "return": ("complaint", ["dispatch", "reply"]),
    "callback": ("complaint", ["dispatch", "reply", "accept"]),
    "callback_result": ("complaint", ["dispatch", "reply", "accept", "callback"]),
    "close": ("consultation", ["dispatch", "reply", "accept"]),  # a type without 回访
    "urge": ("complaint", []),
    "note": ("complaint", []),
    "pause": ("complaint", []),
    "resume": ("complaint", ["pause"]),
    "cancel": ("complaint", []),
    "reopen": ("complaint", ["cancel"]),
    "escalate": ("complaint", []),
}

#                 agent_li agent_zhang leader_wang qa_zhao ops_zhou planner yx_lead yx_staff admin
STEPS = {
    "dispatch":        (200, 404, 200, 404, 200, 404, 403, 403, 200),
    "reply":           (403, 404, 200, 404, 200, 404, 200, 200, 200),
    "accept":          (200, 404, 200, 404, 200, 404, 403, 403, 200),
    "return":          (200, 404, 200, 404, 200, 404, 403, 403, 200),
    "callback":        (200, 404, 200, 404, 200, 404, 403, 403, 200),
    "callback_result": (200, 404, 200, 404, 200, 404, 403, 403, 200),
    "close":           (200, 404, 200, 404, 200, 404, 403, 403, 200),
    "urge":            (200, 404, 200, 404, 200, 404, 200, 200, 200),
    "note":            (200, 404, 200, 404, 200, 404, 200, 200, 200),
    "pause":           (200, 404, 200, 404, 200, 404, 200, 200, 200),
    "resume":          (200, 404, 200, 404, 200, 404, 200, 200, 200),
    "cancel":          (403, 404, 200, 404, 200, 404, 403, 403, 200),
    "reopen":          (403, 404, 200, 404, 200, 404, 403, 403, 200),
    "escalate":        (403, 404, 200, 404, 200, 404, 403, 403, 200),
}  # fmt: skip

assert set(STEPS) == set(BEFORE) == {action.value for action in Action}


@pytest.mark.parametrize("action", STEPS)
def test_each_role_takes_only_the_steps_it_may(people: dict[str, User], action: str) -> None:
    code, path = BEFORE[action]
    order = _order(people, code=code)
    for step in path:  # as the operations manager, who may take every step
        order = workorder_step(
            actor=people["ops_zhou"],
            order=order,
            version=order.version,
            action=Action(step),
            reason="准备",
            departments=[Department.objects.get(code="D-YX")],
            satisfied=True,
        )
    apis = {role: Api(people[role]) for role in ROLES}
    body: dict[str, Any] = {
        "version": order.version,
        "reason": "矩阵",
        "departments": ["D-YX"],
        "satisfied": True,
    }
    got = []
    for role in ROLES:  # each on the same order, undone after
        with transaction.atomic():
            got.append(apis[role].post(f"/tickets/{order.number}/{action}", body).status_code)
            transaction.set_rollback(True)

    assert _by_role(got) == _by_role(STEPS[action])


#                 agent_li agent_zhang leader_wang qa_zhao ops_zhou planner yx_lead yx_staff admin
CREATE = (201, 201, 201, 403, 201, 403, 201, 201, 201)


def test_each_role_takes_an_order_through_the_api_only_if_it_may(people: dict[str, User]) -> None:
    body = {"type": "complaint", "title": "停电三天", "fields": {"phone": "13812345678"}}
    got = tuple(Api(people[role]).post("/tickets/", body).status_code for role in ROLES)

    assert _by_role(got) == _by_role(CREATE)
