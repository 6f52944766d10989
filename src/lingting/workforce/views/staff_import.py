"""The attrition page's upload of agents' hire and leaving dates (issue 14): the same import
as `lingting agents_import`, for planners, managers and admins (who record leavers)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lingting.core.permissions import request_user, require
from lingting.core.uploads import report_line_errors, saved_upload
from lingting.engine.reader import LineError, UnreadableFileError
from lingting.workforce.permissions import may_record_leavers
from lingting.workforce.services.leavers import AgentImportReport, agents_import_file

SUFFIXES = (".csv", ".jsonl")
MAX_BYTES = 5 * 1024 * 1024  # a center's staff list is a few hundred lines


class AgentsFileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("坐席名单文件（CSV 或 JSONL）"))

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(SUFFIXES):
            raise forms.ValidationError(_("只能上传 .csv 或 .jsonl 文件"))
        if (upload.size or 0) > MAX_BYTES:
            raise forms.ValidationError(_("文件超过 5 MB"))
        return upload


@require_POST
def attrition_import(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_record_leavers(user))
    back = redirect(reverse("workforce:attrition") + "#agents-import")
    form = AgentsFileForm(request.POST, request.FILES)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for problem in field_errors:
                messages.error(request, str(problem))
        return back
    upload: UploadedFile[bytes] = form.cleaned_data["file"]
    rejected: list[LineError] = []
    with saved_upload(upload) as path:
        try:
            report = agents_import_file(
                path, actor=user, today=timezone.localdate(), on_error=rejected.append
            )
        except UnreadableFileError as exc:
            messages.error(request, _("无法读取文件：%(reason)s") % {"reason": exc})
            return back
    _report(request, report, rejected)
    return back


def _report(request: HttpRequest, report: AgentImportReport, errors: list[LineError]) -> None:
    messages.success(
        request,
        _(
            "已读取 %(read)s 行：新增 %(created)s 名坐席，更新 %(updated)s 名，未变 %(unchanged)s"
            " 名，停用登录账号 %(deactivated)s 个；拒绝 %(rejected)s 行。"
        )
        % {
            "read": report.read,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "deactivated": report.deactivated,
            "rejected": report.rejected,
        },
    )
    report_line_errors(request, errors, command="agents_import")
