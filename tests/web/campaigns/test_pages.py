"""The campaign pages and the dialer API as their users meet them: a manager sets up a
segment and a campaign and starts it, an agent works today's list, a dialer pulls the list
and reports calls (once however often it retries)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, time
from zoneinfo import ZoneInfo

import orjson
import pytest
import time_machine
from django.test import Client

from lingting.campaigns.models import (
    CallAttempt,
    Campaign,
    CampaignStatus,
    CampaignTarget,
    DoNotCall,
    Segment,
)
from lingting.campaigns.services.campaigns import campaign_refresh
from lingting.core.models import Agent, User
from lingting.core.services import api_token_create
from lingting.interactions.models import Queue
from tests.web.campaigns.conftest import TODAY, MakeCampaign, MakeCustomer

SHANGHAI = ZoneInfo("Asia/Shanghai")
MORNING = datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)  # a Monday, in calling hours


@pytest.fixture
def at_ten() -> Iterator[None]:
    with time_machine.travel(MORNING, tick=False):
        yield


@pytest.fixture
def zero_usage(at_ten: None, make_customer: MakeCustomer, make_campaign: MakeCampaign) -> Campaign:
    """A running zero-usage campaign with four customers shared out for today."""
    for number in range(4):
        make_customer(
            f"U{number}", name=f"客户{number}", phone=f"1380013800{number}", usage_last_month=0
        )
    make_customer("U9", name="常用客户", phone="13900139009", usage_last_month=120)
    campaign = make_campaign(daily_quota=5)
    campaign_refresh(campaign, today=TODAY)
    return campaign


def caller(callers: dict[str, Agent]) -> User:
    user = callers["H01"].user
    assert user is not None
    return user


def test_an_agent_works_todays_list_and_each_call_is_an_outbound_contact(
    zero_usage: Campaign, callers: dict[str, Agent], client_for: Callable[[User], Client]
) -> None:
    client = client_for(caller(callers))
    listed = client.get("/campaigns/today/")
    assert listed.status_code == 200
    page = listed.content.decode()
    mine = CampaignTarget.objects.filter(assigned_to=callers["H01"], assigned_on=TODAY)
    assert mine.count() >= 1
    target = mine.first()
    assert target is not None
    assert target.phone not in page  # masked on the list: 138****8000
    assert target.phone[:3] + "****" in page

    call_page = client.get(f"/campaigns/calls/{target.pk}/")
    assert call_page.status_code == 200
    assert f"tel:{target.phone}" in call_page.content.decode()  # allowed: the number to dial

    recorded = client.post(
        f"/campaigns/calls/{target.pk}/",
        {"disposition": "reached", "non_use_reason": "unaware", "satisfaction": "5"},
    )
    assert recorded.status_code == 302
    target.refresh_from_db()
    assert (target.state, target.attempts, target.non_use_reason, target.satisfaction) == (
        "done",
        1,
        "unaware",
        5,
    )
    attempt = CallAttempt.objects.get(target=target)
    contact = attempt.contact
    assert contact is not None
    assert (contact.direction, contact.queue.code if contact.queue else "") == (
        "outbound",
        "OB-01",
    )
    assert contact.agent_id == callers["H01"].pk
    assert contact.customer_id == target.customer_id


def test_a_number_put_on_do_not_call_after_the_list_was_made_cannot_be_called(
    zero_usage: Campaign, callers: dict[str, Agent], client_for: Callable[[User], Client]
) -> None:
    target = CampaignTarget.objects.filter(assigned_to=callers["H01"]).first()
    assert target is not None
    DoNotCall.objects.create(number=target.phone, since=MORNING, source="manual")
    client = client_for(caller(callers))
    page = client.get(f"/campaigns/calls/{target.pk}/").content.decode()
    assert "免打扰" in page
    assert target.phone not in page  # no number to dial
    refused = client.post(f"/campaigns/calls/{target.pk}/", {"disposition": "reached"})
    assert refused.status_code == 400
    assert not CallAttempt.objects.filter(target=target).exists()


def test_an_agent_sees_only_their_own_list_and_no_campaign_setup(
    zero_usage: Campaign,
    callers: dict[str, Agent],
    client_for: Callable[[User], Client],
) -> None:
    other = CampaignTarget.objects.exclude(assigned_to=callers["H01"]).first()
    assert other is not None
    client = client_for(caller(callers))
    assert client.get(f"/campaigns/calls/{other.pk}/").status_code == 404
    assert client.get("/campaigns/").status_code == 403
    assert client.get("/campaigns/segments/").status_code == 403
    assert client.get(f"/campaigns/{zero_usage.pk}/").status_code == 403


def test_a_manager_writes_a_segment_with_a_live_count_and_starts_a_campaign_on_it(
    at_ten: None,
    make_customer: MakeCustomer,
    callers: dict[str, Agent],
    ops_zhou: User,
    client_for: Callable[[User], Client],
) -> None:
    for number in range(7):
        make_customer(f"N{number}", phone=f"1370013700{number}", products=["宽带"])
    make_customer("M1", phone="13600136001", products=["4G"])
    client = client_for(ops_zhou)
    counted = client.get("/campaigns/segments/count/", {"rules": "product has 宽带"}).json()
    assert counted == {"count": 7}
    wrong = client.get("/campaigns/segments/count/", {"rules": "product has 宽带\nspeed > 3"})
    assert "line 2" in wrong.json()["error"]

    saved = client.post(
        "/campaigns/segments/new/",
        {"name": "宽带客户", "description": "", "rules": "product has 宽带"},
    )
    assert saved.status_code == 302
    segment = Segment.objects.get(name="宽带客户")
    team = callers["H01"].team
    assert team is not None
    form = {
        "name": "宽带回访",
        "purpose": "了解宽带使用情况",
        "segment": segment.pk,
        "team": team.pk,
        "queue": Queue.objects.create(code="OB-02", name="宽带回访").pk,
        "starts_on": "2026-12-01",
        "ends_on": "2026-12-31",
        "call_start": "09:00",
        "call_end": "20:00",
        "call_days": ["0", "1", "2", "3", "4"],
        "daily_quota": "2",
        "max_attempts": "3",
        "retry_minutes": "120",
        "rest_days": "7",
    }
    too_few = client.post("/campaigns/new/", form)
    assert too_few.status_code == 200
    assert "不少于 5" in too_few.content.decode()  # seed 003: at least five a day
    created = client.post("/campaigns/new/", {**form, "daily_quota": "5"})
    assert created.status_code == 302
    campaign = Campaign.objects.get(name="宽带回访")
    started = client.post(f"/campaigns/{campaign.pk}/status/", {"status": "running"})
    assert started.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.RUNNING
    targets = CampaignTarget.objects.filter(campaign=campaign)
    assert targets.count() == 7
    # three callers, five each at most: all seven shared, none beyond the quota
    shares = [targets.filter(assigned_to=agent).count() for agent in callers.values()]
    assert sum(shares) == 7
    assert max(shares) - min(shares) <= 1
    detail = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "宽带回访" in detail
    assert "quota-days" in detail


def test_the_customer_file_page_imports_gbk_and_names_each_bad_line(
    ops_zhou: User, client_for: Callable[[User], Client], tmp_path: object
) -> None:
    text = "code,name,phone,usage_last_month\nC1,王小明,13800138000,0\nC2,李四,not-a-phone,0\n"
    client = client_for(ops_zhou)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("customers.csv", text.encode("gbk"), content_type="text/csv")
    answer = client.post("/campaigns/customers/", {"file": upload}, follow=True)
    page = answer.content.decode()
    assert "新增 1 个客户" in page
    assert "第 3 行" in page
    assert "phone" in page


def test_the_dialer_pulls_the_list_and_a_retried_report_records_one_call(
    zero_usage: Campaign,
    callers: dict[str, Agent],
    qa_zhao: User,
    client_for: Callable[[User], Client],
) -> None:
    _token, key = api_token_create(user=qa_zhao, name="dialer")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    listed = client.get(f"/api/campaigns/{zero_usage.pk}/calls", {"agent": "H01"})
    assert listed.status_code == 200
    rows = listed.json()
    assert rows
    assert all(row["agent"] == "H01" for row in rows)
    assert rows[0]["phone"].startswith("138")  # in full: a QA supervisor may see numbers
    body = {
        "dialer_key": "dial-0001",
        "target_id": rows[0]["target_id"],
        "agent": "H01",
        "disposition": "no_answer",
        "called_at": "2026-12-07T10:00:00+08:00",
    }
    first = client.post("/api/campaigns/calls", orjson.dumps(body), content_type="application/json")
    again = client.post("/api/campaigns/calls", orjson.dumps(body), content_type="application/json")
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert first.json()["state"] == "open"
    assert first.json()["next_try_at"] is not None  # tried again after the wait
    assert CallAttempt.objects.filter(target_id=rows[0]["target_id"]).count() == 1
    stopped = client.post(
        "/api/campaigns/calls",
        orjson.dumps({**body, "dialer_key": "dial-0002", "disposition": "do_not_call"}),
        content_type="application/json",
    )
    assert stopped.json()["state"] == "suppressed"
    later = client.post(
        "/api/campaigns/calls",
        orjson.dumps({**body, "dialer_key": "dial-0003", "disposition": "reached"}),
        content_type="application/json",
    )
    assert later.status_code == 409  # no later outcome lifts a do-not-call
    assert DoNotCall.objects.filter(number=rows[0]["phone"]).exists()
    unknown = client.post(
        "/api/campaigns/calls",
        orjson.dumps({**body, "dialer_key": "dial-0004", "agent": "NOBODY"}),
        content_type="application/json",
    )
    assert unknown.status_code == 404
    odd_offset = client.post(
        "/api/campaigns/calls",
        orjson.dumps(
            {
                **body,
                "dialer_key": "dial-0005",
                "target_id": rows[-1]["target_id"],
                "called_at": "2026-12-07T10:00:00+21:29",
            }
        ),
        content_type="application/json",
    )
    assert odd_offset.status_code in (200, 409)  # stored as its moment, or refused; never 500


def test_the_dialer_api_needs_a_campaign_manager(zero_usage: Campaign, agent_li: User) -> None:
    _token, key = api_token_create(user=agent_li, name="mine")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get(f"/api/campaigns/{zero_usage.pk}/calls").status_code == 403


def test_calls_outside_the_legal_window_are_refused_whatever_the_campaign_says(
    make_customer: MakeCustomer,
    make_campaign: MakeCampaign,
    callers: dict[str, Agent],
    client_for: Callable[[User], Client],
) -> None:
    make_customer("L1", phone="13800138111", usage_last_month=0)
    campaign = make_campaign(call_start=time(6), call_end=time(23))
    with time_machine.travel(datetime(2026, 12, 7, 7, 30, tzinfo=SHANGHAI), tick=False):
        campaign_refresh(campaign, today=TODAY)
        target = CampaignTarget.objects.get(campaign=campaign)
        target.assigned_to = callers["H01"]
        target.save()
        page = client_for(caller(callers)).get(f"/campaigns/calls/{target.pk}/")
    assert "现在不在允许拨打的时段" in page.content.decode()
