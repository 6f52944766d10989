"""The demo gives planner_wu a real month to plan (issue 14): a 24-hour 95598 line with calls in
every hour, four teams on 四班三运转 among whom 安多 seats and a 康巴 speaker, next month's
forecasts and a draft roster of its first week."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lingting.core.models import Agent, Team, User
from lingting.engine.rotation import DatedShift, RotationPattern, coverage_gaps, expand_rotation
from lingting.engine.rotation import ShiftTemplate as Span
from lingting.engine.rotation import Team as Place
from lingting.interactions.models import Contact, Queue
from lingting.workforce.models import (
    Absence,
    AgentSkill,
    ForecastRun,
    Roster,
    RosterBreak,
    RosterStatus,
    Rotation,
    RotationTeam,
    ShiftTemplate,
    StaffingPolicy,
)
from lingting.workforce.selectors.planning import requirement_of
from tests.conftest import SHANGHAI

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]

# A Sunday in December: next month is January 2027, a year chinese_calendar 1.11.0 lacks.
NOW = datetime(2026, 12, 6, 9, tzinfo=SHANGHAI)
TODAY = NOW.date()
SMALL = ("--months", "1", "--days", "1", "--calls-per-agent-day", "2", "--no-jddc")
LINE_QUEUES = ("95598", "95598-AD", "95598-KB")


@pytest.fixture(scope="module")
def demo(module_db: Any) -> Iterator[None]:
    """One demo for the module's tests (a minute to build), as of NOW."""
    with time_machine.travel(NOW, tick=True):
        with module_db.unblock():
            call_command("demo", *SMALL)
        yield


def stored_rotation(first: date, last: date) -> list[DatedShift]:
    """The stored rotation's shifts of its teams from `first` to `last`, by the engine."""
    rotation = Rotation.objects.get()
    spans = [
        Span(t.code, timedelta(minutes=t.start_minutes), timedelta(minutes=t.length_minutes))
        for t in ShiftTemplate.objects.filter(code__in=set(rotation.cycle))
    ]
    pattern = RotationPattern.parse(rotation.cycle, spans)
    places = [Place(p.team.code, p.offset) for p in rotation.teams.select_related("team")]
    return expand_rotation(pattern, places, anchor=rotation.anchor, first=first, last=last)


def test_the_demo_center_answers_95598_in_every_hour_with_four_teams_on_a_rotation(
    demo: None,
) -> None:
    line = Contact.objects.filter(queue__code="95598")
    hours = {timezone.localtime(at).hour for at in line.values_list("started_at", flat=True)}
    assert hours == set(range(24))
    days = {timezone.localtime(at).date() for at in line.values_list("started_at", flat=True)}
    assert min(days) <= TODAY - timedelta(weeks=8)  # enough weeks for the forecast's backtest
    assert max(days) == TODAY - timedelta(days=1)
    assert line.filter(disposition="abandoned").exists()
    assert Contact.objects.filter(queue__code="95598-AD").count() > 8 * 7 * 10
    assert Contact.objects.filter(queue__code="ACD-01").exists()  # the office-hours queues stay

    rotation = Rotation.objects.get()
    assert rotation.cycle == "早早中中夜夜休休"
    assert sorted(RotationTeam.objects.values_list("offset", flat=True)) == [0, 2, 4, 6]
    spans = {t.code: (t.start_minutes, t.length_minutes) for t in ShiftTemplate.objects.all()}
    assert [spans[code] for code in "早中夜"] == [(8 * 60, 480), (16 * 60, 480), (24 * 60, 480)]
    assert "白" in spans  # and the office-hours day shift
    shifts = stored_rotation(TODAY - timedelta(days=1), TODAY + timedelta(days=15))
    start = datetime.combine(TODAY, time())
    assert coverage_gaps(shifts, start, start + timedelta(days=15)) == []  # 24 hours a day
    assert all(len([s for s in shifts if s.day == TODAY + timedelta(n)]) == 3 for n in range(15))

    for team in Team.objects.filter(rotation_place__isnull=False):
        skills = AgentSkill.objects.filter(agent__team=team)
        assert skills.filter(queue__code="95598-AD").count() >= 3  # 安多 on every shift
    assert AgentSkill.objects.filter(queue__code="95598-KB").count() == 1
    assert not StaffingPolicy.objects.get(queue__code="95598").closed_on_holidays


def test_planner_wu_finds_next_months_forecast_and_a_draft_roster_of_its_first_week(
    demo: None, client_for: ClientFor
) -> None:
    planner = client_for(User.objects.get(username="planner_wu"))

    page = planner.get(reverse("workforce:planning")).content.decode()

    line = Queue.objects.get(code="95598")
    assert f'<option value="{line.pk}" selected>' in page  # the 24-hour line comes first
    assert "当前预测 2027-01-01 – 2027-01-31" in page
    assert "工作日历中没有" not in page  # a line open on holidays needs no 2027 calendar
    for code in LINE_QUEUES:
        run = ForecastRun.objects.get(queue__code=code)
        assert (run.first_day, run.last_day) == (date(2027, 1, 1), date(2027, 1, 31))
        assert run.origins > 0  # backtested
    for code in ("95598-AD", "95598-KB"):  # open around the clock, one seat always manned
        policy = StaffingPolicy.objects.get(queue__code=code)
        assert (policy.open_hours, policy.min_agents) == ("around_the_clock", 1)
        tibetan = ForecastRun.objects.get(queue__code=code)
        assert tibetan.intervals.count() == 31 * 48
        requirement = requirement_of(tibetan, policy)
        assert min(row.agents for row in requirement.rows) == 1
    mandarin = ForecastRun.objects.get(queue__code="95598")
    assert mandarin.warnings == []
    assert 60 < (mandarin.patience_s or 0) < 300  # estimated from the line's abandons
    assert mandarin.intervals.count() == 31 * 48  # every half hour of every day

    roster = Roster.objects.get()
    assert roster.status == RosterStatus.DRAFT
    assert (roster.first_day, roster.last_day) == (date(2027, 1, 4), date(2027, 1, 10))
    assert roster.solver_status in {"optimal", "feasible"}
    shifts = list(roster.shifts.select_related("agent__team", "queue"))
    teams = {s.agent.team.code for s in shifts if s.agent.team}
    assert teams == set(RotationTeam.objects.values_list("team__code", flat=True))
    assert {s.queue.code for s in shifts if s.queue} == {"95598", "95598-AD", "95598-KB"}
    kham = [s for s in shifts if s.queue and s.queue.code == "95598-KB"]
    assert len(kham) >= 4  # the single speaker's shifts of the week, at the 康巴 seat
    assert {s.agent.code for s in kham} == set(
        AgentSkill.objects.filter(queue__code="95598-KB").values_list("agent__code", flat=True)
    )
    for absence in Absence.objects.filter(first_day__lte=roster.last_day):
        days = (absence.last_day - absence.first_day).days + 1
        off = {absence.first_day + timedelta(n) for n in range(days)}
        assert not [s for s in shifts if s.agent == absence.agent and s.day in off]
    rotation = stored_rotation(roster.first_day, roster.last_day)
    baseline = {(s.team, s.day): s.code for s in rotation}
    kept = sum(baseline.get((s.agent.team.code, s.day)) == s.code for s in shifts if s.agent.team)
    assert kept >= 0.75 * len(shifts)  # exceptions mode: the rotation, changed where it must
    assert RosterBreak.objects.filter(shift__roster=roster).count() >= 2 * len(shifts)

    grid = planner.get(reverse("workforce:roster_detail", args=[roster.pk])).content.decode()
    assert "roster-grid" in grid
    for team in Team.objects.filter(rotation_place__isnull=False):
        assert team.name in grid


def test_running_the_demo_again_plans_nothing_twice(demo: None) -> None:
    def stored() -> dict[str, int]:
        return {
            "forecasts": ForecastRun.objects.count(),
            "rosters": Roster.objects.count(),
            "absences": Absence.objects.count(),
            "skills": AgentSkill.objects.count(),
            "templates": ShiftTemplate.objects.count(),
            "policies": StaffingPolicy.objects.count(),
            "line agents": Agent.objects.filter(skills__queue__code__in=LINE_QUEUES)
            .distinct()
            .count(),
            "calls": Contact.objects.filter(
                queue__in=Queue.objects.filter(code__in=LINE_QUEUES)
            ).count(),
        }

    before = stored()
    with time_machine.travel(NOW + timedelta(hours=1), tick=True):
        call_command("demo", *SMALL)

    assert stored() == before
    assert (before["forecasts"], before["rosters"]) == (3, 1)
