"""How far a calibration session's reviewers agree: everyone's answers side by side, the
figures, and the session's pages (`calibration_page_for`, `calibration_agree_page_for`).

The figures come from the engine (`lingting.engine.agreement.calibration_summary`, which
uses the maintained `krippendorff` package): per item the share of contacts where every
reviewer gave the same answer and Krippendorff's alpha (nominal); alpha (interval) on the
contacts' total scores; and each reviewer's deviation from the consensus — the agreed
answer where the supervisor recorded one, else the reviewers' median total and majority
answer. A reviewer sees them only once their own answers are in (see
`quality.selectors.calibration`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, cast

from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lingting.core.models import User
from lingting.engine.agreement import (
    CalibrationSummary,
    ItemAgreement,
    ReviewerDeviation,
    calibration_summary,
)
from lingting.engine.evaluation import Answer, EvaluationError, ReviewResult, evaluate_answers
from lingting.engine.scorecard import Item, Scorecard
from lingting.interactions.models import Contact
from lingting.quality.models import (
    AgreedAnswer,
    AssignmentKind,
    AssignmentStatus,
    CalibrationSession,
    CalibrationStatus,
    ContactScore,
    Evaluation,
    ReviewAssignment,
)
from lingting.quality.permissions import may_manage_qa
from lingting.quality.selectors.calibration import calibration_session_for
from lingting.quality.selectors.contact_page import (
    RESULT_LABELS,
    ContactDetail,
    contact_detail_page_for,
)
from lingting.quality.selectors.score_of_record import auto_results_of
from lingting.quality.selectors.scorecards import scorecard_of

# Krippendorff, Content Analysis: An Introduction to Its Methodology (2nd ed., 2004, p. 241):
# rely on variables with alpha ≥ .800; use those between .667 and .800 only for tentative
# conclusions; below .667, do not rely on the data.
ALPHA_RELIABLE = 0.8
ALPHA_TENTATIVE = 0.667


class Reliability(StrEnum):
    RELIABLE = "reliable"
    TENTATIVE = "tentative"
    UNRELIABLE = "unreliable"
    UNANIMOUS = "unanimous"  # alpha undefined because everyone always gave the same answer
    UNDEFINED = "undefined"

    @property
    def label(self) -> Promise:
        return _RELIABILITY_LABELS[self]


_RELIABILITY_LABELS: dict[Reliability, Promise] = {
    Reliability.RELIABLE: gettext_lazy("可靠"),
    Reliability.TENTATIVE: gettext_lazy("可暂用"),
    Reliability.UNRELIABLE: gettext_lazy("需重新校准"),
    Reliability.UNANIMOUS: gettext_lazy("全部一致"),
    Reliability.UNDEFINED: gettext_lazy("无法计算"),
}


def reliability_of(alpha: float | None, *, percent_agreement: float | None = None) -> Reliability:
    """Krippendorff's reading of an alpha value. Alpha is None (undefined) when no contact
    has two answers, or when nobody ever answered differently: `percent_agreement` 1 then."""
    if alpha is None:
        return Reliability.UNANIMOUS if percent_agreement == 1 else Reliability.UNDEFINED
    if alpha >= ALPHA_RELIABLE:
        return Reliability.RELIABLE
    if alpha >= ALPHA_TENTATIVE:
        return Reliability.TENTATIVE
    return Reliability.UNRELIABLE


@dataclass(frozen=True, slots=True)
class Cell:
    """One reviewer's answer on one item of one contact."""

    reviewer: User
    result: str  # pass / fail / na; "" not scored yet
    points_lost: float = 0.0
    note: str = ""
    differs: bool = False  # from the consensus answer

    @property
    def label(self) -> str:
        return result_label(self.result)


def result_label(result: str | None) -> str:
    return str(RESULT_LABELS.get(result, result)) if result else ""


@dataclass(frozen=True, slots=True)
class AnswerRow:
    item: Item
    cells: list[Cell]  # per reviewer, in the page's order
    consensus: str | None  # the agreed answer, else the majority; None on a tie
    agreed: AgreedAnswer | None
    auto: str  # the engine's result on this version ("" for a manual item or none stored)

    @property
    def consensus_label(self) -> str:
        return result_label(self.consensus)

    @property
    def auto_label(self) -> str:
        return result_label(self.auto)

    @property
    def unanimous(self) -> bool:
        given = {c.result for c in self.cells if c.result}
        return len(given) <= 1

    @property
    def rule_disagrees(self) -> bool:
        """The agreed answer contradicts the automatic rule: its example will fail."""
        if self.agreed is None or not self.auto:
            return False
        return (self.agreed.result == "fail") != (self.auto == "fail")


@dataclass(frozen=True, slots=True)
class ContactAnswers:
    contact: Contact
    totals: list[float | None]  # per reviewer; None: not scored yet
    consensus_total: float | None
    agreed_total: float | None  # when every item has an agreed answer
    agreed_items: int
    rows: list[AnswerRow]

    @property
    def disputed(self) -> int:
        return sum(not row.unanimous for row in self.rows)


@dataclass(frozen=True, slots=True)
class ItemFigures:
    item: Item
    agreement: ItemAgreement | None  # None: nobody has scored the item yet
    reliability: Reliability

    @property
    def percent(self) -> str:
        """The share of contacts everyone answered alike, as "75%" ("—" when none)."""
        share = self.agreement.percent_agreement if self.agreement else None
        return "—" if share is None else f"{share:.0%}"


@dataclass(frozen=True, slots=True)
class ReviewerFigures:
    reviewer: User
    scored: int
    assigned: int
    deviation: ReviewerDeviation | None

    @property
    def signed(self) -> str:
        """The mean signed deviation as "+2.5" / "−10" ("—" when there is none)."""
        value = self.deviation.mean_signed_deviation if self.deviation else None
        if value is None:
            return "—"
        return f"{value:+.1f}".replace("-", "−").replace(".0", "")

    @property
    def leaning(self) -> str:
        """偏严 (scores lower than the consensus), 偏松 (higher), or "" within half a point."""
        value = self.deviation.mean_signed_deviation if self.deviation else None
        if value is None or abs(value) < 0.5:
            return ""
        return _("偏严") if value < 0 else _("偏松")


@dataclass(frozen=True, slots=True)
class CalibrationPage:
    session: CalibrationSession
    scorecard: Scorecard
    reviewers: list[User]
    contacts: list[Contact]
    progress: list[ReviewerFigures]
    items: list[ItemFigures]
    total_alpha: float | None
    total_reliability: Reliability
    answers: list[ContactAnswers]  # empty unless `answers_visible`
    answers_visible: bool
    manages: bool
    own_pending: list[ReviewAssignment]  # the viewer's contacts still to score
    examples: int  # agreed answers on automatic items
    examples_against_rule: int

    @property
    def submitted(self) -> int:
        return sum(p.scored for p in self.progress)

    @property
    def expected(self) -> int:
        return len(self.reviewers) * len(self.contacts)

    @property
    def is_open(self) -> bool:
        return self.session.status == CalibrationStatus.OPEN


def calibration_page_for(*, user: User, session_id: int) -> CalibrationPage:
    session = calibration_session_for(user=user, session_id=session_id)
    data = _SessionData.read(session)
    manages = may_manage_qa(user)
    own_pending = [
        a
        for a in data.assignments
        if a.reviewer_id == user.pk and a.status == AssignmentStatus.PENDING
    ]
    visible = manages or not own_pending or session.status == CalibrationStatus.CLOSED
    summary = data.summary()
    by_item = {figure.item: figure for figure in summary.items}
    by_reviewer = {figure.reviewer: figure for figure in summary.reviewers}
    scored = Counter(e.reviewer_id for e in data.evaluations)
    answers = data.answers(summary) if visible else []
    auto_items = [row for contact in answers for row in contact.rows if row.item.kind == "auto"]
    return CalibrationPage(
        session=session,
        scorecard=data.scorecard,
        reviewers=data.reviewers,
        contacts=data.contacts,
        progress=[
            ReviewerFigures(
                reviewer=reviewer,
                scored=scored[reviewer.pk],
                assigned=len(data.contacts),  # every reviewer scores every contact
                deviation=by_reviewer.get(reviewer.username) if visible else None,
            )
            for reviewer in data.reviewers
        ],
        items=[
            ItemFigures(
                item=item,
                agreement=by_item.get(item.id),
                reliability=reliability_of(
                    by_item[item.id].alpha, percent_agreement=by_item[item.id].percent_agreement
                )
                if item.id in by_item
                else Reliability.UNDEFINED,
            )
            for item in data.scorecard.items
        ]
        if visible
        else [],
        total_alpha=summary.total_alpha if visible else None,
        total_reliability=reliability_of(summary.total_alpha) if visible else Reliability.UNDEFINED,
        answers=answers,
        answers_visible=visible,
        manages=manages,
        own_pending=own_pending,
        examples=sum(row.agreed is not None for row in auto_items),
        examples_against_rule=sum(row.rule_disagrees for row in auto_items),
    )


@dataclass(frozen=True, slots=True)
class AgreePage:
    session: CalibrationSession
    scorecard: Scorecard
    reviewers: list[User]
    answers: ContactAnswers
    detail: ContactDetail

    def initial(self) -> dict[str, Any]:
        """The form as it opens: the agreed answer where there is one, else the majority."""
        initial: dict[str, Any] = {}
        for row in self.answers.rows:
            if row.agreed is not None:
                initial[f"result_{row.item.id}"] = row.agreed.result
                if row.agreed.result == "fail" and row.agreed.points_lost != row.item.points:
                    initial[f"lost_{row.item.id}"] = row.agreed.points_lost
                initial[f"note_{row.item.id}"] = row.agreed.note
            elif row.consensus is not None:
                initial[f"result_{row.item.id}"] = row.consensus
        return initial


def calibration_agree_page_for(*, user: User, session_id: int, contact_id: int) -> AgreePage:
    """One contact of a session, every reviewer's answers beside the automatic result."""
    session = calibration_session_for(user=user, session_id=session_id)
    data = _SessionData.read(session)
    summary = data.summary()
    for answers in data.answers(summary):
        if answers.contact.pk == contact_id:
            return AgreePage(
                session=session,
                scorecard=data.scorecard,
                reviewers=data.reviewers,
                answers=answers,
                detail=contact_detail_page_for(user=user, contact_id=contact_id),
            )
    raise Http404("no such contact in this session")


class _SessionData:
    """Everything stored about one session, read in a handful of queries."""

    def __init__(
        self,
        session: CalibrationSession,
        scorecard: Scorecard,
        contacts: list[Contact],
        reviewers: list[User],
        assignments: list[ReviewAssignment],
        evaluations: list[Evaluation],
        agreed: list[AgreedAnswer],
        auto: dict[int, dict[str, str]],
    ) -> None:
        self.session = session
        self.scorecard = scorecard
        self.contacts = contacts
        self.reviewers = reviewers
        self.assignments = assignments
        self.evaluations = evaluations
        self.agreed = agreed
        self.auto = auto

    @classmethod
    def read(cls, session: CalibrationSession) -> _SessionData:
        contacts = list(
            session.contacts.select_related("agent", "queue")
            .defer("extra", "holds")
            .order_by("started_at", "external_id")
        )
        scores = ContactScore.objects.filter(
            contact__in=[c.pk for c in contacts], version_id=session.version_id
        )
        return cls(
            session=session,
            scorecard=scorecard_of(session.version),
            contacts=contacts,
            reviewers=list(session.reviewers.order_by("username")),
            # With their contacts: the viewer's pending ones are listed by external id.
            assignments=list(
                ReviewAssignment.objects.filter(session=session).select_related("contact")
            ),
            evaluations=list(
                Evaluation.objects.filter(
                    assignment__session=session, kind=AssignmentKind.CALIBRATION
                ).prefetch_related("items")
            ),
            agreed=list(AgreedAnswer.objects.filter(session=session)),
            auto={score.contact_id: auto_results_of(score) for score in scores},
        )

    def summary(self) -> CalibrationSummary:
        """The engine's figures: units are contact row ids, reviewers usernames."""
        names = {r.pk: r.username for r in self.reviewers}
        totals: dict[str, dict[str, float]] = defaultdict(dict)
        outcomes: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
        for evaluation in self.evaluations:
            reviewer = names.get(evaluation.reviewer_id, str(evaluation.reviewer_id))
            unit = str(evaluation.contact_id)
            totals[reviewer][unit] = evaluation.score
            outcomes[reviewer][unit] = {i.item: i.result for i in evaluation.items.all()}
        return calibration_summary(
            totals=totals,
            outcomes=outcomes,
            agreed_totals={
                str(contact_id): total for contact_id, total in self.agreed_totals().items()
            },
            agreed_outcomes={
                str(contact_id): {a.item: a.result for a in answers}
                for contact_id, answers in self.agreed_by_contact().items()
            },
        )

    def agreed_by_contact(self) -> dict[int, list[AgreedAnswer]]:
        grouped: dict[int, list[AgreedAnswer]] = defaultdict(list)
        for answer in self.agreed:
            grouped[answer.contact_id].append(answer)
        return grouped

    def agreed_totals(self) -> dict[int, float]:
        """The agreed total of each contact whose every item has an agreed answer, scored
        by the same rule as a review."""
        totals: dict[int, float] = {}
        for contact_id, answers in self.agreed_by_contact().items():
            given = {
                a.item: Answer(result=cast(ReviewResult, a.result), points_lost=a.points_lost)
                for a in answers
            }
            try:
                outcome = evaluate_answers(self.scorecard, given, auto_results={})
            except EvaluationError:
                continue  # not every item agreed (or the scorecard moved on): no agreed total
            totals[contact_id] = outcome.score
        return totals

    def answers(self, summary: CalibrationSummary) -> list[ContactAnswers]:
        """Every contact with every reviewer's answers side by side."""
        records = {(e.contact_id, e.reviewer_id): e for e in self.evaluations}
        agreed = self.agreed_by_contact()
        agreed_totals = self.agreed_totals()
        laid_out = []
        for contact in self.contacts:
            given = [records.get((contact.pk, r.pk)) for r in self.reviewers]
            items = [
                {i.item: i for i in record.items.all()} if record is not None else {}
                for record in given
            ]
            agreed_here = {a.item: a for a in agreed.get(contact.pk, ())}
            rows = []
            for item in self.scorecard.items:
                answers = [by_item.get(item.id) for by_item in items]
                results = [a.result for a in answers if a is not None]
                agreement = agreed_here.get(item.id)
                consensus = agreement.result if agreement is not None else _majority(results)
                rows.append(
                    AnswerRow(
                        item=item,
                        cells=[
                            Cell(reviewer=reviewer, result="")
                            if a is None
                            else Cell(
                                reviewer=reviewer,
                                result=a.result,
                                points_lost=a.points_lost,
                                note=a.note,
                                differs=consensus is not None and a.result != consensus,
                            )
                            for reviewer, a in zip(self.reviewers, answers, strict=True)
                        ],
                        consensus=consensus,
                        agreed=agreement,
                        auto=self.auto.get(contact.pk, {}).get(item.id, "")
                        if item.kind == "auto"
                        else "",
                    )
                )
            laid_out.append(
                ContactAnswers(
                    contact=contact,
                    totals=[record.score if record is not None else None for record in given],
                    consensus_total=summary.consensus_totals.get(str(contact.pk)),
                    agreed_total=agreed_totals.get(contact.pk),
                    agreed_items=len(agreed_here),
                    rows=rows,
                )
            )
        return laid_out


def _majority(results: Sequence[str]) -> str | None:
    """The most common answer, or None when two tie for it (or nobody answered)."""
    ranked = Counter(results).most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]
