"""The roster solver's setup pages (issue 14): shift templates, the agents × pools skill
matrix and rotations for planners, operations managers and administrators; leave for them
and for team leaders (their own teams'). Each view reads the input, calls one service and
shows the result or the reason it was refused."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lingting.core.forms import refusals_on
from lingting.core.models import Agent, Team
from lingting.core.params import ids_param
from lingting.core.permissions import request_user, require
from lingting.interactions.models import Queue
from lingting.workforce.models import Absence, Rotation, ShiftTemplate
from lingting.workforce.permissions import may_see_absences, may_set_up_rosters
from lingting.workforce.selectors.setup import (
    NO_TEAM,
    RotationPreview,
    SkillMatrix,
    absence_of,
    absences_for,
    evenly_spaced_offsets,
    rotation_pattern_of,
    rotation_places,
    rotation_preview,
    rotation_rows,
    shift_template_rows,
    skill_matrix,
)
from lingting.workforce.services.setup import (
    RotationSetup,
    absence_create,
    absence_delete,
    agent_skills_save,
    rotation_delete,
    rotation_save,
    shift_template_create,
    shift_template_set_active,
    shift_template_update,
)
from lingting.workforce.setup_forms import (
    AbsenceFilterForm,
    AbsenceForm,
    RotationForm,
    ShiftTemplateForm,
    skill_levels_posted,
)

# --- shift templates --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def shift_templates(request: HttpRequest) -> HttpResponse:
    """The templates, and a new one added."""
    user = request_user(request)
    require(may_set_up_rosters(user))
    form = ShiftTemplateForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            template = shift_template_create(
                actor=user, code=form.cleaned_data["code"], times=form.times()
            )
        except ValidationError as refusal:
            _place(form, refusal)
        else:
            messages.success(request, _("已添加班次 %(code)s") % {"code": template.code})
            return redirect("workforce:shift_templates")
    return render(request, "workforce/shifts.html", {"rows": shift_template_rows(), "form": form})


@require_http_methods(["GET", "POST"])
def shift_template(request: HttpRequest, template_id: int) -> HttpResponse:
    """One template's name and times, changed."""
    user = request_user(request)
    require(may_set_up_rosters(user))
    template = get_object_or_404(ShiftTemplate, pk=template_id)
    initial = {
        "name": template.name,
        "start": template.start_minutes,
        "length": template.length_minutes,
    }
    form = ShiftTemplateForm(request.POST or None, initial=initial, creating=False)
    if request.method == "POST" and form.is_valid():
        try:
            shift_template_update(actor=user, template=template, times=form.times())
        except ValidationError as refusal:
            _place(form, refusal)
        else:
            messages.success(request, _("已保存班次 %(code)s") % {"code": template.code})
            return redirect("workforce:shift_templates")
    return render(
        request,
        "workforce/shifts.html",
        {"rows": shift_template_rows(), "form": form, "editing": template},
    )


@require_POST
def shift_template_active(request: HttpRequest, template_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_set_up_rosters(user))
    template = get_object_or_404(ShiftTemplate, pk=template_id)
    active = request.POST.get("active") == "1"
    try:
        shift_template_set_active(actor=user, template=template, active=active)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        done = _("已启用班次 %(code)s") if active else _("已停用班次 %(code)s")
        messages.success(request, done % {"code": template.code})
    return redirect("workforce:shift_templates")


def _place(form: ShiftTemplateForm | RotationForm, refusal: ValidationError) -> None:
    """A service's refusal on the form: under the field it names, or above the form."""
    if hasattr(refusal, "error_dict"):
        for name, texts in refusal.message_dict.items():
            for text in texts:
                form.add_error(name if name in form.fields else None, text)
    else:
        for text in refusal.messages:
            form.add_error(None, text)


# --- skills ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def skills(request: HttpRequest) -> HttpResponse:
    """Which pools each agent answers and how well; one team's agents at a time or all.

    A save covers the agents and queues the page showed (listed in the form), so an agent or
    a queue added meanwhile keeps what it has."""
    user = request_user(request)
    require(may_set_up_rosters(user))
    today = timezone.localdate()
    team = request.GET.get("team", "").strip()
    errors: list[str] = []
    if request.method == "POST":
        agents = list(Agent.objects.filter(pk__in=ids_param(request.POST, "agent")))
        queues = list(Queue.objects.filter(pk__in=ids_param(request.POST, "queue")))
        levels, errors = skill_levels_posted(request.POST, agents, queues)
        if not errors:
            try:
                changed = agent_skills_save(actor=user, levels=levels, today=today)
            except ValidationError as refusal:
                errors = refusal.messages
            else:
                messages.success(request, _("已保存 %(n)s 名坐席的技能") % {"n": changed})
                return redirect(request.get_full_path())
    matrix = skill_matrix(team=team or None, today=today)
    return render(
        request,
        "workforce/skills.html",
        {
            "matrix": matrix,
            "rows": _skill_cells(matrix, request.POST if errors else None),
            "teams": Team.objects.order_by("code"),
            "team": team,
            "no_team": NO_TEAM,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _skill_cells(matrix: SkillMatrix, posted: QueryDict | None) -> list[dict[str, Any]]:
    """The editable rows, each cell named for the post and holding its level as stored, or
    as posted when the save was refused (so nothing typed is lost)."""
    rows = []
    for row in matrix.current:
        cells = []
        for queue, level in zip(matrix.queues, row.levels, strict=True):
            name = f"skill-{row.agent.pk}-{queue.pk}"
            value = posted.get(name, "") if posted is not None else str(level or "")
            cells.append({"name": name, "value": value, "queue": queue})
        rows.append({"agent": row.agent, "cells": cells})
    return rows


# --- leave -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def absences(request: HttpRequest) -> HttpResponse:
    """Leave between two dates (of one team or all the user's), and leave entered."""
    user = request_user(request)
    require(may_see_absences(user))
    today = timezone.localdate()
    form = AbsenceForm(request.POST or None, user=user, today=today)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            absence = absence_create(actor=user, leave=form.leave())
            messages.success(request, _("已登记 %(leave)s") % {"leave": _leave_text(absence)})
            return redirect(request.get_full_path())
    filters = AbsenceFilterForm(request.GET or None, user=user, today=today)
    first, last, team = filters.query()
    return render(
        request,
        "workforce/absences.html",
        {
            "filters": filters,
            "form": form,
            "rows": absences_for(user=user, first=first, last=last, team=team),
            "first": first,
            "last": last,
        },
    )


@require_POST
def absence_remove(request: HttpRequest, absence_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_see_absences(user))
    absence = absence_of(user, absence_id)
    if absence is None:
        raise Http404
    absence_delete(actor=user, absence=absence)
    messages.success(request, _("已删除 %(leave)s") % {"leave": _leave_text(absence)})
    filters = request.GET.urlencode()
    return redirect(reverse("workforce:absences") + (f"?{filters}" if filters else ""))


def _leave_text(absence: Absence) -> str:
    return _("%(agent)s %(first)s 至 %(last)s 的%(kind)s") % {
        "agent": absence.agent,
        "first": absence.first_day,
        "last": absence.last_day,
        "kind": absence.get_kind_display(),
    }


# --- rotations -------------------------------------------------------------------------


@require_GET
def rotations(request: HttpRequest) -> HttpResponse:
    require(may_set_up_rosters(request_user(request)))
    return render(
        request, "workforce/rotations.html", {"rows": rotation_rows(timezone.localdate())}
    )


@require_http_methods(["GET", "POST"])
def rotation(request: HttpRequest, rotation_id: int | None = None) -> HttpResponse:
    """Add a rotation (no `rotation_id`) or change one, with its preview. The buttons
    "evenly space" (action=even) and "preview" show the posted setup without saving it."""
    user = request_user(request)
    require(may_set_up_rosters(user))
    saved = get_object_or_404(Rotation, pk=rotation_id) if rotation_id is not None else None
    if request.method == "GET":
        form = RotationForm(initial=_rotation_initial(saved), rotation=saved)
        setup = _saved_setup(saved)
    else:
        form = RotationForm(request.POST, rotation=saved)
        if request.POST.get("action") == "even":
            form = _evenly_spaced(request.POST, form, saved)
        setup = form.setup() if form.is_valid() else None
        if setup is not None and request.POST.get("action") == "save":
            try:
                saved = rotation_save(actor=user, rotation=saved, setup=setup)
            except ValidationError as refusal:
                _place(form, refusal)
            else:
                messages.success(request, _("已保存轮班「%(name)s」") % {"name": saved.name})
                return redirect("workforce:rotation", rotation_id=saved.pk)
    return render(
        request,
        "workforce/rotations.html",
        {"rotation": saved, "form": form, "preview": _preview(form, setup)},
    )


def _rotation_initial(rotation: Rotation | None) -> dict[str, object]:
    if rotation is None:
        return {"cycle": "早早中中夜夜休休", "anchor": timezone.localdate()}
    places = rotation_places(rotation)
    initial: dict[str, object] = {
        "name": rotation.name,
        "cycle": rotation.cycle,
        "anchor": rotation.anchor,
        "teams": [team.pk for team, _offset in places],
    }
    return initial | {f"offset_{team.pk}": offset for team, offset in places}


def _saved_setup(rotation: Rotation | None) -> RotationSetup | None:
    if rotation is None:
        return None
    return RotationSetup(rotation.name, rotation.cycle, rotation.anchor, rotation_places(rotation))


def _evenly_spaced(post: QueryDict, form: RotationForm, rotation: Rotation | None) -> RotationForm:
    """The posted form with its chosen teams' offsets spread evenly over its cycle
    (engine.rotation.evenly_spaced_teams), or with the reason they cannot be."""
    form.is_valid()  # reads the teams and the cycle; the offsets are what this fills in
    teams = form.chosen_teams()
    if not teams:
        form.add_error("teams", _("先勾选要均匀分布的班组"))
        return form
    try:
        offsets = evenly_spaced_offsets(rotation_pattern_of(post.get("cycle", "")), teams)
    except ValidationError as refusal:
        form.add_error("cycle", refusal)
        return form
    data = post.copy()
    for team_id, offset in offsets.items():
        data[f"offset_{team_id}"] = str(offset)
    return RotationForm(data, rotation=rotation)


def _preview(form: RotationForm, setup: RotationSetup | None) -> RotationPreview | None:
    """The preview of `setup` from today; None (the reason on the form) where its cycle
    does not read."""
    if setup is None:
        return None
    try:
        pattern = rotation_pattern_of(setup.cycle)
    except ValidationError as refusal:
        if "cycle" in form.fields and not form.has_error("cycle"):
            form.add_error("cycle", refusal)
        return None
    return rotation_preview(
        pattern=pattern, anchor=setup.anchor, places=setup.places, today=timezone.localdate()
    )


@require_POST
def rotation_remove(request: HttpRequest, rotation_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_set_up_rosters(user))
    rotation = get_object_or_404(Rotation, pk=rotation_id)
    rotation_delete(actor=user, rotation=rotation)
    messages.success(request, _("已删除轮班「%(name)s」") % {"name": rotation.name})
    return redirect("workforce:rotations")
