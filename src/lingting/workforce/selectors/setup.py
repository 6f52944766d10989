"""Reads of the roster solver's setup (issue 14): shift templates and the rotations that name
them, the agents × pools skill matrix, leave by dates and team, and a rotation's preview — the
next 14 days per team, the hours no team covers, the shortest rest between shifts and each
team's hours per month against the standard (engine.rotation)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from lingting.core.models import Agent, Team, User
from lingting.engine.rotation import (
    REST,
    HoursAgainstStandard,
    RotationError,
    RotationPattern,
    coverage_gaps,
    cycle_codes,
    evenly_spaced_teams,
    expand_rotation,
    hours_against_standard,
    shortest_rest,
)
from lingting.engine.rotation import ShiftTemplate as EngineTemplate
from lingting.engine.rotation import Team as RotationPlace
from lingting.engine.statutory import statutory_holidays_between
from lingting.engine.streaks import add_months
from lingting.interactions.models import Queue
from lingting.workforce.models import Absence, AgentSkill, Rotation, RotationTeam, ShiftTemplate
from lingting.workforce.permissions import absence_agents

PREVIEW_DAYS = 14
MIN_REST = timedelta(hours=11)  # the roster's rule: at least 11 hours between two shifts
GAPS_SHOWN = 10
NO_TEAM = "none"  # the skill matrix's filter for the agents of no team


# --- shift templates --------------------------------------------------------------------


def rotations_naming(code: str) -> list[Rotation]:
    """The rotations whose cycle walks the shift `code` (a handful of rows: read in full)."""
    return [r for r in Rotation.objects.order_by("name") if code in cycle_codes(r.cycle)]


@dataclass(frozen=True, slots=True)
class TemplateRow:
    template: ShiftTemplate
    rotations: list[Rotation]


def shift_template_rows() -> list[TemplateRow]:
    """Every shift template, active first, each with the rotations that name it."""
    rotations = list(Rotation.objects.order_by("name"))
    return [
        TemplateRow(t, [r for r in rotations if t.code in cycle_codes(r.cycle)])
        for t in ShiftTemplate.objects.order_by("-is_active", "start_minutes", "code")
    ]


# --- skills ----------------------------------------------------------------------------


@dataclass(slots=True)
class SkillRow:
    agent: Agent
    levels: list[int | None]  # per queue of the matrix, None: not skilled


@dataclass(slots=True)
class SkillMatrix:
    queues: list[Queue]
    current: list[SkillRow] = field(default_factory=list)
    left: list[SkillRow] = field(default_factory=list)  # left before today: read only


def has_left(agent: Agent, today: date) -> bool:
    """Whether `agent` is off the staff: `left_on` is their last day, so today is not."""
    return agent.left_on is not None and agent.left_on < today


def skill_matrix(*, team: str | None, today: date) -> SkillMatrix:
    """Agents (of one team by code, of no team with `NO_TEAM`, or all) by queue, with the level
    each answers it at; those who left apart. Three queries however many agents."""
    agents = Agent.objects.select_related("team").order_by(
        F("team__code").asc(nulls_last=True), "code"
    )
    if team == NO_TEAM:
        agents = agents.filter(team__isnull=True)
    elif team:
        agents = agents.filter(team__code=team)
    queues = list(Queue.objects.order_by("code"))
    matrix = SkillMatrix(queues=queues)
    levels: dict[tuple[int, int], int] = {
        (skill.agent_id, skill.queue_id): skill.level
        for skill in AgentSkill.objects.filter(agent__in=agents)
    }
    for agent in agents:
        row = SkillRow(agent, [levels.get((agent.pk, queue.pk)) for queue in queues])
        (matrix.left if has_left(agent, today) else matrix.current).append(row)
    return matrix


# --- leave -----------------------------------------------------------------------------


def absences_for(
    *, user: User, first: date, last: date, team: Team | None = None
) -> QuerySet[Absence]:
    """The leave of the agents `user` may see that touches `first`..`last`, by first day."""
    rows = Absence.objects.filter(
        agent__in=absence_agents(user), first_day__lte=last, last_day__gte=first
    )
    if team is not None:
        rows = rows.filter(agent__team=team)
    return rows.select_related("agent", "agent__team", "created_by").order_by(
        "first_day", "agent__code"
    )


def absence_of(user: User, absence_id: int) -> Absence | None:
    """The leave `absence_id` if it is of an agent `user` may see."""
    return (
        Absence.objects.filter(agent__in=absence_agents(user), pk=absence_id)
        .select_related("agent")
        .first()
    )


def absence_overlapping(agent: Agent, first: date, last: date) -> Absence | None:
    """The agent's leave that shares a day with `first`..`last`, if any."""
    return (
        Absence.objects.filter(agent=agent, first_day__lte=last, last_day__gte=first)
        .order_by("first_day")
        .first()
    )


def leave_agents(user: User, today: date) -> QuerySet[Agent]:
    """The agents `user` may enter leave for: theirs, still on the staff."""
    return (
        absence_agents(user)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
        .select_related("team")
        .order_by(F("team__code").asc(nulls_last=True), "code")
    )


# --- rotations -------------------------------------------------------------------------


def rotation_pattern_of(cycle: str) -> RotationPattern:
    """The cycle as the engine walks it, with the active shift templates it names.
    ValidationError naming what is wrong: no days, codes that are no shift or an inactive
    one, no shift at all."""
    codes = cycle_codes(cycle)
    if not codes:
        raise ValidationError(_("请填写循环，如 早早中中夜夜休休"))
    named = set(codes) - {REST}
    templates = {t.code: t for t in ShiftTemplate.objects.filter(code__in=named)}
    unknown = sorted(named - templates.keys())
    if unknown:
        raise ValidationError(
            _("循环中的 %(codes)s 不是班次（休息日写“%(rest)s”）：先在班次设置中添加")
            % {"codes": "、".join(unknown), "rest": REST}
        )
    inactive = sorted(code for code, t in templates.items() if not t.is_active)
    if inactive:
        raise ValidationError(_("班次 %(codes)s 已停用") % {"codes": "、".join(inactive)})
    if not named:
        raise ValidationError(_("循环里至少要有一个班次"))
    return RotationPattern(codes, tuple(engine_template(t) for t in templates.values()))


def engine_template(template: ShiftTemplate) -> EngineTemplate:
    return EngineTemplate(
        code=template.code,
        start=timedelta(minutes=template.start_minutes),
        length=timedelta(minutes=template.length_minutes),
    )


def evenly_spaced_offsets(pattern: RotationPattern, teams: Sequence[Team]) -> dict[int, int]:
    """Offsets (by team id) that spread `teams`, in code order, evenly over the cycle:
    four teams on an 8-day cycle start 0, 2, 4 and 6 days in. ValidationError where the
    teams do not divide the cycle."""
    ordered = sorted(teams, key=lambda team: team.code)
    try:
        places = evenly_spaced_teams(pattern, [team.code for team in ordered])
    except RotationError:
        raise ValidationError(
            _("%(teams)s 个班组不能均匀分布在 %(days)s 天的循环上")
            % {"teams": len(ordered), "days": len(pattern.cycle)}
        ) from None
    return {team.pk: place.offset for team, place in zip(ordered, places, strict=True)}


@dataclass(frozen=True, slots=True)
class TeamDays:
    team: Team
    offset: int
    codes: list[str]  # per preview day: a shift code or 休


@dataclass(frozen=True, slots=True)
class MonthHours:
    month: date  # the 1st
    rows: list[tuple[Team, HoursAgainstStandard]]


@dataclass(frozen=True, slots=True)
class RotationPreview:
    """What a rotation gives, from `days[0]` on: each team's days, the hours no team covers
    over a whole turn of the cycle (or 14 days, the longer), the shortest rest a team gets
    between two shifts, and each team's hours this month and next."""

    days: list[date]
    teams: list[TeamDays]
    gaps: list[tuple[datetime, datetime]]
    gap_count: int
    checked_days: int
    rest: timedelta | None  # None: fewer than two shifts in the cycle
    months: list[MonthHours]

    @property
    def covers_24_hours(self) -> bool:
        return not self.gap_count

    @property
    def rest_too_short(self) -> bool:
        return self.rest is not None and self.rest < MIN_REST

    @property
    def rest_hours(self) -> float | None:
        return None if self.rest is None else self.rest / timedelta(hours=1)


def rotation_preview(
    *, pattern: RotationPattern, anchor: date, places: Sequence[tuple[Team, int]], today: date
) -> RotationPreview:
    """The preview of `pattern` walked by the teams of `places` (team, offset) from `anchor`."""
    engine_places = [RotationPlace(team.code, offset) for team, offset in places]
    days = [today + timedelta(days=n) for n in range(PREVIEW_DAYS)]
    checked_days = max(PREVIEW_DAYS, len(pattern.cycle))
    # From the day before: its night shift may cover the small hours of `today`.
    shifts = expand_rotation(
        pattern,
        engine_places,
        anchor=anchor,
        first=today - timedelta(days=1),
        last=today + timedelta(days=checked_days - 1),
    )
    start = datetime.combine(today, time())
    gaps = coverage_gaps(shifts, start, start + timedelta(days=checked_days))
    return RotationPreview(
        days=days,
        teams=[
            TeamDays(team, offset, [pattern.code_on((day - anchor).days + offset) for day in days])
            for team, offset in places
        ],
        gaps=gaps[:GAPS_SHOWN],
        gap_count=len(gaps),
        checked_days=checked_days,
        rest=_shortest_rest(pattern),
        months=_month_hours(pattern, anchor, places, today),
    )


def _shortest_rest(pattern: RotationPattern) -> timedelta | None:
    try:
        return shortest_rest(pattern)
    except RotationError:  # a single shift a cycle: no rest between two
        return None


def _month_hours(
    pattern: RotationPattern, anchor: date, places: Sequence[tuple[Team, int]], today: date
) -> list[MonthHours]:
    """Each team's hours this month and next against the 166.64 h standard month, with the
    clock hours that fall on statutory holidays (法定节假日, paid 300 %): not on the days off
    a holiday block borrows by 调休, and on a statutory day that falls on a weekend too."""
    this_month = today.replace(day=1)
    after = add_months(this_month, 2)
    shifts = expand_rotation(
        pattern,
        [RotationPlace(team.code, offset) for team, offset in places],
        anchor=anchor,
        first=this_month,
        last=after - timedelta(days=1),
    )
    teams = {team.code: team for team, _offset in places}
    holidays = statutory_holidays_between(this_month, after)
    months = []
    for first in (this_month, add_months(this_month, 1)):
        figures = hours_against_standard(
            shifts, period="month", first=first, statutory_holidays=holidays
        )
        by_team = {row.team: row for row in figures}
        rows = [(teams[code], by_team[code]) for code in teams if code in by_team]
        months.append(MonthHours(first, rows))
    return months


@dataclass(frozen=True, slots=True)
class RotationRow:
    rotation: Rotation
    places: list[tuple[Team, int]]
    preview: RotationPreview | None  # None: its cycle no longer reads (see `problem`)
    problem: str = ""


def rotation_rows(today: date) -> list[RotationRow]:
    """Every rotation with its teams and its preview."""
    rows = []
    for rotation in Rotation.objects.prefetch_related("teams__team").order_by("name"):
        places = [(place.team, place.offset) for place in rotation.teams.all()]
        try:
            pattern = rotation_pattern_of(rotation.cycle)
        except ValidationError as error:
            rows.append(RotationRow(rotation, places, None, " ".join(error.messages)))
            continue
        preview = rotation_preview(
            pattern=pattern, anchor=rotation.anchor, places=places, today=today
        )
        rows.append(RotationRow(rotation, places, preview))
    return rows


def rotation_places(rotation: Rotation) -> list[tuple[Team, int]]:
    return [(place.team, place.offset) for place in rotation.teams.select_related("team")]


def rotation_teams_elsewhere(rotation: Rotation | None) -> dict[int, Rotation]:
    """Teams (by id) that walk another rotation than `rotation`: a team walks one at most."""
    places = RotationTeam.objects.select_related("rotation")
    if rotation is not None:
        places = places.exclude(rotation=rotation)
    return {place.team_id: place.rotation for place in places}
