"""Sampling plans: a QA supervisor defines them, draws samples, reviewers get quotas."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from lingting.core.models import AuditEvent, User
from lingting.interactions.models import Contact
from lingting.quality.models import ReviewAssignment, SamplingMethod, SamplingPlan, Schedule
from lingting.quality.selectors.sampling import TargetCriteria
from lingting.quality.services.sampling import (
    PlanSpec,
    sample_draw,
    sampling_plan_save,
    sampling_run_due,
)
from tests.conftest import SHANGHAI
from tests.web.conftest import DRAW_DAY, Api, ScoredContact

ClientFor = Callable[[User], Client]
pytestmark = pytest.mark.django_db


def plan_for(qa_zhao: User, reviewers: dict[User, int], **settings: Any) -> SamplingPlan:
    spec = PlanSpec(
        name=settings.pop("name", "十月抽检"),
        method=settings.pop("method", SamplingMethod.RANDOM),
        sample_size=settings.pop("sample_size", 4),
        reviewers=reviewers,
        **settings,
    )
    return sampling_plan_save(actor=qa_zhao, spec=spec)


@pytest.fixture
def day_of_calls(scored_contact: ScoredContact) -> list[Contact]:
    """2026-10-01: 6 calls in ACD-01 (4 by 李娜, 2 by 陈晨), 2 in ACD-02 (张伟)."""
    return [
        *(scored_contact(agent="A1001", queue="ACD-01") for _ in range(4)),
        *(scored_contact(agent="A1003", queue="ACD-01") for _ in range(2)),
        *(scored_contact(agent="A1002", queue="ACD-02") for _ in range(2)),
    ]


def test_supervisor_defines_a_stratified_plan_in_the_browser_form(
    client_for: ClientFor, qa_zhao: User, qa_sun: User
) -> None:
    response = client_for(qa_zhao).post(
        reverse("quality:plan_create"),
        {
            "name": "按ACD组分层",
            "method": "stratified",
            "stratify_by": "queue",
            "allocation": "proportional",
            "sample_size": 10,
            "min_per_agent_month": 2,
            "lookback_days": 1,
            "schedule": "daily",
            "is_active": "on",
            "tags": "5G套餐，宽带新装",
            f"quota_{qa_sun.pk}": 2,
            f"quota_{qa_zhao.pk}": 1,
        },
    )

    plan = SamplingPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("quality:plan_detail", args=[plan.pk])
    assert (plan.method, plan.stratify_by, plan.allocation) == (
        "stratified",
        "queue",
        "proportional",
    )
    assert plan.targets == {"tags": ["5G套餐", "宽带新装"]}
    assert {q.reviewer.username: q.quota for q in plan.quotas.all()} == {"qa_sun": 2, "qa_zhao": 1}
    assert AuditEvent.objects.filter(action="sampling_plan.create", object_id=str(plan.pk)).exists()


def test_a_stratified_plan_without_strata_is_refused_with_a_reason(
    client_for: ClientFor, qa_zhao: User, qa_sun: User
) -> None:
    response = client_for(qa_zhao).post(
        reverse("quality:plan_create"),
        {
            "name": "缺分层",
            "method": "stratified",
            "sample_size": 10,
            "min_per_agent_month": 0,
            "lookback_days": 1,
            "schedule": "on_demand",
            f"quota_{qa_sun.pk}": 1,
        },
    )

    assert response.status_code == 200
    assert "分层抽样须选择分层依据和分配方式" in response.content.decode()
    assert not SamplingPlan.objects.exists()


def test_only_qa_staff_can_review(qa_zhao: User, agent_li: User) -> None:
    with pytest.raises(ValidationError, match="只有质检员或质检主管可以评分"):
        plan_for(qa_zhao, {agent_li: 1})


@pytest.mark.parametrize("who", ["qa_sun", "agent_li", "leader_wang", "ops_zhou", "planner_qian"])
def test_only_the_qa_supervisor_manages_plans(
    client_for: ClientFor, org: Any, qa_zhao: User, qa_sun: User, who: str
) -> None:
    plan = plan_for(qa_zhao, {qa_sun: 1})
    client = client_for(org.users[who])

    assert client.get(reverse("quality:plan_list")).status_code == 403
    assert client.get(reverse("quality:plan_detail", args=[plan.pk])).status_code == 403
    assert client.post(reverse("quality:plan_draw", args=[plan.pk])).status_code == 403
    assert not ReviewAssignment.objects.exists()


def test_drawing_fills_reviewer_queues_by_quota_and_never_twice(
    day_of_calls: list[Contact], qa_zhao: User, qa_sun: User
) -> None:
    plan = plan_for(qa_zhao, {qa_sun: 3, qa_zhao: 1}, sample_size=4)

    first = sample_draw(plan=plan, actor=qa_zhao, day=DRAW_DAY)
    second = sample_draw(plan=plan, actor=qa_zhao, day=DRAW_DAY)
    third = sample_draw(plan=plan, actor=qa_zhao, day=DRAW_DAY)

    assert (first.candidates, first.drawn) == (8, 4)
    assert (second.candidates, second.drawn) == (4, 4)  # the first draw's contacts are gone
    assert (third.candidates, third.drawn) == (0, 0)
    per_reviewer = Counter(first.assignments.values_list("reviewer__username", flat=True))
    assert per_reviewer == {"qa_sun": 3, "qa_zhao": 1}
    sampled = list(ReviewAssignment.objects.values_list("contact_id", flat=True))
    assert sorted(sampled) == sorted(c.pk for c in day_of_calls)


def test_same_seed_draws_the_same_contacts(
    day_of_calls: list[Contact], qa_zhao: User, qa_sun: User
) -> None:
    plan = plan_for(qa_zhao, {qa_sun: 1}, sample_size=3)

    def drawn_with(seed: int) -> set[int]:
        class Undo(Exception):
            pass

        chosen: set[int] = set()
        try:
            with transaction.atomic():
                draw = sample_draw(plan=plan, actor=qa_zhao, day=DRAW_DAY, seed=seed)
                chosen = set(draw.assignments.values_list("contact_id", flat=True))
                raise Undo
        except Undo:
            return chosen

    assert drawn_with(20261002) == drawn_with(20261002)
    assert len({frozenset(drawn_with(seed)) for seed in range(8)}) > 1


def test_proportional_strata_follow_queue_volumes(
    day_of_calls: list[Contact], qa_zhao: User, qa_sun: User
) -> None:
    plan = plan_for(
        qa_zhao,
        {qa_sun: 1},
        method=SamplingMethod.STRATIFIED,
        stratify_by="queue",
        allocation="proportional",
        sample_size=4,
    )

    draw = sample_draw(plan=plan, actor=qa_zhao, day=DRAW_DAY)

    per_queue = Counter(draw.assignments.values_list("contact__queue__code", flat=True))
    assert per_queue == {"ACD-01": 3, "ACD-02": 1}  # 6:2 of the candidates


def test_monthly_minimum_per_agent_is_met_before_the_rest(
    day_of_calls: list[Contact], qa_zhao: User, qa_sun: User
) -> None:
    plan = plan_for(qa_zhao, {qa_sun: 1}, sample_size=1, min_per_agent_month=1)

    draw = sample_draw(plan=plan, actor=qa_zhao, day=DRAW_DAY)

    agents = Counter(draw.assignments.values_list("contact__agent__code", flat=True))
    assert set(agents) == {"A1001", "A1002", "A1003"}  # the minimums win over the size


@pytest.mark.parametrize(
    ("targets", "expected"),
    [
        (TargetCriteria(tags=("5G套餐",)), {"C-5G"}),
        (TargetCriteria(complaints=True), {"C-COMPLAINT"}),
        (TargetCriteria(max_satisfaction=2), {"C-UNHAPPY"}),
        (TargetCriteria(new_agents_days=30), {"C-NEW"}),
        (TargetCriteria(max_auto_score=95), {"C-BRUSH-OFF"}),  # 86.9 vs 96.4
        (TargetCriteria(min_duration_s=600), {"C-LONG"}),
        (TargetCriteria(repeat_within_days=7), {"C-REPEAT-2"}),
    ],
)
def test_targeted_plans_draw_only_what_they_target(
    scored_contact: ScoredContact,
    org: Any,
    qa_zhao: User,
    qa_sun: User,
    targets: TargetCriteria,
    expected: set[str],
) -> None:
    from tests.web.conftest import BRUSH_OFF

    new_agent = org.agents["A1003"]
    new_agent.hired_on = date(2026, 9, 20)
    new_agent.save()
    scored_contact("C-PLAIN", agent="A1001")
    scored_contact("C-5G", agent="A1001", tags=["5G套餐"])
    scored_contact("C-COMPLAINT", agent="A1001", tags=["话费争议", "投诉"])
    scored_contact("C-NEW", agent="A1003")
    scored_contact("C-UNHAPPY", agent="A1001", extra={"satisfaction": 1})
    scored_contact("C-HAPPY", agent="A1001", extra={"satisfaction": 5})
    scored_contact("C-BRUSH-OFF", agent="A1001", turns=BRUSH_OFF)
    scored_contact("C-LONG", agent="A1001", talk_s=900)
    scored_contact(
        "C-REPEAT-1",
        agent="A1002",
        customer="CUST-9",
        started_at=datetime(2026, 9, 28, 10, 0, tzinfo=SHANGHAI),
    )
    scored_contact("C-REPEAT-2", agent="A1002", customer="CUST-9")
    plan = plan_for(qa_zhao, {qa_sun: 1}, sample_size=50, targets=targets)

    draw = sample_draw(plan=plan, actor=qa_zhao, day=DRAW_DAY)

    drawn = set(draw.assignments.values_list("contact__external_id", flat=True))
    assert drawn == expected


def test_reverse_check_draws_from_a_saved_contact_list_filter(
    scored_contact: ScoredContact, org: Any, qa_zhao: User, qa_sun: User
) -> None:
    scored_contact("C-Q1", queue="ACD-01")
    scored_contact("C-Q2", queue="ACD-02")
    queue = org.queues["ACD-02"]
    saved = f"queue={queue.pk}&date_from=2026-10-01&date_to=2026-10-01"
    plan = plan_for(qa_zhao, {qa_sun: 1}, targets=TargetCriteria(saved_filter=saved))

    draw = sample_draw(plan=plan, actor=qa_zhao, day=date(2026, 11, 15))  # outside lookback

    assert set(draw.assignments.values_list("contact__external_id", flat=True)) == {"C-Q2"}


def test_daily_plans_draw_once_a_day(
    day_of_calls: list[Contact], qa_zhao: User, qa_sun: User
) -> None:
    daily = plan_for(qa_zhao, {qa_sun: 1}, sample_size=2, schedule=Schedule.DAILY)
    plan_for(qa_zhao, {qa_sun: 1}, name="按需", sample_size=2)

    first = sampling_run_due(day=DRAW_DAY)
    again = sampling_run_due(day=DRAW_DAY)

    assert [draw.plan for draw in first] == [daily]
    assert first[0].drawn_by is None
    assert again == []


def test_draw_button_draws_and_reports(
    client_for: ClientFor, day_of_calls: list[Contact], qa_zhao: User, qa_sun: User
) -> None:
    plan = plan_for(qa_zhao, {qa_sun: 1}, sample_size=3)
    client = client_for(qa_zhao)

    response = client.post(reverse("quality:plan_draw", args=[plan.pk]), follow=True)

    assert response.status_code == 200
    page = response.content.decode()
    assert "抽取" in page
    assert plan.draws.count() == 1
    assert AuditEvent.objects.filter(action="sample.draw").count() == 1


def test_sample_size_helper_shows_capacity_and_need(client_for: ClientFor, qa_sun: User) -> None:
    response = client_for(qa_sun).get(
        reverse("quality:sample_size"),
        {
            "avg_daily_volume": 5000,
            "avg_handle_s": 240,
            "reviewers": 3,
            "effective_hours": 6,
            "overhead_s": 120,
            "margin": 5,
            "confidence": 0.95,
            "expected_rate": 50,
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "<strong>180</strong>" in page  # 3 × 6 h / (240 s + 120 s)
    assert "<strong>357</strong>" in page  # ±5 points at 95 % over 5,000 calls a day


def test_the_daily_command_draws_due_plans(
    day_of_calls: list[Contact], qa_zhao: User, qa_sun: User
) -> None:
    from io import StringIO

    from django.core.management import call_command

    plan_for(qa_zhao, {qa_sun: 1}, name="每日", sample_size=2, schedule=Schedule.DAILY)
    out = StringIO()

    call_command("sampling_run", "--day", DRAW_DAY.isoformat(), stdout=out)
    call_command("sampling_run", "--day", DRAW_DAY.isoformat(), stdout=out)

    assert "每日: 2 of 8 candidates for 2026-10-02" in out.getvalue()
    assert "no daily plan is due" in out.getvalue()


def test_the_edit_form_starts_from_the_plans_settings(
    client_for: ClientFor, qa_zhao: User, qa_sun: User
) -> None:
    plan = plan_for(
        qa_zhao, {qa_sun: 3}, sample_size=7, targets=TargetCriteria(tags=("5G套餐", "宽带新装"))
    )

    form = client_for(qa_zhao).get(reverse("quality:plan_edit", args=[plan.pk])).context["form"]

    assert form.initial["sample_size"] == 7
    assert form.initial["tags"] == "5G套餐，宽带新装"
    assert form.initial[f"quota_{qa_sun.pk}"] == 3


def test_an_empty_draw_says_which_condition_emptied_it(
    day_of_calls: list[Contact], org: Any, qa_zhao: User, qa_sun: User
) -> None:
    """A draw that finds nothing names the step that left no contact: the period, a
    reverse check's queue, a target, or everything already sampled."""
    nothing_then = plan_for(qa_zhao, {qa_sun: 1}, name="空时段")
    assert (
        "没有联络" in sample_draw(plan=nothing_then, actor=qa_zhao, day=date(2026, 9, 1)).why_empty
    )

    empty_queue = org.queues["ACD-02"]
    Contact.objects.filter(queue=empty_queue).update(queue=org.queues["ACD-01"])
    by_queue = plan_for(
        qa_zhao,
        {qa_sun: 1},
        name="倒查",
        targets=TargetCriteria(saved_filter=f"queue={empty_queue.pk}"),
    )
    why = sample_draw(plan=by_queue, actor=qa_zhao, day=DRAW_DAY).why_empty
    assert str(empty_queue) in why

    low = plan_for(qa_zhao, {qa_sun: 1}, name="低分", targets=TargetCriteria(max_auto_score=1))
    assert "低于 1 分" in sample_draw(plan=low, actor=qa_zhao, day=DRAW_DAY).why_empty

    everything = plan_for(qa_zhao, {qa_sun: 1}, name="全部", sample_size=100)
    full = sample_draw(plan=everything, actor=qa_zhao, day=DRAW_DAY)
    assert (full.drawn, full.why_empty) == (8, "")
    again = sample_draw(plan=everything, actor=qa_zhao, day=DRAW_DAY)
    assert "都已抽检" in again.why_empty


def test_an_empty_draw_says_why_on_the_page_and_in_the_api(
    client_for: ClientFor, qa_zhao: User, qa_sun: User
) -> None:
    plan = plan_for(qa_zhao, {qa_sun: 1})

    page = client_for(qa_zhao).post(reverse("quality:plan_draw", args=[plan.pk]), follow=True)
    assert "没有联络" in page.content.decode()

    answer = Api(qa_zhao).post(f"/quality/plans/{plan.pk}/draws", {"day": "2026-09-01"})
    assert answer.status_code == 201
    assert answer.json()["drawn"] == 0
    assert "没有联络" in answer.json()["why_empty"]
