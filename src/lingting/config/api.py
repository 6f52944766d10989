"""The HTTP API under /api/: one NinjaAPI, a router per domain app, OpenAPI at
/api/openapi.json and its documentation at /api/docs (served from the ninja package's own
static files, no CDN).

A request is authenticated by an API key (`Authorization: Bearer lt_…`, made with
`lingting api_token USER`) or by the browser session (then with CSRF on writes). Either
way it acts as that user, with exactly the permissions the pages apply.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from lingting.core.models import ApiToken
from lingting.core.services import api_key_digest


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


api = NinjaAPI(
    title="Lingting API",
    version="1",
    description=(
        "聆听 Lingting: contacts, auto-QA results, the human QA workflow, KPIs, work orders"
        " and their webhooks."
    ),
    auth=[ApiKeyAuth(), django_auth],
    urls_namespace="api",
)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "forbidden"}, status=403)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.messages}, status=422)


def _register_routers() -> None:
    from lingting.core.api import router as notifications
    from lingting.interactions.api import router as contacts
    from lingting.performance.api import router as kpis
    from lingting.quality.api import router as quality
    from lingting.tickets.api import router as tickets
    from lingting.webhooks.api import router as webhooks

    api.add_router("/contacts", contacts)
    api.add_router("/quality", quality)
    api.add_router("/kpis", kpis)
    api.add_router("/notifications", notifications)
    api.add_router("/tickets", tickets)
    api.add_router("/webhooks", webhooks)


_register_routers()


def api_urlpatterns() -> tuple[list[URLPattern | URLResolver], str, str]:
    """The API's URLs, exempt from the login redirect: the API answers 401 itself."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            login_not_required(pattern.callback)
    return patterns, app_name, namespace
