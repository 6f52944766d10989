"""Every stored contact with a transcript gets scored, even when the process that stored it
died before it sent it for scoring: a rerun of the import, `lingting rescore --missing` and
the scheduler's sweep all score what has no current result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from django.conf import settings
from django.core.management import call_command

from lingting.interactions.engine_contacts import contacts_without_current_score
from lingting.interactions.models import Contact
from lingting.quality.models import ScorecardVersion

pytestmark = pytest.mark.django_db

TURNS = [
    {"speaker": "agent", "start": 0.0, "end": 3.1, "text": "您好,很高兴为您服务"},
    {"speaker": "customer", "start": 3.4, "end": 7.9, "text": "我想问一下这个月的话费。"},
]


def contacts_file(tmp_path: Path) -> Path:
    records = [{"id": f"S{n}", "turns": TURNS} for n in range(5)] + [{"id": "CDR1"}]
    path = tmp_path / "contacts.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def scored() -> dict[str, bool]:
    return {
        external_id: score is not None
        for external_id, score in Contact.objects.values_list("external_id", "current_score")
    }


def test_rescore_missing_scores_every_contact_with_turns_and_no_current_result(
    tmp_path: Path, standard_version: ScorecardVersion, capsys: pytest.CaptureFixture[str]
) -> None:
    # As if the import had died after storing, before it sent anything for scoring.
    call_command("import", str(contacts_file(tmp_path)), "--no-score")
    assert set(contacts_without_current_score().values_list("external_id", flat=True)) == {
        f"S{n}" for n in range(5)
    }

    call_command("rescore", "--missing")

    assert scored() == {**{f"S{n}": True for n in range(5)}, "CDR1": False}
    assert "scored 5 contact(s)" in capsys.readouterr().out
    assert not contacts_without_current_score().exists()
    call_command("rescore", "--missing")
    assert "scored 0 contact(s)" in capsys.readouterr().out


def test_importing_the_same_file_again_scores_what_a_dead_run_left_unscored(
    tmp_path: Path, standard_version: ScorecardVersion, django_capture_on_commit_callbacks: Any
) -> None:
    path = contacts_file(tmp_path)
    call_command("import", str(path), "--no-score")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("import", str(path), "--sync")

    assert scored() == {**{f"S{n}": True for n in range(5)}, "CDR1": False}


def test_the_scheduler_sweeps_for_unscored_contacts() -> None:
    assert any(command == ["rescore", "--missing"] for _, _, command in settings.LINGTING_SCHEDULE)
