"""Calibration sessions: who may open which, the lists a session is made from, and what a
reviewer may not read yet.

Who sees the answers: the QA supervisor, always. A reviewer of the session sees the
figures and everyone's answers only once they have submitted every contact of their own,
or once the session is closed — until then they would be anchored by the others (the
same rule keeps the others' records out of `evaluations_for`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.http import Http404

from lingting.core.models import User
from lingting.interactions.models import Contact
from lingting.quality.models import (
    AssignmentKind,
    AssignmentStatus,
    CalibrationSession,
    CalibrationStatus,
    ReviewAssignment,
)
from lingting.quality.permissions import ROLES_REVIEWING, may_manage_qa
from lingting.quality.selectors.contact_page import ContactDetail

RECENT_REVIEWED = 30  # reviewed contacts offered when a session is created


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
    sessions = (
        CalibrationSession.objects.select_related("created_by", "version")
        .annotate(
            contact_count=Count("contacts", distinct=True),
            reviewer_count=Count("reviewers", distinct=True),
            submitted_count=Count(
                "assignments",
                filter=Q(assignments__status=AssignmentStatus.SUBMITTED),
                distinct=True,
            ),
        )
        .order_by("-created_at", "-id")
    )  # explicit: an aggregating query drops Meta.ordering
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


def calibration_session_for(*, user: User, session_id: int) -> CalibrationSession:
    """A session `user` may open (a supervisor: any; a reviewer: their own); else 404."""
    session = (
        calibration_sessions_for(user).select_related("version__scorecard").filter(pk=session_id)
    ).first()
    if session is None:
        raise Http404("no such calibration session")
    return session
