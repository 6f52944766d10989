"""The formulas against a discrete-event simulation of the same queues (Ciw), as issue 14
asks: simulated callers arrive, wait, hang up or are answered, and what they experienced must
match what the engine predicts, within the simulation's own sampling error.

Seeds are fixed, so the runs are the same every time; the tolerances are several standard
errors of runs this long, not fitted to them.
"""

from __future__ import annotations

from dataclasses import dataclass

import ciw
import pytest

from lingting.engine.erlang import erlang_a, erlang_c

AHT_S = 180.0
T_S = 20.0
WARM_UP_S = 20 * AHT_S


@dataclass(frozen=True, slots=True)
class Observed:
    waiting: float
    abandon: float
    service_level: float  # answered within T ÷ all arrivals
    asa_s: float  # mean wait of answered calls


def simulate(agents: int, traffic: float, patience_s: float | None, *, seed: int) -> Observed:
    ciw.seed(seed)
    reneging = None if patience_s is None else [ciw.dists.Exponential(1 / patience_s)]
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(traffic / AHT_S)],
        service_distributions=[ciw.dists.Exponential(1 / AHT_S)],
        number_of_servers=[agents],
        reneging_time_distributions=reneging,
    )
    simulation = ciw.Simulation(network)
    horizon = WARM_UP_S + 40_000 / (traffic / AHT_S)  # about 40,000 callers after warm-up
    simulation.simulate_until_max_time(horizon)
    records = [r for r in simulation.get_all_records() if r.arrival_date > WARM_UP_S]
    answered = [r for r in records if r.record_type == "service"]
    return Observed(
        waiting=sum(r.waiting_time > 0 for r in records) / len(records),
        abandon=sum(r.record_type == "renege" for r in records) / len(records),
        service_level=sum(r.waiting_time <= T_S for r in answered) / len(records),
        asa_s=sum(r.waiting_time for r in answered) / len(answered),
    )


@pytest.mark.parametrize(
    ("agents", "traffic", "patience_s"),
    [(10, 8.0, 120.0), (18, 20.0, 60.0), (35, 30.0, 300.0)],
)
def test_erlang_a_matches_a_simulated_queue_with_hang_ups(
    agents: int, traffic: float, patience_s: float
) -> None:
    figures = erlang_a(agents, traffic, aht_s=AHT_S, patience_s=patience_s, answer_within_s=T_S)
    observed = simulate(agents, traffic, patience_s, seed=agents)

    assert observed.waiting == pytest.approx(figures.waiting_probability, abs=0.025)
    assert observed.abandon == pytest.approx(figures.abandon_probability, abs=0.01)
    assert observed.service_level == pytest.approx(figures.service_level, abs=0.02)
    assert observed.asa_s == pytest.approx(figures.asa_s, rel=0.08)


def test_erlang_c_matches_a_simulated_queue_of_patient_callers() -> None:
    figures = erlang_c(13, 10.0, aht_s=AHT_S, answer_within_s=T_S)
    observed = simulate(13, 10.0, None, seed=7)

    assert observed.abandon == 0
    assert observed.waiting == pytest.approx(figures.waiting_probability, abs=0.025)
    assert observed.service_level == pytest.approx(figures.service_level, abs=0.02)
    assert observed.asa_s == pytest.approx(figures.asa_s, rel=0.15)
