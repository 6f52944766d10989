"""Every role against the workforce pages and the agents and teams they show: who opens
what (200), who is refused (403), and whose states and calls each role sees.

The table reads as the rules of `lingting.workforce.permissions`: an agent sees their own
states and their team's broadcast, a team leader their teams', operations managers and WFM
planners (排班) everyone's; QA sees the broadcast of every team (it sees every contact) but
not agents' states, and a QA analyst neither. The intraday page follows the states: an agent
sees their own adherence there, a team leader their teams' and the queues' figures.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lingting.core.models import User
from lingting.workforce.permissions import broadcast_teams, occupancy_agents
from tests.conftest import STAFF

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]
ROLES = STAFF

#                 agent_li agent_zhang leader_wang leader_liu qa_sun qa_zhao ops_zhou planner
PAGES = {
    "occupancy":      (200, 200, 200, 200, 403, 403, 200, 200),
    "broadcast":      (200, 200, 200, 200, 403, 200, 200, 200),
    "planning":       (403, 403, 403, 403, 403, 403, 200, 200),
    "roster_list":    (403, 403, 200, 200, 403, 403, 200, 200),
    "my_schedule":    (200, 200, 403, 403, 403, 403, 403, 403),
    "swap_list":      (403, 403, 200, 200, 403, 403, 200, 200),
    "care":           (403, 403, 403, 403, 403, 403, 200, 200),
    "intraday":       (200, 200, 200, 200, 403, 403, 200, 200),
    "shift_limits":   (403, 403, 200, 200, 403, 403, 200, 200),
}  # fmt: skip

EVERYONE = "A1001 A1002 A1003 A1999"
AGENTS = {
    "agent_li": "A1001",
    "agent_zhang": "A1002",
    "leader_wang": "A1001 A1003",
    "leader_liu": "A1002",
    "qa_sun": "",
    "qa_zhao": "",
    "ops_zhou": EVERYONE,
    "planner_qian": EVERYONE,
}
TEAMS = {
    "agent_li": "T01",
    "agent_zhang": "T02",
    "leader_wang": "T01",
    "leader_liu": "T02",
    "qa_sun": "",
    "qa_zhao": "T01 T02",
    "ops_zhou": "T01 T02",
    "planner_qian": "T01 T02",
}


@pytest.mark.parametrize("name", PAGES)
def test_each_role_opens_only_the_workforce_pages_it_may(
    client_for: ClientFor, org: Any, name: str
) -> None:
    url = reverse(f"workforce:{name}")
    got = tuple(client_for(org.users[role]).get(url).status_code for role in ROLES)

    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, PAGES[name], strict=True))


def test_each_role_sees_the_states_of_its_own_agents_only(org: Any) -> None:
    got = {
        role: " ".join(sorted(occupancy_agents(org.users[role]).values_list("code", flat=True)))
        for role in ROLES
    }

    assert got == AGENTS


def test_each_role_hears_the_broadcast_of_its_own_teams_only(org: Any) -> None:
    got = {
        role: " ".join(sorted(broadcast_teams(org.users[role]).values_list("code", flat=True)))
        for role in ROLES
    }

    assert got == TEAMS
