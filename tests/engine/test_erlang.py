"""Erlang B and C from the stable recursion agree with the textbook formulas (computed
exactly with fractions where they can be), and stay exact at 10,000 agents."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from lingting.engine.erlang import ErlangError, ServiceLevelBasis, erlang_a, erlang_b, erlang_c


def b_by_factorials(n: int, a: Fraction) -> Fraction:
    terms = [a**k / math.factorial(k) for k in range(n + 1)]
    return terms[n] / sum(terms)


def c_by_factorials(n: int, a: Fraction) -> Fraction:
    waiting = a**n / math.factorial(n) * n / (n - a)
    return waiting / (sum(a**k / math.factorial(k) for k in range(n)) + waiting)


@pytest.mark.parametrize("traffic", ["0.5", "5", "12.25", "30"])
def test_erlang_b_is_the_textbook_blocking(traffic: str) -> None:
    a = Fraction(traffic)
    for n in range(0, 41):
        assert erlang_b(n, float(a)) == pytest.approx(float(b_by_factorials(n, a)), rel=1e-12)


def test_ten_lines_offered_five_erlangs_block_one_call_in_fifty_four() -> None:
    assert erlang_b(10, 5.0) == pytest.approx(0.0183845, abs=1e-7)


@pytest.mark.parametrize(("agents", "traffic"), [(3, "2"), (12, "10"), (25, "20.5"), (40, "39")])
def test_erlang_c_is_the_textbook_waiting_probability(agents: int, traffic: str) -> None:
    a = Fraction(traffic)
    figures = erlang_c(agents, float(a), aht_s=180, answer_within_s=20)

    waiting = float(c_by_factorials(agents, a))
    assert figures.waiting_probability == pytest.approx(waiting, rel=1e-12)
    drain = (agents - float(a)) / 180
    assert figures.service_level == pytest.approx(1 - waiting * math.exp(-drain * 20), rel=1e-12)
    assert figures.asa_s == pytest.approx(waiting * 180 / (agents - float(a)), rel=1e-12)
    assert figures.occupancy == pytest.approx(float(a) / agents)


def test_more_agents_wait_less_and_answer_more_within_t() -> None:
    figures = [erlang_c(n, 10.0, aht_s=180, answer_within_s=20) for n in range(11, 20)]

    waits = [f.waiting_probability for f in figures]
    levels = [f.service_level for f in figures]
    assert waits == sorted(waits, reverse=True)
    assert levels == sorted(levels)


def test_a_load_the_agents_cannot_carry_never_answers_in_time() -> None:
    for agents in (10, 8):
        figures = erlang_c(agents, 10.0, aht_s=180, answer_within_s=20)
        assert (figures.waiting_probability, figures.service_level, figures.asa_s) == (1, 0, None)


def test_ten_thousand_agents_are_computed_without_overflow() -> None:
    blocking = erlang_b(10_000, 9_800.0)
    figures = erlang_c(10_000, 9_800.0, aht_s=300, answer_within_s=20)

    assert 0 < blocking < 1
    assert 0 < figures.waiting_probability < 1
    assert 0 < figures.service_level < 1
    assert erlang_b(10_001, 9_800.0) < blocking


@pytest.mark.parametrize(
    ("agents", "traffic", "aht_s"),
    [(-1, 5.0, 180), (5, -0.1, 180), (5, float("nan"), 180), (5, float("inf"), 180), (5, 2.0, 0)],
)
def test_an_impossible_case_is_refused_with_its_reason(
    agents: int, traffic: float, aht_s: float
) -> None:
    with pytest.raises(ErlangError):
        erlang_c(agents, traffic, aht_s=aht_s, answer_within_s=20)


# Erlang A (M/M/n+M) --------------------------------------------------------------------------


def birth_death_figures(
    n: int, a: float, aht: float, patience: float, t: float
) -> dict[str, float]:
    """The chain itself, state by state (truncated where the tail is negligible), and a tagged
    caller's answer-within-t probability stage by stage: an independent way to the figures."""
    lam, mu, theta = a / aht, 1 / aht, 1 / patience
    weights = [1.0]
    k = 0
    while k <= n or weights[-1] > 1e-18 * sum(weights):
        k += 1
        weights.append(weights[-1] * lam / (min(k, n) * mu + max(k - n, 0) * theta))
    total = sum(weights)
    states = [w / total for w in weights]
    queue_length = sum((k - n) * p for k, p in enumerate(states) if k > n)
    abandon = theta * queue_length / lam
    in_time = sum(states[:n])
    answered_wait = 0.0
    for ahead, p in enumerate(states[n:]):
        rates = [n * mu + (m + 1) * theta for m in range(ahead + 1)]
        answered = n * mu / (n * mu + (ahead + 1) * theta)
        in_time += p * answered * hypoexponential_cdf(rates, t)
        answered_wait += p * answered * sum(1 / r for r in rates)
    return {
        "waiting": sum(states[n:]),
        "abandon": abandon,
        "service_level": in_time,
        "asa": answered_wait / (1 - abandon),
        "mean_wait": queue_length / lam,
        "occupancy": a * (1 - abandon) / n,
    }


def hypoexponential_cdf(rates: list[float], t: float) -> float:
    """P(sum of exponential stages ≤ t), by stepping the stage chain through small time steps
    (the matrix exponential of its generator by repeated squaring of a Taylor step)."""
    size = len(rates) + 1
    generator = np.zeros((size, size))
    for i, rate in enumerate(rates):
        generator[i, i], generator[i, i + 1] = -rate, rate
    steps = 2**20
    step = (
        np.eye(size) + generator * t / steps + (generator * t / steps) @ (generator * t / steps) / 2
    )
    for _ in range(20):
        step = step @ step
    return float(step[0, -1])


@pytest.mark.parametrize(
    ("agents", "traffic", "patience"),
    [(10, 8.0, 60.0), (5, 8.0, 120.0), (30, 25.0, 300.0), (3, 1.5, 30.0), (50, 60.0, 200.0)],
)
def test_erlang_a_closed_forms_are_the_chain_itself(
    agents: int, traffic: float, patience: float
) -> None:
    figures = erlang_a(agents, traffic, aht_s=180, patience_s=patience, answer_within_s=20)
    chain = birth_death_figures(agents, traffic, 180, patience, 20)

    assert figures.waiting_probability == pytest.approx(chain["waiting"], rel=1e-9)
    assert figures.abandon_probability == pytest.approx(chain["abandon"], rel=1e-9)
    assert figures.service_level == pytest.approx(chain["service_level"], rel=1e-7)
    assert figures.asa_s == pytest.approx(chain["asa"], rel=1e-7)
    assert figures.mean_wait_s == pytest.approx(chain["mean_wait"], rel=1e-9)
    assert figures.occupancy == pytest.approx(chain["occupancy"], rel=1e-9)


def test_erlang_a_agrees_with_pyworkforces_published_test_values() -> None:
    # pyworkforce 0.5.4 tests/test_abandonment.py: 100 calls in 30 minutes, 3-minute handling,
    # 5-minute patience, 14 agents, T = 20 s (their "asa" is the mean wait of all arrivals).
    figures = erlang_a(14, 100 * 3 / 30, aht_s=180, patience_s=300, answer_within_s=20)

    assert round(figures.waiting_probability, 5) == 0.14526
    assert round(figures.abandon_probability, 6) == 0.013984
    assert round(figures.occupancy, 6) == 0.704297
    assert round(figures.mean_wait_s / 60, 6) == 0.069919
    assert round(figures.service_level or 0, 6) == 0.916792


def test_erlang_a_tends_to_erlang_c_as_callers_grow_patient() -> None:
    patient = erlang_a(12, 10.0, aht_s=180, patience_s=1e7, answer_within_s=20)
    forever = erlang_c(12, 10.0, aht_s=180, answer_within_s=20)

    assert patient.waiting_probability == pytest.approx(forever.waiting_probability, rel=1e-4)
    assert patient.service_level == pytest.approx(forever.service_level, rel=1e-4)
    assert patient.asa_s == pytest.approx(forever.asa_s, rel=1e-3)
    assert patient.abandon_probability < 1e-5


def test_erlang_a_is_stable_with_fewer_agents_than_the_load() -> None:
    # 160 Erlangs on 140 agents: Erlang C has no answer, Erlang A's callers hang up instead.
    figures = erlang_a(140, 160.0, aht_s=180, patience_s=60, answer_within_s=20)

    assert 0 < figures.abandon_probability < 1
    # At most 140 of 160 Erlangs can be carried: at least 1/8 of callers hang up.
    assert figures.abandon_probability >= 1 - 140 / 160
    assert figures.occupancy <= 1


def test_erlang_a_at_ten_thousand_agents_neither_overflows_nor_loses_its_tail() -> None:
    loaded = erlang_a(10_000, 9_900.0, aht_s=180, patience_s=120, answer_within_s=20)
    light = erlang_a(10_000, 10.0, aht_s=180, patience_s=120, answer_within_s=20)

    assert 0 < loaded.waiting_probability < 1
    assert 0 < loaded.abandon_probability < loaded.waiting_probability
    assert 0.9 < (loaded.service_level or 0) < 1
    assert light.waiting_probability == 0
    assert light.service_level == 1
    assert light.asa_s == 0


def test_the_service_level_basis_is_explicit() -> None:
    def level(basis: ServiceLevelBasis, short: float = 0.0) -> float:
        figures = erlang_a(
            9,
            10.0,
            aht_s=180,
            patience_s=60,
            answer_within_s=20,
            basis=basis,
            short_abandon_s=short,
        )
        assert figures.service_level is not None
        return figures.service_level

    of_offered = level(ServiceLevelBasis.OFFERED)
    of_answered = level(ServiceLevelBasis.ANSWERED)
    less_short = level(ServiceLevelBasis.OFFERED_LESS_SHORT_ABANDONS, short=5)
    offered = erlang_a(9, 10.0, aht_s=180, patience_s=60, answer_within_s=20)

    assert of_answered == pytest.approx(of_offered / (1 - offered.abandon_probability))
    assert of_offered < less_short < of_answered
    # Counting no hang-up as short changes nothing.
    assert level(ServiceLevelBasis.OFFERED_LESS_SHORT_ABANDONS, short=0) == pytest.approx(
        of_offered
    )


def test_erlang_a_refuses_what_it_cannot_compute() -> None:
    with pytest.raises(ErlangError, match="patience"):
        erlang_a(10, 8.0, aht_s=180, patience_s=0, answer_within_s=20)
    with pytest.raises(ErlangError, match="at least one agent"):
        erlang_a(0, 8.0, aht_s=180, patience_s=60, answer_within_s=20)
