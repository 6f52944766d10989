"""A pool's opening hours and its minimum seats (issue 14).

A small pool on a 24-hour line (a language queue taking a handful of calls a day) answers
around the clock, yet its history has calls in few of its intervals: learned from that
history (`queue_history`: an interval is open where calls came on enough of its weekday's
days), its quiet intervals read as closed, nothing is forecast for them and nobody is
rostered there. Two settings of a queue's staffing policy say what the history cannot:

- **Opening hours.** `LEARNED` (open where the history had calls, the default) or
  `AROUND_THE_CLOCK`: every interval of every day is open, and one nobody called in is a
  zero of the history, so its forecast is near zero, not missing.
- **Minimum agents** in every open interval: a language seat that must always be manned.
  The requirement is the larger of the staffing answer and the minimum (whole agents, and
  the fractional requirement that rosters add up never below it either), with the queue's
  figures at the agents required.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache

from lingting.engine.staffing import Queue, StaffingResult, Targets, evaluate, staff


class OpenHours(StrEnum):
    LEARNED = "learned"
    AROUND_THE_CLOCK = "around_the_clock"


# A month's requirement solves ~1,500 intervals, and every look at a plan, roster or the
# occupancy asks again: the same queue and targets give the same (immutable) answer.
@lru_cache(maxsize=1 << 16)
def staff_at_least(queue: Queue, targets: Targets, minimum: int) -> StaffingResult:
    """The fewest agents meeting every target, and never fewer than `minimum`.

    An interval with no traffic at all needs the minimum alone (the targets say nothing
    there). ErlangError as `staff` where no count meets the targets."""
    if minimum < 0:
        raise ValueError(f"a minimum of agents cannot be negative, not {minimum}")
    if queue.traffic == 0 and minimum:
        return StaffingResult(minimum, float(minimum), evaluate(queue, minimum))
    answer = staff(queue, targets)
    if answer.agents >= minimum:
        return StaffingResult(
            answer.agents, max(answer.fractional_agents, float(minimum)), answer.figures
        )
    return StaffingResult(minimum, float(minimum), evaluate(queue, minimum))
