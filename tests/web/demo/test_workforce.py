"""The demo step `demo_workforce`: states consistent with the demo calls, survey answers
for a share of them, the latest day's broadcast, and nothing stored twice on a re-run."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from lingting.core.models import Notification, User
from lingting.demo.workforce import demo_workforce
from lingting.engine.occupancy import StateEvent, agent_days
from lingting.surveys.models import SurveyResponse
from lingting.workforce.models import AgentStateEvent, HourlyBroadcast
from tests.conftest import SHANGHAI, ContactFactory, Org

MONTHS = [date(2026, 9, 1), date(2026, 10, 1)]


def _calls(make_contact: ContactFactory) -> list[tuple[datetime, datetime]]:
    """agent_li's 2026-10-01: 18 five-minute calls from 08:30, one every 20 minutes, then
    10 from 17:30 after a long pause; one call in September (surveys only)."""
    make_contact("C-SEPT", agent="A1001", started_at=datetime(2026, 9, 30, 9, tzinfo=SHANGHAI))
    times = []
    first = datetime(2026, 10, 1, 8, 30, tzinfo=SHANGHAI)
    starts = [first + timedelta(minutes=20 * i) for i in range(18)]
    starts += [first + timedelta(hours=9, minutes=20 * i) for i in range(10)]
    for number, start in enumerate(starts):
        end = start + timedelta(minutes=5)
        make_contact(
            f"C{number:03d}",
            agent="A1001",
            started_at=start - timedelta(seconds=20),
            answered_at=start,
            ended_at=end,
            acw_s=40.0,
            disposition="answered",
            score=95.0 if number % 2 else 55.0,
        )
        times.append((start, end))
    return times


def test_states_follow_the_calls_and_a_rerun_stores_nothing(
    org: Org, make_contact: ContactFactory, agent_li: User, leader_wang: User
) -> None:
    calls = _calls(make_contact)
    summary = demo_workforce(users=org.users, months=MONTHS)
    assert summary.startswith("workforce: ")

    rows = AgentStateEvent.objects.filter(agent__code="A1001").values_list("state", "at", "reason")
    events = [StateEvent("A1001", state, at, reason) for state, at, reason in rows]
    [day] = agent_days(events, tz=SHANGHAI)
    talk = sum((end - start).total_seconds() for start, end in calls)
    assert day.totals.busy_s == talk  # busy exactly while on each call
    assert day.totals.acw_s == 28 * 40.0
    assert day.totals.missing_logins == 0
    assert "小休" in day.totals.not_ready_reasons  # a break within the first 2 hours or so
    assert day.totals.occupancy is not None
    assert 0.3 < day.totals.occupancy < 1
    # The 3-hour pause in the afternoon is a split shift: logged out, then in again.
    assert [s for s, _at, _r in rows].count("login") == 2

    responses = SurveyResponse.objects.count()
    assert 3 <= responses <= 20  # about a third of 29 answered calls

    assert HourlyBroadcast.objects.filter(hour_start__date=date(2026, 10, 1)).exists()
    assert Notification.objects.filter(user=leader_wang, text__startswith="【话务播报】").exists()

    stored = AgentStateEvent.objects.count()
    notes = Notification.objects.count()
    demo_workforce(users=org.users, months=MONTHS)
    assert AgentStateEvent.objects.count() == stored
    assert SurveyResponse.objects.count() == responses
    assert Notification.objects.count() == notes
