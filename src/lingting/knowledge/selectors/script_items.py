"""Reading for a script's scorecard items: the version of a script article they come from,
the trigger it suggests, and the scorecards (and their sections) they can be added to."""

from __future__ import annotations

from dataclasses import dataclass

from lingting.engine.knowledge import ArticleKind
from lingting.knowledge.models import Article, ArticleVersion
from lingting.quality.models import Scorecard, ScorecardVersion
from lingting.quality.selectors.scorecard_editor import editor_sections


@dataclass(frozen=True, slots=True)
class ScorecardTarget:
    """A section of a scorecard that the items can go into, in a draft of `base`."""

    base: ScorecardVersion
    section_id: str
    label: str  # "评分表名称 · 大项名称"

    @property
    def key(self) -> str:
        return f"{self.base.pk}:{self.section_id}"


def script_version(code: str, *, which: str, with_drafts: bool) -> ArticleVersion | None:
    """The live version of script article `code` (`which` "open": the one being revised;
    the open one stands in for a script never published), the open one only `with_drafts`;
    None when there is none."""
    article = (
        Article.objects.select_related("live__article", "open__article")
        .filter(code=code, kind=ArticleKind.SCRIPT.value)
        .first()
    )
    if article is None:
        return None
    open_version = article.open if with_drafts else None
    return open_version if which == "open" else (article.live or open_version)


def suggested_trigger(version: ArticleVersion) -> tuple[str, ...]:
    """The customer's words that show the scenario: the script's question and alternates."""
    content = version.as_content()
    return tuple(w for w in (content.question, *content.alternates) if w)


def scorecard_targets() -> list[ScorecardTarget]:
    """Every section of every scorecard, in a draft of its version in force (its newest
    version when none is in force)."""
    targets = []
    for card in Scorecard.objects.order_by("name"):
        base = (
            card.versions.filter(is_active=True).first()
            or card.versions.order_by("-number").first()
        )
        if base is None:
            continue
        for section_id, section_title in editor_sections(base):
            targets.append(ScorecardTarget(base, section_id, f"{card.title} · {section_title}"))
    return targets
