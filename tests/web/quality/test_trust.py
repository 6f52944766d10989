"""Trust in the machine: overturn rates of automatic items, and flags for weak rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lingting.core.models import User
from lingting.engine.evaluation import Answer
from lingting.engine.scorecard_yaml import builtin_scorecard
from lingting.interactions.models import Contact
from lingting.quality.models import AssignmentKind, ReviewAssignment
from lingting.quality.selectors.score_of_record import auto_results_of
from lingting.quality.selectors.trust import trust_report
from lingting.quality.services.reviews import RecordInput, evaluation_submit
from tests.web.conftest import BRUSH_OFF, ScoredContact

ClientFor = Callable[[User], Client]
pytestmark = pytest.mark.django_db
STANDARD = builtin_scorecard()


def review(
    contact: Contact, reviewer: User, kind: str = AssignmentKind.SAMPLE, **changes: Answer
) -> None:
    """A review that accepts the engine except for `changes` (manual items pass)."""
    auto = auto_results_of(contact.current_score)
    answers = {
        item.id: Answer(auto.get(item.id, "pass"))  # type: ignore[arg-type]
        for item in STANDARD.items
    }
    answers.update(changes)
    assignment = ReviewAssignment.objects.create(contact=contact, reviewer=reviewer, kind=kind)
    evaluation_submit(reviewer=reviewer, assignment=assignment, record=RecordInput(answers=answers))


@pytest.fixture
def reviewed(scored_contact: ScoredContact, qa_sun: User) -> None:
    """6 brush-offs the engine marks 服务禁语: reviewers confirm 2 and overturn 4; on one
    plain call a reviewer finds the opening missing where the engine passed it."""
    for n in range(6):
        contact = scored_contact(f"C-BRUSH-{n}", turns=BRUSH_OFF)
        if n < 4:
            review(contact, qa_sun, forbidden_phrases=Answer("pass", reason="语境中不是推诿"))
        else:
            review(contact, qa_sun)
    review(scored_contact("C-PLAIN"), qa_sun, opening=Answer("fail", reason="开头语含糊"))


def test_overturns_are_counted_as_false_hits_and_misses(reviewed: None) -> None:
    report = trust_report()
    by_item = {t.item: t for t in report.items}

    forbidden = by_item["forbidden_phrases"]
    assert (forbidden.reviewed, forbidden.hits, forbidden.confirmed) == (7, 6, 2)
    assert (forbidden.false_hits, forbidden.misses) == (4, 0)
    assert forbidden.precision == pytest.approx(2 / 6)
    opening = by_item["opening"]
    assert (opening.misses, opening.false_hits) == (1, 0)
    assert opening.overturn_rate is None  # the engine never failed it: no hit to overturn
    assert opening.miss_rate == pytest.approx(1 / 7)
    assert [t.item for t in report.flagged] == ["forbidden_phrases"]
    assert report.items[0].item == "forbidden_phrases"  # worst precision first


def test_calibration_practice_does_not_count(scored_contact: ScoredContact, qa_sun: User) -> None:
    review(scored_contact(turns=BRUSH_OFF), qa_sun, kind=AssignmentKind.CALIBRATION)

    assert trust_report().items == []


def test_the_page_flags_weak_rules_to_the_supervisor(
    client_for: ClientFor, reviewed: None, qa_zhao: User
) -> None:
    page = client_for(qa_zhao).get(reverse("quality:trust")).content.decode()

    assert 'id="trust-flags"' in page
    assert "服务禁语" in page
    assert "33%" in page  # 2 of 6 hits confirmed


@pytest.mark.parametrize("who", ["agent_li", "leader_wang", "planner_qian"])
def test_agents_and_leaders_do_not_see_reviewer_statistics(
    client_for: ClientFor, org: Any, who: str
) -> None:
    assert client_for(org.users[who]).get(reverse("quality:trust")).status_code == 403


def test_the_overturn_rate_is_of_the_items_own_reviewed_hits(
    client_for: ClientFor, reviewed: None, qa_zhao: User
) -> None:
    """4 of the 6 服务禁语 hits a person checked were overturned: 67%, not 4 of every
    review of the item (57%)."""
    forbidden = {t.item: t for t in trust_report().items}["forbidden_phrases"]
    assert forbidden.overturn_rate == pytest.approx(4 / 6)

    page = client_for(qa_zhao).get(reverse("quality:trust")).content.decode()
    row = page.split('id="trust-forbidden_phrases"')[1].split("</tr>")[0]
    assert "67%" in row
    assert "57%" not in row


def test_hits_and_misses_click_through_to_the_calls(
    client_for: ClientFor, reviewed: None, qa_zhao: User
) -> None:
    client = client_for(qa_zhao)
    page = client.get(reverse("quality:trust")).content.decode()
    false_hits_url = reverse("quality:trust_calls", args=["forbidden_phrases"]) + "?kind=false_hits"
    assert f'href="{false_hits_url}"' in page.replace("&amp;", "&")

    listed = client.get(false_hits_url).content.decode()
    assert [f"C-BRUSH-{n}" in listed for n in range(6)] == [True] * 4 + [False] * 2
    misses = client.get(
        reverse("quality:trust_calls", args=["opening"]), {"kind": "misses"}
    ).content.decode()
    assert "C-PLAIN" in misses
    assert "C-BRUSH-0" not in misses
    assert client.get(false_hits_url.replace("false_hits", "nonsense")).status_code == 400


def test_the_calls_behind_the_figures_are_for_qa_readers_only(
    client_for: ClientFor, reviewed: None, agent_li: User
) -> None:
    url = reverse("quality:trust_calls", args=["forbidden_phrases"])
    assert client_for(agent_li).get(url, {"kind": "hits"}).status_code == 403
