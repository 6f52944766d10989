"""A target is checked against the range its figure can take (rates 0–100 %, seconds from 0,
scores 0–100), in the service, so every way in is covered; rates are entered and shown as
percentages on the targets page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from lingting.core.models import User
from lingting.performance.models import KpiTarget
from lingting.performance.services import kpi_target_set

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]


@pytest.mark.parametrize(
    ("figure", "green", "amber"),
    [
        ("answer_rate", 92, 85),  # a percentage given where a fraction is stored
        ("service_level", 0.8, -0.1),
        ("csat", 1.2, 0.9),
        ("utilisation", float("nan"), 0.7),
        ("asa_s", -5, 30),
        ("aht_s", 160, float("inf")),
        ("qa_score", 120, 90),
        ("pass_rate", 0.9, -1),
    ],
)
def test_the_service_refuses_values_outside_the_figures_range(
    ops_zhou: User, figure: str, green: float, amber: float
) -> None:
    with pytest.raises(ValidationError):
        kpi_target_set(actor=ops_zhou, figure=figure, queue=None, green=green, amber=amber)
    assert not KpiTarget.objects.exists()


def test_the_service_refuses_a_figure_it_does_not_know(ops_zhou: User) -> None:
    with pytest.raises(ValidationError):
        kpi_target_set(actor=ops_zhou, figure="happiness", queue=None, green=1, amber=0)


@pytest.mark.parametrize(
    ("figure", "green", "amber"),
    [("answer_rate", 1.0, 0.0), ("asa_s", 0, 3600), ("qa_score", 100, 0), ("fcr", 0.8, 0.7)],
)
def test_the_ends_of_each_range_are_accepted(
    ops_zhou: User, figure: str, green: float, amber: float
) -> None:
    target = kpi_target_set(actor=ops_zhou, figure=figure, queue=None, green=green, amber=amber)
    assert (target.green, target.amber) == (green, amber)


def test_a_rate_is_entered_as_a_percentage_and_shown_as_one(
    client_for: ClientFor, ops_zhou: User
) -> None:
    client = client_for(ops_zhou)
    url = reverse("performance:targets")

    saved = client.post(url, {"figure": "answer_rate", "green": 92, "amber": 85.5})

    assert saved.status_code == 302
    target = KpiTarget.objects.get(figure="answer_rate")
    assert (target.green, target.amber) == pytest.approx((0.92, 0.855))
    assert target.target.status(0.9) == "amber"
    row = client.get(url).content.decode().split('id="target-table"')[1]
    assert "92%" in row
    assert "85.5%" in row
    assert "0.92" not in row


def test_the_form_names_the_range_of_a_refused_value(client_for: ClientFor, ops_zhou: User) -> None:
    client = client_for(ops_zhou)
    url = reverse("performance:targets")

    rate = client.post(url, {"figure": "abandon_rate", "green": 5, "amber": 120})
    seconds = client.post(url, {"figure": "aht_s", "green": -1, "amber": 175})
    score = client.post(url, {"figure": "qa_score", "green": 920, "amber": 85})

    assert rate.status_code == seconds.status_code == score.status_code == 200
    assert "0% 到 100%" in rate.content.decode()
    assert "不能小于 0 秒" in seconds.content.decode()
    assert "0 到 100 分" in score.content.decode()
    assert not KpiTarget.objects.exists()


def test_seconds_and_scores_are_entered_and_shown_as_they_are(
    client_for: ClientFor, ops_zhou: User
) -> None:
    client = client_for(ops_zhou)
    url = reverse("performance:targets")
    client.post(url, {"figure": "asa_s", "green": 20, "amber": 30})
    client.post(url, {"figure": "qa_score", "green": 90, "amber": 85})

    assert {(t.figure, t.green, t.amber) for t in KpiTarget.objects.all()} == {
        ("asa_s", 20, 30),
        ("qa_score", 90, 85),
    }
    table = client.get(url).content.decode().split('id="target-table"')[1]
    assert "20 秒" in table
    assert ">90<" in table
