"""A callback call recorded: its outcome moves the customer on (engine.callbacks.after_call),
a do-not-call request goes on the list for good, and the call is an outbound contact of
the campaign's queue, scored by auto-QA with that queue's scorecard once it has a
transcript, and counted in the agent's work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction

from lingting.campaigns.models import CallAttempt, CampaignTarget, DoNotCall, DoNotCallSource
from lingting.campaigns.services.customers import do_not_call_add
from lingting.core.models import Agent, User
from lingting.core.services import audit_record
from lingting.engine.callbacks import Disposition, RetryRule, TargetState, after_call
from lingting.interactions.models import Contact


class CallRefused(ValueError):
    """The call cannot be recorded; the message says why, for the agent or the dialer."""


@dataclass(frozen=True)
class CallOutcome:
    """What a reached customer said; None: not asked."""

    non_use_reason: str = ""
    offer_accepted: bool | None = None
    satisfaction: int | None = None
    revenue: Decimal | None = None


def call_record(
    *,
    actor: User | None,
    target: CampaignTarget,
    agent: Agent,
    disposition: Disposition,
    called_at: datetime,
    call_back_at: datetime | None = None,
    note: str = "",
    outcome: CallOutcome | None = None,
    dialer_key: str | None = None,
    contact_id: str = "",
) -> CallAttempt:
    """Record one call to `target` and where the customer stands after it. A `dialer_key`
    seen before returns the call it recorded (a dialer's retry records nothing twice).
    `contact_id`: the switch's id of the call, whose transcript is imported under it."""
    if dialer_key and (seen := CallAttempt.objects.filter(dialer_key=dialer_key).first()):
        return seen
    try:
        with transaction.atomic():
            return _record(
                actor,
                CampaignTarget.objects.select_for_update()
                .select_related("campaign")
                .get(pk=target.pk),
                agent,
                disposition,
                called_at,
                call_back_at,
                note,
                outcome or CallOutcome(),
                dialer_key,
                contact_id,
            )
    except IntegrityError:
        # the same dialer key stored by a request running at the same time
        if dialer_key and (seen := CallAttempt.objects.filter(dialer_key=dialer_key).first()):
            return seen
        raise


def _record(
    actor: User | None,
    target: CampaignTarget,
    agent: Agent,
    disposition: Disposition,
    called_at: datetime,
    call_back_at: datetime | None,
    note: str,
    outcome: CallOutcome,
    dialer_key: str | None,
    contact_id: str,
) -> CallAttempt:
    if target.state != TargetState.OPEN:
        raise CallRefused(f"this customer is not to be called ({target.state})")
    if target.phone and DoNotCall.objects.filter(number=target.phone).exists():
        raise CallRefused("the number is on the do-not-call list")
    campaign = target.campaign
    rule = RetryRule(campaign.max_attempts, timedelta(minutes=campaign.retry_minutes))
    try:
        step = after_call(
            disposition,
            attempts=target.attempts + 1,
            at=called_at,
            rule=rule,
            call_back_at=call_back_at,
        )
    except ValueError as refused:
        raise CallRefused(str(refused)) from None
    if disposition is Disposition.REACHED:
        _keep_outcome(target, outcome)  # checked before anything is written
    contact = _call_contact(target, agent, disposition, called_at, contact_id)
    attempt = CallAttempt.objects.create(
        target=target,
        agent=agent,
        number=target.phone,
        called_at=called_at,
        disposition=disposition,
        call_back_at=call_back_at if disposition is Disposition.CALL_BACK else None,
        note=note[:500],
        contact=contact,
        dialer_key=dialer_key or None,
    )
    before = {"state": target.state, "attempts": target.attempts}
    target.attempts += 1
    target.state = step.state
    target.next_try_at = step.next_try_at
    target.last_disposition = disposition
    target.last_called_at = called_at
    target.save()
    if disposition is Disposition.DO_NOT_CALL and target.phone:
        do_not_call_add(
            number=target.phone,
            source=DoNotCallSource.CALL,
            actor=actor,
            note=f"{campaign.name}: {note}"[:200],
        )
    audit_record(
        actor=actor,
        action="callback.call",
        object_type="campaign_target",
        object_id=target.pk,
        before=before,
        after={"state": target.state, "attempts": target.attempts, "disposition": disposition},
    )
    return attempt


def _keep_outcome(target: CampaignTarget, outcome: CallOutcome) -> None:
    if outcome.non_use_reason:
        target.non_use_reason = outcome.non_use_reason
    if outcome.offer_accepted is not None:
        target.offer_accepted = outcome.offer_accepted
    if outcome.satisfaction is not None:
        if not 1 <= outcome.satisfaction <= 5:
            raise CallRefused("satisfaction is from 1 to 5")
        target.satisfaction = outcome.satisfaction
    if outcome.revenue is not None:
        if outcome.revenue < 0:
            raise CallRefused("revenue cannot be negative")
        target.revenue = outcome.revenue


def _call_contact(
    target: CampaignTarget,
    agent: Agent,
    disposition: Disposition,
    called_at: datetime,
    contact_id: str,
) -> Contact:
    """The call as an outbound contact of the campaign's queue: the switch's one where the
    dialer named it (created now if its transcript is not imported yet), else logged here."""
    campaign = target.campaign
    external_id = contact_id or f"callback-{campaign.pk}-{target.pk}-{target.attempts + 1}"
    contact, created = Contact.objects.get_or_create(
        external_id=external_id,
        defaults={
            "channel": "voice",
            "direction": "outbound",
            "queue": campaign.queue,
            "agent": agent,
            "customer_id": target.customer_id,
            "started_at": called_at,
            "disposition": disposition,
            "extra": {"campaign": campaign.name},
        },
    )
    if not created and CallAttempt.objects.filter(contact=contact).exists():
        raise CallRefused(f"the call {external_id!r} is recorded already")
    return contact
