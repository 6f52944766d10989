"""The demo gives the attrition page something to show: planner_wu sees its leavers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.test import Client

from lingting.core.models import Agent, User

pytestmark = pytest.mark.django_db

# The 24-hour line's weeks of calls are left out: tests/web/demo/test_planning.py has them.
SMALL = (
    *("--months", "1", "--days", "1", "--calls-per-agent-day", "2", "--no-jddc"),
    *("--line-weeks", "0"),
)


def test_planner_wu_sees_the_demo_leavers_early_ones_among_them(
    client_for: Callable[[User], Client],
) -> None:
    call_command("demo", *SMALL)
    leavers = Agent.objects.filter(left_on__isnull=False)
    early = [a for a in leavers if a.hired_on and a.left_on and (a.left_on - a.hired_on).days < 90]

    html = client_for(User.objects.get(username="planner_wu")).get("/workforce/attrition/")

    assert html.status_code == 200
    page = html.content.decode()
    assert leavers.count() == 6
    assert len(early) == 3
    assert all(f"{a.code} {a.name}" in page for a in leavers)
    assert not Agent.objects.filter(hired_on__isnull=True).exists()  # nobody left uncounted
