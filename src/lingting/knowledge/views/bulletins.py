"""Must-read pages: my bulletins, reading one (on a phone too) and acknowledging it, sending
one, who has not read and a reminder, and reading rates per team."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from lingting.core.models import Role, Team, User
from lingting.core.params import int_param
from lingting.core.permissions import request_user, require
from lingting.engine.bulletin_checks import MAX_QUESTIONS, QuestionError, check_questions
from lingting.knowledge.models import Article, Bulletin
from lingting.knowledge.permissions import follows_every_team, may_publish_bulletins
from lingting.knowledge.selectors.bulletins import (
    bulletin_questions,
    bulletin_readers,
    followed_bulletins,
    followed_receipts,
    my_receipts,
    reading_by_team,
)
from lingting.knowledge.services.bulletins import (
    bulletin_acknowledge,
    bulletin_publish,
    bulletin_remind,
)

REPORT_DAYS = 30


class BulletinForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("标题"), max_length=200)
    body = forms.CharField(label=gettext_lazy("内容"), widget=forms.Textarea(attrs={"rows": 8}))
    article = forms.CharField(
        label=gettext_lazy("相关文章编号"),
        max_length=64,
        required=False,
        help_text=gettext_lazy("知识库中变更的文章，如 KB-00012（可不填）"),
    )
    teams = forms.ModelMultipleChoiceField(
        label=gettext_lazy("发送班组"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    roles = forms.MultipleChoiceField(
        label=gettext_lazy("发送角色"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateTimeField(
        label=gettext_lazy("阅读截止时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = follows_every_team(user)
        teams = Team.objects.order_by("code")
        self.fields["teams"].queryset = teams if every else teams.filter(leader=user)  # type: ignore[attr-defined]
        if not every:
            del self.fields["roles"]
        for n in range(1, MAX_QUESTIONS + 1):
            self.fields[f"q{n}_text"] = forms.CharField(
                label=_("检查题 %(n)d") % {"n": n}, max_length=200, required=False
            )
            self.fields[f"q{n}_options"] = forms.CharField(
                label=_("选项（每行一个）"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"q{n}_answer"] = forms.IntegerField(
                label=_("正确选项序号"), min_value=1, max_value=6, required=False
            )

    def clean_article(self) -> Article | None:
        code = self.cleaned_data["article"].strip()
        if not code:
            return None
        article = Article.objects.filter(code=code).first()
        if article is None:
            raise ValidationError(_("知识库中没有编号为 %(code)s 的文章") % {"code": code})
        return article

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raw = [
            {
                "text": data.get(f"q{n}_text") or "",
                "options": (data.get(f"q{n}_options") or "").splitlines(),
                "answer": (data.get(f"q{n}_answer") or 0) - 1,
            }
            for n in range(1, MAX_QUESTIONS + 1)
            if (data.get(f"q{n}_text") or "").strip()
        ]
        try:
            data["questions"] = check_questions(raw)
        except QuestionError:
            raise ValidationError(_("每道检查题需要 2 到 6 个选项，并填写正确选项的序号")) from None
        if not data.get("teams") and not data.get("roles"):
            raise ValidationError(_("请选择发送的班组或角色"))
        return data


def bulletin_index(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    follows = may_publish_bulletins(user)
    return render(
        request,
        "knowledge/bulletins.html",
        {
            "receipts": list(my_receipts(user)[:200]),
            "sent": list(followed_bulletins(user)[:100]) if follows else [],
            "may_publish": may_publish_bulletins(user),
            "follows": follows,
            "now": timezone.now(),
        },
    )


@require_http_methods(["GET", "POST"])
def bulletin_new(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_publish_bulletins(user))
    initial: dict[str, object] = {"deadline": timezone.localtime() + timedelta(days=2)}
    if request.GET.get("article"):
        initial["article"] = request.GET["article"]
    form = BulletinForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bulletin = bulletin_publish(
                actor=user,
                title=data["title"],
                body=data["body"],
                deadline=data["deadline"],
                teams=list(data["teams"]),
                roles=data.get("roles", []),
                questions=data["questions"],
                article=data["article"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已发送给 %(n)d 人") % {"n": bulletin.receipts.count()})
            return redirect("knowledge:bulletin_readers", bulletin_id=bulletin.pk)
    return render(request, "knowledge/bulletin_new.html", {"form": form})


@require_http_methods(["GET", "POST"])
def bulletin_read(request: HttpRequest, bulletin_id: int) -> HttpResponse:
    user = request_user(request)
    bulletin = Bulletin.objects.select_related("article").filter(pk=bulletin_id).first()
    receipt = bulletin.receipts.filter(user=user).first() if bulletin else None
    if bulletin is None or (
        receipt is None and not followed_receipts(user).filter(bulletin=bulletin).exists()
    ):
        raise Http404
    questions = bulletin_questions(bulletin)
    wrong: list[int] = []
    if request.method == "POST":
        answers = [int_param(request.POST, f"q{n}") for n in range(1, len(questions) + 1)]
        wrong = bulletin_acknowledge(user=user, bulletin=bulletin, answers=answers)
        if not wrong:
            messages.success(request, _("已确认阅读"))
            return redirect("knowledge:bulletin", bulletin_id=bulletin.pk)
        messages.error(request, _("有题目答错了，请再读一遍后重新作答"))
        receipt = bulletin.receipts.get(user=user)
    return render(
        request,
        "knowledge/bulletin.html",
        {
            "bulletin": bulletin,
            "receipt": receipt,
            "questions": questions,
            "wrong": wrong,
            "late": timezone.now() > bulletin.deadline,
        },
    )


def bulletin_reader_list(request: HttpRequest, bulletin_id: int) -> HttpResponse:
    user = request_user(request)
    bulletin = Bulletin.objects.filter(pk=bulletin_id).first()
    if bulletin is None:
        raise Http404
    readers = list(bulletin_readers(user, bulletin))
    require(bool(readers) or follows_every_team(user))
    return render(
        request,
        "knowledge/bulletin_readers.html",
        {
            "bulletin": bulletin,
            "readers": readers,
            "unread": sum(1 for r in readers if r.read_at is None),
        },
    )


@require_POST
def bulletin_send_reminder(request: HttpRequest, bulletin_id: int) -> HttpResponse:
    bulletin = Bulletin.objects.filter(pk=bulletin_id).first()
    if bulletin is None:
        raise Http404
    reminded = bulletin_remind(actor=request_user(request), bulletin=bulletin)
    messages.success(request, _("已提醒 %(n)d 人") % {"n": reminded})
    return redirect("knowledge:bulletin_readers", bulletin_id=bulletin.pk)


def bulletin_report(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_publish_bulletins(user))
    until = timezone.now()
    since = until - timedelta(days=REPORT_DAYS)
    return render(
        request,
        "knowledge/bulletin_report.html",
        {"teams": reading_by_team(user, since, until), "days": REPORT_DAYS},
    )
