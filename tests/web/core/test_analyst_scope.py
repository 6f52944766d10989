"""A QA analyst's agents (a union of a subquery per way in: assigned, granted queue, granted
team) and contacts (the three ways OR'ed on the contacts themselves) are exactly those of the
OR over every contact they replace.

    C-1  A1001 李 (一班)  ACD-01   assigned to qa_sun
    C-2  A1002 张 (二班)  ACD-02
    C-3  A1003 陈 (一班)  ACD-01
    C-4  no agent        ACD-02
    C-5  A1999 吴 (none)  no queue
    C-6  A1002 张 (二班)  ACD-01
    A1004 周 (二班) has no contact; qa_qian, another analyst, is granted 一班.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Q

from lingting.core.models import Agent, Role, User
from lingting.core.permissions import contact_scope, visible_agents
from lingting.interactions.models import AccessGrant, Contact, Turn
from lingting.quality.models import AssignmentKind, ReviewAssignment
from tests.conftest import Org


def _contacts_before(user: User) -> Q:
    """The analyst's contacts as they were written before: one OR over the contacts."""
    grants = AccessGrant.objects.filter(user=user)
    granted_agents = Agent.objects.filter(team__in=grants.values("team"))
    return (
        Q(pk__in=ReviewAssignment.objects.filter(reviewer=user).values("contact"))
        | Q(queue__in=grants.values("queue"))
        | Q(agent__in=granted_agents.values("pk"))
    )


def _agents_before(user: User) -> set[str]:
    contacts = Contact.objects.filter(_contacts_before(user))
    return set(Agent.objects.filter(pk__in=contacts.values("agent")).values_list("code", flat=True))


@pytest.fixture
def center(org: Org, make_contact: Any, qa_sun: User, qa_zhao: User) -> Org:
    Agent.objects.create(code="A1004", name="周杰", team=org.teams["二班"])
    for external_id, agent, queue in [
        ("C-1", "A1001", "ACD-01"),
        ("C-2", "A1002", "ACD-02"),
        ("C-3", "A1003", "ACD-01"),
        ("C-4", None, "ACD-02"),
        ("C-5", "A1999", None),
        ("C-6", "A1002", "ACD-01"),
    ]:
        make_contact(external_id, agent=agent, queue=queue)
    qian = User.objects.create_user("qa_qian", role=Role.QA_ANALYST)
    AccessGrant.objects.create(user=qian, team=org.teams["一班"], granted_by=qa_zhao)
    ReviewAssignment.objects.create(
        contact=Contact.objects.get(external_id="C-3"), reviewer=qian, kind=AssignmentKind.SAMPLE
    )
    return org


def _assign(org: Org, analyst: User) -> None:
    ReviewAssignment.objects.create(
        contact=Contact.objects.get(external_id="C-1"), reviewer=analyst, kind=AssignmentKind.SAMPLE
    )


def _grant_queue(org: Org, analyst: User) -> None:
    AccessGrant.objects.create(user=analyst, queue=org.queues["ACD-02"])


def _grant_team(org: Org, analyst: User) -> None:
    AccessGrant.objects.create(user=analyst, team=org.teams["二班"])


@pytest.mark.parametrize(
    ("ways_in", "contacts", "agents"),
    [
        ((), set(), set()),
        ((_assign,), {"C-1"}, {"A1001"}),
        ((_grant_queue,), {"C-2", "C-4"}, {"A1002"}),  # C-4 has no agent
        ((_grant_team,), {"C-2", "C-6"}, {"A1002"}),  # A1004 has no contact
        ((_assign, _grant_queue, _grant_team), {"C-1", "C-2", "C-4", "C-6"}, {"A1001", "A1002"}),
    ],
    ids=["nothing", "assigned", "granted queue", "granted team", "all three"],
)
def test_an_analyst_sees_exactly_the_contacts_and_agents_of_the_or_it_replaces(
    center: Org, qa_sun: User, ways_in: Any, contacts: set[str], agents: set[str]
) -> None:
    for give in ways_in:
        give(center, qa_sun)

    scoped = Contact.objects.filter(contact_scope(qa_sun))
    seen = set(scoped.values_list("external_id", flat=True))
    before = set(
        Contact.objects.filter(_contacts_before(qa_sun)).values_list("external_id", flat=True)
    )

    assert seen == before == contacts
    assert scoped.count() == len(seen)  # a contact reached two ways is still one contact
    assert set(visible_agents(qa_sun).values_list("code", flat=True)) == _agents_before(qa_sun)
    assert set(visible_agents(qa_sun).values_list("code", flat=True)) == agents
    assert visible_agents(qa_sun).count() == len(agents)
    turns = Turn.objects.filter(contact_scope(qa_sun, via="contact"))
    assert set(turns.values_list("contact__external_id", flat=True)) == contacts
    assert turns.count() == Turn.objects.filter(contact__external_id__in=contacts).count()
