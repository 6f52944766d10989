"""Words for searching the knowledge vault: folding, segmentation, synonyms, pinyin initials.

An agent types 停电, 話費 (traditional), ＴＤ (full width) or just "td" and expects the
article 停电了怎么办. Every text, stored or typed, is folded the same way first: NFKC
(full-width letters and digits become ASCII), traditional characters become simplified
(OpenCC's t2s), lower case. It is then cut into words like transcripts are
(`lingting.engine.search`: jieba with the shipped words), plus the words knowledge owners
add (products, slang) and every word of a synonym group, so that each is one word.

The web app keeps an article's terms in three fields, so that a match in the title or the
customer's question ranks above one in the body, and initials are searched only as
initials:
- head: the title and the ways customers ask (question, alternates);
- body: the answer, a script's steps, tags, products;
- initials: the pinyin initials of the head's words and of each head text as a whole
  (停电了怎么办 → td, zmb, tdlzmb), which a query of ASCII letters finds by prefix
  ("td", "tdl").

A query is cut in the precise mode; each of its words must be in the article, in the word
itself or any of its synonyms (停电 finds 断电 and 没电; 花呗 finds 蚂蚁花呗 and back), except
the particles a question wraps around what it asks (了, 吗, 请问 …).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

import opencc
from pypinyin import Style, lazy_pinyin

from lingting.engine.search import DEFAULT_DICTIONARY, MAX_TERM_CHARS, Segmenter

# The synonym groups shipped with Lingting: one group a line, words separated by spaces.
STARTER_SYNONYMS = Path(__file__).with_name("knowledge_synonyms.txt")

MAX_OWN_WORDS = 2000  # a vault's own list is products and slang, not a second dictionary
MAX_GROUP_WORDS = 20
MAX_INITIALS_QUERY = 16
_WORD = re.compile(r"[^\W_]+")
_GROUP_SEPARATORS = re.compile(r"[\s,，、/|;；]+")
_INITIALS_QUERY = re.compile(rf"[a-z]{{2,{MAX_INITIALS_QUERY}}}")
_HAN = re.compile(r"[\u3400-\u9fff]")
# Words a question wraps around what it asks (没电了 → 没电; 请问话费怎么查呢 → 话费, 怎么查):
# not required of an article, unless a query has nothing else.
QUESTION_PARTICLES = frozenset(
    {"的", "了", "吗", "呢", "啊", "吧", "呀", "哦", "嘛", "么", "呃", "哈"}
    | {"请问", "一下", "您好", "你好", "我", "我的", "我们", "你们", "您"}
)


class WordsError(ValueError):
    """A word list a person wrote that cannot be used; `line` (1-based) says where."""

    def __init__(self, line: int, problem: str, text: str) -> None:
        super().__init__(f"line {line}: {problem}: {text}")
        self.line = line
        self.problem = problem  # one of WORDS_PROBLEMS
        self.text = text


# What can be wrong with a line of a word list (the web form says each in Chinese).
NOT_A_WORD = "not a word"  # punctuation or spaces inside a word
TOO_LONG = "too long"
LONELY_SYNONYM = "one word only"  # a synonym group needs two words
TOO_MANY = "too many"
WORDS_PROBLEMS = (NOT_A_WORD, TOO_LONG, LONELY_SYNONYM, TOO_MANY)


@cache
def _simplifier() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """`text` as search compares it: half-width, simplified, lower-case."""
    simplified: str = _simplifier().convert(unicodedata.normalize("NFKC", text))
    return simplified.lower()


def read_word_list(text: str) -> tuple[str, ...]:
    """The words of an owner's dictionary: one a line, "#" starts a comment; folded."""
    words: list[str] = []
    for number, line in _lines(text):
        if len(words) == MAX_OWN_WORDS:
            raise WordsError(number, TOO_MANY, line)
        words.append(_checked_word(number, line))
    return tuple(dict.fromkeys(words))


def read_synonyms(text: str) -> tuple[tuple[str, ...], ...]:
    """The synonym groups of a list: one group a line, its words separated by spaces (or
    commas, 、, /); folded. A line of one word is a mistake, not a group."""
    groups: list[tuple[str, ...]] = []
    for number, line in _lines(text):
        if len(groups) == MAX_OWN_WORDS:
            raise WordsError(number, TOO_MANY, line)
        words = tuple(
            dict.fromkeys(_checked_word(number, w) for w in _GROUP_SEPARATORS.split(line) if w)
        )
        if len(words) < 2:
            raise WordsError(number, LONELY_SYNONYM, line)
        if len(words) > MAX_GROUP_WORDS:
            raise WordsError(number, TOO_MANY, line)
        groups.append(words)
    return tuple(groups)


def starter_synonyms() -> tuple[tuple[str, ...], ...]:
    return read_synonyms(STARTER_SYNONYMS.read_text(encoding="utf-8"))


class ArticleTerms(NamedTuple):
    """An article's search terms, each field space-separated (see the module's docstring)."""

    head: str
    body: str
    initials: str


@dataclass(frozen=True, slots=True)
class KnowledgeQuery:
    """A query as the vault searches it: every group must match, by any of its words."""

    groups: tuple[tuple[str, ...], ...]
    initials: str = ""  # ASCII letters that may be pinyin initials ("td"), matched by prefix

    @property
    def is_empty(self) -> bool:
        return not self.groups and not self.initials

    @property
    def words(self) -> tuple[str, ...]:
        """Every word the query finds by, longest first (for marking them in the text)."""
        return tuple(sorted({w for group in self.groups for w in group}, key=len, reverse=True))


class KnowledgeSearcher:
    """Segmentation and synonyms of one vault (the shipped lists and its owners' own)."""

    def __init__(
        self, own_words: Sequence[str] = (), own_synonyms: Sequence[Sequence[str]] = ()
    ) -> None:
        groups = [*starter_synonyms(), *own_synonyms]
        synonym_words = [word for group in groups for word in group]
        self._segmenter = Segmenter((DEFAULT_DICTIONARY,), words=[*own_words, *synonym_words])
        self._synonyms: dict[str, set[str]] = {}
        for group in groups:
            for word in group:
                self._synonyms.setdefault(word, {word}).update(group)

    def article_terms(self, head: Iterable[str], body: Iterable[str]) -> ArticleTerms:
        head = [fold(text) for text in head if text]
        body_terms = self._segmenter.index_terms(fold(text) for text in body if text)
        return ArticleTerms(
            head=" ".join(self._segmenter.index_terms(head)),
            body=" ".join(body_terms),
            initials=" ".join(self._initials(head)),
        )

    def query(self, text: str) -> KnowledgeQuery:
        folded = fold(text).strip()
        terms = self._segmenter.query_terms(folded)
        asked = [term for term in terms if term not in QUESTION_PARTICLES] or terms
        groups = tuple((term, *sorted(self._synonyms.get(term, set()) - {term})) for term in asked)
        initials = folded if _INITIALS_QUERY.fullmatch(folded) else ""
        return KnowledgeQuery(groups, initials)

    def _initials(self, head: Sequence[str]) -> list[str]:
        """The pinyin initials of each Han word of the head, and of each head text whole
        (Han characters by their initials, letters and digits as they are)."""
        initials: list[str] = []
        for text in head:
            words = self._segmenter.query_terms(text)
            initials.extend(_initials_of(w) for w in words if len(w) > 1 and _HAN.search(w))
            initials.append(_initials_of("".join(words))[:MAX_TERM_CHARS])
        return [i for i in dict.fromkeys(initials) if len(i) > 1]


def marked(text: str, words: Sequence[str]) -> list[tuple[str, bool]]:
    """`text` in parts, each part marked True where it is one of `words` (folded words:
    話費 in the text is marked for 话费)."""
    folded, origin = _folded_with_origin(text)
    pattern = _pattern(words)
    parts: list[tuple[str, bool]] = []
    last = 0
    for found in pattern.finditer(folded) if pattern else ():
        start, end = origin[found.start()], origin[found.end() - 1] + 1
        if start < last:
            continue
        parts.extend([(text[last:start], False), (text[start:end], True)])
        last = end
    parts.append((text[last:], False))
    return [part for part in parts if part[0]]


def marked_snippet(
    texts: Sequence[str], words: Sequence[str], *, before: int = 20, after: int = 60
) -> list[tuple[str, bool]]:
    """Around the first of `words` found in `texts` (in their order), marked; without one,
    the start of the first text."""
    pattern = _pattern(words)
    for text in texts:
        folded, origin = _folded_with_origin(text)
        found = pattern.search(folded) if pattern else None
        if found:
            low = max(0, origin[found.start()] - before)
            high = min(len(text), origin[found.end() - 1] + 1 + after)
            return _ellipsis(low > 0, marked(text[low:high], words), high < len(text))
    first = next((text for text in texts if text), "")
    cut = first[: before + after]
    return _ellipsis(False, [(cut, False)] if cut else [], len(cut) < len(first))


def _ellipsis(head: bool, parts: list[tuple[str, bool]], tail: bool) -> list[tuple[str, bool]]:
    return [*([("…", False)] if head else []), *parts, *([("…", False)] if tail else [])]


def _pattern(words: Sequence[str]) -> re.Pattern[str] | None:
    longest_first = sorted({w for w in words if w}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, longest_first))) if longest_first else None


def _folded_with_origin(text: str) -> tuple[str, list[int]]:
    """`text` folded, and for each folded character the index of the character it came
    from (NFKC may make several of one: ㈱ → (株))."""
    pieces = [unicodedata.normalize("NFKC", char).lower() for char in text]
    origin = [index for index, piece in enumerate(pieces) for _ in piece]
    half_width = "".join(pieces)
    simplified: str = _simplifier().convert(half_width)
    if len(simplified) != len(half_width):  # a phrase became another length: rare
        simplified = "".join(_simplifier().convert(char) for char in half_width)
    return (simplified, origin) if len(simplified) == len(origin) else (half_width, origin)


def _initials_of(text: str) -> str:
    return "".join(
        part for part in lazy_pinyin(text, style=Style.FIRST_LETTER) if part.isalnum()
    ).lower()


def _lines(text: str) -> list[tuple[int, str]]:
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [(number, line) for number, line in enumerate(lines, start=1) if line]


def _checked_word(number: int, word: str) -> str:
    folded = fold(word)
    if not _WORD.fullmatch(folded):
        raise WordsError(number, NOT_A_WORD, word)
    if len(folded) > MAX_TERM_CHARS:
        raise WordsError(number, TOO_LONG, word)
    return folded
