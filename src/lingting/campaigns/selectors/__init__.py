"""Reads for callback campaigns: a segment's customers, an agent's list for the day with
each customer's history, what a campaign achieved."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.utils import timezone

from lingting.campaigns.models import (
    CallAttempt,
    Campaign,
    CampaignStatus,
    CampaignTarget,
    DoNotCall,
)
from lingting.core.models import Agent
from lingting.engine.callbacks import (
    CallFacts,
    CallingHours,
    CallVerdict,
    TargetState,
    call_verdict,
)
from lingting.engine.segments import Condition, FieldKind
from lingting.engine.survey_figures import DETRACTOR_AT_MOST
from lingting.interactions.models import Contact, Customer
from lingting.interactions.selectors import local_midnight
from lingting.surveys.models import SurveyInvitation, SurveyQuestion, SurveyResponse
from lingting.workforce.models import Absence
from lingting.workorders.models import WorkOrder

# A low survey score: the bottom two of five on a satisfaction scale (2 of 5, 4 of 10), a
# detractor's 0–6 on the recommend question.
LOW_SHARE_NUMERATOR, LOW_SHARE_DENOMINATOR = 2, 5
HISTORY_CONTACTS = 5


def segment_customers(conditions: Sequence[Condition], *, today: date) -> QuerySet[Customer]:
    """The customers the center can call who meet every condition: those with a profile
    (the billing or CRM export) and those a survey reached at a number (a low score is
    called back at the number that gave it). A condition on a profile's field is never met
    by a customer without one."""
    surveyed = SurveyInvitation.objects.exclude(address="").filter(contact__customer__isnull=False)
    customers = Customer.objects.filter(
        Q(profile__isnull=False) | Q(pk__in=surveyed.values("contact__customer_id"))
    )
    for condition in conditions:
        match = _condition_q(condition, today)
        customers = customers.exclude(match) if condition.negated else customers.filter(match)
    return customers


def survey_numbers(customers: QuerySet[Customer]) -> dict[int, str]:
    """Each customer's number from the latest survey sent to them (none: left out)."""
    numbers: dict[int, str] = {}
    invitations = (
        SurveyInvitation.objects.filter(contact__customer__in=customers)
        .exclude(address="")
        .order_by("decided_at", "pk")
        .values_list("contact__customer_id", "address")
    )
    for customer_id, address in invitations:
        numbers[customer_id] = address  # the latest wins
    return numbers


def segment_count(conditions: Sequence[Condition], *, today: date) -> int:
    return segment_customers(conditions, today=today).count()


def _condition_q(condition: Condition, today: date) -> Q:
    kind, op, value = condition.kind, condition.op, condition.value
    if kind is FieldKind.EVENT:
        first, _last = condition.days_between(today)
        return _EVENTS[condition.field](first)
    if kind is FieldKind.LIST:
        return Q(profile__product_keys__icontains=f"|{value}|")
    if condition.field.startswith("attribute."):
        path = "profile__attributes__" + condition.field.removeprefix("attribute.")
    else:
        path = f"profile__{condition.field}"
    if op == "within":
        return Q(**{f"{path}__range": condition.days_between(today)})
    if op == "!=":
        return Q(**{f"{path}__isnull": False}) & ~Q(**{path: value})
    return Q(**{f"{path}{_LOOKUPS[op]}": value})


_LOOKUPS = {"=": "", "<": "__lt", "<=": "__lte", ">": "__gt", ">=": "__gte"}


def _complained(since: date) -> Q:
    orders = WorkOrder.objects.filter(
        type__code="complaint", created_at__date__gte=since, customer__isnull=False
    )
    return Q(profile__last_complaint_on__gte=since) | Q(pk__in=orders.values("customer_id"))


def _fault_closed(since: date) -> Q:
    orders = WorkOrder.objects.filter(
        type__code="fault", closed_at__date__gte=since, customer__isnull=False
    )
    return Q(profile__last_fault_on__gte=since) | Q(pk__in=orders.values("customer_id"))


def _low_score(since: date) -> Q:
    low = SurveyResponse.objects.filter(
        Q(
            question=SurveyQuestion.SATISFACTION,
            score__lte=F("scale") * LOW_SHARE_NUMERATOR / LOW_SHARE_DENOMINATOR,
        )
        | Q(question=SurveyQuestion.RECOMMEND, score__lte=DETRACTOR_AT_MOST),
        answered_at__date__gte=since,
        contact__customer__isnull=False,
    )
    return Q(pk__in=low.values("contact__customer_id"))


def _contacted(since: date) -> Q:
    # never a NULL in the subquery: `not contacted` (NOT IN) would then match no one
    contacts = Contact.objects.filter(started_at__gte=local_midnight(since), customer__isnull=False)
    return Q(pk__in=contacts.values("customer_id"))


_EVENTS = {
    "complained": _complained,
    "fault_closed": _fault_closed,
    "low_score": _low_score,
    "contacted": _contacted,
}


# --- calling -------------------------------------------------------------------------------


def calling_hours(campaign: Campaign) -> CallingHours:
    legal_start, legal_end = settings.LINGTING_CALLING_WINDOW
    return CallingHours(
        start=campaign.call_start,
        end=campaign.call_end,
        weekdays=frozenset(campaign.call_days),
        legal_start=legal_start,
        legal_end=legal_end,
    )


def campaign_running(campaign: Campaign, day: date) -> bool:
    return campaign.status == CampaignStatus.RUNNING and (
        campaign.starts_on <= day <= campaign.ends_on
    )


def target_call_verdict(target: CampaignTarget, now: datetime) -> CallVerdict:
    """Whether the agent may dial this customer now, read at this moment: the do-not-call
    list and other campaigns' calls as they stand, not as when the list was made."""
    campaign = target.campaign
    elsewhere = (
        CallAttempt.objects.filter(number=target.phone)
        .exclude(target__campaign=campaign)
        .aggregate(last=Max("called_at"))["last"]
        if target.phone
        else None
    )
    facts = CallFacts(
        number=target.phone,
        state=TargetState(target.state),
        next_try_at=target.next_try_at,
        on_do_not_call_list=bool(target.phone)
        and DoNotCall.objects.filter(number=target.phone).exists(),
        last_call_elsewhere=elsewhere,
    )
    local = timezone.localtime(now)
    return call_verdict(
        facts,
        local,
        running=campaign_running(campaign, local.date()),
        hours=calling_hours(campaign),
        rest_days=campaign.rest_days,
    )


# --- an agent's day ------------------------------------------------------------------------


@dataclass(frozen=True)
class CustomerHistory:
    contacts: list[Contact]
    open_orders: list[WorkOrder]
    survey_scores: list[SurveyResponse]
    calls: list[CallAttempt]


def agent_list(agent: Agent, day: date) -> list[CampaignTarget]:
    """The customers on `agent`'s list for `day`, those still to call first."""
    return list(
        CampaignTarget.objects.filter(assigned_to=agent, assigned_on=day)
        .select_related("campaign", "customer__profile", "campaign__script")
        .order_by(F("last_called_at").asc(nulls_first=True), "next_try_at", "id")
    )


def customer_history(target: CampaignTarget) -> CustomerHistory:
    """What the center knows of the customer: recent contacts, open work orders, survey
    answers, and every call of every campaign to them."""
    customer = target.customer_id
    return CustomerHistory(
        contacts=list(
            Contact.objects.filter(customer_id=customer)
            .select_related("agent", "queue")
            .order_by("-started_at")[:HISTORY_CONTACTS]
        ),
        open_orders=list(
            WorkOrder.objects.filter(customer_id=customer, closed_at__isnull=True).select_related(
                "type"
            )
        ),
        survey_scores=list(
            SurveyResponse.objects.filter(contact__customer_id=customer).order_by("-answered_at")[
                :HISTORY_CONTACTS
            ]
        ),
        calls=list(
            CallAttempt.objects.filter(target__customer_id=customer)
            .select_related("agent", "target__campaign")
            .order_by("-called_at")
        ),
    )


# --- results -------------------------------------------------------------------------------


@dataclass
class Outcome:
    """A campaign's results for one agent, one team or all."""

    label: str
    team: str = ""
    customers: int = 0
    called: int = 0  # customers called at least once
    reached: int = 0
    calls: int = 0
    offers_accepted: int = 0
    satisfaction_sum: int = 0
    satisfaction_answers: int = 0
    revenue: Decimal = Decimal(0)
    by_disposition: dict[str, int] = field(default_factory=dict)

    @property
    def reached_rate(self) -> float | None:
        return self.reached / self.called if self.called else None

    @property
    def mean_satisfaction(self) -> float | None:
        if not self.satisfaction_answers:
            return None
        return self.satisfaction_sum / self.satisfaction_answers


def campaign_outcomes(campaign: Campaign) -> tuple[Outcome, list[Outcome]]:
    """The campaign's results in all and per agent (by who made the calls)."""
    total = Outcome(label="")
    per_agent: dict[int, Outcome] = {}
    targets = CampaignTarget.objects.filter(campaign=campaign)
    figures = targets.aggregate(
        customers=Count("id"),
        called=Count("id", filter=Q(attempts__gt=0)),
        reached=Count("id", filter=Q(state=TargetState.DONE)),
        accepted=Count("id", filter=Q(offer_accepted=True)),
        answers=Count("satisfaction"),
        satisfaction=Sum("satisfaction"),
        revenue=Sum("revenue"),
    )
    total.customers = figures["customers"]
    total.called = figures["called"]
    total.reached = figures["reached"]
    total.offers_accepted = figures["accepted"]
    total.satisfaction_answers = figures["answers"]
    total.satisfaction_sum = figures["satisfaction"] or 0
    total.revenue = figures["revenue"] or Decimal(0)
    calls = CallAttempt.objects.filter(target__campaign=campaign)
    for row in calls.values(
        "agent_id", "agent__name", "agent__code", "agent__team__name", "disposition"
    ).annotate(n=Count("id")):
        outcome = per_agent.setdefault(
            row["agent_id"],
            Outcome(
                label=row["agent__name"] or row["agent__code"],
                team=row["agent__team__name"] or "",
            ),
        )
        outcome.calls += row["n"]
        outcome.by_disposition[row["disposition"]] = row["n"]
        total.calls += row["n"]
        total.by_disposition[row["disposition"]] = (
            total.by_disposition.get(row["disposition"], 0) + row["n"]
        )
    _per_agent_customers(campaign, per_agent)
    return total, sorted(per_agent.values(), key=lambda outcome: outcome.label)


def outcomes_by_team(per_agent: Iterable[Outcome]) -> list[Outcome]:
    """The agents' results added up per team (an agent's team as it is now)."""
    teams: dict[str, Outcome] = {}
    for agent in per_agent:
        team = teams.setdefault(agent.team, Outcome(label=agent.team, team=agent.team))
        for name in (
            "customers",
            "called",
            "reached",
            "calls",
            "offers_accepted",
            "satisfaction_sum",
            "satisfaction_answers",
        ):
            setattr(team, name, getattr(team, name) + getattr(agent, name))
        team.revenue += agent.revenue
        for disposition, count in agent.by_disposition.items():
            team.by_disposition[disposition] = team.by_disposition.get(disposition, 0) + count
    return sorted(teams.values(), key=lambda outcome: outcome.label)


def _per_agent_customers(campaign: Campaign, per_agent: dict[int, Outcome]) -> None:
    """Customers per agent: those whose latest call the agent made."""
    latest = (
        CallAttempt.objects.filter(target__campaign=campaign)
        .order_by("target_id", "-called_at", "-id")
        .values_list("target_id", "agent_id")
    )
    last_agent: dict[int, int] = {}
    for target_id, agent_id in latest:
        last_agent.setdefault(target_id, agent_id)
    rows = CampaignTarget.objects.filter(pk__in=list(last_agent)).values_list(
        "pk", "state", "offer_accepted", "satisfaction", "revenue"
    )
    for pk, state, accepted, satisfaction, revenue in rows:
        outcome = per_agent[last_agent[pk]]
        outcome.called += 1
        outcome.customers += 1
        outcome.reached += state == TargetState.DONE
        outcome.offers_accepted += accepted is True
        if satisfaction is not None:
            outcome.satisfaction_answers += 1
            outcome.satisfaction_sum += satisfaction
        outcome.revenue += revenue or Decimal(0)


@dataclass(frozen=True)
class QuotaDay:
    agent: Agent
    day: date
    called: int  # customers called that day
    quota: int

    @property
    def met(self) -> bool:
        return self.called >= self.quota


def present_agents(campaign: Campaign, day: date) -> list[Agent]:
    """The campaign team's agents on staff and not absent on `day`."""
    absent = Absence.objects.filter(first_day__lte=day, last_day__gte=day).values("agent_id")
    return list(
        Agent.objects.filter(team=campaign.team)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
        .filter(Q(hired_on__isnull=True) | Q(hired_on__lte=day))
        .exclude(pk__in=absent)
        .order_by("code")
    )


def quota_attainment(campaign: Campaign, days: Iterable[date]) -> list[QuotaDay]:
    """Per calling day and agent at work: customers called against the daily quota."""
    wanted = sorted(
        day
        for day in set(days)
        if campaign.starts_on <= day <= campaign.ends_on and day.weekday() in campaign.call_days
    )
    if not wanted:
        return []
    called: dict[tuple[int, date], set[int]] = {}
    for agent_id, target_id, moment in CallAttempt.objects.filter(
        target__campaign=campaign,
        called_at__gte=local_midnight(wanted[0]),
        called_at__lt=local_midnight(wanted[-1] + timedelta(days=1)),
    ).values_list("agent_id", "target_id", "called_at"):
        called.setdefault((agent_id, timezone.localdate(moment)), set()).add(target_id)
    return [
        QuotaDay(
            agent=agent,
            day=day,
            called=len(called.get((agent.pk, day), ())),
            quota=campaign.daily_quota,
        )
        for day in wanted
        for agent in present_agents(campaign, day)
    ]
