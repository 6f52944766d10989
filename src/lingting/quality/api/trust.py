"""The HTTP API: trust in the machine, how often reviewers overturn each item."""

from datetime import date

from django.http import HttpRequest
from ninja import Router, Schema

from lingting.core.params import ApiDate
from lingting.core.permissions import request_user, require
from lingting.quality.permissions import may_read_qa_reports
from lingting.quality.selectors.trust import trust_report

router = Router()


class ItemTrustOut(Schema):
    item: str
    title: str
    month: date | None
    reviewed: int
    hits: int
    confirmed: int
    false_hits: int
    misses: int
    precision: float | None
    overturn_rate: float | None
    flagged: bool


class TrustOut(Schema):
    items: list[ItemTrustOut]
    months: list[ItemTrustOut]


@router.get("/trust", response=TrustOut)
def trust(
    request: HttpRequest, date_from: ApiDate | None = None, date_to: ApiDate | None = None
) -> object:
    require(may_read_qa_reports(request_user(request)))
    return trust_report(date_from=date_from, date_to=date_to)
