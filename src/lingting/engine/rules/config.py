"""Building a rule from its YAML settings (`build_rule`); every error names the setting."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from lingting.engine.call_sound import RAISED_VOICE_DB
from lingting.engine.emotion import EMOTIONS
from lingting.engine.phrase_search import TURN_SEPARATOR
from lingting.engine.rules.combined import AllOf, AnchoredRule, OnlyIf
from lingting.engine.rules.matchers import Matcher, PhraseMatcher, RegexMatcher, quote_some
from lingting.engine.rules.meaning import (
    TONE_NAMES,
    EitherMatcher,
    EmotionMatcher,
    MeaningGate,
    OutcomeRule,
    ToneMatcher,
)
from lingting.engine.rules.scan import normalize_phrase, punctuation_variants
from lingting.engine.rules.sound import LevelGapRule, RaisedVoiceRule, VolumeRule
from lingting.engine.rules.timings import (
    AnswerSpeedRule,
    DeadAirRule,
    HangupRule,
    HoldRule,
    InterruptionRule,
    SpeechRateRule,
)
from lingting.engine.rules.verdicts import Rule
from lingting.engine.rules.words import (
    ConditionalRule,
    CountRule,
    Ending,
    SequenceRule,
    Step,
    TextRule,
    Window,
    describe_scope,
)
from lingting.engine.speech_rate import TARGET_CPM

SPEAKER_CHOICES = ("agent", "customer", "any")


class RuleConfigError(ValueError):
    """A rule's settings are wrong; the message names the setting (e.g. `rule.within`)."""


class _Settings:
    """One mapping of rule settings; every error names the exact setting."""

    def __init__(self, raw: object, where: str, allowed: Iterable[str]) -> None:
        if not isinstance(raw, dict):
            raise RuleConfigError(f"{where}: must be a mapping of settings, not {_kind_of(raw)}")
        unknown = sorted(str(k) for k in raw if k not in set(allowed))
        if unknown:
            raise RuleConfigError(
                f"{where}: unknown setting {', '.join(repr(k) for k in unknown)}"
                f" (allowed here: {', '.join(sorted(allowed))})"
            )
        self.raw: dict[str, Any] = raw
        self.where = where

    def has(self, key: str) -> bool:
        return key in self.raw

    def at(self, key: str) -> str:
        return f"{self.where}.{key}"

    def required(self, key: str) -> Any:
        if key not in self.raw:
            raise RuleConfigError(f"{self.where}: missing '{key}'")
        return self.raw[key]

    def phrases(self, key: str, *, required: bool = True) -> frozenset[str]:
        raw = self.required(key) if required else self.raw.get(key, [])
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
            raise RuleConfigError(f"{self.at(key)}: must be a list of phrases (text)")
        if any(not p.strip() for p in raw):
            raise RuleConfigError(f"{self.at(key)}: contains an empty phrase")
        if any(TURN_SEPARATOR in p for p in raw):
            raise RuleConfigError(f"{self.at(key)}: a phrase must be on one line")
        if required and not raw:
            raise RuleConfigError(f"{self.at(key)}: needs at least one phrase")
        return frozenset(normalize_phrase(p) for p in raw)

    def listed(self, key: str) -> list[str]:
        """A phrase list as written (already checked by `phrases`)."""
        raw = self.raw.get(key, [])
        return [raw] if isinstance(raw, str) else list(raw)

    def number(self, key: str, default: float | None = None, *, minimum: float = 0.0) -> float:
        value = self.raw.get(key, default) if default is not None else self.required(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
            raise RuleConfigError(f"{self.at(key)}: must be a number ≥ {minimum:g}, not {value!r}")
        return float(value)

    def optional_number(self, key: str) -> float | None:
        return self.number(key) if key in self.raw else None

    def whole(self, key: str, default: int | None = None, *, minimum: int = 0) -> int:
        value = self.raw.get(key, default) if default is not None else self.required(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise RuleConfigError(
                f"{self.at(key)}: must be a whole number ≥ {minimum}, not {value!r}"
            )
        return value

    def choice(self, key: str, options: Sequence[str], default: str | None = None) -> str:
        value = self.raw.get(key, default) if default is not None else self.required(key)
        if value not in options:
            raise RuleConfigError(
                f"{self.at(key)}: must be one of {', '.join(options)}, not {value!r}"
            )
        return str(value)

    def text(self, key: str) -> str:
        value = self.required(key)
        if not isinstance(value, str) or not value.strip():
            raise RuleConfigError(f"{self.at(key)}: must be text")
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.raw.get(key, default)
        if not isinstance(value, bool):
            raise RuleConfigError(f"{self.at(key)}: must be true or false, not {value!r}")
        return value

    def texts(self, key: str) -> frozenset[str]:
        raw = self.required(key)
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list) or not raw or not all(isinstance(v, str) for v in raw):
            raise RuleConfigError(f"{self.at(key)}: must be a list of names")
        return frozenset(raw)

    def speaker(self, default: str = "agent") -> str | None:
        value = self.choice("speaker", SPEAKER_CHOICES, default)
        return None if value == "any" else value


def _kind_of(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {value!r}"
    return "nothing" if value is None else type(value).__name__


_MATCH_KEYS = ("speaker", "phrases", "except_in")
_REGEX_KEYS = ("speaker", "pattern", "except_in", "except_pattern")
_MEANING_KEYS = ("emotion", "min_intensity", "tone")
_WORDS_KEYS = ("speaker", "phrases", "pattern", "except_in", "except_pattern", *_MEANING_KEYS)


def _phrase_matcher(settings: _Settings, default_speaker: str = "agent") -> PhraseMatcher:
    phrases = settings.phrases("phrases")
    contexts = settings.phrases("except_in", required=False)
    for context in sorted(contexts):
        if context in phrases or not any(p in context for p in phrases):
            raise RuleConfigError(
                f"{settings.at('except_in')}: {context!r} must be a longer phrase that contains"
                " one of the phrases, otherwise it can never excuse a hit"
            )
    excusers = {
        phrase: tuple(v for c in sorted(contexts) if phrase in c for v in punctuation_variants(c))
        for phrase in phrases
    }
    listed = list(dict.fromkeys(normalize_phrase(p) for p in settings.listed("phrases")))
    speaker = settings.speaker(default_speaker)
    excused = {p: c for p, c in excusers.items() if c}
    return PhraseMatcher(phrases, excused, speaker, quote_some(listed))


def _regex_matcher(settings: _Settings, default_speaker: str = "agent") -> RegexMatcher:
    pattern = _compile(settings, "pattern")
    exclude = _compile(settings, "except_pattern") if settings.has("except_pattern") else None
    contexts = settings.phrases("except_in", required=False)
    variants = tuple(v for context in sorted(contexts) for v in punctuation_variants(context))
    return RegexMatcher(pattern, variants, exclude, settings.speaker(default_speaker))


def _compile(settings: _Settings, key: str) -> re.Pattern[str]:
    source = settings.text(key)
    try:
        pattern = re.compile(source)
    except re.error as error:
        raise RuleConfigError(
            f"{settings.at(key)}: not a valid regular expression: {error}"
        ) from None
    if pattern.search("") is not None:
        raise RuleConfigError(f"{settings.at(key)}: matches empty text, so it matches everywhere")
    return pattern


def _matcher(settings: _Settings, default_speaker: str) -> Matcher:
    """A `{speaker, phrases | pattern, except_in}` block (trigger, response, anchor…), or
    one on meaning (`emotion:` in the customer's turns, `tone:` in the agent's), or words
    and meaning together: either counts."""
    meaning = _meaning_matcher(settings)
    if meaning is None:
        return _words_matcher(settings, default_speaker)
    if not (settings.has("phrases") or settings.has("pattern")):
        return meaning
    words = _words_matcher(settings, default_speaker)
    if words.speaker != meaning.speaker:
        raise RuleConfigError(f"{settings.where}: words and meaning must be the same speaker's")
    return EitherMatcher(words, meaning, words.speaker)


def _meaning_matcher(settings: _Settings) -> Matcher | None:
    if settings.has("emotion") and settings.has("tone"):
        raise RuleConfigError(f"{settings.where}: give emotion (customer) or tone (agent)")
    if settings.has("min_intensity") and not settings.has("emotion"):
        raise RuleConfigError(f"{settings.at('min_intensity')}: only with emotion")
    if settings.has("emotion"):
        if settings.speaker("customer") != "customer":
            raise RuleConfigError(f"{settings.at('speaker')}: emotion is read in customer turns")
        emotions = _names(settings, "emotion", EMOTIONS)
        intensity = settings.number("min_intensity", 0.0)
        if intensity > 1:
            raise RuleConfigError(f"{settings.at('min_intensity')}: intensity is 0–1")
        return EmotionMatcher(emotions, intensity)
    if settings.has("tone"):
        if settings.speaker("agent") != "agent":
            raise RuleConfigError(f"{settings.at('speaker')}: tone is read in agent turns")
        return ToneMatcher(_names(settings, "tone", tuple(TONE_NAMES)))
    return None


def _names(settings: _Settings, key: str, allowed: Sequence[str]) -> frozenset[str]:
    names = settings.texts(key)
    unknown = sorted(names - set(allowed))
    if not names or unknown:
        raise RuleConfigError(
            f"{settings.at(key)}: must be some of {', '.join(allowed)}"
            + (f", not {', '.join(unknown)}" if unknown else "")
        )
    return names


def _words_matcher(settings: _Settings, default_speaker: str) -> PhraseMatcher | RegexMatcher:
    if settings.has("pattern") == settings.has("phrases"):
        raise RuleConfigError(f"{settings.where}: give either phrases or pattern")
    if settings.has("pattern"):
        return _regex_matcher(settings, default_speaker)
    if settings.has("except_pattern"):
        raise RuleConfigError(f"{settings.at('except_pattern')}: only for a pattern")
    return _phrase_matcher(settings, default_speaker)


def _matcher_at(settings: _Settings, key: str, *extra: str) -> _Settings:
    """The settings of a nested words block such as `trigger:`, checked for unknown keys."""
    return _Settings(settings.required(key), settings.at(key), (*_WORDS_KEYS, *extra))


def _window(settings: _Settings) -> Window | None:
    if not settings.has("within"):
        return None
    keys = ("first_turns", "last_turns", "first_seconds", "last_seconds")
    within = _Settings(settings.raw["within"], settings.at("within"), keys)
    given = [k for k in keys if within.has(k)]
    if len(given) != 1:
        raise RuleConfigError(f"{within.where}: give exactly one of {', '.join(keys)}")
    key = given[0]
    if key == "first_turns":
        return Window(first_turns=within.whole(key, minimum=1))
    if key == "last_turns":
        return Window(last_turns=within.whole(key, minimum=1))
    if key == "first_seconds":
        return Window(first_seconds=within.number(key))
    return Window(last_seconds=within.number(key))


def _text_rule(settings: _Settings, matcher: PhraseMatcher | RegexMatcher) -> TextRule:
    mode = settings.choice("mode", ("forbidden", "required"))
    match = settings.choice("match", ("any", "all"), "any")
    if match == "all" and isinstance(matcher, RegexMatcher):
        raise RuleConfigError(f"{settings.at('match')}: 'all' needs a list of phrases, not a regex")
    window = _window(settings)
    unsaid = f"{describe_scope(matcher.speaker, window)}没有说{matcher.describe()}中的任何一句"
    return TextRule(matcher, mode == "required", match == "all", window, unsaid)


def _build_phrases(s: _Settings) -> Rule:
    return _text_rule(s, _phrase_matcher(s))


def _build_regex(s: _Settings) -> Rule:
    return _text_rule(s, _regex_matcher(s))


def _build_sequence(s: _Settings) -> Rule:
    raw_steps = s.required("steps")
    # With `until:` the ending is the last step, so one step before it makes a sequence.
    fewest, named = (1, "one step") if s.has("until") else (2, "two steps")
    if not isinstance(raw_steps, list) or len(raw_steps) < fewest:
        raise RuleConfigError(f"{s.at('steps')}: must be a list of at least {named}")
    default_speaker = s.choice("speaker", SPEAKER_CHOICES, "agent")
    steps = []
    for number, raw in enumerate(raw_steps, 1):
        step = _Settings(raw, f"{s.at('steps')}[{number}]", ("name", "required", *_MATCH_KEYS))
        matcher = _phrase_matcher(step, default_speaker)
        steps.append(Step(step.text("name"), matcher, step.flag("required", True)))
    return SequenceRule(tuple(steps), _ending(s) if s.has("until") else None)


def _ending(s: _Settings) -> Ending:
    """`until: {phrases, except_in, hangup_by: agent}` — the agent ending the contact."""
    until = _Settings(s.raw["until"], s.at("until"), (*_MATCH_KEYS, "hangup_by"))
    matcher = _phrase_matcher(until, "agent")
    hangup_by = until.choice("hangup_by", ("agent", "customer")) if until.has("hangup_by") else None
    return Ending(matcher, hangup_by)


def _build_count(s: _Settings) -> Rule:
    matcher = _matcher(s, "agent")
    max_hits = s.whole("max_hits") if s.has("max_hits") else None
    max_rate = s.optional_number("max_per_100_chars")
    if max_hits is None and max_rate is None:
        raise RuleConfigError(f"{s.where}: give max_hits, max_per_100_chars or both")
    return CountRule(matcher, max_hits, max_rate, s.whole("min_hits", 1))


def _build_conditional(s: _Settings) -> Rule:
    trigger = _matcher(_matcher_at(s, "trigger"), "customer")
    response = _matcher(_matcher_at(s, "response"), "agent")
    return ConditionalRule(trigger, response, s.whole("within_turns", 2, minimum=1))


def _build_anchored(s: _Settings) -> Rule:
    anchor_settings = _matcher_at(s, "anchor", "occurrence")
    anchor = _matcher(anchor_settings, "customer")
    occurrence = anchor_settings.choice("occurrence", ("first", "last"), "first")
    position = s.choice("position", ("after", "before"))
    inner = build_rule(s.required("rule"), s.at("rule"))
    if isinstance(inner, AnswerSpeedRule | HangupRule | HoldRule | VolumeRule | LevelGapRule):
        raise RuleConfigError(f"{s.at('rule')}: a call-record rule cannot be anchored to words")
    return AnchoredRule(anchor, occurrence == "last", position == "after", inner)


def _build_all(s: _Settings) -> Rule:
    raw = s.required("rules")
    if not isinstance(raw, list) or len(raw) < 2:
        raise RuleConfigError(f"{s.at('rules')}: must be a list of at least two rules")
    return AllOf(tuple(build_rule(r, f"{s.at('rules')}[{n}]") for n, r in enumerate(raw, 1)))


def _build_answer_speed(s: _Settings) -> Rule:
    return AnswerSpeedRule(s.whole("max_rings", minimum=1), s.number("seconds_per_ring", 5.0))


def _build_speech_rate(s: _Settings) -> Rule:
    # Without a band of its own, seed 004's "每分钟200个字左右" (speech_rate.TARGET_CPM).
    low, high = s.number("min_cpm", TARGET_CPM[0]), s.number("max_cpm", TARGET_CPM[1])
    if low >= high:
        raise RuleConfigError(f"{s.where}: min_cpm must be below max_cpm")
    return SpeechRateRule(
        s.speaker(), low, high, s.number("min_speaking_s", 10.0), s.whole("min_turn_chars", 8)
    )


def _build_dead_air(s: _Settings) -> Rule:
    max_gap = s.number("max_gap_s")
    if not s.has("notice"):
        return DeadAirRule(max_gap, s.whole("max_count", 0), None, max_gap)
    notice = _phrase_matcher(_Settings(s.raw["notice"], s.at("notice"), _MATCH_KEYS))
    after_notice = s.number("max_gap_after_notice_s", max_gap)
    return DeadAirRule(max_gap, s.whole("max_count", 0), notice, after_notice)


def _build_interruption(s: _Settings) -> Rule:
    return InterruptionRule(s.number("min_overlap_s", 1.0), s.whole("max_count", 0))


def _build_volume(s: _Settings) -> Rule:
    low, high = s.number("min_db"), s.number("max_db")
    if low >= high:
        raise RuleConfigError(f"{s.where}: min_db must be below max_db")
    reference_dbfs = s.number("reference_dbfs", minimum=-120.0)
    if reference_dbfs > 0:
        raise RuleConfigError(f"{s.at('reference_dbfs')}: a level in dBFS is at most 0")
    speaker = s.choice("speaker", ("agent", "customer"), "agent")
    return VolumeRule(speaker, low, high, reference_dbfs, s.number("reference_db"))


def _build_level_gap(s: _Settings) -> Rule:
    return LevelGapRule(s.number("max_db"))


def _build_raised_voice(s: _Settings) -> Rule:
    speaker = s.choice("speaker", ("agent", "customer"), "customer")
    return RaisedVoiceRule(speaker, s.number("min_jump_db", RAISED_VOICE_DB, minimum=1.0))


def _build_hold(s: _Settings) -> Rule:
    notice = None
    turns = 1
    if s.has("notice"):
        keys = ("last_turns", *_MATCH_KEYS)
        notice_settings = _Settings(s.raw["notice"], s.at("notice"), keys)
        notice = _phrase_matcher(notice_settings)
        turns = notice_settings.whole("last_turns", 1, minimum=1)
    max_total, max_single = s.optional_number("max_total_s"), s.optional_number("max_single_s")
    if max_total is None and max_single is None and notice is None:
        raise RuleConfigError(f"{s.where}: give max_total_s, max_single_s or notice")
    return HoldRule(max_total, max_single, notice, turns)


def _build_hangup(s: _Settings) -> Rule:
    return HangupRule(s.choice("fails_when_by", ("agent", "customer"), "agent"))


_GATE_KEYS = ("emotion_end", "emotion_peak", "resolved", "satisfaction_below")


def _meaning_gate(settings: _Settings) -> MeaningGate:
    """`emotion_end`, `emotion_peak`, `resolved` (true, false, null or a list of them),
    `satisfaction_below` — what a whole contact came to."""
    resolved: tuple[bool | None, ...] | None = None
    if settings.has("resolved"):
        raw = settings.raw["resolved"]
        values = raw if isinstance(raw, list) else [raw]
        if not values or not all(v is None or isinstance(v, bool) for v in values):
            raise RuleConfigError(f"{settings.at('resolved')}: true, false, null or a list of them")
        resolved = tuple(values)
    below = settings.optional_number("satisfaction_below")
    if below is not None and below > 1:
        raise RuleConfigError(f"{settings.at('satisfaction_below')}: satisfaction is 0–1")
    return MeaningGate(
        emotion_end=_names(settings, "emotion_end", EMOTIONS)
        if settings.has("emotion_end")
        else None,
        emotion_peak=_names(settings, "emotion_peak", EMOTIONS)
        if settings.has("emotion_peak")
        else None,
        resolved=resolved,
        satisfaction_below=below,
    )


def _build_outcome(s: _Settings) -> Rule:
    gate = _Settings(s.required("fail_when"), s.at("fail_when"), _GATE_KEYS)
    if not any(gate.has(k) for k in _GATE_KEYS):
        raise RuleConfigError(f"{gate.where}: give one of {', '.join(_GATE_KEYS)}")
    return OutcomeRule(_meaning_gate(gate))


_TEXT_KEYS = ("mode", "match", "within")
_KINDS: dict[str, tuple[tuple[str, ...], Callable[[_Settings], Rule]]] = {
    "phrases": ((*_MATCH_KEYS, *_TEXT_KEYS), _build_phrases),
    "regex": ((*_REGEX_KEYS, *_TEXT_KEYS), _build_regex),
    "sequence": (("steps", "speaker", "until"), _build_sequence),
    "count": ((*_WORDS_KEYS, "max_hits", "max_per_100_chars", "min_hits"), _build_count),
    "conditional": (("trigger", "response", "within_turns"), _build_conditional),
    "anchored": (("anchor", "position", "rule"), _build_anchored),
    "all": (("rules",), _build_all),
    "answer_speed": (("max_rings", "seconds_per_ring"), _build_answer_speed),
    "speech_rate": (
        ("speaker", "min_cpm", "max_cpm", "min_speaking_s", "min_turn_chars"),
        _build_speech_rate,
    ),
    "dead_air": (("max_gap_s", "max_count", "notice", "max_gap_after_notice_s"), _build_dead_air),
    "interruption": (("min_overlap_s", "max_count"), _build_interruption),
    "hold": (("max_total_s", "max_single_s", "notice"), _build_hold),
    "volume": (
        ("speaker", "min_db", "max_db", "reference_dbfs", "reference_db"),
        _build_volume,
    ),
    "level_gap": (("max_db",), _build_level_gap),
    "raised_voice": (("speaker", "min_jump_db"), _build_raised_voice),
    "hangup": (("fails_when_by",), _build_hangup),
    "outcome": (("fail_when",), _build_outcome),
}
RULE_KINDS = tuple(_KINDS)


def build_rule(raw: object, where: str = "rule") -> Rule:
    """Build a rule from its YAML settings, or raise `RuleConfigError` naming the setting."""
    if not isinstance(raw, dict):
        raise RuleConfigError(f"{where}: must be a mapping with a 'kind', not {_kind_of(raw)}")
    kind = raw.get("kind")
    if kind not in _KINDS:
        raise RuleConfigError(f"{where}.kind: must be one of {', '.join(RULE_KINDS)}, not {kind!r}")
    keys, build = _KINDS[kind]
    settings = _Settings(raw, where, ("kind", "only_if", *keys))
    rule = build(settings)
    if settings.has("only_if"):
        rule = _only_if(settings, rule)
    return rule


def _only_if(settings: _Settings, rule: Rule) -> Rule:
    keys = ("channel", "direction", "said", *_GATE_KEYS)
    gate = _Settings(settings.raw["only_if"], settings.at("only_if"), keys)
    if not any(gate.has(k) for k in keys):
        raise RuleConfigError(f"{gate.where}: give one of {', '.join(keys)}")
    channels = gate.texts("channel") if gate.has("channel") else None
    directions = gate.texts("direction") if gate.has("direction") else None
    said = _matcher(_matcher_at(gate, "said"), "customer") if gate.has("said") else None
    meaning = _meaning_gate(gate) if any(gate.has(k) for k in _GATE_KEYS) else None
    return OnlyIf(rule, channels, directions, said, meaning)
