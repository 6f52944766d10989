"""`/`: each user's first page, which depends on what every domain lets them do (so it
sits on top of them all, with the navigation)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from lingting.core.permissions import has_contacts_to_read, request_user, workorder_departments
from lingting.workforce.permissions import may_plan, may_see_occupancy


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Where `/` and a fresh sign-in lead: the page made for the user's work. Those with
    contacts read the contact list; a department's staff their department's work orders; a
    WFM planner (no contacts) the planning page."""
    user = request_user(request)
    if has_contacts_to_read(user):
        return redirect("interactions:contact_list")
    department = workorder_departments(user).order_by("code").first()
    if department is not None:
        query = urlencode({"department": department.code})
        return redirect(f"{reverse('tickets:list')}?{query}")
    if may_plan(user):
        return redirect("workforce:planning")
    if may_see_occupancy(user):
        return redirect("workforce:occupancy")
    return redirect("interactions:contact_list")
