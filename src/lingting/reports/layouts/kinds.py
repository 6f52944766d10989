"""One entry point for every kind of report: `document_for`, and each kind's period."""

from __future__ import annotations

from lingting.core.models import User
from lingting.documents.document import ReportDocument
from lingting.documents.periods import Period, PeriodKind
from lingting.reports.layouts.cases import cases_document
from lingting.reports.layouts.daily import daily_document
from lingting.reports.layouts.quality import quality_document
from lingting.reports.layouts.training import training_document
from lingting.reports.selectors import (
    case_analysis,
    daily_detail,
    quality_report,
    scope_label,
    training_plan,
)

PERIOD_OF_KIND = {
    "daily": PeriodKind.DAY,
    "weekly": PeriodKind.WEEK,
    "monthly": PeriodKind.MONTH,
    "cases": PeriodKind.MONTH,
    "training": PeriodKind.MONTH,
}


def document_for(
    *,
    kind: str,
    period: Period,
    user: User | None,
    queue_id: int | None = None,
    team_id: int | None = None,
) -> ReportDocument:
    """The report `kind` ("daily", "weekly", "monthly", "cases", "training") of `period`
    as `user` may read it (None: the center-wide archive copy, personal numbers masked)."""
    label = scope_label(user) if user else ""
    if kind == "daily":
        rows = daily_detail(user=user, day=period, queue_id=queue_id, team_id=team_id)
        return daily_document(rows, period, label)
    if kind in ("weekly", "monthly"):
        return quality_document(quality_report(user=user, period=period))
    if kind == "cases":
        return cases_document(case_analysis(user=user, period=period), period, label)
    if kind == "training":
        return training_document(training_plan(user=user, period=period))
    raise ValueError(f"no report of kind {kind!r}")
