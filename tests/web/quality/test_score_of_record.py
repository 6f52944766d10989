"""One call, one headline score: once a person reviewed a contact, its reviewed score is the
score of record on the list, the contact page, the API and the KPIs — the machine's beside."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from lingting.core.models import User
from lingting.documents.periods import PeriodKind, parse_period
from lingting.engine.evaluation import Answer
from lingting.engine.scorecard_yaml import builtin_scorecard
from lingting.interactions.models import Contact
from lingting.performance.selectors import kpi_table_for
from lingting.quality.contact_filters import ContactFilters, ScoreBand
from lingting.quality.models import AssignmentKind, ReviewAssignment
from lingting.quality.selectors.score_of_record import auto_results_of
from lingting.quality.services.reviews import RecordInput, evaluation_submit
from lingting.reports.selectors import quality_report
from tests.web.conftest import BRUSH_OFF, Api, ScoredContact

ClientFor = Callable[[User], Client]
pytestmark = pytest.mark.django_db


@pytest.fixture
def overturned(scored_contact: ScoredContact, qa_sun: User) -> Contact:
    """agent_li's brush-off: the machine scores it 86.9 (服务禁语, 致歉语); the reviewer agrees and
    fails the manual items of service attitude as well, which takes it under 90."""
    contact = scored_contact("C-REVIEWED", agent="A1001", turns=BRUSH_OFF, disposition="answered")
    auto = auto_results_of(contact.current_score)
    answers = {
        item.id: Answer(auto[item.id]) if item.id in auto else Answer("fail", reason="态度冷淡")  # type: ignore[arg-type]
        for item in builtin_scorecard().items
    }
    assignment = ReviewAssignment.objects.create(
        contact=contact, reviewer=qa_sun, kind=AssignmentKind.SAMPLE
    )
    record = evaluation_submit(
        reviewer=qa_sun, assignment=assignment, record=RecordInput(answers=answers)
    )
    assert contact.current_score is not None
    assert record.score < contact.current_score.score
    contact.reviewed_score = record.score  # type: ignore[attr-defined]
    return contact


def machine(contact: Contact) -> float:
    assert contact.current_score is not None
    return contact.current_score.score


def test_the_list_shows_the_reviewed_score_with_the_machines_beside(
    client_for: ClientFor, overturned: Contact, qa_zhao: User
) -> None:
    page = client_for(qa_zhao).get(reverse("interactions:contact_list")).content.decode()

    row = page.split("C-REVIEWED")[1].split("</tr>")[0]
    reviewed, auto = f"{overturned.reviewed_score:g}", f"{machine(overturned):g}"  # type: ignore[attr-defined]
    assert f">{reviewed}<" in row  # the score of record
    assert auto in row.split(reviewed, 1)[1]  # the machine's, beside it


def test_the_band_filter_follows_the_score_of_record(
    client_for: ClientFor, overturned: Contact, qa_zhao: User
) -> None:
    band = ScoreBand.of(overturned.reviewed_score)  # type: ignore[attr-defined]
    assert band != ScoreBand.of(machine(overturned))
    client = client_for(qa_zhao)

    listed = client.get(reverse("interactions:contact_list"), {"score_band": band.value})
    not_listed = client.get(
        reverse("interactions:contact_list"),
        {"score_band": ScoreBand.of(machine(overturned)).value},
    )

    assert "C-REVIEWED" in listed.content.decode()
    assert "C-REVIEWED" not in not_listed.content.decode()


def test_the_contact_page_heads_with_the_reviewed_score(
    client_for: ClientFor, overturned: Contact, qa_zhao: User
) -> None:
    page = (
        client_for(qa_zhao)
        .get(reverse("interactions:contact_detail", args=[overturned.pk]))
        .content.decode()
    )

    head = page.split('class="score-summary"')[1].split('class="detail-grid"')[0]
    big = head.split('class="score-big')[1].split("<small>")[0]
    assert f"{overturned.reviewed_score:g}" in big  # type: ignore[attr-defined]
    assert "人工复核" in head
    assert f"{machine(overturned):g}" in head.split("<small>", 1)[1]  # the machine's beside


def test_the_api_and_the_kpis_read_the_score_of_record(overturned: Contact, qa_zhao: User) -> None:
    api = Api(qa_zhao)
    listed = api.get("/contacts").json()["items"]
    shown = api.get(f"/contacts/{overturned.pk}").json()
    for body in (listed[0], shown):
        assert body["score"] == overturned.reviewed_score  # type: ignore[attr-defined]
        assert body["auto_score"] == machine(overturned)
        assert body["passed"] is False

    [row] = kpi_table_for(user=qa_zhao, filters=ContactFilters(), by=["queue"])
    assert row.qa.qa_score == pytest.approx(overturned.reviewed_score)  # type: ignore[attr-defined]


def test_the_quality_report_averages_the_score_of_record(
    overturned: Contact, qa_zhao: User
) -> None:
    report = quality_report(user=qa_zhao, period=parse_period(PeriodKind.MONTH, "2026-10"))

    assert report.totals.current.record_average == pytest.approx(overturned.reviewed_score)  # type: ignore[attr-defined]
    assert report.totals.current.auto_average == pytest.approx(machine(overturned))
