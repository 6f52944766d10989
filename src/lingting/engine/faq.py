"""The FAQ matcher: which knowledge-base entries answer what a customer asked.

One matcher serves `lingting faq-match`, the knowledge-vault search and the FAQ bot.

- Untrained, an entry's score is the fused BM25 of three views of the text (jieba words,
  characters, character bigrams; `faq_index`), each divided by what the query would score
  against itself: 1 is a wording that holds the query word for word, 0 nothing in common.
- Trained (`train_model` on a center's confirmed pairs, `lingting faq-train`), the best
  candidates of that first stage are ranked again by a logistic model over pair figures:
  every view's BM25, coverage, cosine and Jaccard, lengths, a latent-semantic cosine learnt
  from the pairs (paraphrases share a space) and a word-to-word association mined from
  them (还钱 ~ 还款). Its score is the probability that the entry is what was asked.

An entry's alternates are more wordings of it: an entry scores as its best wording.
A model is plain files — `model.json` and `arrays.npz` — never a pickle.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import optimize, sparse

from lingting.engine.faq_index import (
    VIEW_FIGURES,
    VIEWS,
    Analysed,
    Analyser,
    Floats,
    Matrix,
    ViewIndex,
    analyser,
    bag,
)

MODEL_FORMAT = "lingting-faq-model"
MODEL_VERSION = 1
MODEL_FILE = "model.json"
ARRAYS_FILE = "arrays.npz"
DEFAULT_TOP = 10
# How the untrained score weighs the views: words carry meaning, bigrams survive a wrong
# cut, single characters catch what both miss.
FUSION = {"word": 0.35, "char": 0.25, "bigram": 0.40}
CANDIDATES = 50  # wordings a trained model ranks again
_CHUNK = 128  # queries scored at once
SEMANTIC_DIMENSIONS = 128
SEMANTIC_EPOCHS = 5
SEMANTIC_MODELS = 4  # trained from different random starts, their cosines averaged
SEMANTIC_SHARE = 1.0  # of the semantic cosine beside the fused score, choosing candidates
FEATURES = (
    *(f"{view}_{figure}" for view in VIEWS for figure in VIEW_FIGURES),
    "fused",
    "first_rank",
    "length_gap",
    "same_text",
    "semantic",
    "associated",
)


class FaqError(ValueError):
    """A knowledge base, pairs or model that cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class FaqEntry:
    id: str | int
    question: str
    answer: str | None = None
    alternates: tuple[str, ...] = ()

    @property
    def wordings(self) -> tuple[str, ...]:
        return (self.question, *self.alternates)


@dataclass(frozen=True, slots=True)
class FaqMatch:
    kb_id: str | int
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"kb_id": self.kb_id, "score": round(self.score, 6)}


@dataclass(slots=True)
class FaqModel:
    """What `train_model` learnt; everything `FaqMatcher` needs beside the entries."""

    words: tuple[str, ...]  # added to jieba's dictionary
    weights: Floats
    bias: float
    mean: Floats
    scale: Floats
    semantic_terms: dict[str, int]
    semantic_idf: Floats
    semantic_projection: Floats
    associated_terms: dict[str, int]
    associations: Matrix
    stats: dict[str, Any] = field(default_factory=dict)

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        described = {
            "format": MODEL_FORMAT,
            "version": MODEL_VERSION,
            "features": list(FEATURES),
            "weights": self.weights.tolist(),
            "bias": self.bias,
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "words": list(self.words),
            "semantic_terms": _ordered(self.semantic_terms),
            "associated_terms": _ordered(self.associated_terms),
            "stats": self.stats,
        }
        (directory / MODEL_FILE).write_text(
            json.dumps(described, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        associations = sparse.csr_matrix(self.associations)
        np.savez_compressed(
            directory / ARRAYS_FILE,
            semantic_idf=self.semantic_idf,
            semantic_projection=self.semantic_projection.astype(np.float16),
            association_data=associations.data,
            association_indices=associations.indices,
            association_indptr=associations.indptr,
        )

    @classmethod
    def load(cls, directory: Path) -> FaqModel:
        try:
            described = json.loads((directory / MODEL_FILE).read_text(encoding="utf-8"))
            arrays = np.load(directory / ARRAYS_FILE, allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise FaqError(f"{directory} is no FAQ model (made by faq-train): {exc}") from None
        if described.get("format") != MODEL_FORMAT or described.get("version") != MODEL_VERSION:
            raise FaqError(f"{directory} holds no FAQ model of version {MODEL_VERSION}")
        if described.get("features") != list(FEATURES):
            raise FaqError(f"{directory} was trained for other figures; train it again")
        associated = {term: n for n, term in enumerate(described["associated_terms"])}
        size = len(associated)
        return cls(
            words=tuple(described["words"]),
            weights=np.asarray(described["weights"], dtype=np.float64),
            bias=float(described["bias"]),
            mean=np.asarray(described["mean"], dtype=np.float64),
            scale=np.asarray(described["scale"], dtype=np.float64),
            semantic_terms={term: n for n, term in enumerate(described["semantic_terms"])},
            semantic_idf=np.asarray(arrays["semantic_idf"], dtype=np.float64),
            semantic_projection=np.asarray(arrays["semantic_projection"], dtype=np.float64),
            associated_terms=associated,
            associations=sparse.csr_matrix(
                (
                    arrays["association_data"],
                    arrays["association_indices"],
                    arrays["association_indptr"],
                ),
                shape=(size, size),
            ),
            stats=dict(described.get("stats", {})),
        )


def _ordered(vocabulary: dict[str, int]) -> list[str]:
    return sorted(vocabulary, key=vocabulary.__getitem__)


class FaqMatcher:
    """Entries indexed for matching; `model` (from `train_model`) ranks again, else fused BM25."""

    def __init__(self, entries: Sequence[FaqEntry], model: FaqModel | None = None) -> None:
        if not entries:
            raise FaqError("the knowledge base has no entries")
        self.entries = list(entries)
        self.model = model
        self._analyser = analyser(model.words if model is not None else ())
        wordings: list[str] = []
        owners: list[int] = []
        for number, entry in enumerate(self.entries):
            for wording in entry.wordings:
                wordings.append(wording)
                owners.append(number)
        self._owners = np.asarray(owners, dtype=np.intp)
        self._starts = np.flatnonzero(np.r_[True, self._owners[1:] != self._owners[:-1]])
        analysed = [self._analyser.analyse(text) for text in wordings]
        self._side = _Side.of(analysed, model)
        self._views = {view: ViewIndex([a.view(view) for a in analysed]) for view in VIEWS}

    def match(self, text: str, top: int = DEFAULT_TOP) -> list[FaqMatch]:
        return self.match_many([text], top)[0]

    def match_many(self, texts: Sequence[str], top: int = DEFAULT_TOP) -> list[list[FaqMatch]]:
        """The `top` best entries for each text, best first."""
        results: list[list[FaqMatch]] = []
        for begin in range(0, len(texts), _CHUNK):
            queries = [self._analyser.analyse(t) for t in texts[begin : begin + _CHUNK]]
            results.extend(self._match_chunk(queries, top))
        return results

    def _match_chunk(self, queries: list[Analysed], top: int) -> list[list[FaqMatch]]:
        fused = self.fused(queries)
        if self.model is None:
            by_entry = np.maximum.reduceat(fused, self._starts, axis=1)
            return [self._best(row, top) for row in by_entry]
        candidates, figures = self.candidate_figures(queries, fused, max(CANDIDATES, top))
        scores = score_figures(self.model, figures)
        results = []
        for row in range(len(queries)):
            best: dict[int, float] = {}
            for column, score in zip(candidates[row], scores[row], strict=True):
                owner = int(self._owners[column])
                best[owner] = max(best.get(owner, 0.0), float(score))
            ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))[:top]
            results.append([FaqMatch(self.entries[n].id, s) for n, s in ranked])
        return results

    def _best(self, row: Floats, top: int) -> list[FaqMatch]:
        count = min(top, len(row))
        order = np.lexsort((np.arange(len(row)), -row))[:count]
        return [FaqMatch(self.entries[n].id, float(row[n])) for n in order]

    def fused(self, queries: Sequence[Analysed]) -> Floats:
        """The untrained score of each query (rows) and wording (columns), 0–1."""
        total = np.zeros((len(queries), len(self._owners)), dtype=np.float64)
        for view, weight in FUSION.items():
            total += weight * np.minimum(self._views[view].bm25([q.view(view) for q in queries]), 1)
        return total

    def candidate_figures(
        self, queries: Sequence[Analysed], fused: Floats, count: int
    ) -> tuple[npt.NDArray[np.intp], Floats]:
        """The `count` best wordings of each query and their FEATURES figures (queries ×
        candidates × figures). Chosen by `fused`, and with a model by the semantic cosine
        too: a rewording that shares few characters with its entry is still among them."""
        count = min(count, fused.shape[1])
        chosen_by = fused
        if self.model is not None:
            assert self._side.embedded is not None
            semantic = _embed(queries, self.model) @ self._side.embedded.T
            chosen_by = fused + SEMANTIC_SHARE * semantic
        candidates = np.argpartition(-chosen_by, count - 1, axis=1)[:, :count]
        ranked = np.take_along_axis(chosen_by, candidates, axis=1)
        order = np.argsort(-ranked, axis=1, kind="stable")
        candidates = np.take_along_axis(candidates, order, axis=1)
        columns, inverse = np.unique(candidates, return_inverse=True)
        inverse = inverse.reshape(candidates.shape)
        rows = np.arange(len(queries))[:, None]
        figures = np.zeros((len(queries), count, len(FEATURES)), dtype=np.float64)
        n = 0
        for view in VIEWS:
            found = self._views[view].features([q.view(view) for q in queries], columns)
            for figure in VIEW_FIGURES:
                figures[:, :, n] = found[figure][rows, inverse]
                n += 1
        figures[:, :, n] = np.take_along_axis(fused, candidates, axis=1)
        figures[:, :, n + 1] = 1.0 / (1.0 + np.arange(count))[None, :]
        query_length = np.array([max(1, len(q.char)) for q in queries], dtype=np.float64)
        wording_length = self._side.lengths[candidates]
        figures[:, :, n + 2] = np.abs(np.log(query_length[:, None] / wording_length))
        query_texts = ["".join(q.char) for q in queries]
        figures[:, :, n + 3] = [
            [self._side.texts[c] == text for c in row]
            for row, text in zip(candidates, query_texts, strict=True)
        ]
        if self.model is not None:
            figures[:, :, n + 4] = np.take_along_axis(semantic, candidates, axis=1)
            figures[:, :, n + 5] = self._side.associated(queries, self.model, columns)[
                rows, inverse
            ]
        return candidates, figures


@dataclass(slots=True)
class _Side:
    """What the trained figures need of the wordings: lengths, texts, embeddings, words."""

    lengths: Floats
    texts: list[str]
    embedded: Floats | None
    words: Matrix | None

    @classmethod
    def of(cls, analysed: Sequence[Analysed], model: FaqModel | None) -> _Side:
        lengths = np.array([max(1, len(a.char)) for a in analysed], dtype=np.float64)
        texts = ["".join(a.char) for a in analysed]
        if model is None:
            return cls(lengths, texts, None, None)
        embedded = _embed(analysed, model)
        words = _binary_words(analysed, model.associated_terms)
        return cls(lengths, texts, embedded, words)

    def associated(
        self, queries: Sequence[Analysed], model: FaqModel, columns: npt.NDArray[np.intp]
    ) -> Floats:
        """How strongly each query's words are associated with each wording's (columns)."""
        assert self.words is not None
        query_words = _binary_words(queries, model.associated_terms)
        reached = query_words @ model.associations @ self.words[columns].T
        sizes = np.array([max(1, len(set(q.word))) for q in queries], dtype=np.float64)
        return np.asarray(sparse.csr_matrix(reached).todense()) / sizes[:, None]


def _semantic_terms(text: Analysed) -> list[str]:
    return (
        [f"w:{w}" for w in text.word]
        + [f"b:{b}" for b in text.bigram]
        + [f"c:{c}" for c in text.char]
    )


def _embed(texts: Sequence[Analysed], model: FaqModel) -> Floats:
    rows = _tfidf_rows(texts, model.semantic_terms, model.semantic_idf)
    vectors = np.asarray(rows @ model.semantic_projection)
    # Several spaces side by side, each at length 1: the cosine is the mean of theirs.
    blocks = vectors.reshape(len(texts), -1, SEMANTIC_DIMENSIONS)
    norms = np.linalg.norm(blocks, axis=2, keepdims=True)
    unit = blocks / np.maximum(norms, 1e-12) / math.sqrt(blocks.shape[1])
    return unit.reshape(len(texts), -1)


def _binary_words(texts: Sequence[Analysed], vocabulary: dict[str, int]) -> Matrix:
    matrix = bag([sorted(set(t.word)) for t in texts], vocabulary)
    matrix.data[:] = 1.0
    return matrix


def score_figures(model: FaqModel, figures: Floats) -> Floats:
    """The trained probability that each candidate is what was asked."""
    logits = ((figures - model.mean) / model.scale) @ model.weights + model.bias
    return 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))


# --- training -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Pair:
    question: str
    other: str
    same: bool


def train_model(pairs: Sequence[Pair], *, seed: int = 0) -> FaqModel:
    """A model from confirmed pairs (question, other wording, same intent or not).

    The semantic space and the word associations are learnt from the pairs; the ranking
    weights from matching each positive pair's other wording against a knowledge base of
    the pairs' questions. Cross-fitted: the figures the weights learn from come from
    spaces learnt on the other half of the pairs, so the weights trust those figures only
    as far as they hold on pairs never seen."""
    positives = [p for p in pairs if p.same]
    if len(positives) < 4:
        raise FaqError(f"training needs at least 4 same-intent pairs, not {len(positives)}")
    words = _mined_words(pairs)
    text_analyser = analyser(words)
    halves: tuple[list[Pair], list[Pair]] = ([], [])
    for pair in pairs:
        halves[_half(pair.question, seed)].append(pair)
    rows: list[Floats] = []
    labels: list[Floats] = []
    for learn, rank in (halves, halves[::-1]):
        if not any(p.same for p in learn) or not any(p.same for p in rank):
            continue
        partial = _spaces(learn, text_analyser, words)
        half_rows, half_labels = _ranking_examples(rank, partial)
        rows.extend(half_rows)
        labels.extend(half_labels)
    model = _spaces(pairs, text_analyser, words)
    if not rows:
        raise FaqError("no pair's other wording found its question among the candidates")
    _fit(model, rows, labels)
    model.stats = {"pairs": len(pairs), "same_intent_pairs": len(positives), "queries": len(rows)}
    return model


def _half(text: str, seed: int) -> int:
    return hashlib.blake2b(f"{seed}:{text}".encode(), digest_size=1).digest()[0] % 2


def _mined_words(pairs: Sequence[Pair], least: int = 20) -> tuple[str, ...]:
    """Two-character words the pairs use often and jieba cuts apart (花呗 → 花 / 呗)."""
    base = analyser(())
    counts: Counter[str] = Counter()
    for text in {t for p in pairs for t in (p.question, p.other)}:
        analysed = base.analyse(text)
        singles = {w for w in analysed.word if len(w) == 1}
        counts.update(
            b for b in set(analysed.bigram) if len(b) == 2 and b[0] in singles and b[1] in singles
        )
    return tuple(sorted(word for word, n in counts.items() if n >= least))


def _spaces(pairs: Sequence[Pair], text_analyser: Analyser, words: tuple[str, ...]) -> FaqModel:
    """The semantic space and word associations of these pairs, with no ranking weights."""
    texts = sorted({t for p in pairs for t in (p.question, p.other)})
    analysed = {t: text_analyser.analyse(t) for t in texts}
    positives = [(analysed[p.question], analysed[p.other]) for p in pairs if p.same]
    documents = [_semantic_terms(a) for a in analysed.values()]
    df = Counter(term for doc in documents for term in set(doc))
    vocabulary = {term: n for n, term in enumerate(sorted(t for t, c in df.items() if c >= 2))}
    idf = np.array(
        [math.log(1 + len(documents) / df[term]) for term in _ordered(vocabulary)], dtype=float
    )
    projection = np.hstack(
        [_contrastive(positives, vocabulary, idf, seed=seed) for seed in range(SEMANTIC_MODELS)]
    )
    associated, associations = _associations(positives)
    return FaqModel(
        words=words,
        weights=np.zeros(len(FEATURES)),
        bias=0.0,
        mean=np.zeros(len(FEATURES)),
        scale=np.ones(len(FEATURES)),
        semantic_terms=vocabulary,
        semantic_idf=idf,
        semantic_projection=projection,
        associated_terms=associated,
        associations=associations,
    )


def _tfidf_rows(texts: Sequence[Analysed], vocabulary: dict[str, int], idf: Floats) -> Matrix:
    counts = bag([_semantic_terms(t) for t in texts], vocabulary)
    counts.data = 1.0 + np.log(counts.data)
    weighted = counts @ sparse.diags(idf)
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    return sparse.csr_matrix(sparse.diags(1.0 / np.maximum(norms, 1e-12)) @ weighted)


def _contrastive(
    positives: Sequence[tuple[Analysed, Analysed]],
    vocabulary: dict[str, int],
    idf: Floats,
    *,
    dimensions: int = SEMANTIC_DIMENSIONS,
    epochs: int = SEMANTIC_EPOCHS,
    rate: float = 0.01,
    temperature: float = 0.05,
    batch: int = 256,
    seed: int = 0,
) -> Floats:
    """A projection of TF-IDF vectors in which the two wordings of a same-intent pair lie
    closer than either does to the other pairs' wordings (in-batch contrastive loss, Adam,
    from a random start; the seed is fixed, so a training is repeatable)."""
    rng = np.random.default_rng(seed)
    projection = rng.standard_normal((len(vocabulary), dimensions)) / math.sqrt(dimensions)
    if not positives or not vocabulary:
        return projection
    left = _tfidf_rows([a for a, _ in positives], vocabulary, idf)
    right = _tfidf_rows([b for _, b in positives], vocabulary, idf)
    first = np.zeros_like(projection)
    second = np.zeros_like(projection)
    step = 0
    for _ in range(epochs):
        order = rng.permutation(len(positives))
        for begin in range(0, len(order), batch):
            chosen = order[begin : begin + batch]
            gradient = _contrastive_gradient(left[chosen], right[chosen], projection, temperature)
            step += 1
            first = 0.9 * first + 0.1 * gradient
            second = 0.999 * second + 0.001 * gradient * gradient
            projection -= (
                rate * (first / (1 - 0.9**step)) / (np.sqrt(second / (1 - 0.999**step)) + 1e-8)
            )
    return projection


def _contrastive_gradient(
    left: Matrix, right: Matrix, projection: Floats, temperature: float
) -> Floats:
    """The gradient of the symmetric in-batch softmax loss (each left wording should pick
    its own right one among the batch's, and each right its left) for the projection."""
    raw_left, raw_right = left @ projection, right @ projection
    norm_left = np.linalg.norm(raw_left, axis=1, keepdims=True) + 1e-9
    norm_right = np.linalg.norm(raw_right, axis=1, keepdims=True) + 1e-9
    unit_left, unit_right = raw_left / norm_left, raw_right / norm_right
    logits = unit_left @ unit_right.T / temperature
    to_right = _softmax(logits)
    to_left = _softmax(logits.T)
    size = len(logits)
    identity = np.eye(size)
    d_logits = ((to_right - identity) + (to_left - identity).T) / (2 * size * temperature)
    d_left = d_logits @ unit_right
    d_right = d_logits.T @ unit_left
    d_raw_left = (d_left - unit_left * (unit_left * d_left).sum(1, keepdims=True)) / norm_left
    d_raw_right = (d_right - unit_right * (unit_right * d_right).sum(1, keepdims=True)) / (
        norm_right
    )
    return np.asarray(left.T @ d_raw_left) + np.asarray(right.T @ d_raw_right)


def _softmax(logits: Floats) -> Floats:
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def _associations(
    positives: Iterable[tuple[Analysed, Analysed]], least: int = 2
) -> tuple[dict[str, int], Matrix]:
    """Words one wording of a pair uses where the other uses another (还钱 ~ 还款):
    co-occurrence across pairs over the geometric mean of how often each is unmatched."""
    together: Counter[tuple[str, str]] = Counter()
    unmatched: Counter[str] = Counter()
    for a, b in positives:
        only_a, only_b = set(a.word) - set(b.word), set(b.word) - set(a.word)
        if not only_a or not only_b or len(only_a) * len(only_b) > 64:
            continue
        unmatched.update(only_a | only_b)
        for x in only_a:
            for y in only_b:
                together[(x, y)] += 1
                together[(y, x)] += 1
    kept = {pair: n for pair, n in together.items() if n >= least}
    terms = sorted({term for pair in kept for term in pair})
    vocabulary = {term: n for n, term in enumerate(terms)}
    rows = [vocabulary[x] for x, _ in kept]
    cols = [vocabulary[y] for _, y in kept]
    data = [n / math.sqrt(unmatched[x] * unmatched[y]) for (x, y), n in kept.items()]
    matrix = sparse.csr_matrix((data, (rows, cols)), shape=(len(terms), len(terms)))
    return vocabulary, matrix


def _ranking_examples(pairs: Sequence[Pair], model: FaqModel) -> tuple[list[Floats], list[Floats]]:
    """For each same-intent pair: the candidates its other wording finds in a knowledge base
    of the pairs' questions (and the other wordings of the different-intent pairs), with
    1 for the pair's question. Pairs whose question is not among the candidates teach
    nothing and are left out."""
    kb_texts = list(
        dict.fromkeys([p.question for p in pairs] + [p.other for p in pairs if not p.same])
    )
    entries = [FaqEntry(id=n, question=t) for n, t in enumerate(kb_texts)]
    matcher = FaqMatcher(entries, model)
    text_analyser = analyser(model.words)
    position = {t: n for n, t in enumerate(kb_texts)}
    asked = [(p.other, position[p.question]) for p in pairs if p.same and p.other != p.question]
    rows: list[Floats] = []
    labels: list[Floats] = []
    for begin in range(0, len(asked), _CHUNK):
        chunk = asked[begin : begin + _CHUNK]
        queries = [text_analyser.analyse(text) for text, _ in chunk]
        fused = matcher.fused(queries)
        candidates, figures = matcher.candidate_figures(queries, fused, CANDIDATES)
        for row, (text, answer) in enumerate(chunk):
            label = (candidates[row] == answer).astype(np.float64)
            keep = np.array([kb_texts[c] != text or c == answer for c in candidates[row]])
            if label.sum() == 0:
                continue
            rows.append(figures[row][keep])
            labels.append(label[keep])
    return rows, labels


def _fit(model: FaqModel, rows: list[Floats], labels: list[Floats], l2: float = 1e-3) -> None:
    """Weights that rank each query's right candidate first (softmax over its candidates)
    and read as a probability (logistic loss on every candidate)."""
    matrix = np.concatenate(rows)
    target = np.concatenate(labels)
    mean = matrix.mean(axis=0)
    scale = matrix.std(axis=0)
    scale[scale < 1e-9] = 1.0
    standard = (matrix - mean) / scale
    starts = np.cumsum([0] + [len(r) for r in rows[:-1]])
    groups = np.repeat(np.arange(len(rows)), [len(r) for r in rows])
    positive_share = float(target.mean())
    weight = np.where(target > 0, 0.5 / positive_share, 0.5 / (1 - positive_share))

    def loss(theta: Floats) -> tuple[float, Floats]:
        w, b = theta[:-1], theta[-1]
        logits = standard @ w + b
        # Listwise: the softmax of each query's candidates should put its answer first.
        peak = np.maximum.reduceat(logits, starts)[groups]
        exp = np.exp(logits - peak)
        total = np.add.reduceat(exp, starts)[groups]
        softmax = exp / total
        listwise = -np.sum(target * np.log(np.maximum(softmax, 1e-300))) / len(rows)
        # Pointwise, balanced: the score reads as a probability.
        probability = 1 / (1 + np.exp(-np.clip(logits, -30, 30)))
        pointwise = -np.mean(
            weight
            * (
                target * np.log(np.maximum(probability, 1e-12))
                + (1 - target) * np.log(np.maximum(1 - probability, 1e-12))
            )
        )
        value = listwise + pointwise + l2 * float(w @ w)
        gradient_logits = (softmax * np.add.reduceat(target, starts)[groups] - target) / len(
            rows
        ) + weight * (probability - target) / len(target)
        gradient = np.r_[standard.T @ gradient_logits + 2 * l2 * w, gradient_logits.sum()]
        return value, gradient

    fitted = optimize.minimize(loss, np.zeros(standard.shape[1] + 1), jac=True, method="L-BFGS-B")
    model.weights = np.asarray(fitted.x[:-1], dtype=np.float64)
    model.bias = float(fitted.x[-1])
    model.mean = mean
    model.scale = scale
