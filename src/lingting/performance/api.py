"""KPIs in the HTTP API: the KPI page's table as JSON, for a BI tool or a wallboard.

The same selector as the page (and so the same engine as `lingting kpis`): the same role
scope, the same figures, the FORMATS.md ones first, then FCR, transfers, complaints, the
automatic QA score and pass rate, and what the customers meant (ending angry or upset,
unresolved, predicted satisfaction, each beside the count it is taken over).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from lingting.core.params import ApiDate
from lingting.core.permissions import request_user
from lingting.engine.kpis import KpiError, KpiOptions, parse_groupings
from lingting.interactions.models import Queue
from lingting.interactions.selectors import queue_names
from lingting.performance.catch_up import tallies_catch_up
from lingting.performance.selectors import kpi_table_for
from lingting.quality.contact_filters import ContactFilters

router = Router(tags=["kpis"])


class KpiQuery(Schema):
    by: str = "day"  # comma-separated: day, queue, agent, hour, week, month
    date_from: ApiDate | None = None
    date_to: ApiDate | None = None
    queue: str | None = None  # an ACD group's code
    service_level_seconds: float = Field(default=20, ge=0, le=3600, allow_inf_nan=False)
    short_abandon_seconds: float = Field(default=5, ge=0, le=3600, allow_inf_nan=False)
    # a repeat call within this many days means the first did not resolve it
    fcr_days: float = Field(default=7, gt=0, le=365, allow_inf_nan=False)


@router.get("/", response=list[dict[str, Any]])
def kpis(request: HttpRequest, query: Query[KpiQuery]) -> list[dict[str, Any]]:
    """One row per group: its keys (grouped by queue: its code, and its name as the pages show
    it in `queue_name`), then every figure (rates as fractions, means in
    seconds; null where a denominator is zero). What the customers meant is counted over the
    group's contacts whose customer spoke (`with_customer`, inbound or not): the shares
    ending angry and angry-or-dissatisfied over those, `unresolved_rate` over the
    `resolution_verdicts` (resolved or not, unclear left out), the mean predicted
    satisfaction over `satisfaction_predicted_count`."""
    user = request_user(request)
    tallies_catch_up()
    try:
        by = parse_groupings(query.by)
    except KpiError as error:
        raise ValidationError(str(error)) from None
    queue_id = None
    if query.queue:
        queue_id = Queue.objects.filter(code=query.queue).values_list("pk", flat=True).first()
        if queue_id is None:
            raise ValidationError(f"no ACD group {query.queue!r}")
    filters = ContactFilters(date_from=query.date_from, date_to=query.date_to, queue_id=queue_id)
    options = KpiOptions(
        service_level_seconds=query.service_level_seconds,
        short_abandon_seconds=query.short_abandon_seconds,
        fcr_days=query.fcr_days,
    )
    table = kpi_table_for(user=user, filters=filters, by=by, options=options, meaning=True)
    rows = [row.values() for row in table]
    if "queue" in by:  # the code is the key; the name is the one every page shows
        names = queue_names()
        for row in rows:
            row["queue_name"] = names.get(str(row["queue"]), row["queue"])
    return rows
