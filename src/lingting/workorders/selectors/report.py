"""The work-order report (工单报表): volume, on-time rate, return rate (回复退单率), handling
time, urges and repeat complaints of a month or an ISO week, beside the previous period.

Seed 004 reports 95598's 回复退单率 falling from 13% to 1.7% and 投诉处理及时率 reaching 97%;
this report gives those figures for Lingting's own loop. Definitions (the page states them):

- **Received** (受理量): orders taken in the period (their ``created_at``), cancelled ones
  included. By type: top-level orders (a split order's children are slices of one order).
  By department: the orders a department was given — an unsplit order by its department,
  a split one by each child order's department.
- **On-time rate** (办结及时率): of the top-level orders closed (已办结) in the period, the
  share closed by their stored ``due_at``. ``due_at`` is recomputed from the trail at every
  step (pauses push it later, a reopening restarts the clock), so at closing it is the
  deadline of the clock that ran then; the report reads it as stored, it does not recompute.
- **Return rate** (回复退单率): returns (退单) ÷ replies (回单), both counted from the trail
  (WorkOrderEvent rows whose time is in the period), on any order, child orders included.
- **Handling time** (平均处理时长): from acceptance (``created_at``) to closing
  (``closed_at``) of the top-level orders closed in the period, in natural hours and in
  business hours (the business calendar and the order's department's working hours, office
  hours when it has none).
- **Urges per order** (单均催单): the urges (催单, the order's counter, which matches its
  trail) of the top-level orders received in the period ÷ those orders.
- **Repeat-complaint rate** (重复投诉率): of the complaints (type ``complaint``, top-level)
  received in the period from a known customer, the share whose customer had already
  made another complaint in the N days before (the complaint type's ``repeat_days``, 30
  by default, unless asked otherwise): `selectors.earlier_orders`, the rule that links a
  new order to the one it repeats. Complaints without a customer cannot be matched and are
  left out of both counts.

Counts, sums and the natural-time average are aggregated in the database; only the
business hours are measured in Python, over the closed orders' two times and department.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.utils import timezone

from lingting.calendars.selectors import business_calendar
from lingting.documents.figures import Figure
from lingting.documents.periods import Period
from lingting.engine.calendars import working_time_between
from lingting.workorders.models import Department, WorkOrder, WorkOrderEvent, WorkOrderType
from lingting.workorders.selectors.deadlines import department_hours
from lingting.workorders.selectors.orders import earlier_orders

REPEAT_DAYS = 30  # when the complaint type is gone
COMPLAINT = "complaint"  # the 95598 type whose repeats are counted (tickets.seeds)
HOUR = 3600.0


@dataclass(slots=True)
class DepartmentCounts:
    received: int = 0
    replies: int = 0
    returns: int = 0

    @property
    def return_rate(self) -> float | None:
        return self.returns / self.replies if self.replies else None


@dataclass(slots=True)
class PeriodFigures:
    """The counts of one period; rates are None when their denominator is zero."""

    received: int = 0
    by_type: dict[str, int] = field(default_factory=dict)  # type name → received
    by_department: dict[str, DepartmentCounts] = field(default_factory=dict)
    closed: int = 0
    closed_on_time: int = 0
    replies: int = 0
    returns: int = 0
    urges: int = 0
    top_level: int = 0  # received top-level orders (the urges' denominator)
    natural_hours: float | None = None
    business_hours: float | None = None
    complaints: int = 0
    repeat_complaints: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return self.closed_on_time / self.closed if self.closed else None

    @property
    def return_rate(self) -> float | None:
        return self.returns / self.replies if self.replies else None

    @property
    def urges_per_order(self) -> float | None:
        return self.urges / self.top_level if self.top_level else None

    @property
    def repeat_rate(self) -> float | None:
        return self.repeat_complaints / self.complaints if self.complaints else None


# Which way each figure should move (a change is coloured good or bad news by it).
BETTER = {
    "received": 0,
    "closed": 0,
    "on_time_rate": 1,
    "return_rate": -1,
    "natural_hours": -1,
    "business_hours": -1,
    "urges_per_order": -1,
    "repeat_rate": -1,
}


@dataclass(frozen=True, slots=True)
class WorkOrderReport:
    period: Period
    previous: Period
    current: PeriodFigures
    before: PeriodFigures
    repeat_days: int

    def figure(self, name: str) -> Figure:
        return Figure(getattr(self.current, name), getattr(self.before, name), better=BETTER[name])

    def type_names(self) -> list[str]:
        """Types received in either period, the busiest first."""
        names = set(self.current.by_type) | set(self.before.by_type)
        return sorted(names, key=lambda n: (-self.current.by_type.get(n, 0), n))

    def department_names(self) -> list[str]:
        names = set(self.current.by_department) | set(self.before.by_department)
        return sorted(names, key=lambda n: (-_received(self.current, n), n))


def _received(figures: PeriodFigures, department: str) -> int:
    counts = figures.by_department.get(department)
    return counts.received if counts else 0


def complaint_repeat_days() -> int:
    """The repeat window of complaints, as set on their type (N of 重复投诉率)."""
    days = WorkOrderType.objects.filter(code=COMPLAINT).values_list("repeat_days", flat=True)
    return next(iter(days), REPEAT_DAYS) or REPEAT_DAYS


def workorder_report(period: Period, *, repeat_days: int = REPEAT_DAYS) -> WorkOrderReport:
    """The report of `period` beside the period before (the whole centre: every role that
    reads it sees every order)."""
    previous = period.previous()
    return WorkOrderReport(
        period=period,
        previous=previous,
        current=period_figures(period, repeat_days=repeat_days),
        before=period_figures(previous, repeat_days=repeat_days),
        repeat_days=repeat_days,
    )


def period_figures(period: Period, *, repeat_days: int = REPEAT_DAYS) -> PeriodFigures:
    start, end = period.bounds(timezone.get_default_timezone())
    figures = PeriodFigures()
    received = WorkOrder.objects.filter(created_at__gte=start, created_at__lt=end)
    top = received.filter(parent__isnull=True)
    totals = top.aggregate(orders=Count("id"), urges=Sum("urges"))
    figures.top_level = totals["orders"]
    figures.urges = totals["urges"] or 0
    figures.received = received.count()
    figures.by_type = dict(
        top.values_list("type__name").annotate(n=Count("id")).values_list("type__name", "n")
    )
    _department_counts(figures, received, start, end)
    _closing(figures, start, end)
    _trail_counts(figures, start, end)
    _repeats(figures, top, repeat_days)
    return figures


def _department_counts(
    figures: PeriodFigures, received: QuerySet[WorkOrder], start: datetime, end: datetime
) -> None:
    names = dict(Department.objects.values_list("pk", "name"))
    given = received.filter(department__isnull=False).values("department")
    for given_row in given.annotate(n=Count("id")):
        figures.by_department.setdefault(
            names[given_row["department"]], DepartmentCounts()
        ).received = given_row["n"]
    steps = (
        WorkOrderEvent.objects.filter(
            at__gte=start,
            at__lt=end,
            action__in=("reply", "return"),
            order__department__isnull=False,
        )
        .values("order__department")
        .annotate(
            replies=Count("id", filter=Q(action="reply")),
            returns=Count("id", filter=Q(action="return")),
        )
    )
    for row in steps:
        counts = figures.by_department.setdefault(
            names[row["order__department"]], DepartmentCounts()
        )
        counts.replies, counts.returns = row["replies"], row["returns"]


def _closing(figures: PeriodFigures, start: datetime, end: datetime) -> None:
    closed = WorkOrder.objects.filter(
        parent__isnull=True, state="closed", closed_at__gte=start, closed_at__lt=end
    )
    took = ExpressionWrapper(F("closed_at") - F("created_at"), output_field=DurationField())
    totals = closed.aggregate(
        closed=Count("id"),
        on_time=Count("id", filter=Q(due_at__isnull=False, closed_at__lte=F("due_at"))),
        natural=Avg(took),
    )
    figures.closed, figures.closed_on_time = totals["closed"], totals["on_time"]
    natural: timedelta | None = totals["natural"]
    figures.natural_hours = natural.total_seconds() / HOUR if natural is not None else None
    if not figures.closed:
        return
    calendar = business_calendar()
    hours = {d.pk: department_hours(d) for d in Department.objects.all()}
    office = department_hours(None)
    spent = [
        working_time_between(
            created,
            closed_at,
            calendar=calendar,
            hours=hours[department] if department is not None else office,
        )
        for created, closed_at, department in closed.values_list(
            "created_at", "closed_at", "department"
        )
        if closed_at is not None
    ]
    figures.business_hours = sum(s.total_seconds() for s in spent) / len(spent) / HOUR


def _trail_counts(figures: PeriodFigures, start: datetime, end: datetime) -> None:
    counts = WorkOrderEvent.objects.filter(at__gte=start, at__lt=end).aggregate(
        replies=Count("id", filter=Q(action="reply")),
        returns=Count("id", filter=Q(action="return")),
    )
    figures.replies, figures.returns = counts["replies"], counts["returns"]


def _repeats(figures: PeriodFigures, top: QuerySet[WorkOrder], days: int) -> None:
    earlier = earlier_orders(  # the same definition that links a repeat to its original
        customer=OuterRef("customer"),
        order_type=OuterRef("type"),
        before=OuterRef("created_at"),
        days=days,
    )
    complaints = top.filter(type__code=COMPLAINT, customer__isnull=False)
    counts = complaints.aggregate(
        complaints=Count("id"),
        repeats=Count("id", filter=Q(Exists(earlier))),
    )
    figures.complaints, figures.repeat_complaints = counts["complaints"], counts["repeats"]
