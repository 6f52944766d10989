"""Signing in and one's notifications; the other pages live in the domain apps."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from lingting.core.permissions import request_user
from lingting.core.selectors import notifications_for
from lingting.core.services import notifications_mark_read


class LoginView(auth_views.LoginView):
    """Django's login (already open to anonymous users) in Lingting's page; a signed-in
    user who comes back to it goes straight on."""

    template_name = "core/login.html"
    redirect_authenticated_user = True


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = notifications_for(request_user(request))
    return render(request, "core/notifications.html", {"notifications": notifications})


@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    notifications_mark_read(user=request_user(request))
    return redirect("core:notification_list")
