"""Why dissatisfied customers were dissatisfied (issue 17; seed 004's people / process /
product / network): coded from their words by rules a manager edits, or set by hand."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from lingting.core.models import AuditEvent, User
from lingting.surveys.models import SurveyResponse
from tests.conftest import SHANGHAI, ContactFactory

pytestmark = pytest.mark.django_db
DAY = {"date_from": "2026-10-01", "date_to": "2026-10-01"}


@pytest.fixture
def unhappy(make_contact: ContactFactory) -> list[SurveyResponse]:
    answers = [
        (2, "客服态度太差"),
        (1, "宽带断网三天了"),
        (2, "乱收费"),
        (1, "我的号码13812345678一直打不进来"),
        (2, "说不上来"),
        (5, "态度很好"),  # satisfied: not counted
    ]
    responses = []
    for n, (score, comment) in enumerate(answers):
        contact = make_contact(agent="A1001")
        responses.append(
            SurveyResponse.objects.create(
                contact=contact,
                channel="sms",
                score=score,
                answered_at=datetime(2026, 10, 1, 12, n, tzinfo=SHANGHAI),
                comment=comment,
            )
        )
    return responses


def reason_table(html: str) -> str:
    return html[
        html.index('id="csat-reasons"') : html.index("</table>", html.index("csat-reasons"))
    ]


def test_the_page_codes_the_dissatisfied_by_the_default_words(
    unhappy: list[SurveyResponse], client_for: Any, ops_zhou: User
) -> None:
    html = client_for(ops_zhou).get("/surveys/", DAY).content.decode()
    table = reason_table(html)

    assert "人员" in table
    assert '<td class="num">5</td>' in table  # five dissatisfied
    # people 1, network 2 (断网, 打不进来 is not a network word: 打不通 is), product 1, uncoded 1
    assert "20.0%" in table
    assert "未识别" in table


def test_a_manager_sets_a_reason_by_hand_and_it_wins_over_the_words(
    unhappy: list[SurveyResponse], client_for: Any, ops_zhou: User
) -> None:
    vague = unhappy[4]
    answer = client_for(ops_zhou).post(
        f"/surveys/responses/{vague.pk}/reason/", {"reason": "process", "next": "/surveys/?x=1"}
    )

    assert answer.status_code == 302
    assert answer["Location"] == "/surveys/?x=1"
    vague.refresh_from_db()
    assert vague.reason == "process"
    assert AuditEvent.objects.filter(action="survey_response.reason").exists()
    bad = client_for(ops_zhou).post(f"/surveys/responses/{vague.pk}/reason/", {"reason": "x"})
    assert bad.status_code == 400
    outside = client_for(ops_zhou).post(
        f"/surveys/responses/{vague.pk}/reason/", {"reason": "", "next": "https://evil.example/"}
    )
    assert outside["Location"] == "/surveys/"


def test_an_agent_may_not_code_reasons(
    unhappy: list[SurveyResponse], client_for: Any, agent_li: User
) -> None:
    answer = client_for(agent_li).post(
        f"/surveys/responses/{unhappy[0].pk}/reason/", {"reason": "network"}
    )

    assert answer.status_code == 403
    assert client_for(agent_li).get("/surveys/reasons/").status_code == 403


def test_a_manager_edits_the_words_and_a_bad_line_is_named(
    unhappy: list[SurveyResponse], client_for: Any, qa_zhao: User
) -> None:
    client = client_for(qa_zhao)
    assert "people:" in client.get("/surveys/reasons/").content.decode()

    bad = client.post("/surveys/reasons/", {"rules": "people: 态度\nstaff: 凶"})
    assert bad.status_code == 400
    assert "line 2" in bad.content.decode()

    saved = client.post("/surveys/reasons/", {"rules": "network: 打不进来, 断网"})
    assert saved.status_code == 302
    table = reason_table(client.get("/surveys/", DAY).content.decode())
    assert "40.0%" in table  # network: 断网 and 打不进来 of five
    assert AuditEvent.objects.filter(action="survey_settings.reason_rules").exists()


def test_the_comments_show_the_coded_reason_with_numbers_masked(
    unhappy: list[SurveyResponse], client_for: Any, leader_wang: User
) -> None:
    html = client_for(leader_wang).get("/surveys/", DAY).content.decode()
    comments = html[html.index('id="csat-comments"') :]

    assert "13812345678" not in comments
    assert "网络" in comments  # 宽带断网: network, read-only for a team leader
    assert "<select" not in comments
