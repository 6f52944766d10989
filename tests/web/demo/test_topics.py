"""The demo's 客户之声 has news: the SMS outage of its last week is a spike, named by its
words, and its drill-down lists the calls about it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Max
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lingting.core.models import User
from lingting.interactions.models import Contact, ContactTopic, Turn

pytestmark = pytest.mark.django_db

# As the topics browser test builds it: the last month's first ten days, a month before.
SMALL = (
    *("--months", "2", "--days", "10", "--calls-per-agent-day", "3"),
    *("--history-calls-per-agent-day", "1", "--no-jddc", "--line-weeks", "0"),
)


def customers_said(contact_ids: list[int]) -> dict[int, str]:
    said: dict[int, str] = dict.fromkeys(contact_ids, "")
    for contact_id, text in Turn.objects.filter(
        contact_id__in=contact_ids, speaker="customer"
    ).values_list("contact_id", "text"):
        said[contact_id] += text
    return said


def test_the_demos_last_week_spikes_on_verification_codes_and_drills_down_to_those_calls(
    client_for: Callable[[User], Client],
) -> None:
    call_command("demo", *SMALL)
    transcripts = Contact.objects.filter(turn_count__gt=0)  # what topics are found in
    last_day = timezone.localdate(transcripts.aggregate(last=Max("started_at"))["last"])
    supervisor = client_for(User.objects.get(username="qa_zhao"))

    page = supervisor.get(reverse("reports:topics")).context["page_data"]

    assert (page.week_start, page.week_end) == (last_day - timedelta(days=6), last_day)
    first = page.rows[0]
    assert first.trend.spike
    assert page.spikes == 1  # the one piece of news, not noise
    assert {"验证码", "收不到"} <= set(first.topic.keywords[:3])
    assert first.trend.this_week >= 5 * first.trend.expected
    assert first.trend.weeks[-1] > 5 * max(first.trend.weeks[-5:-1])

    listed = supervisor.get(
        reverse("interactions:contact_list"),
        {
            "topic": first.topic.pk,
            "date_from": page.week_start.isoformat(),
            "date_to": page.week_end.isoformat(),
        },
    )
    shown = [row.contact.pk for row in listed.context["contacts"].rows]
    assert shown
    assert all("验证码" in said for said in customers_said(shown).values())
    in_topic = list(
        ContactTopic.objects.filter(topic=first.topic).values_list("contact_id", flat=True)
    )
    assert all("验证码" in said for said in customers_said(in_topic).values())
