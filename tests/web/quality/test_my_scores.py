"""我的成绩: an agent is told when a record about them is published, sees their scores'
trend, acknowledges (签收) each record, and sees each dispute deadline count down."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lingting.core.models import AuditEvent, Notification, User
from lingting.engine.evaluation import Answer
from lingting.engine.scorecard_yaml import builtin_scorecard
from lingting.interactions.models import Contact
from lingting.quality.models import AssignmentKind, Evaluation, ReviewAssignment
from lingting.quality.selectors.score_of_record import auto_results_of
from lingting.quality.services.reviews import RecordInput, evaluation_submit
from tests.web.conftest import BRUSH_OFF, Api, ScoredContact

ClientFor = Callable[[User], Client]
pytestmark = pytest.mark.django_db
STANDARD = builtin_scorecard()
MY_SCORES = reverse("quality:my_scores")


def publish(contact: Contact, reviewer: User, kind: str = AssignmentKind.SAMPLE) -> Evaluation:
    """A reviewer's record that accepts the engine (manual items pass)."""
    auto = auto_results_of(contact.current_score)
    answers = {
        item.id: Answer(auto.get(item.id, "pass"))  # type: ignore[arg-type]
        for item in STANDARD.items
    }
    assignment = ReviewAssignment.objects.create(contact=contact, reviewer=reviewer, kind=kind)
    return evaluation_submit(
        reviewer=reviewer, assignment=assignment, record=RecordInput(answers=answers)
    )


def test_publishing_a_record_tells_its_agent_with_the_dispute_deadline(
    scored_contact: ScoredContact, qa_sun: User, agent_li: User, agent_zhang: User
) -> None:
    record = publish(scored_contact("C-LI", agent="A1001", turns=BRUSH_OFF), qa_sun)

    told = Notification.objects.get(user=agent_li)
    assert "C-LI" in told.text
    assert f"{record.score:g}" in told.text
    assert "申诉" in told.text  # the window is named, so it never runs out unseen
    assert told.url == f"{MY_SCORES}#record-{record.pk}"
    assert not Notification.objects.filter(user=agent_zhang).exists()


def test_calibration_practice_is_not_announced_to_the_agent(
    scored_contact: ScoredContact, qa_sun: User, agent_li: User
) -> None:
    publish(scored_contact(agent="A1001"), qa_sun, kind=AssignmentKind.CALIBRATION)

    assert not Notification.objects.filter(user=agent_li).exists()


def test_my_scores_shows_my_records_trend_and_the_deadline_counting_down(
    client_for: ClientFor, scored_contact: ScoredContact, qa_sun: User, agent_li: User
) -> None:
    mine = publish(scored_contact("C-MINE", agent="A1001", turns=BRUSH_OFF), qa_sun)
    publish(scored_contact("C-ZHANG", agent="A1002"), qa_sun)
    Evaluation.objects.filter(pk=mine.pk).update(
        submitted_at=timezone.now() - timedelta(days=4, hours=1)
    )

    page = client_for(agent_li).get(MY_SCORES).content.decode()

    assert "C-MINE" in page
    assert "C-ZHANG" not in page
    row = page.split(f'id="record-{mine.pk}"')[1].split("</tr>")[0]
    assert "剩 2 天" in row  # 7 days to dispute, 4 days and an hour gone
    assert "签收" in row
    assert reverse("quality:evaluation_detail", args=[mine.pk]) in row  # where to dispute
    assert "<svg" in page  # the trend, drawn on the server


def test_acknowledging_is_stored_audited_and_only_for_ones_own_record(
    client_for: ClientFor, scored_contact: ScoredContact, qa_sun: User, org: object
) -> None:
    record = publish(scored_contact("C-ACK", agent="A1001"), qa_sun)
    url = reverse("quality:evaluation_acknowledge", args=[record.pk])
    users = org.users  # type: ignore[attr-defined]

    assert client_for(users["agent_zhang"]).post(url).status_code == 404
    response = client_for(users["agent_li"]).post(url)

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.acknowledged_at is not None
    assert AuditEvent.objects.filter(
        action="evaluation.acknowledge", object_id=str(record.pk), actor=users["agent_li"]
    ).exists()
    page = client_for(users["agent_li"]).get(MY_SCORES).content.decode()
    assert "已签收" in page.split(f'id="record-{record.pk}"')[1].split("</tr>")[0]


def test_the_api_acknowledges_too(
    scored_contact: ScoredContact, qa_sun: User, agent_li: User, agent_zhang: User
) -> None:
    record = publish(scored_contact("C-API", agent="A1001"), qa_sun)
    path = f"/quality/evaluations/{record.pk}/acknowledge"

    assert Api(agent_zhang).post(path, {}).status_code == 404
    answer = Api(agent_li).post(path, {})

    assert answer.status_code == 200
    assert answer.json()["acknowledged_at"] is not None
    listed = Api(agent_li).get("/quality/evaluations").json()
    assert [r["acknowledged_at"] is not None for r in listed] == [True]


def test_agents_find_my_scores_in_the_navigation(
    client_for: ClientFor, agent_li: User, qa_zhao: User
) -> None:
    contacts = reverse("interactions:contact_list")
    assert f'href="{MY_SCORES}"' in client_for(agent_li).get(contacts).content.decode()
    assert f'href="{MY_SCORES}"' not in client_for(qa_zhao).get(contacts).content.decode()
    assert client_for(qa_zhao).get(MY_SCORES).status_code == 403


def test_the_agent_signs_for_a_record_from_its_own_page_too(
    client_for: ClientFor,
    scored_contact: ScoredContact,
    qa_sun: User,
    agent_li: User,
    qa_zhao: User,
) -> None:
    record = publish(scored_contact("C-PAGE", agent="A1001"), qa_sun)
    url = reverse("quality:evaluation_detail", args=[record.pk])
    acknowledge = reverse("quality:evaluation_acknowledge", args=[record.pk])

    assert f'action="{acknowledge}"' in client_for(agent_li).get(url).content.decode()
    assert f'action="{acknowledge}"' not in client_for(qa_zhao).get(url).content.decode()
    client_for(agent_li).post(acknowledge)
    page = client_for(agent_li).get(url).content.decode()
    assert "已签收" in page.split('id="acknowledgement"')[1].split("</p>")[0]
