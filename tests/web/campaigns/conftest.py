"""Builders for the callback-campaign tests: a calling team, customers with their imported
profile, segments and campaigns, written straight into the tables (the import itself has
its own tests in test_customers.py).

    team 回访组: H01 周一 (login caller_zhou), H02 钱二, H03 孙三
    queue OB-01 外呼回访
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

import pytest

from lingting.campaigns.models import Campaign, CampaignStatus, CustomerProfile, Segment
from lingting.campaigns.services.customers import product_keys
from lingting.core.models import Agent, Role, Team, User
from lingting.interactions.models import Customer, Queue
from tests.conftest import Org

TODAY = date(2026, 12, 7)  # a Monday
EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]


@pytest.fixture
def callers(org: Org) -> dict[str, Agent]:
    """The campaign team's three agents, by code."""
    team = Team.objects.create(code="T09", name="回访组", leader=org.users["leader_liu"])
    login = User.objects.create_user("caller_zhou", role=Role.AGENT)
    return {
        code: Agent.objects.create(code=code, name=name, team=team, user=user)
        for code, name, user in [
            ("H01", "周一", login),
            ("H02", "钱二", None),
            ("H03", "孙三", None),
        ]
    }


@pytest.fixture
def outbound_queue(db: None) -> Queue:
    return Queue.objects.create(code="OB-01", name="外呼回访")


MakeCustomer = Callable[..., Customer]


@pytest.fixture
def make_customer(db: None) -> MakeCustomer:
    """A customer with a profile: `make_customer("U1", phone=..., products=["宽带"])`."""

    def made(code: str, **profile: Any) -> Customer:
        customer = Customer.objects.get_or_create(code=code)[0]
        products = profile.pop("products", [])
        CustomerProfile.objects.create(
            customer=customer,
            phone=profile.pop("phone", ""),
            products=products,
            product_keys=product_keys(products),
            **profile,
        )
        return customer

    return made


MakeCampaign = Callable[..., Campaign]


@pytest.fixture
def make_campaign(callers: dict[str, Agent], outbound_queue: Queue, ops_zhou: User) -> MakeCampaign:
    """A running campaign of the 回访组 in December 2026, every day 09:00–20:00."""

    def made(
        name: str = "零使用回访", rules: str = "usage_last_month = 0", **fields: Any
    ) -> Campaign:
        segment = Segment.objects.get_or_create(name=f"{name} 客户", defaults={"rules": rules})[0]
        team = next(iter(callers.values())).team
        assert team is not None
        fields.setdefault("starts_on", date(2026, 12, 1))
        fields.setdefault("ends_on", date(2026, 12, 31))
        fields.setdefault("call_start", time(9))
        fields.setdefault("call_end", time(20))
        fields.setdefault("call_days", EVERY_DAY)
        fields.setdefault("status", CampaignStatus.RUNNING)
        return Campaign.objects.create(
            name=name,
            segment=segment,
            team=team,
            queue=outbound_queue,
            created_by=ops_zhou,
            **fields,
        )

    return made
