"""The contact list and the contact page: parse the request, ask a selector, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from lingting.core.permissions import request_user
from lingting.core.selectors import audit_trail_of
from lingting.interactions.recordings import recording_file
from lingting.quality.contact_filters import ContactFilterForm
from lingting.quality.selectors.contact_page import contact_detail_page_for
from lingting.quality.selectors.contacts import contact_page_for
from lingting.quality.selectors.reviews import evaluations_for

LIST_TEMPLATE = "quality/contact_list.html"
# Sent by contact_list.js when a filter changes: only the results are re-rendered.
FRAGMENT_HEADER = "X-Lingting-Fragment"


@require_GET
def contact_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    params = request.GET.copy()
    params.pop("page", None)
    form = ContactFilterForm(params or None, user=user)
    filters = form.filters()
    page = contact_page_for(user=user, filters=filters, page_number=request.GET.get("page"))
    fragment = request.headers.get(FRAGMENT_HEADER) == "results"
    response = render(
        request,
        f"{LIST_TEMPLATE}#results" if fragment else LIST_TEMPLATE,
        {"form": form, "filters": filters, "contacts": page},
    )
    patch_vary_headers(response, [FRAGMENT_HEADER])
    return response


@require_GET
def contact_detail(request: HttpRequest, contact_id: int) -> HttpResponse:
    user = request_user(request)
    detail = contact_detail_page_for(user=user, contact_id=contact_id)
    records = evaluations_for(user).filter(contact_id=contact_id).order_by("-submitted_at")
    history = audit_trail_of(object_type="contact", object_id=contact_id)
    playable = recording_file(detail.contact) is not None
    return render(
        request,
        "quality/contact_detail.html",
        {"detail": detail, "records": records, "history": history, "playable": playable},
    )
