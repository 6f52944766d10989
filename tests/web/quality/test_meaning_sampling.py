"""Sampling plans that target what the contact meant: customers who ended angry or
dissatisfied, unresolved problems, low predicted satisfaction."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from lingting.core.models import User
from lingting.interactions.models import Contact
from lingting.quality.models import ReviewAssignment, SamplingMethod, SamplingPlan
from lingting.quality.selectors.sampling import TargetCriteria
from lingting.quality.services.sampling import PlanSpec, sample_draw, sampling_plan_save
from tests.web.conftest import DRAW_DAY, ScoredContact
from tests.web.quality.test_meaning_filters import ANGRY, CALMED, PLEASED

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]

DISSATISFIED = (
    ("agent", "您好，请问有什么可以帮您？"),
    ("customer", "这个月话费怎么这么多，我很不满意。"),
)


@pytest.fixture
def day_of_calls(scored_contact: ScoredContact) -> dict[str, list[Contact]]:
    """2026-10-01: 3 customers end angry, 1 dissatisfied, 2 calmed, 4 pleased."""
    return {
        "angry": [scored_contact(turns=ANGRY) for _ in range(3)],
        "dissatisfied": [scored_contact(turns=DISSATISFIED)],
        "calmed": [scored_contact(turns=CALMED) for _ in range(2)],
        "pleased": [scored_contact(turns=PLEASED) for _ in range(4)],
    }


def plan_targeting(qa_zhao: User, qa_sun: User, targets: TargetCriteria) -> SamplingPlan:
    spec = PlanSpec(
        name="情绪抽检",
        method=SamplingMethod.RANDOM,
        sample_size=10,
        reviewers={qa_sun: 1},
        targets=targets,
    )
    return sampling_plan_save(actor=qa_zhao, spec=spec)


def drawn_ids(plan: SamplingPlan) -> set[int]:
    draw = sample_draw(plan=plan, actor=None, day=DRAW_DAY, seed=7)
    return set(ReviewAssignment.objects.filter(draw=draw).values_list("contact_id", flat=True))


def test_a_plan_targeting_customers_ending_angry_draws_only_those(
    qa_zhao: User, qa_sun: User, day_of_calls: dict[str, list[Contact]]
) -> None:
    plan = plan_targeting(qa_zhao, qa_sun, TargetCriteria(ending_emotions=("angry",)))

    assert drawn_ids(plan) == {c.pk for c in day_of_calls["angry"]}


def test_a_plan_targeting_angry_or_dissatisfied_endings_draws_both(
    qa_zhao: User, qa_sun: User, day_of_calls: dict[str, list[Contact]]
) -> None:
    targets = TargetCriteria(ending_emotions=("angry", "dissatisfied"))
    plan = plan_targeting(qa_zhao, qa_sun, targets)

    assert drawn_ids(plan) == {c.pk for c in day_of_calls["angry"] + day_of_calls["dissatisfied"]}


def test_a_plan_targeting_unresolved_contacts_draws_only_those(
    qa_zhao: User, qa_sun: User, day_of_calls: dict[str, list[Contact]]
) -> None:
    plan = plan_targeting(qa_zhao, qa_sun, TargetCriteria(unresolved=True))

    # The dissatisfied customer's complaint was never answered: unresolved too.
    expected = day_of_calls["angry"] + day_of_calls["dissatisfied"]
    assert drawn_ids(plan) == {c.pk for c in expected}


def test_low_predicted_satisfaction_target_leaves_the_pleased_out(
    qa_zhao: User, qa_sun: User, day_of_calls: dict[str, list[Contact]]
) -> None:
    plan = plan_targeting(qa_zhao, qa_sun, TargetCriteria(max_predicted_satisfaction=50))

    drawn = drawn_ids(plan)
    assert {c.pk for c in day_of_calls["angry"]} <= drawn
    assert not drawn & {c.pk for c in day_of_calls["pleased"]}


def test_a_plan_with_no_angry_ending_says_why_it_drew_nothing(
    qa_zhao: User, qa_sun: User, scored_contact: ScoredContact
) -> None:
    scored_contact(turns=PLEASED)
    plan = plan_targeting(qa_zhao, qa_sun, TargetCriteria(ending_emotions=("angry",)))

    draw = sample_draw(plan=plan, actor=None, day=DRAW_DAY, seed=7)

    assert draw.drawn == 0
    assert draw.why_empty == "没有符合“结束时客户生气”的联络"


def test_supervisor_targets_ending_emotion_and_unresolved_in_the_form(
    client_for: ClientFor, qa_zhao: User, qa_sun: User
) -> None:
    client = client_for(qa_zhao)
    response = client.post(
        reverse("quality:plan_create"),
        {
            "name": "生气或不满",
            "method": "random",
            "sample_size": 5,
            "min_per_agent_month": 0,
            "lookback_days": 1,
            "schedule": "on_demand",
            "ending_emotion": "angry_dissatisfied",
            "unresolved": "on",
            "max_predicted_satisfaction": 40,
            f"quota_{qa_sun.pk}": 1,
        },
    )

    plan = SamplingPlan.objects.get()
    assert response.status_code == 302
    assert plan.targets == {
        "ending_emotions": ["angry", "dissatisfied"],
        "unresolved": True,
        "max_predicted_satisfaction": 40,
    }
    edit = client.get(reverse("quality:plan_edit", args=[plan.pk])).content.decode()
    assert '<option value="angry_dissatisfied" selected>' in edit
    detail = client.get(reverse("quality:plan_detail", args=[plan.pk])).content.decode()
    assert "结束时客户生气或不满" in detail
    assert "预测满意度低于 40%" in detail


def test_a_reverse_check_from_a_list_filtered_on_angry_endings_draws_only_those(
    qa_zhao: User, qa_sun: User, day_of_calls: dict[str, list[Contact]]
) -> None:
    plan = plan_targeting(qa_zhao, qa_sun, TargetCriteria(saved_filter="emotion_end=angry"))

    assert drawn_ids(plan) == {c.pk for c in day_of_calls["angry"]}


def test_a_reverse_check_that_finds_no_angry_ending_names_that_condition(
    qa_zhao: User, qa_sun: User, scored_contact: ScoredContact
) -> None:
    scored_contact(turns=PLEASED)
    plan = plan_targeting(
        qa_zhao, qa_sun, TargetCriteria(saved_filter="emotion_end=angry&emotion_end=dissatisfied")
    )

    draw = sample_draw(plan=plan, actor=None, day=DRAW_DAY, seed=7)

    assert draw.why_empty == "时段内没有符合倒查条件“结束时客户生气或不满”的联络"
