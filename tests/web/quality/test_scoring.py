"""Scorecard versions and automatic scores of stored contacts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils.timezone import get_default_timezone, now

from lingting.core.models import AuditEvent, Role, User
from lingting.engine.call_sound import call_sound
from lingting.engine.contacts import Contact as EngineContact
from lingting.engine.reader import ParsedLine, read_contacts_file
from lingting.engine.scorecard import Scorecard as EngineScorecard
from lingting.engine.scorecard_yaml import parse_scorecard
from lingting.interactions.engine_contacts import engine_contacts_for
from lingting.interactions.models import Contact, Listening, Recording
from lingting.interactions.services import contacts_import
from lingting.quality.models import ContactScore, ItemFailure, ScorecardVersion
from lingting.quality.services import (
    contacts_score,
    scorecard_load,
    scorecard_version_activate,
    scorecard_version_ensure_current,
    scorecards,
    scoring,
)
from lingting.quality.tasks import score_after_import, score_contacts
from tests.engine.call_audio import call, voiced, write_wav

pytestmark = pytest.mark.django_db

IMMEDIATE_TASKS = override_settings(
    TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
)

SCORECARD = """
scorecard: standard
version: "1.0"
title: 测试评分表
pass_mark: 80
sections:
  - id: service
    title: 服务规范
    items:
      - id: opening
        title: 开头语
        points: 10
        severity: C
        rule: {kind: phrases, mode: required, phrases: ["您好"], within: {first_turns: 2}}
      - id: forbidden_phrases
        title: 服务禁语
        points: 20
        severity: A
        rule: {kind: phrases, mode: forbidden, phrases: ["FORBIDDEN"]}
      - id: attitude
        title: 服务态度
        points: 10
        severity: B
"""

POLITE = {"id": "P1", "turns": [{"speaker": "agent", "text": "您好，请问有什么可以帮您"}]}
RUDE = {"id": "R1", "turns": [{"speaker": "agent", "text": "您好，不知道，自己查"}]}
CDR_ONLY = {"id": "K1", "queue": "ACD-01", "disposition": "abandoned"}


def scorecard(forbidden: str = "不知道") -> EngineScorecard:
    return parse_scorecard(SCORECARD.replace("FORBIDDEN", forbidden))


def store(
    tmp_path: Path, *records: dict[str, Any], score: bool = False, in_process: bool = False
) -> dict[str, int]:
    path = tmp_path / "contacts.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    lines = read_contacts_file(str(path), tz=get_default_timezone())
    scoring = score_after_import(in_process=in_process) if score else None
    contacts_import(lines=lines, on_stored=scoring, in_process=in_process)
    return dict(Contact.objects.values_list("external_id", "id"))


def active_version(forbidden: str = "不知道") -> ScorecardVersion:
    version = scorecard_load(scorecard=scorecard(forbidden), actor=None)
    scorecard_version_activate(version=version, actor=None, rescore=False)
    version.refresh_from_db()
    return version


@pytest.fixture
def qa_zhao() -> User:
    return User.objects.create_user("qa_zhao", role=Role.QA_SUPERVISOR)


def test_loading_the_same_scorecard_again_keeps_one_version(qa_zhao: User) -> None:
    first = scorecard_load(scorecard=scorecard(), actor=qa_zhao)
    again = scorecard_load(scorecard=scorecard(), actor=qa_zhao)
    changed = scorecard_load(scorecard=scorecard("没办法"), actor=qa_zhao)

    assert again == first
    assert (first.number, changed.number) == (1, 2)
    assert not first.is_active
    assert first.label == scorecard().version_label
    assert first.source_text == scorecard().source_text
    created = AuditEvent.objects.filter(action="scorecard_version.create", actor=qa_zhao)
    assert created.count() == 2


def test_scoring_writes_the_score_its_failed_items_and_the_current_score(
    tmp_path: Path,
) -> None:
    ids = store(tmp_path, POLITE, RUDE)
    version = active_version()

    scored = contacts_score(contact_ids=ids.values(), version=version)

    assert scored == 2
    rude = ContactScore.objects.get(contact_id=ids["R1"], version=version)
    assert (rude.score, rude.passed, rude.fatal, rude.severity_a) == (50.0, False, False, 1)
    assert {i["item"]: i["result"] for i in rude.items} == {
        "opening": "pass",
        "forbidden_phrases": "fail",
        "attitude": "manual",
    }
    failure = ItemFailure.objects.get()
    assert (failure.score, failure.item, failure.severity, failure.points_lost) == (
        rude,
        "forbidden_phrases",
        "A",
        20.0,
    )
    assert Contact.objects.get(id=ids["R1"]).current_score == rude
    assert Contact.objects.get(id=ids["P1"]).current_score.passed  # type: ignore[union-attr]


def test_cdr_only_contacts_are_not_scored(tmp_path: Path) -> None:
    ids = store(tmp_path, CDR_ONLY)

    assert contacts_score(contact_ids=ids.values(), version=active_version()) == 0
    assert not ContactScore.objects.exists()


def test_scoring_again_replaces_the_score_and_its_failed_items(tmp_path: Path) -> None:
    ids = store(tmp_path, RUDE)
    version = active_version()

    contacts_score(contact_ids=ids.values(), version=version)
    contacts_score(contact_ids=ids.values(), version=version)

    assert ContactScore.objects.count() == 1
    assert ItemFailure.objects.count() == 1


def test_an_inactive_version_scores_without_changing_the_current_score(tmp_path: Path) -> None:
    ids = store(tmp_path, RUDE)
    active = active_version()
    contacts_score(contact_ids=ids.values(), version=active)
    trial = scorecard_load(scorecard=scorecard("自己查"), actor=None)

    contacts_score(contact_ids=ids.values(), version=trial)

    assert ContactScore.objects.filter(version=trial).count() == 1
    current = Contact.objects.get().current_score
    assert current is not None
    assert current.version == active


@IMMEDIATE_TASKS
def test_imported_transcripts_are_scored_by_the_task_once_their_batch_commits(
    tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    active_version()
    with django_capture_on_commit_callbacks(execute=True):
        ids = store(tmp_path, POLITE, RUDE, CDR_ONLY, score=True)

    scored = dict(Contact.objects.values_list("external_id", "current_score__score"))
    assert scored == {"P1": 100.0, "R1": 50.0, "K1": None}
    assert set(ids) == set(scored)


@IMMEDIATE_TASKS
def test_a_changed_transcript_is_scored_again_on_import(
    tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    active_version()
    with django_capture_on_commit_callbacks(execute=True):
        store(tmp_path, {**POLITE, "id": "X1"}, score=True)
    with django_capture_on_commit_callbacks(execute=True):
        store(tmp_path, {**RUDE, "id": "X1"}, score=True)

    contact = Contact.objects.get()
    assert contact.current_score is not None
    assert contact.current_score.score == 50.0
    assert ContactScore.objects.count() == 1


@IMMEDIATE_TASKS
def test_activating_a_new_version_scores_every_contact_again(
    tmp_path: Path, qa_zhao: User, django_capture_on_commit_callbacks: Any
) -> None:
    ids = store(tmp_path, POLITE, RUDE, CDR_ONLY)
    first = active_version()
    contacts_score(contact_ids=ids.values(), version=first)
    second = scorecard_load(scorecard=scorecard("请问"), actor=qa_zhao)

    with django_capture_on_commit_callbacks(execute=True):
        scorecard_version_activate(version=second, actor=qa_zhao)

    current = dict(Contact.objects.values_list("external_id", "current_score__version"))
    assert current == {"P1": second.pk, "R1": second.pk, "K1": None}
    assert Contact.objects.get(external_id="P1").current_score.score == 50.0  # type: ignore[union-attr]
    first.refresh_from_db()
    assert not first.is_active


def test_the_audit_trail_records_who_activated_which_version(qa_zhao: User) -> None:
    first = active_version()
    second = scorecard_load(scorecard=scorecard("请问"), actor=qa_zhao)

    scorecard_version_activate(version=second, actor=qa_zhao, rescore=False)

    event = AuditEvent.objects.get(action="scorecard_version.activate", actor=qa_zhao)
    assert event.object_type == "scorecard_version"
    assert event.object_id == str(second.pk)
    assert event.before is not None
    assert event.after is not None
    assert (event.before["number"], event.after["number"]) == (first.number, second.number)


def test_activating_the_active_version_again_changes_nothing(qa_zhao: User) -> None:
    version = active_version()

    scorecard_version_activate(version=version, actor=qa_zhao)

    assert not AuditEvent.objects.filter(actor=qa_zhao).exists()


def test_the_builtin_scorecard_is_loaded_and_activated_when_none_is_active(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr(scorecards, "builtin_scorecard", scorecard)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        version = scorecard_version_ensure_current()

    assert version.is_active
    assert version.fingerprint == scorecard().fingerprint
    assert len(callbacks) == 1  # the re-score of every contact, once this commits
    assert scorecard_version_ensure_current() == version


def test_the_scorecard_load_command_stores_and_activates_a_yaml_file(tmp_path: Path) -> None:
    path = tmp_path / "standard.yaml"
    path.write_text(SCORECARD.replace("FORBIDDEN", "不知道"), encoding="utf-8")

    call_command("scorecard_load", str(path), "--activate")

    version = ScorecardVersion.objects.get()
    assert version.is_active
    assert version.scorecard.title == "测试评分表"


def test_the_import_command_with_sync_scores_without_a_worker(
    tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    active_version()
    path = tmp_path / "contacts.jsonl"
    path.write_bytes(orjson.dumps(RUDE) + b"\n")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("import", str(path), "--sync")

    contact = Contact.objects.get()
    assert contact.current_score is not None
    assert contact.current_score.score == 50.0


def test_the_import_command_on_a_new_database_scores_with_the_builtin_scorecard(
    tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    path = tmp_path / "contacts.jsonl"
    path.write_bytes(orjson.dumps(RUDE) + b"\n")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("import", str(path), "--sync")

    contact = Contact.objects.get()
    assert contact.current_score is not None
    assert contact.current_score.version.scorecard.name == "standard"
    assert contact.current_score.version.is_active


def test_the_scoring_task_never_activates_a_scorecard(tmp_path: Path) -> None:
    """A task scores with the version in force; with none, the contacts wait for the
    activation, which scores every contact."""
    ids = store(tmp_path, RUDE)

    assert score_contacts.call(list(ids.values())) == 0
    assert not ScorecardVersion.objects.exists()
    assert Contact.objects.get().current_score is None


def test_another_scorecard_scores_alongside_without_taking_over_the_current_score(
    tmp_path: Path,
) -> None:
    ids = store(tmp_path, RUDE)
    standard = active_version()
    contacts_score(contact_ids=ids.values(), version=standard)
    trial = scorecard_load(
        scorecard=parse_scorecard(SCORECARD.replace("scorecard: standard", "scorecard: trial")),
        actor=None,
    )
    scorecard_version_activate(version=trial, actor=None, rescore=False)
    trial.refresh_from_db()

    contacts_score(contact_ids=ids.values(), version=trial)

    assert ContactScore.objects.filter(version=trial).count() == 1
    current = Contact.objects.get().current_score
    assert current is not None
    assert current.version == standard


# A contact with every field the scorer reads, and turns whose text holds what JSON and
# COPY escape: backslashes, quotes, a tab and a line break.
FULL = {
    "id": "F1",
    "channel": "voice",
    "direction": "inbound",
    "queue": "ACD-01",
    "agent_id": "A1001",
    "customer_id": "U88812",
    "queued_at": "2026-10-01T09:00:00+08:00",
    "started_at": "2026-10-01T09:00:05+08:00",
    "answered_at": "2026-10-01T09:00:09.250000+08:00",
    "ended_at": "2026-10-01T09:03:00+08:00",
    "disposition": "answered",
    "hangup_by": "customer",
    "tags": ["5G套餐", "投诉"],
    "rings": 2,
    "wait_s": 4.5,
    "talk_s": 170.75,
    "hold_s": 10.0,
    "acw_s": 15.0,
    "holds": [{"start": 20.0, "end": 30.0}],
    "recording": "nas://rec/F1-retake.wav",
    "ivr_path": ["1", "3"],
    "score_hint": {"nested": [1, 2.5, None, True]},
    "turns": [
        {"speaker": "agent", "start": 0.0, "end": 3.1, "text": "您好，请问有什么可以帮您"},
        {"speaker": "customer", "start": 3.4, "end": 7.9, "text": 'C:\\账单\\十月 "话费"\t多了'},
        {"speaker": "agent", "start": 8.0, "end": 9.5, "text": '不知道\\n，自己查\n"再见"'},
    ],
}


def parsed(tmp_path: Path, *records: dict[str, Any]) -> list[EngineContact]:
    path = tmp_path / "parsed.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    lines = read_contacts_file(str(path), tz=get_default_timezone())
    return [line.contact for line in lines if isinstance(line, ParsedLine)]


def test_stored_contacts_are_read_back_as_the_engine_read_them(tmp_path: Path) -> None:
    store(tmp_path, {**FULL, "recording": "nas://rec/F1.wav"})
    ids = store(tmp_path, FULL, {**POLITE, "channel": ""}, CDR_ONLY)
    unknown = max(ids.values()) + 1

    read = dict(engine_contacts_for(contact_ids=[*ids.values(), unknown, ids["F1"]]))

    assert list(read) == sorted(ids.values())
    # Blank text columns read back as absent, and the latest recording is the one.
    expected = parsed(tmp_path, FULL, POLITE, CDR_ONLY)
    assert [read[ids[c.id]] for c in expected] == expected
    full = read[ids["F1"]]
    assert full.started_at is not None
    assert full.started_at.utcoffset() is not None
    assert full.extra == {"ivr_path": ["1", "3"], "score_hint": {"nested": [1, 2.5, None, True]}}


def test_any_number_of_ids_can_be_read_in_one_call(tmp_path: Path) -> None:
    ids = store(tmp_path, POLITE, RUDE)

    read = engine_contacts_for(contact_ids=[*range(1, 40_000), *ids.values()])

    assert [contact_id for contact_id, _ in read] == sorted(ids.values())


def test_stored_items_are_the_engine_result_whatever_their_text_holds(tmp_path: Path) -> None:
    ids = store(tmp_path, FULL)
    # A title with what JSON and COPY escape: a backslash, quotes, a tab and a line break.
    text = SCORECARD.replace("FORBIDDEN", "自己查").replace(
        "title: 开头语", r'title: "开头\\语 \"引号\"\t换\n行"'
    )
    version = scorecard_load(scorecard=parse_scorecard(text), actor=None)
    scorecard_version_activate(version=version, actor=None, rescore=False)
    version.refresh_from_db()
    [contact] = parsed(tmp_path, FULL)
    result = parse_scorecard(version.source_text).compile().score(contact)

    contacts_score(contact_ids=ids.values(), version=version)

    score = ContactScore.objects.get()
    assert score.items == [item.to_dict() for item in result.items]
    assert score.items[0]["title"] == '开头\\语 "引号"\t换\n行'
    assert score.items[1]["evidence"][0]["text"] == "自己查"
    assert (score.score, score.passed, score.fatal) == (result.score, result.passed, result.fatal)
    assert (score.severity_a, score.severity_b, score.severity_c) == (1, 0, 0)
    failures = list(ItemFailure.objects.values_list("score", "item", "severity", "points_lost"))
    assert failures == [(score.pk, "forbidden_phrases", "A", 20.0)]


def test_scoring_new_and_scored_contacts_together_keeps_each_score_row(tmp_path: Path) -> None:
    ids = store(tmp_path, POLITE, RUDE)
    version = active_version()
    contacts_score(contact_ids=[ids["R1"]], version=version)
    rude = ContactScore.objects.get()
    ItemFailure.objects.create(score=rude, item="stale", severity="C", points_lost=1.0)
    ids.update(store(tmp_path, {**FULL, "id": "F2"}))

    assert contacts_score(contact_ids=ids.values(), version=version) == 3

    scores = dict(ContactScore.objects.values_list("contact_id", "id"))
    assert scores[ids["R1"]] == rude.pk
    current = dict(Contact.objects.values_list("id", "current_score"))
    assert current == scores
    failed = ItemFailure.objects.values_list("score__contact__external_id", "item")
    assert sorted(failed) == [("F2", "forbidden_phrases"), ("R1", "forbidden_phrases")]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_a_score_inserted_meanwhile_sends_the_chunk_through_the_upsert(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = store(tmp_path, POLITE, RUDE)
    version = active_version()
    contacts_score(contact_ids=[ids["R1"]], version=version)
    rude = ContactScore.objects.get()
    # As if another worker scored R1 between the look-up and the COPY.
    unseen = scoring._PG["existing"].replace("WHERE", "WHERE false AND")
    monkeypatch.setitem(scoring._PG, "existing", unseen)

    assert contacts_score(contact_ids=ids.values(), version=version) == 2

    assert ContactScore.objects.count() == 2
    assert ContactScore.objects.get(contact_id=ids["R1"]).pk == rude.pk
    assert ItemFailure.objects.get().score_id == rude.pk
    current = dict(Contact.objects.values_list("external_id", "current_score__score"))
    assert current == {"P1": 100.0, "R1": 50.0}


def test_one_contact_that_cannot_be_read_leaves_the_rest_of_its_batch_scored(
    tmp_path: Path,
) -> None:
    # A time before year 1 in UTC, as an older version stored it before the import refused
    # such lines: reading it back fails (psycopg on PostgreSQL, the converter on SQLite).
    ids = store(tmp_path, POLITE, RUDE, {**POLITE, "id": "P2"})
    stored_before_the_check = (
        "0001-12-31 16:00:00+00 BC" if connection.vendor == "postgresql" else "0000-12-31 16:00:00"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Contact._meta.db_table} SET started_at = %s WHERE id = %s",
            [stored_before_the_check, ids["R1"]],
        )

    scored = contacts_score(contact_ids=ids.values(), version=active_version())

    assert scored == 2
    assert set(ContactScore.objects.values_list("contact_id", flat=True)) == {
        ids["P1"],
        ids["P2"],
    }


def test_what_the_worker_heard_in_the_latest_recording_is_read_for_the_rules(
    tmp_path: Path,
) -> None:
    ids = store(tmp_path, {**FULL, "recording": "rec/F1-old.wav"})
    ids = store(tmp_path, {**FULL, "recording": "rec/F1.wav"}, POLITE)
    old, latest = Recording.objects.filter(contact_id=ids["F1"]).order_by("id")
    heard = {"channels": 2, "silences": [{"start": 3.0, "end": 20.0}], "agent_level_dbfs": -20.0}
    Listening.objects.create(recording=old, listened_at=now(), metrics={**heard, "channels": 1})
    Listening.objects.create(recording=latest, listened_at=now(), metrics=heard)

    read = dict(engine_contacts_for(contact_ids=ids.values()))

    sound = read[ids["F1"]].audio
    assert sound is not None
    assert sound.channels == 2
    assert sound.silences == ((3.0, 20.0),)
    assert read[ids["P1"]].audio is None
    # The latest recording counts: one the worker could not read leaves nothing to judge,
    # not what an older recording held.
    Listening.objects.filter(recording=latest).update(metrics=None, error="文件不存在")
    assert dict(engine_contacts_for(contact_ids=[ids["F1"]]))[ids["F1"]].audio is None
    assert call_sound(heard) == sound


def test_an_imported_call_is_heard_before_it_is_scored_so_its_dead_air_counts(
    tmp_path: Path, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.LINGTING_RECORDINGS_ROOT = tmp_path
    rate = 8000
    # The agent greets, 15 s of silence on both channels, then the customer speaks.
    samples = call(22, rate, [(0, 0.5, voiced(3.0, rate)), (1, 18.5, voiced(2.0, rate, seed=1))])
    write_wav(tmp_path / "c1.wav", samples, rate)
    # The transcript has no times: only the recording can tell the dead air.
    record = {
        "id": "REC1",
        "channel": "voice",
        "recording": "c1.wav",
        "turns": [
            {"speaker": "agent", "text": "您好，很高兴为您服务"},
            {"speaker": "customer", "text": "我想查一下话费"},
        ],
    }
    scorecard_version_ensure_current()
    with django_capture_on_commit_callbacks(execute=True):
        store(tmp_path, record, score=True, in_process=True)

    stored = Contact.objects.get(external_id="REC1")
    assert stored.recordings.get().listening.error == ""
    (result,) = ContactScore.objects.filter(contact=stored)
    items = {item["item"]: item for item in result.items}
    assert items["dead_air"]["result"] == "fail"
    assert items["dead_air"]["detail"].startswith("录音中冷场 1 次（15 秒")
    assert ItemFailure.objects.filter(score=result, item="dead_air").exists()
