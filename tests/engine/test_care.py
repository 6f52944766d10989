"""Timed reminders (seed 000: 10:30, 14:00, 16:00, 22:30, five minutes ahead), break-due
notices, and strain alerts after difficult contacts in a row."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from lingting.engine.break_rules import SEED_000_RULES, Shift
from lingting.engine.care import (
    SEED_000_REMINDERS,
    ContactSignal,
    NoticeKind,
    ReminderSchedule,
    break_notices,
    reminders_due,
    shift_reminders,
    strain_alerts,
)

DAY = datetime(2026, 3, 2)


def at(hour: int, minute: int = 0, *, day: int = 0) -> datetime:
    return DAY + timedelta(days=day, hours=hour, minutes=minute)


DAY_SHIFT = Shift("A1", "T1", at(8, 30), at(17, 30))
NIGHT_SHIFT = Shift("N1", "T9", at(22, 0), at(6, 0, day=1))


def test_a_day_shift_is_reminded_five_minutes_before_its_sensitive_times() -> None:
    reminders = shift_reminders(DAY_SHIFT, SEED_000_REMINDERS)

    assert [(r.at, r.notify_at) for r in reminders] == [
        (at(10, 30), at(10, 25)),
        (at(14, 0), at(13, 55)),
        (at(16, 0), at(15, 55)),
    ]


def test_a_notifier_running_every_minute_sends_each_reminder_once() -> None:
    shifts = [DAY_SHIFT, NIGHT_SHIFT]
    sent = []
    minute = at(10, 20)
    while minute < at(10, 35):
        sent += reminders_due(shifts, since=minute, until=minute + timedelta(minutes=1))
        minute += timedelta(minutes=1)

    assert [(r.shift.agent, r.at, r.notify_at) for r in sent] == [("A1", at(10, 30), at(10, 25))]


def test_the_night_shift_is_reminded_across_midnight() -> None:
    # A center adds 00:15; its five minutes ahead fall on the evening before for a 00:02 one.
    schedule = ReminderSchedule((time(22, 30), time(0, 2)), lead=timedelta(minutes=5))

    reminders = shift_reminders(NIGHT_SHIFT, schedule)

    assert [(r.at, r.notify_at) for r in reminders] == [
        (at(22, 30), at(22, 25)),
        (at(0, 2, day=1), at(23, 57)),
    ]
    due = reminders_due([NIGHT_SHIFT], schedule, since=at(23, 50), until=at(0, 0, day=1))
    assert [r.at for r in due] == [at(0, 2, day=1)]


def test_an_agent_who_starts_inside_the_lead_is_reminded_at_the_start() -> None:
    late = Shift("A2", "T1", at(10, 28), at(19, 28))
    gone = Shift("A3", "T1", at(1, 30), at(10, 30))

    first = shift_reminders(late, SEED_000_REMINDERS)[0]
    assert (first.at, first.notify_at) == (at(10, 30), at(10, 28))
    assert shift_reminders(gone, SEED_000_REMINDERS) == []


def test_reminders_follow_the_clock_of_a_shift_with_a_time_zone() -> None:
    shanghai = ZoneInfo("Asia/Shanghai")
    shift = Shift(
        "A1", "T1", at(8, 30).replace(tzinfo=shanghai), at(11, 0).replace(tzinfo=shanghai)
    )

    (reminder,) = shift_reminders(shift, SEED_000_REMINDERS)

    assert reminder.at == datetime(2026, 3, 2, 2, 30, tzinfo=UTC)  # 10:30 in Shanghai


def test_break_notices_say_when_a_window_opens_and_when_it_is_about_to_close() -> None:
    notices = break_notices([DAY_SHIFT], SEED_000_RULES, since=at(8, 0), until=at(13, 0))

    assert [(n.kind, n.notify_at) for n in notices] == [
        (NoticeKind.OPENS, at(10, 0)),
        (NoticeKind.CLOSING, at(10, 25)),
        (NoticeKind.OPENS, at(12, 10)),
        (NoticeKind.CLOSING, at(12, 35)),
    ]


def test_no_closing_notice_once_the_agent_has_started_the_break() -> None:
    notices = break_notices(
        [DAY_SHIFT],
        SEED_000_RULES,
        since=at(8, 0),
        until=at(11, 0),
        breaks_started={"A1": [at(10, 12)]},
    )

    assert [n.kind for n in notices] == [NoticeKind.OPENS]


def test_break_notices_of_a_night_shift_fall_after_midnight() -> None:
    notices = break_notices(
        [NIGHT_SHIFT], SEED_000_RULES, since=at(0, 0, day=1), until=at(3, 0, day=1)
    )

    assert [(n.kind, n.notify_at) for n in notices] == [
        (NoticeKind.OPENS, at(1, 40, day=1)),
        (NoticeKind.CLOSING, at(2, 5, day=1)),
    ]


NINE = at(9, 0)


def contacts(agent: str, pattern: str, *, start: datetime = NINE) -> list[ContactSignal]:
    """One contact every ten minutes; 'x' a difficult one (an insult), '.' a plain one."""
    return [
        ContactSignal(
            agent,
            f"{agent}-{n}",
            start + n * timedelta(minutes=10),
            ("insult",) if mark == "x" else (),
        )
        for n, mark in enumerate(pattern)
    ]


def test_three_difficult_contacts_in_a_row_alert_the_team_leader() -> None:
    (alert,) = strain_alerts(contacts("A1", "xx.xxx."))

    assert alert.agent == "A1"
    assert [c.contact for c in alert.contacts] == ["A1-3", "A1-4", "A1-5"]
    assert alert.at == at(9, 50)
    assert alert.suggested_break == timedelta(minutes=10)


def test_a_run_of_seven_difficult_contacts_alerts_once_at_its_third() -> None:
    (alert,) = strain_alerts(contacts("A1", "xxxxxxx"), run_length=3)

    assert alert.at == at(9, 20)  # the 3rd contact (09:00, 09:10, 09:20)
    assert len(alert.contacts) == 7  # the whole run as far as it is known


def test_a_calm_contact_starts_a_new_run_and_a_new_alert() -> None:
    alerts = strain_alerts(contacts("A1", "xxxx.xxx"), run_length=3)

    assert [alert.at for alert in alerts] == [at(9, 20), at(10, 10)]
    assert [c.contact for c in alerts[1].contacts] == ["A1-5", "A1-6", "A1-7"]


def test_a_break_between_contacts_ends_the_run() -> None:
    signals = contacts("A1", "xxxx")

    rested = strain_alerts(signals, breaks_started={"A1": [at(9, 15)]})

    assert strain_alerts(signals) != []
    assert rested == []


def test_each_agent_has_a_run_of_its_own() -> None:
    signals = contacts("A1", "x.x") + contacts("A2", "xxx", start=at(9, 5))

    assert [alert.agent for alert in strain_alerts(signals)] == ["A2"]
