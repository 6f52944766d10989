"""The CP-SAT model of a roster: one 0/1 variable per agent, date and shift template that
the agent may work, one per pool for a multi-skilled agent's shift, the hard rules as
constraints and the objective in two parts (the shortfall, then the rest).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ortools.sat.python import cp_model

from lingting.engine.rostering.request import (
    DAY,
    HUNDREDTHS,
    Agent,
    Plan,
    RosterRules,
    Rule,
    minutes_of,
    month_of,
    week_of,
)
from lingting.engine.rotation import ShiftTemplate

# Objective weights, per unit named; the order is the objective's order of importance.
UNDER_WEIGHT = 1000  # per hundredth of an agent short for a minute (× the row's weight)
CHANGE_WEIGHT = 1_000_000  # per agent-date changed from the baseline
MIN_HOURS_WEIGHT = 200  # per minute an agent works below their contracted minimum
OVER_WEIGHT = 1  # per hundredth of an agent scheduled for a minute (see `_coverage`)
FAIRNESS_WEIGHT = 20_000  # per night (or rest-day shift) an agent is off their fair share
PREFERENCE_WEIGHT = 5_000  # per shift against an agent's preferences

Count = tuple[int, cp_model.LinearExpr]  # (before the plan, in the plan) of one agent


@dataclass(frozen=True, slots=True)
class Candidate:
    """A shift an agent may work: its 0/1 variable and, per pool, the literal of working it
    in that pool."""

    agent: Agent
    day: date
    template: ShiftTemplate
    works: cp_model.IntVar
    pools: dict[str, cp_model.IntVar]

    @property
    def start(self) -> datetime:
        return self.template.span_on(self.day)[0]


class RosterModel:
    """The CP-SAT model of a plan, for some of its agents, with some rules relaxed.

    The full model (every agent, no rule relaxed, coverage and objective) finds the roster;
    one agent alone without coverage or objective, with one rule relaxed, tells whether that
    rule is what makes the agent's fixed days impossible.
    """

    def __init__(
        self, plan: Plan, agents: Sequence[Agent], *, relaxed: frozenset[Rule], optimise: bool
    ) -> None:
        self.plan = plan
        self.relaxed = relaxed
        self.model = cp_model.CpModel()
        self.candidates: dict[str, list[Candidate]] = {}
        self.carried: list[Candidate] = []  # last shifts before the plan that reach into it
        self.shortfall = Costs()  # under-coverage: what the first stage minimises
        self.costs = Costs()  # the rest of the objective: the second stage's
        forbidden = forbidden_pairs(list(plan.templates.values()), plan.request.rules)
        for agent in agents:
            self.candidates[agent.id] = self._candidates(agent, pools=optimise)
            self._rules(agent, forbidden)
        if optimise:
            self.carried = [c for agent in agents if (c := self._carried_in(agent))]
            self._coverage()
            self._goals(agents)

    def all_candidates(self) -> Iterable[Candidate]:
        return (candidate for mine in self.candidates.values() for candidate in mine)

    def decisions(self) -> Iterable[cp_model.IntVar]:
        """The variables a roster is made of (the others follow from them)."""
        for candidate in self.all_candidates():
            yield candidate.works
            yield from (pool for pool in candidate.pools.values() if pool is not candidate.works)

    def _cost(self, variable: cp_model.IntVar, weight: int) -> None:
        self.costs.add(variable, weight)

    def _hard(self, rule: Rule, constraint: cp_model.BoundedLinearExpression | bool) -> None:
        """Add a rule's constraint unless the rule is relaxed."""
        if rule not in self.relaxed:
            self.model.add(constraint)

    def _candidates(self, agent: Agent, *, pools: bool) -> list[Candidate]:
        skills = sorted(agent.skills & set(self.plan.queues))
        mine = []
        for day in self.plan.request.days:
            if day in agent.leave:
                continue
            today = [
                Candidate(
                    agent, day, template, self.model.new_bool_var(f"{agent.id} {day} {code}"), {}
                )
                for code, template in self.plan.templates.items()
                if agent.shifts is None or code in agent.shifts
            ]
            self.model.add_at_most_one(candidate.works for candidate in today)
            mine += today
        if pools:
            for candidate in mine:
                candidate.pools.update(self._pools(candidate.works, skills))
        return mine

    def _pools(self, works: cp_model.IntVar, skills: list[str]) -> dict[str, cp_model.IntVar]:
        """One literal per pool: the shift itself for a single pool, else exactly one pool
        for a shift worked and none for a shift not worked."""
        if len(skills) == 1:
            return {skills[0]: works}
        pools = {skill: self.model.new_bool_var(f"{works.name} in {skill}") for skill in skills}
        if pools:
            self.model.add(sum(pools.values()) == works)
        return pools

    # -- hard rules

    def _rules(self, agent: Agent, forbidden: Pairs) -> None:
        by_day: dict[date, list[Candidate]] = {}
        for candidate in self.candidates[agent.id]:
            by_day.setdefault(candidate.day, []).append(candidate)
        self._pairs(agent, by_day, forbidden)
        self._consecutive(agent, by_day)
        self._caps(agent)
        self._fixed(agent, by_day)

    def _pairs(self, agent: Agent, by_day: dict[date, list[Candidate]], forbidden: Pairs) -> None:
        """Rest, turnaround and forward rotation: pairs of shifts an agent may not work."""
        for day, today in by_day.items():
            for gap in range(1, forbidden.max_gap + 1):
                for later in by_day.get(day + DAY * gap, []):
                    for earlier in today:
                        if forbidden.breaks(gap, earlier.template, later.template, self.relaxed):
                            self.model.add_bool_or(~earlier.works, ~later.works)
            for before, code in filter(None, (agent.last_shift, *agent.earlier_shifts)):
                template = self.plan.templates[code]
                for candidate in today:
                    gap = (day - before).days
                    if forbidden.breaks(gap, template, candidate.template, self.relaxed):
                        self.model.add(candidate.works == 0)

    def _consecutive(self, agent: Agent, by_day: dict[date, list[Candidate]]) -> None:
        """Every run of `max_consecutive_days` + 1 dates holds a day off, counting the days
        worked in a row just before the plan."""
        limit = self.plan.request.rules.max_consecutive_days
        days = self.plan.request.days
        worked = [sum(c.works for c in by_day.get(day, [])) for day in days]
        for first in range(len(days) - limit):
            self._hard(Rule.CONSECUTIVE, sum(worked[first : first + limit + 1]) <= limit)
        before = min(agent.days_worked_before, limit)
        if before:
            self._hard(Rule.CONSECUTIVE, sum(worked[: limit + 1 - before]) <= limit - before)

    def _caps(self, agent: Agent) -> None:
        """Weekly and monthly caps, in whole minutes (40 h: 2400 minutes), less the hours
        worked before the plan in its first week and month."""
        first = self.plan.request.first
        for rule, cap, period_of, before in (
            (Rule.WEEK_CAP, agent.week_max_hours, week_of, agent.week_hours_before),
            (Rule.MONTH_CAP, agent.month_max_hours, month_of, agent.month_hours_before),
        ):
            if cap is None:
                continue
            periods: dict[date, list[Candidate]] = {}
            for candidate in self.candidates[agent.id]:
                periods.setdefault(period_of(candidate.day), []).append(candidate)
            for period, worked in periods.items():
                left = cap - before if period == period_of(first) else cap
                minutes = sum(minutes_of(c.template.length) * c.works for c in worked)
                self._hard(rule, minutes <= math.floor(left * 60 + 1e-9))

    def _fixed(self, agent: Agent, by_day: dict[date, list[Candidate]]) -> None:
        for day, code in agent.fixed.items():
            today = by_day.get(day, [])
            if code is None:
                self._hard(Rule.FIXED, sum(c.works for c in today) == 0)
            else:
                self._hard(Rule.FIXED, sum(c.works for c in today if c.template.code == code) == 1)

    # -- coverage and objective

    def _carried_in(self, agent: Agent) -> Candidate | None:
        """The last shift before the plan, when it still covers the plan's first hours."""
        if agent.last_shift is None:
            return None
        day, code = agent.last_shift
        template = self.plan.templates[code]
        if template.span_on(day)[1] <= datetime.combine(self.plan.request.first, time()):
            return None
        skills = sorted(agent.skills & set(self.plan.queues))
        if agent.last_queue in skills:  # worked in a known pool: it counts there only
            skills = [agent.last_queue]
        worked = self.model.new_constant(1)
        return Candidate(agent, day, template, worked, self._pools(worked, skills))

    def _coverage(self) -> None:
        plan = self.plan
        terms: dict[tuple[int, str], list[tuple[cp_model.IntVar, int]]] = {}
        for candidate in [*self.all_candidates(), *self.carried]:
            for index, share in interval_shares(plan, candidate.start, candidate.template.length):
                for queue, literal in candidate.pools.items():
                    terms.setdefault((index, queue), []).append((literal, share))
        minutes = minutes_of(plan.request.interval)
        # Over-coverage. The second stage holds the shortfall at its least, so every agent-
        # minute scheduled is either one the requirement asks for (a fixed number) or one
        # over it (over = scheduled − required + short, summed): counting the minutes
        # scheduled counts those over, linear in the shifts, with no variable per interval.
        for covered in terms.values():
            for literal, share in covered:
                self._cost(literal, OVER_WEIGHT * minutes * share)
        for key, required in plan.required.items():
            covered = terms.get(key, [])
            literals = [literal for literal, _ in covered]
            shares = [share for _, share in covered]
            scheduled = cp_model.LinearExpr.weighted_sum(literals, shares)
            self.shortfall.add(self._shortfall(scheduled, required, plan.weights[key]), minutes)

    def _shortfall(
        self, scheduled: cp_model.LinearExprT, required: int, weight: int
    ) -> cp_model.IntVar:
        """The cost of `scheduled` hundredths short of `required`: UNDER_WEIGHT × `weight`
        per hundredth.

        People come whole, so for a requirement of 2.3 agents the choice is 2 (0.3 short)
        or 3 (none short). The cost lies above the chord between those two whole counts
        too: without it the solver's bound would price 2.3 agents as 2.3 people, and it
        could seldom prove a roster's shortfall the least.
        """
        under = UNDER_WEIGHT * weight
        whole, part = divmod(required, HUNDREDTHS)
        cost = self.model.new_int_var(0, under * required, "shortfall")
        self.model.add(cost >= under * (required - scheduled))
        if part:  # from (whole, under × part) to (whole + 1, 0); ×100 keeps the slope whole
            floor = whole * HUNDREDTHS
            self.model.add(HUNDREDTHS * cost >= under * part * (HUNDREDTHS - (scheduled - floor)))
        return cost

    def _goals(self, agents: Sequence[Agent]) -> None:
        request = self.plan.request
        last = request.counted_last or request.last
        nights: dict[frozenset[str], list[Count]] = defaultdict(list)  # per peer group
        rest_days: dict[frozenset[str], list[Count]] = defaultdict(list)
        for agent in agents:
            mine = self.candidates[agent.id]
            for candidate in mine:
                self._cost(candidate.works, preference_cost(candidate))
            counted = [c for c in mine if c.day <= last]
            self._min_hours(agent, counted)
            # The counts run on from those before the plan: over a month built in blocks,
            # each block evens out the month's totals so far, not its own. Nights are shared
            # among those who may work them without going against their preferences.
            if may_work_nights(agent, self.plan.templates.values()):
                night_shifts = cp_model.LinearExpr.sum(
                    [c.works for c in counted if c.template.is_night]
                )
                nights[agent.skills].append((agent.nights_before, night_shifts))
            on_rest_days = cp_model.LinearExpr.sum(
                [c.works for c in counted if not request.calendar.is_workday(c.day)]
            )
            rest_days[agent.skills].append((agent.rest_days_worked_before, on_rest_days))
        for peers in nights.values():
            self._share(peers, "nights")
        for peers in rest_days.values():
            self._share(peers, "rest-day shifts")
        if request.baseline is not None:
            self._changes(request.baseline)

    def _share(self, counts: Sequence[Count], what: str) -> None:
        """Fairness among peers, agents who serve the same pools: each agent's distance
        from their fair share, the group's total (before the plan and in it) shared out
        evenly, ⌊share⌋ or ⌈share⌉ each (8 nights among 3 peers: 2, 3 and 3 cost nothing).

        Per agent, not the spread between the most and the fewest: moving one night from an
        agent above their share to one below it lowers the cost at once, where a spread
        lowers only when every agent at the top comes down, so the search finds its way.
        Among peers only: the five 藏语康巴 seats share that pool's every night between them
        whatever the 普通话 seats do.
        """
        if len(counts) < 2:
            return
        ceiling = len(self.plan.request.days) + max(before for before, _ in counts)
        total = sum(before + count for before, count in counts)
        share = self.model.new_int_var(0, ceiling, f"share of {what}")  # ⌊total / peers⌋
        self.model.add(len(counts) * share <= total)
        self.model.add(total <= len(counts) * share + len(counts) - 1)
        for before, count in counts:
            above = self.model.new_int_var(0, ceiling, f"{what} above the share")
            below = self.model.new_int_var(0, ceiling, f"{what} below the share")
            self.model.add(above + share + 1 >= count + before)
            self.model.add(below + count + before >= share)
            self._cost(above, FAIRNESS_WEIGHT)
            self._cost(below, FAIRNESS_WEIGHT)

    def _min_hours(self, agent: Agent, mine: list[Candidate]) -> None:
        """Contracted hours: each minute below them costs, so that an agent works their
        hours even where the requirement does not ask for them (soft: leave may forbid)."""
        if agent.min_hours is None:
            return
        target = round(agent.min_hours * 60)
        worked = sum(minutes_of(c.template.length) * c.works for c in mine)
        below = self.model.new_int_var(0, target, f"{agent.id} below minimum")
        self.model.add(worked + below >= target)
        self._cost(below, MIN_HOURS_WEIGHT)

    def _changes(self, baseline: Mapping[tuple[str, date], str | None]) -> None:
        """A date changes when the baseline's shift is not worked (the cost below, less a
        constant) or when a shift is worked where the baseline has a day off."""
        for candidate in self.all_candidates():
            planned = baseline.get((candidate.agent.id, candidate.day))
            kept = planned == candidate.template.code
            if kept or planned is None:
                self._cost(candidate.works, -CHANGE_WEIGHT if kept else CHANGE_WEIGHT)
            self.model.add_hint(candidate.works, kept)


def interval_shares(plan: Plan, start: datetime, length: timedelta) -> Iterable[tuple[int, int]]:
    """(interval index, hundredths of the interval covered) for a shift, inside the plan."""
    interval = plan.request.interval
    origin = datetime.combine(plan.request.first, time())
    end = start + length
    first = max(0, (start - origin) // interval)
    last = min(plan.intervals - 1, (end - origin - timedelta(microseconds=1)) // interval)
    for index in range(first, last + 1):
        begins = origin + interval * index
        overlap = min(end, begins + interval) - max(start, begins)
        if overlap > timedelta(0):
            yield index, round(HUNDREDTHS * overlap / interval)


class Costs:
    """Terms of an objective, one weight per variable."""

    def __init__(self) -> None:
        self.terms: dict[int, tuple[cp_model.IntVar, int]] = {}

    def add(self, variable: cp_model.IntVar, weight: int) -> None:
        held = self.terms.get(variable.index)
        self.terms[variable.index] = (variable, weight + (held[1] if held else 0))

    def expression(self) -> cp_model.LinearExpr:
        variables = [variable for variable, _ in self.terms.values()]
        return cp_model.LinearExpr.weighted_sum(variables, [w for _, w in self.terms.values()])


def preference_cost(candidate: Candidate) -> int:
    """A shift the agent avoids, one outside those they prefer, one on a wished day off."""
    agent, code = candidate.agent, candidate.template.code
    against = (
        code in agent.avoids,
        bool(agent.prefers) and code not in agent.prefers,
        candidate.day in agent.wishes_off,
    )
    return PREFERENCE_WEIGHT * sum(against)


def may_work_nights(agent: Agent, templates: Collection[ShiftTemplate]) -> bool:
    """Whether the agent has a night shift they may work without going against their
    preferences: those who avoid nights (or prefer other shifts) are left out of sharing
    them, not made to take their share."""
    return any(
        template.is_night
        and (agent.shifts is None or template.code in agent.shifts)
        and template.code not in agent.avoids
        and (not agent.prefers or template.code in agent.prefers)
        for template in templates
    )


@dataclass(frozen=True, slots=True)
class Pairs:
    """Pairs of shifts on dates `gap` days apart that break rules: (gap, earlier code,
    later code) → the rules broken."""

    rules: dict[tuple[int, str, str], frozenset[Rule]]
    max_gap: int

    def breaks(
        self, gap: int, earlier: ShiftTemplate, later: ShiftTemplate, relaxed: frozenset[Rule]
    ) -> bool:
        """Whether the pair breaks a rule that is not relaxed."""
        broken = self.rules.get((gap, earlier.code, later.code), frozenset())
        return bool(broken - relaxed)


def forbidden_pairs(templates: list[ShiftTemplate], rules: RosterRules) -> Pairs:
    """Every pair of templates on dates up to `max_gap` apart, checked once for the rest,
    turnaround and forward-rotation rules (the same for every agent and date)."""
    longest_rest = max(rules.min_rest, rules.night_to_morning_rest)
    max_gap = math.ceil(longest_rest / DAY) + 2  # a shift ends at most 2 days after its date
    pairs: dict[tuple[int, str, str], frozenset[Rule]] = {}
    anchor = date(2001, 1, 1)
    for gap in range(1, max_gap + 1):
        for earlier in templates:
            for later in templates:
                rest = later.span_on(anchor + DAY * gap)[0] - earlier.span_on(anchor)[1]
                broken = set()
                if rest < rules.min_rest:
                    broken.add(Rule.REST)
                if earlier.is_night and later.is_morning and rest < rules.night_to_morning_rest:
                    broken.add(Rule.TURNAROUND)
                if gap == 1 and rules.forward_rotation and later.start < earlier.start:
                    broken.add(Rule.FORWARD)
                if broken:
                    pairs[(gap, earlier.code, later.code)] = frozenset(broken)
    return Pairs(pairs, max_gap)
