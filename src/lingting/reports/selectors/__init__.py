"""The quality reports' reads, a module per report: the weekly and monthly quality report
(`quality_report`), the daily monitoring detail (`detail`), the phase training plan
(`training`) and case analysis (`cases`), over what they share (`scope`, `rows`)."""

from lingting.reports.selectors.cases import case_analysis
from lingting.reports.selectors.detail import DetailRow, daily_detail
from lingting.reports.selectors.quality_report import quality_report
from lingting.reports.selectors.rows import CaseRow, QualityReport
from lingting.reports.selectors.scope import scope_label
from lingting.reports.selectors.training import TrainingPlan, training_plan

__all__ = [
    "CaseRow",
    "DetailRow",
    "QualityReport",
    "TrainingPlan",
    "case_analysis",
    "daily_detail",
    "quality_report",
    "scope_label",
    "training_plan",
]
