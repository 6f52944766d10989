"""Calibration pages (校准): the sessions, a new session, a session's figures and answers,
the agreed answer of one contact, closing, and the agreed answers as scorecard examples.

Everything is the QA supervisor's, except the session page a reviewer of the session
opens for their own progress (and, once they have scored everything, the figures).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lingting.core.forms import refusals_on
from lingting.core.models import User
from lingting.core.params import RowIdsChoiceField
from lingting.core.permissions import request_user, require
from lingting.engine.scorecard import Item
from lingting.interactions.models import Contact
from lingting.quality.models import CalibrationSession
from lingting.quality.permissions import may_manage_qa, may_review
from lingting.quality.selectors.calibration import (
    calibration_reviewer_choices,
    calibration_session_for,
    calibration_sessions_for,
    contacts_by_external_id,
    recently_reviewed_contacts,
)
from lingting.quality.selectors.calibration_agreement import (
    AgreePage,
    AnswerRow,
    calibration_agree_page_for,
    calibration_page_for,
)
from lingting.quality.selectors.calibration_examples import (
    calibration_examples_yaml,
    examples_filename,
)
from lingting.quality.services.calibration import (
    AgreedInput,
    calibration_agree,
    calibration_session_close,
    calibration_session_create,
)

_ID_SEPARATORS = re.compile(r"[\s,，、;；]+")


class _ReviewerChoice(RowIdsChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name}（{obj.get_role_display()}）"


class SessionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("主题"), max_length=200)
    external_ids = forms.CharField(
        label=gettext_lazy("联络编号"),
        help_text=gettext_lazy("每行一个，或用逗号、空格分隔"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    recent = forms.MultipleChoiceField(
        label=gettext_lazy("或从最近人工评过的联络中选"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reviewers = _ReviewerChoice(
        label=gettext_lazy("参加的质检员（至少 2 名）"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, data: QueryDict | None = None) -> None:
        super().__init__(data)
        self.recent_contacts = {str(c.pk): c for c in recently_reviewed_contacts()}
        recent = self.fields["recent"]
        assert isinstance(recent, forms.MultipleChoiceField)
        recent.choices = [
            (pk, f"{c.external_id} · {c.agent or '—'} · {c.started_at:%Y-%m-%d %H:%M}")
            for pk, c in self.recent_contacts.items()
        ]
        reviewers = self.fields["reviewers"]
        assert isinstance(reviewers, RowIdsChoiceField)
        reviewers.queryset = calibration_reviewer_choices()
        self.contacts: list[Contact] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        typed, missing = contacts_by_external_id(
            _ID_SEPARATORS.split(data.get("external_ids") or "")
        )
        if missing:
            self.add_error("external_ids", _("找不到这些编号的联络：%s") % "、".join(missing))
        picked = [self.recent_contacts[pk] for pk in data.get("recent") or ()]
        self.contacts = list({c.pk: c for c in [*typed, *picked]}.values())
        return data


@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_manage_qa(user) or may_review(user))
    return render(
        request,
        "quality/calibration/session_list.html",
        {"sessions": calibration_sessions_for(user), "manages": may_manage_qa(user)},
    )


@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_manage_qa(user))
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            session = calibration_session_create(
                supervisor=user,
                title=form.cleaned_data["title"],
                contacts=form.contacts,
                reviewers=form.cleaned_data["reviewers"],
            )
            messages.success(request, _("校准已开始，联络已放入各位质检员的“我的质检”"))
            return redirect("quality:calibration_detail", session_id=session.pk)
    return render(request, "quality/calibration/session_form.html", {"form": form})


@require_GET
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_manage_qa(user) or may_review(user))
    page = calibration_page_for(user=user, session_id=session_id)
    return render(
        request,
        "quality/calibration/session_detail.html",
        {"page": page, "close_form": CloseForm()},
    )


RESULT_CHOICES = [
    ("pass", gettext_lazy("通过")),
    ("fail", gettext_lazy("扣分")),
    ("na", gettext_lazy("不适用")),
]


@dataclass(frozen=True, slots=True)
class AgreeRow:
    answers: AnswerRow
    result: forms.BoundField
    lost: forms.BoundField
    note: forms.BoundField

    @property
    def item(self) -> Item:
        return self.answers.item


class AgreeForm(forms.Form):
    """One agreed answer per scorecard item: result, points lost (empty: all), note."""

    def __init__(self, data: QueryDict | None = None, *, page: AgreePage) -> None:
        super().__init__(data, initial=page.initial())
        self.page = page
        for row in page.answers.rows:
            item = row.item
            self.fields[f"result_{item.id}"] = forms.ChoiceField(
                label=item.title, choices=RESULT_CHOICES, widget=forms.RadioSelect
            )
            self.fields[f"lost_{item.id}"] = forms.FloatField(
                label=_("扣分"), min_value=0, max_value=item.points, required=False
            )
            self.fields[f"note_{item.id}"] = forms.CharField(
                label=_("说明"), max_length=500, required=False
            )

    @property
    def rows(self) -> list[AgreeRow]:
        return [
            AgreeRow(
                answers=row,
                result=self[f"result_{row.item.id}"],
                lost=self[f"lost_{row.item.id}"],
                note=self[f"note_{row.item.id}"],
            )
            for row in self.page.answers.rows
        ]

    def answers(self) -> dict[str, AgreedInput]:
        data = self.cleaned_data
        return {
            row.item.id: AgreedInput(
                result=data[f"result_{row.item.id}"],
                points_lost=data.get(f"lost_{row.item.id}"),
                note=data.get(f"note_{row.item.id}") or "",
            )
            for row in self.page.answers.rows
        }


@require_http_methods(["GET", "POST"])
def session_agree(request: HttpRequest, session_id: int, contact_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_manage_qa(user))
    page = calibration_agree_page_for(user=user, session_id=session_id, contact_id=contact_id)
    form = AgreeForm(request.POST or None, page=page)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            calibration_agree(
                supervisor=user,
                session=page.session,
                contact=page.answers.contact,
                answers=form.answers(),
            )
            messages.success(
                request,
                _("已记录 %s 的议定答案") % page.answers.contact.external_id,
            )
            detail = reverse("quality:calibration_detail", args=[page.session.pk])
            return redirect(f"{detail}#contact-{page.answers.contact.pk}")
    return render(request, "quality/calibration/agree.html", {"page": page, "form": form})


class CloseForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("校准结论"),
        help_text=gettext_lazy("统一了哪些理解，哪些评分项或规则要改，谁需要辅导"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )


@require_POST
def session_close(request: HttpRequest, session_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_manage_qa(user))
    session = calibration_session_for(user=user, session_id=session_id)
    form = CloseForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        calibration_session_close(supervisor=user, session=session, note=note)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("校准已结束"))
    return redirect("quality:calibration_detail", session_id=session.pk)


@require_GET
def session_examples(request: HttpRequest, session_id: int) -> HttpResponse:
    """The scorecard with the agreed answers as examples, as a YAML download."""
    user = request_user(request)
    require(may_manage_qa(user))
    session = get_object_or_404(
        CalibrationSession.objects.select_related("version__scorecard"), pk=session_id
    )
    response = HttpResponse(
        calibration_examples_yaml(session=session), content_type="text/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{examples_filename(session)}"'
    return response
