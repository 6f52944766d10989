"""Survey results (issue 17): NPS where a center asks the recommend question (0–10), beside
CSAT and the very-satisfied share, each with its 95% margin, by agent, team, queue, topic
and day on the satisfaction page and its downloads, with the invitations' response rate."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.test import Client

from lingting.core.models import User
from lingting.interactions.models import Contact, ContactTopic, Topic
from lingting.surveys.gateways import FakeGateway
from lingting.surveys.models import (
    InvitationStatus,
    SurveyInvitation,
    SurveyPlan,
    SurveyReply,
    SurveyResponse,
)
from lingting.surveys.selectors import answers, local_day_bounds
from lingting.surveys.services.invitations import (
    survey_invitations_decide,
    survey_reply_receive,
)
from lingting.surveys.services.sending import survey_invitations_send
from lingting.workorders.models import WorkOrder
from tests.conftest import SHANGHAI, ContactFactory

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]
AFTERNOON = datetime(2026, 12, 7, 15, 0, tzinfo=SHANGHAI)
PHONE, OTHER_PHONE = "13812345678", "13900000009"
LI, ZHANG = "李娜 A1001", "张伟 A1002"


@pytest.fixture(autouse=True)
def gateway() -> Iterator[None]:
    FakeGateway.sent.clear()
    yield
    FakeGateway.sent.clear()


def write_results(path: Path, rows: list[str]) -> Path:
    path.write_text(
        "contact_id,score,answered_at,channel,question\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def answered(make_contact: ContactFactory, tmp_path: Path) -> None:
    """All answered on 2026-10-01.

    李娜 (A1001, 一班): satisfaction 5, 4, 2 → CSAT 66.7%, very satisfied 33.3%; recommend
    10 9 9 10 9 8 7 6 0 3 → 5 promoters, 3 detractors of 10: NPS 20.0.
    张伟 (A1002, 二班, ACD-02): satisfaction 5, recommend 10.
    Topic 宽带故障: the satisfaction answers 5, 4, 2 and the recommend 10, 9, 8, 6 → NPS 25.0;
    no topic (未归类): recommend 9 10 9 7 0 3 and 张伟's 10 → 4 promoters, 2 detractors of 7
    → NPS 28.6, and 张伟's satisfaction 5 → CSAT 100%."""
    broadband = Topic.objects.create(label="宽带故障", created_at=AFTERNOON)
    rows = []
    scores = [
        ("S1", "A1001", 5, "csat", True),
        ("S2", "A1001", 4, "csat", True),
        ("S3", "A1001", 2, "csat", True),
        ("L1", "A1001", 10, "nps", True),
        ("L2", "A1001", 9, "nps", True),
        ("L3", "A1001", 9, "nps", False),
        ("L4", "A1001", 10, "nps", False),
        ("L5", "A1001", 9, "nps", False),
        ("L6", "A1001", 8, "nps", True),
        ("L7", "A1001", 7, "nps", False),
        ("L8", "A1001", 6, "nps", True),
        ("L9", "A1001", 0, "nps", False),
        ("L10", "A1001", 3, "nps", False),
        ("Z1", "A1002", 5, "", False),
        ("Z2", "A1002", 10, "nps", False),
    ]
    for minute, (contact_id, agent, score, question, in_topic) in enumerate(scores):
        queue = "ACD-02" if agent == "A1002" else "ACD-01"
        contact = make_contact(contact_id, agent=agent, queue=queue)
        if in_topic:
            ContactTopic.objects.create(contact=contact, topic=broadband)
        rows.append(f"{contact_id},{score},2026-10-01T10:{minute:02d}:00+08:00,sms,{question}")
    call_command("import_surveys", str(write_results(tmp_path / "results.csv", rows)))


def page(client: Client, day: str = "2026-10-01", **params: Any) -> str:
    response = client.get("/surveys/", {"date_from": day, "date_to": day, **params})
    assert response.status_code == 200
    return response.content.decode()


def table(html: str) -> list[list[str]]:
    """The figures table's rows (the total last, under 合计), each cell's text with its
    spaces tidied."""
    body = html.split('id="csat-table"')[1].split("</table>")[0]
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>")[1], re.DOTALL)
    ]


def by_first_key(rows: list[list[str]]) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in rows}


# --- the figures on the page ----------------------------------------------------------------


def test_by_agent_each_figure_counts_its_own_question_with_its_margin(
    answered: None, ops_zhou: User, client_for: ClientFor
) -> None:
    rows = by_first_key(table(page(client_for(ops_zhou), by=["agent"])))

    # answers, CSAT ±, very satisfied ±, NPS ±, invitations sent, response rate ±.
    # 2 of 3 satisfied: Wilson 95% from 20.8% to 93.9%; NPS 20 ± 45.7 (adjusted Wald,
    # tests/engine/test_csat.py).
    assert rows[LI] == ["13", "66.7% ±36.5", "33.3% ±36.5", "20.0 ±45.7", "0", "—"]
    assert rows[ZHANG][:4] == ["2", "100.0% ±39.7", "100.0% ±39.7", "100.0 ±74.2"]
    # All: 3 of 4 satisfied, 2 of 4 very; 6 promoters and 3 detractors of 11.
    assert rows["合计"][:4] == ["15", "75.0% ±32.7", "50.0% ±35.0", "27.3 ±44.0"]


def test_by_topic_contacts_without_one_are_unsorted(
    answered: None, ops_zhou: User, client_for: ClientFor
) -> None:
    rows = by_first_key(table(page(client_for(ops_zhou), by=["topic"])))

    assert list(rows) == ["宽带故障", "未归类", "合计"]
    # NPS 25 from 4 answers (2 promoters, 1 detractor), adjusted Wald: P′ = 2.75/7,
    # D′ = 1.75/7, ± 1.96·√((P′ + D′ − (P′ − D′)²)/7)·100 = ±58.4.
    assert rows["宽带故障"][:4] == ["7", "66.7% ±36.5", "33.3% ±36.5", "25.0 ±58.4"]
    assert rows["未归类"][:4] == ["8", "100.0% ±39.7", "100.0% ±39.7", "28.6 ±52.2"]


def test_groupings_combine_team_first_then_topic(
    answered: None, ops_zhou: User, client_for: ClientFor
) -> None:
    rows = table(page(client_for(ops_zhou), by=["team", "topic"]))

    assert [(row[0], row[1], row[2]) for row in rows] == [
        ("一班", "宽带故障", "7"),
        ("一班", "未归类", "6"),
        ("二班", "未归类", "2"),
        ("合计", "15", "75.0% ±32.7"),  # the total's label spans the key columns
    ]
    assert rows[1][5] == "16.7 ±55.0"  # 一班 without a topic: 3 promoters, 2 detractors of 6


def test_an_agent_sees_only_their_own_row(
    answered: None, agent_li: User, client_for: ClientFor
) -> None:
    rows = by_first_key(table(page(client_for(agent_li), by=["agent"])))

    assert list(rows) == [LI, "合计"]
    assert rows["合计"] == rows[LI]


def test_a_share_with_no_answers_of_its_kind_is_a_dash_not_zero(
    make_contact: ContactFactory, tmp_path: Path, ops_zhou: User, client_for: ClientFor
) -> None:
    make_contact("N1")
    call_command(
        "import_surveys",
        str(write_results(tmp_path / "n.csv", ["N1,0,2026-10-01T10:00:00+08:00,web,nps"])),
    )

    rows = by_first_key(table(page(client_for(ops_zhou), by=["team"])))

    assert rows["一班"][:4] == ["1", "—", "—", "-100.0 ±74.2"]


def test_readers_of_satisfaction_alone_never_get_a_recommend_answer(answered: None) -> None:
    day = local_day_bounds(date(2026, 10, 1), date(2026, 10, 1))

    satisfaction = list(answers(contacts=Q(), start=day[0], end=day[1]))
    every = list(answers(contacts=Q(), start=day[0], end=day[1], questions=("csat", "nps")))

    # The hourly broadcast adds these up as satisfaction: a 0–10 answer would skew it.
    assert sorted(a.score for a in satisfaction) == [2, 4, 5, 5]
    assert {a.question for a in satisfaction} == {"csat"}
    assert len(every) == 15


# --- an NPS plan, end to end ----------------------------------------------------------------


@pytest.fixture
def nps_plan(db: None) -> SurveyPlan:
    return SurveyPlan.objects.create(
        name="推荐意愿回访",
        question="您有多大可能向亲友推荐我们？回复0-10，或点击 {link}。回复TD退订",
        asks="nps",
        scale=10,
        queues=["ACD-01"],
        dispositions=["answered"],
        low_score_action="workorder",
        low_score_at_most=6,
    )


def ended_call(make_contact: ContactFactory, phone: str, minutes_ago: int = 1) -> Contact:
    end = AFTERNOON - timedelta(minutes=minutes_ago)
    return make_contact(
        queue="ACD-01",
        agent="A1001",
        started_at=end - timedelta(minutes=5),
        ended_at=end,
        disposition="answered",
        extra={"customer_phone": phone},
    )


def invite(make_contact: ContactFactory, *phones: str) -> list[Contact]:
    contacts = [ended_call(make_contact, phone, n + 1) for n, phone in enumerate(phones)]
    survey_invitations_decide(now=AFTERNOON)
    survey_invitations_send(now=AFTERNOON + timedelta(minutes=10), gateway=FakeGateway())
    return contacts


def test_a_9_replied_to_an_nps_survey_counts_a_promoter_and_the_response_rate(
    nps_plan: SurveyPlan, make_contact: ContactFactory, ops_zhou: User, client_for: ClientFor
) -> None:
    [promoter, _silent] = invite(make_contact, PHONE, OTHER_PHONE)

    survey_reply_receive(message_id="m1", address=PHONE, text="９分", received_at=AFTERNOON)

    response = SurveyResponse.objects.get()
    assert (response.contact, response.question, response.score, response.scale) == (
        promoter,
        "nps",
        9,
        10,
    )
    assert not WorkOrder.objects.exists()  # a promoter is no low score
    rows = by_first_key(table(page(client_for(ops_zhou), day="2026-12-07", by=["agent"])))
    # One promoter of one answer; one of the two invitations sent answered (Wilson 9.5–90.5%).
    assert rows[LI] == ["1", "—", "—", "100.0 ±74.2", "2", "50.0% ±40.5"]
    by_day = by_first_key(table(page(client_for(ops_zhou), day="2026-12-07", by=["day"])))
    assert by_day["2026-12-07"] == rows[LI]  # sent and answered on the same local day


def test_words_of_satisfaction_do_not_answer_an_nps_survey(
    nps_plan: SurveyPlan, make_contact: ContactFactory
) -> None:
    invite(make_contact, PHONE)

    for n, text in enumerate(["非常满意", "11", "9.5"]):
        survey_reply_receive(message_id=f"m{n}", address=PHONE, text=text, received_at=AFTERNOON)

    assert not SurveyResponse.objects.exists()
    assert set(SurveyReply.objects.values_list("kind", flat=True)) == {"unreadable"}
    assert SurveyInvitation.objects.get().status == InvitationStatus.SENT


def test_a_detractor_opens_a_complaint_order_at_the_plans_threshold(
    nps_plan: SurveyPlan, make_contact: ContactFactory
) -> None:
    [detractor, passive] = invite(make_contact, PHONE, OTHER_PHONE)

    survey_reply_receive(message_id="m1", address=PHONE, text="6 太慢", received_at=AFTERNOON)
    survey_reply_receive(message_id="m2", address=OTHER_PHONE, text="7", received_at=AFTERNOON)

    order = WorkOrder.objects.get()
    assert order.contact == detractor
    assert "推荐意愿回访低分 6/10" in order.title
    assert SurveyResponse.objects.get(contact=passive).score == 7


def test_the_h5_page_of_an_nps_survey_offers_0_to_10_and_stores_0(
    nps_plan: SurveyPlan, make_contact: ContactFactory
) -> None:
    invite(make_contact, PHONE)
    token = SurveyInvitation.objects.get().token
    link = f"/survey/{token}/"
    customer = Client(enforce_csrf_checks=True)

    with time_machine.travel(AFTERNOON + timedelta(hours=1)):
        form = customer.get(link)
        html = form.content.decode()
        offered = [int(v) for v in re.findall(r'name="score" value="(\d+)"', html)]
        assert offered == list(range(11))
        assert "0 = 不可能推荐，10 = 非常愿意推荐" in html
        assert "非常满意" not in html
        csrf = form.cookies["csrftoken"].value
        for refused in ({}, {"score": "11"}, {"score": "-1"}, {"score": "x"}):
            answer = customer.post(link, {"csrfmiddlewaretoken": csrf, **refused})
            assert answer.status_code == 400
        assert not SurveyResponse.objects.exists()  # no score is never a 0
        assert customer.post(link, {"score": "0", "csrfmiddlewaretoken": csrf}).status_code == 200

    response = SurveyResponse.objects.get()
    assert (response.question, response.score, response.scale) == ("nps", 0, 10)


def test_the_h5_page_of_a_satisfaction_survey_still_refuses_0(
    make_contact: ContactFactory,
) -> None:
    SurveyPlan.objects.create(name="满意度", question="{link}", queues=["ACD-01"])
    invite(make_contact, PHONE)
    link = f"/survey/{SurveyInvitation.objects.get().token}/"

    with time_machine.travel(AFTERNOON + timedelta(hours=1)):
        html = Client().get(link).content.decode()
        assert re.findall(r'name="score" value="(\d+)"', html) == ["5", "4", "3", "2", "1"]
        assert Client().post(link, {"score": "0"}).status_code == 400


# --- setting an NPS plan up -----------------------------------------------------------------

PLAN_FORM = {
    "name": "推荐意愿回访",
    "active": "on",
    "channel": "sms",
    "asks": "nps",
    "question": "您有多大可能向亲友推荐我们？回复0-10，回复TD退订",
    "scale": "5",
    "queues": "",
    "contact_channels": "",
    "dispositions": "answered",
    "rest_days": "30",
    "quiet_start": "21:00",
    "quiet_end": "08:00",
    "delay_minutes": "5",
    "within_hours": "48",
    "answer_hours": "72",
    "low_score_action": "workorder",
    "low_score_at_most": "6",
}


def test_an_nps_plan_is_on_0_to_10_with_its_low_score_checked_on_that_range(
    client_for: ClientFor, ops_zhou: User
) -> None:
    manager = client_for(ops_zhou)

    too_high = manager.post("/surveys/plans/new/", PLAN_FORM | {"low_score_at_most": "10"})
    assert too_high.status_code == 200
    assert "须在 0 到 9 之间" in too_high.content.decode()
    assert manager.post("/surveys/plans/new/", PLAN_FORM).status_code == 302

    plan = SurveyPlan.objects.get()
    assert (plan.asks, plan.scale, plan.low_score_at_most) == ("nps", 10, 6)
    assert "推荐意愿 NPS" in manager.get("/surveys/plans/").content.decode()


def test_a_satisfaction_plan_keeps_its_low_score_from_1(
    client_for: ClientFor, ops_zhou: User
) -> None:
    answer = client_for(ops_zhou).post(
        "/surveys/plans/new/", PLAN_FORM | {"asks": "csat", "low_score_at_most": "0"}
    )

    assert "须在 1 到 4 之间" in answer.content.decode()
    assert not SurveyPlan.objects.exists()


# --- downloads --------------------------------------------------------------------------------


def test_the_downloads_carry_nps_and_every_margin(
    answered: None, ops_zhou: User, client_for: ClientFor
) -> None:
    client = client_for(ops_zhou)
    query = {"date_from": "2026-10-01", "date_to": "2026-10-01", "by": ["agent"]}

    text = client.get("/surveys/", query | {"export": "csv"}).content.decode("utf-8-sig")
    xlsx = client.get("/surveys/", query | {"export": "xlsx"})
    pdf = client.get("/surveys/", query | {"export": "pdf"})

    rows = list(csv.reader(io.StringIO(text)))
    header = next(row for row in rows if "NPS" in row)
    li = next(row for row in rows if row and row[0] == LI)
    figures = dict(zip(header, li, strict=True))
    assert figures["NPS"] == "20.0"
    assert figures["NPS ±（百分点）"] == "45.7"
    assert figures["满意度"] == "0.6667"  # a spreadsheet's number: a fraction of 1
    assert figures["满意度 ±（百分点）"] == "36.5"
    assert figures["回复率"] == ""  # no invitations: no rate
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as book:
        sheets = "".join(
            book.read(name).decode("utf-8") for name in book.namelist() if name.endswith(".xml")
        )
    assert "NPS ±（百分点）" in sheets
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_an_agents_download_holds_only_their_own_row(
    answered: None, agent_li: User, client_for: ClientFor
) -> None:
    text = (
        client_for(agent_li)
        .get(
            "/surveys/",
            {"date_from": "2026-10-01", "date_to": "2026-10-01", "by": ["agent"], "export": "csv"},
        )
        .content.decode("utf-8-sig")
    )

    assert LI in text
    assert "张伟" not in text


# --- importing recommend answers ---------------------------------------------------------------


def test_a_bad_question_in_an_import_file_is_reported_with_its_line(
    make_contact: ContactFactory, tmp_path: Path
) -> None:
    make_contact("C1")
    make_contact("C2")
    path = write_results(
        tmp_path / "results.csv",
        [
            "C1,0,2026-10-01T10:00:00+08:00,sms,nps",
            "C2,9,2026-10-01T10:00:00+08:00,sms,recommend",
            "C2,11,2026-10-01T10:01:00+08:00,sms,nps",
        ],
    )
    errors = tmp_path / "errors.jsonl"

    with pytest.raises(CommandError, match="2 line"):
        call_command("import_surveys", str(path), "--errors", str(errors))

    reported = errors.read_text(encoding="utf-8")
    assert '"line":3' in reported
    assert "'question' must be csat" in reported
    assert '"line":4' in reported
    assert "between 0 and 10" in reported
    stored = SurveyResponse.objects.get()
    assert (stored.contact.external_id, stored.question, stored.score) == ("C1", "nps", 0)
