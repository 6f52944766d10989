"""Sending due survey invitations through the configured gateway (issue 17): claim a due
row, check the opt-out and the quiet hours once more, hand it over and record the outcome,
all in one transaction; a failure is tried again after the webhook delays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lingting.engine.survey_invitations import Verdict, outside_quiet_hours
from lingting.engine.webhooks import retry_delay
from lingting.surveys.gateways import Gateway, GatewayError, OutgoingSurvey, configured_gateway
from lingting.surveys.models import InvitationStatus, SurveyInvitation, SurveyOptOut


@dataclass(slots=True)
class SendRun:
    sent: int = 0
    failed: int = 0  # attempts that failed (the invitation is tried again unless given up)
    withdrawn: int = 0
    next_due: datetime | None = None


def survey_invitations_send(
    *, now: datetime | None = None, gateway: Gateway | None = None, limit: int = 1000
) -> SendRun:
    """Hand every due invitation to the gateway; a failure is tried again after the webhook
    delays (1 min, 5, 30, 2 h, 12 h), then given up as failed."""
    now = now or timezone.now()
    gateway = gateway or configured_gateway()
    run = SendRun()
    due = SurveyInvitation.objects.filter(status=InvitationStatus.DUE, send_at__lte=now)
    for pk in list(due.order_by("send_at", "pk").values_list("pk", flat=True)[:limit]):
        _send_one(pk, now, gateway, run)
    following = (
        SurveyInvitation.objects.filter(status=InvitationStatus.DUE)
        .order_by("send_at")
        .values_list("send_at", flat=True)
        .first()
    )
    run.next_due = following
    return run


@transaction.atomic
def _send_one(pk: int, now: datetime, gateway: Gateway, run: SendRun) -> None:
    rows = SurveyInvitation.objects.select_related("plan").filter(
        pk=pk, status=InvitationStatus.DUE
    )
    invitation = rows.select_for_update(skip_locked=True, of=("self",)).first()
    if invitation is None:
        return  # another worker has it, or it went already
    plan = invitation.plan
    if SurveyOptOut.objects.filter(address=invitation.address).exists():
        invitation.status, invitation.verdict = InvitationStatus.WITHDRAWN, Verdict.OPTED_OUT
        invitation.save(update_fields=["status", "verdict"])
        run.withdrawn += 1
        return
    local = timezone.localtime(now)
    allowed = outside_quiet_hours(local, plan.quiet_start, plan.quiet_end)
    if allowed != local:  # the plan's quiet hours changed since the decision
        invitation.send_at = allowed
        invitation.save(update_fields=["send_at"])
        return
    invitation.attempts += 1
    try:
        gateway.send(outgoing(invitation))
    except GatewayError as error:
        run.failed += 1
        invitation.last_error = str(error)[:500]
        delay = retry_delay(invitation.attempts)
        if delay is None:
            invitation.status = InvitationStatus.FAILED
        else:
            invitation.send_at = now + delay
        invitation.save(update_fields=["attempts", "last_error", "status", "send_at"])
        return
    run.sent += 1
    invitation.status, invitation.sent_at, invitation.last_error = InvitationStatus.SENT, now, ""
    invitation.save(update_fields=["attempts", "status", "sent_at", "last_error"])


def answer_link(invitation: SurveyInvitation) -> str:
    path = reverse("survey_answer", args=[invitation.token])
    return settings.LINGTING_PUBLIC_URL.rstrip("/") + path


def outgoing(invitation: SurveyInvitation) -> OutgoingSurvey:
    link = answer_link(invitation)
    assert invitation.expires_at is not None
    return OutgoingSurvey(
        invitation=invitation.pk,
        channel=invitation.plan.channel,
        address=invitation.address,
        text=invitation.plan.question.replace("{link}", link),
        link=link,
        expires_at=invitation.expires_at.isoformat(),
    )
