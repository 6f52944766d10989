"""How FAQ wordings are compared: three views of Chinese text and a BM25 index of each.

A customer's question and a knowledge-base wording rarely share words exactly (怎么还花呗 /
花呗如何还款), so each text is seen three ways — jieba's words, single characters, and
character bigrams — and each view has its own BM25 index over the knowledge base's wordings.
Every score between a batch of queries and every wording is a sparse matrix product, so a
whole knowledge base is scored at once instead of wording by wording.

The figures per view (`view_features`): BM25 divided by the query's own BM25 (1 when a
wording holds the query as it is), the query's and the wording's IDF-weighted share of
terms found in the other, TF-IDF cosine and Jaccard overlap.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
import rjieba
from scipy import sparse

from lingting.engine.search import DEFAULT_DICTIONARY, read_dictionary

type Matrix = sparse.csr_matrix
type Floats = npt.NDArray[np.float64]

VIEWS = ("word", "char", "bigram")
VIEW_FIGURES = ("bm25", "cover_query", "cover_wording", "cosine", "jaccard")
K1 = 1.2
B = 0.75

_UNIT = re.compile(r"[a-z0-9]+|[^\W_]")  # a run of Latin letters and digits, or one character
_TERM = re.compile(r"[^\W_]+")


def normalised(text: str) -> str:
    """Full-width letters and digits as ASCII, lower case (５Ｇ套餐 meets 5g套餐)."""
    return unicodedata.normalize("NFKC", text).lower()


@cache
def analyser(extra_words: tuple[str, ...] = ()) -> Analyser:
    """The analyser with jieba's dictionary, Lingting's contact-center words and these."""
    return Analyser(extra_words)


@dataclass(frozen=True, slots=True)
class Analysed:
    """One text in the three views; `units` are its characters (a Latin run counts as one)."""

    word: tuple[str, ...]
    char: tuple[str, ...]
    bigram: tuple[str, ...]

    def view(self, name: str) -> tuple[str, ...]:
        return tuple(getattr(self, name))


class Analyser:
    """Texts cut into the three views. jieba guesses no unknown words (its HMM is off), so
    a word is cut the same way in a query as in the knowledge base."""

    def __init__(self, extra_words: Sequence[str] = ()) -> None:
        self._jieba = rjieba.Jieba()
        for word, freq, tag in read_dictionary(DEFAULT_DICTIONARY.read_text(encoding="utf-8")):
            self._jieba.add_word(normalised(word), freq, tag)
        for word in extra_words:
            self._jieba.add_word(normalised(word), None, None)

    def analyse(self, text: str) -> Analysed:
        clean = normalised(text)
        units = _UNIT.findall(clean)
        words: list[str] = []
        for word in self._jieba.cut(clean, False):
            words.extend(_TERM.findall(word))
        bigrams = [a + b for a, b in itertools.pairwise(units)]
        return Analysed(word=tuple(words), char=tuple(units), bigram=tuple(bigrams))


def bag(docs: Sequence[Sequence[str]], vocabulary: dict[str, int]) -> Matrix:
    """Term counts of `docs` over a fixed vocabulary (unknown terms are left out)."""
    rows: list[int] = []
    cols: list[int] = []
    for row, terms in enumerate(docs):
        for term in terms:
            col = vocabulary.get(term)
            if col is not None:
                rows.append(row)
                cols.append(col)
    data = np.ones(len(rows), dtype=np.float64)
    matrix = sparse.csr_matrix(
        (data, (rows, cols)), shape=(len(docs), len(vocabulary)), dtype=np.float64
    )
    matrix.sum_duplicates()
    return matrix


def _scale_rows(matrix: Matrix, factors: Floats) -> Matrix:
    return sparse.csr_matrix(sparse.diags(factors) @ matrix)


def _scale_columns(matrix: Matrix, factors: Floats) -> Matrix:
    return sparse.csr_matrix(matrix @ sparse.diags(factors))


class ViewIndex:
    """BM25 and overlap figures of one view over the knowledge base's wordings."""

    def __init__(self, docs: Sequence[Sequence[str]]) -> None:
        self.vocabulary: dict[str, int] = {}
        for terms in docs:
            for term in terms:
                self.vocabulary.setdefault(term, len(self.vocabulary))
        counts = bag(docs, self.vocabulary)
        size = max(1, len(docs))
        binary = _binary(counts)
        df = np.asarray(binary.sum(axis=0)).ravel()
        self.idf: Floats = np.log(1.0 + (size - df + 0.5) / (df + 0.5))
        # A term no wording has: as rare as can be, so a query about something else scores low.
        self.unseen_idf = math.log(1.0 + (size + 0.5) / 0.5)
        lengths = np.asarray(counts.sum(axis=1)).ravel()
        self.average_length = float(lengths.mean()) if len(docs) else 1.0
        self.average_length = max(self.average_length, 1.0)
        bm25 = counts.tocoo()
        norm = K1 * (1 - B + B * lengths[bm25.row] / self.average_length)
        weights = bm25.data * (K1 + 1) / (bm25.data + norm) * self.idf[bm25.col]
        # Transposed and by column: a batch of queries is scored against a few wordings.
        self.bm25_t = sparse.csc_matrix(
            (weights, (bm25.col, bm25.row)), shape=(len(self.vocabulary), len(docs))
        )
        self.binary_t = sparse.csc_matrix(binary.T)
        weighted = _scale_columns(binary, self.idf)
        self.wording_weight: Floats = np.asarray(weighted.sum(axis=1)).ravel()
        self.terms = np.asarray(binary.sum(axis=1)).ravel()
        self.tfidf_t = sparse.csc_matrix(_unit_rows(_scale_columns(_sublinear(counts), self.idf)).T)

    def bm25(self, queries: Sequence[Sequence[str]]) -> Floats:
        """BM25 of each query (rows) and wording (columns) over the query's own BM25."""
        binary = _binary(bag(queries, self.vocabulary))
        bm25 = np.asarray((binary @ self.bm25_t).todense())
        return bm25 / np.maximum(self._own_scores(queries), 1e-9)[:, None]

    def features(
        self, queries: Sequence[Sequence[str]], columns: npt.NDArray[np.intp]
    ) -> dict[str, Floats]:
        """Every figure of VIEW_FIGURES for each query (rows) and these wordings (columns)."""
        counts = bag(queries, self.vocabulary)
        binary = _binary(counts)
        distinct = [set(terms) for terms in queries]
        unseen = np.array([sum(t not in self.vocabulary for t in ts) for ts in distinct], float)
        idf_binary = _scale_columns(binary, self.idf)
        query_weight = np.asarray(idf_binary.sum(axis=1)).ravel() + unseen * self.unseen_idf
        binary_t = sparse.csr_matrix(self.binary_t[:, columns])
        bm25 = np.asarray((binary @ self.bm25_t[:, columns]).todense())
        shared_weight = np.asarray((idf_binary @ binary_t).todense())
        shared = np.asarray((binary @ binary_t).todense())
        tfidf = _unit_rows(_scale_columns(_sublinear(counts), self.idf))
        cosine = np.asarray((tfidf @ self.tfidf_t[:, columns]).todense())
        query_terms = np.array([len(ts) for ts in distinct], dtype=np.float64)
        union = query_terms[:, None] + self.terms[None, columns] - shared
        wording_weight = self.wording_weight[columns]
        return {
            "bm25": bm25 / np.maximum(self._own_scores(queries), 1e-9)[:, None],
            "cover_query": shared_weight / np.maximum(query_weight, 1e-9)[:, None],
            "cover_wording": shared_weight / np.maximum(wording_weight, 1e-9)[None, :],
            "cosine": cosine,
            "jaccard": shared / np.maximum(union, 1.0),
        }

    def _own_scores(self, queries: Sequence[Sequence[str]]) -> Floats:
        """The BM25 each query would have against a wording that is the query itself."""
        scores = np.zeros(len(queries), dtype=np.float64)
        for row, terms in enumerate(queries):
            norm = K1 * (1 - B + B * max(1, len(terms)) / self.average_length)
            total = 0.0
            for term, tf in Counter(terms).items():
                col = self.vocabulary.get(term)
                idf = self.unseen_idf if col is None else float(self.idf[col])
                total += idf * tf * (K1 + 1) / (tf + norm)
            scores[row] = total
        return scores


def _binary(counts: Matrix) -> Matrix:
    out = counts.copy()
    out.data[:] = 1.0
    return sparse.csr_matrix(out)


def _sublinear(counts: Matrix) -> Matrix:
    out = counts.copy()
    out.data = 1.0 + np.log(out.data)
    return sparse.csr_matrix(out)


def _unit_rows(matrix: Matrix) -> Matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return _scale_rows(matrix, 1.0 / np.maximum(norms, 1e-12))
