"""Demo steps: the 24-hour 95598 line's people, and planner_wu's next month (issue 14).

`demo_line_people` stores the line of `generator.hotline`: its three pools with their
staffing policies (open on holidays), its four teams and their agents with their skills, the
shifts 早/中/夜 of 四班三运转 and a 白 day shift for office-hours queues, the rotation with the
teams' phase offsets, and a few absences next month. `demo_planning`, once the line's calls
are stored, does what a planner would do first: forecast next month for the three pools and
build a draft roster of its first week with the breaks placed — all through the workforce
services, so the pages show what they would show after a planner's own clicks.

Nothing is published: the draft waits for planner_wu to check and publish it (the step a
demo of planning should leave to the planner), and none of the demo's logins is a 95598
agent whose 我的排班 it would fill. Running the demo again stores nothing twice and keeps
what a planner changed (a policy, a template, a forecast or roster already there).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from lingting.core.models import Agent, Team, User
from lingting.demo.generator.hotline import AMDO, KHAM, MANDARIN, ROTATION_NAME, DemoHotline
from lingting.engine.breaks import BreaksInfeasible
from lingting.interactions.models import Queue
from lingting.workforce.models import (
    Absence,
    AbsenceKind,
    AgentSkill,
    ForecastRun,
    OpenHours,
    Roster,
    RosterBreak,
    Rotation,
    RotationTeam,
    ShiftTemplate,
    StaffingModel,
    StaffingPolicy,
)
from lingting.workforce.services.planning import forecast_build, staffing_policy_save
from lingting.workforce.services.rosters import (
    RosterInputError,
    roster_breaks_plan,
    roster_build,
)

# The solver's time limit: the line's week of two pools solved to optimal in about 2 s on two
# cores; with 康巴 rostered too it may take all of it (measured once on a busy 2-core machine:
# 8.0 s, `feasible`, 146 shifts), and the best roster found by then is kept.
ROSTER_SECONDS = 8.0
# The three pools are rostered: the Tibetan ones are open around the clock with a seat always
# manned (TIBETAN_POLICY), so 康巴's single speaker answers it on his shifts and the roster
# shows the hours nobody can (its shortfalls).
ROSTERED_POOLS = (MANDARIN, AMDO, KHAM)
# At most three of a pool on a break at once: a team's seven on one shift cannot take their
# breaks inside seed 000's windows two at a time (the roster page's default).
BREAK_CAP = 3
# 白: an office-hours day shift beside the rotation's (the office-hours queues work by day).
DAY_SHIFT = ("白", "白班（正常班）", 9 * 60, 8 * 60)
SHIFT_NAMES = {"早": "早班", "中": "中班", "夜": "夜班"}
# The 95598 target (80% within 20 s) on a line that works the official holidays.
LINE_POLICY = {
    "model": StaffingModel.ERLANG_A,
    "interval_minutes": 30,
    "closed_on_holidays": False,
    "service_level": 0.8,
    "answer_within_s": 20.0,
    "service_level_basis": "offered",
    "short_abandon_s": 5.0,
    "asa_s": None,
    "max_occupancy": 0.9,
    "max_abandon": 0.05,
    "shrinkage": 0.3,
    "aht_s": None,
    "patience_s": None,
    "open_hours": OpenHours.LEARNED,
    "min_agents": 0,
}
# A Tibetan pool takes a call or two an hour: staffed to the service level alone, as a cap of
# 5% abandoned (one caller in twenty) or 90% occupancy would put a second seat on the phones
# for a single call. Its quiet hours are open all the same (a 24-hour line, 篇9's seats on
# every shift), with one seat manned in each: learned from a few calls a day, most of its
# half hours would read as closed and never be rostered.
TIBETAN_POLICY = LINE_POLICY | {
    "max_occupancy": None,
    "max_abandon": None,
    "open_hours": OpenHours.AROUND_THE_CLOCK,
    "min_agents": 1,
}


@dataclass(frozen=True, slots=True)
class _Leave:
    """An absence next month: whose (by place in the line), from when, for how many days."""

    agent_index: int
    from_week: bool  # counted from the roster's first week's Monday, else from the 1st
    offset: int  # days after that, before a day's jitter either way
    days: int
    kind: AbsenceKind
    note: str


# Three in the roster's first week (so it has exceptions to make), two later in the month.
LEAVES = (
    _Leave(0, True, 2, 3, AbsenceKind.ANNUAL, "年假"),  # an 安多 seat of 甲班
    _Leave(12, True, 3, 2, AbsenceKind.SICK, "病假"),
    _Leave(15, True, 4, 1, AbsenceKind.TRAINING, "藏语话务受理技巧培训"),  # 篇9 §五(二)
    _Leave(23, False, 14, 5, AbsenceKind.ANNUAL, "年假"),
    _Leave(9, False, 19, 2, AbsenceKind.PERSONAL, "事假"),
)


def next_month(today: date) -> tuple[date, date]:
    """The first and last day of the month after `today`'s."""
    first = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def first_full_week(first: date) -> tuple[date, date]:
    """The first Monday-to-Sunday week that starts on or after `first`."""
    monday = first + timedelta(days=-first.weekday() % 7)
    return monday, monday + timedelta(days=6)


def demo_line_people(*, line: DemoHotline, users: dict[str, User], today: date, seed: int) -> str:
    """Store the line's pools, policies, teams, agents, skills, shifts, rotation and next
    month's absences (see the module). Returns a one-line summary."""
    planner = users["planner_wu"]
    queues = {
        q.id: Queue.objects.update_or_create(code=q.id, defaults={"name": q.name})[0]
        for q in line.queues
    }
    for code, queue in queues.items():
        if not StaffingPolicy.objects.filter(queue=queue).exists():
            policy = LINE_POLICY if code == MANDARIN else TIBETAN_POLICY
            staffing_policy_save(queue=queue, values=policy, actor=planner)
    teams = {
        t.id: Team.objects.update_or_create(code=t.id, defaults={"name": t.name})[0]
        for t in line.teams
    }
    agents = []
    for member in line.agents:
        person = member.agent
        agent, _ = Agent.objects.update_or_create(
            code=person.id,
            defaults={"name": person.name, "team": teams[person.team], "hired_on": person.hired_on},
        )
        agents.append(agent)
        for level, pool in enumerate(member.pools, start=1):
            AgentSkill.objects.get_or_create(
                agent=agent, queue=queues[pool], defaults={"level": level}
            )
    _shift_templates(line)
    rotation, _ = Rotation.objects.get_or_create(
        name=ROTATION_NAME, defaults={"cycle": "".join(line.pattern.cycle), "anchor": line.anchor}
    )
    for place in line.places:
        RotationTeam.objects.update_or_create(
            team=teams[place.name], defaults={"rotation": rotation, "offset": place.offset}
        )
    leaves = _absences(agents, today, seed, planner)
    return (
        f"95598 line: {len(queues)} pools, {len(teams)} teams on {rotation.cycle}, "
        f"{len(agents)} agents ({sum(len(a.pools) > 1 for a in line.agents)} bilingual), "
        f"{leaves} absences next month"
    )


def _shift_templates(line: DemoHotline) -> None:
    for shift in line.pattern.shifts:
        ShiftTemplate.objects.get_or_create(
            code=shift.code,
            defaults={
                "name": SHIFT_NAMES.get(shift.code, shift.code),
                "start_minutes": int(shift.start / timedelta(minutes=1)),
                "length_minutes": int(shift.length / timedelta(minutes=1)),
            },
        )
    code, name, start, length = DAY_SHIFT
    ShiftTemplate.objects.get_or_create(
        code=code, defaults={"name": name, "start_minutes": start, "length_minutes": length}
    )


def _absences(agents: list[Agent], today: date, seed: int, planner: User) -> int:
    """LEAVES, each moved by up to a day (from the seed), inside next month."""
    rng = random.Random(f"line-absences:{seed}")
    first, last = next_month(today)
    week_first, _ = first_full_week(first)
    stored = 0
    for leave in LEAVES:
        base = week_first if leave.from_week else first
        start = min(base + timedelta(days=leave.offset + rng.randint(-1, 1)), last)
        Absence.objects.get_or_create(
            agent=agents[leave.agent_index],
            first_day=start,
            defaults={
                "last_day": min(start + timedelta(days=leave.days - 1), last),
                "kind": leave.kind,
                "note": leave.note,
                "created_by": planner,
            },
        )
        stored += 1
    return stored


def demo_planning(
    *, line: DemoHotline, users: dict[str, User], today: date, roster_seconds: float
) -> str:
    """Next month's forecast of the line's pools and a draft roster of its first week with
    breaks placed, as planner_wu. Returns a one-line summary."""
    planner = users["planner_wu"]
    first, last = next_month(today)
    queues = list(Queue.objects.filter(code__in=[q.id for q in line.queues]).order_by("code"))
    rostered = [q for q in queues if q.code in ROSTERED_POOLS]
    for queue in queues:
        if not ForecastRun.objects.filter(queue=queue, first_day=first, last_day=last).exists():
            forecast_build(queue=queue, first=first, last=last, actor=planner)
    week_first, week_last = first_full_week(first)
    roster = Roster.objects.filter(first_day=week_first, last_day=week_last).first()
    if roster is None:
        try:
            roster = roster_build(
                first=week_first,
                last=week_last,
                queues=rostered,
                actor=planner,
                time_limit_s=roster_seconds,
            )
        except RosterInputError as exc:  # a history too short to staff from, say
            return f"planning: forecasts {first} – {last}; no roster: {exc}"
        breaks = _breaks(roster, planner)
    else:
        breaks = RosterBreak.objects.filter(shift__roster=roster).count()
    return (
        f"planning: forecasts {first} – {last} for {', '.join(q.code for q in queues)}; "
        f"draft roster {week_first} – {week_last}: {roster.shifts.count()} shifts "
        f"({roster.solver_status}, {roster.solve_seconds:.1f} s, "
        f"{len(roster.shortfalls)} shortfalls), {breaks} breaks"
    )


def _breaks(roster: Roster, planner: User) -> int:
    """Breaks at BREAK_CAP, or at the smallest cap that fits them all."""
    try:
        return roster_breaks_plan(roster=roster, cap=BREAK_CAP, actor=planner)
    except BreaksInfeasible as exc:
        caps = [o.smallest_cap for o in exc.obstacles if o.smallest_cap is not None]
        if not caps:
            return 0
        return roster_breaks_plan(roster=roster, cap=max(caps), actor=planner)
