"""The articles beside a contact: a fragment the contact and review pages load into their
panel (`knowledge/suggest.js`), so that the page itself never waits for the matcher."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from lingting.core.permissions import request_user
from lingting.knowledge.selectors.suggestions import suggestions_for_turns
from lingting.quality.selectors.contact_page import contact_detail_for


@require_GET
def contact_articles(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = contact_detail_for(user=request_user(request), contact_id=contact_id)
    said = [(turn.index, turn.text) for turn in contact.turns.all() if turn.speaker == "customer"]
    return render(
        request,
        "knowledge/suggestions.html",
        {"suggestions": suggestions_for_turns(timezone.localdate(), said)},
    )
