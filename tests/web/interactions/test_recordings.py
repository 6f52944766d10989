"""A contact's recording plays beside its transcript, to those who may see the contact."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from lingting.core.models import User
from lingting.interactions.models import Contact, Recording
from lingting.quality.models import AssignmentKind, ReviewAssignment
from tests.web.conftest import silent_wav

ClientFor = Callable[[User], Client]
pytestmark = pytest.mark.django_db


@pytest.fixture
def root(settings: Any, tmp_path: Path) -> Path:
    settings.LINGTING_RECORDINGS_ROOT = tmp_path / "recordings"
    return Path(settings.LINGTING_RECORDINGS_ROOT)


@pytest.fixture
def recorded(make_contact: Any, root: Path) -> tuple[Contact, bytes]:
    contact: Contact = make_contact("C-REC", agent="A1001")
    audio = silent_wav(root / "2026" / "10" / "01" / "C-REC.wav")
    Recording.objects.create(contact=contact, uri="2026/10/01/C-REC.wav")
    return contact, audio


def recording_url(contact: Contact) -> str:
    return reverse("interactions:contact_recording", args=[contact.pk])


def test_the_contact_page_plays_the_recording_and_turns_seek_it(
    client_for: ClientFor, recorded: tuple[Contact, bytes], agent_li: User
) -> None:
    contact, _ = recorded

    page = client_for(agent_li).get(reverse("interactions:contact_detail", args=[contact.pk]))

    html = page.content.decode()
    assert (
        f'<audio id="recording" controls preload="metadata" src="{recording_url(contact)}">' in html
    )
    assert 'data-start="0.000" data-end="3.100"' in html
    assert 'class="clock seek" data-seek="3.400"' in html
    assert "interactions/player.js" in html


def test_the_recording_is_served_whole_or_by_range(
    client_for: ClientFor, recorded: tuple[Contact, bytes], agent_li: User
) -> None:
    contact, audio = recorded
    client = client_for(agent_li)

    whole = client.get(recording_url(contact))
    first = client.get(recording_url(contact), headers={"Range": "bytes=0-99"})
    tail = client.get(recording_url(contact), headers={"Range": "bytes=-10"})
    beyond = client.get(recording_url(contact), headers={"Range": f"bytes={len(audio)}-"})

    assert whole.status_code == 200
    assert whole["Content-Type"] == "audio/wav"
    assert b"".join(whole.streaming_content) == audio  # type: ignore[attr-defined]
    assert first.status_code == 206
    assert first["Content-Range"] == f"bytes 0-99/{len(audio)}"
    assert first.content == audio[:100]
    assert tail.content == audio[-10:]
    assert beyond.status_code == 416


def test_only_those_who_may_see_the_contact_hear_it(
    client_for: ClientFor, recorded: tuple[Contact, bytes], agent_zhang: User, org: Any
) -> None:
    contact, _ = recorded

    assert client_for(agent_zhang).get(recording_url(contact)).status_code == 404
    assert client_for(org.users["leader_liu"]).get(recording_url(contact)).status_code == 404
    assert client_for(org.users["leader_wang"]).get(recording_url(contact)).status_code == 200


def test_a_path_outside_the_recordings_folder_is_never_served(
    client_for: ClientFor, make_contact: Any, root: Path, qa_zhao: User
) -> None:
    silent_wav(root.parent / "elsewhere.wav")
    contact: Contact = make_contact("C-ESCAPE")
    Recording.objects.create(contact=contact, uri="../elsewhere.wav")

    page = client_for(qa_zhao).get(reverse("interactions:contact_detail", args=[contact.pk]))

    assert client_for(qa_zhao).get(recording_url(contact)).status_code == 404
    assert 'id="recording"' not in page.content.decode()


def test_a_missing_file_shows_no_player(
    client_for: ClientFor, make_contact: Any, root: Path, qa_zhao: User
) -> None:
    contact: Contact = make_contact("C-GONE")
    Recording.objects.create(contact=contact, uri="2026/10/01/missing.wav")

    page = client_for(qa_zhao).get(reverse("interactions:contact_detail", args=[contact.pk]))

    assert 'id="recording"' not in page.content.decode()


def test_the_reviewer_hears_the_call_on_the_review_page(
    client_for: ClientFor, scored_contact: Any, root: Path, qa_sun: User
) -> None:
    contact: Contact = scored_contact("C-REVIEW-REC")
    silent_wav(root / "C-REVIEW-REC.wav")
    Recording.objects.create(contact=contact, uri="file:///C-REVIEW-REC.wav")
    assignment = ReviewAssignment.objects.create(
        contact=contact, reviewer=qa_sun, kind=AssignmentKind.SAMPLE
    )

    page = client_for(qa_sun).get(reverse("quality:review", args=[assignment.pk]))

    assert 'id="recording"' in page.content.decode()


@pytest.mark.parametrize(
    "uri",
    [
        "2026/10/01/" + "长" * 90 + ".wav",  # a name of 274 bytes: over the 255 a name may have
        "x" * 300 + "/C.wav",
        pytest.param(
            "2026/10/01/C\x00.wav",
            # Only SQLite stores it (PostgreSQL refuses a NUL in text, and the import
            # refuses it everywhere now); a recording stored before that must not break pages.
            marks=pytest.mark.skipif(connection.vendor == "postgresql", reason="no NUL in text"),
        ),
    ],
    ids=["long-name", "long-folder", "nul"],
)
def test_a_path_the_filesystem_refuses_makes_the_recording_unavailable_not_a_500(
    client_for: ClientFor, scored_contact: Any, root: Path, qa_sun: User, uri: str
) -> None:
    root.mkdir(parents=True, exist_ok=True)
    contact: Contact = scored_contact("C-BAD-PATH")
    Recording.objects.create(contact=contact, uri=uri)
    assignment = ReviewAssignment.objects.create(
        contact=contact, reviewer=qa_sun, kind=AssignmentKind.SAMPLE
    )
    client = client_for(qa_sun)

    contact_page = client.get(reverse("interactions:contact_detail", args=[contact.pk]))
    review_page = client.get(reverse("quality:review", args=[assignment.pk]))
    review_api = client.get(f"/api/quality/reviews/{assignment.pk}")

    assert (contact_page.status_code, review_page.status_code) == (200, 200)
    assert 'id="recording"' not in contact_page.content.decode()
    assert 'id="recording"' not in review_page.content.decode()
    assert review_api.status_code == 200
    assert client.get(recording_url(contact)).status_code == 404


def test_a_recording_gone_between_finding_and_serving_it_is_a_404(tmp_path: Path) -> None:
    from django.http import Http404
    from django.test import RequestFactory

    from lingting.interactions.recordings import recording_response

    with pytest.raises(Http404):
        recording_response(RequestFactory().get("/"), tmp_path / "deleted.wav")


def test_a_nul_in_a_recording_path_is_no_recording(root: Path) -> None:
    from lingting.interactions.recordings import _inside_root

    assert _inside_root("2026/10/01/C\x00.wav") is None
