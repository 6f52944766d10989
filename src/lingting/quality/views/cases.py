"""The case library: list and search, one case, filing a contact as a case."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from lingting.core.forms import refusals_on
from lingting.core.permissions import request_user, require
from lingting.interactions.models import Contact
from lingting.quality.models import Case, CaseKind
from lingting.quality.permissions import may_curate_cases
from lingting.quality.selectors.cases import CaseFilters, case_page_for, cases_for
from lingting.quality.selectors.contact_page import contact_detail_for
from lingting.quality.services.cases import CaseInput, case_save


class CaseForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=CaseKind.choices)
    title = forms.CharField(label=gettext_lazy("标题"), max_length=200)
    note = forms.CharField(
        label=gettext_lazy("点评"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    tags = forms.CharField(label=gettext_lazy("标签（逗号分隔）"), max_length=500, required=False)
    shared = forms.BooleanField(label=gettext_lazy("分享给坐席学习"), required=False)

    def case_input(self) -> CaseInput:
        data = self.cleaned_data
        tags = (data.get("tags") or "").replace("，", ",").replace("、", ",").split(",")
        return CaseInput(
            kind=data["kind"],
            title=data["title"],
            note=data.get("note") or "",
            tags=[t for t in (tag.strip() for tag in tags) if t],
            shared=bool(data.get("shared")),
        )


@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    filters = CaseFilters(
        kind=request.GET.get("kind", "") if request.GET.get("kind") in CaseKind.values else "",
        tag=request.GET.get("tag", "").strip(),
        text=request.GET.get("q", "").strip(),
    )
    return render(
        request,
        "quality/cases/case_list.html",
        {
            "cases": cases_for(user=user, filters=filters)[:200],
            "filters": filters,
            "kinds": CaseKind.choices,
            "may_curate": may_curate_cases(user),
        },
    )


@require_GET
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    page = case_page_for(user=request_user(request), case_id=case_id)
    return render(request, "quality/cases/case_detail.html", {"page": page})


@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, case_id: int | None = None) -> HttpResponse:
    user = request_user(request)
    require(may_curate_cases(user))
    case = get_object_or_404(Case, pk=case_id) if case_id else None
    contact = case.contact if case else _contact_from(request)
    initial = {}
    if case is not None:
        initial = {
            "kind": case.kind,
            "title": case.title,
            "note": case.note,
            "tags": "，".join(case.tags or []),
            "shared": case.shared,
        }
    form = CaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            case = case_save(actor=user, case_input=form.case_input(), contact=contact, case=case)
            messages.success(request, _("案例已保存"))
            return redirect("quality:case_detail", case_id=case.pk)
    return render(
        request, "quality/cases/case_form.html", {"form": form, "case": case, "contact": contact}
    )


def _contact_from(request: HttpRequest) -> Contact:
    """The contact a new case is filed from (`?contact=<id>`), as its filer may see it."""
    contact_id = request.GET.get("contact", "")
    if not contact_id.isdigit():
        raise Http404("file a case from a contact's page")
    return contact_detail_for(user=request_user(request), contact_id=int(contact_id))
