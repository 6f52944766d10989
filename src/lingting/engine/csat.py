"""Survey results and the satisfaction figures computed from them (满意度, 000; 004 篇1).

A survey result (README, "Survey results") is one customer's answer to a post-contact
survey by IVR, SMS, web page or app: the contact it is about, the question it answers
(`question`: "csat", how satisfied, unless the file says "nps", how likely to recommend us),
a whole-number score (1 to `scale`, 5 unless the file says otherwise; 0 to 10 to the
recommend question), when it was answered, the channel and an optional comment.

- CSAT = the share of satisfaction answers in the top two boxes of their scale (4 or 5 on
  the usual 1–5 scale: 满意 + 非常满意), a fraction of 1.
- Very-satisfied share 非常满意率 = the share of satisfaction answers at the top of their
  scale (5 of 5).
- NPS = promoters (9–10) minus detractors (0–6) among the recommend answers, in points.
- Response rate 回复率 = the share of the invitations sent that were answered.

Each comes with its 95% interval (engine.survey_figures). A figure over no answers is None,
never 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from lingting.engine.reader import LineError
from lingting.engine.records import RecordError, parse_records, read_records
from lingting.engine.survey_figures import (
    NPS_SCALE,
    QUESTIONS,
    RECOMMEND,
    SATISFACTION,
    Estimate,
    is_detractor,
    is_promoter,
    nps_estimate,
    share_estimate,
)

DEFAULT_SCALE = 5
MIN_SCALE, MAX_SCALE = 3, 10
CHANNELS = ("ivr", "sms", "web", "app", "wechat", "email", "other")
REQUIRED_FIELDS = ("contact_id", "score", "answered_at", "channel")


@dataclass(frozen=True, slots=True)
class SurveyResult:
    contact_id: str
    score: int
    answered_at: datetime  # aware
    channel: str  # one of CHANNELS
    scale: int = DEFAULT_SCALE
    comment: str = ""
    question: str = SATISFACTION  # one of QUESTIONS


def is_satisfied(score: int, scale: int = DEFAULT_SCALE) -> bool:
    """Top-two-box: 4 or 5 on a 1–5 scale, 9 or 10 on a 1–10 scale."""
    return score >= scale - 1


def is_very_satisfied(score: int, scale: int = DEFAULT_SCALE) -> bool:
    return score == scale


def survey_from_record(record: dict[str, Any], *, tz: tzinfo) -> SurveyResult:
    """Validate one decoded record (JSON object or CSV row); raises `RecordError`."""
    contact_id = record.get("contact_id")
    if isinstance(contact_id, int) and not isinstance(contact_id, bool):
        contact_id = str(contact_id)
    if not isinstance(contact_id, str) or not contact_id.strip():
        raise RecordError("missing 'contact_id' (the id of the contact the survey is about)")
    question = _question(record.get("question"))
    score, scale = _score_and_scale(record, question)
    channel = record.get("channel")
    if not isinstance(channel, str) or channel.strip().lower() not in CHANNELS:
        raise RecordError(f"'channel' must be one of {', '.join(CHANNELS)}, not {channel!r}")
    answered = record.get("answered_at")
    if not isinstance(answered, str) or not answered:
        raise RecordError("missing 'answered_at' (an ISO 8601 time)")
    try:
        answered_at = datetime.fromisoformat(answered)
    except ValueError:
        raise RecordError(
            f"'answered_at' is not an ISO 8601 time: {answered[:40]!r}"
            " (e.g. 2026-10-01T09:07:12+08:00)"
        ) from None
    comment = record.get("comment") or ""
    if not isinstance(comment, str):
        raise RecordError("'comment' must be a string")
    return SurveyResult(
        contact_id=contact_id.strip(),
        score=score,
        answered_at=answered_at if answered_at.tzinfo else answered_at.replace(tzinfo=tz),
        channel=channel.strip().lower(),
        scale=scale,
        comment=comment.strip()[:2000],
        question=question,
    )


def _question(value: Any) -> str:
    """The question a record answers: "csat" when it names none."""
    if value is None or value == "":
        return SATISFACTION
    question = value.strip().lower() if isinstance(value, str) else None
    if question is None or question not in QUESTIONS:
        raise RecordError(
            f"'question' must be {SATISFACTION} (satisfaction, the default) or {RECOMMEND}"
            f" (likely to recommend, 0–10), not {str(value)[:20]!r}"
        )
    return question


def _score_and_scale(record: dict[str, Any], question: str) -> tuple[int, int]:
    """The answer's score and its scale: 1 to `scale` (3–10, 5 by default) when it says how
    satisfied, 0 to 10 when it says how likely to recommend."""
    if question == RECOMMEND:
        scale = _whole(record.get("scale", NPS_SCALE), "scale")
        if scale != NPS_SCALE:
            raise RecordError(f"'scale' of an nps answer is {NPS_SCALE} (0–10), not {scale}")
        lowest = 0
    else:
        scale = _whole(record.get("scale", DEFAULT_SCALE), "scale")
        if not MIN_SCALE <= scale <= MAX_SCALE:
            raise RecordError(f"'scale' must be between {MIN_SCALE} and {MAX_SCALE}, not {scale}")
        lowest = 1
    if record.get("score") in (None, ""):
        raise RecordError("missing 'score'")
    score = _whole(record["score"], "score")
    if not lowest <= score <= scale:
        raise RecordError(f"'score' must be between {lowest} and {scale}, not {score}")
    return score, scale


def _whole(value: Any, name: str) -> int:
    if isinstance(value, bool):
        raise RecordError(f"'{name}' must be a whole number, not {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise RecordError(f"'{name}' must be a whole number, not {str(value)[:20]!r}")


def read_survey_results(path: str, *, tz: tzinfo) -> Iterator[tuple[int, SurveyResult] | LineError]:
    """(line number, result) or a `LineError` for each non-blank line of a .jsonl/.csv file."""
    records = read_records(path, required=REQUIRED_FIELDS)
    return parse_records(records, lambda record: survey_from_record(record, tz=tz))


@dataclass(slots=True)
class CsatTotals:
    """Answers counted into the figures; add one at a time or merge totals. `responses`
    are the satisfaction answers (CSAT's and the very-satisfied share's base), `recommends`
    the recommend answers (NPS's)."""

    responses: int = 0
    satisfied: int = 0
    very_satisfied: int = 0
    recommends: int = 0
    promoters: int = 0
    detractors: int = 0

    def add(self, score: int, scale: int = DEFAULT_SCALE, question: str = SATISFACTION) -> None:
        if question == RECOMMEND:
            self.recommends += 1
            self.promoters += is_promoter(score)
            self.detractors += is_detractor(score)
            return
        self.responses += 1
        self.satisfied += is_satisfied(score, scale)
        self.very_satisfied += is_very_satisfied(score, scale)

    def merge(self, other: CsatTotals) -> None:
        self.responses += other.responses
        self.satisfied += other.satisfied
        self.very_satisfied += other.very_satisfied
        self.recommends += other.recommends
        self.promoters += other.promoters
        self.detractors += other.detractors

    @property
    def answers(self) -> int:
        """Every answer, to either question."""
        return self.responses + self.recommends

    @property
    def csat(self) -> float | None:
        return round(self.satisfied / self.responses, 4) if self.responses else None

    @property
    def very_satisfied_share(self) -> float | None:
        return round(self.very_satisfied / self.responses, 4) if self.responses else None

    @property
    def nps(self) -> float | None:
        """Promoters minus detractors, in points of the recommend answers (−100 … 100)."""
        value = self.nps_estimate.value
        return None if value is None else round(value, 1)

    @property
    def csat_estimate(self) -> Estimate:
        """CSAT with its 95% interval: at 100 answers a share moves by several points."""
        return share_estimate(self.satisfied, self.responses)

    @property
    def very_satisfied_estimate(self) -> Estimate:
        return share_estimate(self.very_satisfied, self.responses)

    @property
    def nps_estimate(self) -> Estimate:
        """NPS with its 95% interval: at 100 answers it moves by about fifteen points."""
        return nps_estimate(self.promoters, self.detractors, self.recommends)


@dataclass(slots=True)
class InvitationTotals:
    """Survey invitations sent, and how many of them the customers answered."""

    sent: int = 0
    answered: int = 0

    def merge(self, other: InvitationTotals) -> None:
        self.sent += other.sent
        self.answered += other.answered

    @property
    def response_rate(self) -> float | None:
        return round(self.answered / self.sent, 4) if self.sent else None

    @property
    def response_rate_estimate(self) -> Estimate:
        return share_estimate(self.answered, self.sent)
