"""The roster solver's setup in the HTTP API (/api/workforce/), as the setup pages enter it
(issue 14): shift templates and agents' skills for planners, operations managers and admins;
leave for them and for team leaders (their own teams' agents). The same services and rules
as the pages: a refusal answers 422 with the reasons. Agents and queues are named by code.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from lingting.core.models import Agent
from lingting.core.params import ApiDate, RowId
from lingting.core.permissions import request_user, require
from lingting.interactions.models import Queue
from lingting.workforce.models import Absence, ShiftTemplate
from lingting.workforce.permissions import (
    absence_agents,
    absence_teams,
    may_see_absences,
    may_set_up_rosters,
)
from lingting.workforce.selectors.setup import absence_of, absences_for
from lingting.workforce.services.setup import (
    Leave,
    ShiftTimes,
    absence_create,
    absence_delete,
    agent_skills_save,
    shift_template_create,
)
from lingting.workforce.setup_forms import absence_range_default, minutes_of

router = Router()

HoursMinutes = Annotated[
    str, Field(pattern=r"^\d{1,2}:[0-5]\d$", description="hours:minutes, e.g. 08:00")
]


class ShiftTemplateIn(Schema):
    code: str = Field(min_length=1, max_length=16, description="早, 中, 夜 … (not 休)")
    name: str = Field("", max_length=64)
    start: HoursMinutes = Field(description="00:00–24:00; 24:00 is the midnight ending the date")
    length: HoursMinutes = Field(description="above 0:00, at most 16:00")


class ShiftTemplateOut(Schema):
    code: str
    name: str
    start: str  # "08:00"
    end: str  # "16:00"; a shift past midnight ends on the next date
    length: str  # "8:00"
    start_minutes: int
    length_minutes: int
    is_active: bool


class SkillIn(Schema):
    queue: str = Field(min_length=1, max_length=64, description="the queue's ACD code")
    level: int = Field(ge=1, le=3, description="1 the best")


class SkillsIn(Schema):
    skills: list[SkillIn] = Field(max_length=500)


class SkillsOut(Schema):
    agent: str
    left_on: date | None
    skills: list[SkillIn]


class AbsenceQuery(Schema):
    first_day: ApiDate | None = None  # default: the 1st of this month
    last_day: ApiDate | None = None  # default: the end of next month
    team: str | None = Field(None, max_length=64, description="a team's code")


class AbsenceIn(Schema):
    agent: str = Field(min_length=1, max_length=64, description="the agent's code")
    first_day: ApiDate
    last_day: ApiDate
    kind: Literal["annual", "sick", "personal", "training", "other"]
    note: str = Field("", max_length=200)


class AbsenceOut(Schema):
    id: int
    agent: str
    team: str | None  # the agent's team's code
    first_day: date
    last_day: date
    kind: str
    note: str


def _template_out(template: ShiftTemplate) -> dict[str, Any]:
    return {
        "code": template.code,
        "name": template.name,
        "start": template.start_text,
        "end": template.end_text,
        "length": template.length_text,
        "start_minutes": template.start_minutes,
        "length_minutes": template.length_minutes,
        "is_active": template.is_active,
    }


@router.get("/shift-templates", response=list[ShiftTemplateOut])
def shift_template_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Every shift template, active or not, by start time."""
    require(may_set_up_rosters(request_user(request)))
    return [_template_out(t) for t in ShiftTemplate.objects.order_by("start_minutes", "code")]


@router.post("/shift-templates", response={201: ShiftTemplateOut})
def shift_template_add(request: HttpRequest, body: ShiftTemplateIn) -> Status[dict[str, Any]]:
    """Add an active shift template (audited); 422 with the reason for a code in use, a
    start past 24:00, a length of 0 or over 16 hours."""
    user = request_user(request)
    require(may_set_up_rosters(user))
    times = ShiftTimes(body.name, minutes_of(body.start) or 0, minutes_of(body.length) or 0)
    template = shift_template_create(actor=user, code=body.code, times=times)
    return Status(201, _template_out(template))


def _skills_out(agent: Agent) -> dict[str, Any]:
    skills = agent.skills.select_related("queue").order_by("level", "queue__code")
    return {
        "agent": agent.code,
        "left_on": agent.left_on,
        "skills": [{"queue": skill.queue.code, "level": skill.level} for skill in skills],
    }


@router.get("/agents/{code}/skills", response=SkillsOut)
def agent_skill_list(request: HttpRequest, code: str) -> dict[str, Any]:
    """The queues the agent answers, best level first."""
    require(may_set_up_rosters(request_user(request)))
    return _skills_out(get_object_or_404(Agent, code=code))


@router.put("/agents/{code}/skills", response=SkillsOut)
def agent_skill_replace(request: HttpRequest, code: str, body: SkillsIn) -> dict[str, Any]:
    """Replace the queues the agent answers with `skills` (audited); 422 for an agent who has
    left, a queue named twice or unknown."""
    user = request_user(request)
    require(may_set_up_rosters(user))
    agent = get_object_or_404(Agent, code=code)
    named = [skill.queue for skill in body.skills]
    queues = {queue.code: queue for queue in Queue.objects.filter(code__in=named)}
    problems = sorted(set(named) - queues.keys())
    if problems:
        raise ValidationError([f"no queue {code!r}" for code in problems])
    if len(set(named)) != len(named):
        raise ValidationError("a queue is named more than once")
    # Every queue not named is one the agent no longer answers.
    levels: dict[Queue, int | None] = dict.fromkeys(Queue.objects.all())
    levels |= {queues[skill.queue]: skill.level for skill in body.skills}
    agent_skills_save(actor=user, levels={agent: levels}, today=timezone.localdate())
    return _skills_out(agent)


def _absence_out(absence: Absence) -> dict[str, Any]:
    return {
        "id": absence.pk,
        "agent": absence.agent.code,
        "team": absence.agent.team.code if absence.agent.team else None,
        "first_day": absence.first_day,
        "last_day": absence.last_day,
        "kind": absence.kind,
        "note": absence.note,
    }


@router.get("/absences", response=list[AbsenceOut])
def absence_list(request: HttpRequest, query: Query[AbsenceQuery]) -> list[dict[str, Any]]:
    """The leave that touches the days asked (this month and next by default) of the agents
    the user may see: every agent for planners, a team leader's teams' agents."""
    user = request_user(request)
    require(may_see_absences(user))
    first, last = absence_range_default(timezone.localdate())
    team = None
    if query.team is not None:
        team = absence_teams(user).filter(code=query.team).first()
        if team is None:
            raise ValidationError(f"no team {query.team!r} among yours")
    rows = absences_for(
        user=user, first=query.first_day or first, last=query.last_day or last, team=team
    )
    return [_absence_out(absence) for absence in rows[:1000]]


@router.post("/absences", response={201: AbsenceOut})
def absence_add(request: HttpRequest, body: AbsenceIn) -> Status[dict[str, Any]]:
    """Enter leave (audited); 422 with the reason where it overlaps the agent's leave, ends
    before it starts or falls after the agent left; 404 for an agent not the user's."""
    user = request_user(request)
    require(may_see_absences(user))
    agent = get_object_or_404(absence_agents(user), code=body.agent)
    leave = Leave(agent, body.first_day, body.last_day, body.kind, body.note)
    return Status(201, _absence_out(absence_create(actor=user, leave=leave)))


@router.delete("/absences/{absence_id}", response={204: None})
def absence_remove(request: HttpRequest, absence_id: RowId) -> Status[None]:
    """Take back leave entered by mistake (audited)."""
    user = request_user(request)
    require(may_see_absences(user))
    absence = absence_of(user, absence_id)
    if absence is None:
        raise Http404
    absence_delete(actor=user, absence=absence)
    return Status(204, None)
