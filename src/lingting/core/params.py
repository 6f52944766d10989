"""Request parameters checked at the edge: a value the calendar, the database or the arithmetic
cannot hold is refused with a message (400 on the pages, 422 in the API), never a 500.

Pages read their query strings and hand-read form fields through the parsers here; the API
declares its fields with the bounded types here, so its OpenAPI schema states the same ranges.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any

from django import forms
from django.core.exceptions import BadRequest
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import HttpRequest, HttpResponseBadRequest, HttpResponseBase, QueryDict
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator, Field

# The largest integer the database stores (PostgreSQL bigint, SQLite INTEGER).
MAX_DB_INT = 2**63 - 1
# Dates a contact center works with, far enough from the calendar's ends (year 1, year 9999)
# that a time zone shift or a period's arithmetic never leaves it.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2999, 12, 31)
# Pages of a list in the API: generous, but a bounded amount of work per request.
MAX_PAGE_SIZE = 1000


class BadParameter(BadRequest):
    """A query or form parameter that cannot be used; the message names it and says why."""


def _raw(params: QueryDict, name: str) -> str:
    # NUL bytes never get here: the nul_bytes_refused middleware below refuses them first.
    value = params.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def date_in_range(value: date, name: str) -> date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise BadParameter(
            _("参数 %(name)s 的日期须在 %(earliest)s 至 %(latest)s 之间")
            % {"name": name, "earliest": EARLIEST_DATE, "latest": LATEST_DATE}
        )
    return value


class BoundedDateField(forms.DateField):
    """A form's date, refused (with the range in the message) outside the dates the
    application works with, instead of overflowing when it becomes a time of day."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators += [MinValueValidator(EARLIEST_DATE), MaxValueValidator(LATEST_DATE)]


def int_param(
    params: QueryDict,
    name: str,
    default: int | None = None,
    *,
    minimum: int = 0,
    maximum: int = MAX_DB_INT,
) -> int | None:
    """A whole number in [minimum, maximum] (by default any id the database can store)."""
    text = _raw(params, name)
    return _whole_number(text, name, minimum, maximum) if text else default


def ids_param(params: QueryDict, name: str) -> list[int]:
    """Every value of a repeated parameter (checkboxes), each a stored row's id."""
    texts = (text.strip() for text in params.getlist(name))
    return [_whole_number(text, name, 1, MAX_DB_INT) for text in texts if text]


def _whole_number(text: str, name: str, minimum: int, maximum: int) -> int:
    if not text.lstrip("-").isdigit() or len(text) > 20:
        raise BadParameter(
            _("参数 %(name)s 须为整数：%(value)s") % {"name": name, "value": text[:40]}
        )
    value = int(text)
    if not minimum <= value <= maximum:
        raise BadParameter(
            _("参数 %(name)s 须在 %(minimum)s 至 %(maximum)s 之间")
            % {"name": name, "minimum": minimum, "maximum": maximum}
        )
    return value


# The API's bounded types: pydantic refuses what is outside with a 422, and the OpenAPI schema
# carries the bounds (minimum/maximum) so a client knows them before it asks.
RowId = Annotated[int, Field(ge=1, le=MAX_DB_INT, description="a stored row's id")]
Seed = Annotated[int, Field(ge=0, le=MAX_DB_INT)]
PageLimit = Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE, description="how many at most")]


class BoundedLimitOffset(LimitOffsetPagination):
    """limit/offset paging whose bounds the schema states (an offset of 2^63 is a 422)."""

    class Input(Schema):
        limit: int = Field(default=100, ge=1, le=MAX_PAGE_SIZE)
        offset: int = Field(default=0, ge=0, le=MAX_DB_INT)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE_SIZE, **kwargs)


class RowIdsChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Several stored rows chosen by id: a value that is not an id the database can hold is
    refused like an unknown one (Django's own field sends it to an `IN` query, which
    overflows for 2^63 and beyond)."""

    def _check_values(self, value: Any) -> Any:
        key = self.to_field_name or "pk"
        if key == "pk":
            for text in value or ():
                if not str(text).isdigit() or int(text) > MAX_DB_INT:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": text},
                    )
        return super()._check_values(value)  # type: ignore[misc]  # not in django-stubs


def _api_date(value: date) -> date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(f"a date between {EARLIEST_DATE} and {LATEST_DATE}")
    return value


def _api_datetime(value: datetime) -> datetime:
    _api_date(value.date())
    return value


DATE_RANGE_TEXT = f"between {EARLIEST_DATE} and {LATEST_DATE}"
ApiDate = Annotated[
    date, AfterValidator(_api_date), Field(description=f"an ISO date {DATE_RANGE_TEXT}")
]
ApiDateTime = Annotated[
    datetime,
    AfterValidator(_api_datetime),
    Field(description=f"an ISO date and time {DATE_RANGE_TEXT}"),
]


class RowIdConverter:
    """`<id:name>` in a URL: a stored row's id, at most 18 digits, so a longer number (2^63
    and beyond, which no database integer holds) is a 404 before any view runs."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


class YearConverter:
    """`<year:name>` in a URL: a year within the dates the application works with."""

    regex = "(?:19|2[0-9])[0-9]{2}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:04d}"


def nul_bytes_refused(
    get_response: Callable[[HttpRequest], HttpResponseBase],
) -> Callable[[HttpRequest], HttpResponseBase]:
    """Middleware: a NUL byte in the path, the query string or a form field is refused with a
    400 before any view runs. No text column stores one (PostgreSQL refuses it outright), and
    no parameter of ours has a use for it."""

    def middleware(request: HttpRequest) -> HttpResponseBase:
        # The API reads its own body (JSON, checked by its parser): reading the form here
        # would consume the stream it needs.
        form = request.POST if request.method == "POST" and not _is_api(request) else {}
        values = [request.path, *request.GET.keys(), *_values(request.GET), *_values(form)]
        if any("\x00" in value for value in values):
            return HttpResponseBadRequest(
                _("请求中含有不允许的字符（NUL）"), content_type="text/plain; charset=utf-8"
            )
        return get_response(request)

    return middleware


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _values(params: QueryDict | dict[str, str]) -> list[str]:
    if isinstance(params, QueryDict):
        return [value for _key, values in params.lists() for value in values]
    return list(params.values())
