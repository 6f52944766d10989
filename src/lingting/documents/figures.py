"""A report's figure: this period's value beside the previous period's, and which way a
change is good news (the writers colour it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure of this period beside the previous period's."""

    value: float | None
    previous: float | None
    better: int = 0  # +1 when a rise is good news, −1 when it is bad news, 0 neither

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous
