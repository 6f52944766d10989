"""Personal numbers, role × output: every output of free text shows a phone and an ID-card
number in full to the roles allowed to see them (QA supervisor, admin) and masked, at the
same depth (138****5678, **************002X), to everyone else.

The customer's phone and ID card are seeded into every kind of free text: the transcript, the
monitoring record (summary, coaching note, training need, item reason, finding note and
quote), the work order (title, description, a text field, trail notes), a notification and
the daily report. A cell reads:

- "full": the output shows both numbers as written;
- "masked": the output shows both masked and neither in full;
- "none": the role may not open it (403/404); if it may after all, the numbers are masked.

The dispute (reason, decision), the shared case (title, note) and the training needs
(common findings, proposals) carry the same text.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lingting.core.models import Role, User
from lingting.core.services import notification_send
from lingting.engine.evaluation import Answer
from lingting.engine.scorecard_yaml import builtin_scorecard
from lingting.quality.models import AssignmentKind, Evaluation, ReviewAssignment
from lingting.quality.selectors.score_of_record import auto_results_of
from lingting.quality.services.cases import CaseInput, case_save
from lingting.quality.services.disputes import dispute_decide, dispute_raise
from lingting.quality.services.reviews import FindingInput, RecordInput, evaluation_submit
from lingting.workorders.models import Department, WorkOrder, WorkOrderEvent, WorkOrderType
from lingting.workorders.selectors.events import workorder_event_payload
from lingting.workorders.services.creation import workorder_create_from_contact
from lingting.workorders.services.steps import workorder_dispatch
from tests.web.conftest import BRUSH_OFF, Api, ScoredContact

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]

PHONE, PHONE_MASKED = "13812345678", "138****5678"
ID_CARD, ID_CARD_MASKED = "11010519491231002X", "**************002X"
SEED = f"客户手机 {PHONE}，身份证 {ID_CARD}，请回电"

ROLES = ("agent_li", "leader_wang", "qa_sun", "qa_zhao", "ops_zhou", "yx_staff", "admin_ma")


@dataclass
class Seeded:
    contact_id: int
    evaluation_id: int
    order: WorkOrder
    dispute_id: int
    case_id: int


@pytest.fixture
def seeded(
    scored_contact: ScoredContact, org: Any, qa_zhao: User, qa_sun: User, agent_li: User
) -> Seeded:
    """agent_li's call with the numbers read out, reviewed by the supervisor and assigned
    to qa_sun, disputed by agent_li and decided, filed as a shared case; an order from it
    dispatched to 营销部 (member yx_staff); a notification for everyone."""
    org.users["admin_ma"] = User.objects.create_user("admin_ma", role=Role.ADMIN)
    org.users["yx_staff"] = User.objects.create_user("yx_staff", role=Role.AGENT)
    department = Department.objects.create(code="D-YX", name="营销部")
    department.members.add(org.users["yx_staff"])
    turns = (*BRUSH_OFF, ("customer", SEED, 12.0, 18.0))
    # The customer is known by their phone number, as many centres key customers.
    call = scored_contact("C-PII", agent="A1001", turns=turns, customer=PHONE)
    assignment = ReviewAssignment.objects.create(
        contact=call, reviewer=qa_zhao, kind=AssignmentKind.SAMPLE
    )
    ReviewAssignment.objects.create(contact=call, reviewer=qa_sun, kind=AssignmentKind.CALIBRATION)
    auto = auto_results_of(call.current_score)
    answers = {
        i.id: Answer(auto.get(i.id, "pass"), reason=SEED)  # type: ignore[arg-type]
        for i in builtin_scorecard().items
    }
    record = evaluation_submit(
        reviewer=qa_zhao,
        assignment=assignment,
        record=RecordInput(
            answers=answers,
            findings=[
                FindingInput(note=SEED, scope="common", turn=4, start_char=0, end_char=len(SEED))
            ],
            summary=SEED,
            coaching_proposed=True,
            coaching_note=SEED,
            training_need=SEED,
        ),
    )
    dispute = dispute_raise(
        agent_user=agent_li, evaluation=record, item="forbidden_phrases", reason=SEED
    )
    dispute_decide(supervisor=qa_zhao, dispute=dispute, overturn=False, note=SEED)
    case = case_save(
        actor=qa_zhao,
        contact=call,
        case_input=CaseInput(kind="poor", title=f"回电 {PHONE}", note=SEED, shared=True),
    )
    order = workorder_create_from_contact(
        actor=agent_li,
        contact=call,
        order_type=WorkOrderType.objects.get(code="complaint"),
        title=f"回电 {PHONE} {ID_CARD}",
        description=SEED,
        fields={"phone": PHONE, "subject": SEED},
    )
    order = workorder_dispatch(
        actor=agent_li, order=order, version=order.version, departments=[department], note=SEED
    )
    # The change feed lists changes once they have settled (a few seconds old).
    WorkOrder.objects.update(updated_at=timezone.now() - timedelta(hours=1))
    for role in ROLES:
        notification_send(user=org.users[role], text=f"工单提醒：{SEED}")
    return Seeded(call.pk, record.pk, order, dispute_id=dispute.pk, case_id=case.pk)


def _page(client: Client, user: User, path: str) -> tuple[int, str]:
    response = client.get(path)
    return response.status_code, response.content.decode()


def _api(user: User, path: str, **params: Any) -> tuple[int, str]:
    response = Api(user).get(path, **params)
    # Compare the JSON's strings, not its escapes.
    return response.status_code, json.dumps(response.json(), ensure_ascii=False)


def _xlsx(client: Client, user: User, path: str) -> tuple[int, str]:
    response = client.get(path)
    if response.status_code != 200:
        return response.status_code, ""
    book = zipfile.ZipFile(io.BytesIO(response.content))
    return 200, book.read("xl/sharedStrings.xml").decode()


def _csv(client: Client, user: User, path: str) -> tuple[int, str]:
    response = client.get(path)
    return response.status_code, response.content.decode("utf-8-sig")


Fetch = Callable[[Client, User, Seeded], tuple[int, str]]
OUTPUTS: dict[str, Fetch] = {
    "contact page": lambda c, u, s: _page(
        c, u, reverse("interactions:contact_detail", args=[s.contact_id])
    ),
    "record page": lambda c, u, s: _page(
        c, u, reverse("quality:evaluation_detail", args=[s.evaluation_id])
    ),
    "record API": lambda c, u, s: _api(u, f"/quality/evaluations/{s.evaluation_id}"),
    "records list API": lambda c, u, s: _api(u, "/quality/evaluations"),
    "dispute page": lambda c, u, s: _page(
        c, u, reverse("quality:dispute_detail", args=[s.dispute_id])
    ),
    "dispute API": lambda c, u, s: _api(u, f"/quality/disputes/{s.dispute_id}"),
    "disputes list page": lambda c, u, s: _page(c, u, reverse("quality:dispute_list")),
    "case page": lambda c, u, s: _page(c, u, reverse("quality:case_detail", args=[s.case_id])),
    "case API": lambda c, u, s: _api(u, f"/quality/cases/{s.case_id}"),
    "training needs page": lambda c, u, s: _page(c, u, reverse("coaching:training_needs")),
    "order page": lambda c, u, s: _page(c, u, reverse("tickets:detail", args=[s.order.pk])),
    "order list page": lambda c, u, s: _page(c, u, reverse("tickets:list") + "?state=all"),
    "order API": lambda c, u, s: _api(u, f"/tickets/{s.order.number}"),
    "order list API": lambda c, u, s: _api(u, "/tickets/", state="all"),
    "change feed API": lambda c, u, s: _api(u, "/tickets/changes"),
    "notifications page": lambda c, u, s: _page(c, u, reverse("core:notification_list")),
    "notifications API": lambda c, u, s: _api(u, "/notifications"),
    "daily report XLSX": lambda c, u, s: _xlsx(
        c, u, reverse("reports:download", args=["daily", "xlsx"]) + "?period=2026-10-01"
    ),
    "daily report CSV": lambda c, u, s: _csv(
        c, u, reverse("reports:download", args=["daily", "csv"]) + "?period=2026-10-01"
    ),
}

F, M, N = "full", "masked", "none"
#                       agent_li leader_wang qa_sun qa_zhao ops_zhou yx_staff admin
EXPECTED = {
    "contact page":       (M, M, M, F, M, N, F),
    "record page":        (M, M, M, F, M, N, F),
    "record API":         (M, M, M, F, M, N, F),
    "records list API":   (M, M, M, F, M, N, F),
    "dispute page":       (M, M, M, F, M, N, F),
    "dispute API":        (M, M, M, F, M, N, F),
    "disputes list page": (M, M, M, F, M, N, F),
    "case page":          (M, M, M, M, M, M, M),  # shared for training: masked for all
    "case API":           (M, M, M, M, M, M, M),
    "training needs page": (N, N, N, F, M, N, F),
    "order page":         (M, M, N, N, M, M, F),
    "order list page":    (M, M, N, N, M, M, F),
    "order API":          (M, M, N, N, M, M, F),
    "order list API":     (M, M, N, N, M, M, F),
    "change feed API":    (M, M, N, N, M, M, F),
    "notifications page": (M, M, M, F, M, M, F),
    "notifications API":  (M, M, M, F, M, M, F),
    "daily report XLSX":  (N, M, M, F, M, N, F),
    "daily report CSV":   (N, M, M, F, M, N, F),
}  # fmt: skip


def _shows(status: int, body: str) -> str:
    full = PHONE in body or ID_CARD in body
    masked = PHONE_MASKED in body and ID_CARD_MASKED in body
    if status in (403, 404) or (status == 200 and not full and not masked):
        return N
    assert status == 200, status
    return F if full and not masked else M if masked and not full else f"mixed {body}"


@pytest.mark.parametrize("output", OUTPUTS)
def test_each_role_sees_personal_numbers_as_its_right_says(
    client_for: ClientFor, org: Any, seeded: Seeded, output: str
) -> None:
    got = {}
    for role, expected in zip(ROLES, EXPECTED[output], strict=True):
        user = org.users[role]
        shown = _shows(*OUTPUTS[output](client_for(user), user, seeded))
        # A role that may not open an output may still be let in by another rule: then it
        # must not see the numbers in full either.
        got[role] = expected if expected == N and shown in (N, M) else shown

    assert got == dict(zip(ROLES, EXPECTED[output], strict=True))


@pytest.mark.parametrize(("personal_numbers", "shown"), [(False, M), (True, F)])
def test_the_webhook_body_masks_unless_the_endpoint_may_receive_numbers(
    seeded: Seeded, personal_numbers: bool, shown: str
) -> None:
    for event in WorkOrderEvent.objects.filter(order=seeded.order):
        body = workorder_event_payload(event, seeded.order, personal_numbers=personal_numbers)
        assert _shows(200, json.dumps(body, ensure_ascii=False)) == shown


def test_a_notification_is_masked_before_it_is_cut_to_length(agent_li: User) -> None:
    # Cut first, "…138123456" would no longer be a number anyone could recognise and mask.
    text = "说" * 487 + f"回电 {PHONE}，请尽快处理"
    notification = notification_send(user=agent_li, text=text)
    assert notification.text.endswith("回电 138****56…")


def test_a_reader_who_lost_the_right_no_longer_sees_numbers_in_older_notifications(
    client_for: ClientFor, qa_zhao: User
) -> None:
    notification_send(user=qa_zhao, text=SEED)
    assert PHONE in client_for(qa_zhao).get(reverse("core:notification_list")).content.decode()
    qa_zhao.role = Role.QA_ANALYST
    qa_zhao.save(update_fields=["role"])

    page = client_for(qa_zhao).get(reverse("core:notification_list")).content.decode()
    api = _api(qa_zhao, "/notifications")[1]
    assert _shows(200, page) == _shows(200, api) == M


def test_a_quote_of_part_of_a_number_is_masked_as_the_number_is(
    client_for: ClientFor, org: Any, seeded: Seeded, agent_li: User, qa_zhao: User
) -> None:
    """A reviewer who selects "手机 1381234" quotes no whole number; the digits are still
    the customer's."""
    partial = f"手机 {PHONE[:7]}"
    start = SEED.index(partial)
    record = Evaluation.objects.get(pk=seeded.evaluation_id)
    record.findings.create(
        note="引用",
        scope="individual",
        quote=partial,
        turn=4,
        start_char=start,
        end_char=start + len(partial),
    )
    page = reverse("quality:evaluation_detail", args=[record.pk])
    api = f"/quality/evaluations/{record.pk}"

    for user in (agent_li, org.users["ops_zhou"]):
        assert PHONE[:7] not in client_for(user).get(page).content.decode()
        assert PHONE[:7] not in _api(user, api)[1]
        assert "手机 138****" in _api(user, api)[1]
    assert PHONE[:7] in _api(qa_zhao, api)[1]
