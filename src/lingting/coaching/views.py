"""The improvement loop's pages: plans, detection, a plan with its sessions and goals, the
effect page, training needs and trainings. Parse, ask a selector or call a service, render."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lingting.coaching import charts
from lingting.coaching.forms import (
    CloseForm,
    DetectForm,
    DiagnosisForm,
    EffectForm,
    GoalForm,
    OpenPlanForm,
    SessionForm,
    TrainingForm,
)
from lingting.coaching.models import ImprovementPlan, PlanStatus, Training
from lingting.coaching.permissions import (
    may_coach,
    may_detect,
    may_read_training_needs,
    may_schedule_training,
    may_see_coaching_effect,
    may_see_plans,
    may_write_goals,
    plan_agents,
)
from lingting.coaching.selectors import (
    COMPARISONS,
    Comparison,
    Detected,
    PlanEffect,
    agent_diagnosis,
    detect_below_target,
    figure_named,
    figures,
    plan_cohorts,
    plan_effect,
    plan_for,
    plan_phases,
    plans_for,
    session_contacts,
    training_items,
    training_needs,
    training_tracking,
    trainings_listed,
)
from lingting.coaching.services import (
    GoalInput,
    SessionInput,
    TrainingInput,
    coaching_session_record,
    improvement_plan_close,
    improvement_plan_open,
    improvement_plan_start,
    phase_goal_save,
    training_schedule,
)
from lingting.core.forms import refusals_on
from lingting.core.params import BadParameter, int_param
from lingting.core.permissions import request_user, require
from lingting.performance.catch_up import counted_first

TRAINING_NEEDS_DAYS = 90
DETECTED_PER_PAGE = 10


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_see_plans(user))
    status = request.GET.get("status", "")
    if status not in PlanStatus.values:
        status = ""
    labels = {f.code: f.label for f in figures()}
    plans = [
        (plan, labels.get(plan.figure, plan.figure)) for plan in plans_for(user=user, status=status)
    ]
    return render(
        request,
        "coaching/plan_list.html",
        {
            "plans": plans,
            "status": status,
            "statuses": PlanStatus.choices,
            "may_detect": may_detect(user),
            "may_see_effect": may_see_coaching_effect(user),
            "may_read_training": may_read_training_needs(user),
        },
    )


@require_GET
@counted_first
def detect(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_detect(user))
    form = DetectForm(request.GET or None)
    figure, as_of, length = form.values()
    detection = detect_below_target(user=user, figure=figure, as_of=as_of, length=length)
    page = Paginator(detection.detected, DETECTED_PER_PAGE).get_page(
        int_param(request.GET, "page", 1, minimum=1)
    )
    return render(
        request,
        "coaching/detect.html",
        {
            "form": form,
            "detection": detection,
            # A diagnosis reads months of an agent's findings: each card asks for its own
            # after the page (coaching/diagnosis.js), so the list shows at once.
            "rows": [(found, _diagnosis_query(found)) for found in page],
            "page": page,
            "length": length,
            "as_of": as_of,
        },
    )


def _diagnosis_query(found: Detected) -> str:
    """The query string of `diagnosis` for an agent found below target: the months found."""
    first, last = found.detected_days
    return urlencode({"agent": found.agent.code, "date_from": first, "date_to": last})


@require_GET
def diagnosis(request: HttpRequest) -> HttpResponse:
    """Why an agent is below target (`agent_diagnosis`): the part of the detection page's card
    its script asks for (`fragment=1`), or a page of its own (the link without scripts)."""
    user = request_user(request)
    require(may_detect(user))
    form = DiagnosisForm(request.GET)
    if not form.is_valid():
        raise BadParameter(
            "；".join(
                f"{name}: {' '.join(str(e) for e in errors)}"
                for name, errors in form.errors.items()
            )
        )
    data = form.cleaned_data
    agent = plan_agents(user).select_related("team").filter(code=data["agent"]).first()
    if agent is None:
        raise Http404
    context = {
        "agent": agent,
        "date_from": data["date_from"],
        "date_to": data["date_to"],
        "diagnosis": agent_diagnosis(
            user=user, agent=agent, date_from=data["date_from"], date_to=data["date_to"], top=3
        ),
    }
    if request.GET.get("fragment"):
        return render(request, "coaching/detect.html#diagnosis", context)
    return render(request, "coaching/diagnosis.html", context)


@require_POST
@counted_first
def plan_open(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_detect(user))
    form = OpenPlanForm(request.POST)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    detection = detect_below_target(
        user=user, figure=data["figure"], as_of=data["as_of"], length=data["length"]
    )
    found = next((d for d in detection.detected if d.agent.code == data["agent"]), None)
    if found is None:
        messages.error(request, _("该坐席不在未达标名单中"))
        return redirect("coaching:detect")
    try:
        plan = improvement_plan_open(actor=user, detected=found)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("coaching:detect")
    messages.success(request, _("已为 %(agent)s 开启“3+1”提升计划") % {"agent": found.agent})
    return redirect("coaching:plan_detail", plan.pk)


def _plan_or_404(request: HttpRequest, plan_id: int) -> ImprovementPlan:
    try:
        return plan_for(user=request_user(request), plan_id=plan_id)
    except ImprovementPlan.DoesNotExist:
        raise Http404 from None


@require_GET
@counted_first
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan_or_404(request, plan_id)
    return _render_plan(request, plan)


def _render_plan(
    request: HttpRequest,
    plan: ImprovementPlan,
    *,
    session_form: SessionForm | None = None,
    goal_form: GoalForm | None = None,
    close_form: CloseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request_user(request)
    coach = may_coach(user, plan.agent) and plan.status != PlanStatus.CLOSED
    writes_goals = may_write_goals(user, plan.agent) and plan.status != PlanStatus.CLOSED
    first = (
        date.fromisoformat(f"{plan.detected_months[0]}-01")
        if plan.detected_months
        else plan.opened_on
    )
    if coach and session_form is None:
        session_form = SessionForm(contacts=_linkable(user, plan))
    if writes_goals and goal_form is None:
        goal_form = GoalForm(opened_on=plan.opened_on, is_agent=plan.agent.user_id == user.pk)
    if coach and close_form is None:
        close_form = CloseForm()
    try:
        figure = figure_named(plan.figure)
    except KeyError:
        figure = None
    return render(
        request,
        "coaching/plan_detail.html",
        {
            "plan": plan,
            "figure": figure,
            "baseline": list(zip(plan.detected_months, plan.baseline, strict=False)),
            "phases": plan_phases(user=user, plan=plan),
            "sessions": plan.sessions.select_related("coach").prefetch_related("contacts"),
            "diagnosis": agent_diagnosis(
                user=user,
                agent=plan.agent,
                date_from=first,
                date_to=plan.opened_on - timedelta(days=1),
            ),
            "trainings": plan.agent.trainings.filter(held_on__gte=first),
            "session_form": session_form if coach else None,
            "goal_form": goal_form if writes_goals else None,
            "close_form": close_form if coach else None,
            "may_start": coach and plan.status == PlanStatus.OPEN,
        },
        status=status,
    )


def _linkable(user: Any, plan: ImprovementPlan) -> Any:
    since = (
        date.fromisoformat(f"{plan.detected_months[0]}-01")
        if plan.detected_months
        else plan.opened_on
    )
    ids = list(
        session_contacts(user=user, agent=plan.agent, since=since).values_list("pk", flat=True)[
            :200
        ]
    )
    return session_contacts(user=user, agent=plan.agent, since=since).filter(pk__in=ids)


@require_POST
@counted_first
def session_record(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = request_user(request)
    plan = _plan_or_404(request, plan_id)
    require(may_coach(user, plan.agent))
    form = SessionForm(request.POST, contacts=_linkable(user, plan))
    if form.is_valid():
        data = form.cleaned_data
        with refusals_on(form):
            coaching_session_record(
                coach=user,
                plan=plan,
                session=SessionInput(
                    kind=data["kind"],
                    held_on=data["held_on"],
                    notes=data["notes"],
                    contact_ids=[c.pk for c in data["contacts"]],
                ),
            )
            messages.success(request, _("辅导记录已保存"))
            return redirect("coaching:plan_detail", plan.pk)
    return _render_plan(request, plan, session_form=form, status=400)


@require_POST
@counted_first
def goal_save(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = request_user(request)
    plan = _plan_or_404(request, plan_id)
    require(may_write_goals(user, plan.agent))
    form = GoalForm(request.POST, opened_on=plan.opened_on, is_agent=plan.agent.user_id == user.pk)
    if form.is_valid():
        data = form.cleaned_data
        with refusals_on(form):
            phase_goal_save(
                actor=user,
                plan=plan,
                goal=GoalInput(
                    month=data["month"],
                    phase=data["phase"],
                    measures=data["measures"],
                    goal=data["goal"],
                    self_review=data.get("self_review", ""),
                    leader_note=data.get("leader_note", ""),
                ),
            )
            messages.success(request, _("阶段目标已保存"))
            return redirect("coaching:plan_detail", plan.pk)
    return _render_plan(request, plan, goal_form=form, status=400)


@require_POST
@counted_first
def plan_status(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = request_user(request)
    plan = _plan_or_404(request, plan_id)
    require(may_coach(user, plan.agent))
    try:
        if request.POST.get("action") == "start":
            improvement_plan_start(actor=user, plan=plan)
            messages.success(request, _("计划已开始执行"))
            return redirect("coaching:plan_detail", plan.pk)
        form = CloseForm(request.POST)
        if not form.is_valid():
            return _render_plan(request, plan, close_form=form, status=400)
        improvement_plan_close(
            actor=user,
            plan=plan,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("coaching:plan_detail", plan.pk)
    messages.success(request, _("计划已结束"))
    return redirect("coaching:plan_detail", plan.pk)


# ---------------------------------------------------------------------------- effect


@require_GET
@counted_first
def effect(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_see_coaching_effect(user))
    labels = {f.code: f.label for f in figures()}
    cohorts = plan_cohorts()
    choices = [
        (
            f"{c.figure}:{c.start:%Y-%m}",
            f"{labels.get(c.figure, c.figure)} · {c.start:%Y-%m} ({c.plans})",
        )
        for c in cohorts
    ]
    form = EffectForm(request.GET or None, cohorts=choices)
    chosen = form.data.get("cohort") if form.is_bound and form.is_valid() else None
    comparison_raw = (
        form.cleaned_data.get("comparison") if form.is_bound and form.is_valid() else ""
    )
    comparison: Comparison = next((c for c in COMPARISONS if c == comparison_raw), "level")
    result: PlanEffect | None = None
    chart = None
    if cohorts:
        figure, month = (chosen or choices[0][0]).split(":")
        if figure in labels:
            result = plan_effect(
                user=user,
                figure=figure,
                start=date.fromisoformat(f"{month}-01"),
                comparison=comparison,
            )
            months = [m.month.strftime("%Y-%m") for m in result.means]
            fmt = ".1%" if result.figure.unit == "rate" else ".1f"
            chart = charts.line_chart(
                months,
                [
                    (_("参加计划"), "series-treated", [m.treated for m in result.means]),
                    (_("对照组"), "series-control", [m.control for m in result.means]),
                ],
                marker_at=len(result.pre),
                fmt=fmt,
            )
    return render(
        request,
        "coaching/effect.html",
        {"form": form, "result": result, "chart": chart, "comparison": comparison},
    )


# ---------------------------------------------------------------------------- training


@require_GET
def training_needs_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_read_training_needs(user))
    since = timezone.localdate() - timedelta(days=TRAINING_NEEDS_DAYS)
    needs, raised = training_needs(since=since)
    return render(
        request,
        "coaching/training_needs.html",
        {
            "needs": needs,
            "raised": raised,
            "since": since,
            "trainings": trainings_listed()[:20],
            "may_schedule": may_schedule_training(user),
        },
    )


@require_http_methods(["GET", "POST"])
def training_new(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(may_schedule_training(user))
    titles = training_items()
    form = TrainingForm(
        request.POST or None, items=titles, initial={"item": request.GET.get("item", "")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals_on(form):
            training = training_schedule(
                trainer=user,
                training=TrainingInput(
                    topic=data["topic"],
                    item=data["item"],
                    item_title=titles.get(data["item"], ""),
                    held_on=data["held_on"],
                    attendees=list(data["attendees"]),
                    notes=data["notes"],
                ),
            )
            messages.success(request, _("培训已安排"))
            return redirect("coaching:training_detail", training.pk)
    return render(request, "coaching/training_form.html", {"form": form})


@require_GET
def training_detail(request: HttpRequest, training_id: int) -> HttpResponse:
    user = request_user(request)
    require(may_read_training_needs(user))
    training = get_object_or_404(Training.objects.select_related("trainer"), pk=training_id)
    tracking = training_tracking(training=training)
    marker = next((k for k, w in enumerate(tracking.weeks) if w.after), None)
    chart = charts.bar_chart(
        [w.week[5:] for w in tracking.weeks],
        [w.rate for w in tracking.weeks],
        ["bar-after" if w.after else "bar-before" for w in tracking.weeks],
        marker_at=marker,
    )
    return render(
        request,
        "coaching/training_detail.html",
        {
            "training": training,
            "attendees": training.attendees.select_related("team").order_by("code"),
            "tracking": tracking,
            "chart": chart if tracking.weeks else None,
        },
    )
