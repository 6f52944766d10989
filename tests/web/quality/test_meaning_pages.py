"""The contact page and the review page show what the customer felt along the transcript,
whether the problem was solved and the predicted satisfaction — escaped, masked, and only
to those who may see the contact."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from lingting.core.models import User
from lingting.interactions.models import Contact
from lingting.quality.models import AssignmentKind, ReviewAssignment
from tests.web.conftest import ScoredContact

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]

ANGRY_WITH_SCRIPT = (
    ("agent", "您好，很高兴为您服务。", 0.0, 2.0),
    ("customer", "<script>alert(1)</script>我的宽带又断了，你们到底管不管？", 2.5, 6.0),
    ("agent", "这个我不清楚，你自己去营业厅问吧。", 6.5, 10.0),
    ("customer", "什么态度！我要投诉你们！我的手机13812345678", 10.5, 11.5),
)


def opened(client: Client, contact: Contact) -> str:
    response = client.get(reverse("interactions:contact_detail", args=[contact.pk]))
    assert response.status_code == 200
    return response.content.decode()


def turn_html(page: str, index: int) -> str:
    match = re.search(rf'<li class="turn[^"]*" id="turn-{index}".*?</li>', page, re.S)
    assert match, f"turn {index} not on the page"
    return match.group(0)


@pytest.fixture
def angry_call(scored_contact: ScoredContact) -> Contact:
    return scored_contact("C-ANGRY", turns=ANGRY_WITH_SCRIPT)


def test_each_customer_turn_shows_its_emotion_and_the_words_it_rests_on(
    client_for: ClientFor, qa_zhao: User, angry_call: Contact
) -> None:
    page = opened(client_for(qa_zhao), angry_call)

    first, last = turn_html(page, 1), turn_html(page, 3)
    assert '<span class="emo emo-dissatisfied"' in first
    assert "不满 80%" in first
    assert '<span class="emo emo-angry"' in last
    assert "生气 95%" in last
    assert re.search(r'<mark id="emo-3-0" class="ev ev-emotion"[^>]*>什么态度</mark>', last)
    assert "emo-" not in turn_html(page, 2)  # an agent turn has no customer emotion


def test_the_transcript_stays_escaped_around_the_highlights(
    client_for: ClientFor, qa_zhao: User, angry_call: Contact
) -> None:
    page = opened(client_for(qa_zhao), angry_call)

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in turn_html(page, 1)


def test_the_summary_says_start_peak_end_resolution_and_satisfaction_with_why(
    client_for: ClientFor, qa_zhao: User, angry_call: Contact
) -> None:
    page = opened(client_for(qa_zhao), angry_call)

    trajectory = re.search(r'<dd id="meaning-trajectory">(.*?)</dd>', page, re.S)
    assert trajectory
    assert re.findall(r'class="emo emo-\w+">(\S+)</span>', trajectory.group(1)) == [
        "不满",
        "生气",
        "生气",
    ]
    assert "未安抚" in trajectory.group(1)
    resolved = re.search(r'<dd id="meaning-resolved">(.*?)</dd>', page, re.S)
    assert resolved
    assert "未解决" in resolved.group(1)
    assert "客户表示要投诉" in resolved.group(1)
    assert 'href="#turn-3"' in resolved.group(1)
    assert re.search(r'<dd id="meaning-satisfaction"><strong class="tabular">0%</strong>', page)
    why = re.search(r'<ul class="plain-list meaning-why" id="meaning-why">(.*?)</ul>', page, re.S)
    assert why
    assert "结束时客户生气" in why.group(1)
    assert "坐席推诿敷衍" in why.group(1)


def test_an_agent_sees_the_meaning_of_their_own_contact_with_numbers_masked(
    client_for: ClientFor, agent_li: User, angry_call: Contact
) -> None:
    page = opened(client_for(agent_li), angry_call)

    assert 'id="meaning-trajectory"' in page
    assert "13812345678" not in page


def test_an_agent_cannot_open_another_agents_contact_or_its_meaning(
    client_for: ClientFor, agent_zhang: User, angry_call: Contact
) -> None:
    response = client_for(agent_zhang).get(
        reverse("interactions:contact_detail", args=[angry_call.pk])
    )

    assert response.status_code == 404


def test_a_contact_scored_before_meaning_was_stored_says_so(
    client_for: ClientFor, qa_zhao: User, make_contact: Callable[..., Contact]
) -> None:
    contact = make_contact(score=90)

    page = opened(client_for(qa_zhao), contact)

    assert "还没有判断情绪" in page
    assert 'class="emo ' not in page


def test_the_review_page_shows_the_emotion_along_the_transcript_and_the_summary(
    client_for: ClientFor, qa_sun: User, angry_call: Contact
) -> None:
    assignment = ReviewAssignment.objects.create(
        contact=angry_call, reviewer=qa_sun, kind=AssignmentKind.SAMPLE
    )

    page = client_for(qa_sun).get(reverse("quality:review", args=[assignment.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert '<span class="emo emo-angry"' in turn_html(html, 3)
    assert 'id="meaning-trajectory"' in html
    assert "未解决" in html
    assert "<script>alert(1)</script>" not in html
