"""The scorecard editor's writes: drafts, their edits, and their way to being used.

A draft is a `ScorecardVersion` whose YAML text changes as a QA supervisor edits it (every
edit is checked by the engine's own reader, so a stored draft always parses); submitted, it
waits for another QA supervisor or an admin, who publishes it — it becomes the active
version and the contacts are scored again — or rejects it with a reason. YAML stays the
storage: the editor changes the parsed document and writes it back (comments are lost).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.core.models import User
from lingting.core.services import audit_record
from lingting.engine.rules.config import RuleConfigError, build_rule
from lingting.engine.scorecard import Scorecard as EngineScorecard
from lingting.engine.scorecard import ScorecardError
from lingting.engine.scorecard_document import (
    dump_document,
    examples_from_text,
    find_item,
    load_rule_text,
    with_item,
    without_item,
)
from lingting.engine.scorecard_yaml import parse_scorecard
from lingting.interactions.models import Queue
from lingting.quality.models import QueueScorecard, Scorecard, ScorecardVersion, VersionStatus
from lingting.quality.permissions import may_approve_scorecard, may_edit_scorecards
from lingting.quality.services.scorecards import scorecard_audit, scorecard_version_activate
from lingting.quality.tasks import rescore_queue

_ITEM_PROBLEM = re.compile(r"^item '(?P<item>[^']*)': (?P<problem>.*)$")


@dataclass(frozen=True, slots=True)
class HeaderInput:
    title: str
    version: str
    pass_mark: float
    description: str


@dataclass(frozen=True, slots=True)
class ItemInput:
    """One item as the editor's form gives it: the rule as YAML text, the examples as
    lines (see `lingting.engine.scorecard_document`)."""

    title: str
    points: float
    severity: str
    fatal: bool
    description: str
    rule: str
    must_trigger: str
    must_not_trigger: str


def draft_create(*, base: ScorecardVersion, actor: User) -> ScorecardVersion:
    """A new draft with the text of `base` (any version of its scorecard)."""
    _require(may_edit_scorecards(actor))
    engine = parse_scorecard(base.source_text)
    return _draft_new(base.scorecard, engine, actor=actor, based_on=base)


def draft_import(*, text: str, actor: User) -> ScorecardVersion:
    """A draft from an uploaded YAML file (a new scorecard when it names one). Raises
    `ScorecardError` listing every problem of a document that cannot be used."""
    _require(may_edit_scorecards(actor))
    engine = parse_scorecard(text, source=_("上传的文件"))
    card, _created = Scorecard.objects.get_or_create(
        name=engine.name, defaults={"title": engine.title}
    )
    return _draft_new(
        card, engine, actor=actor, based_on=card.versions.filter(is_active=True).first()
    )


def _draft_new(
    card: Scorecard, engine: EngineScorecard, *, actor: User, based_on: ScorecardVersion | None
) -> ScorecardVersion:
    with transaction.atomic():
        # Lock the scorecard so two drafts cannot take the same version number.
        card = Scorecard.objects.select_for_update().get(pk=card.pk)
        last = card.versions.aggregate(last=Max("number"))["last"] or 0
        draft = ScorecardVersion.objects.create(
            scorecard=card,
            number=last + 1,
            label=engine.version_label,
            fingerprint=engine.fingerprint,
            source_text=engine.source_text,
            status=VersionStatus.DRAFT,
            based_on=based_on,
            created_by=actor,
        )
        scorecard_audit(actor, "scorecard_version.draft", draft, after=_described(draft))
    return draft


def draft_save_header(*, draft: ScorecardVersion, actor: User, header: HeaderInput) -> None:
    """Scorecard-level fields: title, version text, pass mark, description."""

    def change(document: dict[str, Any]) -> dict[str, Any]:
        document["title"] = header.title.strip()
        document["version"] = header.version.strip()
        document["pass_mark"] = _plain_number(header.pass_mark)
        _set_or_drop(document, "description", header.description.strip())
        return document

    _draft_change(draft, actor, change, note=_("修改评分表信息"))


def draft_save_item(
    *,
    draft: ScorecardVersion,
    actor: User,
    item_id: str,
    item: ItemInput,
    section_id: str | None = None,
) -> None:
    """Change item `item_id`, or add it (a new id) to section `section_id`. Raises
    `ValidationError` with each problem on its field (rule, must_trigger, …)."""

    def change(document: dict[str, Any]) -> dict[str, Any]:
        existing = find_item(document, item_id)
        if existing is None and section_id is None:
            raise ValidationError(_("没有这个评分项：%(item)s") % {"item": item_id})
        if existing is not None and section_id is not None:
            raise ValidationError({"item_id": [_("已有代码相同的评分项")]})
        raw = _item_document(dict(existing or {"id": item_id}), item)
        return with_item(document, raw, section_id=section_id)

    try:
        _draft_change(draft, actor, change, note=_("修改评分项 %(item)s") % {"item": item_id})
    except ScorecardError as error:
        raise _on_fields(error.problems, item_id) from None


def draft_remove_item(*, draft: ScorecardVersion, actor: User, item_id: str) -> None:
    def change(document: dict[str, Any]) -> dict[str, Any]:
        if find_item(document, item_id) is None:
            raise ValidationError(_("没有这个评分项：%(item)s") % {"item": item_id})
        return without_item(document, item_id)

    try:
        _draft_change(draft, actor, change, note=_("删除评分项 %(item)s") % {"item": item_id})
    except ScorecardError as error:
        raise ValidationError(list(error.problems)) from None


def draft_discard(*, draft: ScorecardVersion, actor: User) -> None:
    """Delete a draft nobody submitted (it never scored a contact); the audit keeps it."""
    _require(may_edit_scorecards(actor))
    with transaction.atomic():
        locked = _locked(draft)
        if locked.status != VersionStatus.DRAFT:
            raise ValidationError(_("只有草稿可以删除"))
        scorecard_audit(
            actor,
            "scorecard_version.discard",
            locked,
            before=_described(locked),
            after={},
            note=locked.source_text,
        )
        locked.delete()


def draft_submit(*, draft: ScorecardVersion, actor: User) -> None:
    """Send a draft for approval; it can no longer be edited."""
    _require(may_edit_scorecards(actor))
    with transaction.atomic():
        draft = _locked(draft)
        if draft.status != VersionStatus.DRAFT:
            raise ValidationError(_("只有草稿可以提交审批"))
        same = draft.scorecard.versions.filter(
            status=VersionStatus.PUBLISHED, fingerprint=draft.fingerprint
        ).first()
        if same is not None:
            raise ValidationError(
                _("草稿与已发布的版本 %(number)s 完全相同，没有可审批的修改")
                % {"number": same.number}
            )
        before = _described(draft)
        draft.status = VersionStatus.SUBMITTED
        draft.submitted_by = actor
        draft.submitted_at = timezone.now()
        draft.save(update_fields=["status", "submitted_by", "submitted_at"])
        scorecard_audit(
            actor, "scorecard_version.submit", draft, before=before, after=_described(draft)
        )


def draft_approve(*, draft: ScorecardVersion, actor: User) -> None:
    """Approve a submitted draft: it is published, becomes the active version, and the
    contacts are scored again with it once this commits (`scorecard_version_activate`)."""
    with transaction.atomic():
        draft = _locked(draft)
        _require(may_approve_scorecard(actor, draft))
        if draft.status != VersionStatus.SUBMITTED:
            raise ValidationError(_("只有待审批的版本可以批准"))
        before = _described(draft)
        draft.status = VersionStatus.PUBLISHED
        draft.decided_by = actor
        draft.decided_at = timezone.now()
        draft.save(update_fields=["status", "decided_by", "decided_at"])
        scorecard_audit(
            actor, "scorecard_version.approve", draft, before=before, after=_described(draft)
        )
        scorecard_version_activate(version=draft, actor=actor)


def draft_reject(*, draft: ScorecardVersion, actor: User, reason: str) -> None:
    with transaction.atomic():
        draft = _locked(draft)
        _require(may_approve_scorecard(actor, draft))
        if draft.status != VersionStatus.SUBMITTED:
            raise ValidationError(_("只有待审批的版本可以驳回"))
        if not reason.strip():
            raise ValidationError(_("请写明驳回原因"))
        before = _described(draft)
        draft.status = VersionStatus.REJECTED
        draft.decided_by = actor
        draft.decided_at = timezone.now()
        draft.rejection_reason = reason.strip()
        draft.save(update_fields=["status", "decided_by", "decided_at", "rejection_reason"])
        scorecard_audit(
            actor,
            "scorecard_version.reject",
            draft,
            before=before,
            after=_described(draft),
            note=draft.rejection_reason,
        )


def queue_scorecard_set(*, queue: Queue, scorecard: Scorecard | None, actor: User) -> None:
    """Score `queue`'s contacts with `scorecard` from now on (None: the standard one);
    its contacts are scored again with it once this commits."""
    _require(may_edit_scorecards(actor))
    with transaction.atomic():
        existing = QueueScorecard.objects.select_for_update().filter(queue=queue).first()
        before = None if existing is None else existing.scorecard.name
        after = None if scorecard is None else scorecard.name
        if before == after:
            return
        if scorecard is None:
            QueueScorecard.objects.filter(queue=queue).delete()
        else:
            QueueScorecard.objects.update_or_create(queue=queue, defaults={"scorecard": scorecard})
        audit_record(
            actor=actor,
            action="queue.scorecard",
            object_type="queue",
            object_id=queue.pk,
            before={"scorecard": before},
            after={"scorecard": after},
        )
        transaction.on_commit(lambda: rescore_queue.enqueue(queue.pk))


# --- the document ------------------------------------------------------------------------


def _draft_change(
    draft: ScorecardVersion,
    actor: User,
    change: Callable[[dict[str, Any]], dict[str, Any]],
    *,
    note: str,
) -> None:
    """Apply `change` to the draft's document and store it as the draft's text, once the
    engine has read it without a problem (raises `ScorecardError` listing them, and
    nothing is stored). The draft is locked first, so two supervisors editing it at once
    each change the other's latest text instead of overwriting it."""
    _require(may_edit_scorecards(actor))
    with transaction.atomic():
        locked = _locked(draft)
        if locked.status != VersionStatus.DRAFT:
            raise ValidationError(_("只有草稿可以修改；请从这个版本新建草稿"))
        before = _described(locked)
        text = dump_document(change(parse_scorecard(locked.source_text).to_dict()))
        engine = parse_scorecard(text)
        if engine.name != locked.scorecard.name:
            raise ScorecardError("<scorecard>", [_("评分表代码不能修改")])
        locked.source_text = text
        locked.fingerprint = engine.fingerprint
        locked.label = engine.version_label
        locked.save(update_fields=["source_text", "fingerprint", "label"])
        if engine.title != locked.scorecard.title and locked.scorecard.versions.count() == 1:
            # A scorecard known only by this draft takes its title from it.
            Scorecard.objects.filter(pk=locked.scorecard_id).update(title=engine.title)
        after = _described(locked)
        scorecard_audit(
            actor, "scorecard_version.edit", locked, before=before, after=after, note=note
        )
    draft.refresh_from_db()


def _item_document(raw: dict[str, Any], item: ItemInput) -> dict[str, Any]:
    """The item's YAML mapping with the form's values, its other keys (title_en,
    per_hit_points) kept. Raises `ValidationError` on the field that cannot be read."""
    errors: dict[str, list[str]] = {}
    raw["title"] = item.title.strip()
    _set_or_drop(raw, "description", item.description.strip())
    raw["points"] = _plain_number(item.points)
    raw["severity"] = item.severity
    if item.fatal or "fatal" in raw:
        raw["fatal"] = item.fatal
    try:
        rule = load_rule_text(item.rule)
        if rule is not None:
            build_rule(rule)  # the engine's own check, whatever the kind of rule
    except (ValueError, RuleConfigError) as error:
        errors["rule"] = [str(error)]
    else:
        _set_or_drop(raw, "rule", rule)
    examples: dict[str, Any] = {}
    for key in ("must_trigger", "must_not_trigger"):
        try:
            listed = examples_from_text(getattr(item, key))
        except ValueError as error:
            errors[key] = [str(error)]
        else:
            if listed:
                examples[key] = listed
    _set_or_drop(raw, "examples", examples)
    if errors:
        raise ValidationError(errors)
    return _ordered(raw)


_ITEM_ORDER = ("id", "title", "title_en", "description", "points", "severity", "fatal")


def _ordered(raw: dict[str, Any]) -> dict[str, Any]:
    """The keys in the order the standard scorecard writes them (new keys go last)."""
    first = {key: raw[key] for key in _ITEM_ORDER if key in raw}
    return first | {key: value for key, value in raw.items() if key not in first}


def _on_fields(problems: tuple[str, ...], item_id: str) -> ValidationError:
    """The engine's problems, each on the field of the item it names."""
    errors: dict[str, list[str]] = {}
    for problem in problems:
        match = _ITEM_PROBLEM.match(problem)
        field = "__all__"
        if match is not None and match["item"] == item_id:
            text = match["problem"]
            for key in ("must_not_trigger", "must_trigger", "rule", "points", "severity"):
                if text.startswith((key, f"'{key}'", f"examples.{key}")):
                    field = key
                    break
            else:
                if "example" in text:
                    field = "must_trigger"
        errors.setdefault(field, []).append(problem)
    return ValidationError(errors)


def _set_or_drop(raw: dict[str, Any], key: str, value: Any) -> None:
    if value:
        raw[key] = value
    else:
        raw.pop(key, None)


def _plain_number(value: float) -> float | int:
    """5.0 is written 5, as a person writes it in YAML."""
    return int(value) if float(value).is_integer() else float(value)


def _locked(version: ScorecardVersion) -> ScorecardVersion:
    return (
        ScorecardVersion.objects.select_for_update().select_related("scorecard").get(pk=version.pk)
    )


def _require(allowed: bool) -> None:
    if not allowed:
        raise ValidationError(_("你没有权限进行这项操作"))


def _described(version: ScorecardVersion) -> dict[str, Any]:
    return {
        "scorecard": version.scorecard.name,
        "number": version.number,
        "label": version.label,
        "status": version.status,
    }
