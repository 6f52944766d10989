"""Disputes (申诉): an agent contests one item of a monitoring record; a QA supervisor
upholds the record or overturns the item.

An agent disputes only what cost them points, on their own sample records (a calibration
record is reviewers' practice, not a judgement of the agent), within
`settings.LINGTING_DISPUTE_DAYS` of the record, once per item. An overturn passes the item,
and the engine scores the record again from its stored answers — the same rule as when it
was submitted — so the record's score, 合格 and A/B/C counts follow. Every step lands in the
audit trail of the contact, and the people concerned are told inside Lingting.
"""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.core.models import Role, User
from lingting.core.services import audit_record, notification_send
from lingting.engine.evaluation import Answer, EvaluationError, ReviewResult, evaluate_answers
from lingting.quality.models import (
    AssignmentKind,
    Dispute,
    DisputeStatus,
    Evaluation,
    ReviewedItem,
)
from lingting.quality.permissions import may_manage_qa
from lingting.quality.selectors.disputes import dispute_deadline
from lingting.quality.selectors.scorecards import scorecard_of


def dispute_raise(*, agent_user: User, evaluation: Evaluation, item: str, reason: str) -> Dispute:
    """`agent_user` disputes `item` of `evaluation` for `reason`; QA supervisors are told.

    PermissionDenied unless the contact is the agent's own; ValidationError (with a
    message for the agent) when the record or the item cannot be disputed.
    """
    reason = reason.strip()
    with transaction.atomic():
        evaluation = Evaluation.objects.select_related("contact__agent").get(pk=evaluation.pk)
        agent = evaluation.contact.agent
        if agent is None or agent.user_id != agent_user.pk:
            raise PermissionDenied(_("只有被评分的坐席本人可以申诉"))
        if evaluation.kind != AssignmentKind.SAMPLE:
            raise ValidationError(_("校准评分不是对坐席的评判，不能申诉"))
        row = evaluation.items.filter(item=item).first()
        if row is None:
            raise ValidationError(_("这条监督记录中没有这一评分项"))
        if row.points_lost <= 0:
            raise ValidationError(_("这一项没有扣分，无需申诉"))
        if not reason:
            raise ValidationError(_("请写明申诉理由"))
        deadline = dispute_deadline(evaluation)
        if timezone.now() > deadline:
            raise ValidationError(
                _("已超过申诉期限：评分后 %(days)d 天内可申诉（截至 %(deadline)s）")
                % {
                    "days": settings.LINGTING_DISPUTE_DAYS,
                    "deadline": f"{timezone.localtime(deadline):%Y-%m-%d %H:%M}",
                }
            )
        try:
            with transaction.atomic():  # a savepoint: the constraint decides, not a check
                dispute = Dispute.objects.create(
                    evaluation=evaluation, item=item, raised_by=agent_user, reason=reason
                )
        except IntegrityError:
            raise ValidationError(_("这一项已经申诉过了，每一项只能申诉一次")) from None
        audit_record(
            actor=agent_user,
            action="dispute.raise",
            object_type="contact",
            object_id=evaluation.contact_id,
            after={"evaluation": evaluation.pk, "item": item, "dispute": dispute.pk},
            note=reason,
        )
        text = _("%(agent)s 对联络 %(contact)s 的「%(item)s」提出申诉") % {
            "agent": agent_user.display_name,
            "contact": evaluation.contact.external_id,
            "item": row.title,
        }
        url = reverse("quality:dispute_detail", args=[dispute.pk])
        for supervisor in User.objects.filter(role=Role.QA_SUPERVISOR, is_active=True):
            notification_send(user=supervisor, text=text, url=url)
    return dispute


def dispute_decide(*, supervisor: User, dispute: Dispute, overturn: bool, note: str) -> Dispute:
    """A QA supervisor's decision on an open dispute, with the reason for it in `note`.

    Overturned: the item passes with no points lost and the record is scored again by the
    engine. Upheld: the record stands. Either way the dispute keeps the score before and
    after, the contact's audit trail gets the decision, and the agent and the reviewer are
    told. Two decisions on one dispute cannot both land (the rows are locked).
    """
    if not may_manage_qa(supervisor):
        raise PermissionDenied(_("只有质检主管可以处理申诉"))
    note = note.strip()
    if not note:
        raise ValidationError(_("请写明处理意见"))
    with transaction.atomic():
        # The record first, then the dispute: two disputes of one record decided at once
        # must not each recompute the total from the other's stale items.
        evaluation = (
            Evaluation.objects.select_for_update(of=("self",))
            .select_related("contact", "reviewer", "version")
            .get(pk=dispute.evaluation_id)
        )
        dispute = Dispute.objects.select_for_update(of=("self",)).get(pk=dispute.pk)
        if dispute.status != DisputeStatus.OPEN:
            raise ValidationError(_("这条申诉已经处理过了"))
        row = evaluation.items.get(item=dispute.item)
        before = _record_state(evaluation, row)
        score_before = evaluation.score
        if overturn:
            row = _overturn_item(evaluation, row, note)
        dispute.status = DisputeStatus.OVERTURNED if overturn else DisputeStatus.UPHELD
        dispute.decided_by = supervisor
        dispute.decided_at = timezone.now()
        dispute.decision_note = note
        dispute.score_before = score_before
        dispute.score_after = evaluation.score
        dispute.save(
            update_fields=[
                "status",
                "decided_by",
                "decided_at",
                "decision_note",
                "score_before",
                "score_after",
            ]
        )
        audit_record(
            actor=supervisor,
            action="dispute.decide",
            object_type="contact",
            object_id=evaluation.contact_id,
            before=before,
            after=_record_state(evaluation, row) | {"status": dispute.status},
            note=note,
        )
        _tell_decision(dispute, evaluation, row.title)
    return dispute


def _record_state(evaluation: Evaluation, row: ReviewedItem) -> dict[str, object]:
    return {
        "evaluation": evaluation.pk,
        "dispute_item": row.item,
        "score": evaluation.score,
        "passed": evaluation.passed,
        "result": row.result,
        "points_lost": row.points_lost,
    }


def _overturn_item(evaluation: Evaluation, row: ReviewedItem, note: str) -> ReviewedItem:
    """Pass `row` and score `evaluation` again from its stored answers; both saved."""
    rows = list(evaluation.items.all())
    answers = {
        r.item: Answer(
            result=cast(ReviewResult, r.result),
            points_lost=r.points_lost,
            reason=r.reason,
            note=r.note,
        )
        for r in rows
    }
    # The supervisor's decision is the reason the item now disagrees with the engine.
    answers[row.item] = Answer(result="pass", reason=note, note=row.note)
    try:
        outcome = evaluate_answers(
            scorecard_of(evaluation.version),
            answers,
            auto_results={r.item: r.auto_result for r in rows if r.auto_result},
        )
    except EvaluationError as error:
        raise ValidationError(list(error.problems)) from None
    changed = next(i for i in outcome.items if i.item == row.item)
    row.result = changed.result
    row.points_lost = changed.points_lost
    row.overturned = changed.overturned
    row.reason = changed.reason
    row.save(update_fields=["result", "points_lost", "overturned", "reason"])
    evaluation.score = outcome.score
    evaluation.passed = outcome.passed
    evaluation.fatal = outcome.fatal
    evaluation.severity_a = outcome.severity_counts["A"]
    evaluation.severity_b = outcome.severity_counts["B"]
    evaluation.severity_c = outcome.severity_counts["C"]
    evaluation.save(
        update_fields=["score", "passed", "fatal", "severity_a", "severity_b", "severity_c"]
    )
    return row


def _tell_decision(dispute: Dispute, evaluation: Evaluation, title: str) -> None:
    facts = {
        "contact": evaluation.contact.external_id,
        "item": title,
        "before": f"{dispute.score_before:g}",
        "after": f"{dispute.score_after:g}",
        "note": dispute.decision_note,
    }
    url = reverse("quality:evaluation_detail", args=[evaluation.pk])
    if dispute.status == DisputeStatus.OVERTURNED:
        to_agent = _(
            "你对联络 %(contact)s「%(item)s」的申诉成立，得分 %(before)s → %(after)s：%(note)s"
        )
        to_reviewer = _(
            "你评分的联络 %(contact)s「%(item)s」经申诉改判，得分 %(before)s → %(after)s：%(note)s"
        )
    else:
        to_agent = _("你对联络 %(contact)s「%(item)s」的申诉未获支持，维持原判：%(note)s")
        to_reviewer = _("你评分的联络 %(contact)s「%(item)s」经申诉维持原判：%(note)s")
    notification_send(user=dispute.raised_by, text=to_agent % facts, url=url)
    if evaluation.reviewer_id != dispute.decided_by_id:
        notification_send(user=evaluation.reviewer, text=to_reviewer % facts, url=url)
