"""客户之声 in the HTTP API: this week's topics against the weeks before, for a BI tool.

The same selector as the /reports/topics/ page: the same readers (QA, managers, team
leaders over their teams), the same weeks and the same rising/spike judgement.
"""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Query, Router, Schema

from lingting.core.params import ApiDate
from lingting.core.permissions import request_user, require
from lingting.reports.permissions import may_read_quality_reports
from lingting.reports.selectors.topics import topics_page_for

router = Router(tags=["reports"])


class TopicsQuery(Schema):
    end: ApiDate | None = None  # the week's last day; by default the latest with a topic


class TopicOut(Schema):
    id: int
    label: str
    keywords: list[str]
    this_week: int
    baseline: float  # the mean of the weeks before
    expected: float  # this week's count had nothing changed
    change: float | None  # this week ÷ baseline − 1; null with no baseline
    rising: bool
    spike: bool
    weeks: list[int]  # the counts, oldest first, this week last


class TopicsOut(Schema):
    week_start: date
    week_end: date
    total: int
    topics: list[TopicOut]  # spikes, then rising topics, then by this week's count


@router.get("/topics", response=TopicsOut)
def topics(request: HttpRequest, query: Query[TopicsQuery]) -> TopicsOut:
    """What customers contacted the center about in the week, each topic with its weekly
    counts and whether it is rising or a spike."""
    user = request_user(request)
    require(may_read_quality_reports(user))
    page = topics_page_for(user=user, end=query.end)
    return TopicsOut(
        week_start=page.week_start,
        week_end=page.week_end,
        total=page.total,
        topics=[
            TopicOut(
                id=row.topic.pk,
                label=row.topic.label,
                keywords=list(row.topic.keywords),
                this_week=row.trend.this_week,
                baseline=row.trend.baseline,
                expected=row.trend.expected,
                change=row.trend.change,
                rising=row.trend.rising,
                spike=row.trend.spike,
                weeks=list(row.trend.weeks),
            )
            for row in page.rows
        ],
    )
