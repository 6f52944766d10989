"""Red/amber/green against a target, whichever way is better."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lingting.engine.targets import Target

ANSWER_RATE = Target(green=0.9, amber=0.85)  # higher is better
ASA = Target(green=20, amber=30, higher_is_better=False)  # lower is better


@pytest.mark.parametrize(
    ("value", "status"),
    [(0.95, "green"), (0.9, "green"), (0.87, "amber"), (0.85, "amber"), (0.6, "red")],
)
def test_higher_is_better(value: float, status: str) -> None:
    assert ANSWER_RATE.status(value) == status


@pytest.mark.parametrize(
    ("value", "status"), [(12, "green"), (20, "green"), (25, "amber"), (31, "red")]
)
def test_lower_is_better(value: float, status: str) -> None:
    assert ASA.status(value) == status


def test_no_value_has_no_status() -> None:
    assert ANSWER_RATE.status(None) is None


def test_thresholds_the_wrong_way_round_are_refused() -> None:
    with pytest.raises(ValueError, match="green threshold"):
        Target(green=0.8, amber=0.9)
    with pytest.raises(ValueError, match="green threshold"):
        Target(green=30, amber=20, higher_is_better=False)


@given(
    st.floats(0, 1),
    st.floats(0, 1),
    st.floats(0, 1),
    st.floats(0, 1),
    st.booleans(),
)
def test_a_better_value_never_gets_a_worse_status(
    a: float, b: float, value: float, other: float, higher: bool
) -> None:
    green, amber = (max(a, b), min(a, b)) if higher else (min(a, b), max(a, b))
    target = Target(green=green, amber=amber, higher_is_better=higher)
    better, worse = (
        (max(value, other), min(value, other)) if higher else (min(value, other), max(value, other))
    )
    rank = {"green": 2, "amber": 1, "red": 0}

    assert rank[target.status(better)] >= rank[target.status(worse)]  # type: ignore[index]
