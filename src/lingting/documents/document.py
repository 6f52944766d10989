"""A report laid out once, for every output: the page, the XLSX and the PDF read the same
sections, tables and charts, so the three can never disagree on a figure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from lingting.engine.charts import DEFAULT_FONT, ForecastBand, Series, bar_chart, line_chart


class Fmt(StrEnum):
    TEXT = "text"
    INT = "int"
    NUMBER = "number"  # one decimal
    PERCENT = "percent"  # a fraction shown as 12.3%
    CHANGE_INT = "change_int"  # +3 / −2
    CHANGE_NUMBER = "change_number"
    CHANGE_POINTS = "change_points"  # a change of a rate, in percentage points


@dataclass(frozen=True, slots=True)
class Num:
    """A cell whose format is its own (rows of one table may mix counts and rates)."""

    value: float | None
    fmt: Fmt
    better: int = 0  # for a change: +1 a rise is good news, −1 bad news, 0 neither

    @property
    def tone(self) -> str:
        """ "good" or "bad" news for a change with a direction; "" otherwise."""
        if not self.better or not self.value:
            return ""
        return "good" if (self.value > 0) == (self.better > 0) else "bad"


Cell = str | int | float | Num | None


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    fmt: Fmt = Fmt.TEXT
    wide: bool = False  # free text (notes, quotes): wraps


@dataclass(frozen=True, slots=True)
class Table:
    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Cell]]
    empty: str = ""  # said instead of an empty table

    def html_rows(self) -> list[list[tuple[str, str]]]:
        """Each cell's text and CSS classes: numbers right-aligned, changes coloured as
        good or bad news."""
        return [
            [
                (display(cell, column.fmt), _cell_classes(cell, column))
                for cell, column in zip(row, self.columns, strict=True)
            ]
            for row in self.rows
        ]

    def formatted(self) -> list[list[str]]:
        return [
            [display(cell, column.fmt) for cell, column in zip(row, self.columns, strict=True)]
            for row in self.rows
        ]


@dataclass(frozen=True, slots=True)
class Chart:
    """Data for a chart: SVG for the page and the PDF, a native chart in the XLSX."""

    kind: str  # "bar" or "line"
    title: str
    labels: Sequence[str]
    series: Sequence[Series]
    percent: bool = False
    forecast: Sequence[ForecastBand | None] = ()
    forecast_name: str = ""

    def svg(self, *, font_family: str = DEFAULT_FONT) -> str:
        if self.kind == "bar":
            return bar_chart(
                title=self.title,
                labels=self.labels,
                series=self.series,
                percent=self.percent,
                font_family=font_family,
            )
        return line_chart(
            title=self.title,
            labels=self.labels,
            series=self.series,
            forecast=self.forecast,
            forecast_name=self.forecast_name,
            percent=self.percent,
            font_family=font_family,
        )


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    paragraphs: Sequence[str] = ()
    tables: Sequence[Table] = ()
    charts: Sequence[Chart] = ()


@dataclass(frozen=True, slots=True)
class ReportDocument:
    title: str  # 质检月报
    period_label: str  # 2026-10（2026-10-01 至 2026-10-31）
    scope_label: str  # 全中心 / 一班
    generated_at: datetime
    sections: Sequence[Section] = field(default_factory=tuple)
    filename: str = "report"  # without extension, ASCII


def _cell_classes(cell: Cell, column: Column) -> str:
    numeric = isinstance(cell, int | float | Num) and column.fmt != Fmt.TEXT
    tone = cell.tone if isinstance(cell, Num) else ""
    return " ".join(filter(None, ["num" if numeric else "", f"change-{tone}" if tone else ""]))


def display(cell: Cell, fmt: Fmt) -> str:
    """A cell as text, the way the page and the PDF show it."""
    if isinstance(cell, Num):
        return display(cell.value, cell.fmt)
    if cell is None:
        return "—"
    if isinstance(cell, str):
        return cell
    value = float(cell)
    if fmt == Fmt.INT:
        return f"{value:,.0f}"
    if fmt == Fmt.NUMBER:
        return f"{value:,.1f}"
    if fmt == Fmt.PERCENT:
        return f"{value * 100:.1f}%"
    if fmt == Fmt.CHANGE_INT:
        return f"{value:+,.0f}"
    if fmt == Fmt.CHANGE_NUMBER:
        return f"{value:+,.1f}"
    if fmt == Fmt.CHANGE_POINTS:
        return f"{value * 100:+.1f}pp"
    return str(cell)
