"""The case library: QA files excellent and poor contacts; agents learn from shared ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lingting.core.models import AuditEvent, User
from lingting.interactions.models import Contact
from lingting.quality.models import Case, ReviewAssignment
from lingting.quality.selectors.cases import CaseFilters, cases_for
from lingting.quality.services.cases import CaseInput, case_save

ClientFor = Callable[[User], Client]
pytestmark = pytest.mark.django_db

WITH_PHONE = (
    ("agent", "您好，请问有什么可以帮您？", 0.0, 2.0),
    ("customer", "我的手机号是13812345678，帮我查一下。", 2.5, 6.0),
    ("agent", "好的，已经为您查到，<b>请放心</b>。", 6.5, 9.0),
)


@pytest.fixture
def zhang_call(make_contact: Any) -> Contact:
    contact: Contact = make_contact("C-ZHANG-GOOD", agent="A1002", turns=WITH_PHONE)
    return contact


def test_qa_files_a_contact_as_a_case_from_its_page(
    client_for: ClientFor, zhang_call: Contact, qa_sun: User
) -> None:
    # A QA analyst files the contacts they reviewed (they see only those, and granted ones).
    ReviewAssignment.objects.create(contact=zhang_call, reviewer=qa_sun, kind="sample")
    client = client_for(qa_sun)
    detail = client.get(reverse("interactions:contact_detail", args=[zhang_call.pk]))
    assert f"{reverse('quality:case_create')}?contact={zhang_call.pk}" in detail.content.decode()

    response = client.post(
        f"{reverse('quality:case_create')}?contact={zhang_call.pk}",
        {
            "kind": "excellent",
            "title": "耐心核实号码",
            "note": "先安抚再核实",
            "tags": "话费，核实",
        },
    )

    case = Case.objects.get()
    assert response["Location"] == reverse("quality:case_detail", args=[case.pk])
    assert (case.contact, case.kind, case.tags) == (zhang_call, "excellent", ["核实", "话费"])
    assert not case.shared


@pytest.mark.parametrize("who", ["agent_li", "leader_wang", "ops_zhou"])
def test_only_qa_and_trainers_file_cases(
    client_for: ClientFor, org: Any, zhang_call: Contact, who: str
) -> None:
    url = f"{reverse('quality:case_create')}?contact={zhang_call.pk}"
    response = client_for(org.users[who]).post(url, {"kind": "poor", "title": "x"})

    assert response.status_code == 403
    assert not Case.objects.exists()


def test_agents_read_shared_cases_of_others_with_numbers_masked(
    client_for: ClientFor, zhang_call: Contact, qa_sun: User, agent_li: User
) -> None:
    shared = case_save(
        actor=qa_sun,
        contact=zhang_call,
        case_input=CaseInput(kind="excellent", title="耐心核实号码", shared=True),
    )
    private = case_save(
        actor=qa_sun, contact=zhang_call, case_input=CaseInput(kind="poor", title="未分享")
    )
    li = client_for(agent_li)

    listing = li.get(reverse("quality:case_list")).content.decode()
    page = li.get(reverse("quality:case_detail", args=[shared.pk])).content.decode()

    assert "耐心核实号码" in listing
    assert "未分享" not in listing
    assert li.get(reverse("quality:case_detail", args=[private.pk])).status_code == 404
    assert "13812345678" not in page  # agent_li may not even open this contact otherwise
    assert "138****5678" in page or "138" in page
    assert "&lt;b&gt;请放心&lt;/b&gt;" in page  # transcripts are escaped
    assert AuditEvent.objects.filter(action="case.share", object_id=str(shared.pk)).exists()


def test_qa_supervisor_sees_numbers_masked_in_a_case_too(
    client_for: ClientFor, zhang_call: Contact, qa_sun: User, qa_zhao: User
) -> None:
    case = case_save(
        actor=qa_sun, contact=zhang_call, case_input=CaseInput(kind="excellent", title="t")
    )

    page = client_for(qa_zhao).get(reverse("quality:case_detail", args=[case.pk])).content.decode()

    assert "13812345678" not in page


def test_cases_are_searched_by_kind_tag_and_words(
    make_contact: Any, qa_sun: User, qa_zhao: User
) -> None:
    def filed(kind: str, title: str, tags: list[str]) -> Case:
        return case_save(
            actor=qa_sun,
            contact=make_contact(),
            case_input=CaseInput(kind=kind, title=title, tags=tags),
        )

    good = filed("excellent", "宽带故障安抚", ["宽带"])
    bad = filed("poor", "推诿客户", ["宽带", "态度"])
    filed("poor", "抢话", ["态度"])

    def found(**filters: str) -> set[int]:
        return {c.pk for c in cases_for(user=qa_zhao, filters=CaseFilters(**filters))}

    assert found(kind="excellent") == {good.pk}
    assert found(tag="宽带") == {good.pk, bad.pk}
    assert found(text="推诿") == {bad.pk}
    assert found(kind="poor", tag="宽带") == {bad.pk}
