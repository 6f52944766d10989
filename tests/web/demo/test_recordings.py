"""The demo's calls with recordings: stored for agent_li's agent with their recordings, heard,
and scored on turn times that are where their voices are."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from lingting.demo.management.commands.demo import FIRST_AGENT, _parsed
from lingting.demo.recordings import demo_call_recordings, demo_listen
from lingting.interactions.models import Contact, Listening
from lingting.interactions.services import contacts_import
from lingting.quality.models import ScorecardVersion
from lingting.quality.services import contacts_score

pytestmark = pytest.mark.django_db

DAY = date(2026, 10, 31)


@pytest.fixture
def root(settings: Any, tmp_path: Path) -> Path:
    settings.LINGTING_RECORDINGS_ROOT = tmp_path / "recordings"
    return Path(settings.LINGTING_RECORDINGS_ROOT)


def demo_calls() -> tuple[list[dict[str, Any]], str]:
    records = demo_call_recordings(agent_id=FIRST_AGENT, queue="ACD-01", day=DAY)
    contacts_import(lines=_parsed(records), in_process=True)
    return records, demo_listen(records)


def test_the_demo_writes_its_calls_where_recordings_are_read_and_hears_them(root: Path) -> None:
    records, said = demo_calls()

    assert sorted(p.name for p in (root / "demo").iterdir()) == [
        "agent-talks-over.wav",
        "calm.wav",
        "customer-cuts-in.wav",
        "dead-air.wav",
        "raised-voice.wav",
    ]
    contacts = Contact.objects.filter(external_id__in=[r["id"] for r in records])
    assert contacts.count() == 5
    assert {c.agent.code for c in contacts if c.agent} == {FIRST_AGENT}
    assert all(timezone.localtime(c.answered_at).date() == DAY for c in contacts if c.answered_at)
    listenings = Listening.objects.filter(recording__contact__in=contacts)
    assert listenings.count() == 5
    assert not listenings.exclude(error="").exists()
    assert all(set(lst.waveform["lanes"]) == {"agent", "customer"} for lst in listenings)
    assert said.startswith(f"recordings: 5 stereo calls of agent {FIRST_AGENT} written under ")
    assert said.endswith(", 5 listened to")


def test_running_the_demo_again_replaces_its_calls_and_what_was_heard(root: Path) -> None:
    demo_calls()
    first = dict(Listening.objects.values_list("recording__uri", "metrics"))

    demo_calls()

    assert Contact.objects.count() == 5
    assert dict(Listening.objects.values_list("recording__uri", "metrics")) == first


def test_the_demo_calls_lose_points_for_the_dead_air_and_the_talking_over_they_hold(
    root: Path, standard_version: ScorecardVersion
) -> None:
    records, _ = demo_calls()
    ids = {r["recording"]: r["id"] for r in records}
    contacts = Contact.objects.filter(external_id__in=list(ids.values()))
    contacts_score(contact_ids=[c.pk for c in contacts], version=standard_version)

    def failed(recording: str) -> set[str]:
        contact = Contact.objects.select_related("current_score").get(external_id=ids[recording])
        assert contact.current_score is not None
        return {i["item"] for i in contact.current_score.items if i["result"] == "fail"}

    assert "dead_air" in failed("demo/dead-air.wav")
    assert "interruption" in failed("demo/agent-talks-over.wav")
    for calm in ("demo/calm.wav", "demo/customer-cuts-in.wav"):
        assert not {"dead_air", "interruption"} & failed(calm)
