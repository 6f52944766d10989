"""A roster as a report document: the grid of agents by day (shift, pool and breaks in each
cell) and each agent's hours, for the XLSX a center prints and posts (issue 14)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from lingting.documents.document import Column, Fmt, ReportDocument, Table
from lingting.documents.exports.page import page_document
from lingting.workforce.models import Roster
from lingting.workforce.selectors.rosters import Cell, RosterGrid

WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")


def roster_document(*, roster: Roster, grid: RosterGrid) -> ReportDocument:
    table = Table(
        title=_("排班表"),
        columns=[
            Column(_("工号")),
            Column(_("姓名")),
            Column(_("班组")),
            *(Column(_day_title(day, statutory)) for day, statutory in grid.headers),
            Column(_("工时"), Fmt.NUMBER),
            Column(_("法定节假日工时 (300%)"), Fmt.NUMBER),
            Column(_("休息日工时"), Fmt.NUMBER),
            Column(_("夜班"), Fmt.INT),
        ],
        rows=[
            [
                row.agent.code,
                row.agent.name,
                row.agent.team.name if row.agent.team else "",
                *(_cell_text(cell) for cell in row.cells),
                row.hours,
                row.statutory_hours,
                row.rest_day_hours,
                row.nights,
            ]
            for row in grid.rows
        ],
        empty=_("这份排班没有班次。"),
    )
    return page_document(
        title=_("排班表"),
        scope_label=roster.get_status_display(),
        period_label=f"{roster.first_day:%Y-%m-%d} – {roster.last_day:%Y-%m-%d}",
        tables=[table],
        filename=f"roster-{roster.first_day:%Y%m%d}-{roster.last_day:%Y%m%d}",
    )


def _day_title(day: date, statutory: str) -> str:
    title = f"{day:%m-%d} {WEEKDAYS[day.weekday()]}"
    return f"{title} {_('法定')} {statutory}" if statutory else title


def _cell_text(cell: Cell | None) -> str:
    if cell is None:
        return _("休")
    text = f"{cell.code} {cell.starts:%H:%M}–{cell.ends:%H:%M}"
    if cell.queue:
        text += f" {cell.queue}"
    if cell.breaks:
        text += " · " + _("休息") + " " + ", ".join(f"{start:%H:%M}" for start, _end in cell.breaks)
    return text
