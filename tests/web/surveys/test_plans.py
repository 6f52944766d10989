"""The survey plans page (issue 17): a manager sets a plan up and reads its outbox."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from lingting.core.models import AuditEvent, User
from lingting.surveys.models import SurveyInvitation, SurveyPlan
from lingting.surveys.services.invitations import survey_invitations_decide
from lingting.surveys.services.sending import survey_invitations_send
from tests.conftest import SHANGHAI, ContactFactory

pytestmark = pytest.mark.django_db
AFTERNOON = datetime(2026, 12, 7, 15, 0, tzinfo=SHANGHAI)

FORM = {
    "name": "10000 短信满意度",
    "active": "on",
    "channel": "sms",
    "question": "您对刚才的服务满意吗？回复1-5，或点击 {link} 评价。回复TD退订",
    "scale": "5",
    "queues": "ACD-01，ACD-02",
    "contact_channels": "",
    "dispositions": "answered",
    "rest_days": "30",
    "quiet_start": "21:00",
    "quiet_end": "08:00",
    "delay_minutes": "5",
    "within_hours": "48",
    "answer_hours": "72",
    "low_score_action": "workorder",
    "low_score_at_most": "2",
}


def test_a_manager_sets_up_a_plan_and_reads_its_outbox(
    client_for: Any, ops_zhou: User, make_contact: ContactFactory
) -> None:
    manager = client_for(ops_zhou)

    assert manager.post("/surveys/plans/new/", FORM).status_code == 302
    plan = SurveyPlan.objects.get()
    assert plan.queues == ["ACD-01", "ACD-02"]
    assert plan.contact_channels == []  # empty: every channel
    assert AuditEvent.objects.filter(action="survey_plan.save", object_id=str(plan.pk)).exists()

    for phone, queue in [("13800000001", "ACD-01"), ("", "ACD-01")]:
        make_contact(
            queue=queue,
            ended_at=AFTERNOON - timedelta(minutes=1),
            started_at=AFTERNOON - timedelta(minutes=6),
            disposition="answered",
            extra={"customer_phone": phone},
        )
    survey_invitations_decide(now=AFTERNOON)
    survey_invitations_send(now=AFTERNOON + timedelta(minutes=10))
    page = manager.get("/surveys/plans/").content.decode()

    assert "10000 短信满意度" in page
    assert "无号码 1" in page
    assert SurveyInvitation.objects.filter(status="sent").count() == 1


def test_a_bad_plan_is_told_field_by_field(client_for: Any, qa_zhao: User) -> None:
    answer = client_for(qa_zhao).post(
        "/surveys/plans/new/", FORM | {"scale": "99", "name": "", "low_score_at_most": "5"}
    )

    assert answer.status_code == 200
    assert not SurveyPlan.objects.exists()
    assert "满分须在 3 到 10 之间" in answer.content.decode()
    fine_scale = client_for(qa_zhao).post("/surveys/plans/new/", FORM | {"low_score_at_most": "5"})
    assert "须在 1 到 4 之间" in fine_scale.content.decode()


@pytest.mark.parametrize("username", ["agent_li", "leader_wang", "qa_sun", "planner_qian"])
def test_only_managers_plan_surveys(client_for: Any, org: Any, username: str) -> None:
    client = client_for(org.users[username])

    assert client.get("/surveys/plans/").status_code == 403
    assert client.post("/surveys/plans/new/", FORM).status_code == 403
    assert not SurveyPlan.objects.exists()
