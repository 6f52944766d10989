"""Words for full-text search of transcripts: Chinese segmentation with a user dictionary.

Chinese has no spaces between words, so a database's own tokenizer cannot find 停电 in
"我家停电了". Text is cut into words here (jieba's dictionary through rjieba, plus the
contact-center words of `search_words.txt` and a center's own list), and the databases index
them as plain space-separated terms (SQLite FTS5, PostgreSQL tsvector with the 'simple'
configuration), so both find exactly the same contacts.

- A transcript is cut in the search mode: each word and the dictionary words inside it
  (电话费 → 电话, 话费, 电话费), so a query for the shorter word finds the longer one.
- A query is cut in the precise mode (one segmentation, no overlaps) and every word of it
  must be in the contact (AND): 宽带套餐 finds "宽带套餐" and "套餐…宽带"; characters that
  straddle two words of the text (带套 in 宽带套餐) are no word of it and find nothing.
- Guessing unknown words (jieba's HMM) is off: its guess depends on the surrounding text,
  and a word must be cut the same way in a query as in every transcript.
- Terms are letters and digits only, NFKC-normalised and lower-cased: punctuation and the
  characters of query languages (" * : - ( ) NEAR …) never reach a database as syntax.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

import rjieba

from lingting.engine import pii
from lingting.engine.contacts import Turn

# The contact-center words shipped with Lingting: one a line, jieba's format ("word [freq]
# [tag]"), "#" starts a comment.
DEFAULT_DICTIONARY = Path(__file__).with_name("search_words.txt")

MAX_TERM_CHARS = 64  # a longer run of letters is no word anyone types
MAX_QUERY_TERMS = 32
_TERM = re.compile(r"[^\W_]+")
_SCRIPT_PARTS = re.compile(r"[a-z0-9]+|[^a-z0-9]+")
_ASCII_LETTER_OR_DIGIT = re.compile(r"[a-z0-9]")
_PHONE_KINDS = frozenset({pii.PiiKind.MOBILE, pii.PiiKind.LANDLINE})


class Segmenter:
    """jieba's dictionary plus user dictionaries; safe to share between threads."""

    def __init__(
        self, dictionaries: Sequence[Path] = (DEFAULT_DICTIONARY,), words: Iterable[str] = ()
    ) -> None:
        """`words`: more words, beside the dictionaries' (a knowledge owner's own list)."""
        self._jieba = rjieba.Jieba()
        for path in dictionaries:
            for word, freq, tag in read_dictionary(path.read_text(encoding="utf-8")):
                self._jieba.add_word(_normalised(word), freq, tag)
        for word in words:
            self._jieba.add_word(_normalised(word), None, None)

    def index_terms(self, texts: Iterable[str]) -> list[str]:
        """The distinct terms of these texts (turns, tags), in order of first appearance.

        No word spans two texts: jieba cuts at the line breaks that join them."""
        words = self._jieba.cut_for_search(_normalised("\n".join(texts)), False)
        terms = _terms_of(words)
        # A word of letters and Han characters (5g套餐) is found by each part too.
        parts = [
            part
            for term in terms
            if not term.isascii() and _ASCII_LETTER_OR_DIGIT.search(term)
            for part in _SCRIPT_PARTS.findall(term)
        ]
        return list(dict.fromkeys(terms + parts))

    def query_terms(self, query: str) -> list[str]:
        """The terms a contact must all have to match `query` (empty: nothing to search)."""
        terms = _terms_of(self._jieba.cut(_normalised(query), False))
        return list(dict.fromkeys(terms))[:MAX_QUERY_TERMS]


def read_dictionary(text: str) -> list[tuple[str, int | None, str | None]]:
    """(word, frequency, tag) of each line of a jieba user dictionary."""
    entries: list[tuple[str, int | None, str | None]] = []
    for line in text.splitlines():
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        word, rest = fields[0], fields[1:]
        freq = int(rest[0]) if rest and rest[0].isdigit() else None
        tag = rest[-1] if rest and not rest[-1].isdigit() else None
        entries.append((word, freq, tag))
    return entries


@cache
def segmenter_for(dictionaries: tuple[Path, ...]) -> Segmenter:
    """One segmenter per set of dictionaries and process (building one takes ~50 ms)."""
    return Segmenter(dictionaries)


def phone_number_in(query: str) -> str | None:
    """The phone number a query is, normalised as `pii` stores numbers (digits, a mobile
    without +86), or None when the query is something else."""
    found = pii.find_in_text(query.strip())
    if len(found) != 1:
        return None
    kind, start, end, value = found[0]
    rest = query.strip()[:start] + query.strip()[end:]
    if kind not in _PHONE_KINDS or rest.strip(" +-()（）"):
        return None
    return value


def phone_numbers_in(findings: Iterable[pii.PiiFinding]) -> set[str]:
    """The phone numbers (mobiles, landlines) among personal numbers found, as stored."""
    return {f.value for f in findings if f.kind in _PHONE_KINDS}


def without_personal_numbers(
    turns: Sequence[Turn], findings: Iterable[pii.PiiFinding]
) -> list[str]:
    """The turns' texts with every digit of these personal numbers blanked: what search may
    index for anyone (a number is searched only through its own, guarded, lookup)."""
    findings = list(findings)
    if not findings:  # most contacts
        return [t.text for t in turns]
    chars = [list(t.text) for t in turns]
    position = {t.index: n for n, t in enumerate(turns)}
    for finding in findings:
        for span in finding.spans:
            text = chars[position[span.turn]]
            text[span.start_char : span.end_char] = " " * (span.end_char - span.start_char)
    return ["".join(c) for c in chars]


def _normalised(text: str) -> str:
    # Full-width letters and digits (５Ｇ) become ASCII, so they meet the half-width ones.
    return unicodedata.normalize("NFKC", text).lower()


def _terms_of(words: Iterable[str]) -> list[str]:
    """The terms of jieba's words: a word of letters and digits only (nearly every word) is
    one as it is; of any other (3.5, c++, punctuation) its runs of letters and digits."""
    terms: list[str] = []
    for word in words:
        if word.isalnum():
            terms.append(word)
        else:
            terms.extend(_TERM.findall(word))
    return [term for term in terms if len(term) <= MAX_TERM_CHARS]
