"""客户之声: what customers contacted the center about this week, against the weeks before.

Weeks here are the seven days ending on a day (by default the latest day with a contact in a
topic, today at most), and the seven days before each: a page read on a Monday compares
whole weeks, not one day with seven. Counts cover the contacts of the reader's quality
reports (`report_scope`): the whole center for QA and managers, a team leader's teams'.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from lingting.core.models import User
from lingting.engine.topics import TopicTrend, topic_trends
from lingting.interactions.models import ContactTopic, Topic
from lingting.interactions.selectors import local_midnight
from lingting.reports.permissions import report_scope

TREND_WEEKS = 8  # the weeks a topic's small chart shows, this week last
BASELINE_WEEKS = 4  # the weeks before this one its count is compared with
BAR_WIDTH, BAR_GAP, CHART_HEIGHT = 8, 2, 24


@dataclass(frozen=True, slots=True)
class Bar:
    """One week of a topic's small chart, in SVG units."""

    x: int
    y: float
    height: float
    count: int
    first_day: date


@dataclass(frozen=True, slots=True)
class TopicRow:
    topic: Topic
    trend: TopicTrend
    bars: list[Bar]

    @property
    def change_percent(self) -> int | None:
        change = self.trend.change
        return None if change is None else round(change * 100)


@dataclass(frozen=True, slots=True)
class TopicsPage:
    week_start: date
    week_end: date  # inclusive
    rows: list[TopicRow]  # spikes, then rising topics, then by this week's count
    total: int  # contacts with a topic this week
    chart_width: int
    chart_height: int
    clustered_at: datetime | None  # when the topics were found

    @property
    def spikes(self) -> int:
        return sum(1 for row in self.rows if row.trend.spike)

    @property
    def rising(self) -> int:
        return sum(1 for row in self.rows if row.trend.rising)


def topics_page_for(*, user: User, end: date | None = None) -> TopicsPage:
    """This week's topics of `user`'s contacts (the seven days ending `end`), each with its
    counts of the `TREND_WEEKS` weeks and whether it is rising or a spike."""
    links = ContactTopic.objects.filter(report_scope(user, via="contact"))
    end = end or _latest_day(links)
    starts = [end - timedelta(days=7 * (TREND_WEEKS - n) - 1) for n in range(TREND_WEEKS)]
    bounds = [(local_midnight(s), local_midnight(s + timedelta(days=7))) for s in starts]
    counts = (
        links.filter(contact__started_at__gte=bounds[0][0], contact__started_at__lt=bounds[-1][1])
        .values("topic_id")
        .annotate(
            **{
                f"w{n}": Count(
                    "pk", filter=Q(contact__started_at__gte=low, contact__started_at__lt=high)
                )
                for n, (low, high) in enumerate(bounds)
            }
        )
    )
    weekly = {
        row[0]: list(row[1:])
        for row in counts.values_list("topic_id", *(f"w{n}" for n in range(TREND_WEEKS)))
    }
    topics = {topic.pk: topic for topic in Topic.objects.all()}
    trends = topic_trends(
        {pk: weekly.get(pk, [0] * TREND_WEEKS) for pk in topics}, previous_weeks=BASELINE_WEEKS
    )
    rows = [
        TopicRow(topic=topics[t.topic_id], trend=t, bars=_bars(t.weeks, starts)) for t in trends
    ]
    rows.sort(key=lambda r: (not r.trend.spike, not r.trend.rising, -r.trend.this_week))
    return TopicsPage(
        week_start=starts[-1],
        week_end=end,
        rows=rows,
        total=sum(r.trend.this_week for r in rows),
        chart_width=TREND_WEEKS * (BAR_WIDTH + BAR_GAP),
        chart_height=CHART_HEIGHT,
        clustered_at=min((t.created_at for t in topics.values()), default=None),
    )


def _latest_day(links: QuerySet[ContactTopic]) -> date:
    """The latest local day with a contact in a topic (today when there is none, or when a
    contact is dated in the future)."""
    today = timezone.localdate()
    moment = links.aggregate(latest=Max("contact__started_at"))["latest"]
    if moment is None:
        return today
    return min(timezone.localdate(moment), today)


def _bars(weeks: tuple[int, ...], starts: list[date]) -> list[Bar]:
    top = max(max(weeks), 1)
    bars = []
    for n, (count, first_day) in enumerate(zip(weeks, starts, strict=True)):
        height = max(CHART_HEIGHT * count / top, 1.0 if count else 0.0)
        bars.append(
            Bar(
                x=n * (BAR_WIDTH + BAR_GAP),
                y=round(CHART_HEIGHT - height, 1),
                height=round(height, 1),
                count=count,
                first_day=first_day,
            )
        )
    return bars
