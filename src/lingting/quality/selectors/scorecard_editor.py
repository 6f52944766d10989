"""Reading for the scorecard editor: the scorecards and their versions, a version's items
as the editor shows them, its examples run, and the preview of a draft against the
version in force on the last days' contacts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from itertools import batched
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from lingting.engine.contacts import Contact as EngineContact
from lingting.engine.scorecard import Scorecard as EngineScorecard
from lingting.engine.scorecard_checks import (
    ExamplesReport,
    Flip,
    ItemRate,
    preview_scorecards,
    run_examples,
)
from lingting.engine.scorecard_document import (
    EXAMPLE_KEYS,
    dump_rule_text,
    examples_to_text,
    iter_items,
)
from lingting.engine.scorecard_yaml import parse_scorecard
from lingting.interactions.engine_contacts import engine_contacts_for
from lingting.interactions.models import Contact, Queue
from lingting.quality.models import QueueScorecard, Scorecard, ScorecardVersion
from lingting.quality.selectors.scorecards import CURRENT_SCORECARD

PREVIEW_DAYS = 7
PREVIEW_CONTACTS = 5000  # the most recent ones: a preview answers in seconds, not minutes
PREVIEW_FLIPS_SHOWN = 300
_CHUNK = 1000


def scorecards_with_versions() -> QuerySet[Scorecard]:
    versions = ScorecardVersion.objects.select_related(
        "created_by", "submitted_by", "decided_by"
    ).order_by("-number")
    return Scorecard.objects.prefetch_related(Prefetch("versions", queryset=versions)).order_by(
        "name"
    )


def queue_choices() -> list[tuple[Queue, Scorecard | None]]:
    """Every queue with the scorecard chosen for it (None: the standard one)."""
    chosen = {
        choice.queue_id: choice.scorecard
        for choice in QueueScorecard.objects.select_related("scorecard")
    }
    return [(queue, chosen.get(queue.pk)) for queue in Queue.objects.order_by("code")]


@dataclass(frozen=True, slots=True)
class EditorItem:
    """One item as the editor shows and edits it."""

    id: str
    section: str
    section_title: str
    title: str
    points: Any
    severity: str
    fatal: bool
    description: str
    rule: str  # YAML text, "" for a manual item
    rule_kind: str
    must_trigger: str  # the example lines
    must_not_trigger: str

    def initial(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "points": self.points,
            "severity": self.severity,
            "fatal": self.fatal,
            "description": self.description,
            "rule": self.rule,
            "must_trigger": self.must_trigger,
            "must_not_trigger": self.must_not_trigger,
        }


def editor_document(version: ScorecardVersion) -> dict[str, Any]:
    return parse_scorecard(version.source_text).to_dict()


def editor_items(version: ScorecardVersion) -> list[EditorItem]:
    return [_editor_item(section, raw) for section, raw in iter_items(editor_document(version))]


def editor_item(version: ScorecardVersion, item_id: str) -> EditorItem | None:
    return next((item for item in editor_items(version) if item.id == item_id), None)


def editor_sections(version: ScorecardVersion) -> list[tuple[str, str]]:
    return [
        (str(section.get("id")), str(section.get("title")))
        for section in editor_document(version).get("sections") or []
    ]


def _editor_item(section: dict[str, Any], raw: dict[str, Any]) -> EditorItem:
    examples = raw.get("examples") or {}
    rule = raw.get("rule")
    texts = {key: examples_to_text(examples.get(key)) for key in EXAMPLE_KEYS}
    return EditorItem(
        id=str(raw["id"]),
        section=str(section.get("id")),
        section_title=str(section.get("title")),
        title=str(raw.get("title", "")),
        points=raw.get("points", 0),
        severity=str(raw.get("severity", "")),
        fatal=bool(raw.get("fatal", False)),
        description=str(raw.get("description") or ""),
        rule=dump_rule_text(rule),
        rule_kind=str(rule.get("kind", "")) if isinstance(rule, dict) else "",
        must_trigger=texts["must_trigger"],
        must_not_trigger=texts["must_not_trigger"],
    )


def version_examples_report(version: ScorecardVersion) -> ExamplesReport:
    """Every item's must/must-not-trigger examples, run by the engine (`scorecard test`)."""
    return run_examples(parse_scorecard(version.source_text))


@dataclass(frozen=True, slots=True)
class FlipRow:
    flip: Flip
    contact_pk: int | None  # for the link to the contact's page

    @property
    def change(self) -> str:
        """pass_to_fail, fail_to_pass or score (the verdict stays)."""
        if not self.flip.pass_changed:
            return "score"
        return "pass_to_fail" if self.flip.old_passed else "fail_to_pass"


@dataclass(frozen=True, slots=True)
class PreviewPage:
    active: ScorecardVersion | None
    days: int
    contacts: int
    capped: bool  # more contacts than PREVIEW_CONTACTS in the days: the newest were taken
    old_passed: int
    new_passed: int
    items: tuple[ItemRate, ...]
    flips: list[FlipRow]  # at most PREVIEW_FLIPS_SHOWN, verdict changes first
    flip_count: int
    pass_to_fail: int
    fail_to_pass: int


def draft_preview(
    version: ScorecardVersion, *, days: int = PREVIEW_DAYS, limit: int = PREVIEW_CONTACTS
) -> PreviewPage:
    """`version` against the active version of its scorecard (itself when none is active
    yet) on the stored contacts of the last `days` days that it would score."""
    active = version.scorecard.versions.filter(is_active=True).first()
    new = parse_scorecard(version.source_text)
    old: EngineScorecard = new if active is None else parse_scorecard(active.source_text)
    ids = _recent_contact_ids(version.scorecard, days=days, limit=limit + 1)
    capped = len(ids) > limit
    ids = ids[:limit]
    pks: dict[str, int] = {}

    def contacts() -> Iterator[EngineContact]:
        for chunk in batched(ids, _CHUNK):
            for pk, contact in engine_contacts_for(contact_ids=chunk):
                if contact.turns:
                    pks[contact.id] = pk
                    yield contact

    preview = preview_scorecards(old, new, contacts())
    rows = sorted(
        (FlipRow(flip, pks.get(flip.contact_id)) for flip in preview.flips),
        key=lambda row: (not row.flip.pass_changed, -abs(row.flip.new_score - row.flip.old_score)),
    )
    return PreviewPage(
        active=active,
        days=days,
        contacts=preview.contacts,
        capped=capped,
        old_passed=preview.old_passed,
        new_passed=preview.new_passed,
        items=preview.items,
        flips=rows[:PREVIEW_FLIPS_SHOWN],
        flip_count=len(rows),
        pass_to_fail=sum(row.change == "pass_to_fail" for row in rows),
        fail_to_pass=sum(row.change == "fail_to_pass" for row in rows),
    )


def _recent_contact_ids(scorecard: Scorecard, *, days: int, limit: int) -> list[int]:
    """The newest contacts with a transcript of the last `days` days that `scorecard`
    scores: its queues' when it has some, else every contact (the standard scorecard's,
    with the contacts of queues given another scorecard left out)."""
    since = timezone.now() - timedelta(days=days)
    contacts = Contact.objects.filter(started_at__gte=since, turn_count__gt=0)
    queues = list(
        QueueScorecard.objects.filter(scorecard=scorecard).values_list("queue_id", flat=True)
    )
    if queues:
        contacts = contacts.filter(queue_id__in=queues)
    elif scorecard.name == CURRENT_SCORECARD:
        others = QueueScorecard.objects.exclude(scorecard=scorecard).values_list(
            "queue_id", flat=True
        )
        contacts = contacts.exclude(queue_id__in=list(others))
    return list(contacts.order_by("-started_at", "-id").values_list("id", flat=True)[:limit])
