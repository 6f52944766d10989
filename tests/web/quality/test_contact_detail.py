"""One contact's page: transcript with evidence, items, CDR facts, masking, escaping."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lingting.core.models import User
from lingting.interactions.models import Contact

ClientFor = Callable[[User], Client]

PHONE_TURNS = (
    ("agent", "请问您的联系电话是多少？", 0.0, 2.5),
    ("customer", "我的手机是13812345678，你自己去查吧。", 3.0, 7.5),
    ("agent", "你自己去查吧，我这边查不到。", 8.0, 12.0),
)


def detail_url(contact: Contact) -> str:
    return reverse("interactions:contact_detail", args=[contact.pk])


def opened(client: Client, contact: Contact) -> str:
    response = client.get(detail_url(contact))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def phone_call(make_contact: Any) -> Contact:
    item = make_contact.forbidden_phrase_item(2, 0, 6, "你自己去查吧")
    contact: Contact = make_contact(
        "C-PHONE",
        turns=PHONE_TURNS,
        score=80,
        items=[item, make_contact.passed_item("opening", "开头语")],
        customer="U88812",
        rings=2,
        wait_s=6.0,
        talk_s=329.0,
        hold_s=0.0,
        hangup_by="customer",
        disposition="answered",
        tags=["5G套餐"],
        extra={"caller": "13812345678", "ivr_path": "1-3"},
    )
    return contact


def test_agent_sees_masked_phone(
    client_for: ClientFor, agent_li: User, phone_call: Contact
) -> None:
    page = opened(client_for(agent_li), phone_call)

    assert "13812345678" not in page
    assert "138****5678" in page
    assert "个人号码已脱敏" in page


def test_qa_supervisor_sees_unmasked_phone(
    client_for: ClientFor, qa_zhao: User, phone_call: Contact
) -> None:
    page = opened(client_for(qa_zhao), phone_call)

    assert '<span class="pii">13812345678</span>' in page
    assert "个人号码完整显示" in page


@pytest.mark.parametrize("role_user", ["leader_wang", "ops_zhou"])
def test_other_roles_see_masked_phone(
    client_for: ClientFor, org: Any, role_user: str, phone_call: Contact
) -> None:
    page = opened(client_for(org.users[role_user]), phone_call)

    assert "13812345678" not in page


def test_extra_fields_are_masked_too(
    client_for: ClientFor, ops_zhou: User, phone_call: Contact
) -> None:
    page = opened(client_for(ops_zhou), phone_call)

    assert "caller" in page
    assert "1-3" in page
    assert "13812345678" not in page


def test_customer_id_that_is_a_phone_number_is_masked(
    client_for: ClientFor, ops_zhou: User, make_contact: Any
) -> None:
    contact = make_contact(customer="13987654321")

    response = client_for(ops_zhou).get(detail_url(contact))

    assert dict(response.context["detail"].facts)["客户"] == "139****4321"
    assert "13987654321" not in response.content.decode()


def test_evidence_is_highlighted_with_an_anchor_the_item_links_to(
    client_for: ClientFor, qa_zhao: User, phone_call: Contact
) -> None:
    page = opened(client_for(qa_zhao), phone_call)

    mark = re.search(r'<mark id="ev-forbidden_phrases-0" class="ev"[^>]*>([^<]*)</mark>', page)
    assert mark is not None
    assert mark.group(1) == "你自己去查吧"
    assert 'href="#ev-forbidden_phrases-0"' in page
    # The customer said the same words: only the agent's turn, the evidence, is marked.
    assert page.count("<mark") == 1


def test_items_show_result_points_severity_and_detail(
    client_for: ClientFor, qa_zhao: User, phone_call: Contact
) -> None:
    response = client_for(qa_zhao).get(detail_url(phone_call))
    items = {i.item: i for i in response.context["detail"].items}

    forbidden = items["forbidden_phrases"]
    assert (forbidden.result, forbidden.points_lost, forbidden.severity) == ("fail", 10.0, "A")
    assert forbidden.evidence[0].text == "你自己去查吧"
    assert items["opening"].result_label == "通过"
    page = response.content.decode()
    assert "坐席使用了服务禁语" in page
    assert "−10" in page
    assert "标准质检评分表" in page


def test_cdr_facts_are_listed(client_for: ClientFor, qa_zhao: User, phone_call: Contact) -> None:
    response = client_for(qa_zhao).get(detail_url(phone_call))
    facts = dict(response.context["detail"].facts)

    assert facts["ACD组"] == "话费查询"
    assert facts["坐席"] == "李娜 (A1001)"
    assert facts["班组"] == "一班"
    assert facts["开始时间"] == "2026-10-01 09:01:00"
    assert (facts["响铃次数"], facts["等待"], facts["挂机方"]) == ("2", "6 秒", "客户")
    assert facts["结果"] == "已接听"
    assert facts["标签"] == "5G套餐"


def test_turns_show_speaker_side_and_mm_ss(
    client_for: ClientFor, qa_zhao: User, phone_call: Contact
) -> None:
    page = opened(client_for(qa_zhao), phone_call)

    assert 'class="turn turn-customer"' in page
    assert 'class="turn turn-agent"' in page
    assert '<time class="clock">0:08</time>' in page


def test_transcript_is_escaped(client_for: ClientFor, qa_zhao: User, make_contact: Any) -> None:
    contact = make_contact(turns=[("customer", "<script>alert(1)</script>")])

    page = opened(client_for(qa_zhao), contact)

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_evidence_inside_escaped_text_keeps_offsets(
    client_for: ClientFor, qa_zhao: User, make_contact: Any
) -> None:
    text = "<b>你自己去查吧</b>"
    item = make_contact.forbidden_phrase_item(0, 3, 9, "你自己去查吧")
    contact = make_contact(turns=[("agent", text)], score=90, items=[item])

    page = opened(client_for(qa_zhao), contact)

    assert "&lt;b&gt;<mark" in page
    assert "你自己去查吧</mark>&lt;/b&gt;" in page


def test_unscored_cdr_only_contact_renders(
    client_for: ClientFor, qa_zhao: User, make_contact: Any
) -> None:
    contact = make_contact(turns=[], talk_s=None)

    page = opened(client_for(qa_zhao), contact)

    assert "未评分" in page
    assert "仅话单" in page


def test_detail_page_query_count_does_not_grow_with_turns(
    client_for: ClientFor,
    qa_zhao: User,
    make_contact: Any,
    django_assert_max_num_queries: Any,
) -> None:
    turns = [
        ("agent" if n % 2 else "customer", f"第{n}句", n * 2.0, n * 2.0 + 1) for n in range(60)
    ]
    contact = make_contact(
        turns=turns, score=88, items=[make_contact.passed_item("opening", "开头语")]
    )
    client = client_for(qa_zhao)

    # session + user, the contact with queue/agent/team/customer/score/version, its turns,
    # its monitoring records, its score history, its recording, the top bar's unread
    # notifications and unread must-reads
    with django_assert_max_num_queries(9):
        client.get(detail_url(contact))
