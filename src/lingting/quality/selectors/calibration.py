"""Reading calibration sessions: who has scored what, how far the reviewers agree, and
the agreed answers as scorecard examples.

The figures come from the engine (`lingting.engine.agreement.calibration_summary`, which
uses the maintained `krippendorff` package): per item the share of contacts where every
reviewer gave the same answer and Krippendorff's alpha (nominal); alpha (interval) on the
contacts' total scores; and each reviewer's deviation from the consensus — the agreed
answer where the supervisor recorded one, else the reviewers' median total and majority
answer.

Who sees the answers: the QA supervisor, always. A reviewer of the session sees the
figures and everyone's answers only once they have submitted every contact of their own,
or once the session is closed — until then they would be anchored by the others (the
same rule keeps the others' records out of `evaluations_for`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, cast

import yaml
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lingting.core.models import User
from lingting.core.permissions import ROLES_REVIEWING, may_manage_qa
from lingting.engine import pii
from lingting.engine.agreement import (
    CalibrationSummary,
    ItemAgreement,
    ReviewerDeviation,
    calibration_summary,
)
from lingting.engine.contacts import Contact as EngineContact
from lingting.engine.evaluation import Answer, EvaluationError, ReviewResult, evaluate_answers
from lingting.engine.scorecard import Item, Scorecard
from lingting.interactions.engine_contacts import engine_contacts_for
from lingting.interactions.models import Contact
from lingting.interactions.selectors import RESULT_LABELS, ContactDetail, contact_detail_page_for
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
from lingting.quality.services.reviews import auto_results_of
from lingting.quality.services.scoring import scorecard_of

# Krippendorff, Content Analysis: An Introduction to Its Methodology (2nd ed., 2004, p. 241):
# rely on variables with alpha ≥ .800; use those between .667 and .800 only for tentative
# conclusions; below .667, do not rely on the data.
ALPHA_RELIABLE = 0.8
ALPHA_TENTATIVE = 0.667
RECENT_REVIEWED = 30  # reviewed contacts offered when a session is created


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


# ----------------------------------------------------------------------------- blindness


def blind_calibration_records(user: User) -> Q:
    """The calibration records `user` may not read yet: other reviewers' records of an open
    session in which `user` still has a contact to score. Nothing for a QA supervisor."""
    if may_manage_qa(user):
        return Q(pk__in=[])
    still_scoring = ReviewAssignment.objects.filter(
        session_id=OuterRef("assignment__session_id"),
        reviewer_id=user.pk,
        status=AssignmentStatus.PENDING,
    )
    return Q(
        Exists(still_scoring),
        kind=AssignmentKind.CALIBRATION,
        assignment__session__status=CalibrationStatus.OPEN,
    ) & ~Q(reviewer_id=user.pk)


def without_machine_findings(detail: ContactDetail) -> ContactDetail:
    """A contact page with nothing of the automatic score: no score, no items, no evidence
    marked in the transcript (personal numbers stay masked as they were)."""
    return replace(
        detail,
        score=None,
        band="",
        items=[],
        turns=[
            replace(
                turn,
                segments=[
                    replace(segment, covered_by=(), anchors=(), labels=())
                    for segment in turn.segments
                ],
            )
            for turn in detail.turns
        ],
    )


# ----------------------------------------------------------------------------- lists


def calibration_sessions_for(user: User) -> QuerySet[CalibrationSession]:
    """The sessions `user` may open (a supervisor: all; a reviewer: their own), newest
    first, with their sizes and how many records are in."""
    sessions = CalibrationSession.objects.select_related("created_by", "version").annotate(
        contact_count=Count("contacts", distinct=True),
        reviewer_count=Count("reviewers", distinct=True),
        submitted_count=Count(
            "assignments",
            filter=Q(assignments__status=AssignmentStatus.SUBMITTED),
            distinct=True,
        ),
    )
    if may_manage_qa(user):
        return sessions
    return sessions.filter(reviewers=user)


def calibration_reviewer_choices() -> QuerySet[User]:
    """Who may take part: active QA analysts and supervisors."""
    return User.objects.filter(role__in=ROLES_REVIEWING, is_active=True).order_by("username")


def recently_reviewed_contacts(limit: int = RECENT_REVIEWED) -> list[Contact]:
    """Contacts with a submitted sample review, most recently reviewed first: contacts a
    reviewer has already judged make good calibration material."""
    return list(
        Contact.objects.filter(evaluations__kind=AssignmentKind.SAMPLE, turn_count__gt=0)
        .annotate(last_reviewed=Max("evaluations__submitted_at"))
        .select_related("agent", "queue")
        .defer("extra", "holds")
        .order_by("-last_reviewed", "-id")[:limit]
    )


def contacts_by_external_id(external_ids: Iterable[str]) -> tuple[list[Contact], list[str]]:
    """The contacts with these ids, in the order given, and the ids that match none."""
    wanted = list(dict.fromkeys(i.strip() for i in external_ids if i.strip()))
    found = {c.external_id: c for c in Contact.objects.filter(external_id__in=wanted)}
    return [found[i] for i in wanted if i in found], [i for i in wanted if i not in found]


# ----------------------------------------------------------------------------- one session


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


def calibration_session_for(*, user: User, session_id: int) -> CalibrationSession:
    """A session `user` may open (a supervisor: any; a reviewer: their own); else 404."""
    session = (
        calibration_sessions_for(user).select_related("version__scorecard").filter(pk=session_id)
    ).first()
    if session is None:
        raise Http404("no such calibration session")
    return session


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


# ----------------------------------------------------------------------------- examples

# What an example keeps of a contact: what the rules read, nothing that names a person
# (no agent, customer, queue, recording or extra fields).
_EXAMPLE_TEXT_FIELDS = ("channel", "direction", "disposition", "hangup_by")
_EXAMPLE_TIME_FIELDS = ("queued_at", "started_at", "answered_at", "ended_at")
_EXAMPLE_NUMBER_FIELDS = ("rings", "wait_s", "talk_s", "hold_s", "acw_s")


def calibration_examples(*, session: CalibrationSession) -> dict[str, dict[str, list[Any]]]:
    """The session's agreed answers on automatic items as scorecard examples: item id →
    {"must_trigger": [...], "must_not_trigger": [...]}, each example a contact record
    (what the rules read, personal numbers masked). An agreed 扣分 must trigger the rule;
    通过 and 不适用 must not."""
    scorecard = scorecard_of(session.version)
    automatic = {item.id for item in scorecard.items if item.kind == "auto"}
    agreed = list(
        AgreedAnswer.objects.filter(session=session, item__in=automatic)
        .select_related("contact")
        .order_by("contact__started_at", "contact__external_id", "item")
    )
    records = {
        contact_id: contact
        for contact_id, contact in engine_contacts_for(contact_ids={a.contact_id for a in agreed})
    }
    examples: dict[str, dict[str, list[Any]]] = {}
    for answer in agreed:
        contact = records.get(answer.contact_id)
        if contact is None or not contact.turns:
            continue
        key = "must_trigger" if answer.result == "fail" else "must_not_trigger"
        source = _("校准 #%(session)d %(contact)s") % {
            "session": session.pk,
            "contact": answer.contact.external_id,
        }
        if answer.note:
            source += f"：{answer.note}"
        examples.setdefault(answer.item, {}).setdefault(key, []).append(
            _example_record(contact, source)
        )
    return examples


def _example_record(contact: EngineContact, source: str) -> dict[str, Any]:
    """A contact as a scorecard example: the rules' fields and the masked transcript.
    `source` is not a field of the format: the engine keeps it aside (`extra`)."""
    record: dict[str, Any] = {"source": source}
    for name in _EXAMPLE_TEXT_FIELDS:
        if getattr(contact, name) is not None:
            record[name] = getattr(contact, name)
    for name in _EXAMPLE_TIME_FIELDS:
        moment = getattr(contact, name)
        if moment is not None:
            record[name] = timezone.localtime(moment).isoformat()
    for name in _EXAMPLE_NUMBER_FIELDS:
        if getattr(contact, name) is not None:
            record[name] = getattr(contact, name)
    if contact.holds:
        record["holds"] = [{"start": h.start, "end": h.end} for h in contact.holds]
    record["turns"] = [
        _example_turn(turn.speaker, text, turn.start, turn.end)
        for turn, text in zip(contact.turns, pii.mask_turn_texts(contact.turns), strict=True)
    ]
    return record


def _example_turn(speaker: str, text: str, start: float | None, end: float | None) -> Any:
    if start is None or end is None:
        return {speaker: text}  # the short form: `- agent: 您好`
    return {"speaker": speaker, "start": start, "end": end, "text": text}


def calibration_examples_yaml(*, session: CalibrationSession) -> str:
    """The session's scorecard version with the agreed answers added to its automatic
    items' examples: a whole scorecard, ready for `lingting scorecard test FILE` (which
    shows every agreed answer the rule gets wrong) and, once the rule is fixed, loading."""
    scorecard = scorecard_of(session.version)
    examples = calibration_examples(session=session)
    document = scorecard.to_dict()
    for section in document.get("sections") or ():
        for item in section.get("items") or ():
            added = examples.get(str(item.get("id")))
            if not added:
                continue
            existing = item.setdefault("examples", {})
            for key in ("must_trigger", "must_not_trigger"):
                if added.get(key):
                    existing[key] = [*(existing.get(key) or []), *added[key]]
    count = sum(len(v) for by_key in examples.values() for v in by_key.values())
    header = [
        _("评分表 %(name)s（%(version)s）加上校准“%(title)s”（#%(id)d）的议定答案")
        % {
            "name": scorecard.name,
            "version": session.version.label,
            "title": " ".join(session.title.split()),
            "id": session.pk,
        },
        _("新增 %(count)d 个示例：议定“扣分”→ must_trigger，“通过”或“不适用”→ must_not_trigger")
        % {"count": count},
        _("检查规则是否与议定答案一致：lingting scorecard test 本文件；个人号码已脱敏"),
        _("由评分表内容重新生成，原文件中的注释没有保留"),
        _("生成于 %s") % timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    ]
    body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    return "".join(f"# {line}\n" for line in header) + body


def examples_filename(session: CalibrationSession) -> str:
    return f"{session.version.scorecard.name}-calibration-{session.pk}.yaml"
