"""LINGTING_STATEMENT_TIMEOUT_S: a web request's runaway query is stopped, and answered 503
with what happened and what to do (lingting.core.timeouts).

The pages below are this module's own (`pytest.mark.urls`): one reads through a server-side
cursor (`QuerySet.iterator()`, as the KPI pages do) whose query sleeps, one raises the error
a stopped query raises. What PostgreSQL does is tested on PostgreSQL; the answer everywhere.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.decorators import login_not_required
from django.db import OperationalError, connection
from django.db.models.expressions import RawSQL
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from django.views.decorators.csrf import csrf_exempt
from psycopg import errors

from lingting.config.urls import urlpatterns as lingting_urlpatterns
from lingting.core.models import User
from tests.web.conftest import Api

ClientFor = Callable[[User], Client]
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no statement timeout"
)


def _stopped() -> OperationalError:
    """What Django raises for a statement PostgreSQL cancelled."""
    try:
        raise errors.QueryCanceled("canceling statement due to statement timeout")
    except errors.QueryCanceled as cause:
        error = OperationalError(str(cause))
        error.__cause__ = cause
        return error


def slow_page(request: HttpRequest) -> HttpResponse:
    """Every user, read through a server-side cursor whose query sleeps `?sleep=` seconds."""
    naps = User.objects.annotate(
        nap=RawSQL("(SELECT 1 FROM pg_sleep(%s))", [float(request.GET.get("sleep", 0))])
    ).values_list("nap", flat=True)
    return HttpResponse(str(sum(naps.iterator(chunk_size=100))))


@csrf_exempt
def slow_write(request: HttpRequest) -> HttpResponse:
    """A POST whose one plain statement sleeps `?sleep=` seconds."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [float(request.GET.get("sleep", 0))])
    return HttpResponse("written")


@login_not_required
def current_limit(request: HttpRequest) -> HttpResponse:
    """The statement_timeout the request's own statements run under."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return HttpResponse(cursor.fetchone()[0])


def stopped_page(request: HttpRequest) -> HttpResponse:
    raise _stopped()


urlpatterns = [
    path("test/slow/", slow_page),
    path("test/slow-write/", slow_write),
    path("test/limit/", current_limit),
    path("test/stopped/", stopped_page),
    path("api/test/stopped", stopped_page),
    *lingting_urlpatterns,
]
pytestmark = pytest.mark.urls(__name__)


def _show_limit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        value: str = cursor.fetchone()[0]
    return value


# The answer: on every database.


def test_a_stopped_query_answers_503_saying_what_happened_and_what_to_do(
    client_for: ClientFor, qa_zhao: User, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="lingting.core.timeouts"):
        response = client_for(qa_zhao).get("/test/stopped/")

    page = response.content.decode()
    assert response.status_code == 503
    assert "这个页面的查询超过了 30 秒，已停止。" in page
    assert "请缩小日期范围或筛选条件后再试；仍然超时请联系管理员。" in page
    assert "报告存档" in page
    assert "联络记录" in page  # the whole page, navigation and all
    assert "A query of GET /test/stopped/ was stopped" in caplog.text


def test_the_message_follows_the_setting_and_the_language(
    client_for: ClientFor, qa_zhao: User, settings: Any
) -> None:
    settings.LINGTING_STATEMENT_TIMEOUT_S = 12.5
    client = client_for(qa_zhao)
    client.post(reverse("set_language"), {"language": "en"})

    page = client.get("/test/stopped/").content.decode()

    assert "The query behind this page took longer than 12.5 seconds and was stopped." in page
    assert "Narrow the dates or filters and try again" in page


def test_the_api_answers_a_stopped_query_in_its_error_body(
    qa_zhao: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def stopped(**kwargs: Any) -> None:
        raise _stopped()

    monkeypatch.setattr("lingting.performance.api.kpi_table_for", stopped)

    response = Api(qa_zhao).get("/kpis/")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}
    assert response.json()["detail"].startswith("这个页面的查询超过了 30 秒，已停止。")


def test_another_database_error_in_the_api_is_still_a_500(
    qa_zhao: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("lingting.performance.api.kpi_table_for", broken)

    response = Api(qa_zhao).get("/kpis/")

    assert response.status_code == 500
    assert response.json() == {"detail": "internal server error"}


def test_a_stopped_query_outside_the_apis_views_answers_json_under_api(
    client_for: ClientFor, qa_zhao: User
) -> None:
    response = client_for(qa_zhao).get("/api/test/stopped")

    assert response.status_code == 503
    assert response.json()["detail"].startswith("这个页面的查询超过了 30 秒，已停止。")


# What PostgreSQL does with the limit.


@on_postgresql
@pytest.mark.django_db(transaction=True)  # autocommit between statements, as in production
def test_a_page_reading_longer_than_the_limit_is_stopped_at_the_limit(
    client_for: ClientFor, qa_zhao: User, settings: Any
) -> None:
    """`iterator()` outside a transaction would be a WITH HOLD cursor, whose query runs when
    its DECLARE commits, after the timer is stopped: the page would take the full 5 s."""
    settings.LINGTING_STATEMENT_TIMEOUT_S = 0.5
    limit_before = _show_limit()
    client = client_for(qa_zhao)

    started = time.monotonic()
    response = client.get("/test/slow/", {"sleep": 5})
    took = time.monotonic() - started

    assert response.status_code == 503
    assert "这个页面的查询超过了 0.5 秒，已停止。" in response.content.decode()
    assert took < 3
    # the connection goes on, without the limit, for whatever uses it next
    assert _show_limit() == limit_before
    assert User.objects.filter(username="qa_zhao").exists()
    assert client.get("/test/slow/", {"sleep": 0}).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(1)")  # twice the limit, outside a request


@on_postgresql
def test_a_page_stopped_inside_a_tests_transaction_leaves_it_usable(
    client_for: ClientFor, qa_zhao: User, settings: Any
) -> None:
    settings.LINGTING_STATEMENT_TIMEOUT_S = 0.5
    limit_before = _show_limit()

    response = client_for(qa_zhao).get("/test/slow/", {"sleep": 5})

    assert response.status_code == 503
    assert _show_limit() == limit_before
    assert User.objects.filter(username="qa_zhao").exists()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_write_request_is_limited_too(
    client_for: ClientFor, qa_zhao: User, settings: Any
) -> None:
    settings.LINGTING_STATEMENT_TIMEOUT_S = 0.5
    client = client_for(qa_zhao)

    started = time.monotonic()
    stopped = client.post("/test/slow-write/?sleep=5")
    took = time.monotonic() - started

    assert stopped.status_code == 503
    assert took < 3
    assert client.post("/test/slow-write/?sleep=0").status_code == 200


@on_postgresql
def test_the_limit_is_the_settings_and_zero_is_none(
    client: Client, settings: Any, db: None
) -> None:
    limit_before = _show_limit()
    settings.LINGTING_STATEMENT_TIMEOUT_S = 0.75

    assert client.get("/test/limit/").content.decode() == "750ms"
    assert _show_limit() == limit_before

    settings.LINGTING_STATEMENT_TIMEOUT_S = 0
    assert client.get("/test/limit/").content.decode() == limit_before


@on_postgresql
def test_the_limit_adds_no_query_to_a_pages_count(client: Client, db: None) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/test/limit/")

    assert response.status_code == 200
    assert [query["sql"] for query in queries] == ["SHOW statement_timeout"]
