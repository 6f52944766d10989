"""我的成绩: an agent's own monitoring records, their trend, and what is still to do
(records to sign for, disputes whose window is closing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.core.models import User
from lingting.engine.charts import Series, line_chart
from lingting.interactions.models import Contact
from lingting.quality.models import AssignmentKind, Evaluation
from lingting.quality.selectors.disputes import dispute_deadline
from lingting.quality.selectors.reviews import evaluations_for

RECORDS_SHOWN = 100
TREND_WEEKS = 12


@dataclass(frozen=True, slots=True)
class MyRecord:
    evaluation: Evaluation
    deadline: datetime  # the last moment the agent may dispute it
    lost_items: int  # items that cost points: what could be disputed
    disputed: int

    @property
    def time_left(self) -> timedelta:
        return max(self.deadline - timezone.now(), timedelta(0))

    @property
    def countdown(self) -> str:
        """剩 2 天 23 小时 / 剩 5 小时 / 已截止: the dispute window as the agent reads it."""
        left = self.time_left
        if not left:
            return _("申诉已截止")
        days, hours = left.days, left.seconds // 3600
        if days:
            return _("剩 %(days)d 天 %(hours)d 小时") % {"days": days, "hours": hours}
        return _("剩 %(hours)d 小时") % {"hours": max(hours, 1)}

    @property
    def closing(self) -> bool:
        """Under a day left with points still undisputed: the page warns."""
        return timedelta(0) < self.time_left < timedelta(days=1) and self.lost_items > 0


@dataclass(frozen=True, slots=True)
class MyScores:
    records: list[MyRecord]
    trend_svg: str  # "" when there is nothing to draw

    @property
    def to_acknowledge(self) -> int:
        return sum(1 for r in self.records if r.evaluation.acknowledged_at is None)


def my_records(user: User) -> list[MyRecord]:
    """The sample records about `user`'s own contacts, newest first."""
    evaluations = (
        evaluations_for(user)
        .filter(kind=AssignmentKind.SAMPLE, contact__agent__user=user)
        .annotate(
            lost_items=Count("items", filter=Q(items__points_lost__gt=0), distinct=True),
            disputed=Count("disputes", distinct=True),
        )
        .order_by("-submitted_at", "-id")[:RECORDS_SHOWN]
    )
    return [
        MyRecord(
            evaluation=evaluation,
            deadline=dispute_deadline(evaluation),
            lost_items=evaluation.lost_items,
            disputed=evaluation.disputed,
        )
        for evaluation in evaluations
    ]


def my_scores_page(user: User) -> MyScores:
    return MyScores(records=my_records(user), trend_svg=_trend_svg(user))


def _trend_svg(user: User) -> str:
    """Weekly averages over the agent's last TREND_WEEKS weeks of contacts: the automatic
    score and the reviewed records."""
    contacts = Contact.objects.filter(agent__user=user)
    latest = contacts.filter(current_score__isnull=False).order_by("-started_at").first()
    if latest is None or latest.started_at is None:
        return ""
    last_week = _week_of(timezone.localdate(latest.started_at))
    weeks = [last_week - timedelta(weeks=n) for n in reversed(range(TREND_WEEKS))]
    since = timezone.make_aware(datetime.combine(weeks[0], datetime.min.time()))
    automatic = _weekly(
        contacts.filter(started_at__gte=since, current_score__isnull=False),
        "started_at",
        "current_score__score",
    )
    reviewed = _weekly(
        Evaluation.objects.filter(
            kind=AssignmentKind.SAMPLE, contact__agent__user=user, contact__started_at__gte=since
        ),
        "contact__started_at",
        "score",
    )
    return line_chart(
        title=_("每周平均得分"),
        labels=[f"{week:%m-%d}" for week in weeks],
        series=[
            Series(_("自动质检"), [automatic.get(week) for week in weeks]),
            Series(_("人工质检"), [reviewed.get(week) for week in weeks]),
        ],
    )


def _week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _weekly(rows: QuerySet[Any], moment: str, score: str) -> dict[date, float]:
    averages = (
        rows.annotate(week=TruncWeek(moment))
        .values("week")
        .annotate(mean=Avg(score))
        .order_by()
        .values_list("week", "mean")
    )
    return {_as_date(week): mean for week, mean in averages if mean is not None}


def _as_date(week: date | datetime) -> date:
    return timezone.localdate(week) if isinstance(week, datetime) else week
