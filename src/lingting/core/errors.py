"""The page a refused request gets (400): it says what was wrong with the request."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from lingting.core.params import BadParameter


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's handler400: a bad parameter's own message; anything else a general one.
    Under /api/ plain text, which the API's middleware turns into its JSON error body."""
    message = str(exception) if isinstance(exception, BadParameter) else _("请求无法处理")
    if request.path.startswith("/api/"):
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    return render(request, "core/bad_request.html", {"message": message}, status=400)
