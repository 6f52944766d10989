"""The staffing search: the fewest agents meeting every target, worked through by hand where
the numbers are small, and checked against walking every count where they are not."""

from __future__ import annotations

import pytest

from lingting.engine.erlang import (
    AbandonmentFigures,
    ErlangError,
    QueueFigures,
    ServiceLevelBasis,
    erlang_a,
    erlang_b,
    erlang_c,
)
from lingting.engine.staffing import Model, Queue, Targets, evaluate, scheduled_agents, staff

C_QUEUE = Queue(Model.ERLANG_C, 10.0, aht_s=180, answer_within_s=20)


def test_erlang_c_finds_the_first_count_that_reaches_80_in_20() -> None:
    # 100 calls in 30 minutes of 3 minutes each: 10 Erlangs. 13 agents answer 79.6 % within
    # 20 s, 14 answer 88.8 % (pyworkforce's published example gives 14 as well).
    assert erlang_c(13, 10.0, aht_s=180, answer_within_s=20).service_level == pytest.approx(
        0.7956, abs=1e-4
    )
    result = staff(C_QUEUE, Targets(service_level=0.8))

    assert result.agents == 14
    assert isinstance(result.figures, QueueFigures)
    assert result.figures.service_level == pytest.approx(0.888, abs=1e-3)
    # The last agent is only partly needed: 80 % lies a little way between 13 and 14.
    assert 13 < result.fractional_agents < 13.1


def test_every_target_must_hold() -> None:
    level_only = staff(C_QUEUE, Targets(service_level=0.8)).agents
    with_occupancy = staff(C_QUEUE, Targets(service_level=0.8, max_occupancy=0.65)).agents
    with_asa = staff(C_QUEUE, Targets(service_level=0.8, asa_s=5)).agents

    assert level_only == 14
    assert with_occupancy == 16  # 10 / 16 = 62.5 %, 10 / 15 = 66.7 %
    assert erlang_c(with_asa, 10.0, aht_s=180, answer_within_s=20).asa_s <= 5  # type: ignore[operator]
    assert erlang_c(with_asa - 1, 10.0, aht_s=180, answer_within_s=20).asa_s > 5  # type: ignore[operator]


@pytest.mark.parametrize("traffic", [0.3, 4.0, 37.5, 160.0, 900.0])
@pytest.mark.parametrize("patience", [30.0, 120.0, 600.0])
def test_erlang_a_search_is_the_first_count_walking_up_from_one(
    traffic: float, patience: float
) -> None:
    queue = Queue(Model.ERLANG_A, traffic, aht_s=240, patience_s=patience, answer_within_s=20)
    targets = Targets(service_level=0.8, max_abandon=0.03)

    found = staff(queue, targets).agents

    def meets(n: int) -> bool:
        figures = erlang_a(n, traffic, aht_s=240, patience_s=patience, answer_within_s=20)
        assert figures.service_level is not None
        return figures.service_level >= 0.8 and figures.abandon_probability <= 0.03

    assert meets(found)
    assert not any(meets(n) for n in range(1, found))


def test_a_service_level_alone_lets_many_callers_hang_up() -> None:
    # Issue 14: a service-level target alone under Erlang A staffs a 160-Erlang queue with
    # impatient callers far below the load, at double-digit abandonment.
    queue = Queue(Model.ERLANG_A, 160.0, aht_s=180, patience_s=60, answer_within_s=20)

    level_only = staff(queue, Targets(service_level=0.8))
    capped = staff(queue, Targets(service_level=0.8, max_abandon=0.03))

    assert isinstance(level_only.figures, AbandonmentFigures)
    assert isinstance(capped.figures, AbandonmentFigures)
    assert level_only.agents < 160
    assert level_only.figures.abandon_probability > 0.1
    assert capped.agents > level_only.agents
    assert capped.figures.abandon_probability <= 0.03


def test_erlang_b_finds_the_fewest_lines_for_a_blocking_cap() -> None:
    # The classic table: 5 Erlangs need 11 lines for 1 % blocking (B(10) = 1.8 %).
    result = staff(Queue(Model.ERLANG_B, 5.0), Targets(max_blocking=0.01))

    assert result.agents == 11
    assert erlang_b(10, 5.0) > 0.01 >= erlang_b(11, 5.0)


def test_ten_thousand_agents_are_found_exactly() -> None:
    queue = Queue(Model.ERLANG_C, 10_000.0, aht_s=180, answer_within_s=20)
    result = staff(queue, Targets(service_level=0.8))

    assert 10_000 < result.agents < 10_100
    below = erlang_c(result.agents - 1, 10_000.0, aht_s=180, answer_within_s=20)
    assert below.service_level is not None
    assert below.service_level < 0.8


def test_fractional_requirements_add_up_below_the_sum_of_rounded_ones() -> None:
    queues = [
        Queue(Model.ERLANG_C, load, aht_s=180, answer_within_s=20) for load in (2.2, 3.1, 4.7)
    ]
    results = [staff(queue, Targets(service_level=0.8)) for queue in queues]

    fractional = sum(result.fractional_agents for result in results)
    assert fractional < sum(result.agents for result in results)
    assert all(r.agents - 1 < r.fractional_agents <= r.agents for r in results)


@pytest.mark.parametrize(
    ("agents", "shrinkage", "scheduled"), [(7, 0.3, 10), (14, 0.3, 20), (10, 0.0, 10), (1, 0.5, 2)]
)
def test_shrinkage_schedules_on_the_decimal_values(
    agents: int, shrinkage: float, scheduled: int
) -> None:
    # 7 ÷ 0.7 is 10.000000000000002 in binary floating point; a planner means 10.
    assert scheduled_agents(agents, shrinkage) == scheduled


def test_targets_the_model_cannot_honour_are_refused() -> None:
    with pytest.raises(ErlangError, match="max_abandon is not a target of erlang_c"):
        staff(C_QUEUE, Targets(max_abandon=0.05))
    with pytest.raises(ErlangError, match="answer_within_s"):
        staff(Queue(Model.ERLANG_C, 10.0, aht_s=180), Targets(service_level=0.8))
    with pytest.raises(ErlangError, match="at least one target"):
        staff(C_QUEUE, Targets())
    with pytest.raises(ErlangError, match="service_level must be"):
        staff(C_QUEUE, Targets(service_level=1.5))


def test_erlang_c_without_aht_gives_the_probabilities_and_no_times() -> None:
    figures = evaluate(Queue(Model.ERLANG_C, 10.0, answer_within_s=20), 12)

    assert isinstance(figures, QueueFigures)
    assert figures.waiting_probability == pytest.approx(0.4494, abs=1e-4)
    assert (figures.service_level, figures.asa_s) == (None, None)


def test_the_basis_changes_the_count_a_target_needs() -> None:
    def needed(basis: ServiceLevelBasis) -> int:
        queue = Queue(
            Model.ERLANG_A,
            40.0,
            aht_s=180,
            patience_s=60,
            answer_within_s=20,
            basis=basis,
            short_abandon_s=5,
        )
        return staff(queue, Targets(service_level=0.9)).agents

    # Abandons count against the level of offered calls, not against that of answered ones.
    assert needed(ServiceLevelBasis.ANSWERED) < needed(ServiceLevelBasis.OFFERED)
    assert needed(ServiceLevelBasis.OFFERED_LESS_SHORT_ABANDONS) <= needed(
        ServiceLevelBasis.OFFERED
    )
