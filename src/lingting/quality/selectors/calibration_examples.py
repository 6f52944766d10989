"""A calibration session's agreed answers as scorecard examples: the rule's test cases
that reviewers agreed on, ready for `lingting scorecard test`."""

from __future__ import annotations

from typing import Any

import yaml
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.engine import pii
from lingting.engine.contacts import Contact as EngineContact
from lingting.interactions.engine_contacts import engine_contacts_for
from lingting.quality.models import AgreedAnswer, CalibrationSession
from lingting.quality.selectors.scorecards import scorecard_of

# What an example keeps of a contact: what the rules read, nothing that names a person
# (no agent, customer, queue, recording or extra fields).
_EXAMPLE_TEXT_FIELDS = ("channel", "direction", "disposition", "hangup_by")
_EXAMPLE_TIME_FIELDS = ("queued_at", "started_at", "answered_at", "ended_at")
_EXAMPLE_NUMBER_FIELDS = ("rings", "wait_s", "talk_s", "hold_s", "acw_s")


def calibration_examples(*, session: CalibrationSession) -> dict[str, dict[str, list[Any]]]:
    """The session's agreed answers on automatic items as scorecard examples: item id →
    {"must_trigger": [...], "must_not_trigger": [...]}, each example a contact record
    (what the rules read, personal numbers masked). An agreed 扣分 must trigger the rule;
    通过 and 不适用 must not."""
    scorecard = scorecard_of(session.version)
    automatic = {item.id for item in scorecard.items if item.kind == "auto"}
    agreed = list(
        AgreedAnswer.objects.filter(session=session, item__in=automatic)
        .select_related("contact")
        .order_by("contact__started_at", "contact__external_id", "item")
    )
    records = {
        contact_id: contact
        for contact_id, contact in engine_contacts_for(contact_ids={a.contact_id for a in agreed})
    }
    examples: dict[str, dict[str, list[Any]]] = {}
    for answer in agreed:
        contact = records.get(answer.contact_id)
        if contact is None or not contact.turns:
            continue
        key = "must_trigger" if answer.result == "fail" else "must_not_trigger"
        source = _("校准 #%(session)d %(contact)s") % {
            "session": session.pk,
            "contact": answer.contact.external_id,
        }
        if answer.note:
            source += f"：{answer.note}"
        examples.setdefault(answer.item, {}).setdefault(key, []).append(
            _example_record(contact, source)
        )
    return examples


def _example_record(contact: EngineContact, source: str) -> dict[str, Any]:
    """A contact as a scorecard example: the rules' fields and the masked transcript.
    `source` is not a field of the format: the engine keeps it aside (`extra`)."""
    record: dict[str, Any] = {"source": source}
    for name in _EXAMPLE_TEXT_FIELDS:
        if getattr(contact, name) is not None:
            record[name] = getattr(contact, name)
    for name in _EXAMPLE_TIME_FIELDS:
        moment = getattr(contact, name)
        if moment is not None:
            record[name] = timezone.localtime(moment).isoformat()
    for name in _EXAMPLE_NUMBER_FIELDS:
        if getattr(contact, name) is not None:
            record[name] = getattr(contact, name)
    if contact.holds:
        record["holds"] = [{"start": h.start, "end": h.end} for h in contact.holds]
    record["turns"] = [
        _example_turn(turn.speaker, text, turn.start, turn.end)
        for turn, text in zip(contact.turns, pii.mask_turn_texts(contact.turns), strict=True)
    ]
    return record


def _example_turn(speaker: str, text: str, start: float | None, end: float | None) -> Any:
    if start is None or end is None:
        return {speaker: text}  # the short form: `- agent: 您好`
    return {"speaker": speaker, "start": start, "end": end, "text": text}


def calibration_examples_yaml(*, session: CalibrationSession) -> str:
    """The session's scorecard version with the agreed answers added to its automatic
    items' examples: a whole scorecard, ready for `lingting scorecard test FILE` (which
    shows every agreed answer the rule gets wrong) and, once the rule is fixed, loading."""
    scorecard = scorecard_of(session.version)
    examples = calibration_examples(session=session)
    document = scorecard.to_dict()
    for section in document.get("sections") or ():
        for item in section.get("items") or ():
            added = examples.get(str(item.get("id")))
            if not added:
                continue
            existing = item.setdefault("examples", {})
            for key in ("must_trigger", "must_not_trigger"):
                if added.get(key):
                    existing[key] = [*(existing.get(key) or []), *added[key]]
    count = sum(len(v) for by_key in examples.values() for v in by_key.values())
    header = [
        _("评分表 %(name)s（%(version)s）加上校准“%(title)s”（#%(id)d）的议定答案")
        % {
            "name": scorecard.name,
            "version": session.version.label,
            "title": " ".join(session.title.split()),
            "id": session.pk,
        },
        _("新增 %(count)d 个示例：议定“扣分”→ must_trigger，“通过”或“不适用”→ must_not_trigger")
        % {"count": count},
        _("检查规则是否与议定答案一致：lingting scorecard test 本文件；个人号码已脱敏"),
        _("由评分表内容重新生成，原文件中的注释没有保留"),
        _("生成于 %s") % timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    ]
    body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    return "".join(f"# {line}\n" for line in header) + body


def examples_filename(session: CalibrationSession) -> str:
    return f"{session.version.scorecard.name}-calibration-{session.pk}.yaml"
