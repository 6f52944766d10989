"""The service competitiveness index (服务竞争力指数) of seed 004 篇1 (Shanghai Unicom).

A choice-intention survey wave asks users of every operator which operator they would
choose. With, per operator, the share of its surveyed users who would choose us and its
subscriber count:

    index = Σ (share choosing us × subscribers) ÷ Σ subscribers × 100

over all operators, ours included. Its two parts:

- retention (维系竞争力): our own users' share choosing us again, × 100;
- market (市场竞争力): the rivals' users choosing us, weighted by the rivals' subscribers,
  Σ (share × subscribers) ÷ Σ subscribers over the rivals only, × 100.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class WaveError(ValueError):
    """A wave that cannot give an index, with the reason in words."""


@dataclass(frozen=True, slots=True)
class OperatorAnswers:
    operator: str
    subscribers: int
    asked: int  # this operator's users who answered the choice question
    choosing_us: int
    ours: bool = False


@dataclass(frozen=True, slots=True)
class Competitiveness:
    index: float
    retention: float
    market: float | None  # None where the wave asked no rival's users


def competitiveness(answers: Sequence[OperatorAnswers]) -> Competitiveness:
    """The index and its two parts for one wave; `WaveError` when it has none."""
    ours = [a for a in answers if a.ours]
    if len(ours) != 1:
        raise WaveError("a wave needs exactly one operator marked as ours")
    for a in answers:
        if a.subscribers < 0 or a.asked < 0 or not 0 <= a.choosing_us <= a.asked:
            raise WaveError(f"{a.operator}: counts must be ≥ 0 and choosing us ≤ asked")
        if a.asked == 0:
            raise WaveError(f"{a.operator}: no users asked")
    rivals = [a for a in answers if not a.ours]
    total = sum(a.subscribers for a in answers)
    if total == 0:
        raise WaveError("no subscribers entered")
    rival_total = sum(a.subscribers for a in rivals)
    market = _weighted(rivals) / rival_total * 100 if rival_total else None
    return Competitiveness(
        index=_weighted(answers) / total * 100,
        retention=ours[0].choosing_us / ours[0].asked * 100,
        market=market,
    )


def _weighted(answers: Sequence[OperatorAnswers]) -> float:
    return sum(a.choosing_us / a.asked * a.subscribers for a in answers)
