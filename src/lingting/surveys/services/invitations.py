"""Survey invitations: decided for the contacts that ended, sent through the gateway, and
answered by SMS reply or on the H5 page (issue 17).

The decision and the outbox are one row (`SurveyInvitation`), written in the transaction
that decides: a crash after it loses nothing (the row waits, due), a crash before it leaves
the contact undecided for the next run. Sending claims a due row, hands it to the gateway and
records the outcome in one transaction; a crash between the gateway's acceptance and the
commit sends it again, with the same idempotency key (the invitation's id) for the gateway
to drop. An opt-out is checked when deciding and again just before sending.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from itertools import batched

from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lingting.core.models import User
from lingting.core.services import audit_record, system_user
from lingting.engine.survey_figures import NPS_SCALE
from lingting.engine.survey_invitations import (
    ContactFacts,
    CustomerHistory,
    InvitationRule,
    Verdict,
    contact_address,
    invitation_decision,
)
from lingting.engine.survey_replies import ReplyKind, read_reply
from lingting.interactions.models import Contact
from lingting.surveys.forms import SurveyPlanForm
from lingting.surveys.models import (
    InvitationStatus,
    LowScoreAction,
    SurveyInvitation,
    SurveyOptOut,
    SurveyPlan,
    SurveyQuestion,
    SurveyReply,
    SurveyResponse,
)
from lingting.surveys.selectors import invitation_refusal, plan_scores
from lingting.surveys.tasks import invitations_send_soon
from lingting.workorders.models import WorkOrderType
from lingting.workorders.seeds import workorder_types_ensure
from lingting.workorders.services.creation import workorder_create

BATCH = 500
SURVEYS_USERNAME = "lingting-surveys"  # the account the low-score orders are taken under
LOW_SCORE_ORDER_TYPE = "complaint"  # 投诉, with the customer's phone (workorders.seeds)
WAITING = (InvitationStatus.DUE, InvitationStatus.SENT, InvitationStatus.ANSWERED)


def plan_rule(plan: SurveyPlan) -> InvitationRule:
    return InvitationRule(
        queues=frozenset(plan.queues),
        channels=frozenset(plan.contact_channels),
        dispositions=frozenset(plan.dispositions),
        rest_days=plan.rest_days,
        after_complaints=plan.after_complaints,
        quiet_start=plan.quiet_start,
        quiet_end=plan.quiet_end,
        delay=timedelta(minutes=plan.delay_minutes),
        within=timedelta(hours=plan.within_hours),
    )


def survey_invitations_decide(*, now: datetime | None = None) -> int:
    """Decide, under every active plan, about each contact that ended within the plan's
    window and has no decision yet; returns how many invitations became due."""
    now = timezone.localtime(now or timezone.now())
    due = 0
    for plan in SurveyPlan.objects.filter(active=True):
        rule = plan_rule(plan)
        undecided = (
            # By start first, which is indexed: no contact lasts a day.
            Contact.objects.filter(started_at__gte=now - rule.within - timedelta(days=1))
            .filter(ended_at__gte=now - rule.within, ended_at__lte=now)
            .exclude(Exists(SurveyInvitation.objects.filter(plan=plan, contact=OuterRef("pk"))))
            .order_by("ended_at", "pk")
        )
        for ids in batched(undecided.values_list("pk", flat=True), BATCH):
            contacts = Contact.objects.select_related("queue", "customer").filter(pk__in=ids)
            due += _decide(plan, rule, list(contacts.order_by("ended_at", "pk")), now)
    if due:
        transaction.on_commit(invitations_send_soon, robust=True)
    return due


@transaction.atomic
def _decide(plan: SurveyPlan, rule: InvitationRule, contacts: list[Contact], now: datetime) -> int:
    addresses = {
        c.pk: contact_address(c.customer.code if c.customer else None, c.extra) for c in contacts
    }
    known = set(addresses.values()) - {""}
    opted_out = set(
        SurveyOptOut.objects.filter(address__in=known).values_list("address", flat=True)
    )
    last_invited: dict[str, datetime] = dict(
        SurveyInvitation.objects.filter(address__in=known, status__in=WAITING)
        .values("address")
        .annotate(last=Max("send_at"))
        .values_list("address", "last")
    )
    rows = []
    for contact in contacts:
        assert contact.ended_at is not None  # the query asked for an end
        address = addresses[contact.pk]
        facts = ContactFacts(
            ended_at=timezone.localtime(contact.ended_at),
            queue=contact.queue.code if contact.queue else "",
            channel=contact.channel,
            disposition=contact.disposition,
            tags=frozenset(str(tag) for tag in contact.tags),
            address=address,
        )
        history = CustomerHistory(address in opted_out, last_invited.get(address))
        decision = invitation_decision(rule, facts, history, now=now)
        row = SurveyInvitation(
            plan=plan,
            contact=contact,
            address=address,
            verdict=decision.verdict,
            status=InvitationStatus.DUE if decision.invited else InvitationStatus.SKIPPED,
            decided_at=now,
            send_at=decision.send_at,
        )
        if decision.invited:
            assert decision.send_at is not None
            row.token = secrets.token_urlsafe(24)
            row.expires_at = decision.send_at + timedelta(hours=plan.answer_hours)
            last_invited[address] = decision.send_at  # a second contact of the batch rests
        rows.append(row)
    # Two runs at once decide the same contact once: the (plan, contact) key keeps the first.
    SurveyInvitation.objects.bulk_create(rows, ignore_conflicts=True)
    return sum(row.status == InvitationStatus.DUE for row in rows)


# --- answers ----------------------------------------------------------------------------------


class AnswerRefused(Exception):
    """An H5 answer that cannot be taken: the text says why, for the customer."""


def survey_reply_receive(
    *, message_id: str, address: str, text: str, received_at: datetime
) -> SurveyReply:
    """Take one SMS reply from the gateway (again with the same `message_id`: the reply
    stored the first time). A score answers the number's latest open invitation; TD opts
    the number out of every later survey; anything else waits for a person."""
    existing = SurveyReply.objects.filter(message_id=message_id).first()
    if existing is not None:
        return existing
    try:
        return _reply_store(message_id, address, text, received_at)
    except IntegrityError:  # the same message, taken by a concurrent request meanwhile
        return SurveyReply.objects.get(message_id=message_id)


def _reply_store(message_id: str, address: str, text: str, received_at: datetime) -> SurveyReply:
    with transaction.atomic():
        invitation = _open_invitation(address, received_at)
        if invitation is None:  # read for its kind only: nothing is open to answer
            meaning = read_reply(text)
        else:
            plan = invitation.plan
            meaning = read_reply(text, scale=plan.scale, question=plan.asks)
        reply = SurveyReply.objects.create(
            message_id=message_id,
            address=address,
            text=text[:1000],
            received_at=received_at,
            kind=meaning.kind,
            invitation=invitation,
        )
        if meaning.kind is ReplyKind.OPT_OUT:
            survey_opt_out(address, source="sms", at=received_at)
        elif meaning.kind is ReplyKind.SCORE and invitation is not None:
            assert meaning.score is not None
            _answer(invitation, meaning.score, meaning.comment, received_at)
    return reply


def _open_invitation(address: str, at: datetime) -> SurveyInvitation | None:
    return (
        SurveyInvitation.objects.select_related("plan")
        .filter(address=address, status=InvitationStatus.SENT, expires_at__gt=at)
        .order_by("-sent_at", "-pk")
        .first()
    )


def survey_answer_by_link(
    *,
    token: str,
    score: int | None,
    comment: str = "",
    opt_out: bool = False,
    now: datetime | None = None,
) -> SurveyInvitation:
    """The H5 page's answer. AnswerRefused when the link is unknown, expired or used, or
    the score (None: none chosen) is not one of the plan's."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = (
            SurveyInvitation.objects.select_for_update()
            .select_related("plan")
            .filter(token=token)
            .first()
        )
        refusal = invitation_refusal(invitation, now)
        if refusal is not None:
            raise AnswerRefused(refusal)
        assert invitation is not None
        if score is None or score not in plan_scores(invitation.plan):
            raise AnswerRefused("score")
        _answer(invitation, score, comment.strip()[:2000], now)
        if opt_out:
            survey_opt_out(invitation.address, source="h5", at=now)
    return invitation


def _answer(invitation: SurveyInvitation, score: int, comment: str, at: datetime) -> None:
    plan = invitation.plan
    response = SurveyResponse.objects.create(
        contact_id=invitation.contact_id,
        channel=plan.channel,
        question=plan.asks,
        score=score,
        scale=NPS_SCALE if plan.asks == SurveyQuestion.RECOMMEND else plan.scale,
        answered_at=at,
        comment=comment,
    )
    invitation.status, invitation.response = InvitationStatus.ANSWERED, response
    invitation.save(update_fields=["status", "response"])
    if plan.low_score_action == LowScoreAction.WORKORDER and score <= plan.low_score_at_most:
        _complaint_order(invitation, response)


_LOW_SCORE_TITLES: dict[str, str] = {
    SurveyQuestion.SATISFACTION: "满意度回访低分",
    SurveyQuestion.RECOMMEND: "推荐意愿回访低分",
}


def _complaint_order(invitation: SurveyInvitation, response: SurveyResponse) -> None:
    """A low score opens a complaint (投诉) order about the contact, for the center to call
    the customer back, taken by the surveys' own account."""
    workorder_types_ensure()
    workorder_create(
        actor=system_user(username=SURVEYS_USERNAME, name="满意度回访"),
        order_type=WorkOrderType.objects.get(code=LOW_SCORE_ORDER_TYPE),
        title=f"{_LOW_SCORE_TITLES[response.question]} {response.score}/{response.scale}："
        f"{invitation.contact.external_id}",
        description=response.comment,
        fields={"phone": invitation.address},
        customer=invitation.contact.customer,
        contact=invitation.contact,
    )


def survey_opt_out(address: str, *, source: str, at: datetime) -> None:
    """No survey to `address` ever again: its waiting invitations are withdrawn now and
    every later decision reads the opt-out first."""
    _, created = SurveyOptOut.objects.get_or_create(
        address=address, defaults={"opted_out_at": at, "source": source}
    )
    SurveyInvitation.objects.filter(address=address, status=InvitationStatus.DUE).update(
        status=InvitationStatus.WITHDRAWN, verdict=Verdict.OPTED_OUT
    )
    if created:
        audit_record(
            actor=None,
            action="survey.opt_out",
            object_type="survey_address",
            object_id=address[-4:],  # the trail names the number by its last digits only
            after={"source": source},
        )


# Why a contact was not surveyed, in the plan page's words.
VERDICT_LABELS = (
    (Verdict.OPTED_OUT, _("已退订")),
    (Verdict.NO_ADDRESS, _("无号码")),
    (Verdict.QUEUE, _("队列不在计划内")),
    (Verdict.CHANNEL, _("渠道不在计划内")),
    (Verdict.DISPOSITION, _("联络结果不在计划内")),
    (Verdict.COMPLAINT, _("投诉联络")),
    (Verdict.RESTING, _("间隔期内已邀请")),
    (Verdict.STALE, _("联络结束已久")),
)


def survey_plan_save(*, actor: User, form: SurveyPlanForm) -> SurveyPlan:
    """Create or change a plan from its valid form; audited with what changed."""
    before = (
        {name: form.initial.get(name) for name in form.changed_data} if form.instance.pk else {}
    )
    with transaction.atomic():
        plan = form.save()
        audit_record(
            actor=actor,
            action="survey_plan.save",
            object_type="survey_plan",
            object_id=plan.pk,
            before={k: str(v) for k, v in before.items()},
            after={name: str(form.cleaned_data[name]) for name in form.changed_data},
        )
    return plan
