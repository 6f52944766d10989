"""Demo step: seed 003's zero-usage callback campaign, half-way through (issue 17).

The billing export's customers (those of the demo's contacts and others) get a profile (a
third used nothing last month); the segment 上月零使用客户 picks them; agent_li's team
has called them for the past days, five customers each a day, with the outcomes a
callback finds (reached, no answer, busy, a wrong number, a refusal, a do-not-call, a
call back), and today's lists are shared out — agent_li's is waiting on 今日回访.
Everything goes through the same services as the pages; a second run leaves it as it is.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from lingting.campaigns.models import Campaign, CampaignStatus, CampaignTarget, CustomerProfile
from lingting.campaigns.models import Segment as CustomerSegment
from lingting.campaigns.services.calls import CallOutcome, CallRefused, call_record
from lingting.campaigns.services.campaigns import campaign_refresh
from lingting.campaigns.services.customers import product_keys
from lingting.core.models import User
from lingting.engine.callbacks import Disposition
from lingting.interactions.models import Customer, Queue
from lingting.knowledge.models import Article, KindChoice

CAMPAIGN = "零使用客户回访"
CUSTOMERS = 800  # the billing export's subscribers: those who called and others
DAYS_RUN = 5  # calling days behind today: the campaign is mid-way
REGIONS = ("西峰区", "庆城县", "环县", "宁县")
PRODUCTS = (("宽带",), ("4G",), ("宽带", "IPTV"), ("4G", "宽带"), ("固话",))
OUTCOMES = (
    (Disposition.REACHED, 60),
    (Disposition.NO_ANSWER, 18),
    (Disposition.BUSY, 8),
    (Disposition.WRONG_NUMBER, 4),
    (Disposition.REFUSED, 4),
    (Disposition.CALL_BACK, 4),
    (Disposition.DO_NOT_CALL, 2),
)
NON_USE = ("not_needed", "price", "quality", "device", "moved", "unaware", "other_provider")


def demo_campaigns(*, users: dict[str, User], today: date, seed: int) -> str:
    if Campaign.objects.filter(name=CAMPAIGN).exists():
        return f"callback campaign {CAMPAIGN!r}: already there"
    rng = random.Random(seed)
    profiles = _profiles(rng, today)
    agent = users["agent_li"].agent
    assert agent.team is not None
    queue, _ = Queue.objects.update_or_create(code="OB-ZERO", defaults={"name": "零使用回访"})
    segment, _ = CustomerSegment.objects.update_or_create(
        name="上月零使用客户",
        defaults={"rules": "usage_last_month = 0", "description": "计费系统上月使用量为 0"},
    )
    campaign = Campaign.objects.create(
        name=CAMPAIGN,
        purpose="了解零使用原因，指导使用、推荐合适的套餐（种子 003：每人每天至少回访 5 户）",
        segment=segment,
        team=agent.team,
        queue=queue,
        script=Article.objects.filter(kind=KindChoice.SCRIPT).order_by("code").first(),
        starts_on=today - timedelta(days=DAYS_RUN + 2),
        ends_on=today + timedelta(days=DAYS_RUN * 2),
        call_days=list(range(7)),  # today always a calling day: agent_li has a list
        status=CampaignStatus.RUNNING,
        created_by=users["manager_chen"],
    )
    calls = 0
    day = campaign.starts_on
    while day < today:
        if day.weekday() in campaign.call_days:
            campaign_refresh(campaign, today=day)
            calls += _call_the_day(campaign, day, rng)
        day += timedelta(days=1)
    report = campaign_refresh(campaign, today=today)
    return (
        f"callback campaign {CAMPAIGN!r}: {profiles} customer profiles, "
        f"{CampaignTarget.objects.filter(campaign=campaign).count()} zero-usage customers, "
        f"{calls} calls over the past days, {report.shared} on today's lists"
    )


def _profiles(rng: random.Random, today: date) -> int:
    made = 0
    callers = list(Customer.objects.order_by("code")[: CUSTOMERS // 2])
    others = [
        Customer.objects.get_or_create(code=f"B{number:06d}")[0]
        for number in range(CUSTOMERS - len(callers))
    ]
    for customer in [*callers, *others]:
        products = rng.choice(PRODUCTS)
        zero = rng.random() < 0.3
        CustomerProfile.objects.update_or_create(
            customer=customer,
            defaults={
                "name": rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(("先生", "女士")),
                "phone": f"13{rng.randrange(10**9):09d}",
                "region": rng.choice(REGIONS),
                "usage_last_month": Decimal(0) if zero else Decimal(rng.randrange(5, 900)),
                "products": list(products),
                "product_keys": product_keys(products),
                "installed_on": today - timedelta(days=rng.randrange(20, 900)),
                "contract_ends_on": today + timedelta(days=rng.randrange(-30, 400)),
            },
        )
        made += 1
    return made


def _call_the_day(campaign: Campaign, day: date, rng: random.Random) -> int:
    """Each agent calls the customers on their list of `day`, one every ten minutes or so."""
    calls = 0
    targets = CampaignTarget.objects.filter(
        campaign=campaign, assigned_on=day, state="open"
    ).select_related("assigned_to")
    for number, target in enumerate(targets.order_by("assigned_to_id", "id")):
        if target.assigned_to is None:
            continue
        moment = timezone.make_aware(
            datetime.combine(day, time(9)) + timedelta(minutes=12 * (number % 40))
        )
        disposition = rng.choices(
            [outcome for outcome, _ in OUTCOMES], [weight for _, weight in OUTCOMES]
        )[0]
        reached = disposition is Disposition.REACHED
        try:
            call_record(
                actor=target.assigned_to.user,
                target=target,
                agent=target.assigned_to,
                disposition=disposition,
                called_at=moment,
                call_back_at=moment + timedelta(days=1)
                if disposition is Disposition.CALL_BACK
                else None,
                outcome=CallOutcome(
                    non_use_reason=rng.choice(NON_USE) if reached else "",
                    offer_accepted=rng.random() < 0.3 if reached else None,
                    satisfaction=rng.choice((5, 5, 5, 4, 4, 3)) if reached else None,
                    revenue=Decimal(rng.choice((0, 0, 19, 29, 59))) if reached else None,
                ),
            )
        except CallRefused:
            continue
        calls += 1
    return calls
