"""Sending surveys after contacts (issue 17): the plan decides, the outbox keeps what was
decided through a crash, the gateway sends, replies and the H5 page answer, and an opt-out
stops every later survey to that number."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from threading import Thread
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client

from lingting.core.models import User
from lingting.engine.webhooks import signature_valid
from lingting.interactions.models import Contact
from lingting.surveys.gateways import (
    FakeGateway,
    FileDropGateway,
    GatewayError,
    HttpGateway,
    OutgoingSurvey,
    configured_gateway,
)
from lingting.surveys.models import (
    InvitationStatus,
    SurveyInvitation,
    SurveyOptOut,
    SurveyPlan,
    SurveyReply,
    SurveyResponse,
)
from lingting.surveys.services.invitations import (
    survey_invitations_decide,
    survey_reply_receive,
)
from lingting.surveys.services.sending import survey_invitations_send
from lingting.workorders.models import WorkOrder
from tests.conftest import SHANGHAI, ContactFactory
from tests.web.conftest import Api

pytestmark = pytest.mark.django_db
AFTERNOON = datetime(2026, 12, 7, 15, 0, tzinfo=SHANGHAI)
PHONE = "13812345678"


@pytest.fixture(autouse=True)
def gateway() -> Iterator[type[FakeGateway]]:
    FakeGateway.sent.clear()
    FakeGateway.failing = ""
    yield FakeGateway
    FakeGateway.sent.clear()
    FakeGateway.failing = ""


@pytest.fixture
def plan(db: None) -> SurveyPlan:
    return SurveyPlan.objects.create(
        name="10000 短信满意度",
        question="您对刚才的服务满意吗？回复1-5，或点击 {link} 评价。回复TD退订",
        queues=["ACD-01"],
        dispositions=["answered"],
    )


@pytest.fixture
def call(make_contact: ContactFactory) -> Any:
    def ended(minutes_ago: float = 1, *, phone: str = PHONE, **fields: Any) -> Contact:
        end = fields.pop("ended_at", AFTERNOON - timedelta(minutes=minutes_ago))
        return make_contact(
            queue=fields.pop("queue", "ACD-01"),
            agent="A1001",
            started_at=end - timedelta(minutes=5),
            ended_at=end,
            disposition=fields.pop("disposition", "answered"),
            extra={"customer_phone": phone},
            **fields,
        )

    return ended


def decide_and_send(now: datetime = AFTERNOON) -> None:
    survey_invitations_decide(now=now)
    survey_invitations_send(now=now + timedelta(minutes=10), gateway=FakeGateway())


def test_a_call_in_the_plan_is_surveyed_once_with_a_link_to_the_h5_page(
    plan: SurveyPlan, call: Any
) -> None:
    contact = call()

    assert survey_invitations_decide(now=AFTERNOON) == 1
    assert survey_invitations_decide(now=AFTERNOON + timedelta(minutes=1)) == 0  # decided once
    invitation = SurveyInvitation.objects.get()
    assert (invitation.contact, invitation.status) == (contact, InvitationStatus.DUE)
    assert invitation.send_at == AFTERNOON + timedelta(minutes=4)  # five minutes after the end

    run = survey_invitations_send(now=AFTERNOON + timedelta(minutes=5), gateway=FakeGateway())

    assert run.sent == 1
    [message] = FakeGateway.sent
    assert message.address == PHONE
    assert f"/survey/{invitation.token}/" in message.text
    assert message.link in message.text
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SENT
    assert survey_invitations_send(now=AFTERNOON + timedelta(hours=1)).sent == 0  # sent once


def test_contacts_outside_the_plan_are_recorded_with_the_reason(
    plan: SurveyPlan, call: Any
) -> None:
    call(queue="ACD-02", phone="13900000001")
    call(disposition="abandoned", phone="13900000002")
    call(tags=["投诉"], phone="13900000003")
    call(phone="")

    survey_invitations_decide(now=AFTERNOON)

    verdicts = dict(SurveyInvitation.objects.values_list("verdict", "status"))
    assert verdicts == {
        "queue": "skipped",
        "disposition": "skipped",
        "complaint": "skipped",
        "no_address": "skipped",
    }


def test_the_same_customer_is_not_asked_twice_within_the_rest_days(
    plan: SurveyPlan, call: Any
) -> None:
    call(minutes_ago=30)
    call(minutes_ago=2)
    decide_and_send()
    later = AFTERNOON + timedelta(days=29)
    call(ended_at=later - timedelta(minutes=1))
    survey_invitations_decide(now=later)
    after_rest = AFTERNOON + timedelta(days=31)
    call(ended_at=after_rest - timedelta(minutes=1))
    survey_invitations_decide(now=after_rest)

    statuses = list(SurveyInvitation.objects.order_by("contact__ended_at").values_list("verdict"))
    assert statuses == [("invite",), ("resting",), ("resting",), ("invite",)]


def test_an_invitation_decided_before_a_crash_is_sent_once_after_it(
    plan: SurveyPlan, call: Any
) -> None:
    call()
    survey_invitations_decide(now=AFTERNOON)  # committed: the decision and its outbox row

    class Crashing:
        def send(self, message: OutgoingSurvey) -> None:
            raise RuntimeError("the worker died while sending")

    with pytest.raises(RuntimeError):
        survey_invitations_send(now=AFTERNOON + timedelta(minutes=5), gateway=Crashing())
    assert SurveyInvitation.objects.get().status == InvitationStatus.DUE  # nothing lost

    survey_invitations_send(now=AFTERNOON + timedelta(minutes=6), gateway=FakeGateway())
    survey_invitations_send(now=AFTERNOON + timedelta(minutes=7), gateway=FakeGateway())

    assert len(FakeGateway.sent) == 1
    assert SurveyInvitation.objects.get().status == InvitationStatus.SENT


def test_a_refusing_gateway_is_tried_again_later_then_given_up(plan: SurveyPlan, call: Any) -> None:
    plan.quiet_start = plan.quiet_end = time(0)  # none: the last retry falls at night
    plan.save()
    call()
    survey_invitations_decide(now=AFTERNOON)
    FakeGateway.failing = "502 gateway busy"
    moment = AFTERNOON + timedelta(minutes=5)
    waits = []
    for _ in range(6):
        run = survey_invitations_send(now=moment, gateway=FakeGateway())
        assert run.failed == 1
        invitation = SurveyInvitation.objects.get()
        assert invitation.send_at is not None
        waits.append(invitation.send_at - moment)
        moment = invitation.send_at

    assert waits[:5] == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=12),
    ]
    assert (invitation.status, invitation.attempts) == (InvitationStatus.FAILED, 6)
    assert invitation.last_error == "502 gateway busy"


def test_no_survey_leaves_in_the_quiet_hours(plan: SurveyPlan, call: Any) -> None:
    night = datetime(2026, 12, 7, 22, 30, tzinfo=SHANGHAI)
    call(ended_at=night - timedelta(minutes=1))
    survey_invitations_decide(now=night)

    assert survey_invitations_send(now=night + timedelta(hours=2)).sent == 0
    assert SurveyInvitation.objects.get().send_at == datetime(2026, 12, 8, 8, tzinfo=SHANGHAI)
    assert survey_invitations_send(now=datetime(2026, 12, 8, 8, 1, tzinfo=SHANGHAI)).sent == 1


def test_a_score_reply_answers_the_survey_with_its_words(plan: SurveyPlan, call: Any) -> None:
    contact = call()
    decide_and_send()

    reply = survey_reply_receive(
        message_id="m1",
        address=PHONE,
        text="2，等了半小时才接通",
        received_at=AFTERNOON + timedelta(minutes=20),
    )
    again = survey_reply_receive(
        message_id="m1",
        address=PHONE,
        text="2，等了半小时才接通",
        received_at=AFTERNOON + timedelta(minutes=20),
    )

    assert again.pk == reply.pk  # the gateway's retry stores nothing new
    response = SurveyResponse.objects.get()
    assert (response.contact, response.score, response.scale) == (contact, 2, 5)
    assert response.comment == "等了半小时才接通"
    assert response.channel == "sms"
    assert SurveyInvitation.objects.get().status == InvitationStatus.ANSWERED


def test_unreadable_and_late_replies_are_kept_for_a_person_not_scored(
    plan: SurveyPlan, call: Any
) -> None:
    call()
    decide_and_send()

    survey_reply_receive(message_id="m1", address=PHONE, text="你们是谁？", received_at=AFTERNOON)
    survey_reply_receive(
        message_id="m2", address=PHONE, text="5", received_at=AFTERNOON + timedelta(days=4)
    )

    assert not SurveyResponse.objects.exists()
    assert list(SurveyReply.objects.order_by("pk").values_list("kind", "invitation")) == [
        ("unreadable", SurveyInvitation.objects.get().pk),
        ("score", None),  # after the invitation expired: nothing open to answer
    ]


def test_td_stops_every_later_survey_to_that_number_forever(plan: SurveyPlan, call: Any) -> None:
    call(minutes_ago=30)
    decide_and_send()
    survey_reply_receive(message_id="m1", address=PHONE, text="TD", received_at=AFTERNOON)
    assert SurveyOptOut.objects.filter(address=PHONE).exists()

    # A year on, a new call with a plan that asks after every contact: still not asked.
    SurveyPlan.objects.create(name="全部", question="?", rest_days=0)
    a_year_on = AFTERNOON + timedelta(days=365)
    call(ended_at=a_year_on - timedelta(minutes=1))
    survey_invitations_decide(now=a_year_on)
    survey_invitations_send(now=a_year_on + timedelta(minutes=10), gateway=FakeGateway())

    assert len(FakeGateway.sent) == 1  # the one before the opt-out
    later = SurveyInvitation.objects.filter(decided_at=a_year_on)
    assert set(later.values_list("verdict", flat=True)) == {"opted_out"}


def test_an_opt_out_arriving_between_decision_and_sending_withdraws_the_invitation(
    plan: SurveyPlan, call: Any
) -> None:
    call()
    survey_invitations_decide(now=AFTERNOON)
    survey_reply_receive(message_id="m1", address=PHONE, text="退订", received_at=AFTERNOON)

    run = survey_invitations_send(now=AFTERNOON + timedelta(minutes=10), gateway=FakeGateway())

    assert run.sent == 0
    assert FakeGateway.sent == []
    assert SurveyInvitation.objects.get().status == InvitationStatus.WITHDRAWN


def test_the_h5_page_takes_one_answer_until_it_expires(plan: SurveyPlan, call: Any) -> None:
    contact = call()
    decide_and_send()
    token = SurveyInvitation.objects.get().token
    page = f"/survey/{token}/"
    customer = Client(enforce_csrf_checks=True)

    with time_machine.travel(AFTERNOON + timedelta(hours=1)):
        form = customer.get(page)
        assert form.status_code == 200
        assert "非常满意" in form.content.decode()
        csrf = form.cookies["csrftoken"].value
        no_score = customer.post(page, {"csrfmiddlewaretoken": csrf})
        assert no_score.status_code == 400
        answered = customer.post(
            page,
            {"score": "5", "comment": "<b>很耐心</b>", "opt_out": "1", "csrfmiddlewaretoken": csrf},
        )
        assert answered.status_code == 200
        assert "感谢您的评价" in answered.content.decode()
        assert customer.post(page, {"score": "1", "csrfmiddlewaretoken": csrf}).status_code == 410

    response = SurveyResponse.objects.get()
    assert (response.contact, response.score, response.comment) == (contact, 5, "<b>很耐心</b>")
    assert SurveyOptOut.objects.filter(address=PHONE, source="h5").exists()
    assert Client().get("/survey/not-a-token/").status_code == 404


def test_an_expired_link_says_so(plan: SurveyPlan, call: Any) -> None:
    call()
    decide_and_send()
    token = SurveyInvitation.objects.get().token

    with time_machine.travel(AFTERNOON + timedelta(days=4)):
        expired = Client().get(f"/survey/{token}/")

    assert expired.status_code == 410
    assert "已过期" in expired.content.decode()


def test_the_gateway_hands_replies_in_through_the_api(
    plan: SurveyPlan, call: Any, ops_zhou: User, agent_li: User
) -> None:
    call()
    decide_and_send()
    body = {
        "message_id": "gw-1",
        "address": "+86 138 1234 5678",
        "text": "4分",
        "received_at": "2026-12-07T15:30:00+08:00",
    }

    assert Api(agent_li).post("/surveys/replies", body).status_code == 403
    first = Api(ops_zhou).post("/surveys/replies", body)
    again = Api(ops_zhou).post("/surveys/replies", body)

    assert first.status_code == 200
    assert first.json()["kind"] == "score"
    assert first.json()["answered"] is True
    assert again.json() == first.json()
    assert SurveyResponse.objects.get().score == 4


def test_the_file_drop_gateway_writes_one_json_line_per_invitation(tmp_path: Path) -> None:
    message = OutgoingSurvey(1, "sms", PHONE, "满意吗？", "https://x/survey/t/", "2026-12-10")
    gateway = FileDropGateway(str(tmp_path / "out"))

    gateway.send(message)
    gateway.send(message)

    [written] = (tmp_path / "out").glob("surveys-*.jsonl")
    lines = [json.loads(line) for line in written.read_text(encoding="utf-8").splitlines()]
    assert lines == [lines[0], lines[0]]
    assert lines[0]["address"] == PHONE
    assert lines[0]["text"] == "满意吗？"
    blocked = tmp_path / "file"
    blocked.write_text("")
    with pytest.raises(GatewayError, match="file"):
        FileDropGateway(str(blocked / "out")).send(message)


def test_the_scheduled_command_decides_and_sends(
    plan: SurveyPlan, call: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    call(ended_at=AFTERNOON - timedelta(minutes=20))

    with time_machine.travel(AFTERNOON):
        call_command("surveys_send")

    assert "1 invitations due, 1 sent" in capsys.readouterr().out
    assert len(FakeGateway.sent) == 1


def test_the_http_gateway_posts_each_invitation_signed_like_the_webhooks() -> None:
    received: list[tuple[dict[str, str], bytes]] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            self.send_response(500 if len(received) > 1 else 202)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Receiver)
    Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/sms"
    message = OutgoingSurvey(7, "sms", PHONE, "满意吗？", "https://x/survey/t/", "2026-12-10")
    try:
        HttpGateway(url, "s3cret").send(message)
        with pytest.raises(GatewayError, match="500"):
            HttpGateway(url, "s3cret").send(message)
    finally:
        server.shutdown()

    headers, body = received[0]
    assert json.loads(body)["text"] == "满意吗？"
    assert headers["Idempotency-Key"] == "survey-7"
    timestamp = int(headers["X-Lingting-Timestamp"])
    assert signature_valid(
        "s3cret", timestamp, body, headers["X-Lingting-Signature"], now=timestamp
    )


def test_a_half_configured_gateway_is_refused_without_showing_its_secret(
    settings: Any,
) -> None:
    settings.LINGTING_SURVEY_GATEWAY = {"kind": "http", "url": "", "secret": "s3cret"}

    with pytest.raises(ImproperlyConfigured) as refused:
        configured_gateway()

    assert "s3cret" not in str(refused.value)


def test_a_low_score_opens_a_complaint_order_where_the_plan_says_so(
    plan: SurveyPlan, call: Any
) -> None:
    plan.low_score_action, plan.low_score_at_most = "workorder", 2
    plan.save()
    unhappy, happy = call(minutes_ago=3, phone=PHONE), call(minutes_ago=2, phone="13900000009")
    decide_and_send()

    for message_id, address, text in [("m1", PHONE, "1，太差了"), ("m2", "13900000009", "5")]:
        survey_reply_receive(
            message_id=message_id, address=address, text=text, received_at=AFTERNOON
        )

    order = WorkOrder.objects.get()
    assert (order.type.code, order.contact) == ("complaint", unhappy)
    assert order.fields["phone"] == PHONE
    assert "太差了" in order.description
    assert not WorkOrder.objects.filter(contact=happy).exists()


@pytest.mark.parametrize(
    "moment", ["1235-02-15T01:15:52+21:29", "9999-12-31T23:59:59-10:00", "2999-01-01T00:00:00"]
)
def test_a_reply_from_an_impossible_moment_is_refused_not_a_server_error(
    ops_zhou: User, moment: str
) -> None:
    body = {"message_id": "gw-x", "address": PHONE, "text": "5", "received_at": moment}

    answer = Api(ops_zhou).post("/surveys/replies", body)

    assert answer.status_code == 422
    assert "received_at" in answer.content.decode()
    assert not SurveyReply.objects.exists()
