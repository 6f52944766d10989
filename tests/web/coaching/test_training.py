"""Training needs from reviews go to the trainer; a training's targeted issue is tracked
among its attendees before and after it (002 §四 steps 6–8)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse

from lingting.coaching.models import Training
from lingting.core.models import AuditEvent, Notification, Role, User
from lingting.quality.models import AssignmentKind, Evaluation, Finding
from tests.conftest import SHANGHAI, ContactFactory, Org

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]
NEEDS = reverse("coaching:training_needs")


@pytest.fixture
def trainer_zhou(db: None) -> User:
    return User.objects.create_user("trainer_zhou", password="x", role=Role.TRAINER)


@pytest.fixture
def reviewed(make_contact: ContactFactory, qa_zhao: User, org: Org) -> None:
    """Two reviews of 李娜's calls raising the same common issue, one proposing training."""
    for day, need in ((8, "宽带资费培训"), (9, "")):
        contact = make_contact(
            agent="A1001",
            started_at=datetime(2026, 9, day, 10, 0, tzinfo=SHANGHAI),
            score=70,
            items=[make_contact.forbidden_phrase_item(0, 0, 4, "您好")],
        )
        evaluation = Evaluation.objects.create(
            contact=contact,
            reviewer=qa_zhao,
            kind=AssignmentKind.SAMPLE,
            version=make_contact.version,
            score=70,
            passed=True,
            fatal=False,
            training_need=need,
        )
        Finding.objects.create(
            evaluation=evaluation,
            item="forbidden_phrases",
            note="对故障报修客户说“自己去营业厅”",
            scope="common",
        )


def test_trainer_sees_common_issues_grouped_by_item_and_the_proposals(
    client_for: ClientFor, trainer_zhou: User, reviewed: None
) -> None:
    page = client_for(trainer_zhou).get(NEEDS).content.decode()
    row = page.split('id="needs-table"', 1)[1].split("</tr>", 2)[1]

    assert "forbidden_phrases" in row
    assert ">2<" in row  # two common findings
    assert "自己去营业厅" in row
    assert "宽带资费培训" in page
    assert f"{reverse('coaching:training_new')}?item=forbidden_phrases" in page


def test_trainer_schedules_a_training_and_tracks_the_issue_rate(
    client_for: ClientFor,
    trainer_zhou: User,
    agent_li: User,
    reviewed: None,
    make_contact: ContactFactory,
    org: Org,
) -> None:
    # After the training on 2026-09-15: one of two calls still has the forbidden phrase.
    make_contact(
        agent="A1001",
        started_at=datetime(2026, 9, 16, 10, 0, tzinfo=SHANGHAI),
        score=70,
        items=[make_contact.forbidden_phrase_item(0, 0, 4, "您好")],
    )
    make_contact(agent="A1001", started_at=datetime(2026, 9, 17, 10, 0, tzinfo=SHANGHAI), score=95)
    client = client_for(trainer_zhou)

    response = client.post(
        reverse("coaching:training_new"),
        {
            "topic": "服务禁语与首问负责",
            "item": "forbidden_phrases",
            "held_on": "2026-09-15",
            "attendees": [org.agents["A1001"].pk, org.agents["A1003"].pk],
        },
    )

    training = Training.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("coaching:training_detail", args=[training.pk])
    assert AuditEvent.objects.filter(action="training.schedule", actor=trainer_zhou).exists()
    assert Notification.objects.filter(user=agent_li, text__contains="服务禁语与首问负责").exists()
    page = client.get(response["Location"]).content.decode()
    assert 'id="before-rate">100.0%<' in page
    assert 'id="after-rate">50.0%<' in page
    assert "<svg" in page
    assert "没有对照组" in page


def test_a_training_needs_a_topic_and_attendees(
    client_for: ClientFor, trainer_zhou: User, reviewed: None
) -> None:
    response = client_for(trainer_zhou).post(
        reverse("coaching:training_new"),
        {"topic": "", "item": "forbidden_phrases", "held_on": "2026-09-15"},
    )

    assert response.status_code == 200
    assert not Training.objects.exists()
    assert "这个字段是必填项" in response.content.decode()


@pytest.mark.parametrize("username", ["qa_zhao", "ops_zhou", "leader_wang"])
def test_only_trainers_schedule_trainings(client_for: ClientFor, org: Org, username: str) -> None:
    assert client_for(org.users[username]).get(reverse("coaching:training_new")).status_code == 403


@pytest.mark.parametrize("username", ["agent_li", "leader_wang", "qa_sun", "planner_qian"])
def test_training_needs_are_for_trainers_qa_supervisors_and_operations(
    client_for: ClientFor, org: Org, username: str
) -> None:
    assert client_for(org.users[username]).get(NEEDS).status_code == 403
