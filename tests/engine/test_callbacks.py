"""Callback campaigns' calling rules (issue 17): what each call's outcome means for the next,
the hours a number may be dialled, the reasons a call is refused, and a day's fair split."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from lingting.engine.callbacks import (
    CallFacts,
    CallingHours,
    CallVerdict,
    Disposition,
    NextStep,
    RetryRule,
    TargetState,
    after_call,
    call_verdict,
    share_out,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 12, 7, 15, 0, tzinfo=SHANGHAI)
SATURDAY = datetime(2026, 12, 12, 15, 0, tzinfo=SHANGHAI)
RULE = RetryRule(attempts=3, wait=timedelta(hours=2))
WEEKDAYS = CallingHours(time(9), time(20), frozenset(range(5)))
REST_DAYS = 7


def at(moment: datetime, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return moment.replace(hour=hour, minute=minute, second=second)


# after_call


@pytest.mark.parametrize("attempts", [1, 3, 9])
def test_do_not_call_suppresses_the_customer_whatever_the_attempt(attempts: int) -> None:
    step = after_call(Disposition.DO_NOT_CALL, attempts=attempts, at=MONDAY, rule=RULE)

    assert step == NextStep(TargetState.SUPPRESSED)


def test_a_reached_customer_is_done() -> None:
    assert after_call(Disposition.REACHED, attempts=1, at=MONDAY, rule=RULE) == NextStep(
        TargetState.DONE
    )


@pytest.mark.parametrize("disposition", [Disposition.NO_ANSWER, Disposition.BUSY])
def test_no_answer_or_busy_is_tried_again_after_the_wait_until_attempts_are_used_up(
    disposition: Disposition,
) -> None:
    first = after_call(disposition, attempts=1, at=MONDAY, rule=RULE)
    second = after_call(disposition, attempts=2, at=MONDAY, rule=RULE)
    last = after_call(disposition, attempts=3, at=MONDAY, rule=RULE)

    assert first == NextStep(TargetState.OPEN, MONDAY + timedelta(hours=2))
    assert second == NextStep(TargetState.OPEN, MONDAY + timedelta(hours=2))
    assert last == NextStep(TargetState.CLOSED)


def test_a_single_attempt_campaign_closes_after_no_answer() -> None:
    rule = RetryRule(attempts=1, wait=timedelta(hours=2))

    assert after_call(Disposition.NO_ANSWER, attempts=1, at=MONDAY, rule=rule) == NextStep(
        TargetState.CLOSED
    )


@pytest.mark.parametrize("disposition", [Disposition.WRONG_NUMBER, Disposition.REFUSED])
def test_a_wrong_number_or_a_refusal_closes_the_customer_at_once(
    disposition: Disposition,
) -> None:
    assert after_call(disposition, attempts=1, at=MONDAY, rule=RULE) == NextStep(TargetState.CLOSED)


@pytest.mark.parametrize("attempts", [1, 3])
def test_a_call_back_at_a_named_time_waits_for_it_even_on_the_last_attempt(
    attempts: int,
) -> None:
    tomorrow_morning = datetime(2026, 12, 8, 10, 30, tzinfo=SHANGHAI)

    step = after_call(
        Disposition.CALL_BACK,
        attempts=attempts,
        at=MONDAY,
        rule=RULE,
        call_back_at=tomorrow_morning,
    )

    assert step == NextStep(TargetState.OPEN, tomorrow_morning)


@pytest.mark.parametrize(
    "call_back_at", [None, MONDAY, MONDAY - timedelta(minutes=1)], ids=["none", "now", "past"]
)
def test_a_call_back_without_a_time_after_the_call_is_refused(
    call_back_at: datetime | None,
) -> None:
    with pytest.raises(ValueError, match="a call back needs a time after the call"):
        after_call(
            Disposition.CALL_BACK, attempts=1, at=MONDAY, rule=RULE, call_back_at=call_back_at
        )


# CallingHours


def test_calls_are_made_only_on_the_campaign_weekdays() -> None:
    assert WEEKDAYS.allows(MONDAY)
    assert not WEEKDAYS.allows(SATURDAY)
    assert CallingHours(time(9), time(20), frozenset({5})).allows(SATURDAY)


@pytest.mark.parametrize(
    ("hour", "minute", "second", "allowed"),
    [
        (8, 59, 59, False),
        (9, 0, 0, True),
        (19, 59, 59, True),
        (20, 0, 0, False),
        (22, 0, 0, False),
    ],
)
def test_calls_are_made_from_the_campaign_start_up_to_but_not_at_its_end(
    hour: int, minute: int, second: int, allowed: bool
) -> None:
    assert WEEKDAYS.allows(at(MONDAY, hour, minute, second)) is allowed


@pytest.mark.parametrize(
    ("hour", "minute", "allowed"),
    [
        (7, 0, False),
        (7, 59, False),
        (8, 0, True),
        (20, 59, True),
        (21, 0, False),
        (21, 30, False),
    ],
)
def test_the_legal_window_wins_over_wider_campaign_hours(
    hour: int, minute: int, allowed: bool
) -> None:
    early_and_late = CallingHours(time(7), time(22), frozenset(range(7)))

    assert early_and_late.allows(at(MONDAY, hour, minute)) is allowed


# call_verdict


def facts(**changes: object) -> CallFacts:
    known: dict[str, object] = {
        "number": "13800138000",
        "state": TargetState.OPEN,
        "next_try_at": None,
        "on_do_not_call_list": False,
        "last_call_elsewhere": None,
    }
    return CallFacts(**(known | changes))  # type: ignore[arg-type]


def verdict(target: CallFacts, now: datetime = MONDAY, *, running: bool = True) -> CallVerdict:
    return call_verdict(target, now, running=running, hours=WEEKDAYS, rest_days=REST_DAYS)


def test_an_open_customer_in_hours_may_be_called() -> None:
    assert verdict(facts()) is CallVerdict.ALLOWED


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"state": TargetState.DONE},
        {"number": ""},
        {"next_try_at": MONDAY + timedelta(hours=1)},
        {"last_call_elsewhere": MONDAY - timedelta(hours=1)},
    ],
)
def test_the_do_not_call_list_beats_every_other_reason(changes: dict[str, object]) -> None:
    target = facts(on_do_not_call_list=True, **changes)

    assert verdict(target) is CallVerdict.DO_NOT_CALL
    assert verdict(target, SATURDAY, running=False) is CallVerdict.DO_NOT_CALL


def test_the_reasons_against_come_in_the_order_a_person_checks_them() -> None:
    later = MONDAY + timedelta(hours=1)
    night = at(MONDAY, 22)

    assert verdict(facts(number="", state=TargetState.DONE)) is CallVerdict.NO_NUMBER
    assert verdict(facts(state=TargetState.CLOSED), running=False) is CallVerdict.NOT_OPEN
    assert verdict(facts(next_try_at=later), running=False) is CallVerdict.CAMPAIGN_NOT_RUNNING
    assert verdict(facts(next_try_at=night + timedelta(hours=1)), night) is CallVerdict.NOT_YET
    assert verdict(facts(last_call_elsewhere=night), night) is CallVerdict.OUTSIDE_HOURS


@pytest.mark.parametrize("state", [TargetState.DONE, TargetState.CLOSED, TargetState.SUPPRESSED])
def test_a_customer_no_longer_open_is_not_called(state: TargetState) -> None:
    assert verdict(facts(state=state)) is CallVerdict.NOT_OPEN


def test_a_customer_is_not_called_before_their_retry_time_and_is_at_it() -> None:
    target = facts(next_try_at=MONDAY + timedelta(minutes=30))

    assert verdict(target) is CallVerdict.NOT_YET
    assert verdict(target, MONDAY + timedelta(minutes=30)) is CallVerdict.ALLOWED


def test_a_number_called_by_another_campaign_rests_for_the_rest_days() -> None:
    within = facts(last_call_elsewhere=MONDAY - timedelta(days=REST_DAYS) + timedelta(seconds=1))
    rested = facts(last_call_elsewhere=MONDAY - timedelta(days=REST_DAYS))

    assert verdict(within) is CallVerdict.CALLED_ELSEWHERE
    assert verdict(rested) is CallVerdict.ALLOWED


# share_out


def shared(shares: dict[str, list[int]]) -> list[int]:
    return sorted(target for targets in shares.values() for target in targets)


@pytest.mark.parametrize("waiting", [0, 4, 12, 13, 20])
def test_no_agent_goes_over_quota_and_the_rest_wait_for_another_day(waiting: int) -> None:
    holding = {"王芳": 2, "赵磊": 0, "孙丽": 5}

    shares = share_out(list(range(waiting)), ["王芳", "赵磊", "孙丽"], quota=5, holding=holding)

    assert all(holding[agent] + len(targets) <= 5 for agent, targets in shares.items())
    free_room = 3 + 5 + 0
    assert shared(shares) == list(range(min(waiting, free_room)))  # the first in line


@pytest.mark.parametrize("waiting", [1, 5, 7, 11, 15])
def test_the_split_stays_within_one_of_even(waiting: int) -> None:
    shares = share_out(list(range(waiting)), ["王芳", "赵磊", "孙丽"], quota=5, holding={})

    sizes = [len(targets) for targets in shares.values()]
    assert max(sizes) - min(sizes) <= 1
    assert sum(sizes) == waiting


def test_seven_customers_among_three_agents_go_round_in_their_order() -> None:
    shares = share_out(list("ABCDEFG"), ["王芳", "赵磊", "孙丽"], quota=5, holding={})

    assert shares == {"王芳": list("ADG"), "赵磊": list("BE"), "孙丽": list("CF")}


def test_customers_already_held_count_against_the_quota() -> None:
    shares = share_out(list(range(6)), ["王芳", "赵磊"], quota=5, holding={"王芳": 4})

    assert shares == {"王芳": [4], "赵磊": [0, 1, 2, 3, 5]}


def test_every_agent_at_quota_shares_nothing() -> None:
    shares = share_out([1, 2], ["王芳", "赵磊"], quota=5, holding={"王芳": 5, "赵磊": 6})

    assert shares == {"王芳": [], "赵磊": []}


def test_a_customer_goes_back_to_the_agent_who_called_them_when_they_have_room() -> None:
    shares = share_out(
        ["C1", "C2", "C3"],
        ["王芳", "赵磊"],
        quota=5,
        holding={"赵磊": 4},
        preferred={"C2": "赵磊"},
    )

    assert shares == {"王芳": ["C1", "C3"], "赵磊": ["C2"]}


def test_a_preferred_agent_at_quota_or_absent_leaves_the_customer_to_someone_else() -> None:
    full = share_out(
        ["C1"], ["王芳", "赵磊"], quota=5, holding={"赵磊": 5}, preferred={"C1": "赵磊"}
    )
    absent = share_out(
        ["C1", "C2"], ["王芳", "赵磊"], quota=5, holding={}, preferred={"C1": "李娜"}
    )

    assert full == {"王芳": ["C1"], "赵磊": []}
    assert absent == {"王芳": ["C1"], "赵磊": ["C2"]}
    assert "李娜" not in absent


def test_each_agent_calls_their_customers_in_the_waiting_order() -> None:
    waiting = [f"C{n}" for n in range(10, 0, -1)]

    shares = share_out(
        waiting, ["王芳", "赵磊"], quota=6, holding={}, preferred={"C1": "王芳", "C5": "王芳"}
    )

    for targets in shares.values():
        assert targets == sorted(targets, key=waiting.index)
    assert shares == {
        "王芳": ["C10", "C8", "C6", "C5", "C2", "C1"],
        "赵磊": ["C9", "C7", "C4", "C3"],
    }


def test_a_preferred_customer_late_in_line_loses_their_agent_once_the_split_fills_them() -> None:
    waiting = [f"C{n}" for n in range(10, 0, -1)]

    shares = share_out(waiting, ["王芳", "赵磊"], quota=5, holding={}, preferred={"C1": "王芳"})

    assert shares == {
        "王芳": ["C10", "C8", "C6", "C4", "C2"],
        "赵磊": ["C9", "C7", "C5", "C3", "C1"],
    }
