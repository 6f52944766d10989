"""The service competitiveness index pages (服务竞争力指数, seed 004 篇1): the waves and their
trend, one wave's formula with its numbers, and the form that enters a wave by hand or
from its answers file."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.forms import BaseFormSet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lingting.core.models import User
from lingting.core.permissions import request_user, require
from lingting.core.uploads import saved_upload
from lingting.documents.exports.page import EXPORT_PARAM, page_charts, page_download, without_export
from lingting.engine.competitiveness import WaveError, WaveProblem
from lingting.engine.reader import LineError, UnreadableFileError
from lingting.surveys.competitiveness_documents import competitiveness_document
from lingting.surveys.competitiveness_forms import (
    OperatorRowForm,
    WaveForm,
    operator_rows,
    operators_for_file,
    typed_operators,
)
from lingting.surveys.competitiveness_selectors import competitiveness_wave, competitiveness_waves
from lingting.surveys.models import CompetitivenessWave
from lingting.surveys.permissions import may_manage_surveys, may_see_competitiveness
from lingting.surveys.services.competitiveness import (
    WaveDetails,
    competitiveness_wave_delete,
    competitiveness_wave_import,
    competitiveness_wave_save,
)

SHOWN_LINE_ERRORS = 20
# The engine's refusals in the reader's words; %(operator)s: the operator(s) concerned.
WAVE_PROBLEMS = {
    WaveProblem.NOT_ONE_OURS: gettext_lazy("第一行须填写本网运营商"),
    WaveProblem.UNNAMED: gettext_lazy("每一行都要填写运营商"),
    WaveProblem.NAMED_TWICE: gettext_lazy("运营商“%(operator)s”填写了两次"),
    WaveProblem.BAD_COUNTS: gettext_lazy(
        "%(operator)s：人数不能为负，选择我方的人数不能多于受访用户数"
    ),
    WaveProblem.NONE_ASKED: gettext_lazy("%(operator)s：没有受访用户，无法得出选择我方的占比"),
    WaveProblem.NO_SUBSCRIBERS: gettext_lazy("各运营商的用户数合计为 0：请填写用户数"),
    WaveProblem.NOT_ENTERED: gettext_lazy(
        "答卷文件中有这些运营商的用户（括号内为人数），表中却没有它们的用户数：%(operator)s"
    ),
}


@require_GET
def waves(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_see_competitiveness(user))
    rows = competitiveness_waves()
    document = competitiveness_document(rows)
    if fmt := request.GET.get(EXPORT_PARAM):
        return page_download(document, fmt)
    return render(
        request,
        "surveys/competitiveness.html",
        {
            "waves": rows,
            "may_edit": may_manage_surveys(user),
            "charts": page_charts(document),
            "filters": without_export(request),
        },
    )


@require_GET
def wave(request: HttpRequest, wave_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_see_competitiveness(user))
    figures = competitiveness_wave(wave_id)
    if figures is None:
        raise Http404("no such wave")
    return render(
        request,
        "surveys/competitiveness_wave.html",
        {"wave": figures, "may_edit": may_manage_surveys(user)},
    )


@require_http_methods(["GET", "POST"])
def wave_edit(request: HttpRequest, wave_id: int | None = None) -> HttpResponse:
    user = request_user(request)
    require(may_manage_surveys(user))
    wave = get_object_or_404(CompetitivenessWave, pk=wave_id) if wave_id is not None else None
    stored_name = wave.name if wave else ""  # the form's checks set the instance's fields
    data = request.POST if request.method == "POST" else None
    form = WaveForm(data, request.FILES or None, instance=wave)
    upload = request.FILES.get("answers")
    rows = operator_rows(data, wave=wave, counts_from_file=upload is not None)
    refusal = ""
    if data is not None and form.is_valid() and rows.is_valid():
        details = WaveDetails(
            name=form.cleaned_data["name"],
            surveyed_on=form.cleaned_data["surveyed_on"],
            note=form.cleaned_data["note"],
        )
        try:
            if upload is None:
                saved = competitiveness_wave_save(
                    actor=user, wave=wave, details=details, operators=typed_operators(rows)
                )
            else:
                saved = _import(request, user, wave, details, rows, upload)
        except WaveError as refused:
            refusal = WAVE_PROBLEMS[refused.problem] % {"operator": refused.operator}
        except UnreadableFileError as unreadable:
            refusal = _("无法读取答卷文件：%(reason)s") % {"reason": unreadable}
        else:
            messages.success(request, _("测评“%(name)s”已保存") % {"name": saved.name})
            return redirect("surveys:competitiveness_wave", wave_id=saved.pk)
    return render(
        request,
        "surveys/competitiveness_edit.html",
        {
            "form": form,
            "rows": rows,
            "wave": wave,
            "stored_name": stored_name,
            "refusal": refusal,
        },
        status=400 if data is not None else 200,  # a POST that gets here was refused
    )


def _import(
    request: HttpRequest,
    user: User,
    wave: CompetitivenessWave | None,
    details: WaveDetails,
    rows: BaseFormSet[OperatorRowForm],
    upload: UploadedFile[bytes],
) -> CompetitivenessWave:
    """The wave counted from the uploaded answers; every rejected line is told, whether
    the wave is stored or refused."""
    rejected: list[LineError] = []
    try:
        with saved_upload(upload) as path:
            saved, report = competitiveness_wave_import(
                actor=user,
                wave=wave,
                details=details,
                operators=operators_for_file(rows),
                path=path,
                on_error=rejected.append,
            )
    finally:
        _report_rejected(request, rejected)
    messages.info(
        request,
        _("答卷文件读取 %(read)s 行，计入 %(counted)s 位受访用户，拒绝 %(rejected)s 行。")
        % {
            "read": report.read,
            "counted": report.read - report.rejected,
            "rejected": report.rejected,
        },
    )
    return saved


def _report_rejected(request: HttpRequest, rejected: Sequence[LineError]) -> None:
    for error in rejected[:SHOWN_LINE_ERRORS]:
        messages.error(
            request, _("第 %(line)s 行：%(reason)s") % {"line": error.line, "reason": error.reason}
        )
    if len(rejected) > SHOWN_LINE_ERRORS:
        messages.error(
            request,
            _("另有 %(n)s 行被拒绝，未计入。") % {"n": len(rejected) - SHOWN_LINE_ERRORS},
        )


@require_POST
def wave_delete(request: HttpRequest, wave_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_manage_surveys(user))
    wave = get_object_or_404(CompetitivenessWave, pk=wave_id)
    competitiveness_wave_delete(actor=user, wave=wave)
    messages.success(request, _("测评“%(name)s”已删除") % {"name": wave.name})
    return redirect("surveys:competitiveness")
