"""Calibration sessions (校准): reviewers score the same contacts blind, then agree.

Seed 002 第三篇 §二.2 makes it the QA supervisor's duty: "定期进行服务质量监控校准，保证质检员
对监控标准理解的一致性". The supervisor picks a few contacts and at least two reviewers; each
reviewer gets every contact in their queue as a calibration assignment and scores it on the
review page without the machine's answers (see `review_version`). Their records never become
a contact's score. The supervisor then records the agreed answer (the consensus) item by
item, and closes the session with a conclusion.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.core.models import User
from lingting.core.services import audit_record
from lingting.engine.evaluation import REVIEW_RESULTS
from lingting.engine.scorecard import Scorecard
from lingting.interactions.models import Contact
from lingting.quality.models import (
    AgreedAnswer,
    AssignmentKind,
    AssignmentStatus,
    CalibrationSession,
    CalibrationStatus,
    ReviewAssignment,
)
from lingting.quality.permissions import may_manage_qa, may_review
from lingting.quality.selectors.scorecards import scorecard_of
from lingting.quality.services.scorecards import scorecard_version_ensure_current

MIN_REVIEWERS = 2  # agreement needs a pair
MAX_REVIEWERS = 20
MAX_CONTACTS = 50  # a session is a meeting's worth of contacts, not a sample


class AgreedInput(NamedTuple):
    """The supervisor's agreed answer for one item: (result, points lost, note).

    `points_lost` None means the item's full points when it fails (as on the review page).
    """

    result: str
    points_lost: float | None = None
    note: str = ""


def calibration_session_create(
    *,
    supervisor: User,
    title: str,
    contacts: Iterable[Contact],
    reviewers: Iterable[User],
) -> CalibrationSession:
    """Open a session on the active standard scorecard version and put every contact in
    every reviewer's queue (one calibration assignment per reviewer × contact).

    ValidationError lists every problem at once: no title, fewer than two reviewers, a
    reviewer who may not review, no contact, a contact without a transcript.
    """
    if not may_manage_qa(supervisor):
        raise PermissionDenied(_("只有质检主管可以组织校准"))
    picked_contacts = list({c.pk: c for c in contacts}.values())
    picked_reviewers = list({r.pk: r for r in reviewers}.values())
    _check_new_session(title, picked_contacts, picked_reviewers)
    with transaction.atomic():
        session = CalibrationSession.objects.create(
            title=title.strip(), created_by=supervisor, version=scorecard_version_ensure_current()
        )
        session.contacts.set(picked_contacts)
        session.reviewers.set(picked_reviewers)
        ReviewAssignment.objects.bulk_create(
            ReviewAssignment(
                contact=contact,
                reviewer=reviewer,
                kind=AssignmentKind.CALIBRATION,
                session=session,
            )
            for contact in picked_contacts
            for reviewer in picked_reviewers
        )
        audit_record(
            actor=supervisor,
            action="calibration.create",
            object_type="calibration_session",
            object_id=session.pk,
            after={
                "title": session.title,
                "version": session.version.label,
                "contacts": sorted(c.external_id for c in picked_contacts),
                "reviewers": sorted(r.username for r in picked_reviewers),
            },
        )
    return session


def _check_new_session(title: str, contacts: Sequence[Contact], reviewers: Sequence[User]) -> None:
    problems: list[str] = []
    if not title.strip():
        problems.append(_("请填写校准主题"))
    outsiders = [r.display_name for r in reviewers if not (may_review(r) and r.is_active)]
    if len(reviewers) - len(outsiders) < MIN_REVIEWERS:
        problems.append(_("至少选择 %d 名质检员：一致性要两人以上才能比较") % MIN_REVIEWERS)
    if len(reviewers) > MAX_REVIEWERS:
        problems.append(_("一次校准最多 %d 名质检员") % MAX_REVIEWERS)
    if outsiders:
        problems.append(_("只有在职的质检员或质检主管可以参加校准：%s") % "、".join(outsiders))
    if not contacts:
        problems.append(_("至少选择 1 条联络"))
    if len(contacts) > MAX_CONTACTS:
        problems.append(_("一次校准最多 %d 条联络") % MAX_CONTACTS)
    silent = [c.external_id for c in contacts if c.turn_count <= 0]
    if silent:
        problems.append(_("这些联络没有对话文本，无法评分：%s") % "、".join(silent))
    if problems:
        raise ValidationError(problems)


def calibration_agree(
    *,
    supervisor: User,
    session: CalibrationSession,
    contact: Contact,
    answers: Mapping[str, AgreedInput | tuple[str, float | None, str]],
) -> list[AgreedAnswer]:
    """Record the agreed answers for `contact`, replacing what was agreed on it before.

    `answers` maps item ids to (result, points lost, note); items left out have no agreed
    answer (their consensus is the reviewers' majority). The agreed answers become the
    consensus the session measures reviewers against and, for automatic items, examples
    for the scorecard's rule tests.
    """
    if not may_manage_qa(supervisor):
        raise PermissionDenied(_("只有质检主管可以确定议定答案"))
    with transaction.atomic():
        session = (
            CalibrationSession.objects.select_for_update(of=("self",))
            .select_related("version")
            .get(pk=session.pk)
        )
        if session.status != CalibrationStatus.OPEN:
            raise ValidationError(_("这次校准已经结束，议定答案不能再改"))
        if not session.contacts.filter(pk=contact.pk).exists():
            raise ValidationError(_("这条联络不在这次校准中"))
        rows = _agreed_rows(scorecard_of(session.version), session, contact, answers)
        previous = AgreedAnswer.objects.filter(session=session, contact=contact)
        before = {a.item: [a.result, a.points_lost] for a in previous}
        previous.delete()
        created = AgreedAnswer.objects.bulk_create(rows)
        audit_record(
            actor=supervisor,
            action="calibration.agree",
            object_type="calibration_session",
            object_id=session.pk,
            before={"contact": contact.external_id, "answers": before} if before else None,
            after={
                "contact": contact.external_id,
                "answers": {a.item: [a.result, a.points_lost] for a in rows},
            },
        )
    return created


def _agreed_rows(
    scorecard: Scorecard,
    session: CalibrationSession,
    contact: Contact,
    answers: Mapping[str, AgreedInput | tuple[str, float | None, str]],
) -> list[AgreedAnswer]:
    """Unsaved rows for `answers`, checked against the scorecard; every problem at once."""
    problems: list[str] = []
    items = {item.id: item for item in scorecard.items}
    rows: list[AgreedAnswer] = []
    for item_id, answer in answers.items():
        result, lost, note = AgreedInput(*answer)
        item = items.get(item_id)
        if item is None:
            problems.append(_("%s：评分表中没有这一项") % item_id)
            continue
        where = f"{item.id}（{item.title}）"
        if result not in REVIEW_RESULTS:
            problems.append(_("%(item)s：结果只能是通过、扣分或不适用") % {"item": where})
            continue
        points_lost = 0.0
        if result == "fail":
            points_lost = item.points if lost is None else float(lost)
            if not 0 <= points_lost <= item.points:
                problems.append(
                    _("%(item)s：扣分 %(lost)g 超出本项分值 0–%(points)g")
                    % {"item": where, "lost": points_lost, "points": item.points}
                )
                continue
        rows.append(
            AgreedAnswer(
                session=session,
                contact=contact,
                item=item.id,
                result=result,
                points_lost=points_lost,
                note=note.strip(),
            )
        )
    if problems:
        raise ValidationError(problems)
    return rows


def calibration_session_close(
    *, supervisor: User, session: CalibrationSession, note: str
) -> CalibrationSession:
    """Close the session with the supervisor's conclusion.

    Contacts still unscored leave the reviewers' queues (their assignments are withdrawn,
    and the audit trail names them); the records already submitted stay.
    """
    if not may_manage_qa(supervisor):
        raise PermissionDenied(_("只有质检主管可以结束校准"))
    with transaction.atomic():
        session = CalibrationSession.objects.select_for_update().get(pk=session.pk)
        if session.status != CalibrationStatus.OPEN:
            raise ValidationError(_("这次校准已经结束"))
        # Locked first: a record being submitted right now is either in (and waited for,
        # then no longer pending) or out; never deleted from under its evaluation.
        pending = list(
            ReviewAssignment.objects.select_for_update(of=("self",))
            .select_related("reviewer", "contact")
            .filter(
                session=session,
                kind=AssignmentKind.CALIBRATION,
                status=AssignmentStatus.PENDING,
            )
        )
        withdrawn = sorted(f"{a.reviewer.username}:{a.contact.external_id}" for a in pending)
        ReviewAssignment.objects.filter(pk__in=[a.pk for a in pending]).delete()
        session.status = CalibrationStatus.CLOSED
        session.closed_at = timezone.now()
        session.note = note.strip()
        session.save(update_fields=["status", "closed_at", "note"])
        audit_record(
            actor=supervisor,
            action="calibration.close",
            object_type="calibration_session",
            object_id=session.pk,
            before={"status": CalibrationStatus.OPEN.value},
            after={"status": session.status, "withdrawn": withdrawn},
            note=session.note,
        )
    return session
