"""The planner's page end to end: a forecast built from the queue's stored contacts on the
Chinese business calendar, the staffing policy (audited) and the requirement it gives, and the
export."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lingting.calendars.services import calendar_load
from lingting.core.models import AuditEvent, User
from lingting.engine.calendars import official_days
from lingting.interactions.models import Contact, Queue
from lingting.workforce.models import ForecastInterval, ForecastRun, StaffingPolicy
from lingting.workforce.selectors.planning import requirement_of, staffing_policy_of
from lingting.workforce.templatetags.workforce import forecast_method
from tests.conftest import SHANGHAI

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]

HISTORY_FIRST = date(2026, 8, 17)  # a Monday; six weeks up to Sunday 27 September
FORECAST_FIRST, FORECAST_LAST = date(2026, 9, 28), date(2026, 10, 11)
CALLS_PER_HALF_HOUR = 6  # one of them hangs up after 40 s; five wait 10 s and take 180 s


def store_history(queue: Queue, *, abandons: bool = True) -> None:
    """Weekdays 09:00–17:00 (not the 中秋 holiday on 25 September), six calls a half hour."""
    holidays = {day.date for day in official_days(2026) if day.kind == "holiday"}
    contacts = []
    day = HISTORY_FIRST
    while day < FORECAST_FIRST:
        if day.weekday() < 5 and day not in holidays:
            for slot in range(16):
                start = datetime(day.year, day.month, day.day, 9, tzinfo=SHANGHAI)
                start += timedelta(minutes=30 * slot)
                for call in range(CALLS_PER_HALF_HOUR):
                    contacts.append(
                        _call(queue, start + timedelta(minutes=4 * call), call, abandons)
                    )
        day += timedelta(days=1)
    Contact.objects.bulk_create(contacts)


def _call(queue: Queue, queued: datetime, call: int, abandons: bool) -> Contact:
    hung_up = abandons and call == 0
    wait = 40.0 if hung_up else 10.0
    return Contact(
        external_id=f"{queue.code}-{queued:%Y%m%d%H%M}-{call}",
        channel="voice",
        direction="inbound",
        queue=queue,
        queued_at=queued,
        started_at=queued,
        answered_at=None if hung_up else queued + timedelta(seconds=wait),
        ended_at=queued + timedelta(seconds=wait if hung_up else wait + 180),
        disposition="abandoned" if hung_up else "answered",
        wait_s=wait,
        talk_s=None if hung_up else 170.0,
        acw_s=None if hung_up else 10.0,
    )


def build_forecast(client: Client, queue: Queue) -> Any:
    return client.post(
        reverse("workforce:planning_forecast", args=[queue.pk]),
        {"first_day": FORECAST_FIRST.isoformat(), "last_day": FORECAST_LAST.isoformat()},
        follow=True,
    )


def test_the_planner_forecasts_a_queue_on_the_national_day_calendar(
    client_for: ClientFor, org: Any, planner_qian: User
) -> None:
    calendar_load(year=2026)
    queue = org.queues["ACD-01"]
    store_history(queue)

    page = build_forecast(client_for(planner_qian), queue)

    assert page.status_code == 200
    run = ForecastRun.objects.get(queue=queue)
    days = sorted({i.starts_at.astimezone(SHANGHAI).date() for i in run.intervals.all()})
    # National Day (1, 2, 5, 6, 7 October) closed, the make-up Saturday 10 October worked,
    # weekends closed.
    assert days == [
        date(2026, 9, 28),
        date(2026, 9, 29),
        date(2026, 9, 30),
        date(2026, 10, 8),
        date(2026, 10, 9),
        date(2026, 10, 10),
    ]
    first_day = [
        i.starts_at.astimezone(SHANGHAI) for i in run.intervals.all() if i.starts_at.day == 28
    ]
    assert [f"{t:%H:%M}" for t in (first_day[0], first_day[-1])] == ["09:00", "16:30"]
    assert len(first_day) == 16
    for interval in run.intervals.all():
        assert interval.forecast == pytest.approx(CALLS_PER_HALF_HOUR, abs=0.5)
        assert interval.lower <= interval.forecast <= interval.upper
    # Patience: all time waited (5 × 10 s + 40 s a half hour) over one hang-up a half hour.
    assert run.patience_s == pytest.approx(90)
    assert run.aht_s == pytest.approx(180)
    # The first days back after 中秋 and National Day are flagged: they usually take more calls.
    assert [(w["kind"], w["days"]) for w in run.warnings] == [
        ("after_days_off", ["2026-09-28", "2026-10-08"])
    ]
    body = page.content.decode()
    assert "2026-09-28、2026-10-08 是法定假期后的第一个营业日" in body
    assert "forecast-bands" in body
    chosen = run.bands[0]["method"]  # said in words, with the method's name beside them
    assert f"{forecast_method(chosen)} <code>{chosen}</code>" in body
    assert forecast_method(chosen) != chosen
    # Every candidate is shown against the others, band by band, the chosen one in bold: the
    # planner sees what the choice beat (the naive yardsticks among them).
    scores = run.bands[0]["methods"]
    assert {"last_week", "median_8w", chosen} <= set(scores)
    assert scores[chosen] == min(wape for wape in scores.values() if wape is not None)
    methods = body[body.index('id="forecast-methods"') :]
    assert methods.count("<tr data-method=") == len(scores)
    assert f'<tr data-method="{chosen}">' in methods
    assert "<strong>" in methods.split(f'data-method="{chosen}"')[1].split("</tr>")[0]
    assert "requirement-intervals" in body
    assert AuditEvent.objects.filter(action="forecast.build", actor=planner_qian).exists()


def test_a_year_the_calendar_does_not_know_is_a_visible_warning(
    client_for: ClientFor, org: Any, planner_qian: User
) -> None:
    queue = org.queues["ACD-01"]
    store_history(queue)

    page = build_forecast(client_for(planner_qian), queue)

    run = ForecastRun.objects.get(queue=queue)
    assert [(w["kind"], w["years"]) for w in run.warnings] == [("unknown_years", [2026])]
    assert "工作日历中没有 2026 年的法定节假日" in page.content.decode()


def test_a_stricter_target_needs_more_agents_and_the_change_is_audited(
    client_for: ClientFor, org: Any, planner_qian: User
) -> None:
    calendar_load(year=2026)
    queue = org.queues["ACD-01"]
    store_history(queue)
    client = client_for(planner_qian)
    build_forecast(client, queue)
    run = ForecastRun.objects.get(queue=queue)
    before = requirement_of(run, staffing_policy_of(queue))

    response = client.post(
        reverse("workforce:planning_policy", args=[queue.pk]),
        {
            "model": "erlang_a",
            "interval_minutes": 30,
            "service_level": "95",
            "answer_within_s": "10",
            "service_level_basis": "offered",
            "short_abandon_s": "5",
            "asa_s": "",
            "max_occupancy": "85",
            "max_abandon": "2",
            "shrinkage": "30",
            "aht_s": "",
            "patience_s": "",
        },
    )

    assert response.status_code == 302
    policy = StaffingPolicy.objects.get(queue=queue)
    assert (policy.service_level, policy.max_abandon, policy.shrinkage) == (0.95, 0.02, 0.3)
    after = requirement_of(run, policy)
    assert sum(r.fractional_agents for r in after.rows) > sum(
        r.fractional_agents for r in before.rows
    )
    assert all(a.agents >= b.agents for a, b in zip(after.rows, before.rows, strict=True))
    for row in after.rows:
        assert row.service_level is not None
        assert row.service_level >= 0.95
        assert row.abandon is not None
        assert row.abandon <= 0.02
        assert row.scheduled >= row.agents / 0.7 - 1e-9
    event = AuditEvent.objects.get(action="staffing_policy.save")
    assert event.actor == planner_qian
    assert event.before is None
    assert event.after["service_level"] == 0.95


def test_a_bad_policy_is_refused_with_its_reason(
    client_for: ClientFor, org: Any, planner_qian: User
) -> None:
    queue = org.queues["ACD-01"]
    page = client_for(planner_qian).post(
        reverse("workforce:planning_policy", args=[queue.pk]),
        {
            "model": "erlang_a",
            "interval_minutes": 30,
            "service_level": "180",
            "answer_within_s": "20",
            "service_level_basis": "offered",
            "short_abandon_s": "5",
            "shrinkage": "30",
        },
        follow=True,
    )

    assert not StaffingPolicy.objects.filter(queue=queue).exists()
    assert "策略未保存" in page.content.decode()


def test_without_hang_ups_erlang_a_asks_for_patience_and_erlang_c_staffs(
    client_for: ClientFor, org: Any, planner_qian: User
) -> None:
    calendar_load(year=2026)
    queue = org.queues["ACD-02"]
    store_history(queue, abandons=False)
    build_forecast(client_for(planner_qian), queue)
    run = ForecastRun.objects.get(queue=queue)

    erlang_a = requirement_of(run, staffing_policy_of(queue))
    erlang_c = requirement_of(run, StaffingPolicy(queue=queue, model="erlang_c"))

    assert run.patience_s is None
    assert erlang_a.rows == []
    assert "耐心" in erlang_a.problems[0]
    assert erlang_c.problems == []
    assert len(erlang_c.rows) == ForecastInterval.objects.filter(run=run).count()


def test_the_requirement_downloads_as_xlsx_and_csv(
    client_for: ClientFor, org: Any, planner_qian: User
) -> None:
    calendar_load(year=2026)
    queue = org.queues["ACD-01"]
    store_history(queue)
    client = client_for(planner_qian)
    build_forecast(client, queue)
    url = reverse("workforce:planning")

    xlsx = client.get(url, {"queue": queue.pk, "export": "xlsx"})
    csv = client.get(url, {"queue": queue.pk, "export": "csv"})

    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"
    text = csv.content.decode("utf-8-sig")
    assert "各时段需求" in text
    assert "每日合计" in text
    assert "2026-09-28 09:00" in text


def test_nothing_to_export_before_a_forecast(
    client_for: ClientFor, org: Any, planner_qian: User
) -> None:
    response = client_for(planner_qian).get(
        reverse("workforce:planning"), {"queue": org.queues["ACD-01"].pk, "export": "xlsx"}
    )
    assert response.status_code == 404


def test_a_queue_without_history_says_why_no_forecast(
    client_for: ClientFor, org: Any, planner_qian: User
) -> None:
    page = build_forecast(client_for(planner_qian), org.queues["ACD-02"])

    assert not ForecastRun.objects.exists()
    assert "未能预测" in page.content.decode()


def test_the_planner_lands_on_the_planning_page(
    client_for: ClientFor, org: Any, planner_qian: User
) -> None:
    response = client_for(planner_qian).get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("workforce:planning")


def test_the_planning_page_reads_in_english(
    client_for: ClientFor, org: Any, planner_qian: User
) -> None:
    calendar_load(year=2026)
    store_history(org.queues["ACD-01"])
    client = client_for(planner_qian)
    build_forecast(client, org.queues["ACD-01"])
    client.post(reverse("set_language"), {"language": "en"})

    page = client.get(reverse("workforce:planning")).content.decode()

    for phrase in ("Planning: forecast and requirement", "Staffing policy", "Staffing requirement"):
        assert phrase in page
    assert "the first open days after official days off" in page
    assert "人力配置策略" not in page
