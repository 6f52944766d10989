"""Signing in and one's notifications; the other pages live in the domain apps."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from lingting.core.permissions import (
    has_contacts_to_read,
    may_see_occupancy,
    request_user,
    workorder_departments,
)
from lingting.core.selectors import notifications_for
from lingting.core.services import notifications_mark_read


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Where `/` and a fresh sign-in lead: the page made for the user's work. Those with
    contacts read the contact list; a department's staff their department's work orders; a
    WFM planner (who sees every agent's states, no contacts) occupancy."""
    user = request_user(request)
    if has_contacts_to_read(user):
        return redirect("interactions:contact_list")
    department = workorder_departments(user).order_by("code").first()
    if department is not None:
        query = urlencode({"department": department.code})
        return redirect(f"{reverse('tickets:list')}?{query}")
    if may_see_occupancy(user):
        return redirect("workforce:occupancy")
    return redirect("interactions:contact_list")


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
