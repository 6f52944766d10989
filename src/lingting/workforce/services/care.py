"""Care of agents on the phone, sent as in-app notifications (issue 14; seed 000 §1(2)):
timed reminders and break-due notices to the agents on a published shift, and a strain alert
to an agent's team leader after a run of difficult contacts; and the settings' edits.

`care_notify` is meant to run every minute (`lingting care_notify`, the scheduler's job
"care"). Each run looks back `LOOKBACK` and sends what fell due in that span and has not
gone out yet: every notice is written once as a `CareNotice` row (unique per agent, kind
and moment) in the transaction of its notification, so overlapping, repeated or concurrent
runs never send it twice, and a run that comes a few minutes late still sends it. A notice
older than the look-back is dropped: a reminder half an hour late is noise, not care. For
the same reason a strain alert goes out only for a run that ended within STRAIN_FRESH.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from lingting.core.models import Agent, User
from lingting.core.services import audit_record, notification_send
from lingting.engine.break_rules import Shift
from lingting.engine.care import (
    BreakNotice,
    NoticeKind,
    Reminder,
    StrainAlert,
    break_notices,
    reminders_due,
    strain_alerts,
)
from lingting.engine.difficulty import Difficulty
from lingting.workforce.models import CARE_FIELDS, CareKind, CareNotice, CareSettings, RosterShift
from lingting.workforce.selectors.care import (
    CarePlan,
    agents_with_new_contacts,
    breaks_started,
    care_plan,
    care_settings,
    published_shifts,
    shift_signals,
)

LOOKBACK = timedelta(minutes=10)
STRAIN_FRESH = timedelta(hours=1)
# A notice row only stops a second sending, which LOOKBACK and STRAIN_FRESH bound to an hour;
# the notifications themselves stay with their readers. Reminders and break notices are kept
# 90 days (a quarter, to answer "was I reminded?"); a strain alert a year, as the record that
# a leader was told of an agent's strain, which a welfare review may ask about much later.
NOTICE_RETENTION = timedelta(days=90)
STRAIN_RETENTION = timedelta(days=365)


def care_settings_save(*, values: dict[str, Any], actor: User) -> CareSettings:
    """Set the center's care settings to `values` (the CARE_FIELDS, checked by the care
    form), audited from what they were (seed 000's defaults the first time)."""
    with transaction.atomic():
        row = care_settings()
        before = model_to_dict(row, fields=CARE_FIELDS)
        for name in CARE_FIELDS:
            setattr(row, name, values[name])
        row.updated_by = actor
        row.save()
        audit_record(
            actor=actor,
            action="care_settings.save",
            object_type="care_settings",
            object_id=row.pk,
            before=before,
            after=model_to_dict(row, fields=CARE_FIELDS),
        )
    return row


@dataclass(slots=True)
class CareReport:
    reminders: int = 0
    break_notices: int = 0
    strain_alerts: int = 0
    leaderless: int = 0  # strain alerts about an agent whose team has no leader to tell


def care_notify(*, now: datetime) -> CareReport:
    """Send the reminders and break notices due after `now` − LOOKBACK up to `now` to the
    agents on a published shift, and the strain alerts the contacts stored in that span
    complete; each exactly once. Returns what was sent by this run."""
    tz = timezone.get_current_timezone()
    until = now.astimezone(tz)
    since = until - LOOKBACK
    rows = published_shifts(start=since, end=until)
    report = CareReport()
    if not rows:
        return report
    plan = care_plan(care_settings())
    shifts = {_engine_shift(row, tz): row for row in rows}
    started = _breaks_by_code(rows, plan.break_reason, tz)
    for reminder in reminders_due(shifts, plan.schedule, since=since, until=until):
        report.reminders += _remind(shifts[reminder.shift], reminder, plan)
    for notice in break_notices(
        shifts, plan.break_rules, since=since, until=until, breaks_started=started
    ):
        report.break_notices += _notify_break(shifts[notice.window.shift], notice)
    on_shift = [row for row in rows if row.starts_at <= until < row.ends_at]
    _strain(on_shift, plan, since=since, until=until, started=started, report=report)
    return report


def care_notices_prune(*, now: datetime) -> dict[str, int]:
    """Delete the care notices older than their retention (NOTICE_RETENTION; a strain alert
    STRAIN_RETENTION), by the moment they were sent; the deletion audited with its counts per
    kind and its cut-off dates. Returns the counts (kinds with none left out)."""
    cutoffs = {
        kind: now - (STRAIN_RETENTION if kind == CareKind.STRAIN else NOTICE_RETENTION)
        for kind in CareKind.values
    }
    deleted: dict[str, int] = {}
    with transaction.atomic():
        for kind, cutoff in cutoffs.items():
            count, _counts = CareNotice.objects.filter(kind=kind, sent_at__lt=cutoff).delete()
            if count:
                deleted[kind] = count
        if deleted:
            audit_record(
                actor=None,
                action="care_notice.prune",
                object_type="care_notice",
                object_id="",
                after={
                    "deleted": deleted,
                    "sent_before": {kind: cutoffs[kind].isoformat() for kind in deleted},
                },
            )
    return deleted


def _engine_shift(row: RosterShift, tz: tzinfo) -> Shift:
    """The shift on the center's clock: reminder times are times of day there."""
    team = row.agent.team.code if row.agent.team else ""
    return Shift(row.agent.code, team, row.starts_at.astimezone(tz), row.ends_at.astimezone(tz))


def _breaks_by_code(rows: list[RosterShift], reason: str, tz: tzinfo) -> dict[str, list[datetime]]:
    by_id = breaks_started(
        agent_ids={row.agent_id for row in rows},
        reason=reason,
        since=min(row.starts_at for row in rows),
        tz=tz,
    )
    return {row.agent.code: by_id.get(row.agent_id, []) for row in rows}


def _agent_login(row: RosterShift) -> User | None:
    user = row.agent.user
    return user if user is not None and user.is_active else None


def _remind(row: RosterShift, reminder: Reminder, plan: CarePlan) -> int:
    user = _agent_login(row)
    if user is None:
        return 0
    greeting = plan.greetings.get(reminder.at.time(), "")
    with translation.override(settings.LANGUAGE_CODE):
        text = _("【正点提醒】%(time)s %(greeting)s") % {
            "time": f"{reminder.at:%H:%M}",
            "greeting": greeting,
        }
    text = text.strip()
    return _send_once(
        agent=row.agent, kind=CareKind.REMINDER, moment=reminder.at, recipient=user, text=text
    )


def _notify_break(row: RosterShift, notice: BreakNotice) -> int:
    user = _agent_login(row)
    if user is None:
        return 0
    window = notice.window
    facts = {"rule": window.rule.name, "latest": f"{window.latest:%H:%M}"}
    with translation.override(settings.LANGUAGE_CODE):
        if notice.kind == NoticeKind.OPENS:
            text = _("【小休提醒】%(rule)s：现在可以开始，最晚 %(latest)s 开始") % facts
            text += _planned_break(row, window.earliest, window.latest)
        else:
            text = _("【小休提醒】%(rule)s：还没有开始，请在 %(latest)s 前开始") % facts
    kind = CareKind.BREAK_OPENS if notice.kind == NoticeKind.OPENS else CareKind.BREAK_CLOSING
    return _send_once(
        agent=row.agent, kind=kind, moment=notice.notify_at, recipient=user, text=text
    )


def _planned_break(row: RosterShift, earliest: datetime, latest: datetime) -> str:
    """The break the roster planned in this window, said beside the notice ("" for none)."""
    for planned in row.breaks.all():
        if earliest <= planned.starts_at <= latest:
            start, end = timezone.localtime(planned.starts_at), timezone.localtime(planned.ends_at)
            return _("（排班安排 %(start)s–%(end)s）") % {
                "start": f"{start:%H:%M}",
                "end": f"{end:%H:%M}",
            }
    return ""


def _strain(
    rows: list[RosterShift],
    plan: CarePlan,
    *,
    since: datetime,
    until: datetime,
    started: dict[str, list[datetime]],
    report: CareReport,
) -> None:
    """Alert the team leader of each agent on shift whose run of difficult contacts this
    shift has reached `strain_run`, with a contact stored since `since`: once per run (the
    notice's moment is when the run reached its length, so a longer run finds it sent).

    Only a run that ended within STRAIN_FRESH is news: a batch of contacts stored hours
    after they ended (a late import) tells of runs the agent has long left. Where one batch
    completes several runs of an agent, the latest says all the leader needs."""
    changed = agents_with_new_contacts(
        agent_ids=[row.agent_id for row in rows], since=since, until=until
    )
    shifts = {row.agent.code: row for row in rows if row.agent_id in changed}
    contacts = shift_signals(list(shifts.values()), check=plan.difficulty, since=since, until=until)
    latest: dict[str, StrainAlert] = {}
    alerts = strain_alerts(
        contacts.signals,
        run_length=plan.strain_run,
        suggested_break=plan.strain_break,
        breaks_started=started,
    )
    for alert in alerts:  # in time order: a later alert of an agent replaces an earlier one
        if alert.contacts[-1].contact in contacts.new and alert.at > until - STRAIN_FRESH:
            latest[alert.agent] = alert
    for agent, alert in latest.items():
        _alert_leader(shifts[agent], alert, report)


def _alert_leader(row: RosterShift, alert: StrainAlert, report: CareReport) -> None:
    team = row.agent.team
    leader = team.leader if team is not None else None
    if leader is not None and not leader.is_active:
        leader = None
    sent = _send_once(
        agent=row.agent,
        kind=CareKind.STRAIN,
        moment=alert.at,
        recipient=leader,
        text=_strain_text(row.agent, alert),
        url=_strain_url(row, alert),
        contacts=[signal.contact for signal in alert.contacts],
    )
    if sent and leader is None:
        report.leaderless += 1
    elif sent:
        report.strain_alerts += 1


DIFFICULTY_LABELS = {
    Difficulty.INSULT: gettext_noop("辱骂"),
    Difficulty.THREAT: gettext_noop("扬言曝光/越级投诉"),
    Difficulty.COMPLAINT: gettext_noop("投诉"),
}


def _strain_text(agent: Agent, alert: StrainAlert) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        contacts = "、".join(
            f"{signal.contact}（{_reasons(signal.difficulty)}）" for signal in alert.contacts
        )
        count = len(alert.contacts)
        return ngettext(
            "【关怀提醒】%(agent)s 连续 %(count)d 通困难联络：%(contacts)s。"
            "建议安排小休 %(minutes)d 分钟，倒杯水，问问接电话的情况。",
            "【关怀提醒】%(agent)s 连续 %(count)d 通困难联络：%(contacts)s。"
            "建议安排小休 %(minutes)d 分钟，倒杯水，问问接电话的情况。",
            count,
        ) % {
            "agent": agent,
            "count": count,
            "contacts": contacts,
            "minutes": alert.suggested_break // timedelta(minutes=1),
        }


def _reasons(difficulty: Iterable[str]) -> str:
    return "、".join(_(DIFFICULTY_LABELS[Difficulty(reason)]) for reason in difficulty)


def _strain_url(row: RosterShift, alert: StrainAlert) -> str:
    """The agent's contacts from the shift's day to the run's last: the run among them."""
    last_day = timezone.localtime(alert.at).date()
    query = {"agent": row.agent_id, "date_from": row.day, "date_to": last_day}
    return f"{reverse('interactions:contact_list')}?{urlencode(query)}"


def _send_once(
    *,
    agent: Agent,
    kind: CareKind,
    moment: datetime,
    recipient: User | None,
    text: str,
    url: str = "",
    contacts: list[str] | None = None,
) -> int:
    """Record the notice and send it (to nobody when `recipient` is None) in one
    transaction; 0 when it went out before, by this run's predecessors or a concurrent one."""
    try:
        with transaction.atomic():
            CareNotice.objects.create(
                agent=agent, kind=kind, moment=moment, recipient=recipient, contacts=contacts or []
            )
            if recipient is not None:
                notification_send(user=recipient, text=text, url=url)
    except IntegrityError:
        return 0
    return 1
