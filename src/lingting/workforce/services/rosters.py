"""A planner's rosters: build one from the forecasts' requirement, place its breaks, publish it
to the agents (issue 14).

The engines work on the center's wall clock (naive datetimes; China keeps no summer time):
requirement rows, shifts and breaks go in as local times and come back as local times, and
are stored as the database's aware moments.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.calendars.selectors import business_calendar
from lingting.core.models import Agent as StaffAgent
from lingting.core.models import User
from lingting.core.services import audit_record, notification_send
from lingting.engine import rostering
from lingting.engine.break_rules import Shift as BreakShift
from lingting.engine.breaks import StaffingInterval, plan_breaks
from lingting.engine.rotation import RotationPattern
from lingting.engine.rotation import ShiftTemplate as EngineTemplate
from lingting.engine.rotation import Team as RotationPlace
from lingting.engine.shift_limits import allowed_shifts
from lingting.interactions.models import Queue
from lingting.workforce.models import (
    Absence,
    AgentSkill,
    DayOffWish,
    ForecastRun,
    Roster,
    RosterBreak,
    RosterShift,
    RosterStatus,
    RotationTeam,
    ShiftLimit,
    ShiftPreference,
    ShiftTemplate,
)
from lingting.workforce.selectors.planning import requirement_of, staffing_policy_of
from lingting.workforce.selectors.shift_limits import shift_limits_over

ROSTER_TIME_LIMIT_S = 20.0  # a week's, the time a longer plan gets per week up to the most
ROSTER_MOST_TIME_LIMIT_S = 40.0  # a month's: the engine solves it a week at a time
STANDARD_WEEK_HOURS = 40.0


class RosterInputError(ValueError):
    """Why a roster cannot be built from what is stored (no forecast, no agents, no shifts)."""


@dataclass(frozen=True, slots=True)
class _Inputs:
    request: rostering.RosterRequest
    agents: dict[str, StaffAgent]
    queues: dict[str, Queue]


def roster_build(
    *,
    first: date,
    last: date,
    queues: Sequence[Queue],
    actor: User | None,
    time_limit_s: float | None = None,
) -> Roster:
    """A draft roster of the agents skilled in `queues`, covering their latest forecasts'
    requirement (scheduled agents: on the phones grossed up for shrinkage) from `first` to
    `last`, under the engine's rules; stored whatever the solver says, with its shortfalls
    or, where no roster exists, the conflicts that prevent one. The solver's time limit is
    `roster_time_limit` unless given."""
    limit = roster_time_limit(first, last) if time_limit_s is None else time_limit_s
    inputs = _inputs(first, last, queues, limit)
    result = rostering.build_roster(inputs.request)
    with transaction.atomic():
        roster = Roster.objects.create(
            first_day=first,
            last_day=last,
            solver_status=result.status,
            solve_seconds=result.solve_seconds,
            shortfalls=[_shortfall(s) for s in result.shortfalls],
            conflicts=[_conflict(c) for c in result.conflicts],
            created_by=actor,
        )
        RosterShift.objects.bulk_create(
            RosterShift(
                roster=roster,
                agent=inputs.agents[a.agent_id],
                day=a.day,
                code=a.code,
                queue=inputs.queues.get(a.queue or ""),
                starts_at=_aware(a.start),
                ends_at=_aware(a.end),
            )
            for a in result.assignments
        )
        audit_record(
            actor=actor,
            action="roster.build",
            object_type="roster",
            object_id=roster.pk,
            after={
                "first_day": str(first),
                "last_day": str(last),
                "queues": [q.code for q in queues],
                "status": result.status,
                "shifts": len(result.assignments),
            },
        )
    return roster


def roster_time_limit(first: date, last: date) -> float:
    """Seconds for the solver: 20 s a week, at most 40 s (a month, which the engine solves a
    week at a time, about 10 s a week: benchmarks/roster_month.py)."""
    weeks = ((last - first).days + 1) / 7
    return min(ROSTER_TIME_LIMIT_S * max(weeks, 1.0), ROSTER_MOST_TIME_LIMIT_S)


def _inputs(first: date, last: date, queues: Sequence[Queue], time_limit_s: float) -> _Inputs:
    if last < first:
        raise RosterInputError(_("结束日期早于开始日期"))
    if not queues:
        raise RosterInputError(_("请至少选择一个 ACD 组"))
    needs, interval = _needs(first, last, queues)
    agents = _agents(queues, first, last)
    templates = _active_templates()
    if not templates:
        raise RosterInputError(_("还没有启用的班次：先在班次设置中添加"))
    rotating = set(RotationTeam.objects.values_list("team__code", flat=True))
    facts = _agent_facts(agents, first, last)
    engine_agents = tuple(
        _agent_as_solved(agent, facts, templates, rotating=rotating) for agent in agents.values()
    )
    baseline_agents, baseline = _rotation_baseline(engine_agents, agents, templates, first, last)
    request = rostering.RosterRequest(
        first=first,
        last=last,
        agents=baseline_agents,
        templates=templates,
        needs=tuple(needs),
        interval=interval,
        calendar=business_calendar(),
        baseline=baseline,
        time_limit_s=time_limit_s,
    )
    return _Inputs(request, {a.code: a for a in agents.values()}, {q.code: q for q in queues})


def _needs(
    first: date, last: date, queues: Sequence[Queue]
) -> tuple[list[rostering.Need], timedelta]:
    """Every queue's scheduled requirement (fractional) from its latest forecast of the days."""
    needs: list[rostering.Need] = []
    lengths = set()
    for queue in queues:
        run = (
            ForecastRun.objects.filter(queue=queue, first_day__lte=first, last_day__gte=last)
            .order_by("-created_at")
            .first()
        )
        if run is None:
            raise RosterInputError(
                _("%(queue)s 没有覆盖 %(first)s – %(last)s 的预测：先在人力规划中生成")
                % {"queue": queue, "first": first, "last": last}
            )
        policy = staffing_policy_of(queue)
        requirement = requirement_of(run, policy)
        if requirement.problems:
            raise RosterInputError(f"{queue}: {requirement.problems[0]}")
        lengths.add(run.interval_minutes)
        gross = 1 / (1 - policy.shrinkage)
        needs += [
            rostering.Need(
                start=_local(row.starts_at), queue=queue.code, agents=row.fractional_agents * gross
            )
            for row in requirement.rows
            if first <= _local(row.starts_at).date() <= last
        ]
    if len(lengths) > 1:
        raise RosterInputError(_("所选 ACD 组的预测时段长度不同：请在策略中统一后重新预测"))
    return needs, timedelta(minutes=lengths.pop())


def _agents(queues: Sequence[Queue], first: date, last: date) -> dict[int, StaffAgent]:
    skilled = (
        AgentSkill.objects.filter(queue__in=queues)
        .select_related("agent", "agent__team")
        .order_by("agent__code")
    )
    agents = {skill.agent_id: skill.agent for skill in skilled}
    if not agents:
        raise RosterInputError(_("所选 ACD 组没有配置技能的坐席：先设置坐席技能"))
    return agents


@dataclass(slots=True)
class _AgentFacts:
    """What the solver reads of the agents of a roster, read once for all of them (a query
    per kind, however many agents), by agent id."""

    skills: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    leave: dict[int, set[date]] = field(default_factory=lambda: defaultdict(set))
    wishes: dict[int, list[ShiftPreference]] = field(default_factory=lambda: defaultdict(list))
    days_off: dict[int, set[date]] = field(default_factory=lambda: defaultdict(set))
    limits: dict[int, ShiftLimit] = field(default_factory=dict)


def _agent_facts(agents: dict[int, StaffAgent], first: date, last: date) -> _AgentFacts:
    ids = list(agents)
    facts = _AgentFacts(limits=shift_limits_over(ids, first))
    for agent_id, code in AgentSkill.objects.filter(agent__in=ids).values_list(
        "agent", "queue__code"
    ):
        facts.skills[agent_id].add(code)
    for absence in Absence.objects.filter(agent__in=ids, first_day__lte=last, last_day__gte=first):
        day = max(absence.first_day, first)
        while day <= min(absence.last_day, last):
            facts.leave[absence.agent_id].add(day)
            day += timedelta(days=1)
    for wish in ShiftPreference.objects.filter(agent__in=ids):
        facts.wishes[wish.agent_id].append(wish)
    for agent_id, day in DayOffWish.objects.filter(
        agent__in=ids, day__range=(first, last)
    ).values_list("agent", "day"):
        facts.days_off[agent_id].add(day)
    return facts


def _active_templates() -> tuple[EngineTemplate, ...]:
    return tuple(
        EngineTemplate(
            code=t.code,
            start=timedelta(minutes=t.start_minutes),
            length=timedelta(minutes=t.length_minutes),
        )
        for t in ShiftTemplate.objects.filter(is_active=True)
    )


def _engine_agent(
    agent: StaffAgent, first: date, last: date, *, rotating: set[str]
) -> rostering.Agent:
    """One agent as the solver reads them, from `first` to `last` (a swap's rule check)."""
    facts = _agent_facts({agent.pk: agent}, first, last)
    return _agent_as_solved(agent, facts, _active_templates(), rotating=rotating)


def _agent_as_solved(
    agent: StaffAgent,
    facts: _AgentFacts,
    templates: tuple[EngineTemplate, ...],
    *,
    rotating: set[str],
) -> rostering.Agent:
    """The agent as the solver reads them. A team on a rotation (四班三运转, 42 h a week on
    average) works under 综合计算工时, whose hours count over the cycle: no weekly cap; the
    others under 标准工时, 40 h a week (劳动法第三十六条). A shift limit (no nights) leaves
    out the templates the agent may not work."""
    wishes = facts.wishes.get(agent.pk, [])
    limit = facts.limits.get(agent.pk)
    return rostering.Agent(
        id=agent.code,
        skills=frozenset(facts.skills.get(agent.pk, ())),
        team=agent.team.code if agent.team else None,
        week_max_hours=None if agent.team and agent.team.code in rotating else STANDARD_WEEK_HOURS,
        leave=frozenset(facts.leave.get(agent.pk, ())),
        shifts=None
        if limit is None
        else allowed_shifts(templates, no_night=limit.no_night, excluded=limit.codes),
        prefers=frozenset(wish.code for wish in wishes if wish.prefers),
        avoids=frozenset(wish.code for wish in wishes if not wish.prefers),
        wishes_off=frozenset(facts.days_off.get(agent.pk, ())),
    )


def _rotation_baseline(
    engine_agents: tuple[rostering.Agent, ...],
    agents: dict[int, StaffAgent],
    templates: tuple[EngineTemplate, ...],
    first: date,
    last: date,
) -> tuple[tuple[rostering.Agent, ...], dict[tuple[str, date], str | None] | None]:
    """Exceptions mode where the agents' teams walk a rotation (四班三运转): the rotation's
    days are the baseline and the solver changes as few as it must (their members have no
    weekly cap: see `_agent_as_solved`)."""
    teams = {a.team.code for a in agents.values() if a.team is not None}
    places = list(RotationTeam.objects.filter(team__code__in=teams).select_related("rotation"))
    rotations = {place.rotation for place in places}
    if len(rotations) != 1:
        return engine_agents, None
    rotation = rotations.pop()
    pattern = RotationPattern.parse(rotation.cycle, templates)
    rotating = {place.team.code for place in places}
    members = [a for a in engine_agents if a.team in rotating]
    others = [a for a in engine_agents if a.team not in rotating]
    filled, baseline = rostering.rotation_baseline(
        members,
        pattern,
        [RotationPlace(place.team.code, place.offset) for place in places],
        anchor=rotation.anchor,
        first=first,
        last=last,
    )
    return (*filled, *others), baseline


def roster_breaks_plan(*, roster: Roster, cap: int, actor: User) -> int:
    """Place every shift's breaks by time worked (seed 000's rules), at most `cap` agents of a
    pool away at once, where the pool's cover exceeds its requirement most; replaces the
    roster's breaks. BreaksInfeasible (with the smallest cap that works) where none fit."""
    shifts = list(roster.shifts.select_related("agent", "queue"))
    by_key = {(s.agent.code, _local(s.starts_at)): s for s in shifts}
    engine_shifts = [
        BreakShift(
            agent=s.agent.code,
            group=s.queue.code if s.queue else "",
            start=_local(s.starts_at),
            end=_local(s.ends_at),
        )
        for s in shifts
    ]
    groups = {shift.group for shift in engine_shifts}
    plan = plan_breaks(
        engine_shifts,
        caps=dict.fromkeys(groups, cap),
        staffing=_pool_slack(roster, shifts),
    )
    with transaction.atomic():
        RosterBreak.objects.filter(shift__roster=roster).delete()
        RosterBreak.objects.bulk_create(
            RosterBreak(
                shift=by_key[(b.shift.agent, b.shift.start)],
                starts_at=_aware(b.start),
                ends_at=_aware(b.end),
                rule=b.rule.name,
            )
            for b in plan.breaks
        )
        audit_record(
            actor=actor,
            action="roster.breaks",
            object_type="roster",
            object_id=roster.pk,
            after={"cap": cap, "breaks": len(plan.breaks)},
        )
    return len(plan.breaks)


def _pool_slack(roster: Roster, shifts: Iterable[RosterShift]) -> list[StaffingInterval]:
    """Each pool's agents on shift per interval against its scheduled requirement."""
    spans: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for s in shifts:  # each shift's wall-clock span once, not once per interval
        if s.queue is not None:
            spans[s.queue.code].append((_local(s.starts_at), _local(s.ends_at)))
    rows: list[StaffingInterval] = []
    for queue_code, span in _requirement_by_pool(roster).items():
        pool = spans[queue_code]
        for start, (length, required) in span.items():
            end = start + length
            on_shift = sum(1 for starts, ends in pool if starts <= start and ends >= end)
            rows.append(StaffingInterval(queue_code, start, end, on_shift, required))
    return rows


def _requirement_by_pool(roster: Roster) -> dict[str, dict[datetime, tuple[timedelta, float]]]:
    pools: dict[str, dict[datetime, tuple[timedelta, float]]] = defaultdict(dict)
    queue_ids = roster.shifts.exclude(queue=None).values_list("queue", flat=True).distinct()
    for queue in Queue.objects.filter(pk__in=queue_ids):
        run = (
            ForecastRun.objects.filter(
                queue=queue, first_day__lte=roster.first_day, last_day__gte=roster.last_day
            )
            .order_by("-created_at")
            .first()
        )
        if run is None:
            continue
        policy = staffing_policy_of(queue)
        length = timedelta(minutes=run.interval_minutes)
        for row in requirement_of(run, policy).rows:
            pools[queue.code][_local(row.starts_at)] = (length, row.fractional_agents)
    return pools


def roster_publish(*, roster: Roster, actor: User) -> int:
    """Make `roster` the schedule of record for its dates, tell each rostered agent who has a
    login, and retire the published rosters it replaces. Returns the agents told."""
    if roster.status != RosterStatus.DRAFT:
        raise RosterInputError(_("只有草稿可以发布"))
    if not roster.shifts.exists():
        raise RosterInputError(_("这份排班没有班次，不能发布"))
    url = reverse("workforce:my_schedule")
    with transaction.atomic():
        Roster.objects.filter(
            status=RosterStatus.PUBLISHED,
            first_day__lte=roster.last_day,
            last_day__gte=roster.first_day,
        ).update(status=RosterStatus.SUPERSEDED)
        roster.status = RosterStatus.PUBLISHED
        roster.published_at = timezone.now()
        roster.published_by = actor
        roster.save(update_fields=["status", "published_at", "published_by"])
        told = 0
        users = User.objects.filter(agent__roster_shifts__roster=roster).distinct()
        for user in users:
            notification_send(
                user=user,
                text=_("您 %(first)s – %(last)s 的排班已发布")
                % {"first": roster.first_day, "last": roster.last_day},
                url=url,
            )
            told += 1
        audit_record(
            actor=actor,
            action="roster.publish",
            object_type="roster",
            object_id=roster.pk,
            after={"agents_told": told},
        )
    return told


def _shortfall(shortfall: rostering.Shortfall) -> dict[str, Any]:
    return {
        "queue": shortfall.queue,
        "start": shortfall.start.isoformat(),
        "end": shortfall.end.isoformat(),
        "worst": shortfall.worst,
        "agent_hours": shortfall.agent_hours,
    }


def _conflict(conflict: rostering.Conflict) -> dict[str, Any]:
    return {"agent": conflict.agent_id, "rules": [str(rule) for rule in conflict.rules]}


def _local(moment: datetime) -> datetime:
    """An aware moment as the center's wall clock, naive, as the engines read it."""
    return timezone.localtime(moment).replace(tzinfo=None)


def _aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment)
