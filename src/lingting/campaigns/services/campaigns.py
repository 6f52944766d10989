"""Segments and campaigns set up, their customers added, and each day's lists shared out
among the team (engine.callbacks.share_out)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q
from django.forms import ModelForm

from lingting.campaigns.models import (
    Campaign,
    CampaignStatus,
    CampaignTarget,
    CustomerProfile,
    DoNotCall,
    Segment,
)
from lingting.campaigns.selectors import (
    campaign_running,
    present_agents,
    segment_customers,
    survey_numbers,
)
from lingting.core.models import User
from lingting.core.services import audit_record
from lingting.engine.callbacks import TargetState, share_out
from lingting.engine.segments import parse_segment_rules
from lingting.interactions.selectors import local_midnight

ADD_CHUNK = 1000


def segment_save(*, actor: User, form: ModelForm[Segment]) -> Segment:
    """Store a segment whose rules the form checked (engine.segments), audited."""
    with transaction.atomic():
        before = _described(form.instance) if form.instance.pk else None
        segment = form.save()
        audit_record(
            actor=actor,
            action="segment.save",
            object_type="segment",
            object_id=segment.pk,
            before=before,
            after=_described(segment),
        )
    return segment


def campaign_save(*, actor: User, form: ModelForm[Campaign]) -> Campaign:
    with transaction.atomic():
        before = _described(form.instance) if form.instance.pk else None
        campaign = form.save(commit=False)
        if campaign.created_by_id is None:
            campaign.created_by = actor
        campaign.save()
        audit_record(
            actor=actor,
            action="campaign.save",
            object_type="campaign",
            object_id=campaign.pk,
            before=before,
            after=_described(campaign),
        )
    return campaign


def campaign_status_set(*, actor: User, campaign: Campaign, status: CampaignStatus) -> None:
    """Start, pause, resume or end a campaign; starting adds its segment's customers."""
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        before = locked.status
        locked.status = status
        locked.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="campaign.status",
            object_type="campaign",
            object_id=campaign.pk,
            before={"status": before},
            after={"status": str(status)},
        )
    campaign.status = status


@dataclass
class RefreshReport:
    added: int = 0
    shared: int = 0
    released: int = 0


def campaign_refresh(campaign: Campaign, *, today: date) -> RefreshReport:
    """For a running campaign: its segment's new customers added (a customer is added
    once; one who leaves the segment stays on), then, on a calling day, today's lists
    shared out (on other days the lists stay as they were: nobody calls)."""
    report = RefreshReport()
    if not campaign_running(campaign, today):
        return report
    report.added = _add_customers(campaign, today)
    if today.weekday() in campaign.call_days:
        report.released, report.shared = _share_today(campaign, today)
    return report


def _add_customers(campaign: Campaign, today: date) -> int:
    conditions = parse_segment_rules(campaign.segment.rules)
    new = segment_customers(conditions, today=today).exclude(
        pk__in=CampaignTarget.objects.filter(campaign=campaign).values("customer_id")
    )
    phones = dict(
        CustomerProfile.objects.filter(customer__in=new)
        .exclude(phone="")
        .values_list("pk", "phone")
    )
    # Without a number in the profile (or a profile): the number a survey reached.
    phones = survey_numbers(new.exclude(profile__phone__gt="")) | phones
    targets = [
        CampaignTarget(campaign=campaign, customer_id=pk, phone=phones.get(pk, ""), added_on=today)
        for pk in new.values_list("pk", flat=True)
    ]
    CampaignTarget.objects.bulk_create(targets, batch_size=ADD_CHUNK, ignore_conflicts=True)
    return len(targets)


def _share_today(campaign: Campaign, today: date) -> tuple[int, int]:
    """Release the open customers held by agents who are away or on an earlier day's list,
    then top every present agent's list up to the quota. (released, newly shared)."""
    with transaction.atomic():
        agents = present_agents(campaign, today)
        targets = CampaignTarget.objects.select_for_update().filter(campaign=campaign)
        # numbers put on the do-not-call list since (by any campaign, import or hand)
        targets.filter(state=TargetState.OPEN, phone__in=DoNotCall.objects.values("number")).update(
            state=TargetState.SUPPRESSED, assigned_to=None, assigned_on=None
        )
        open_targets = targets.filter(state=TargetState.OPEN)
        # kept: customers on a present agent's list today; everyone else goes back
        stale = open_targets.filter(assigned_to__isnull=False).exclude(
            assigned_on=today, assigned_to__in=agents
        )
        preferred = dict(stale.values_list("pk", "assigned_to_id"))
        released = stale.update(assigned_to=None, assigned_on=None)
        holding = dict(  # counted without the lock: PostgreSQL locks no grouped rows
            CampaignTarget.objects.filter(
                campaign=campaign, assigned_on=today, assigned_to__in=agents
            )
            .values_list("assigned_to_id")
            .annotate(n=Count("id"))
            .values_list("assigned_to_id", "n")
        )
        room = sum(max(campaign.daily_quota - holding.get(a.pk, 0), 0) for a in agents)
        waiting = list(
            open_targets.filter(assigned_to__isnull=True)
            .filter(
                Q(next_try_at__isnull=True)
                | Q(next_try_at__lt=local_midnight(today + timedelta(days=1)))
            )
            .order_by(F("next_try_at").asc(nulls_first=True), "id")
            .values_list("pk", flat=True)[: max(room, 0)]
        )
        shares = share_out(
            waiting,
            [agent.pk for agent in agents],
            quota=campaign.daily_quota,
            holding=holding,
            preferred=preferred,
        )
        shared = 0
        for agent_id, target_ids in shares.items():
            shared += CampaignTarget.objects.filter(pk__in=target_ids).update(
                assigned_to_id=agent_id, assigned_on=today
            )
    return released, shared


def campaigns_refresh(*, today: date) -> dict[str, RefreshReport]:
    """Every running campaign refreshed (the scheduler's `lingting campaigns_refresh`)."""
    return {
        campaign.name: campaign_refresh(campaign, today=today)
        for campaign in Campaign.objects.filter(status=CampaignStatus.RUNNING).select_related(
            "segment"
        )
    }


def _described(instance: Segment | Campaign) -> dict[str, Any]:
    if isinstance(instance, Segment):
        return {"name": instance.name, "rules": instance.rules}
    return {
        "name": instance.name,
        "segment": instance.segment_id,
        "team": instance.team_id,
        "queue": instance.queue_id,
        "script": instance.script_id,
        "dates": [str(instance.starts_on), str(instance.ends_on)],
        "hours": [str(instance.call_start), str(instance.call_end), instance.call_days],
        "daily_quota": instance.daily_quota,
        "attempts": instance.max_attempts,
        "retry_minutes": instance.retry_minutes,
        "rest_days": instance.rest_days,
    }
