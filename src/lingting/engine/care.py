"""Care for the agents on the phone: timed reminders, break-due notices and strain alerts.

- **Timed reminders** (seed 000 §1(2) 正点提醒): "早班10:30、中班:14:00、16:00、小夜班22:30分,
  这些敏感时段提前 5 分钟便签提供正点提醒服务". `SEED_000_REMINDERS` holds those times and the
  five minutes' lead; a center passes its own. An agent gets a reminder when on shift at its
  moment; one whose shift starts inside the lead gets it at the start of the shift.
- **Break-due notices** (seed 000 §1(2): "工作时间达到1.5小时后,组长开始便签通知组员小休"): a
  notice when a break's window by time worked opens (`break_rules.break_windows`), and
  another shortly before it closes if the agent has not started a break in it yet.
- **Strain** (PRODUCT.md §9, "a run of abusive calls → a break"; seed 001: "员工出现了个人情绪
  ……不妨让他暂时离开工作环境"): after `run_length` difficult contacts in a row an alert for
  the team leader with those contacts and a suggested break. What makes a contact difficult
  (auto QA found insults or threats in the customer's turns, a complaint) is the caller's
  call: it passes the reasons as flags (`lingting.engine.difficulty` finds them in a contact).
  No seed gives the number; 3 is a starting point each center edits. A break the agent
  started between two contacts ends the run. One alert per run: a run of 7 is one alert at
  its 3rd contact, and the next comes only after a calm contact or a break.

Reminders and notices are asked for a span of time, after `since` up to and including
`until`: a notifier that runs every minute passes its previous run's moment and now, and
each notice goes out exactly once even when a run comes late. Shifts are on an absolute
time axis, so a reminder at 22:30 or 00:15 finds the night shift across midnight, and a
lead before a 00:02 reminder falls on the evening before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from lingting.engine.break_rules import BreakRule, BreakWindow, Shift, break_windows

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class ReminderSchedule:
    """Times of day to remind agents on shift, each `lead` ahead. The times are read on the
    shifts' own clock: give shifts in the center's local time (an aware datetime in UTC
    would be reminded at 10:30 UTC)."""

    times: tuple[time, ...]
    lead: timedelta

    def __post_init__(self) -> None:
        if not timedelta(0) <= self.lead < ONE_DAY:
            raise ValueError(f"a reminder's lead must be from 0 to under a day, not {self.lead}")
        if any(moment.tzinfo is not None for moment in self.times):
            raise ValueError("reminder times are times of day on the shifts' clock, without zone")


SEED_000_REMINDERS = ReminderSchedule(
    times=(time(10, 30), time(14, 0), time(16, 0), time(22, 30)), lead=timedelta(minutes=5)
)


@dataclass(frozen=True, slots=True)
class Reminder:
    shift: Shift
    at: datetime  # the moment reminded of
    notify_at: datetime  # `lead` before it, or the start of the shift when that is later


def shift_reminders(shift: Shift, schedule: ReminderSchedule) -> list[Reminder]:
    """Every reminder of `shift`: the schedule's moments while it lasts, in order."""
    reminders = []
    day = shift.start.date()
    while day <= shift.end.date():
        for clock in schedule.times:
            moment = datetime.combine(day, clock, tzinfo=shift.start.tzinfo)
            if shift.start <= moment < shift.end:
                notify_at = max(moment - schedule.lead, shift.start)
                reminders.append(Reminder(shift, moment, notify_at))
        day += ONE_DAY
    return sorted(reminders, key=lambda reminder: reminder.at)


def reminders_due(
    shifts: Iterable[Shift],
    schedule: ReminderSchedule = SEED_000_REMINDERS,
    *,
    since: datetime,
    until: datetime,
) -> list[Reminder]:
    """The reminders to send after `since` up to `until`, by moment and agent."""
    due = [
        reminder
        for shift in shifts
        for reminder in shift_reminders(shift, schedule)
        if since < reminder.notify_at <= until
    ]
    return sorted(due, key=lambda reminder: (reminder.notify_at, reminder.shift.agent))


class NoticeKind(StrEnum):
    OPENS = "opens"  # the break may start now
    CLOSING = "closing"  # the break must start soon and has not


@dataclass(frozen=True, slots=True)
class BreakNotice:
    kind: NoticeKind
    window: BreakWindow
    notify_at: datetime


CLOSING_LEAD = timedelta(minutes=5)  # as seed 000's reminders: five minutes ahead


def break_notices(
    shifts: Iterable[Shift],
    rules: Sequence[BreakRule],
    *,
    since: datetime,
    until: datetime,
    breaks_started: Mapping[str, Sequence[datetime]] | None = None,
    closing_lead: timedelta = CLOSING_LEAD,
) -> list[BreakNotice]:
    """The break-due notices to send after `since` up to `until`, by moment and agent.

    `breaks_started` maps an agent to the moments its breaks began: a window in which the
    agent has started one needs no closing notice."""
    started = breaks_started or {}
    notices = [
        notice
        for shift in shifts
        for window in break_windows(shift, rules)
        if window.fits
        for notice in _window_notices(window, started.get(shift.agent, ()), closing_lead)
        if since < notice.notify_at <= until
    ]
    return sorted(notices, key=lambda notice: (notice.notify_at, notice.window.shift.agent))


def _window_notices(
    window: BreakWindow, started: Sequence[datetime], closing_lead: timedelta
) -> list[BreakNotice]:
    notices = [BreakNotice(NoticeKind.OPENS, window, window.earliest)]
    closing_at = max(window.latest - closing_lead, window.earliest)
    if not any(window.earliest <= moment <= closing_at for moment in started):
        notices.append(BreakNotice(NoticeKind.CLOSING, window, closing_at))
    return notices


DIFFICULT_RUN = 3  # no seed names it: a starting point each center edits
STRAIN_BREAK = timedelta(minutes=10)  # seed 000's shorter break


@dataclass(frozen=True, slots=True)
class ContactSignal:
    """One handled contact; `difficulty` names what made it hard ("insult", "threat",
    "complaint"…), empty when nothing did."""

    agent: str
    contact: str
    ended_at: datetime
    difficulty: tuple[str, ...] = ()

    @property
    def difficult(self) -> bool:
        return bool(self.difficulty)


@dataclass(frozen=True, slots=True)
class StrainAlert:
    """For the agent's team leader: difficult contacts in a row, and a break to suggest."""

    agent: str
    contacts: tuple[ContactSignal, ...]  # the run so far, oldest first
    suggested_break: timedelta
    at: datetime  # when the run reached its length: one alert per run, whatever it grows to


def strain_alerts(
    signals: Iterable[ContactSignal],
    *,
    run_length: int = DIFFICULT_RUN,
    suggested_break: timedelta = STRAIN_BREAK,
    breaks_started: Mapping[str, Sequence[datetime]] | None = None,
) -> list[StrainAlert]:
    """One alert for each run of an agent's difficult contacts that reaches `run_length`, at
    the moment it does, listing the whole run as far as `signals` go (a run of 7 at 3 is one
    alert, at the 3rd; a leader told once needs no second alarm about the same stretch, and a
    new alert comes only after a calm contact or a break); by moment, agent.

    Contacts are taken in the order they ended; a break started between two contacts
    (`breaks_started`, agent → moments) ends the run."""
    if run_length < 1:
        raise ValueError(f"a run is at least one contact long, not {run_length}")
    by_agent: dict[str, list[ContactSignal]] = defaultdict(list)
    for signal in signals:
        by_agent[signal.agent].append(signal)
    rests = breaks_started or {}
    alerts = [
        StrainAlert(agent, run, suggested_break, run[run_length - 1].ended_at)
        for agent, contacts in by_agent.items()
        for run in _difficult_runs(contacts, rests.get(agent, ()))
        if len(run) >= run_length
    ]
    return sorted(alerts, key=lambda alert: (alert.at, alert.agent))


def _difficult_runs(
    contacts: Sequence[ContactSignal], rests: Sequence[datetime]
) -> list[tuple[ContactSignal, ...]]:
    """Each whole run of difficult contacts: the agent's contacts and rests on one timeline,
    a rest being a step that is not difficult."""
    timeline: list[tuple[datetime, ContactSignal | None]] = sorted(
        [(contact.ended_at, contact) for contact in contacts] + [(rest, None) for rest in rests],
        key=lambda step: step[0],
    )
    runs: list[tuple[ContactSignal, ...]] = []
    current: list[ContactSignal] = []
    for _, step in timeline:
        if step is not None and step.difficult:
            current.append(step)
        elif current:
            runs.append(tuple(current))
            current = []
    if current:
        runs.append(tuple(current))
    return runs
