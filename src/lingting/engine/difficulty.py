"""What makes a contact difficult for the agent who took it: the strain signal's input.

Issue 14: "after N difficult contacts in a row (auto-QA found insults or threats in the
customer's turns, or a complaint), tell the team leader and suggest a break" (PRODUCT.md §9,
"a run of abusive calls → a break"; seed 000 §1(2) 若心理、情绪较为低落，则进行缓解与开导).
A contact is difficult for any of three reasons, each a list a center edits:

- **insult**: the customer said an insult word. The words are auto QA's own: the standard
  scorecard's `insults` item (FORMATS.md's stable id) lists what counts as an insult in an
  agent's words (神经病, 滚蛋…) and is matched here in the *customer's* turns, with the same
  phrase matching (full- and half-width punctuation alike, `except_in` phrases that excuse a
  hit: 你滚动 is no 你滚). That item itself checks only the agent's words, so its failures say
  nothing of the customer.
- **threat**: the customer threatened to go to the media or over the center's head — the
  escalation ladder's threat words (`lingting.engine.escalation.threat_words_found`, where a
  number like 315 inside a phone number is no threat).
- **complaint**: the contact carries a complaint tag (投诉).

The signals go to `lingting.engine.care.strain_alerts` as `ContactSignal.difficulty`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from lingting.engine.contacts import Contact
from lingting.engine.escalation import threat_words_found
from lingting.engine.rules.config import build_rule
from lingting.engine.rules.scan import PhraseIndex
from lingting.engine.rules.verdicts import Rule
from lingting.engine.scorecard_yaml import builtin_scorecard

CUSTOMER = "customer"
INSULTS_ITEM = "insults"  # the standard scorecard's item (FORMATS.md stable ids)


class Difficulty(StrEnum):
    INSULT = "insult"
    THREAT = "threat"
    COMPLAINT = "complaint"


@dataclass(frozen=True, slots=True)
class DifficultyRules:
    """What counts as difficult; an empty list checks nothing of its kind. `insult_excused`
    are longer phrases around an insult word that make it no insult (the scorecard's
    `except_in`): each must contain one of the words."""

    insult_words: tuple[str, ...] = ()
    insult_excused: tuple[str, ...] = ()
    threat_words: tuple[str, ...] = ()
    complaint_tags: tuple[str, ...] = ()


def standard_insults() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words and excusing phrases of the built-in standard scorecard's `insults` item:
    the starting list of what a customer says that counts as an insult."""
    settings = builtin_scorecard("standard").item(INSULTS_ITEM).rule or {}
    return tuple(settings.get("phrases", ())), tuple(settings.get("except_in", ()))


class DifficultyCheck:
    """`DifficultyRules` compiled once, to judge many contacts; raises `RuleConfigError`
    (a ValueError) for an excusing phrase that contains none of the insult words."""

    def __init__(self, rules: DifficultyRules) -> None:
        self.rules = rules
        self._insults: Rule | None = None
        self._index: PhraseIndex | None = None
        if rules.insult_words:
            self._insults = build_rule(
                {
                    "kind": "phrases",
                    "mode": "forbidden",
                    "speaker": CUSTOMER,
                    "phrases": list(rules.insult_words),
                    "except_in": list(rules.insult_excused),
                },
                where="insult words",
            )
            self._index = PhraseIndex(self._insults.literals())

    def difficulty(self, contact: Contact) -> tuple[Difficulty, ...]:
        """Why `contact` was difficult for its agent, in Difficulty's order; () when it was not."""
        reasons = []
        if self._insulted(contact):
            reasons.append(Difficulty.INSULT)
        if self._threatened(contact):
            reasons.append(Difficulty.THREAT)
        if any(tag in self.rules.complaint_tags for tag in contact.tags):
            reasons.append(Difficulty.COMPLAINT)
        return tuple(reasons)

    def _insulted(self, contact: Contact) -> bool:
        if self._insults is None or self._index is None or not contact.turns:
            return False
        scan = self._index.scan(contact)
        return self._insults.evaluate(scan, 0, scan.last).outcome == "fail"

    def _threatened(self, contact: Contact) -> bool:
        if not self.rules.threat_words:
            return False
        return bool(threat_words_found(_customer_texts(contact), self.rules.threat_words))


def _customer_texts(contact: Contact) -> Sequence[str]:
    return [turn.text for turn in contact.turns if turn.speaker == CUSTOMER]
