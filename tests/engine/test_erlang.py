"""Erlang B and C from the stable recursion agree with the textbook formulas (computed
exactly with fractions where they can be), and stay exact at 10,000 agents."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from lingting.engine.erlang import ErlangError, erlang_b, erlang_c


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
