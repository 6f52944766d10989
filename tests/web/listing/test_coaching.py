"""The coaching lists (improvement plans, the agents three months below target, a cohort's
effect, training needs and trainings, a training's attendees) ask as many queries for 200
rows as for 20."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from lingting.coaching.models import ImprovementPlan, Training
from lingting.core.models import Agent, User
from lingting.quality.models import Evaluation
from tests.conftest import SHANGHAI, Org
from tests.web.listing import rows
from tests.web.listing.conftest import AssertFlat
from tests.web.listing.rows import Center, row_name

BELOW_TARGET_MONTHS = (7, 8, 9)  # of 2026: what a detection as of 1 October looks at


def below_target(center: Center, numbers: range) -> list[Agent]:
    """New agents AG-nnn, each scored 65 (below the default 80) in July, August and
    September 2026."""
    made = rows.agents(center.org, numbers, team=center.org.teams["一班"])
    for month in BELOW_TARGET_MONTHS:
        rows.contacts(
            center,
            numbers,
            prefix=f"M{month}",
            agent=[agent.code for agent in made],
            score=65,
            first_call=datetime(2026, month, 3, 9, 0, tzinfo=SHANGHAI)
            + timedelta(minutes=numbers[0]),
        )
    return made


def plans(agents: list[Agent], *, opened_by: User) -> list[ImprovementPlan]:
    return ImprovementPlan.objects.bulk_create(
        ImprovementPlan(
            agent=agent,
            figure="qa_score",
            detected_months=["2026-07", "2026-08", "2026-09"],
            baseline=[65, 65, 65],
            target_green=80,
            opened_on=date(2026, 10, 8),
            opened_by=opened_by,
        )
        for agent in agents
    )


def test_improvement_plans_queries_do_not_grow(
    assert_flat: AssertFlat, org: Org, ops_zhou: User
) -> None:
    url = "/coaching/"

    def add_rows(numbers: range) -> None:
        plans(rows.agents(org, numbers, team=org.teams["一班"]), opened_by=ops_zhou)

    assert_flat(ops_zhou, url, add_rows=add_rows, shown="AG-{n:03d}")


def test_agents_below_target_queries_do_not_grow(
    assert_flat: AssertFlat, center: Center, ops_zhou: User
) -> None:
    """Ten agents a page; the count above them says all were looked at."""
    url = "/coaching/detect/?figure=qa_score&as_of=2026-10-01"

    def add_rows(numbers: range) -> None:
        below_target(center, numbers)

    assert_flat(ops_zhou, url, add_rows=add_rows, shown="{count} 名坐席中 {count} 名连续未达标")


@pytest.mark.parametrize("comparison", ["level", "change"])
def test_a_cohorts_effect_queries_do_not_grow(
    comparison: str, assert_flat: AssertFlat, center: Center, ops_zhou: User
) -> None:
    """The October cohort of plans on the QA score: its agents' months against the rest."""
    url = f"/coaching/effect/?cohort=qa_score:2026-10&comparison={comparison}"

    def add_rows(numbers: range) -> None:
        plans(below_target(center, numbers), opened_by=ops_zhou)

    assert_flat(ops_zhou, url, add_rows=add_rows, shown="2026-10 ({count})")


def test_training_needs_and_trainings_queries_do_not_grow(
    assert_flat: AssertFlat, center: Center, qa_sun: User, ops_zhou: User
) -> None:
    """Per row: a contact whose record names a common issue on an item of its own and asks
    for training, and a training held on that item."""
    url = "/coaching/training/"
    trainer = center.org.users["qa_zhao"]

    def add_rows(numbers: range) -> None:
        records = rows.evaluations(rows.contacts(center, numbers), reviewer=qa_sun, result="fail")
        for record in records:
            record.training_need = f"{record.contact.external_id} 需要话术培训"
        Evaluation.objects.bulk_update(records, ["training_need"])
        rows.common_findings(records, numbers)
        trainings = Training.objects.bulk_create(
            Training(
                topic=row_name("training", n),
                item=row_name("item", n),
                held_on=date(2026, 10, 1) + timedelta(days=n),
                trainer=trainer,
            )
            for n in numbers
        )
        for training in trainings:
            training.attendees.add(center.org.agents["A1001"], center.org.agents["A1002"])

    # The newest training is listed (the newest first: an aggregating query once dropped
    # Training's own ordering and listed 20 others).
    assert_flat(ops_zhou, url, add_rows=add_rows, shown="training-{n:03d}")


def test_a_trainings_attendees_queries_do_not_grow(
    assert_flat: AssertFlat, org: Org, ops_zhou: User
) -> None:
    training = Training.objects.create(
        topic="规范用语", item="forbidden_phrases", held_on=date(2026, 10, 8), trainer=ops_zhou
    )
    url = f"/coaching/training/{training.pk}/"

    def add_rows(numbers: range) -> None:
        training.attendees.add(*rows.agents(org, numbers, team=org.teams["二班"]))

    assert_flat(ops_zhou, url, add_rows=add_rows, shown="AG-{n:03d}")
