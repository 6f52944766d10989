"""The URL walk of test_url_walk.py as an agent, who is refused most of what the
administrator may do: every refusal below 500 too."""

from __future__ import annotations

import pytest

from tests.web.config.test_url_walk import walk_the_demo_as

pytestmark = pytest.mark.django_db(transaction=False)


def test_every_route_answers_an_agents_hostile_input_without_a_server_error() -> None:
    walk_the_demo_as("agent_li")
