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
from lingting.interactions.models import Queue
from lingting.interactions.services import access_grants_set
from lingting.quality.permissions import may_manage_qa
from lingting.quality.selectors.access import analyst_access_rows


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
    return render(request, "quality/access.html", {"rows": analyst_access_rows()})
