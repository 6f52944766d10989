"""Reads of the improvement loop: who is below target three months running, why (their QA
findings), their plans, the trainings and the training needs reviews raised.

Monthly figures per agent come from the performance app's KPI table (`kpi_table_for`
grouped by agent and month: the FORMATS.md KPIs, FCR, transfers, QA score and pass rate),
coloured (a `TargetBook`) against the agent's team's target, else their main queue's,
else the center's. One rule is kept here: while operations has set no QA-score target at
all, the QA score is judged against `DEFAULT_QA_SCORE_TARGET`, so the check seed 001
describes works on a fresh installation too."""

from lingting.coaching.selectors.detection import Detected, Detection, detect_below_target
from lingting.coaching.selectors.diagnosis import (
    Diagnosis,
    Example,
    IssueNote,
    ItemCount,
    TopicCount,
    agent_diagnosis,
    training_items,
)
from lingting.coaching.selectors.effect import (
    COMPARISONS,
    Cohort,
    Comparison,
    MonthMeans,
    PlanEffect,
    plan_cohorts,
    plan_effect,
)
from lingting.coaching.selectors.figures import (
    DEFAULT_QA_SCORE_TARGET,
    EXAMPLES,
    LOOKBACK_MONTHS,
    QA_SCORE,
    RATE_FIGURES,
    AgentTarget,
    Figure,
    FigureSeries,
    TargetSource,
    agent_month_figures,
    figure_named,
    figures,
    month_end,
)
from lingting.coaching.selectors.plans import (
    PhaseCell,
    plan_for,
    plan_phases,
    plans_for,
    session_contacts,
)
from lingting.coaching.selectors.training import (
    IssueTracking,
    RaisedNeed,
    TrainingNeed,
    WeekRate,
    training_needs,
    training_tracking,
    trainings_listed,
)

__all__ = [
    "COMPARISONS",
    "DEFAULT_QA_SCORE_TARGET",
    "EXAMPLES",
    "LOOKBACK_MONTHS",
    "QA_SCORE",
    "RATE_FIGURES",
    "AgentTarget",
    "Cohort",
    "Comparison",
    "Detected",
    "Detection",
    "Diagnosis",
    "Example",
    "Figure",
    "FigureSeries",
    "IssueNote",
    "IssueTracking",
    "ItemCount",
    "MonthMeans",
    "PhaseCell",
    "PlanEffect",
    "RaisedNeed",
    "TargetSource",
    "TopicCount",
    "TrainingNeed",
    "WeekRate",
    "agent_diagnosis",
    "agent_month_figures",
    "detect_below_target",
    "figure_named",
    "figures",
    "month_end",
    "plan_cohorts",
    "plan_effect",
    "plan_for",
    "plan_phases",
    "plans_for",
    "session_contacts",
    "training_items",
    "training_needs",
    "training_tracking",
    "trainings_listed",
]
