"""What a contact meant is stored with its score, once per contact, and filled in for
contacts scored before it was stored."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from lingting.quality.models import ContactMeaning, ScorecardVersion
from lingting.quality.services import contacts_score
from tests.web.conftest import ANGRY_UNRESOLVED, PLEASED_RESOLVED, ScoredContact

pytestmark = pytest.mark.django_db


def test_scoring_stores_the_customers_emotion_resolution_and_satisfaction(
    scored_contact: ScoredContact,
) -> None:
    contact = scored_contact(turns=ANGRY_UNRESOLVED)

    meaning = ContactMeaning.objects.get(contact=contact)
    assert (meaning.emotion_start, meaning.emotion_peak, meaning.emotion_end) == (
        "dissatisfied",
        "angry",
        "angry",
    )
    assert meaning.peak_intensity == pytest.approx(0.95)
    assert meaning.calmed is False
    assert meaning.resolved is False
    assert meaning.resolution_reason == "threatened"
    assert meaning.satisfaction_predicted == 0.0
    turns = meaning.details["turns"]
    assert [(t["turn"], t["emotion"]) for t in turns] == [(1, "dissatisfied"), (3, "angry")]
    assert [0, 4, "angry", "word"] in turns[1]["evidence"]  # 什么态度
    assert meaning.details["resolution_evidence"] == [[3, 7, 9, "threat"]]
    assert {f["factor"] for f in meaning.details["satisfaction_why"]} >= {"ended_angry"}


def test_rescoring_replaces_the_meaning_instead_of_adding_one(
    scored_contact: ScoredContact, standard_version: ScorecardVersion
) -> None:
    contact = scored_contact(turns=ANGRY_UNRESOLVED)
    turn = contact.turns.get(index=3)
    turn.text = "好的，谢谢，没问题了"
    turn.save()

    contacts_score(contact_ids=[contact.pk], version=standard_version)

    meaning = ContactMeaning.objects.get(contact=contact)
    assert ContactMeaning.objects.count() == 1
    assert meaning.emotion_end == "pleased"
    assert meaning.resolved is True


def test_a_contact_whose_customer_never_spoke_has_no_emotion_and_no_verdict(
    scored_contact: ScoredContact,
) -> None:
    contact = scored_contact(turns=(("agent", "您好，请问有什么可以帮您？"),))

    meaning = ContactMeaning.objects.get(contact=contact)
    assert (meaning.emotion_end, meaning.resolved, meaning.satisfaction_predicted) == (
        "",
        None,
        None,
    )


def test_backfill_fills_only_contacts_without_a_meaning(
    make_contact: Any, scored_contact: ScoredContact
) -> None:
    kept = scored_contact(turns=PLEASED_RESOLVED)
    ContactMeaning.objects.filter(contact=kept).update(resolution_reason="kept")
    old = scored_contact(turns=ANGRY_UNRESOLVED)
    ContactMeaning.objects.filter(contact=old).delete()  # scored before meaning was stored
    make_contact(turns=())  # a CDR: nothing to read

    call_command("meaning_backfill")

    assert ContactMeaning.objects.get(contact=old).emotion_end == "angry"
    assert ContactMeaning.objects.get(contact=kept).resolution_reason == "kept"
    assert ContactMeaning.objects.count() == 2


def test_rescoring_an_unchanged_transcript_leaves_its_meaning_row_alone(
    scored_contact: ScoredContact, standard_version: ScorecardVersion
) -> None:
    contact = scored_contact(turns=ANGRY_UNRESOLVED)
    before = ContactMeaning.objects.get(contact=contact).computed_at

    contacts_score(contact_ids=[contact.pk], version=standard_version)

    assert ContactMeaning.objects.get(contact=contact).computed_at == before
