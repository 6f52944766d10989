"""Every role against every kind of QA object: who opens what (200), who is refused a tool
(403), and who is told the object does not exist for them (404).

The table reads as the permission rules: an agent sees their own, a team leader their
team's, a QA analyst what is assigned or granted, the QA supervisor everything and the
supervisor's tools, operations everything but the tools, a WFM planner nothing of QA.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lingting.core.models import User
from lingting.engine.evaluation import Answer
from lingting.engine.scorecard_yaml import builtin_scorecard
from lingting.quality.models import AssignmentKind, ReviewAssignment
from lingting.quality.selectors.score_of_record import auto_results_of
from lingting.quality.services.calibration import calibration_session_create
from lingting.quality.services.cases import CaseInput, case_save
from lingting.quality.services.disputes import dispute_raise
from lingting.quality.services.reviews import RecordInput, evaluation_submit
from lingting.quality.services.sampling import PlanSpec, sampling_plan_save
from tests.conftest import STAFF
from tests.web.conftest import BRUSH_OFF, ScoredContact

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]
ROLES = STAFF


@dataclass
class Objects:
    urls: dict[str, str]


@pytest.fixture
def objects(
    scored_contact: ScoredContact, org: Any, qa_zhao: User, qa_sun: User, agent_li: User
) -> Objects:
    """agent_li's call reviewed by the supervisor (not by qa_sun) and disputed by agent_li;
    a plan, a calibration session, a shared and an unshared case."""
    call = scored_contact("C-LI", agent="A1001", turns=BRUSH_OFF)
    other = scored_contact("C-CHEN", agent="A1003")
    assignment = ReviewAssignment.objects.create(
        contact=call, reviewer=qa_zhao, kind=AssignmentKind.SAMPLE
    )
    auto = auto_results_of(call.current_score)
    answers = {i.id: Answer(auto.get(i.id, "pass")) for i in builtin_scorecard().items}  # type: ignore[arg-type]
    record = evaluation_submit(
        reviewer=qa_zhao, assignment=assignment, record=RecordInput(answers=answers)
    )
    dispute = dispute_raise(
        agent_user=agent_li, evaluation=record, item="forbidden_phrases", reason="并非推诿"
    )
    plan = sampling_plan_save(
        actor=qa_zhao,
        spec=PlanSpec(name="p", method="random", sample_size=1, reviewers={qa_sun: 1}),
    )
    qa_qian = User.objects.create_user("qa_qian", password="x", role="qa_analyst")
    session = calibration_session_create(
        supervisor=qa_zhao, title="十月校准", contacts=[other], reviewers=[qa_zhao, qa_qian]
    )
    shared = case_save(
        actor=qa_zhao, contact=call, case_input=CaseInput(kind="poor", title="s", shared=True)
    )
    private = case_save(actor=qa_zhao, contact=call, case_input=CaseInput(kind="poor", title="p"))
    return Objects(
        urls={
            "contact": reverse("interactions:contact_detail", args=[call.pk]),
            "record": reverse("quality:evaluation_detail", args=[record.pk]),
            "dispute": reverse("quality:dispute_detail", args=[dispute.pk]),
            "plan": reverse("quality:plan_detail", args=[plan.pk]),
            "calibration": reverse("quality:calibration_detail", args=[session.pk]),
            "shared_case": reverse("quality:case_detail", args=[shared.pk]),
            "private_case": reverse("quality:case_detail", args=[private.pk]),
            "review_queue": reverse("quality:review_queue"),
            "trust": reverse("quality:trust"),
            "dispute_report": reverse("quality:dispute_report"),
            "access": reverse("quality:access"),
        }
    )


#                 agent_li agent_zhang leader_wang leader_liu qa_sun qa_zhao ops_zhou planner
EXPECTED = {
    "contact":        (200, 404, 200, 404, 404, 200, 200, 404),
    "record":         (200, 404, 200, 404, 404, 200, 200, 404),
    "dispute":        (200, 404, 200, 404, 404, 200, 200, 404),
    "plan":           (403, 403, 403, 403, 403, 200, 403, 403),
    "calibration":    (403, 403, 403, 403, 404, 200, 403, 403),  # qa_sun: not a participant
    "shared_case":    (200, 200, 200, 200, 200, 200, 200, 200),
    "private_case":   (404, 404, 404, 404, 200, 200, 200, 404),
    "review_queue":   (403, 403, 403, 403, 200, 200, 403, 403),
    "trust":          (403, 403, 403, 403, 200, 200, 200, 403),
    "dispute_report": (403, 403, 403, 403, 200, 200, 200, 403),
    "access":         (403, 403, 403, 403, 403, 200, 403, 403),
}  # fmt: skip


@pytest.mark.parametrize("kind", EXPECTED)
def test_each_role_opens_only_what_it_may(
    client_for: ClientFor, org: Any, objects: Objects, kind: str
) -> None:
    got = tuple(client_for(org.users[role]).get(objects.urls[kind]).status_code for role in ROLES)

    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, EXPECTED[kind], strict=True))


def test_assignment_opens_the_contact_and_its_records_to_the_analyst(
    client_for: ClientFor, org: Any, objects: Objects, qa_sun: User
) -> None:
    from lingting.interactions.models import Contact

    call = Contact.objects.get(external_id="C-LI")
    ReviewAssignment.objects.create(contact=call, reviewer=qa_sun, kind=AssignmentKind.CALIBRATION)
    sun = client_for(qa_sun)

    assert sun.get(objects.urls["contact"]).status_code == 200
    assert sun.get(objects.urls["record"]).status_code == 200
    assert sun.get(objects.urls["dispute"]).status_code == 200
