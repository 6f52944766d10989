"""Disputes (申诉): an agent contests an item, a QA supervisor decides, people are told,
the score and the audit trail follow, and the report counts them per reviewer and item."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lingting.core.models import AuditEvent, Notification, User
from lingting.core.services import notification_send
from lingting.interactions.models import Contact
from lingting.quality.models import AssignmentKind, Dispute, DisputeStatus, Evaluation
from lingting.quality.services.disputes import dispute_decide, dispute_raise
from tests.web.conftest import BRUSH_OFF, ScoredContact
from tests.web.quality.test_reviews import answers_as_auto, assign

ClientFor = Callable[[User], Client]
pytestmark = pytest.mark.django_db

# The brush-off call, reviewed as the engine found it: 服务禁语 (A, 5 points) and 结束语
# (B, 3 points) fail, and so does 致歉语 (B, 3 points: the customer asks 你们到底管不管 and
# gets no apology), so the record scores 87.2 and, with an A-class failure, is 不合格.
SCORE_AS_REVIEWED = 87.2
SCORE_WITHOUT_FORBIDDEN_PHRASE = 93.0


def reviewed(
    client_for: ClientFor, contact: Contact, reviewer: User, kind: str = AssignmentKind.SAMPLE
) -> Evaluation:
    """The monitoring record `reviewer` submits through the review page."""
    assignment = assign(contact, reviewer, kind)
    client_for(reviewer).post(
        reverse("quality:review", args=[assignment.pk]), answers_as_auto(contact)
    )
    return Evaluation.objects.get(assignment=assignment)


def raise_dispute(
    client: Client,
    record: Evaluation,
    item: str = "forbidden_phrases",
    reason: str = "我没说",
    follow: bool = False,
) -> Any:
    return client.post(
        reverse("quality:dispute_create", args=[record.pk]),
        {"item": item, "reason": reason},
        follow=follow,
    )


def decide(client: Client, dispute: Dispute, decision: str, note: str = "复听录音") -> Any:
    return client.post(
        reverse("quality:dispute_detail", args=[dispute.pk]), {"decision": decision, "note": note}
    )


@pytest.fixture
def record(client_for: ClientFor, scored_contact: ScoredContact, qa_sun: User) -> Evaluation:
    """agent_li's brush-off call, reviewed by qa_sun. The notice of its publication
    (test_my_scores) is cleared, so each test reads what the dispute adds."""
    record = reviewed(
        client_for, scored_contact("C-BRUSH-OFF", agent="A1001", turns=BRUSH_OFF), qa_sun
    )
    Notification.objects.filter(user__agent=record.contact.agent).delete()
    return record


@pytest.fixture
def dispute(record: Evaluation, agent_li: User) -> Dispute:
    return dispute_raise(
        agent_user=agent_li,
        evaluation=record,
        item="forbidden_phrases",
        reason="客户先说的“去营业厅”，我是在复述",
    )


def test_agent_disputes_an_item_and_supervisors_are_told(
    client_for: ClientFor, record: Evaluation, agent_li: User, qa_zhao: User, qa_sun: User
) -> None:
    response = raise_dispute(client_for(agent_li), record, reason="客户先挂断")

    dispute = Dispute.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("quality:dispute_detail", args=[dispute.pk])
    assert (dispute.item, dispute.raised_by, dispute.status) == (
        "forbidden_phrases",
        agent_li,
        DisputeStatus.OPEN,
    )
    told = Notification.objects.get()
    assert told.user == qa_zhao  # the QA supervisor, not the analyst
    assert "服务禁语" in told.text
    assert "C-BRUSH-OFF" in told.text
    assert told.url == reverse("quality:dispute_detail", args=[dispute.pk])
    event = AuditEvent.objects.get(action="dispute.raise")
    assert (event.actor, event.object_id, event.note) == (
        agent_li,
        str(record.contact_id),
        "客户先挂断",
    )


def test_agent_wins_a_dispute_the_score_rises_and_everyone_concerned_is_told(
    client_for: ClientFor,
    record: Evaluation,
    dispute: Dispute,
    agent_li: User,
    qa_zhao: User,
    qa_sun: User,
) -> None:
    assert (record.score, record.passed) == (SCORE_AS_REVIEWED, False)

    response = decide(client_for(qa_zhao), dispute, "overturn", note="复听录音：是复述客户原话")

    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.score, record.passed, record.severity_a, record.severity_b) == (
        SCORE_WITHOUT_FORBIDDEN_PHRASE,
        True,
        0,
        2,
    )
    item = record.items.get(item="forbidden_phrases")
    assert (item.result, item.points_lost, item.auto_result, item.overturned) == (
        "pass",
        0,
        "fail",
        True,
    )
    assert item.reason == "复听录音：是复述客户原话"
    assert record.items.get(item="closing").result == "fail"  # the rest stands
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.OVERTURNED
    assert (dispute.decided_by, dispute.score_before, dispute.score_after) == (
        qa_zhao,
        SCORE_AS_REVIEWED,
        SCORE_WITHOUT_FORBIDDEN_PHRASE,
    )
    event = AuditEvent.objects.get(action="dispute.decide")
    assert (event.actor, event.object_type, event.object_id) == (
        qa_zhao,
        "contact",
        str(record.contact_id),
    )
    assert event.before is not None
    assert event.after is not None
    assert (event.before["score"], event.before["passed"], event.before["result"]) == (
        SCORE_AS_REVIEWED,
        False,
        "fail",
    )
    assert (event.after["score"], event.after["passed"], event.after["result"]) == (
        SCORE_WITHOUT_FORBIDDEN_PHRASE,
        True,
        "pass",
    )
    assert event.after["status"] == "overturned"
    assert event.note == "复听录音：是复述客户原话"
    record_url = reverse("quality:evaluation_detail", args=[record.pk])
    for person in (agent_li, qa_sun):
        told = Notification.objects.get(user=person)
        assert told.url == record_url
        assert "87.2 → 93：" in told.text


def test_agent_reads_the_decision_in_notifications_and_marks_them_read(
    client_for: ClientFor, dispute: Dispute, agent_li: User, qa_zhao: User
) -> None:
    dispute_decide(supervisor=qa_zhao, dispute=dispute, overturn=True, note="复述客户原话")
    li = client_for(agent_li)

    page = li.get(reverse("core:notification_list")).content.decode()

    assert "申诉成立" in page
    assert "C-BRUSH-OFF" in page
    assert '<span class="notif-count" id="unread-count"' in page
    assert li.post(reverse("core:notifications_read")).status_code == 302
    assert not Notification.objects.filter(user=agent_li, read_at__isnull=True).exists()
    assert 'id="unread-count"' not in li.get(reverse("core:notification_list")).content.decode()
    # qa_zhao's notice of the dispute is still unread: marking is per user
    assert Notification.objects.filter(user=qa_zhao, read_at__isnull=True).count() == 1


def test_notifications_are_private(
    client_for: ClientFor, dispute: Dispute, agent_zhang: User
) -> None:
    page = client_for(agent_zhang).get(reverse("core:notification_list")).content.decode()

    assert "C-BRUSH-OFF" not in page
    assert "没有通知" in page


def test_supervisor_upholds_a_dispute_the_score_stands_and_the_agent_is_told(
    client_for: ClientFor, record: Evaluation, dispute: Dispute, agent_li: User, qa_zhao: User
) -> None:
    decide(client_for(qa_zhao), dispute, "uphold", note="录音中确为禁语")

    record.refresh_from_db()
    assert (record.score, record.passed) == (SCORE_AS_REVIEWED, False)
    assert record.items.get(item="forbidden_phrases").result == "fail"
    dispute.refresh_from_db()
    assert (dispute.status, dispute.score_before, dispute.score_after) == (
        DisputeStatus.UPHELD,
        SCORE_AS_REVIEWED,
        SCORE_AS_REVIEWED,
    )
    assert "维持原判" in Notification.objects.get(user=agent_li).text
    assert AuditEvent.objects.get(action="dispute.decide").note == "录音中确为禁语"


@pytest.mark.parametrize(
    ("who", "status"),
    [("agent_zhang", 404), ("qa_sun", 403), ("leader_wang", 403), ("qa_zhao", 403)],
)
def test_only_the_agent_of_the_record_may_dispute_it(
    client_for: ClientFor, record: Evaluation, org: Any, who: str, status: int
) -> None:
    assert raise_dispute(client_for(org.users[who]), record).status_code == status
    assert not Dispute.objects.exists()


def test_agent_cannot_dispute_a_calibration_record(
    client_for: ClientFor, scored_contact: ScoredContact, agent_li: User, qa_sun: User
) -> None:
    practice = reviewed(
        client_for,
        scored_contact("C-PRACTICE", turns=BRUSH_OFF),
        qa_sun,
        AssignmentKind.CALIBRATION,
    )

    assert raise_dispute(client_for(agent_li), practice).status_code == 404  # not even seen
    with pytest.raises(ValidationError, match="校准评分"):
        dispute_raise(
            agent_user=agent_li, evaluation=practice, item="forbidden_phrases", reason="x"
        )
    assert not Dispute.objects.exists()


@pytest.mark.parametrize(
    ("item", "reason", "message"),
    [
        ("opening", "我说了开头语", "这一项没有扣分"),
        ("no_such_item", "理由", "没有这一评分项"),
        ("forbidden_phrases", "   ", "请写明申诉理由"),
    ],
)
def test_agent_disputes_only_items_that_cost_points_and_says_why(
    client_for: ClientFor, record: Evaluation, agent_li: User, item: str, reason: str, message: str
) -> None:
    response = raise_dispute(client_for(agent_li), record, item=item, reason=reason, follow=True)

    assert response.redirect_chain == [
        (reverse("quality:evaluation_detail", args=[record.pk]), 302)
    ]
    assert message in response.content.decode()
    assert not Dispute.objects.exists()


def test_an_item_is_disputed_once(
    client_for: ClientFor, record: Evaluation, dispute: Dispute, agent_li: User
) -> None:
    page = raise_dispute(
        client_for(agent_li), record, reason="再申诉一次", follow=True
    ).content.decode()

    assert "这一项已经申诉过了" in page
    assert Dispute.objects.count() == 1


def test_agent_cannot_dispute_after_the_window(
    client_for: ClientFor, record: Evaluation, agent_li: User, settings: Any
) -> None:
    Evaluation.objects.filter(pk=record.pk).update(
        submitted_at=timezone.now() - timedelta(days=7, minutes=1)
    )

    page = raise_dispute(
        client_for(agent_li), record, reason="太晚了", follow=True
    ).content.decode()

    assert "已超过申诉期限" in page
    assert not Dispute.objects.exists()
    assert 'name="reason"' not in page  # the record page no longer offers it

    settings.LINGTING_DISPUTE_DAYS = 10
    raise_dispute(client_for(agent_li), record)
    assert Dispute.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("qa_sun", 403),
        ("leader_wang", 403),
        ("agent_li", 403),
        ("ops_zhou", 403),
        ("agent_zhang", 404),
    ],
)
def test_only_a_qa_supervisor_decides(
    client_for: ClientFor, record: Evaluation, dispute: Dispute, org: Any, who: str, status: int
) -> None:
    assert decide(client_for(org.users[who]), dispute, "overturn").status_code == status
    dispute.refresh_from_db()
    record.refresh_from_db()
    assert dispute.status == DisputeStatus.OPEN
    assert record.score == SCORE_AS_REVIEWED
    with pytest.raises(PermissionDenied):
        dispute_decide(supervisor=org.users["qa_sun"], dispute=dispute, overturn=True, note="x")


def test_a_decision_needs_a_note(client_for: ClientFor, dispute: Dispute, qa_zhao: User) -> None:
    response = decide(client_for(qa_zhao), dispute, "overturn", note="")

    assert response.status_code == 200
    assert 'id="decide-form"' in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.OPEN


def test_a_dispute_is_decided_once(
    client_for: ClientFor, record: Evaluation, dispute: Dispute, qa_zhao: User
) -> None:
    client = client_for(qa_zhao)
    decide(client, dispute, "overturn")

    again = client.post(
        reverse("quality:dispute_detail", args=[dispute.pk]),
        {"decision": "uphold", "note": "改主意了"},
        follow=True,
    )

    assert "这条申诉已经处理过了" in again.content.decode()
    with pytest.raises(ValidationError, match="已经处理过了"):
        dispute_decide(supervisor=qa_zhao, dispute=dispute, overturn=False, note="改主意了")
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.OVERTURNED
    assert AuditEvent.objects.filter(action="dispute.decide").count() == 1


def test_leader_sees_the_disputes_of_their_team_only(
    client_for: ClientFor, dispute: Dispute, org: Any
) -> None:
    url = reverse("quality:dispute_detail", args=[dispute.pk])
    listing = reverse("quality:dispute_list")

    assert client_for(org.users["leader_wang"]).get(url).status_code == 200
    assert "C-BRUSH-OFF" in client_for(org.users["leader_wang"]).get(listing).content.decode()
    assert client_for(org.users["leader_liu"]).get(url).status_code == 404
    assert "C-BRUSH-OFF" not in client_for(org.users["leader_liu"]).get(listing).content.decode()
    assert client_for(org.users["agent_zhang"]).get(url).status_code == 404
    assert "C-BRUSH-OFF" not in client_for(org.users["agent_zhang"]).get(listing).content.decode()
    assert client_for(org.users["agent_li"]).get(url).status_code == 200
    assert client_for(org.users["qa_sun"]).get(url).status_code == 200


def test_planners_have_no_dispute_pages(client_for: ClientFor, org: Any) -> None:
    planner = client_for(org.users["planner_qian"])

    assert planner.get(reverse("quality:dispute_list")).status_code == 403
    assert (
        reverse("quality:dispute_list")
        not in planner.get(reverse("core:notification_list")).content.decode()
    )


def test_supervisor_sees_the_open_queue_first_with_the_decision_form(
    client_for: ClientFor, dispute: Dispute, qa_zhao: User, qa_sun: User
) -> None:
    listing = client_for(qa_zhao).get(reverse("quality:dispute_list")).content.decode()
    detail = client_for(qa_zhao).get(reverse("quality:dispute_detail", args=[dispute.pk]))

    queue = listing.split('id="dispute-queue"')[1].split("</table>")[0]
    assert "C-BRUSH-OFF" in queue
    assert 'id="decide-form"' in detail.content.decode()
    analyst_page = client_for(qa_sun).get(reverse("quality:dispute_detail", args=[dispute.pk]))
    assert 'id="decide-form"' not in analyst_page.content.decode()


def test_record_page_offers_a_dispute_to_its_agent_on_items_that_cost_points(
    client_for: ClientFor, record: Evaluation, agent_li: User, qa_sun: User
) -> None:
    url = reverse("quality:evaluation_detail", args=[record.pk])

    page = client_for(agent_li).get(url).content.decode()

    assert 'name="item" value="forbidden_phrases"' in page
    assert 'name="item" value="closing"' in page
    assert 'name="item" value="opening"' not in page
    assert 'id="dispute-deadline"' in page
    assert 'name="reason"' not in client_for(qa_sun).get(url).content.decode()

    raise_dispute(client_for(agent_li), record)
    page = client_for(agent_li).get(url).content.decode()
    assert 'name="item" value="forbidden_phrases"' not in page
    assert 'data-dispute-item="forbidden_phrases"' in page  # its status, linked
    assert "待处理" in page


def test_the_reason_is_shown_escaped(
    client_for: ClientFor, record: Evaluation, agent_li: User, qa_zhao: User
) -> None:
    raise_dispute(client_for(agent_li), record, reason="<script>alert(1)</script>")
    dispute = Dispute.objects.get()

    for url in (
        reverse("quality:dispute_detail", args=[dispute.pk]),
        reverse("quality:dispute_list"),
    ):
        page = client_for(qa_zhao).get(url).content.decode()
        assert "<script>alert(1)" not in page
        assert "&lt;script&gt;alert(1)" in page


def test_dispute_list_queries_do_not_grow_with_its_rows(
    client_for: ClientFor,
    scored_contact: ScoredContact,
    agent_li: User,
    qa_sun: User,
    qa_zhao: User,
) -> None:
    client = client_for(qa_zhao)

    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("quality:dispute_list")).status_code == 200
        return len(queries)

    for number in range(4):
        contact = scored_contact(f"C-LIST-{number}", agent="A1001", turns=BRUSH_OFF)
        made = dispute_raise(
            agent_user=agent_li,
            evaluation=reviewed(client_for, contact, qa_sun),
            item="closing",
            reason="说了再见",
        )
        if number == 0:
            dispute_decide(supervisor=qa_zhao, dispute=made, overturn=False, note="没有结束语")
            few = queries_for_list()

    assert queries_for_list() == few


def test_report_counts_disputes_and_overturns_per_reviewer_and_item(
    client_for: ClientFor,
    scored_contact: ScoredContact,
    agent_li: User,
    qa_sun: User,
    qa_zhao: User,
) -> None:
    def record_of(name: str, reviewer: User) -> Evaluation:
        return reviewed(client_for, scored_contact(name, agent="A1001", turns=BRUSH_OFF), reviewer)

    sun_1, sun_2, _sun_3 = (record_of(f"C-SUN-{n}", qa_sun) for n in range(3))
    zhao_1 = record_of("C-ZHAO-1", qa_zhao)
    for record, item, overturn in [
        (sun_1, "forbidden_phrases", True),
        (sun_1, "closing", False),
        (sun_2, "forbidden_phrases", True),
        (zhao_1, "forbidden_phrases", None),  # still open
    ]:
        made = dispute_raise(agent_user=agent_li, evaluation=record, item=item, reason="不同意")
        if overturn is not None:
            dispute_decide(supervisor=qa_zhao, dispute=made, overturn=overturn, note="复听")

    response = client_for(qa_zhao).get(reverse("quality:dispute_report"))

    report = response.context["report"]
    by_reviewer = {
        row.reviewer.username: (row.records, row.disputes, row.overturned, row.overturn_rate)
        for row in report.reviewers
    }
    assert by_reviewer == {"qa_sun": (3, 3, 2, 2 / 3), "qa_zhao": (1, 1, 0, 0.0)}
    by_item = {
        row.item: (row.disputes, row.overturned, row.upheld, row.open) for row in report.items
    }
    assert by_item == {"forbidden_phrases": (3, 2, 0, 1), "closing": (1, 0, 1, 0)}
    assert report.items[0].title == "服务禁语"
    page = response.content.decode()
    assert 'data-reviewer="qa_sun"' in page
    assert "67%" in page
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    empty = client_for(qa_zhao).get(reverse("quality:dispute_report"), {"to": yesterday})
    assert empty.context["report"].reviewers == []


@pytest.mark.parametrize(
    ("who", "status"), [("qa_sun", 200), ("ops_zhou", 200), ("agent_li", 403), ("leader_wang", 403)]
)
def test_the_report_is_for_qa_and_managers(
    client_for: ClientFor, org: Any, who: str, status: int
) -> None:
    assert client_for(org.users[who]).get(reverse("quality:dispute_report")).status_code == status


def test_agents_have_a_dispute_link_and_a_notification_count_in_the_top_bar(
    client_for: ClientFor, dispute: Dispute, agent_li: User, qa_zhao: User
) -> None:
    page = client_for(qa_zhao).get(reverse("quality:dispute_list")).content.decode()

    assert f'href="{reverse("quality:dispute_list")}"' in page
    assert 'id="unread-count" title="未读">1<' in page
    agent_page = client_for(agent_li).get(reverse("interactions:contact_list")).content.decode()
    assert f'href="{reverse("quality:dispute_list")}"' in agent_page
    assert 'id="unread-count"' not in agent_page


def test_a_notification_links_inside_lingting_only(agent_li: User) -> None:
    with pytest.raises(ValueError, match="inside Lingting"):
        notification_send(user=agent_li, text="点这里", url="https://evil.example/")
    with pytest.raises(ValueError, match="inside Lingting"):
        notification_send(user=agent_li, text="点这里", url="//evil.example/")
    assert not Notification.objects.exists()
