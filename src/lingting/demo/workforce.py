"""Demo step: agent states around the demo calls, survey answers, the hourly broadcast.

`demo_workforce` runs after the demo contacts are imported and scored. It goes through the
same services as `lingting import_states`, `lingting import_surveys` and
`lingting broadcast_hourly`, so running it again stores nothing twice.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from lingting.core.models import User
from lingting.engine.csat import SurveyResult
from lingting.engine.occupancy import StateEvent
from lingting.interactions.models import Contact
from lingting.surveys.services.responses import survey_responses_import
from lingting.workforce.services import agent_states_import, broadcast_hour

SURVEY_SHARE = 0.35  # of answered calls, a customer answers the survey
SPLIT_SHIFT_GAP = timedelta(minutes=100)  # a longer gap between calls: logged out between
OTHER_WORK_GAP = timedelta(minutes=12)  # a shorter gap is spent ready for the next call
OTHER_WORK = ("工单处理", "外呼回访", "就餐", "培训", "会议")
OTHER_WORK_WEIGHTS = (5, 2, 1, 1, 1)
BREAK_AFTER = timedelta(minutes=90)  # 000 §1(2): a 10-minute 小休 after 1.5–2 hours
LONG_BREAK_AFTER = timedelta(hours=3, minutes=30)  # and 15 minutes after 3.5–4 hours
MISSING_LOGOUT_SHARE = 0.02  # agents forget to log out now and then: the page flags it
PRAISE = ("服务很好，谢谢", "解答很清楚，很耐心", "问题很快就解决了")
COMPLAINTS = (
    "等待时间太长",
    "问题没有解决",
    "客服态度不好",
    "解释不清楚，听不明白",
    "转了好几次才找到人",
)


@dataclass(frozen=True, slots=True)
class _Call:
    external_id: str
    agent: str
    answered_at: datetime
    ended_at: datetime
    acw_s: float
    score: float | None  # the automatic QA score: better agents please customers more


def demo_workforce(*, users: dict[str, User], months: list[date]) -> str:
    """Agent states for the last of `months` (logins around each agent's calls, breaks,
    after-call work, the odd forgotten logout), survey answers for about a third of the
    answered calls of all `months` (well-scored calls are rated higher), and the hourly
    broadcast of the latest demo day. `users` is the demo's accounts (unused: the
    broadcast reaches each team's own members). Returns a one-line summary."""
    del users
    tz = timezone.get_current_timezone()
    first, last = months[0], months[-1]
    start = datetime.combine(first, time(), tzinfo=tz)
    end = datetime.combine(_next_month(last), time(), tzinfo=tz)
    calls = _answered_calls(start, end)
    rng = random.Random(f"demo-workforce:{first}:{last}")
    last_month = [c for c in calls if c.answered_at >= datetime.combine(last, time(), tzinfo=tz)]
    states = agent_states_import(lines=((0, event) for event in _state_events(rng, last_month)))
    surveys = survey_responses_import(lines=((0, result) for result in _survey_results(rng, calls)))
    broadcasts = 0
    if calls:
        latest = timezone.localtime(calls[-1].answered_at).date()
        for hour in range(24):
            moment = datetime.combine(latest, time(hour), tzinfo=tz)
            broadcasts += len(broadcast_hour(hour_start=moment))
    return (
        f"workforce: {states.stored} agent state events stored "
        f"({states.already_stored} already there), {surveys.stored} survey answers "
        f"({surveys.updated} already there), {broadcasts} hourly broadcasts"
    )


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _answered_calls(start: datetime, end: datetime) -> list[_Call]:
    rows = (
        Contact.objects.filter(
            agent__isnull=False,
            answered_at__gte=start,
            answered_at__lt=end,
            ended_at__isnull=False,
        )
        .order_by("answered_at", "id")
        .values_list(
            "external_id", "agent__code", "answered_at", "ended_at", "acw_s", "current_score__score"
        )
    )
    return [
        _Call(external_id, agent, answered, ended, acw or 0.0, score)
        for external_id, agent, answered, ended, acw, score in rows.iterator(chunk_size=5000)
        if answered is not None and ended is not None
    ]


def _state_events(rng: random.Random, calls: list[_Call]) -> Iterator[StateEvent]:
    days: dict[tuple[str, date], list[_Call]] = defaultdict(list)
    for call in calls:
        days[(call.agent, timezone.localtime(call.answered_at).date())].append(call)
    for (agent, _day), day_calls in sorted(days.items()):
        yield from _agent_day(rng, agent, day_calls)


def _agent_day(rng: random.Random, agent: str, calls: list[_Call]) -> Iterator[StateEvent]:
    """One agent's day: sessions around their calls, with breaks in the gaps."""

    def event(state: str, at: datetime, reason: str = "", contact: str = "") -> StateEvent:
        return StateEvent(agent, state, at.replace(microsecond=0), reason, contact)

    forgets_logout = rng.random() < MISSING_LOGOUT_SHARE
    session_start: datetime | None = None
    last_break = datetime.min.replace(tzinfo=calls[0].answered_at.tzinfo)
    free_at = calls[0].answered_at - timedelta(seconds=1)
    for index, call in enumerate(calls):
        answered = max(call.answered_at, free_at + timedelta(seconds=1))
        if session_start is None:
            session_start = last_break = answered - timedelta(minutes=rng.randint(8, 20))
            yield event("login", session_start)
            yield event("ready", session_start + timedelta(minutes=rng.randint(1, 4)))
        ended = max(call.ended_at, answered + timedelta(seconds=1))
        yield event("busy", answered, contact=call.external_id)
        yield event("acw", ended)
        free_at = ended + timedelta(seconds=max(5.0, call.acw_s))
        following = calls[index + 1].answered_at if index + 1 < len(calls) else None
        if following is None or following - free_at > SPLIT_SHIFT_GAP:
            yield event("ready", free_at)
            if following is None and forgets_logout:
                return
            yield event("logout", free_at + timedelta(minutes=rng.randint(2, 10)))
            session_start = None
            continue
        free_at = max(ended, min(free_at, following - timedelta(seconds=1)))
        gap = following - free_at
        if gap <= timedelta(0):  # the next call came in during after-call work
            continue
        yield event("ready", free_at)
        cursor = free_at + timedelta(minutes=rng.randint(1, 2))
        if free_at - last_break >= BREAK_AFTER and gap >= timedelta(minutes=14):
            # 000 §1(2): 10 minutes after 1.5–2 hours, 15 after 3.5–4 hours.
            worked = free_at - last_break
            length = timedelta(minutes=15 if worked >= LONG_BREAK_AFTER else 10)
            length = min(length, following - cursor - timedelta(minutes=1))
            yield event("not_ready", cursor, "小休")
            cursor = last_break = cursor + length
        if following - cursor >= OTHER_WORK_GAP:
            # Between sparse calls agents do other work (work orders, callbacks, a meeting)
            # and are back in ready a few minutes before the next call comes in.
            reason = rng.choices(OTHER_WORK, weights=OTHER_WORK_WEIGHTS)[0]
            yield event("not_ready", cursor, reason)
            cursor = following - timedelta(minutes=rng.randint(1, 4))
        if cursor > free_at + timedelta(minutes=2):
            yield event("ready", cursor)


def _survey_results(rng: random.Random, calls: list[_Call]) -> Iterator[SurveyResult]:
    for call in calls:
        if rng.random() >= SURVEY_SHARE:
            continue
        quality = 0.6 if call.score is None else min(1.0, max(0.0, (call.score - 40) / 60))
        roll = rng.random()
        very, satisfied, neutral = 0.15 + 0.5 * quality, 0.25, 0.1 + 0.15 * (1 - quality)
        if roll < very:
            score = 5
        elif roll < very + satisfied:
            score = 4
        elif roll < very + satisfied + neutral:
            score = 3
        else:
            score = rng.choice((1, 2, 2))
        sms = rng.random() < 0.7
        delay = timedelta(minutes=rng.randint(1, 40)) if sms else timedelta(seconds=20)
        comment = ""
        if score <= 2 and rng.random() < 0.6:
            comment = rng.choice(COMPLAINTS)
        elif score == 5 and rng.random() < 0.15:
            comment = rng.choice(PRAISE)
        yield SurveyResult(
            contact_id=call.external_id,
            score=score,
            answered_at=(call.ended_at + delay).replace(microsecond=0),
            channel="sms" if sms else "ivr",
            comment=comment,
        )
