"""The quality app's models, one module per part of the QA work."""

from lingting.quality.models.calibration import AgreedAnswer, CalibrationSession, CalibrationStatus
from lingting.quality.models.cases import Case, CaseKind
from lingting.quality.models.disputes import Dispute, DisputeStatus
from lingting.quality.models.judge import JudgeSettings, ModelJudgement
from lingting.quality.models.meaning import ContactMeaning, CustomerEmotion
from lingting.quality.models.reviews import Evaluation, Finding, FindingScope, ReviewedItem
from lingting.quality.models.sampling import (
    Allocation,
    AssignmentKind,
    AssignmentStatus,
    PlanReviewer,
    ReviewAssignment,
    SampleDraw,
    SamplingMethod,
    SamplingPlan,
    Schedule,
    StratifyBy,
)
from lingting.quality.models.scoring import (
    ContactScore,
    ItemFailure,
    QueueScorecard,
    Scorecard,
    ScorecardVersion,
    VersionStatus,
)

__all__ = [
    "AgreedAnswer",
    "Allocation",
    "AssignmentKind",
    "AssignmentStatus",
    "CalibrationSession",
    "CalibrationStatus",
    "Case",
    "CaseKind",
    "ContactMeaning",
    "ContactScore",
    "CustomerEmotion",
    "Dispute",
    "DisputeStatus",
    "Evaluation",
    "Finding",
    "FindingScope",
    "ItemFailure",
    "JudgeSettings",
    "ModelJudgement",
    "PlanReviewer",
    "QueueScorecard",
    "ReviewAssignment",
    "ReviewedItem",
    "SampleDraw",
    "SamplingMethod",
    "SamplingPlan",
    "Schedule",
    "Scorecard",
    "ScorecardVersion",
    "StratifyBy",
    "VersionStatus",
]
