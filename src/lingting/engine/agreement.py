"""Calibration (校准): how far reviewers agree when they score the same contacts.

In a calibration session several reviewers score the same handful of contacts (the units) on
the same scorecard, and the QA supervisor may then fix the agreed answer. A pass rate is only
as trustworthy as the reviewers behind it, so this module gives the supervisor the figures:

- per scorecard item, the share of contacts where everyone agreed and Krippendorff's alpha
  (nominal) over the outcomes, which discounts the agreement that chance alone would give;
- alpha (interval) over the contacts' total scores;
- per reviewer, how far their totals sit from the consensus, in which direction, and on how
  many items they differ from the consensus outcome: who needs the next coaching talk.

Alpha comes from the maintained `krippendorff` package, not a formula of our own.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import krippendorff
import numpy as np


@dataclass(frozen=True, slots=True)
class ItemAgreement:
    """How far the reviewers agree on one scorecard item.

    Only contacts that at least two reviewers rated on the item count (`units`): agreement
    needs a pair. `percent_agreement` is the share of those where every reviewer gave the same
    outcome; None when there are none. `alpha` is nominal Krippendorff's alpha over the
    outcomes ("na" is an outcome like the others: disagreeing on whether an item applies is a
    disagreement). It is None where alpha is undefined: no contact rated by two reviewers, or
    no variation at all (everyone answered "pass" everywhere, so chance agreement is perfect
    and alpha is 0/0); read `percent_agreement` then.
    """

    item: str
    percent_agreement: float | None
    alpha: float | None
    units: int


@dataclass(frozen=True, slots=True)
class ReviewerDeviation:
    """One reviewer against the consensus.

    The deviations average (reviewer's total − consensus total) over the `units` contacts they
    scored that have a consensus worth comparing with: an agreed total, or totals from at least
    two reviewers (alone on a contact, a reviewer is their own median). A positive
    `mean_signed_deviation` means the reviewer scores higher than the consensus (more
    lenient), a negative one lower (harsher). Both are None when `units` is 0.
    `item_disagreements` counts (contact, item) pairs where the reviewer's outcome differs from
    the consensus outcome; pairs without a consensus (a tie) are not counted.
    """

    reviewer: str
    mean_abs_deviation: float | None
    mean_signed_deviation: float | None
    item_disagreements: int
    units: int


@dataclass(frozen=True, slots=True)
class CalibrationSummary:
    items: tuple[ItemAgreement, ...]  # sorted by item id
    total_alpha: float | None  # interval alpha over the total scores; None when undefined
    reviewers: tuple[ReviewerDeviation, ...]  # sorted by reviewer
    consensus_totals: Mapping[str, float]  # unit → the agreed total, else the reviewers' median


def calibration_summary(
    *,
    totals: Mapping[str, Mapping[str, float]],
    outcomes: Mapping[str, Mapping[str, Mapping[str, str]]],
    agreed_totals: Mapping[str, float] | None = None,
    agreed_outcomes: Mapping[str, Mapping[str, str]] | None = None,
) -> CalibrationSummary:
    """Agreement figures for one calibration session.

    `totals` is reviewer → unit (contact id) → total score; `outcomes` is reviewer → unit →
    item → outcome ("pass"/"fail"/"na"). The consensus on a unit is the supervisor's agreed
    answer where `agreed_totals`/`agreed_outcomes` give one, otherwise the median of the
    reviewers' totals and the most common outcome of an item (a tie leaves that item without
    a consensus).
    """
    agreed_totals = agreed_totals or {}
    agreed_outcomes = agreed_outcomes or {}
    reviewers = sorted(totals.keys() | outcomes.keys())
    units = sorted({unit for scored in totals.values() for unit in scored} | agreed_totals.keys())

    scored_by = {unit: [t[unit] for t in totals.values() if unit in t] for unit in units}
    consensus_totals = {
        unit: agreed_totals[unit] if unit in agreed_totals else statistics.median(scored_by[unit])
        for unit in units
    }
    comparable = {unit for unit in units if unit in agreed_totals or len(scored_by[unit]) >= 2}

    ratings = _ratings_by_item(outcomes)
    consensus_outcomes: dict[tuple[str, str], str | None] = {}
    for item, rows in ratings.items():
        for unit, given in rows.items():
            agreed = agreed_outcomes.get(unit, {}).get(item)
            consensus_outcomes[unit, item] = (
                _mode(list(given.values())) if agreed is None else agreed
            )

    return CalibrationSummary(
        items=tuple(_item_agreement(item, ratings[item], reviewers) for item in sorted(ratings)),
        total_alpha=_alpha(
            [[totals.get(r, {}).get(unit) for unit in units] for r in reviewers],
            level="interval",
        ),
        reviewers=tuple(
            _deviation(
                reviewer,
                totals=totals.get(reviewer, {}),
                outcomes=outcomes.get(reviewer, {}),
                consensus_totals={u: consensus_totals[u] for u in comparable},
                consensus_outcomes=consensus_outcomes,
            )
            for reviewer in reviewers
        ),
        consensus_totals=consensus_totals,
    )


def _ratings_by_item(
    outcomes: Mapping[str, Mapping[str, Mapping[str, str]]],
) -> dict[str, dict[str, dict[str, str]]]:
    """Turn reviewer → unit → item → outcome into item → unit → reviewer → outcome."""
    ratings: dict[str, dict[str, dict[str, str]]] = {}
    for reviewer, rated in outcomes.items():
        for unit, answers in rated.items():
            for item, outcome in answers.items():
                ratings.setdefault(item, {}).setdefault(unit, {})[reviewer] = outcome
    return ratings


def _item_agreement(
    item: str, rows: Mapping[str, Mapping[str, str]], reviewers: Sequence[str]
) -> ItemAgreement:
    paired = [given for given in rows.values() if len(given) >= 2]
    agreeing = sum(len(set(given.values())) == 1 for given in paired)
    codes = {
        outcome: code
        for code, outcome in enumerate(sorted({o for g in paired for o in g.values()}))
    }
    return ItemAgreement(
        item=item,
        percent_agreement=agreeing / len(paired) if paired else None,
        alpha=_alpha(
            [[codes[given[r]] if r in given else None for given in paired] for r in reviewers],
            level="nominal",
        ),
        units=len(paired),
    )


def _deviation(
    reviewer: str,
    *,
    totals: Mapping[str, float],
    outcomes: Mapping[str, Mapping[str, str]],
    consensus_totals: Mapping[str, float],
    consensus_outcomes: Mapping[tuple[str, str], str | None],
) -> ReviewerDeviation:
    differences = [
        totals[unit] - consensus_totals[unit] for unit in totals if unit in consensus_totals
    ]
    disagreements = sum(
        consensus_outcomes[unit, item] not in (None, outcome)
        for unit, answers in outcomes.items()
        for item, outcome in answers.items()
    )
    return ReviewerDeviation(
        reviewer=reviewer,
        mean_abs_deviation=statistics.fmean(map(abs, differences)) if differences else None,
        mean_signed_deviation=statistics.fmean(differences) if differences else None,
        item_disagreements=disagreements,
        units=len(differences),
    )


def _alpha(
    matrix: Sequence[Sequence[float | None]], *, level: Literal["nominal", "interval"]
) -> float | None:
    """Krippendorff's alpha over a reviewers × units matrix (None = not rated), or None where it
    is undefined: the package raises for those, and this checks for them up front instead."""
    pairable = [
        value
        for unit in zip(*matrix, strict=True)
        if sum(v is not None for v in unit) >= 2
        for value in unit
        if value is not None
    ]
    if len(set(pairable)) < 2:
        return None
    data = np.array([[np.nan if v is None else v for v in row] for row in matrix], dtype=float)
    value = float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))
    return value if math.isfinite(value) else None


def _mode(outcomes: Sequence[str]) -> str | None:
    """The most common outcome, or None when two outcomes tie for it (or nobody answered)."""
    ranked = Counter(outcomes).most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]
