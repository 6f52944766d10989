"""topics_refresh (客户之声): recent contacts clustered into stored topics, contacts arriving
later put in the nearest one with the topic ids kept, re-clustered when due."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.management import call_command

from lingting.core.models import AuditEvent
from lingting.interactions.models import Contact, ContactTopic, Topic
from lingting.interactions.services.topics import RECLUSTER_DAYS, topics_refresh
from tests.conftest import SHANGHAI, ContactFactory
from tests.engine.test_topics import DELIVERIES, INVOICES, REFUNDS

NOW = datetime(2026, 10, 29, 8, 0, tzinfo=SHANGHAI)


def _chat(make_contact: ContactFactory, text: str, *, days_ago: float, agent: str) -> Contact:
    return make_contact(
        started_at=NOW - timedelta(days=days_ago),
        agent=agent,
        turns=[("customer", "在吗"), ("agent", "您好，请问有什么可以帮您？"), ("customer", text)],
    )


@pytest.fixture
def three_subjects(make_contact: ContactFactory) -> dict[str, list[Contact]]:
    subjects: dict[str, list[Contact]] = {"refund": [], "delivery": [], "invoice": []}
    for n in range(8):
        subjects["refund"].append(_chat(make_contact, REFUNDS[n], days_ago=n + 1, agent="A1001"))
        subjects["delivery"].append(
            _chat(make_contact, DELIVERIES[n], days_ago=n + 1, agent="A1002")
        )
        subjects["invoice"].append(_chat(make_contact, INVOICES[n], days_ago=n + 1, agent="A1003"))
    return subjects


def _topic_of(contact: Contact) -> Topic:
    return ContactTopic.objects.select_related("topic").get(contact=contact).topic


def test_the_first_refresh_finds_the_subjects_and_files_every_contact(
    three_subjects: dict[str, list[Contact]],
) -> None:
    done = topics_refresh(now=NOW)

    assert done.reclustered
    assert done.topics == 3
    assert done.assigned == 24
    for subject, contacts in three_subjects.items():
        topics = {_topic_of(c).pk for c in contacts}
        assert len(topics) == 1, subject
    assert "退款" in _topic_of(three_subjects["refund"][0]).label
    assert "发票" in _topic_of(three_subjects["invoice"][0]).keywords
    assert AuditEvent.objects.filter(action="topics.recluster", actor=None).count() == 1


def test_a_later_refresh_puts_new_contacts_in_the_nearest_topic_and_keeps_the_ids(
    three_subjects: dict[str, list[Contact]], make_contact: ContactFactory
) -> None:
    topics_refresh(now=NOW)
    ids_before = set(Topic.objects.values_list("pk", flat=True))
    invoice_topic = _topic_of(three_subjects["invoice"][0])
    later = NOW + timedelta(days=1)
    new = make_contact(
        started_at=later - timedelta(hours=1),
        turns=[("customer", "你好"), ("customer", "发票抬头开错了，要重开公司抬头")],
    )

    done = topics_refresh(now=later)

    assert not done.reclustered
    assert done.assigned == 1
    assert set(Topic.objects.values_list("pk", flat=True)) == ids_before
    assert _topic_of(new) == invoice_topic
    assert topics_refresh(now=later).assigned == 0  # twice changes nothing


def test_topics_are_found_again_once_they_are_old(
    three_subjects: dict[str, list[Contact]],
) -> None:
    topics_refresh(now=NOW)
    first_ids = set(Topic.objects.values_list("pk", flat=True))

    done = topics_refresh(now=NOW + timedelta(days=RECLUSTER_DAYS, hours=1), weeks=8)

    assert done.reclustered
    assert not first_ids & set(Topic.objects.values_list("pk", flat=True))


def test_contacts_before_the_weeks_read_are_left_alone(
    three_subjects: dict[str, list[Contact]], make_contact: ContactFactory
) -> None:
    old = _chat(make_contact, REFUNDS[0], days_ago=70, agent="A1001")

    topics_refresh(now=NOW, weeks=8)

    assert not ContactTopic.objects.filter(contact=old).exists()


def test_no_contacts_no_topics(db: None) -> None:
    done = topics_refresh(now=NOW)

    assert done.topics == 0
    assert not Topic.objects.exists()


def test_the_command_reclusters_on_request(
    three_subjects: dict[str, list[Contact]], capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("topics_refresh", "--recluster")

    out = capsys.readouterr().out
    # The command reads the weeks up to now; the fixture's contacts are in late October 2026.
    assert "topics re-clustered" in out
