"""The HTTP API under /api/: one NinjaAPI, a router per domain app, OpenAPI at
/api/openapi.json and its documentation at /api/docs (served from the ninja package's own
static files, no CDN).

A request is authenticated by an API key (`Authorization: Bearer lt_…`, made with
`lingting api_token USER`) or by the browser session (then with CSRF on writes). Either
way it acts as that user, with exactly the permissions the pages apply.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.parser import Parser
from ninja.security import HttpBearer, django_auth
from pydantic import TypeAdapter

from lingting.core.models import ApiToken
from lingting.core.services import api_key_digest
from lingting.core.timeouts import query_cancelled_answer, query_was_cancelled
from lingting.engine.reader import holds_nul


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=api_key_digest(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


logger = logging.getLogger(__name__)


class ErrorOut(Schema):
    """A refusal: what was wrong, in words."""

    detail: str


class ValidationIssue(Schema):
    """A value that does not fit the schema: where it is and why."""

    type: str
    loc: list[str | int]
    msg: str


class ValidationErrorOut(Schema):
    """422: input that does not fit the schema (issues), or a rule of the domain that refuses
    it (messages, e.g. 申诉期已过)."""

    detail: list[ValidationIssue | str]


ERROR_BODIES: dict[int, type[Schema]] = {
    HTTPStatus.BAD_REQUEST: ErrorOut,  # a body that is not a JSON object, a bad parameter
    HTTPStatus.UNAUTHORIZED: ErrorOut,  # no or a revoked API key, no session
    HTTPStatus.FORBIDDEN: ErrorOut,  # the user's role may not do this
    HTTPStatus.NOT_FOUND: ErrorOut,  # an id that names nothing this user may see
    HTTPStatus.UNPROCESSABLE_ENTITY: ValidationErrorOut,
}


class JsonObjectParser(Parser):
    """A request body is a JSON object or nothing: 42, [] or "x" is refused with a 400, not
    read as an empty object (which once made a draw from `-d 42`)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("the request body must be a JSON object")
        if holds_nul(data):
            # No text column stores a NUL (PostgreSQL refuses it): refused as any bad body.
            raise ValueError("the request body holds a NUL character")
        return data


class DocumentedErrorsApi(NinjaAPI):
    """The OpenAPI schema documents every refusal an operation can answer: 400, 401, 403 and
    422 everywhere, 404 where a path or a body names something; each with its body."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        """The view's own name (`contact_list`): clients generated from the schema keep
        their method names when the code moves between modules, which ninja's default
        (the module path and the name) would rename."""
        return operation.view_func.__name__

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for body in ERROR_BODIES.values():
            found = TypeAdapter(body).json_schema(ref_template="#/components/schemas/{model}")
            components.update(found.pop("$defs", {}))
            components[body.__name__] = found
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                names_something = "requestBody" in operation or any(
                    parameter["in"] == "path" for parameter in operation.get("parameters", [])
                )
                for status, body in ERROR_BODIES.items():
                    unnamed = status == HTTPStatus.NOT_FOUND and not names_something
                    if unnamed and str(status) not in responses:
                        continue
                    documented = status == HTTPStatus.UNPROCESSABLE_ENTITY or (
                        str(status) not in responses
                    )
                    if documented:
                        responses[str(status)] = {
                            "description": HTTPStatus(status).phrase,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": f"#/components/schemas/{body.__name__}"}
                                }
                            },
                        }
        return schema


api = DocumentedErrorsApi(
    title="Lingting API",
    version="1",
    description=(
        "聆听 Lingting: contacts, auto-QA results, the human QA workflow, KPIs, attrition,"
        " work orders and their webhooks."
    ),
    auth=[ApiKeyAuth(), django_auth],
    urls_namespace="api",
    parser=JsonObjectParser(),
)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "forbidden"}, status=403)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.messages}, status=422)


@api.exception_handler(BadRequest)
def _bad_request(request: HttpRequest, exc: BadRequest) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "bad request"}, status=400)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A defect still answers in JSON (and is logged with its traceback for the operator)."""
    logger.error("API error at %s", request.path, exc_info=exc)
    return api.create_response(request, {"detail": "internal server error"}, status=500)


@api.exception_handler(OperationalError)
def _database_error(request: HttpRequest, exc: OperationalError) -> HttpResponse:
    """A query the statement timeout stopped answers as the pages do (503 and why, once the
    middleware has rolled its transaction back); any other database error is a defect."""
    if query_was_cancelled(exc):
        return query_cancelled_answer(request, exc)
    return _server_error(request, exc)


def api_errors_as_json(
    get_response: Callable[[HttpRequest], HttpResponseBase],
) -> Callable[[HttpRequest], HttpResponseBase]:
    """Middleware: under /api/, a refusal made outside the API's own views (no such path, a
    method the path does not take, a CSRF failure, a server error) answers in JSON too."""

    def middleware(request: HttpRequest) -> HttpResponseBase:
        response = get_response(request)
        is_json = response.get("Content-Type", "").startswith("application/json")
        if request.path.startswith("/api/") and response.status_code >= 400 and not is_json:
            detail = ""
            if isinstance(response, HttpResponse) and response.get("Content-Type", "").startswith(
                "text/plain"
            ):
                detail = response.content.decode(errors="replace")[:500]
            answer = JsonResponse(
                {"detail": detail or response.reason_phrase}, status=response.status_code
            )
            if response.has_header("Allow"):
                answer["Allow"] = response["Allow"]
            return answer
        return response

    return middleware


def _register_routers() -> None:
    from lingting.campaigns.api import router as campaigns
    from lingting.core.api import router as notifications
    from lingting.performance.api import router as kpis
    from lingting.quality.api import router as quality
    from lingting.quality.api.contacts import router as contacts
    from lingting.reports.api import router as reports
    from lingting.surveys.api import router as surveys
    from lingting.webhooks.api import router as webhooks
    from lingting.workforce.api import router as workforce
    from lingting.workorders.api import router as workorders

    api.add_router("/contacts", contacts)
    api.add_router("/quality", quality)
    api.add_router("/kpis", kpis)
    api.add_router("/reports", reports)
    api.add_router("/notifications", notifications)
    api.add_router("/tickets", workorders)
    api.add_router("/webhooks", webhooks)
    api.add_router("/surveys", surveys)
    api.add_router("/campaigns", campaigns)
    api.add_router("/workforce", workforce)


_register_routers()


def api_urlpatterns() -> tuple[list[URLPattern | URLResolver], str, str]:
    """The API's URLs, exempt from the login redirect: the API answers 401 itself."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            login_not_required(pattern.callback)
    return patterns, app_name, namespace
