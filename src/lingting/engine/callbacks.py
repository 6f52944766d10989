"""Callback campaigns' calling rules (issue 17): who may be called now, what a call's
outcome means for the next one, and how a day's calls are shared among a team.

Seed 003 (Qingyang 10000) has every agent call back at least five zero-usage customers a
day and asks why they do not use the service; seed 000 calls back complainants. The
rules here are the ones a center must keep whoever dials:

- a do-not-call number is never dialled again: it is checked when the agent is about to
  call, not only when the list was made, and no later outcome lifts it;
- one number is not called by two campaigns within the campaign's rest days;
- calls only in the campaign's hours and days, inside the center's legal window;
- no answer and busy are tried again after a while, up to the campaign's attempts;
  "call back at …" waits for the time the customer named.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from lingting.engine.survey_invitations import in_quiet_hours

MIN_DAILY_QUOTA = 5  # seed 003: every agent calls back at least five customers a day


class Disposition(StrEnum):
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    WRONG_NUMBER = "wrong_number"
    REFUSED = "refused"
    CALL_BACK = "call_back"  # the customer asked to be called at another time
    DO_NOT_CALL = "do_not_call"  # the customer asked never to be called again


TRIED_AGAIN = frozenset({Disposition.NO_ANSWER, Disposition.BUSY})


class TargetState(StrEnum):
    OPEN = "open"  # to be called (now or at `next_try_at`)
    DONE = "done"  # the customer was reached
    CLOSED = "closed"  # not to be called again: refused, wrong number, attempts used up
    SUPPRESSED = "suppressed"  # on the do-not-call list


@dataclass(frozen=True, slots=True)
class RetryRule:
    attempts: int  # calls at most, the first included
    wait: timedelta  # after no answer or busy


@dataclass(frozen=True, slots=True)
class NextStep:
    state: TargetState
    next_try_at: datetime | None = None


def after_call(
    disposition: Disposition,
    *,
    attempts: int,
    at: datetime,
    rule: RetryRule,
    call_back_at: datetime | None = None,
) -> NextStep:
    """Where a campaign's customer stands after its `attempts`-th call ended as
    `disposition` at `at`. A call back at a named time is kept even on the last attempt
    (the customer asked for it); it is refused without a time after `at`."""
    if disposition is Disposition.DO_NOT_CALL:
        return NextStep(TargetState.SUPPRESSED)
    if disposition is Disposition.REACHED:
        return NextStep(TargetState.DONE)
    if disposition is Disposition.CALL_BACK:
        if call_back_at is None or call_back_at <= at:
            raise ValueError("a call back needs a time after the call")
        return NextStep(TargetState.OPEN, call_back_at)
    if disposition in TRIED_AGAIN and attempts < rule.attempts:
        return NextStep(TargetState.OPEN, at + rule.wait)
    return NextStep(TargetState.CLOSED)


@dataclass(frozen=True, slots=True)
class CallingHours:
    """When a campaign calls, in the customer's local time: [start, end) on `weekdays`
    (0 is Monday), never outside the center's legal window."""

    start: time
    end: time
    weekdays: frozenset[int]
    legal_start: time = time(8)
    legal_end: time = time(21)

    def allows(self, moment: datetime) -> bool:
        return (
            moment.weekday() in self.weekdays
            and not in_quiet_hours(moment, self.end, self.start)
            and not in_quiet_hours(moment, self.legal_end, self.legal_start)
        )


class CallVerdict(StrEnum):
    ALLOWED = "allowed"
    DO_NOT_CALL = "do_not_call"
    NO_NUMBER = "no_number"
    NOT_OPEN = "not_open"  # reached, closed or suppressed already
    NOT_YET = "not_yet"  # its retry or call-back time is still to come
    OUTSIDE_HOURS = "outside_hours"
    CALLED_ELSEWHERE = "called_elsewhere"  # another campaign called the number lately
    CAMPAIGN_NOT_RUNNING = "campaign_not_running"


@dataclass(frozen=True, slots=True)
class CallFacts:
    """What is known about one customer of a campaign at the moment of calling."""

    number: str
    state: TargetState
    next_try_at: datetime | None
    on_do_not_call_list: bool
    last_call_elsewhere: datetime | None  # the latest call to the number by another campaign


def call_verdict(
    facts: CallFacts,
    now: datetime,
    *,
    running: bool,
    hours: CallingHours,
    rest_days: int,
) -> CallVerdict:
    """Whether the agent may dial now; the first reason against, in the order a person
    would check: the list, the customer, the clock."""
    if facts.on_do_not_call_list:
        return CallVerdict.DO_NOT_CALL
    if not facts.number:
        return CallVerdict.NO_NUMBER
    if facts.state is not TargetState.OPEN:
        return CallVerdict.NOT_OPEN
    if not running:
        return CallVerdict.CAMPAIGN_NOT_RUNNING
    if facts.next_try_at is not None and facts.next_try_at > now:
        return CallVerdict.NOT_YET
    if not hours.allows(now):
        return CallVerdict.OUTSIDE_HOURS
    last = facts.last_call_elsewhere
    if last is not None and now - last < timedelta(days=rest_days):
        return CallVerdict.CALLED_ELSEWHERE
    return CallVerdict.ALLOWED


def share_out[Target: Hashable, Agent: Hashable](
    waiting: Sequence[Target],
    agents: Sequence[Agent],
    *,
    quota: int,
    holding: Mapping[Agent, int],
    preferred: Mapping[Target, Agent] | None = None,
) -> dict[Agent, list[Target]]:
    """A day's customers shared among the agents at work: each tops up to `quota` (what it
    `holding`s already counts), the one holding fewest served first so the split stays
    within one of even, and a customer goes back to the agent who called them before
    (`preferred`) where that agent has room. `waiting` is in the order to be called;
    customers beyond everyone's quota stay waiting for another day."""
    load = {agent: holding.get(agent, 0) for agent in agents}
    shares: dict[Agent, list[Target]] = {agent: [] for agent in agents}
    preferred = preferred or {}
    for target in waiting:
        own = preferred.get(target)
        if own is not None and own in load and load[own] < quota:
            chosen = own
        else:
            free = [agent for agent in agents if load[agent] < quota]
            if not free:
                break
            chosen = min(free, key=lambda agent: load[agent])
        shares[chosen].append(target)
        load[chosen] += 1
    return shares
