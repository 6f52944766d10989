"""Reviewing a contact: the monitoring record, its findings, and the audit trail."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.core.models import User
from lingting.core.services import audit_record, notification_send
from lingting.engine.evaluation import Answer, EvaluationError, evaluate_answers
from lingting.quality.models import (
    AssignmentKind,
    AssignmentStatus,
    CalibrationStatus,
    Evaluation,
    Finding,
    FindingScope,
    ReviewAssignment,
    ReviewedItem,
)
from lingting.quality.selectors.reviews import review_version
from lingting.quality.selectors.score_of_record import auto_results_of
from lingting.quality.selectors.scorecards import scorecard_of
from lingting.quality.services.scorecards import scorecard_version_ensure_current


@dataclass(frozen=True, slots=True)
class FindingInput:
    """A reviewer's comment on the words of the contact (a span of one turn) or, with no
    turn, on the contact as a whole."""

    note: str
    scope: str  # FindingScope
    item: str = ""
    turn: int | None = None
    start_char: int | None = None
    end_char: int | None = None


@dataclass(frozen=True, slots=True)
class RecordInput:
    """What the review form sends: one answer per item, findings, and the reviewer's
    overall view (with coaching and training proposals, 002 §四 steps 3–7)."""

    answers: Mapping[str, Answer]
    findings: Sequence[FindingInput] = ()
    summary: str = ""
    coaching_proposed: bool = False
    coaching_note: str = ""
    training_need: str = ""


def evaluation_submit(
    *, reviewer: User, assignment: ReviewAssignment, record: RecordInput
) -> Evaluation:
    """Turn a reviewer's answers into the contact's monitoring record.

    Only the assigned reviewer may submit, once. The record is scored by the engine against
    the same scorecard version as the automatic score; a sample review becomes the
    contact's reviewed score and lands in the audit trail with every overturned item and
    its reason. ValidationError lists every problem of the answers at once.
    """
    with transaction.atomic():
        assignment = (
            ReviewAssignment.objects.select_for_update(of=("self",))
            .select_related("contact__current_score__version", "session__version")
            .get(pk=assignment.pk)
        )
        if assignment.reviewer_id != reviewer.pk:
            raise PermissionDenied(_("这条联络没有分配给你"))
        if assignment.status != AssignmentStatus.PENDING:
            raise ValidationError(_("这条联络已经评过分了"))
        if assignment.session is not None and assignment.session.status != CalibrationStatus.OPEN:
            raise ValidationError(_("这次校准已经结束"))
        if assignment.contact.current_score is None:
            # The review falls back on the scorecard in force: load the built-in one if
            # none is yet (the page that showed the form only read it).
            scorecard_version_ensure_current()
        version, auto = review_version(assignment)
        try:
            outcome = evaluate_answers(
                scorecard_of(version), record.answers, auto_results=auto_results_of(auto)
            )
        except EvaluationError as error:
            raise ValidationError(list(error.problems)) from None
        findings = _checked_findings(record.findings, assignment)
        evaluation = Evaluation.objects.create(
            contact=assignment.contact,
            reviewer=reviewer,
            assignment=assignment,
            kind=assignment.kind,
            version=version,
            auto_score=auto,
            score=outcome.score,
            passed=outcome.passed,
            fatal=outcome.fatal,
            severity_a=outcome.severity_counts["A"],
            severity_b=outcome.severity_counts["B"],
            severity_c=outcome.severity_counts["C"],
            summary=record.summary.strip(),
            coaching_proposed=record.coaching_proposed,
            coaching_note=record.coaching_note.strip(),
            training_need=record.training_need.strip(),
        )
        ReviewedItem.objects.bulk_create(
            ReviewedItem(
                evaluation=evaluation,
                position=position,
                item=item.item,
                title=item.title,
                section=item.section,
                severity=item.severity,
                fatal=item.fatal,
                points=item.points,
                result=item.result,
                points_lost=item.points_lost,
                auto_result=item.auto_result,
                overturned=item.overturned,
                reason=item.reason,
                note=item.note,
            )
            for position, item in enumerate(outcome.items)
        )
        for finding in findings:
            finding.evaluation = evaluation
        Finding.objects.bulk_create(findings)
        assignment.status = AssignmentStatus.SUBMITTED
        assignment.save(update_fields=["status"])
        if assignment.kind == AssignmentKind.SAMPLE:
            overturned = [i for i in outcome.items if i.overturned]
            audit_record(
                actor=reviewer,
                action="evaluation.submit",
                object_type="contact",
                object_id=assignment.contact_id,
                before=_score_state(auto.score, auto.passed, "auto") if auto else None,
                after=_score_state(outcome.score, outcome.passed, "review")
                | {
                    "evaluation": evaluation.pk,
                    "overturned": {i.item: [i.auto_result, i.result] for i in overturned},
                },
                note="\n".join(f"{i.title}：{i.reason}" for i in overturned),
            )
            _tell_the_agent(evaluation)
    return evaluation


def _tell_the_agent(evaluation: Evaluation) -> None:
    """A record about an agent is published: tell them, with the dispute window, so it
    never runs out unseen."""
    agent = evaluation.contact.agent
    if agent is None or agent.user is None:
        return
    notification_send(
        user=agent.user,
        text=_(
            "联络 %(contact)s 有新的监督记录：%(score)s 分。"
            "请签收；对扣分有异议可在 %(days)d 天内申诉"
        )
        % {
            "contact": evaluation.contact.external_id,
            "score": f"{evaluation.score:g}",
            "days": settings.LINGTING_DISPUTE_DAYS,
        },
        url=f"{reverse('quality:my_scores')}#record-{evaluation.pk}",
    )


def evaluation_acknowledge(*, agent_user: User, evaluation: Evaluation) -> Evaluation:
    """The record's agent signs for it (签收): they have read it. Signing again changes
    nothing; the first signature is kept and audited.

    PermissionDenied unless the contact is the agent's own; ValidationError for a
    calibration record, which is reviewers' practice, not a judgement of the agent.
    """
    with transaction.atomic():
        evaluation = (
            Evaluation.objects.select_for_update(of=("self",))
            .select_related("contact__agent")
            .get(pk=evaluation.pk)
        )
        agent = evaluation.contact.agent
        if agent is None or agent.user_id != agent_user.pk:
            raise PermissionDenied(_("只有被评分的坐席本人可以签收"))
        if evaluation.kind != AssignmentKind.SAMPLE:
            raise ValidationError(_("校准评分不是对坐席的评判，无需签收"))
        if evaluation.acknowledged_at is None:
            evaluation.acknowledged_at = timezone.now()
            evaluation.save(update_fields=["acknowledged_at"])
            audit_record(
                actor=agent_user,
                action="evaluation.acknowledge",
                object_type="evaluation",
                object_id=evaluation.pk,
                after={"acknowledged_at": evaluation.acknowledged_at.isoformat()},
            )
    return evaluation


def _score_state(score: float, passed: bool, source: str) -> dict[str, object]:
    return {"score": score, "passed": passed, "source": source}


def _checked_findings(
    findings: Sequence[FindingInput], assignment: ReviewAssignment
) -> list[Finding]:
    """Unsaved findings quoting the words they point at; every problem reported at once."""
    problems: list[str] = []
    turns = dict(assignment.contact.turns.values_list("index", "text"))
    checked: list[Finding] = []
    for number, finding in enumerate(findings, start=1):
        if not finding.note.strip():
            problems.append(_("第 %d 条问题：请写明问题") % number)
        if finding.scope not in FindingScope.values:
            problems.append(_("第 %d 条问题：请选择共性问题或个性问题") % number)
        quote = ""
        if finding.turn is not None:
            text = turns.get(finding.turn)
            start, end = finding.start_char or 0, finding.end_char
            if text is None or end is None or not 0 <= start < end <= len(text):
                problems.append(_("第 %d 条问题：引用的对话位置不存在") % number)
            else:
                quote = text[start:end]
        checked.append(
            Finding(
                note=finding.note.strip(),
                scope=finding.scope,
                item=finding.item,
                turn=finding.turn,
                start_char=finding.start_char if finding.turn is not None else None,
                end_char=finding.end_char if finding.turn is not None else None,
                quote=quote,
            )
        )
    if problems:
        raise ValidationError(problems)
    return checked
