"""A time limit on a web request's database statements, and a clear answer when it stops one.

`LINGTING_STATEMENT_TIMEOUT_S` (default 30; 0: none) is PostgreSQL's `statement_timeout` for
the statements a web request runs: pages and the API, under `lingting serve`, runserver and
the test client. The task worker, the scheduler and the CLI commands never pass through a
middleware, so their long jobs keep the database's own setting.

How `StatementTimeoutMiddleware` (last in MIDDLEWARE: it wraps the view and its template,
nothing else) does it, for each request, through an execute wrapper
(`connection.execute_wrapper`) so that a request that asks the database nothing costs
nothing:

- Before the request's first statement it sets `statement_timeout` on the connection's
  session, and when the request ends it runs `RESET statement_timeout` (in a `finally`):
  with persistent connections (CONN_MAX_AGE) the next request, or whatever else uses the
  connection, starts from the database's own setting again. A connection on which the reset
  fails is closed, never reused.
- A server-side cursor (`QuerySet.iterator()`) about to be declared outside a transaction
  gets one, opened just before its DECLARE and ended with the request. Without a transaction
  Django makes the cursor WITH HOLD (django.db.backends.postgresql's `create_cursor`:
  `withhold=connection.autocommit`), and PostgreSQL runs a held cursor's whole query when the
  transaction it was declared in commits — for a DECLARE on its own, at once, after the
  statement timer is stopped: no timeout ever applied to it. Declared inside a transaction,
  its query runs in its FETCHes, each a statement under the limit, and Django closes it when
  the iteration ends, leaving nothing to run at the commit. The transaction commits when the
  request ends (one that failed, a cancelled query's, is rolled back), with any write the
  request makes after such a read. A request that never reads that way gets no transaction,
  and one that writes before it reads (a service's own `transaction.atomic` and its row
  locks, the API key's last use) commits those at once, as before.
- A request handled inside a transaction (a test's; never a web server's) gets a savepoint
  instead, so that a stopped query leaves that transaction usable.
- The limit is per statement: each FETCH of 5,000 rows is timed on its own, so a page that
  streams many quick chunks is not stopped by it (gunicorn's 120 s timeout is the last
  resort there); a query that takes longer than the limit to produce its rows — a sort, a
  join, an aggregate over a million contacts — is.

A cancelled query (psycopg's `errors.QueryCanceled`, which Django raises as an
`OperationalError` caused by it) answers 503, logged with its traceback: a page that says the
query took longer than the limit and was stopped, and what to do (narrow the dates or
filters, or ask the administrator; the periodic reports are generated in the background), or
under /api/ the API's error body, `{"detail": "…"}`. The API catches its views' errors itself
(NinjaAPI's exception handlers), so its handler for `OperationalError` (config.api) answers
`query_cancelled_answer` too; any other database error still gets the API's own 500. The
page is rendered once the request's transaction is rolled back, since its navigation asks
the database.

SQLite has no statement timeout: nothing is set and no transaction opened there (with
`transaction_mode` IMMEDIATE a read transaction would hold the write lock); a cancelled query
can only come from PostgreSQL.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import psycopg
from django.conf import settings
from django.db import DatabaseError, OperationalError, connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from psycopg.pq import TransactionStatus

logger = logging.getLogger(__name__)


def statement_timeout_s() -> float:
    """The limit in seconds on a web request's statements; 0 for none."""
    return max(float(settings.LINGTING_STATEMENT_TIMEOUT_S), 0.0)


def query_was_cancelled(error: BaseException) -> bool:
    """Whether `error` is the database stopping a statement (statement_timeout, a cancel)."""
    return isinstance(error, OperationalError) and isinstance(
        error.__cause__, psycopg.errors.QueryCanceled
    )


def query_cancelled_message(seconds: float) -> str:
    """What happened, in the reader's language."""
    if seconds > 0:
        return _("这个页面的查询超过了 %(seconds)s 秒，已停止。") % {"seconds": f"{seconds:g}"}
    return _("这个页面的查询被数据库停止了。")


def query_cancelled_advice() -> str:
    """What to do about it."""
    return _(
        "请缩小日期范围或筛选条件后再试；仍然超时请联系管理员。"
        "日报、周报和月报由后台定时生成，可在“报告存档”中下载。"
    )


def query_cancelled_response(request: HttpRequest) -> HttpResponse:
    """503: the page that says so, or under /api/ the API's error body."""
    message = query_cancelled_message(statement_timeout_s())
    if request.path.startswith("/api/"):
        space = "" if message.endswith("。") else " "  # Chinese sentences run on
        return JsonResponse({"detail": f"{message}{space}{query_cancelled_advice()}"}, status=503)
    context = {"message": message, "advice": query_cancelled_advice()}
    return render(request, "core/query_cancelled.html", context, status=503)


class _Cancelled(HttpResponse):
    """What the view's place answers while its transaction is still to be rolled back: the
    middleware replaces it with `query_cancelled_response` once it is."""

    def __init__(self) -> None:
        super().__init__(
            query_cancelled_message(statement_timeout_s()),
            status=503,
            content_type="text/plain; charset=utf-8",
        )


def query_cancelled_answer(request: HttpRequest, error: BaseException) -> HttpResponse:
    """What a view's place answers for a stopped query (logged here): a marker the middleware
    replaces with `query_cancelled_response` once the transaction is rolled back."""
    logger.warning(
        "A query of %s %s was stopped (statement timeout %g s)",
        request.method,
        request.get_full_path(),
        statement_timeout_s(),
        exc_info=error,
    )
    return _Cancelled()


class _RequestLimit:
    """One request's limit: set before its first statement (by the execute wrapper, which
    also opens a transaction for a server-side cursor declared outside one), lifted at its
    end. Its own statements go to the driver directly, beside Django's query log, so that
    a page's query count is the page's."""

    def __init__(self, seconds: float) -> None:
        self.milliseconds = str(max(round(seconds * 1000), 1))
        self.limited = False
        self.transaction: transaction.Atomic | None = None
        self.savepoint = False

    def begin(self) -> None:
        """A savepoint for a request handled inside a transaction (a test's)."""
        if connection.in_atomic_block:
            _run("SAVEPOINT lingting_request")
            self.savepoint = True

    def __call__(
        self,
        execute: Callable[..., Any],
        sql: str,
        params: Any,
        many: bool,
        context: dict[str, Any],
    ) -> Any:
        if not self.limited:
            _run("SELECT set_config('statement_timeout', %s, false)", [self.milliseconds])
            self.limited = True
        declares = isinstance(getattr(context["cursor"], "cursor", None), psycopg.ServerCursor)
        if declares and self.transaction is None and connection.get_autocommit():
            self.transaction = transaction.atomic()
            self.transaction.__enter__()
        return execute(sql, params, many, context)

    def end(self, *, failed: bool) -> None:
        """Undo what it began — committed, unless the request failed (a stopped query) or
        its transaction did — and lift the limit."""
        try:
            raw = connection.connection
            broken = raw is None or raw.info.transaction_status == TransactionStatus.INERROR
            if self.transaction is not None:
                if failed or broken:
                    transaction.set_rollback(True)
                self.transaction.__exit__(None, None, None)
            elif self.savepoint:
                if failed or broken:
                    _run("ROLLBACK TO SAVEPOINT lingting_request")
                _run("RELEASE SAVEPOINT lingting_request")
        finally:
            if self.limited:
                try:
                    _run("RESET statement_timeout")
                except DatabaseError:
                    logger.warning("Could not lift a request's statement timeout", exc_info=True)
                    connection.close()  # the next use gets a fresh session, without the limit


def _run(sql: str, params: list[str] | None = None) -> None:
    raw = connection.connection
    if raw is None:
        return  # closed during the request: no session left to change
    with connection.wrap_database_errors:
        raw.execute(sql, params)


class StatementTimeoutMiddleware:
    """`LINGTING_STATEMENT_TIMEOUT_S` on a web request's PostgreSQL statements, and 503 with
    a clear message when one is stopped (see the module's docstring). Last in MIDDLEWARE."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        seconds = statement_timeout_s()
        if seconds > 0 and connection.vendor == "postgresql":
            limit = _RequestLimit(seconds)
            try:
                limit.begin()
                with connection.execute_wrapper(limit):
                    response = self.get_response(request)
            except BaseException:
                limit.end(failed=True)
                raise
            limit.end(failed=isinstance(response, _Cancelled))
        else:
            response = self.get_response(request)
        if isinstance(response, _Cancelled):
            return query_cancelled_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if query_was_cancelled(exception):
            return query_cancelled_answer(request, exception)
        return None
