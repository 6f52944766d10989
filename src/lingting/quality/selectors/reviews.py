"""Reading reviews: a reviewer's assignment with what the review page shows, and the
monitoring records each role may read."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404

from lingting.core.models import Role, User
from lingting.core.permissions import contact_scope
from lingting.engine.scorecard import Item
from lingting.interactions.recordings import recording_file
from lingting.quality.models import (
    AssignmentKind,
    ContactScore,
    Evaluation,
    ReviewAssignment,
    ScorecardVersion,
)
from lingting.quality.permissions import may_manage_qa, may_review
from lingting.quality.selectors.calibration import (
    blind_calibration_records,
    without_machine_findings,
)
from lingting.quality.selectors.contact_page import ContactDetail, ItemView, contact_detail_page_for
from lingting.quality.selectors.judge import Suggestion, judge_suggestions_for
from lingting.quality.selectors.score_of_record import auto_results_of
from lingting.quality.selectors.scorecards import scorecard_of, versions_in_force_for

# A QA analyst reads the records of the contacts they may see, and their own.
ROLES_READING_ALL_RECORDS = frozenset(
    {Role.QA_SUPERVISOR, Role.TRAINER, Role.OPERATIONS_MANAGER, Role.ADMIN}
)


@dataclass(frozen=True, slots=True)
class ReviewPage:
    assignment: ReviewAssignment
    detail: ContactDetail
    items: list[Item]
    auto_results: dict[str, str]
    playable: bool = False  # the contact has a recording this server can play
    # Manual item id → the model judge's answer (none in a blind calibration review).
    suggestions: dict[str, Suggestion] = field(default_factory=dict)

    @property
    def blind(self) -> bool:
        """A calibration review: no automatic results, nothing pre-filled."""
        return self.assignment.kind == AssignmentKind.CALIBRATION

    @property
    def explanations(self) -> dict[str, ItemView]:
        """Item id → why the machine answered it so (none in a blind calibration review)."""
        return {item.item: item for item in self.detail.items}


def assignment_for(*, user: User, assignment_id: int) -> ReviewAssignment:
    """An assignment of `user`'s (a supervisor may open any); Http404 otherwise."""
    assignments = ReviewAssignment.objects.select_related(
        "contact__current_score__version", "draw__plan", "reviewer", "session__version"
    )
    if not may_manage_qa(user):
        assignments = assignments.filter(reviewer=user)
    assignment = assignments.filter(pk=assignment_id).first()
    if assignment is None:
        raise Http404("no such assignment")
    return assignment


def review_version(assignment: ReviewAssignment) -> tuple[ScorecardVersion, ContactScore | None]:
    """The scorecard version a review uses — that of the contact's automatic score, so
    auto items can be confirmed or overturned — and that score (None when unscored).

    A calibration review is blind: it uses its session's version and no automatic score,
    so the machine's answers neither show nor anchor the reviewer, and nothing can be
    "overturned" (no reason is asked for). An unscored contact is reviewed with the
    scorecard in force for it (its queue's, else the standard one); Http404 while none is
    (nothing has been scored yet).
    """
    auto = assignment.contact.current_score
    if assignment.kind == AssignmentKind.CALIBRATION:
        if assignment.session is not None:
            return assignment.session.version, None
        in_force = auto.version if auto is not None else _version_in_force(assignment.contact_id)
        return in_force, None
    if auto is not None:
        return auto.version, auto
    return _version_in_force(assignment.contact_id), None


def _version_in_force(contact_id: int) -> ScorecardVersion:
    for version, _ in versions_in_force_for([contact_id]):
        return version
    raise Http404("no scorecard is active yet")


def review_page_for(*, user: User, assignment_id: int) -> ReviewPage:
    assignment = assignment_for(user=user, assignment_id=assignment_id)
    version, auto = review_version(assignment)  # a calibration review has no `auto`
    detail = contact_detail_page_for(user=user, contact_id=assignment.contact_id)
    if assignment.kind == AssignmentKind.CALIBRATION:
        detail = without_machine_findings(detail)
    suggestions = {}
    if assignment.kind != AssignmentKind.CALIBRATION:
        suggestions = judge_suggestions_for(
            user=user, contact_id=assignment.contact_id, version_id=version.pk
        )
    return ReviewPage(
        assignment=assignment,
        detail=detail,
        items=list(scorecard_of(version).items),
        auto_results=auto_results_of(auto),
        playable=recording_file(detail.contact) is not None,
        suggestions=suggestions,
    )


def evaluations_for(user: User) -> QuerySet[Evaluation]:
    """The monitoring records `user` may read.

    An agent and a team leader read the records of the contacts they may see — never a
    calibration record, which is reviewers' practice, not a judgement of the agent. A
    reviewer still scoring a calibration session does not read the others' records of it.
    """
    evaluations = Evaluation.objects.select_related(
        "contact__agent", "contact__queue", "reviewer", "version__scorecard"
    )
    if user.is_superuser or user.role in ROLES_READING_ALL_RECORDS:
        return evaluations.exclude(blind_calibration_records(user))
    sample_records = Q(contact_scope(user, via="contact")) & Q(kind=AssignmentKind.SAMPLE)
    if not may_review(user):
        return evaluations.filter(sample_records)
    # A reviewer also reads their own records and, once no longer blind, those of the
    # calibration sessions they took part in.
    fellow_calibrators = Q(
        kind=AssignmentKind.CALIBRATION, assignment__session__reviewers=user
    ) & ~blind_calibration_records(user)
    return evaluations.filter(sample_records | Q(reviewer=user) | fellow_calibrators).distinct()


def record_suggestions_for(*, user: User, evaluation: Evaluation) -> dict[str, Suggestion]:
    """Item id → what the model judge had suggested for a manual item of a sample record
    when its reviewer submitted it (as the review page showed it, and as the trust page
    compares it); for reviewers only, as on the review page. Nothing for a calibration
    record, whose reviewers were blind to the model."""
    if evaluation.kind != AssignmentKind.SAMPLE or not may_review(user):
        return {}
    return judge_suggestions_for(
        user=user,
        contact_id=evaluation.contact_id,
        version_id=evaluation.version_id,
        made_by=evaluation.submitted_at,
    )


def evaluation_for(*, user: User, evaluation_id: int) -> Evaluation:
    evaluation = (
        evaluations_for(user).prefetch_related("items", "findings").filter(pk=evaluation_id).first()
    )
    if evaluation is None:
        raise Http404("no such evaluation")
    return evaluation
