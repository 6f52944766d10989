"""Which articles answer what a customer said: the FAQ matcher (`lingting.engine.faq`, the
one behind `lingting faq-match`) over every article shown today, each asked the way its
question, alternates and title ask it.

Beside a contact, each customer turn is matched and an article keeps its best turn: the
agent's workspace shows what to answer from, and the reviewer sees which article the agent
should have used. The matcher is built once per state of the vault (what is shown today,
and when anything last changed) and shared by every request of the process.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max

from lingting.engine.faq import FaqEntry, FaqMatcher, FaqModel
from lingting.knowledge.models import Article
from lingting.knowledge.selectors.articles import shown_condition

# An untrained match scores 1 for a wording that holds the question word for word; below
# this, what the customer said and the article share too little to put it before an agent.
SUGGESTION_FLOOR = 0.35
SUGGESTIONS = 3
MIN_TURN_CHARS = 4  # 好的 / 嗯嗯 / 谢谢 ask nothing
_TOP_PER_TURN = 5


@dataclass(frozen=True, slots=True)
class Suggestion:
    article: Article
    score: float
    turn: int  # the customer turn it answers
    said: str


@dataclass(frozen=True, slots=True)
class VaultMatcher:
    matcher: FaqMatcher
    articles: dict[str, Article]


_lock = threading.Lock()
_built: dict[tuple[object, ...], VaultMatcher | None] = {}


def vault_matcher(day: date) -> VaultMatcher | None:
    """The matcher over the articles shown on `day` (None: the vault shows nothing)."""
    shown = Article.objects.filter(shown_condition(day))
    state = shown.aggregate(count=Count("pk"), changed=Max("updated_at"))
    key = (day, state["count"], state["changed"], settings.LINGTING_FAQ_MODEL)
    with _lock:
        if key not in _built:
            _built.clear()
            _built[key] = _build(list(shown.select_related("live")))
        return _built[key]


def suggestions_for_turns(
    day: date, turns: Sequence[tuple[int, str]], *, limit: int = SUGGESTIONS
) -> list[Suggestion]:
    """The articles that best answer these (turn index, customer text) turns, best first."""
    vault = vault_matcher(day)
    asked = [(index, text) for index, text in turns if len(text.strip()) >= MIN_TURN_CHARS]
    if vault is None or not asked:
        return []
    best: dict[str, Suggestion] = {}
    matches = vault.matcher.match_many([text for _, text in asked], top=_TOP_PER_TURN)
    for (index, text), found in zip(asked, matches, strict=True):
        for match in found:
            code = str(match.kb_id)
            if match.score >= SUGGESTION_FLOOR and match.score > _score(best.get(code)):
                best[code] = Suggestion(vault.articles[code], match.score, index, text)
    return sorted(best.values(), key=lambda s: (-s.score, s.article.code))[:limit]


def _score(suggestion: Suggestion | None) -> float:
    return suggestion.score if suggestion else 0.0


def _build(articles: list[Article]) -> VaultMatcher | None:
    if not articles:
        return None
    entries = []
    for article in articles:
        assert article.live is not None  # shown articles are live
        content = article.live.as_content()
        wordings = dict.fromkeys((*content.wordings, content.title))
        first, *others = wordings
        entries.append(FaqEntry(article.code, first, alternates=tuple(others)))
    return VaultMatcher(FaqMatcher(entries, _trained_model()), {a.code: a for a in articles})


def _trained_model() -> FaqModel | None:
    """The center's own model (`lingting faq-train` on the pairs its agents confirmed,
    `lingting knowledge_pairs`), where LINGTING_FAQ_MODEL names its folder."""
    folder = settings.LINGTING_FAQ_MODEL
    return FaqModel.load(Path(folder)) if folder else None
