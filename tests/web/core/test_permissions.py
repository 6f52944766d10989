"""Who may open what: login everywhere, contacts by role, 404 for what is not yours."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lingting.core.models import User
from lingting.core.permissions import may_see_personal_numbers, sees_all_contacts, visible_agents
from lingting.interactions.models import Contact

ClientFor = Callable[[User], Client]


def detail_url(contact: Contact) -> str:
    return reverse("interactions:contact_detail", args=[contact.pk])


@pytest.fixture
def li_call(make_contact: Any) -> Contact:
    contact: Contact = make_contact("C-LI", agent="A1001", score=90)
    return contact


@pytest.fixture
def chen_call(make_contact: Any) -> Contact:
    contact: Contact = make_contact("C-CHEN", agent="A1003")
    return contact


@pytest.fixture
def zhang_call(make_contact: Any) -> Contact:
    contact: Contact = make_contact("C-ZHANG", agent="A1002")
    return contact


@pytest.mark.parametrize(
    "url",
    [
        reverse("home"),
        reverse("interactions:contact_list"),
        reverse("interactions:contact_detail", args=[1]),
    ],
)
def test_login_required_everywhere(client: Client, db: None, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login") + "?next=")


def test_login_page_is_open_and_signs_in(client: Client, agent_li: User, password: str) -> None:
    login_url = reverse("core:login")

    assert client.get(login_url).status_code == 200
    response = client.post(login_url, {"username": "agent_li", "password": password})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")  # each role's own page; an agent's:
    assert client.get(reverse("home"))["Location"] == reverse("interactions:contact_list")


def test_wrong_password_stays_on_the_login_page(client: Client, agent_li: User) -> None:
    response = client.post(reverse("core:login"), {"username": "agent_li", "password": "nope"})

    assert response.status_code == 200
    assert "alert-error" in response.content.decode()


def test_root_goes_to_the_contact_list(client_for: ClientFor, agent_li: User) -> None:
    response = client_for(agent_li).get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("interactions:contact_list")


def test_agent_opens_own_contact(client_for: ClientFor, agent_li: User, li_call: Contact) -> None:
    assert client_for(agent_li).get(detail_url(li_call)).status_code == 200


def test_agent_cannot_open_another_agents_contact(
    client_for: ClientFor, agent_li: User, zhang_call: Contact, chen_call: Contact
) -> None:
    client = client_for(agent_li)

    assert client.get(detail_url(zhang_call)).status_code == 404
    assert client.get(detail_url(chen_call)).status_code == 404


def test_a_hidden_contact_looks_exactly_like_a_missing_one(
    client_for: ClientFor, agent_li: User, zhang_call: Contact
) -> None:
    client = client_for(agent_li)

    hidden = client.get(detail_url(zhang_call))
    missing = client.get(reverse("interactions:contact_detail", args=[zhang_call.pk + 999]))

    assert hidden.status_code == missing.status_code == 404


def test_team_leader_opens_team_contacts_but_not_other_teams(
    client_for: ClientFor,
    leader_wang: User,
    li_call: Contact,
    chen_call: Contact,
    zhang_call: Contact,
) -> None:
    client = client_for(leader_wang)

    assert client.get(detail_url(li_call)).status_code == 200
    assert client.get(detail_url(chen_call)).status_code == 200
    assert client.get(detail_url(zhang_call)).status_code == 404


@pytest.mark.parametrize("role_user", ["qa_zhao", "ops_zhou"])
def test_quality_and_operations_roles_open_any_contact(
    client_for: ClientFor, org: Any, role_user: str, zhang_call: Contact
) -> None:
    assert client_for(org.users[role_user]).get(detail_url(zhang_call)).status_code == 200


def test_outsider_opens_nothing(
    client_for: ClientFor, outsider: User, li_call: Contact, zhang_call: Contact
) -> None:
    client = client_for(outsider)

    assert client.get(detail_url(li_call)).status_code == 404
    assert client.get(detail_url(zhang_call)).status_code == 404


def test_planner_without_a_contact_rule_opens_nothing(
    client_for: ClientFor, planner_qian: User, li_call: Contact
) -> None:
    assert client_for(planner_qian).get(detail_url(li_call)).status_code == 404


def test_contact_without_an_agent_is_seen_by_quality_roles_only(
    client_for: ClientFor, ops_zhou: User, leader_wang: User, make_contact: Any
) -> None:
    orphan = make_contact("C-ORPHAN", agent=None)

    assert client_for(ops_zhou).get(detail_url(orphan)).status_code == 200
    assert client_for(leader_wang).get(detail_url(orphan)).status_code == 404


def test_role_rules_in_one_place(org: Any) -> None:
    users = org.users

    assert {u for u, user in users.items() if sees_all_contacts(user)} == {"qa_zhao", "ops_zhou"}
    assert {u for u, user in users.items() if may_see_personal_numbers(user)} == {"qa_zhao"}
    assert {a.code for a in visible_agents(users["leader_wang"])} == {"A1001", "A1003"}
    assert {a.code for a in visible_agents(users["agent_li"])} == {"A1001"}
    assert not visible_agents(users["planner_qian"]).exists()


def test_superuser_counts_as_admin(db: None) -> None:
    root = User.objects.create_superuser("root", password="x")

    assert sees_all_contacts(root)
    assert may_see_personal_numbers(root)


def test_detail_page_refuses_post(client_for: ClientFor, qa_zhao: User, li_call: Contact) -> None:
    assert client_for(qa_zhao).post(detail_url(li_call)).status_code == 405


def test_a_qa_analyst_sees_assigned_and_granted_contacts_only(
    client_for: ClientFor,
    org: Any,
    qa_sun: User,
    qa_zhao: User,
    li_call: Contact,
    chen_call: Contact,
    zhang_call: Contact,
) -> None:
    from lingting.interactions.models import AccessGrant
    from lingting.quality.models import AssignmentKind, ReviewAssignment

    sun = client_for(qa_sun)
    assert sun.get(detail_url(li_call)).status_code == 404  # nothing assigned or granted

    ReviewAssignment.objects.create(contact=li_call, reviewer=qa_sun, kind=AssignmentKind.SAMPLE)
    AccessGrant.objects.create(user=qa_sun, queue=org.queues["ACD-02"], granted_by=qa_zhao)
    zhang_call.queue = org.queues["ACD-02"]
    zhang_call.save()

    assert sun.get(detail_url(li_call)).status_code == 200  # assigned
    assert sun.get(detail_url(zhang_call)).status_code == 200  # granted queue
    assert sun.get(detail_url(chen_call)).status_code == 404
    listed = sun.get(reverse("interactions:contact_list")).content.decode()
    assert "C-LI" in listed
    assert "C-CHEN" not in listed

    AccessGrant.objects.create(user=qa_sun, team=org.teams["一班"], granted_by=qa_zhao)
    assert sun.get(detail_url(chen_call)).status_code == 200  # granted team
    assert {a.code for a in visible_agents(qa_sun)} == {"A1001", "A1002", "A1003"}


def test_the_supervisor_grants_an_analyst_a_team_in_the_browser_form(
    client_for: ClientFor, org: Any, qa_sun: User, qa_zhao: User, chen_call: Contact
) -> None:
    from lingting.core.models import AuditEvent

    team = org.teams["一班"]
    response = client_for(qa_zhao).post(
        reverse("quality:access"), {"user": qa_sun.pk, "teams": [team.pk]}
    )

    assert response.status_code == 302
    assert client_for(qa_sun).get(detail_url(chen_call)).status_code == 200
    event = AuditEvent.objects.get(action="access_grant.set")
    assert event.after == {"teams": ["T01"], "queues": []}
    assert client_for(qa_sun).get(reverse("quality:access")).status_code == 403
