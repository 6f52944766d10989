"""Survey figures with the margin of error each one carries (issue 17).

A satisfaction share from 100 answers can be off by several points and an NPS by fifteen;
a supervisor comparing two agents needs to see that before acting on it. Margins are at 95%:

- a share (CSAT, very-satisfied share, response rate): the Wilson score interval, which
  stays honest at 0% and 100% and for small counts, where the textbook p ± 1.96·√(p(1−p)/n)
  would claim a margin of zero;
- NPS = %promoters (9–10) − %detractors (0–6), in points, with the adjusted-Wald interval
  (Rocks 2016): three answers more, ¾ of them promoters and ¾ detractors, then
  (P′ − D′) ± 1.96·√((P′ + D′ − (P′ − D′)²)/n′)·100 — the variance of the difference of two
  shares of one sample. The plain interval would claim ±0 when every answer is a promoter;
  the adjusted one stays wide for a handful of answers and meets the plain one as n grows;
  it is widened where needed to hold the figure itself.

A figure over no answers is None, never 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959964

# What a survey asks (the stored answers' `question`): how satisfied the customer is, on a
# scale of 1 to its top (CSAT, very-satisfied share), or how likely they are to recommend
# us, 0 to 10 (NPS). Each figure counts the answers to its own question only.
SATISFACTION, RECOMMEND = "csat", "nps"
QUESTIONS = (SATISFACTION, RECOMMEND)
NPS_SCALE = 10


@dataclass(frozen=True, slots=True)
class Estimate:
    value: float | None  # a share of 1, or NPS points
    low: float | None
    high: float | None
    count: int  # the answers it rests on

    @property
    def margin(self) -> float | None:
        """Half the interval's width: the "±" shown beside the figure."""
        if self.low is None or self.high is None:
            return None
        return (self.high - self.low) / 2


def share_estimate(hits: int, count: int) -> Estimate:
    """`hits` of `count` as a share with its Wilson 95% interval."""
    if count <= 0:
        return Estimate(None, None, None, 0)
    p = hits / count
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * count)) / (1 + z2 / count)
    half = Z95 * math.sqrt(p * (1 - p) / count + z2 / (4 * count * count)) / (1 + z2 / count)
    return Estimate(p, max(0.0, centre - half), min(1.0, centre + half), count)


PROMOTER_FROM, DETRACTOR_AT_MOST = 9, 6


def is_promoter(score: int) -> bool:
    return score >= PROMOTER_FROM


def is_detractor(score: int) -> bool:
    return score <= DETRACTOR_AT_MOST


def nps_estimate(promoters: int, detractors: int, count: int) -> Estimate:
    """Net promoter score in points (−100 … 100) with its adjusted-Wald 95% interval."""
    if count <= 0:
        return Estimate(None, None, None, 0)
    nps = (promoters - detractors) / count * 100
    n = count + 3
    p, d = (promoters + 0.75) / n, (detractors + 0.75) / n
    centre = (p - d) * 100
    margin = Z95 * math.sqrt(max(0.0, p + d - (p - d) ** 2) / n) * 100
    # At the extremes the adjusted interval leans inwards past the figure itself (one
    # promoter: −48 to 98); it is widened to hold the figure shown beside it.
    low = max(-100.0, min(nps, centre - margin))
    high = min(100.0, max(nps, centre + margin))
    return Estimate(nps, low, high, count)
