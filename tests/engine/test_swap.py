"""Shift swaps checked against the roster's hard rules, worked by hand on a week from Monday
12 October 2026 with 早 08:00–16:00, 中 16:00–24:00 and 夜 24:00–08:00 (the night after
the date): a give-away that fits, and one that breaks each rule with the figures that say
why; an exchange, on the same date or on two dates, checked for both people."""

from __future__ import annotations

from datetime import date, timedelta

from lingting.engine.rostering import Agent
from lingting.engine.rotation import ShiftTemplate
from lingting.engine.swap import Breach, Schedule, Swap, SwapRule, Worked, check_swap

MON = date(2026, 10, 12)
EARLY = ShiftTemplate.parse("早", "08:00-16:00")
LATE = ShiftTemplate.parse("中", "16:00-24:00")
NIGHT = ShiftTemplate("夜", timedelta(hours=24), timedelta(hours=8))
MANDARIN, AMDO = "普通话", "藏语安多"


def day(offset: int) -> date:
    return MON + timedelta(days=offset)


def shift(offset: int, template: ShiftTemplate = EARLY, queue: str = MANDARIN) -> Worked:
    return Worked(day(offset), template, queue)


def person(name: str, *shifts: Worked, **fields: object) -> Schedule:
    fields.setdefault("skills", frozenset({MANDARIN}))
    return Schedule(Agent(name, **fields), shifts)  # type: ignore[arg-type]


def rules_of(breaches: tuple[Breach, ...]) -> list[tuple[str, SwapRule, float | None]]:
    return [(b.agent_id, b.rule, b.amount) for b in breaches]


def test_a_give_away_that_fits_breaks_nothing() -> None:
    # B works 早 on Monday and takes A's 早 on Tuesday: 16 h of rest, same start.
    given = shift(1)
    swap = Swap(person("A", given), person("B", shift(0)), given)

    assert check_swap(swap) == ()


def test_a_morning_after_an_evening_leaves_8_hours_of_rest_and_rotates_backwards() -> None:
    # B's 中 ends Monday 24:00; A's 早 starts Tuesday 08:00: 8 h, and 早 starts before 中.
    given = shift(1)
    swap = Swap(person("A", given), person("B", shift(0, LATE)), given)

    breaches = check_swap(swap)

    assert rules_of(breaches) == [("B", SwapRule.REST, 8.0), ("B", SwapRule.FORWARD, None)]
    assert breaches[0].limit == 11.0
    assert str(breaches[0]) == "B: 10-13 早: 8 h of rest next to 10-12 中, at least 11 h"


def test_a_morning_within_48_hours_of_a_night_is_a_turnaround() -> None:
    # B's Monday night ends Tuesday 08:00; Wednesday's 早 comes 24 h later (rest enough).
    given = shift(2)
    swap = Swap(person("A", given), person("B", shift(0, NIGHT)), given)

    breaches = check_swap(swap)

    assert rules_of(breaches) == [("B", SwapRule.TURNAROUND, 24.0)]
    assert breaches[0].limit == 48.0


def test_a_seventh_day_in_a_row_is_refused() -> None:
    given = shift(6)
    taker = person("B", *(shift(n) for n in range(6)))

    breaches = check_swap(Swap(person("A", given), taker, given))

    assert rules_of(breaches) == [("B", SwapRule.CONSECUTIVE, 7)]
    assert breaches[0].limit == 6


def test_the_weekly_cap_holds_under_standard_hours_and_not_on_a_rotation() -> None:
    # Five 8-hour mornings are the 40 h of 标准工时; a sixth shift makes 48 h. A rotation
    # team (综合计算工时) has no weekly cap and may take it.
    given = shift(5)
    week = [shift(n) for n in range(5)]
    standard = person("B", *week, week_max_hours=40.0)
    rotating = person("R", *week, week_max_hours=None)

    assert rules_of(check_swap(Swap(person("A", given), standard, given))) == [
        ("B", SwapRule.WEEK_CAP, 48.0)
    ]
    assert check_swap(Swap(person("A", given), rotating, given)) == ()


def test_the_monthly_cap_counts_the_whole_month() -> None:
    given = shift(0)
    taker = person("B", shift(-10), shift(-5), month_max_hours=16.0)

    breaches = check_swap(Swap(person("A", given), taker, given))

    assert rules_of(breaches) == [("B", SwapRule.MONTH_CAP, 24.0)]


def test_the_taker_needs_the_pool_and_no_leave_and_a_free_date() -> None:
    given = shift(2, queue=AMDO)
    taker = person("B", shift(2, LATE), leave=frozenset({day(2)}))

    breaches = check_swap(Swap(person("A", given), taker, given))

    assert [b.rule for b in breaches] == [SwapRule.SKILL, SwapRule.LEAVE, SwapRule.SAME_DAY]
    assert breaches[2].other == shift(2, LATE)
    assert str(breaches[0]) == "B: 10-14 早: no skill for the pool 藏语安多"


def test_an_exchange_on_one_date_swaps_the_shifts_of_the_day() -> None:
    # A and B both work 早 on Monday; on Tuesday A gives 早 for B's 中. Neither ends up
    # with two shifts that day, and both keep forward rotation.
    given, returned = shift(1), shift(1, LATE)
    giver = person("A", shift(0), given)
    taker = person("B", shift(0), returned)

    assert check_swap(Swap(giver, taker, given, returned)) == ()
    # The other way round, B's 早 on Tuesday would follow his own 中 on Monday.
    late_monday = person("B", shift(0, LATE), returned)
    assert [b.rule for b in check_swap(Swap(giver, late_monday, given, returned))] == [
        SwapRule.REST,
        SwapRule.FORWARD,
    ]


def test_an_exchange_checks_what_the_giver_receives_too() -> None:
    # A works Mon–Wed and Fri–Mon with Thursday off; taking B's Thursday for her next
    # Monday leaves her Monday to Sunday in a row.
    week = [0, 1, 2, 4, 5, 6]
    given, returned = shift(7), shift(3)
    giver = person("A", *(shift(n) for n in week), given)
    taker = person("B", returned)

    breaches = check_swap(Swap(giver, taker, given, returned))

    assert rules_of(breaches) == [("A", SwapRule.CONSECUTIVE, 7)]


def test_hours_exchanged_within_a_week_at_its_cap_are_no_breach() -> None:
    # B is at 40 h (Mon–Thu and Sat); giving Saturday for A's Friday keeps 40 h.
    given, returned = shift(4), shift(5)
    taker = person("B", *(shift(n) for n in range(4)), returned, week_max_hours=40.0)

    assert check_swap(Swap(person("A", given), taker, given, returned)) == ()
