"""The model judge's writes: an administrator's settings, and the judgements themselves.

Judging runs in the task worker (`quality.tasks.judge_contacts`), enqueued when contacts
are handed to reviewers: never while scoring, and never when the judge is off.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lingting.core.models import User
from lingting.core.services import audit_record
from lingting.engine.contacts import Turn as EngineTurn
from lingting.engine.judge import (
    Judge,
    JudgeConfig,
    JudgeItem,
    Judgement,
    Quote,
    RateLimiter,
)
from lingting.interactions.models import Contact, Turn
from lingting.quality.models import JudgeSettings, ModelJudgement, ScorecardVersion
from lingting.quality.selectors.judge import SETTINGS_PK, judge_settings
from lingting.quality.selectors.scorecards import current_scorecard_version, scorecard_of

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class JudgeSettingsSpec:
    """Everything an administrator sets but the API key (which is never read back)."""

    enabled: bool
    base_url: str
    model: str
    timeout_s: int = 60
    retries: int = 2
    requests_per_minute: int = 30
    price_input_per_million: float = 0.0
    price_output_per_million: float = 0.0
    send_unmasked: bool = False


def judge_settings_save(
    *, actor: User, spec: JudgeSettingsSpec, api_key: str | None = None, clear_key: bool = False
) -> JudgeSettings:
    """Save the settings. `api_key` None (or "") keeps the stored key; `clear_key` drops it.
    The audit trail says whether the key changed, never what it is."""
    if spec.enabled and not (spec.base_url.strip() and spec.model.strip()):
        raise ValidationError(_("启用模型预评须填写接口地址和模型名称"))
    with transaction.atomic():
        settings, _created = JudgeSettings.objects.select_for_update().get_or_create(pk=SETTINGS_PK)
        before = _described(settings)
        for name, value in asdict(spec).items():
            setattr(settings, name, value.strip() if isinstance(value, str) else value)
        key_change = ""
        if clear_key and settings.api_key:
            settings.api_key, key_change = "", "cleared"
        elif api_key:
            settings.api_key, key_change = api_key.strip(), "replaced"
        settings.updated_by = actor
        settings.save()
        audit_record(
            actor=actor,
            action="judge_settings.change",
            object_type="judge_settings",
            object_id=settings.pk,
            before=before,
            after=_described(settings) | ({"api_key": key_change} if key_change else {}),
        )
    return settings


def _described(settings: JudgeSettings) -> dict[str, object]:
    fields = asdict(JudgeSettingsSpec(enabled=False, base_url="", model=""))
    return {name: getattr(settings, name) for name in fields} | {
        "api_key_set": bool(settings.api_key)
    }


def judge_config(settings: JudgeSettings) -> JudgeConfig:
    return JudgeConfig(
        base_url=settings.base_url,
        model=settings.model,
        api_key=settings.api_key,
        timeout_s=float(settings.timeout_s),
        retries=settings.retries,
        requests_per_minute=settings.requests_per_minute,
        price_input_per_million=settings.price_input_per_million,
        price_output_per_million=settings.price_output_per_million,
        send_unmasked=settings.send_unmasked,
    )


class _StoredCache:
    """The judgements table as the engine's cache: an accepted answer to the same question
    (model, prompt, transcript as sent) is reused instead of asked and paid for again."""

    def get(self, key: str) -> Judgement | None:
        row = (
            ModelJudgement.objects.filter(cache_key=key)
            .exclude(result="")
            .order_by("-created_at", "-id")
            .first()
        )
        if row is None or row.result not in ("pass", "fail"):
            return None
        return Judgement(
            item=row.item,
            model=row.model,
            cache_key=key,
            result="pass" if row.result == "pass" else "fail",
            reason=row.reason,
            evidence=tuple(Quote(str(q["text"]), int(q["turn"])) for q in row.evidence),
        )

    def put(self, judgement: Judgement) -> None:
        """Nothing to do: every judgement is stored by `contacts_judge`."""


# One rate limit per worker process, whatever the number of tasks it runs.
_limiter_lock = threading.Lock()
_limiter: RateLimiter | None = None


def _process_limiter(per_minute: int) -> RateLimiter:
    global _limiter
    with _limiter_lock:
        wanted = 60.0 / per_minute if per_minute > 0 else 0.0
        if _limiter is None or _limiter.interval != wanted:
            _limiter = RateLimiter(per_minute)
        return _limiter


def contacts_judge(*, contact_ids: list[int], judge: Judge | None = None) -> int:
    """Ask the model about every manual item with a judge prompt of these contacts (those
    already answered for the contact's scorecard version are skipped); store each answer,
    or why there is none. Returns how many judgements were stored. Nothing when the judge
    is off."""
    if judge is None:
        settings = judge_settings()
        if not settings.usable:
            return 0
        config = judge_config(settings)
        judge = Judge(
            config, cache=_StoredCache(), limiter=_process_limiter(config.requests_per_minute)
        )
    stored = 0
    for contact in Contact.objects.filter(pk__in=contact_ids).select_related(
        "current_score__version"
    ):
        stored += _judge_contact(contact, judge)
    return stored


def _judge_contact(contact: Contact, judge: Judge) -> int:
    version = _version_of(contact)
    if version is None:
        return 0
    answered = set(
        ModelJudgement.objects.filter(contact=contact, version=version)
        .exclude(result="")
        .values_list("item", flat=True)
    )
    items = [
        JudgeItem(item.id, item.title, item.judge_prompt, item.description)
        for item in scorecard_of(version).items
        if item.kind == "manual" and item.judge_prompt and item.id not in answered
    ]
    turns = [
        EngineTurn(index, speaker, text)
        for index, speaker, text in Turn.objects.filter(contact=contact)
        .order_by("index")
        .values_list("index", "speaker", "text")
    ]
    if not items or not turns:
        return 0
    transcript = judge.transcript(turns)
    for item in items:
        judgement = judge.judge(item, transcript)
        if judgement.error:
            logger.warning(
                "model judge, contact %s item %s: %s", contact.pk, item.id, judgement.error
            )
        _store(contact, version, judgement)
    return len(items)


def _version_of(contact: Contact) -> ScorecardVersion | None:
    """The version a review of the contact uses: that of its automatic score, else the one
    in force (as `selectors.reviews.review_version`)."""
    if contact.current_score is not None:
        return contact.current_score.version
    return current_scorecard_version()


def _store(contact: Contact, version: ScorecardVersion, judgement: Judgement) -> ModelJudgement:
    return ModelJudgement.objects.create(
        contact=contact,
        version=version,
        item=judgement.item,
        result=judgement.result or "",
        reason=judgement.reason,
        evidence=[quote.to_dict() for quote in judgement.evidence],
        model=judgement.model,
        latency_ms=judgement.latency_ms,
        prompt_tokens=judgement.prompt_tokens,
        completion_tokens=judgement.completion_tokens,
        cost=judgement.cost,
        cache_key=judgement.cache_key,
        cached=judgement.cached,
        error=judgement.error[:2000],
    )
