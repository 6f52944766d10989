"""Shift rosters with OR-Tools CP-SAT: who works which shift on which date, in which pool.

Seed 004 篇9 staffs a 24-hour 95598 line with language seats (普通话, 藏语安多, and 藏语康巴
once 玉树 joins) on 四班三运转; 篇10 shows what a careless roster costs (long days, little
rest, people leaving). `build_roster` takes the agents, the shift templates, the requirement
per (interval, queue) and the calendar, and returns the assignments, the coverage against the
requirement, each agent's hours against their caps and the solver's status and time.

**Time.** Shifts sit on an absolute axis (`lingting.engine.rotation`): a shift belongs to its
start date and covers the hours it runs, so a 22:00–06:00 shift of Monday staffs Tuesday
00:00–06:00. Times are the center's wall clock (naive datetimes; China keeps no summer time).

**Hard rules** (`RosterRules`, each its own `Rule` so an impossible plan can name it):
at most one shift a date; leave honoured (no shift at all on a leave date); at least 11 h of
rest between shifts; no morning shift within 48 h of the end of a night shift (no night→morning
turnaround); forward rotation (on consecutive dates a shift never starts earlier in the day
than the one before: 早 → 中 → 夜); at most 6 working days in a row (劳动法第三十八条: a day of
rest every week); weekly and monthly hour caps per agent (a weekly cap of 40 h under 标准工时,
none under 综合计算工时, where the month or the cycle is what counts); the fixed days (swaps,
fixed rotation days). The last shift before the plan (`Agent.last_shift`) counts for rest,
turnaround and rotation, and its hours into the first day count as coverage.

**Requirement.** Fractional agents per (interval, queue), from the first date's 00:00 to
the end of the last date's latest shift (its night covers the next morning). Rows for the
same interval and queue are added up first (two ACD queues served by one pool: 1.4 + 1.3 =
2.7 agents, so 3 people, not 2 + 2), and nothing is rounded until the solver counts whole
people. Coverage is counted in hundredths of an agent, a shift that covers part of an
interval counting for that part.

**Pools.** A multi-skilled agent (a bilingual 普通话/藏语安多 seat) is assigned to exactly one
pool for each shift worked, so they count once in every interval and never in two pools at once.

**Objective**, in two stages. First the least under-coverage (hundredths of an agent short,
per minute, times the requirement row's weight), which the solver proves within seconds
(`RosterResult.shortfall_optimal`: the shortfalls shown cannot be cut with these agents and
rules). Then, with the shortfall held there, in decreasing order of weight: changes from
the baseline (exceptions mode), agents below their contracted hours, over-coverage (so no
shift is added only to even out the counts), fairness among peers, preferences (shifts an
agent avoids or does not prefer, wished days off worked).
**Fairness** is among peers, agents serving the same pools (the 藏语康巴 seats share that
pool's every night whatever the 普通话 seats do), for nights (among those who may work them
without going against their preferences: who avoids nights is not made to take a share)
and shifts on rest days (weekends and official days off, make-up workdays 调休 being
workdays). Each agent's count is held to the group's fair share, its total shared out
evenly: ⌊share⌋ or ⌈share⌉ cost nothing, each night above or below costs. Per agent, rather
than the spread between the most and the fewest, because one night moved from an agent
above their share to one below lowers the cost at once, and the search finds the way.
The status is ``optimal`` when both stages are proven, ``feasible`` when the time limit
came first (`RosterRequest.time_limit_s`, 10 s by default, for the whole plan). The first
stage runs `RosterRequest.workers` workers (CP-SAT's bound-proving ones come only with about
8); the second, which mostly improves a roster by local search, one per core at most.

**Exceptions mode.** With a `baseline` (from `rotation_baseline`: the 四班三运转 days of each
agent's team) every agent-date that differs from it costs more than anything but
under-coverage, so the solver changes as few days as it must to honour leave, swaps (fixed
days) and holiday cover (a higher requirement on the holidays).

**When no roster exists** (the fixed days of an agent break a hard rule; every other rule
can always be kept by leaving a shift out), the status is ``infeasible`` and
`RosterResult.conflicts` says, per agent, which rules the fixed days break: each agent is
solved alone with one rule at a time, and where no single rule refuses the days, with one
rule at a time relaxed.

**Months.** A plan longer than `RosterRequest.block_days` (7) is solved a week at a time:
blocks of 7 dates from `first` (the last one what is left), each an ordinary model, solved
with the next block's first date as a look-ahead that is then dropped (so that a Sunday
night is chosen knowing Monday's 早 shifts exist, not as the only cover of Monday morning).
Each block carries in, per agent, what the ones before kept: the last shift and its pool
(whose hours count as coverage of the block's first morning, and which with the shifts
before it holds the rest, turnaround and rotation rules), the days worked in a row, the
hours already worked in the block's first Monday-to-Sunday week and calendar month (so the
caps hold for weeks and months that straddle a boundary: blocks need not start on a Monday),
the contracted hours still owed (shared over the dates left: the block owes its own dates'
part, its look-ahead date counting for coverage and the rules but not for the contracted
hours or fairness, which the next block counts), and the nights and rest-day shifts worked
so far, so that each block evens out the month's running totals, not its own.
Fixed days, leave and the baseline come with each block's dates. The blocks merge into one
`RosterResult`: the status is the worst block's, `shortfall_optimal` holds if it holds for
every block, the seconds add up, hours and changes are counted over the whole plan.
`time_limit_s` is the whole plan's: each block gets its share of the time left by its
number of dates (at least 5 s; a block that finds no roster in it tries once more with twice
the time). The price: a block cannot move a shift of one before it, so the month is not
globally optimal (a shortfall that an earlier week's choice could have avoided stays, and a
fixed day more than a day into the next block is not foreseen). In exchange each model is a
quarter of the month's, its least shortfall is proven sooner and its second stage gets
further in the same time (`benchmarks/roster_month.py`, 28 days of 60 agents on 2 busy
cores, 40 s: the same shortfall as one model given as long, proven least; in two runs,
nights among peers within 1 and rest-day shifts within 1–2, and 0–8 of the 9600
contracted hours missed, though each week's 40 h cap leaves none to spare).

The package's parts: `request` (the inputs and their checking, the rotation baseline),
`model` (the CP-SAT model), `blocks` (a long plan's blocks and what they carry), `solve`
(the two stages, the blocks merged, the answer, the conflicts) and `results` (what comes
back).
"""

from lingting.engine.rostering.request import (
    Agent,
    Need,
    RosterError,
    RosterRequest,
    RosterRules,
    Rule,
    rotation_baseline,
)
from lingting.engine.rostering.results import (
    AgentHours,
    Assignment,
    Change,
    Conflict,
    Coverage,
    HoursInPeriod,
    RosterResult,
    Shortfall,
    Status,
)
from lingting.engine.rostering.solve import build_roster

__all__ = [
    "Agent",
    "AgentHours",
    "Assignment",
    "Change",
    "Conflict",
    "Coverage",
    "HoursInPeriod",
    "Need",
    "RosterError",
    "RosterRequest",
    "RosterResult",
    "RosterRules",
    "Rule",
    "Shortfall",
    "Status",
    "build_roster",
    "rotation_baseline",
]
