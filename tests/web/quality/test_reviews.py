"""Reviewing sampled contacts: the queue, the record form, overturns, findings, who reads."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lingting.core.models import AuditEvent, User
from lingting.engine.scorecard_yaml import builtin_scorecard
from lingting.interactions.models import Contact
from lingting.quality.models import (
    AssignmentKind,
    AssignmentStatus,
    Evaluation,
    FindingScope,
    ReviewAssignment,
)
from tests.web.conftest import BRUSH_OFF, ScoredContact

ClientFor = Callable[[User], Client]
pytestmark = pytest.mark.django_db
STANDARD = builtin_scorecard()


def assign(contact: Contact, reviewer: User, kind: str = AssignmentKind.SAMPLE) -> ReviewAssignment:
    return ReviewAssignment.objects.create(contact=contact, reviewer=reviewer, kind=kind)


def answers_as_auto(contact: Contact, **changes: str) -> dict[str, str]:
    """The form as a reviewer who accepts the engine and passes every manual item sends it."""
    auto = {i["item"]: i["result"] for i in contact.current_score.items}  # type: ignore[union-attr]
    data = {
        f"result_{item.id}": auto.get(item.id)
        if auto.get(item.id) in {"pass", "fail", "na"}
        else "pass"
        for item in STANDARD.items
    }
    data.update(changes)
    return data


class _CheckedRadios(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.checked: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "input" and values.get("type") == "radio" and "checked" in values:
            self.checked[str(values["name"])] = str(values["value"])


def checked_radios(page: str) -> dict[str, str]:
    parser = _CheckedRadios()
    parser.feed(page)
    return parser.checked


@pytest.fixture
def brush_off(scored_contact: ScoredContact) -> Contact:
    return scored_contact("C-BRUSH-OFF", agent="A1001", turns=BRUSH_OFF)


def test_reviewer_sees_only_own_queue(
    client_for: ClientFor,
    brush_off: Contact,
    scored_contact: ScoredContact,
    qa_sun: User,
    qa_zhao: User,
) -> None:
    other = scored_contact("C-OTHER")
    assign(brush_off, qa_sun)
    assign(other, qa_zhao)

    page = client_for(qa_sun).get(reverse("quality:review_queue")).content.decode()

    assert "C-BRUSH-OFF" in page
    assert "C-OTHER" not in page


@pytest.mark.parametrize("who", ["agent_li", "leader_wang", "ops_zhou", "planner_qian"])
def test_people_who_do_not_review_have_no_queue(client_for: ClientFor, org: Any, who: str) -> None:
    assert client_for(org.users[who]).get(reverse("quality:review_queue")).status_code == 403


def test_a_reviewer_cannot_open_anothers_assignment(
    client_for: ClientFor, brush_off: Contact, qa_sun: User, qa_zhao: User, org: Any
) -> None:
    assignment = assign(brush_off, qa_zhao)
    url = reverse("quality:review", args=[assignment.pk])

    assert client_for(qa_sun).get(url).status_code == 404
    assert client_for(org.users["agent_li"]).get(url).status_code == 404
    assert client_for(qa_sun).post(url, answers_as_auto(brush_off)).status_code == 404
    assert not Evaluation.objects.exists()


def test_review_page_shows_transcript_and_prefills_auto_items(
    client_for: ClientFor, brush_off: Contact, qa_sun: User
) -> None:
    assignment = assign(brush_off, qa_sun)

    page = client_for(qa_sun).get(reverse("quality:review", args=[assignment.pk])).content.decode()

    assert "你自己去营业厅问吧" in page
    assert "客户代表监督记录表" in page
    checked = checked_radios(page)
    assert checked["result_forbidden_phrases"] == "fail"  # the engine's answer, to confirm
    assert checked["result_opening"] == "pass"
    assert "result_patience" not in checked  # a manual item: the reviewer must decide


def test_overturning_without_a_reason_is_refused_and_nothing_is_saved(
    client_for: ClientFor, brush_off: Contact, qa_sun: User
) -> None:
    assignment = assign(brush_off, qa_sun)

    response = client_for(qa_sun).post(
        reverse("quality:review", args=[assignment.pk]),
        answers_as_auto(brush_off, result_forbidden_phrases="pass"),
    )

    assert response.status_code == 200
    assert "推翻自动质检结果（fail → pass）须写明理由" in response.content.decode()
    assert not Evaluation.objects.exists()
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.PENDING


def test_submitting_the_record_scores_it_keeps_findings_and_audits_overturns(
    client_for: ClientFor, brush_off: Contact, scored_contact: ScoredContact, qa_sun: User
) -> None:
    assignment = assign(brush_off, qa_sun)
    following = assign(scored_contact("C-NEXT"), qa_sun)
    data = answers_as_auto(
        brush_off,
        result_patience="fail",
        result_forbidden_phrases="pass",
        reason_forbidden_phrases="客户先挂断，非推诿",
        summary="服务态度差",
        coaching_proposed="on",
        coaching_note="回放录音，练习安抚话术",
        training_need="宽带故障处理流程",
    )
    data |= {
        "finding_note": ["推诿客户", ""],
        "finding_scope": ["individual", "common"],
        "finding_item": ["patience", ""],
        "finding_turn": ["2", ""],
        "finding_start": ["7", ""],
        "finding_end": ["15", ""],
    }

    response = client_for(qa_sun).post(reverse("quality:review", args=[assignment.pk]), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("quality:review", args=[following.pk])  # next one
    evaluation = Evaluation.objects.get()
    patience = evaluation.items.get(item="patience")
    forbidden = evaluation.items.get(item="forbidden_phrases")
    assert patience.result == "fail"
    assert patience.points_lost == patience.points
    assert forbidden.overturned
    assert forbidden.auto_result == "fail"
    assert evaluation.passed  # patience is a B-class item: points lost, still 合格
    assert evaluation.score < 100
    assert evaluation.coaching_proposed
    assert evaluation.training_need == "宽带故障处理流程"
    finding = evaluation.findings.get()
    assert (finding.quote, finding.scope, finding.item) == (
        "你自己去营业厅问",
        FindingScope.INDIVIDUAL,
        "patience",
    )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SUBMITTED
    event = AuditEvent.objects.get(action="evaluation.submit")
    assert event.actor == qa_sun
    assert event.before == {
        "score": brush_off.current_score.score,
        "passed": False,
        "source": "auto",
    }  # type: ignore[union-attr]
    assert event.after["overturned"] == {"forbidden_phrases": ["fail", "pass"]}
    assert "客户先挂断，非推诿" in event.note


def test_a_record_is_submitted_once(
    client_for: ClientFor, brush_off: Contact, qa_sun: User
) -> None:
    assignment = assign(brush_off, qa_sun)
    url = reverse("quality:review", args=[assignment.pk])
    client = client_for(qa_sun)
    client.post(url, answers_as_auto(brush_off))

    again = client.post(url, answers_as_auto(brush_off))

    assert "这条联络已经评过分了" in again.content.decode()
    assert Evaluation.objects.count() == 1


def test_a_finding_pointing_outside_the_transcript_is_refused(
    client_for: ClientFor, brush_off: Contact, qa_sun: User
) -> None:
    assignment = assign(brush_off, qa_sun)
    data = answers_as_auto(brush_off) | {
        "finding_note": ["不存在的位置"],
        "finding_scope": ["common"],
        "finding_item": [""],
        "finding_turn": ["9"],
        "finding_start": ["0"],
        "finding_end": ["3"],
    }

    response = client_for(qa_sun).post(reverse("quality:review", args=[assignment.pk]), data)

    assert "引用的对话位置不存在" in response.content.decode()
    assert not Evaluation.objects.exists()


def submitted(
    client_for: ClientFor, contact: Contact, reviewer: User, kind: str = AssignmentKind.SAMPLE
) -> Evaluation:
    assignment = assign(contact, reviewer, kind)
    data = answers_as_auto(contact) | {"summary": "<script>alert(1)</script>"}
    client_for(reviewer).post(reverse("quality:review", args=[assignment.pk]), data)
    return Evaluation.objects.get(assignment=assignment)


def test_agents_read_their_own_records_only(
    client_for: ClientFor, brush_off: Contact, scored_contact: ScoredContact, qa_sun: User, org: Any
) -> None:
    own = submitted(client_for, brush_off, qa_sun)
    zhang = submitted(client_for, scored_contact("C-ZHANG", agent="A1002"), qa_sun)
    li = client_for(org.users["agent_li"])

    page = li.get(reverse("quality:evaluation_detail", args=[own.pk]))

    assert page.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.content.decode()
    assert li.get(reverse("quality:evaluation_detail", args=[zhang.pk])).status_code == 404
    assert (
        client_for(org.users["leader_wang"])
        .get(reverse("quality:evaluation_detail", args=[own.pk]))
        .status_code
        == 200
    )
    assert (
        client_for(org.users["leader_liu"])
        .get(reverse("quality:evaluation_detail", args=[own.pk]))
        .status_code
        == 404
    )


def test_calibration_records_are_not_shown_to_agents(
    client_for: ClientFor, brush_off: Contact, qa_sun: User, qa_zhao: User, org: Any
) -> None:
    practice = submitted(client_for, brush_off, qa_sun, kind=AssignmentKind.CALIBRATION)
    url = reverse("quality:evaluation_detail", args=[practice.pk])

    assert client_for(org.users["agent_li"]).get(url).status_code == 404
    assert client_for(qa_zhao).get(url).status_code == 200
    assert not AuditEvent.objects.filter(action="evaluation.submit").exists()


def test_a_rescore_that_changes_a_score_is_in_the_contacts_audit_trail(
    brush_off: Contact, scored_contact: ScoredContact
) -> None:
    from lingting.engine.scorecard_yaml import parse_scorecard
    from lingting.quality.services import contacts_score, scorecard_load, scorecard_version_activate

    empty = scored_contact("C-EMPTY", turns=(("customer", "喂？", 0.0, 1.0),))
    # 服务禁语 now weighs 10 points: every contact with a deduction scores differently.
    text = STANDARD.source_text.replace('version: "2026.1"', 'version: "2026.2"').replace(
        "        points: 5\n        severity: A", "        points: 10\n        severity: A", 1
    )
    version = scorecard_load(scorecard=parse_scorecard(text, source="2026.2.yaml"), actor=None)
    scorecard_version_activate(version=version, actor=None, rescore=False)
    before = brush_off.current_score.score  # type: ignore[union-attr]

    contacts_score(contact_ids=[brush_off.pk, empty.pk], version=version)

    event = AuditEvent.objects.get(action="score.rescore", object_id=str(brush_off.pk))
    assert (event.before["score"], event.before["passed"]) == (before, False)
    assert event.before["version"].startswith("2026.1+")
    assert event.after["score"] != before
    assert event.after["version"] == version.label
    assert "2026.2" in event.note
    empty.refresh_from_db()
    unchanged = empty.current_score.score == empty.scores.exclude(version=version).get().score  # type: ignore[union-attr]
    assert (
        AuditEvent.objects.filter(object_id=str(empty.pk), action="score.rescore").exists()
        != unchanged
    )


def test_the_contact_page_shows_its_score_history(
    client_for: ClientFor, brush_off: Contact, qa_sun: User, org: Any
) -> None:
    assignment = assign(brush_off, qa_sun)
    data = answers_as_auto(
        brush_off, result_forbidden_phrases="pass", reason_forbidden_phrases="语境中并非推诿"
    )
    client_for(qa_sun).post(reverse("quality:review", args=[assignment.pk]), data)

    page = client_for(org.users["agent_li"]).get(
        reverse("interactions:contact_detail", args=[brush_off.pk])
    )

    history = page.content.decode().split('id="score-history"')[1].split("</ul>")[0]
    assert "孙丽" in history
    assert "87.2 → " in history
    assert "服务禁语：语境中并非推诿" in history


def test_in_english_items_carry_the_scorecards_english_titles(
    client_for: ClientFor, brush_off: Contact, qa_sun: User
) -> None:
    assignment = assign(brush_off, qa_sun)
    client = client_for(qa_sun)
    client.post(reverse("set_language"), {"language": "en"})

    review = client.get(reverse("quality:review", args=[assignment.pk])).content.decode()
    detail = client.get(
        reverse("interactions:contact_detail", args=[brush_off.pk])
    ).content.decode()

    assert "Forbidden phrases" in review
    assert "Forbidden phrases" in detail
    assert "服务禁语" not in detail.split('id="items-title"')[1].split("</section>")[0]


def test_review_page_explains_each_automatic_item_beside_its_result(
    client_for: ClientFor, scored_contact: ScoredContact, qa_sun: User
) -> None:
    """A reviewer overturns knowingly: the rule's explanation and the data it used (the
    ring count, the matched words) stand beside the machine's answer, as on the contact
    page."""
    slow = scored_contact("C-SLOW", agent="A1001", turns=BRUSH_OFF, rings=5)
    assignment = assign(slow, qa_sun)

    page = client_for(qa_sun).get(reverse("quality:review", args=[assignment.pk])).content.decode()

    answer_speed = page.split('data-item="answer_speed"')[1].split("</li>\n")[0]
    assert "响铃 5 声才接听" in answer_speed
    forbidden = page.split('data-item="forbidden_phrases"')[1].split('data-item="')[0]
    assert "客服说了“不清楚”" in forbidden
    assert "<q>不清楚</q>" in forbidden  # the matched words, linked to the transcript
    assert 'href="#ev-forbidden_phrases-0"' in forbidden
