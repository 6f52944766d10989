"""Which teams' and queues' contacts each QA analyst may read, set by the QA supervisor."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lingting.core.models import Role, Team, User
from lingting.core.params import ids_param, int_param
from lingting.core.permissions import request_user, require
from lingting.interactions.models import AccessGrant, Queue
from lingting.interactions.services import access_grants_set
from lingting.quality.permissions import may_manage_qa


@require_http_methods(["GET", "POST"])
def access(request: HttpRequest) -> HttpResponse:
    actor = request_user(request)
    require(may_manage_qa(actor))
    if request.method == "POST":
        analyst = get_object_or_404(
            User, pk=int_param(request.POST, "user", minimum=1), role=Role.QA_ANALYST
        )
        access_grants_set(
            actor=actor,
            user=analyst,
            teams=Team.objects.filter(pk__in=ids_param(request.POST, "teams")),
            queues=Queue.objects.filter(pk__in=ids_param(request.POST, "queues")),
        )
        messages.success(request, _("已更新 %s 的查看范围") % analyst.display_name)
        return redirect("quality:access")
    analysts = list(User.objects.filter(role=Role.QA_ANALYST, is_active=True).order_by("username"))
    grants = AccessGrant.objects.filter(user__in=analysts)
    granted = {(g.user_id, "team", g.team_id) for g in grants if g.team_id} | {
        (g.user_id, "queue", g.queue_id) for g in grants if g.queue_id
    }
    rows = [
        {
            "user": analyst,
            "teams": [
                (t, (analyst.pk, "team", t.pk) in granted) for t in Team.objects.order_by("code")
            ],
            "queues": [
                (q, (analyst.pk, "queue", q.pk) in granted) for q in Queue.objects.order_by("code")
            ],
        }
        for analyst in analysts
    ]
    return render(request, "quality/access.html", {"rows": rows})
