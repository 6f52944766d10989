"""A report's figure: this period's value beside the previous period's, and which way a
change is good news (the writers colour it)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from lingting.documents.document import Cell, Column, Fmt, Num


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


# The format of a figure's change, by the format of the figure: a rate changes in points.
CHANGE = {Fmt.INT: Fmt.CHANGE_INT, Fmt.NUMBER: Fmt.CHANGE_NUMBER, Fmt.PERCENT: Fmt.CHANGE_POINTS}


def figure_cells(figure: Figure, fmt: Fmt) -> list[Cell]:
    """A figure as a table's three cells: this period, the previous one, the change."""
    change = Num(figure.change, CHANGE[fmt], better=figure.better)
    return [Num(figure.value, fmt), Num(figure.previous, fmt), change]


def figure_columns(fmt: Fmt, label: str) -> list[Column]:
    """The three columns `figure_cells` fills, the first headed `label`."""
    return [
        Column(label, fmt),
        Column(_("上期"), fmt),
        Column(_("变化"), CHANGE[fmt]),
    ]
