"""Targets for KPIs and their red/amber/green status.

A target says which value is good (green), which is a warning (amber) and which way is
better: an answer rate is better higher, an average speed of answer lower. Everything past
the amber threshold is red. A figure with no value (no calls) has no status.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["green", "amber", "red"]


@dataclass(frozen=True, slots=True)
class Target:
    green: float  # at or past this, the figure is on target
    amber: float  # at or past this (but not green), it is a warning
    higher_is_better: bool = True

    def __post_init__(self) -> None:
        ordered = self.green >= self.amber if self.higher_is_better else self.green <= self.amber
        if not ordered:
            better = "higher" if self.higher_is_better else "lower"
            raise ValueError(
                f"when {better} is better the green threshold ({self.green}) must be "
                f"{'≥' if self.higher_is_better else '≤'} the amber one ({self.amber})"
            )

    def status(self, value: float | None) -> Status | None:
        if value is None:
            return None
        if self.higher_is_better:
            return "green" if value >= self.green else "amber" if value >= self.amber else "red"
        return "green" if value <= self.green else "amber" if value <= self.amber else "red"
