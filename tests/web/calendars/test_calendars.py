"""The business calendar: loading the official schedule, admins' corrections, the warnings."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lingting.calendars.checks import calendar_loaded
from lingting.calendars.models import CalendarDay, CalendarYear, DayKind, Source
from lingting.calendars.selectors import business_calendar, calendar_gap_year, center_hours
from lingting.calendars.services import (
    calendar_day_correct,
    calendar_load,
    calendar_year_mark_complete,
)
from lingting.core.models import AuditEvent, Role, User
from lingting.demo.calendars import demo_calendars
from lingting.engine.calendars import CalendarGap, add_working_time

ClientFor = Callable[[User], Client]
URL = reverse("calendars:year")
NATIONAL_DAY = date(2026, 10, 1)
MAKE_UP_SATURDAY = date(2026, 10, 10)


@pytest.fixture
def admin_ma(org: Any) -> User:
    user = User.objects.create_user("admin_ma", password="ting-2026-secret", role=Role.ADMIN)
    user.first_name = "马丽"
    user.save(update_fields=["first_name"])
    return user


@pytest.fixture
def loaded_2026(db: None) -> None:
    calendar_load(year=2026)


def test_loading_2026_gives_the_official_national_day_schedule(loaded_2026: None) -> None:
    cal = business_calendar()

    assert not cal.is_workday(NATIONAL_DAY)
    assert cal.is_workday(MAKE_UP_SATURDAY)
    assert cal.is_workday(date(2026, 9, 20))  # the make-up Sunday
    assert cal.covers(date(2026, 12, 31))
    assert not cal.covers(date(2027, 1, 4))
    assert CalendarDay.objects.get(date=NATIONAL_DAY).name == "国庆节"


def test_only_exceptions_to_monday_to_friday_are_stored(loaded_2026: None) -> None:
    assert not CalendarDay.objects.filter(date=date(2026, 10, 3)).exists()  # a Saturday off
    assert all(
        (row.kind == DayKind.HOLIDAY) == (row.date.weekday() < 5)
        for row in CalendarDay.objects.all()
    )


def test_loading_twice_changes_nothing(loaded_2026: None) -> None:
    rows = list(CalendarDay.objects.values_list("date", "kind", "name", "changed_at"))
    audits = AuditEvent.objects.count()

    again = calendar_load(year=2026)

    assert again.changes == 0
    assert list(CalendarDay.objects.values_list("date", "kind", "name", "changed_at")) == rows
    assert AuditEvent.objects.count() == audits


def test_a_load_never_overwrites_an_admins_correction(loaded_2026: None, ops_zhou: User) -> None:
    calendar_day_correct(
        actor=ops_zhou, day=MAKE_UP_SATURDAY, kind=DayKind.NORMAL, note="中心本周六不调休"
    )

    again = calendar_load(year=2026)

    assert again.kept == [MAKE_UP_SATURDAY]
    assert CalendarDay.objects.get(date=MAKE_UP_SATURDAY).source == Source.ADMIN
    assert not business_calendar().is_workday(MAKE_UP_SATURDAY)


def test_a_load_puts_back_a_package_day_that_was_changed_in_the_table(loaded_2026: None) -> None:
    CalendarDay.objects.filter(date=NATIONAL_DAY).update(name="错误")
    CalendarDay.objects.filter(date=date(2026, 10, 2)).delete()

    again = calendar_load(year=2026)

    assert again.changed == [NATIONAL_DAY]
    assert again.added == [date(2026, 10, 2)]
    assert CalendarDay.objects.get(date=NATIONAL_DAY).name == "国庆节"


def test_a_year_the_package_lacks_is_refused(db: None) -> None:
    with pytest.raises(CalendarGap):
        calendar_load(year=2027)
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_an_admins_correction_is_audited_with_before_and_after(
    loaded_2026: None, admin_ma: User
) -> None:
    calendar_day_correct(
        actor=admin_ma, day=date(2026, 10, 9), kind=DayKind.HOLIDAY, name="公司假", note="司庆"
    )

    event = AuditEvent.objects.get(action="calendar_day.correct")
    assert event.actor == admin_ma
    assert event.object_id == "2026-10-09"
    assert event.before is None
    assert event.after == {"kind": "holiday", "name": "公司假", "source": "admin", "note": "司庆"}
    assert not business_calendar().is_workday(date(2026, 10, 9))


def test_a_correction_needs_a_reason_and_must_change_something(
    loaded_2026: None, admin_ma: User
) -> None:
    with pytest.raises(ValidationError, match="请填写更正原因"):
        calendar_day_correct(actor=admin_ma, day=NATIONAL_DAY, kind=DayKind.NORMAL, note=" ")
    with pytest.raises(ValidationError, match="周末本来就休息"):
        calendar_day_correct(actor=admin_ma, day=date(2026, 10, 3), kind="holiday", note="x")
    with pytest.raises(ValidationError, match="工作日本来就上班"):
        calendar_day_correct(actor=admin_ma, day=date(2026, 10, 9), kind="workday", note="x")


def test_only_admins_and_operations_managers_correct_the_calendar(
    loaded_2026: None, qa_zhao: User, agent_li: User
) -> None:
    for user in (qa_zhao, agent_li):
        with pytest.raises(PermissionDenied):
            calendar_day_correct(actor=user, day=NATIONAL_DAY, kind="normal", note="x")


# --- the page ---------------------------------------------------------------------------


def test_the_page_shows_the_year_with_holidays_and_make_up_workdays_marked(
    client_for: ClientFor, loaded_2026: None, agent_li: User
) -> None:
    page = client_for(agent_li).get(URL, {"year": 2026}).content.decode()

    assert "2026 年工作日历" in page
    assert 'class="cal-holiday" data-date="2026-10-01"' in page
    assert 'class="cal-makeup" data-date="2026-10-10"' in page
    assert 'class="cal-off" data-date="2026-10-11"' in page
    assert 'class="cal-holiday" data-date="2026-10-03"' in page  # the weekend in the block
    assert 'class="cal-off" data-date="2026-11-28"' in page  # an ordinary Saturday
    assert "国庆节" in page
    assert 'id="correct"' not in page  # an agent reads, does not correct


def test_the_page_tells_statutory_holidays_from_bridged_days_off(
    client_for: ClientFor, loaded_2026: None, agent_li: User
) -> None:
    page = client_for(agent_li).get(URL, {"year": 2026}).content.decode()

    statutory = re.findall(r'data-date="(2026-10-[0-9]+)" data-statutory="([^"]+)"', page)
    assert statutory == [(f"2026-10-0{n}", "国庆节") for n in (1, 2, 3)]  # not 10-04..07
    assert 'data-date="2026-02-16" data-statutory="春节"' in page  # 除夕, from 2025 on
    assert 'data-date="2026-05-02" data-statutory="劳动节"' in page  # a Saturday


def test_an_operations_manager_corrects_a_day_on_the_page(
    client_for: ClientFor, loaded_2026: None, ops_zhou: User
) -> None:
    client = client_for(ops_zhou)

    response = client.post(
        f"{URL}?year=2026",
        {"day": "2026-12-31", "kind": "holiday", "name": "年终盘点", "note": "全中心停工一天"},
    )
    page = client.get(URL, {"year": 2026}).content.decode()

    assert response.status_code == 302
    assert 'class="cal-holiday cal-corrected" data-date="2026-12-31"' in page
    assert "全中心停工一天" in page
    assert "周强" in page


def test_a_refused_correction_is_shown_on_the_form_and_changes_nothing(
    client_for: ClientFor, loaded_2026: None, ops_zhou: User
) -> None:
    response = client_for(ops_zhou).post(URL, {"day": "2026-10-03", "kind": "holiday", "note": "x"})

    assert response.status_code == 200
    assert "周末本来就休息" in response.content.decode()
    assert not CalendarDay.objects.filter(date=date(2026, 10, 3)).exists()


def test_picking_a_day_opens_the_form_on_it(
    client_for: ClientFor, loaded_2026: None, ops_zhou: User
) -> None:
    page = client_for(ops_zhou).get(URL, {"year": "2026", "day": "2026-10-10"}).content.decode()

    assert 'value="2026-10-10"' in page
    assert '<option value="workday" selected>' in page


def test_a_team_leader_may_not_post_a_correction(
    client_for: ClientFor, loaded_2026: None, leader_wang: User
) -> None:
    response = client_for(leader_wang).post(
        URL, {"day": "2026-10-09", "kind": "holiday", "note": "x"}
    )

    assert response.status_code == 403
    assert not CalendarDay.objects.filter(date=date(2026, 10, 9)).exists()


# --- the warnings when a year's schedule is missing ---------------------------------------


def test_from_november_next_years_missing_schedule_is_a_gap(loaded_2026: None) -> None:
    assert calendar_gap_year(date(2026, 10, 31)) is None
    assert calendar_gap_year(date(2026, 11, 23)) == 2027


def test_a_missing_current_year_is_a_gap_at_any_time(db: None) -> None:
    assert calendar_gap_year(date(2026, 3, 1)) == 2026


def test_marking_a_hand_entered_year_complete_closes_the_gap(
    loaded_2026: None, admin_ma: User
) -> None:
    calendar_year_mark_complete(actor=admin_ma, year=2027)

    assert calendar_gap_year(date(2026, 11, 23)) is None
    assert AuditEvent.objects.filter(action="calendar_year.complete", object_id="2027").exists()


@pytest.fixture
def november_23(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2026, 11, 23))


def test_the_system_check_warns_about_next_years_missing_schedule_from_november(
    loaded_2026: None, november_23: None
) -> None:
    warnings = calendar_loaded()

    assert [warning.id for warning in warnings] == ["calendars.W001"]
    assert "2027" in warnings[0].msg
    assert "calendar_load --year 2027" in str(warnings[0].hint)


def test_the_system_check_is_quiet_when_the_years_needed_are_loaded(
    loaded_2026: None, admin_ma: User, november_23: None
) -> None:
    calendar_year_mark_complete(actor=admin_ma, year=2027)

    assert calendar_loaded() == []


def test_admins_and_operations_managers_see_the_banner_others_do_not(
    client_for: ClientFor, db: None, ops_zhou: User, qa_zhao: User
) -> None:
    """Nothing loaded: this year's schedule is missing, whatever the date."""
    contacts = reverse("interactions:contact_list")

    assert "calendar-gap" in client_for(ops_zhou).get(contacts).content.decode()
    assert "calendar-gap" not in client_for(qa_zhao).get(contacts).content.decode()


def test_the_banner_names_the_year_and_links_to_it(
    client_for: ClientFor, db: None, ops_zhou: User
) -> None:
    page = client_for(ops_zhou).get(reverse("interactions:contact_list")).content.decode()
    year = timezone.localdate().year
    assert f"{year} 年的官方节假日和调休安排尚未载入" in page
    assert f"{URL}?year={year}" in page


def test_the_command_loads_three_years_and_says_loudly_that_2027_is_missing(
    db: None, november_23: None
) -> None:
    out, err = StringIO(), StringIO()

    call_command("calendar_load", stdout=out, stderr=err)

    assert "2025: added" in out.getvalue()
    assert "2026: added 25" in out.getvalue()
    assert "no official holiday schedule for 2027" in err.getvalue()
    assert "count Monday to Friday only" in err.getvalue()
    assert sorted(CalendarYear.objects.values_list("year", flat=True)) == [2025, 2026]


def test_before_november_a_missing_next_year_is_only_noted(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2026, 5, 6))
    out, err = StringIO(), StringIO()

    call_command("calendar_load", stdout=out, stderr=err)

    assert "2027: not published yet" in out.getvalue()
    assert err.getvalue() == ""


def test_a_named_year_is_loaded_once(db: None) -> None:
    out, err = StringIO(), StringIO()

    call_command("calendar_load", "--year", "2026", stdout=out, stderr=err)
    call_command("calendar_load", "--year", "2026", stdout=out, stderr=err)

    assert "2026: added 25" in out.getvalue()
    assert "2026: up to date" in out.getvalue()
    assert CalendarYear.objects.filter(year=2026).exists()


def test_the_command_refuses_a_named_year_the_package_lacks(db: None) -> None:
    with pytest.raises(CommandError, match="no official holiday schedule for 2027"):
        call_command("calendar_load", "--year", "2027", stdout=StringIO(), stderr=StringIO())


def test_the_demo_step_loads_the_demos_year_and_names_the_missing_one(
    db: None, november_23: None
) -> None:
    summary = demo_calendars(users={}, months=[date(2026, 6, 1), date(2026, 10, 1)])

    assert (
        summary == "business calendar: loaded 2026 (25 days); 2027 not published yet, warning shown"
    )
    assert not business_calendar().is_workday(NATIONAL_DAY)


def test_center_hours_read_stored_utc_times_in_the_centers_zone(loaded_2026: None) -> None:
    """A complaint stored at 01:00 UTC was made at 09:00 in Shanghai, Wednesday 09-30:
    3h that morning, 4h after lunch, then the holiday; 0.5h more on Thursday 10-08."""
    started = datetime(2026, 9, 30, 1, 0, tzinfo=UTC)

    end = add_working_time(
        started, timedelta(hours=7, minutes=30), calendar=business_calendar(), hours=center_hours()
    )

    assert end == datetime(2026, 10, 8, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
