"""The intraday page end to end: a queue's calls against the stored forecast, the rest of the
day re-forecast and re-staffed, and adherence from state events imported with
`lingting import_states` against a published roster with a break; who sees what."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lingting.core.models import Agent, User
from lingting.interactions.models import Contact, Queue
from lingting.workforce.models import (
    ForecastInterval,
    ForecastRun,
    Roster,
    RosterBreak,
    RosterShift,
    RosterStatus,
)
from lingting.workforce.selectors.intraday import adherence_day, queue_day
from tests.conftest import SHANGHAI, Org
from tests.web.workforce.test_occupancy import write_states

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]

DAY = date(2026, 10, 12)  # a Monday
NEXT_MORNING = datetime(2026, 10, 13, 8, tzinfo=SHANGHAI)

# 李娜 (A1001, 一班) works 09:00–17:00 on ACD-01 with a break 11:00–11:15: ready two minutes
# late, back ten minutes late from the break, logged in twenty minutes after the shift.
LI_DAY = [
    ("A1001", "login", "08:55", ""),
    ("A1001", "ready", "09:02", ""),
    ("A1001", "busy", "09:30", ""),
    ("A1001", "acw", "09:40", ""),
    ("A1001", "ready", "09:45", ""),
    ("A1001", "not_ready", "11:00", "小休"),
    ("A1001", "ready", "11:25", ""),
    ("A1001", "logout", "17:20", ""),
]
# 陈晨 (A1003, 一班) is rostered 09:00–13:00 on ACD-01 but leaves at 11:00.
CHEN_DAY = [
    ("A1003", "login", "09:00", ""),
    ("A1003", "ready", "09:00", ""),
    ("A1003", "logout", "11:00", ""),
]
# 张伟 (A1002, 二班) works 09:00–17:00 on ACD-02 exactly as rostered.
ZHANG_DAY = [
    ("A1002", "login", "09:00", ""),
    ("A1002", "ready", "09:00", ""),
    ("A1002", "logout", "17:00", ""),
]


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(DAY.year, DAY.month, DAY.day, hour, minute, tzinfo=SHANGHAI)


def publish_roster(org: Org) -> Roster:
    roster = Roster.objects.create(
        first_day=DAY,
        last_day=DAY,
        status=RosterStatus.PUBLISHED,
        published_at=at(0) - timedelta(days=3),
    )
    li = _shift(roster, org, "A1001", "ACD-01", at(9), at(17))
    RosterBreak.objects.create(shift=li, starts_at=at(11), ends_at=at(11, 15), rule="小休")
    _shift(roster, org, "A1003", "ACD-01", at(9), at(13))
    _shift(roster, org, "A1002", "ACD-02", at(9), at(17))
    return roster


def _shift(
    roster: Roster, org: Org, agent: str, queue: str, start: datetime, end: datetime
) -> RosterShift:
    return RosterShift.objects.create(
        roster=roster,
        agent=org.agents[agent],
        day=DAY,
        code="早",
        queue=org.queues[queue],
        starts_at=start,
        ends_at=end,
    )


def import_states(tmp_path: Path) -> None:
    path = write_states(tmp_path / "states.csv", LI_DAY + CHEN_DAY + ZHANG_DAY, day="2026-10-12")
    call_command("import_states", str(path), stdout=io.StringIO())


def store_forecast(queue: Queue) -> ForecastRun:
    """Four half hours from 09:00 forecast 10, 20, 30 and 40 calls of 180 s."""
    run = ForecastRun.objects.create(
        queue=queue,
        interval_minutes=30,
        first_day=DAY,
        last_day=DAY + timedelta(days=6),
        history_first_day=DAY - timedelta(weeks=8),
        history_last_day=DAY - timedelta(days=1),
        offered=5000,
        abandoned=250,
        aht_s=180,
        patience_s=90,
    )
    for slot, (calls, sd) in enumerate([(10, 3), (20, 4), (30, 6), (40, 8)]):
        ForecastInterval.objects.create(
            run=run,
            starts_at=at(9) + slot * timedelta(minutes=30),
            forecast=calls,
            lower=calls - 1.2816 * sd,
            upper=calls + 1.2816 * sd,
            method="same_weekday_mean",
        )
    return run


def store_calls(queue: Queue, per_half_hour: dict[datetime, int]) -> None:
    Contact.objects.bulk_create(
        Contact(
            external_id=f"{queue.code}-{start:%H%M}-{n}",
            channel="voice",
            direction="inbound",
            queue=queue,
            queued_at=start + timedelta(seconds=20 * n),
            started_at=start + timedelta(seconds=20 * n),
            disposition="answered",
        )
        for start, count in per_half_hour.items()
        for n in range(count)
    )


def set_up_monday(org: Org, tmp_path: Path) -> ForecastRun:
    """The roster published, the day's states imported, the forecast and the calls to 10:05."""
    publish_roster(org)
    import_states(tmp_path)
    run = store_forecast(org.queues["ACD-01"])
    store_calls(org.queues["ACD-01"], {at(9): 15, at(9, 30): 25, at(10): 4})
    return run


@pytest.fixture
def monday(org: Org, tmp_path: Path) -> ForecastRun:
    return set_up_monday(org, tmp_path)


def page(client: Client, **params: Any) -> Any:
    return client.get(reverse("workforce:intraday"), {"day": DAY.isoformat(), **params})


# --- Adherence ------------------------------------------------------------------------------


@time_machine.travel(NEXT_MORNING, tick=False)
def test_adherence_from_imported_state_events_against_a_published_roster_with_a_break(
    org: Org, monday: ForecastRun, client_for: ClientFor, planner_qian: User
) -> None:
    day = adherence_day(user=planner_qian, day=DAY)

    li = next(row for row in day.agents if row.code == "A1001")
    # 480 scheduled minutes, all in adherence but 2 late at the start and 10 after the break.
    assert li.totals.adherence == pytest.approx(468 / 480)
    # Worked 118 + 355 minutes (20 of them after the shift) against 465 scheduled to work.
    assert li.totals.conformance == pytest.approx(473 / 465)
    assert [(e.start, e.end, e.scheduled, e.did) for e in li.exceptions] == [
        (at(11, 15), at(11, 25), "work", (("not_ready", 600.0),)),
        (at(17), at(17, 20), "off", (("ready", 1200.0),)),
    ]
    chen = next(row for row in day.agents if row.code == "A1003")
    assert chen.totals.adherence == pytest.approx(0.5)  # gone two hours early of four
    teams = {row.team: row.totals for row in day.teams}
    assert teams["一班"].adherence == pytest.approx((468 + 120) / (480 + 240))
    assert teams["二班"].adherence == 1.0

    body = page(client_for(planner_qian)).content.decode()

    assert "97.5%" in body  # 李娜's adherence
    assert "未就绪 10 分钟" in body
    assert "就绪 20 分钟" in body
    assert "非排班时间" in body


@time_machine.travel(NEXT_MORNING, tick=False)
def test_a_draft_roster_is_nobodys_schedule_and_a_later_publication_replaces_one(
    org: Org, monday: ForecastRun, planner_qian: User
) -> None:
    draft = Roster.objects.create(first_day=DAY, last_day=DAY, status=RosterStatus.DRAFT)
    _shift(draft, org, "A1002", "ACD-01", at(6), at(8))
    later = Roster.objects.create(
        first_day=DAY, last_day=DAY, status=RosterStatus.PUBLISHED, published_at=at(0)
    )
    _shift(later, org, "A1003", "ACD-01", at(9), at(11))  # 陈晨's shift cut to what she did

    day = adherence_day(user=planner_qian, day=DAY)

    rows = {row.code: row for row in day.agents}
    assert rows["A1002"].totals.adherence == 1.0  # the draft's 06:00 shift is not counted
    assert rows["A1003"].totals.scheduled_s == 2 * 3600
    assert rows["A1003"].totals.adherence == 1.0


ADHERENCE_ROWS = {
    "agent_li": ["A1001"],
    "agent_zhang": ["A1002"],
    "leader_wang": ["A1001", "A1003"],
    "leader_liu": ["A1002"],
    "ops_zhou": ["A1001", "A1003", "A1002"],
    "planner_qian": ["A1001", "A1003", "A1002"],
}


@time_machine.travel(NEXT_MORNING, tick=False)
@pytest.mark.parametrize("username", ADHERENCE_ROWS)
def test_each_role_sees_the_adherence_of_its_own_agents_only(
    org: Org, monday: ForecastRun, client_for: ClientFor, username: str
) -> None:
    body = page(client_for(org.users[username])).content.decode()

    shown = [code for code in ("A1001", "A1003", "A1002") if f'data-agent="{code}"' in body]
    assert shown == ADHERENCE_ROWS[username]
    sees_queue = username not in ("agent_li", "agent_zhang")
    assert ('id="intraday-intervals"' in body) == sees_queue
    assert ('id="adherence-teams"' in body) == sees_queue


# --- The queue's day ------------------------------------------------------------------------


@time_machine.travel(at(10, 5), tick=False)
def test_a_busy_morning_re_forecasts_and_re_staffs_the_rest_of_the_day(
    org: Org, monday: ForecastRun, client_for: ClientFor, ops_zhou: User
) -> None:
    figures = queue_day(org.queues["ACD-01"], DAY)

    # 40 calls against 30 in the two half hours over: m = 1 + 0.75 × (4/3 − 1) = 1.25.
    assert figures.run == monday
    assert figures.figures.update.multiplier == pytest.approx(1.25)
    assert [row.interval.reforecast for row in figures.rows] == [None, None, 37.5, 50.0]
    assert [row.interval.actual for row in figures.rows] == [15, 25, 4, None]
    assert figures.figures.wape_so_far == pytest.approx(0.25)
    for row in figures.rows[2:]:
        assert row.required is not None
        assert row.restaffed is not None
        assert row.restaffed.calls == pytest.approx(1.25 * row.required.calls)
        assert row.restaffed.fractional_agents > row.required.fractional_agents
        assert row.restaffed.agents >= row.required.agents
    assert figures.rows[0].restaffed is None  # what is over is not re-staffed
    # Rostered on ACD-01 at 09:00: 李娜 and 陈晨 all the half hour; 李娜 ready from 09:02.
    nine = figures.rows[0].agents
    assert nine.scheduled == 2.0
    assert nine.working == pytest.approx(2 - 2 / 30)
    # 10:00 is five minutes old: both are ready in them. 10:30 is rostered, not begun.
    assert (figures.rows[2].agents.scheduled, figures.rows[2].agents.working) == (2.0, 2.0)
    assert (figures.rows[3].agents.scheduled, figures.rows[3].agents.working) == (2.0, None)

    body = page(client_for(ops_zhou), queue=org.queues["ACD-01"].pk).content.decode()

    assert "截至 10:05 的实际呼入" in body
    assert "1.250" in body  # the multiplier
    assert "intraday-intervals" in body


@time_machine.travel(at(10, 5), tick=False)
def test_today_adherence_runs_up_to_now(org: Org, monday: ForecastRun, agent_li: User) -> None:
    day = adherence_day(user=agent_li, day=DAY)

    (li,) = day.agents
    assert li.totals.scheduled_s == 65 * 60  # 09:00–10:05
    assert li.totals.adhering_s == 63 * 60
    assert li.exceptions == ()


@time_machine.travel(NEXT_MORNING, tick=False)
def test_a_day_no_forecast_covers_shows_its_calls_and_says_so(
    org: Org, client_for: ClientFor, planner_qian: User
) -> None:
    store_calls(org.queues["ACD-02"], {at(9): 3})

    response = page(client_for(planner_qian), queue=org.queues["ACD-02"].pk)

    body = response.content.decode()
    assert response.status_code == 200
    assert "没有覆盖这一天的预测" in body
    figures = queue_day(org.queues["ACD-02"], DAY)
    assert [(row.interval.forecast, row.interval.actual) for row in figures.rows] == [(0.0, 3)]


@time_machine.travel(NEXT_MORNING, tick=False)
def test_the_page_downloads_as_csv_with_the_same_figures(
    org: Org, monday: ForecastRun, client_for: ClientFor, planner_qian: User
) -> None:
    response = page(client_for(planner_qian), queue=org.queues["ACD-01"].pk, export="csv")

    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert any(row[:3] == ["09:00", "10.0", "15"] for row in rows)
    assert any(row and row[0] == "A1001 李娜" for row in rows)


@time_machine.travel(NEXT_MORNING, tick=False)
def test_the_page_reads_the_same_number_of_queries_however_many_agents_work(
    org: Org, monday: ForecastRun, client_for: ClientFor, planner_qian: User, tmp_path: Path
) -> None:
    client = client_for(planner_qian)
    queue = org.queues["ACD-01"].pk
    with CaptureQueriesContext(connection) as three_agents:
        page(client, queue=queue)
    roster = Roster.objects.get()
    extra = []
    for number in range(5):
        code = f"A20{number:02d}"
        org.agents[code] = Agent.objects.create(code=code, name="新人", team=org.teams["二班"])
        shift = _shift(roster, org, code, "ACD-01", at(13), at(21))
        RosterBreak.objects.create(shift=shift, starts_at=at(16), ends_at=at(16, 15), rule="小休")
        extra += [(code, "login", "13:00", ""), (code, "ready", "13:01", "")]
        extra += [(code, "logout", "21:00", "")]
    path = write_states(tmp_path / "more.csv", extra, day="2026-10-12")
    call_command("import_states", str(path), stdout=io.StringIO())

    with CaptureQueriesContext(connection) as eight_agents:
        body = page(client, queue=queue).content.decode()

    assert 'data-agent="A2004"' in body
    assert len(eight_agents.captured_queries) == len(three_agents.captured_queries)


def test_a_bad_day_is_refused_with_its_reason(client_for: ClientFor, planner_qian: User) -> None:
    response = client_for(planner_qian).get(reverse("workforce:intraday"), {"day": "9999-12-31"})

    assert response.status_code == 400


# --- The day's own handling time, and the page refreshing itself ------------------------------


def store_handled(queue: Queue, start: datetime, count: int, *, handle_s: float) -> None:
    """`count` answered calls from `start`, one every 20 s, each handled in `handle_s`
    (talk, then 60 s of after-call work)."""
    Contact.objects.bulk_create(
        Contact(
            external_id=f"{queue.code}-H{start:%H%M}-{n}",
            channel="voice",
            direction="inbound",
            queue=queue,
            queued_at=start + timedelta(seconds=20 * n),
            started_at=start + timedelta(seconds=20 * n),
            disposition="answered",
            talk_s=handle_s - 60,
            acw_s=60,
        )
        for n in range(count)
    )


@time_machine.travel(at(10, 5), tick=False)
def test_the_rest_of_the_day_is_re_staffed_with_today_s_aht_from_thirty_handled(
    org: Org, client_for: ClientFor, planner_qian: User
) -> None:
    queue = org.queues["ACD-01"]
    store_forecast(queue)  # the forecast's AHT: 180 s
    store_handled(queue, at(9), 29, handle_s=300)

    early = queue_day(queue, DAY)
    assert early.handling is not None
    assert (early.handling.aht_s, early.handling.aht_source) == (180, "forecast")
    body = page(client_for(planner_qian), queue=queue.pk).content.decode()
    assert "用预测的平均处理时长 180 秒：今天只处理了 29 通" in body

    store_handled(queue, at(9, 30), 1, handle_s=300)  # the 30th
    later = queue_day(queue, DAY)

    assert later.handling is not None
    assert (later.handling.aht_s, later.handling.aht_source) == (300, "today")
    # The forecast staffed at 180 s, the rest of the day at today's 300 s.
    ten_thirty = later.rows[3]
    assert ten_thirty.required is not None
    assert ten_thirty.restaffed is not None
    # Traffic = calls × AHT ÷ 1 800 s.
    assert ten_thirty.required.traffic == pytest.approx(40 * 180 / 1800)
    assert ten_thirty.restaffed.traffic == pytest.approx(ten_thirty.restaffed.calls * 300 / 1800)
    assert ten_thirty.restaffed.fractional_agents > ten_thirty.required.fractional_agents
    body = page(client_for(planner_qian), queue=queue.pk).content.decode()
    assert "用今天的平均处理时长 300 秒（今天已处理 30 通" in body
    api = client_for(planner_qian).get("/api/workforce/intraday", {"queue": "ACD-01"}).json()
    assert api["restaffing"]["aht_s"] == 300
    assert api["restaffing"]["aht_source"] == "today"
    assert api["restaffing"]["handled_today"] == 30
    assert api["restaffing"]["patience_source"] == "forecast"  # no abandons today


@time_machine.travel(at(10, 5), tick=False)
def test_today_s_page_refreshes_its_figures_every_minute_from_a_partial(
    org: Org, monday: ForecastRun, client_for: ClientFor, ops_zhou: User
) -> None:
    client = client_for(ops_zhou)
    queue = org.queues["ACD-01"].pk

    body = page(client, queue=queue).content.decode()
    assert "workforce/refresh.js" in body
    assert f'data-refresh="?day=2026-10-12&amp;queue={queue}&amp;partial=live"' in body
    assert "<script>" not in body  # the CSP allows no inline script

    with time_machine.travel(at(10, 6), tick=False):
        store_calls(org.queues["ACD-01"], {at(10, 5): 3})
        fragment = page(client, queue=queue, partial="live").content.decode()

    assert "<html" not in fragment
    assert "更新于 10:06" in fragment
    assert "intraday-intervals" in fragment
    assert "adherence-agents" in fragment
    assert "截至 10:06 的实际呼入" in fragment
    assert "partial=live&amp;export=csv" not in fragment  # downloads name no partial


@time_machine.travel(NEXT_MORNING, tick=False)
def test_a_past_day_does_not_refresh(
    org: Org, monday: ForecastRun, client_for: ClientFor, ops_zhou: User
) -> None:
    body = page(client_for(ops_zhou), queue=org.queues["ACD-01"].pk).content.decode()

    assert "data-refresh" not in body
    assert "refresh.js" not in body
