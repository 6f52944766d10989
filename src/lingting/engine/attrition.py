"""Attrition (人员流失): headcount, hires and leavers per month and team, tenure, early
leavers, and how leavers performed in their last months against those who stayed.

Seed 004 篇10 (苏州A公司客服人员流失; the issue calls it 篇11, counting the file's title)
counts a center's leavers month by month ("根据2015年度各月离职统计…整年离职人数为89人…
客服部员工年总流失率约为32.5%") and traces why agents go: young staff who cannot take the
pressure, pay tied to volume, heavy workloads. Those are the questions this module answers
from employment records: how many leave, from which team, after how long, and whether their
figures had slipped before they went.

Definitions (the page and the API state the same):

- An employment runs from `hired_on` (first day on staff) to `left_on` (last day on staff),
  both included; no `left_on` means still on staff.
- Headcount at the start of a month: hired before its first day and not gone by it
  (hired_on < first ≤ left_on). At its end: hired_on ≤ last day < left_on. So a month's end
  headcount is always its start + hires − leavers.
- Hires and leavers of a month: hired_on, left_on within it.
- Average headcount: (start + end) ÷ 2 for a month; for a run of months, the mean of the
  months' averages.
- Attrition rate (流失率) = leavers ÷ average headcount. Annualised = the rate × 12 ÷ the
  number of months (a month's rate × 12; over twelve months it is the seed's 年流失率 itself).
- Early leaver: fewer than 90 days from hired_on to left_on; their share is of all leavers.
- Tenure bands, in completed calendar months: < 3, 3–6, 6–12, 12–24 (1–2 y), ≥ 24 (> 2 y);
  staff on staff at `as_of` measured then, leavers at their left_on.
- An agent without hired_on cannot be placed in any month: they are left out of every
  figure and listed in `undated`, never dropped silently; an employment that ends before it
  begins is listed in `problems` instead.

Leavers against stayers: each leaver's last three full calendar months on staff before
leaving (fewer for someone hired less than three months before), against the agents still
on staff at the end of the report's months, in the same calendar months. The stayers'
months are weighted by how many leavers are compared in each, so both sides cover the same
months; means are pooled (sums first, then the ratio, as the KPI engine does).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from lingting.engine.streaks import add_months, first_of_month, month_key

EARLY_LEAVER_DAYS = 90
WINDOW_MONTHS = 3  # the issue: "leavers' last three months of KPIs and QA"
MONTHS_PER_YEAR = 12
# (code, from, to) in completed months; `to` None: open-ended. The page names them.
TENURE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("lt_3m", 0, 3),
    ("3_6m", 3, 6),
    ("6_12m", 6, 12),
    ("1_2y", 12, 24),
    ("gt_2y", 24, None),
)


@dataclass(frozen=True, slots=True)
class Employment:
    """One agent's stay, as the center recorded it."""

    agent: str  # the agent's code (工号)
    team: str  # the team's name; "" for none
    hired_on: date | None
    left_on: date | None = None  # the last day on staff
    reason: str = ""  # why they left (the app's choice code), "" unknown
    name: str = ""


@dataclass(frozen=True, slots=True)
class EmploymentProblem:
    employment: Employment
    reason: str


@dataclass(frozen=True, slots=True)
class Headcount:
    """Headcount movement over one month or a run of `months` months."""

    months: int
    start: int
    end: int
    hires: int
    leavers: int
    early_leavers: int
    average: float  # average headcount (see the module's definitions)

    @property
    def rate(self) -> float | None:
        """Leavers ÷ average headcount; None with no one on staff."""
        return self.leavers / self.average if self.average else None

    @property
    def annualised(self) -> float | None:
        rate = self.rate
        return None if rate is None else rate * MONTHS_PER_YEAR / self.months

    @property
    def early_share(self) -> float | None:
        return self.early_leavers / self.leavers if self.leavers else None


@dataclass(frozen=True, slots=True)
class HeadcountRow:
    month: str | None  # "2026-10"; None: all the report's months together
    team: str | None  # the team ("" no team); None: every team together
    figures: Headcount


@dataclass(frozen=True, slots=True)
class TenureRow:
    team: str | None  # None: every team together
    staff: tuple[int, ...]  # on staff at `as_of`, one count per TENURE_BANDS entry
    leavers: tuple[int, ...]  # left within the report's months, tenure at leaving


@dataclass(frozen=True, slots=True)
class Leaver:
    employment: Employment
    hired_on: date
    left_on: date
    tenure_days: int
    early: bool
    band: str  # TENURE_BANDS code
    window: tuple[str, ...]  # the full months compared with the stayers, oldest first


@dataclass(frozen=True, slots=True)
class AttritionReport:
    first_month: date
    last_month: date
    as_of: date  # the staff's tenure is measured on this day
    months: tuple[HeadcountRow, ...]  # month by month: each team, then every team
    totals: tuple[HeadcountRow, ...]  # the whole run of months: each team, then every team
    tenure: tuple[TenureRow, ...]  # each team, then every team
    leavers: tuple[Leaver, ...]  # who left within the months, by left_on
    undated: tuple[Employment, ...]  # no hired_on: on staff in the months for all we know
    problems: tuple[EmploymentProblem, ...]


def attrition_report(
    employments: Iterable[Employment],
    *,
    first_month: date,
    last_month: date,
    as_of: date | None = None,
) -> AttritionReport:
    """The figures of the months `first_month`..`last_month` (any days in them). Teams come
    in the order they first appear in `employments`. `as_of` (default: the last month's
    last day) is the day the current staff's tenure is measured on."""
    first, last = first_of_month(first_month), first_of_month(last_month)
    if first > last:
        raise ValueError(f"the first month {month_key(first)} is after the last {month_key(last)}")
    range_end = add_months(last, 1) - timedelta(days=1)
    as_of = as_of or range_end
    dated, undated, problems = _sorted_out(employments, first)
    present = [e for e in dated if _overlaps(e, first, range_end)]
    teams = _teams(present)
    groups: list[tuple[str | None, list[_Dated]]] = [
        *((team, [e for e in present if e.team == team]) for team in teams),
        (None, present),
    ]
    month_starts = _months(first, last)
    months = tuple(
        HeadcountRow(month_key(month), team, _month_headcount(group, month))
        for month in month_starts
        for team, group in groups
    )
    totals = tuple(
        HeadcountRow(
            None, team, _combined([r.figures for r in months if r.team == team and r.month])
        )
        for team, _group in groups
    )
    tenure = tuple(_tenure_row(team, group, first, range_end, as_of) for team, group in groups)
    leavers = tuple(
        _leaver(e)
        for e in sorted(present, key=lambda e: (e.left_on or range_end, e.employment.agent))
        if e.left_on is not None and first <= e.left_on <= range_end
    )
    return AttritionReport(
        first, last, as_of, months, totals, tenure, leavers, tuple(undated), tuple(problems)
    )


@dataclass(frozen=True, slots=True)
class _Dated:
    """An employment with its hire date known (what every figure counts)."""

    employment: Employment
    hired_on: date

    @property
    def team(self) -> str:
        return self.employment.team

    @property
    def left_on(self) -> date | None:
        return self.employment.left_on


def _sorted_out(
    employments: Iterable[Employment], first: date
) -> tuple[list[_Dated], list[Employment], list[EmploymentProblem]]:
    """The dated employments; the undated ones that may have been on staff from `first`
    on (one gone before cannot matter to these months); the ones that end before they
    begin."""
    dated: list[_Dated] = []
    undated: list[Employment] = []
    problems: list[EmploymentProblem] = []
    for employment in employments:
        hired, left = employment.hired_on, employment.left_on
        if hired is None:
            if left is None or left >= first:
                undated.append(employment)
        elif left is not None and left < hired:
            problems.append(
                EmploymentProblem(employment, f"left on {left} before being hired on {hired}")
            )
        else:
            dated.append(_Dated(employment, hired))
    return dated, undated, problems


def _overlaps(employment: _Dated, first: date, last: date) -> bool:
    left = employment.left_on
    return employment.hired_on <= last and (left is None or left >= first)


def _teams(employments: Sequence[_Dated]) -> list[str]:
    return list(dict.fromkeys(e.team for e in employments))


def _months(first: date, last: date) -> list[date]:
    months = [first]
    while months[-1] < last:
        months.append(add_months(months[-1], 1))
    return months


def on_staff_at_end_of(employment: _Dated, day: date) -> bool:
    left = employment.left_on
    return employment.hired_on <= day and (left is None or left > day)


def tenure_days(hired_on: date, left_on: date) -> int:
    """Days from the first day to the last: hired 1 Oct, left 29 Dec is 89 days."""
    return (left_on - hired_on).days


def _month_headcount(employments: Sequence[_Dated], month: date) -> Headcount:
    last = add_months(month, 1) - timedelta(days=1)
    start = sum(on_staff_at_end_of(e, month - timedelta(days=1)) for e in employments)
    end = sum(on_staff_at_end_of(e, last) for e in employments)
    hires = sum(month <= e.hired_on <= last for e in employments)
    gone = [e for e in employments if e.left_on is not None and month <= e.left_on <= last]
    early = sum(tenure_days(e.hired_on, e.left_on) < EARLY_LEAVER_DAYS for e in gone if e.left_on)
    return Headcount(1, start, end, hires, len(gone), early, (start + end) / 2)


def _combined(months: Sequence[Headcount]) -> Headcount:
    """A run of months as one: the first start, the last end, the flows added up."""
    return Headcount(
        months=len(months),
        start=months[0].start,
        end=months[-1].end,
        hires=sum(m.hires for m in months),
        leavers=sum(m.leavers for m in months),
        early_leavers=sum(m.early_leavers for m in months),
        average=sum(m.average for m in months) / len(months),
    )


def completed_months(since: date, on: date) -> int:
    """Whole calendar months from `since` to `on`: 15 Jan → 14 Apr is 2, → 15 Apr is 3."""
    months = (on.year - since.year) * 12 + on.month - since.month
    return months - 1 if on.day < since.day else months


def tenure_band(since: date, on: date) -> str:
    months = completed_months(since, on)
    for code, low, high in TENURE_BANDS:
        if months >= low and (high is None or months < high):
            return code
    raise ValueError(f"{on} is before {since}")


def _band_counts(bands: Iterable[str]) -> tuple[int, ...]:
    counted = Counter(bands)
    return tuple(counted[code] for code, _low, _high in TENURE_BANDS)


def _tenure_row(
    team: str | None, employments: Sequence[_Dated], first: date, last: date, as_of: date
) -> TenureRow:
    staff = (tenure_band(e.hired_on, as_of) for e in employments if on_staff_at_end_of(e, as_of))
    leavers = (
        tenure_band(e.hired_on, e.left_on)
        for e in employments
        if e.left_on is not None and first <= e.left_on <= last
    )
    return TenureRow(team, _band_counts(staff), _band_counts(leavers))


def full_months_before_leaving(
    hired_on: date, left_on: date, count: int = WINDOW_MONTHS
) -> tuple[date, ...]:
    """The last `count` calendar months wholly on staff before leaving (first days, oldest
    first): left 31 May → March, April, May; left 15 May → February to April. A month
    begun before the hire day is not whole, so a recent hire has fewer."""
    after_last_full = first_of_month(left_on + timedelta(days=1))
    months = (add_months(after_last_full, -offset) for offset in range(count, 0, -1))
    return tuple(month for month in months if month >= hired_on)


def _leaver(employment: _Dated) -> Leaver:
    left = employment.left_on
    if left is None:
        raise ValueError(f"{employment.employment.agent} has not left")
    days = tenure_days(employment.hired_on, left)
    window = full_months_before_leaving(employment.hired_on, left)
    return Leaver(
        employment.employment,
        employment.hired_on,
        left,
        days,
        days < EARLY_LEAVER_DAYS,
        tenure_band(employment.hired_on, left),
        tuple(month_key(m) for m in window),
    )


# --- leavers against stayers ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MonthSums:
    """One agent's sums for one month (the daily tallies'): calls answered, handle time,
    and the QA score of record of their scored contacts."""

    answered: int = 0
    handle_count: int = 0
    handle_sum: float = 0.0  # seconds
    qa_scored: int = 0
    qa_score_sum: float = 0.0


@dataclass(frozen=True, slots=True)
class Performance:
    """Pooled figures of a set of agent-months (weighted: see the module's docstring)."""

    agents: int  # distinct agents with figures
    agent_months: int  # (weighted) agent-months with figures
    answered: int
    handle_count: int
    handle_sum: float
    qa_scored: int
    qa_score_sum: float

    @property
    def answered_per_month(self) -> float | None:
        return self.answered / self.agent_months if self.agent_months else None

    @property
    def handle_time_s(self) -> float | None:
        """Average handle time (通话均长), pooled: all handle seconds ÷ handled calls."""
        return self.handle_sum / self.handle_count if self.handle_count else None

    @property
    def qa_score(self) -> float | None:
        return self.qa_score_sum / self.qa_scored if self.qa_scored else None


def pooled(parts: Iterable[tuple[str, MonthSums, int]]) -> Performance:
    """(agent, month's sums, weight) added up into one `Performance`."""
    agents: set[str] = set()
    months = answered = handle_count = qa_scored = 0
    handle_sum = qa_score_sum = 0.0
    for agent, sums, weight in parts:
        agents.add(agent)
        months += weight
        answered += sums.answered * weight
        handle_count += sums.handle_count * weight
        handle_sum += sums.handle_sum * weight
        qa_scored += sums.qa_scored * weight
        qa_score_sum += sums.qa_score_sum * weight
    return Performance(
        len(agents), months, answered, handle_count, handle_sum, qa_scored, qa_score_sum
    )


@dataclass(frozen=True, slots=True)
class LeaverPerformance:
    leaver: Leaver
    own: Performance  # the leaver's window months
    stayers: Performance  # the stayers in the same months


@dataclass(frozen=True, slots=True)
class Comparison:
    leavers: Performance  # every leaver's window months
    stayers: Performance  # the stayers in those months, as often as leavers are compared
    per_leaver: tuple[LeaverPerformance, ...]


FigureBook = Mapping[tuple[str, str], MonthSums]  # (agent code, "2026-10") → the sums


def stayers_of(report: AttritionReport, employments: Iterable[Employment]) -> list[Employment]:
    """The dated employments still on staff at the end of the report's last month."""
    range_end = add_months(report.last_month, 1) - timedelta(days=1)
    return [
        e
        for e in employments
        if e.hired_on is not None
        and e.hired_on <= range_end
        and (e.left_on is None or e.left_on > range_end)
    ]


def compared_months(report: AttritionReport) -> list[str]:
    """Every month some leaver is compared in: the months whose figures are needed."""
    return sorted({month for leaver in report.leavers for month in leaver.window})


def leaver_comparison(
    report: AttritionReport, employments: Iterable[Employment], figures: FigureBook
) -> Comparison:
    """The report's leavers in their window months against the stayers in the same months
    (see the module's docstring). An agent-month without figures (no calls: leave, training)
    counts on neither side."""
    staying = stayers_of(report, employments)
    weights: Counter[str] = Counter(m for leaver in report.leavers for m in leaver.window)
    per_month: dict[str, list[tuple[str, MonthSums]]] = defaultdict(list)
    for employment in staying:
        for month in weights:
            sums = figures.get((employment.agent, month))
            whole_month = (
                employment.hired_on is not None and _month_start(month) >= employment.hired_on
            )
            if sums is not None and whole_month:
                per_month[month].append((employment.agent, sums))
    per_leaver = tuple(
        LeaverPerformance(
            leaver,
            pooled(_own_months(leaver, figures)),
            pooled((a, s, 1) for month in leaver.window for a, s in per_month[month]),
        )
        for leaver in report.leavers
    )
    return Comparison(
        leavers=pooled(p for leaver in report.leavers for p in _own_months(leaver, figures)),
        stayers=pooled((a, s, weights[m]) for m, rows in per_month.items() for a, s in rows),
        per_leaver=per_leaver,
    )


def _own_months(leaver: Leaver, figures: FigureBook) -> list[tuple[str, MonthSums, int]]:
    agent = leaver.employment.agent
    return [
        (agent, figures[agent, month], 1) for month in leaver.window if (agent, month) in figures
    ]


def _month_start(key: str) -> date:
    year, month = key.split("-")
    return date(int(year), int(month), 1)
