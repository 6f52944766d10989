"""Topics (客户之声): what customers contact the center about, found without labels.

Each contact is read as what the customer wanted: its first customer turns with substance
(a turn that is only 你好 / 在吗 / 嗯 says nothing) and the agent's summary when the record
carries one (an extra field such as `summary`, kept in `Contact.extra`). The words (jieba
through rjieba, less a stop-word list) are weighted by TF-IDF, and the contacts grouped by
spherical k-means (cosine similarity; k-means++ seeding from a fixed seed, so the same
contacts always give the same topics). k is found by a rule, not asked for: start from
√(n/2) groups (at most `max_topics`), merge groups whose centres are alike (cosine ≥
`merge_similarity`) and fold groups too small to matter into their nearest neighbour. Each
topic is named by the words most distinctive of it (frequent inside, rare outside).

A `TopicModel` keeps each topic's centre (its strongest words and weights) and the words'
IDF, so that contacts arriving after a clustering are put in the nearest existing topic
(`TopicModel.assign`) and topic ids stay the same week to week until the next clustering.

`topic_trends` compares each topic's count this week with its previous weeks (see there
for the rule behind "rising" and "spike").
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import rjieba
from scipy import sparse
from scipy.special import gammainc

from lingting.engine.contacts import Contact

# Where a record may carry the agent's wrap-up summary (a field beyond FORMATS.md, kept in
# `Contact.extra`); the first present string is read.
SUMMARY_FIELDS = ("summary", "agent_summary", "wrap_up", "小结", "服务小结")
FIRST_CUSTOMER_TURNS = 3  # the request is nearly always in the customer's first turns
MAX_TEXT_CHARS = 600  # a long complaint says what it is about early; the rest is detail
CENTROID_TERMS = 60  # the words a stored topic centre keeps (enough to place new contacts)
KEYWORDS = 5
LABEL_WORDS = 3

# Words that say nothing about what a customer wanted: greetings, fillers, pronouns,
# particles and the words every contact-center chat shares (客服, 人工, 咨询).
_STOP_WORDS = """
    你好 您好 在吗 在不在 嗯嗯 嗯 哦 哦哦 噢 喂 哈 哈哈 呀 啊 吧 呢 吗 嘛 了 的 地 得 着 过
    好的 好 好吧 行 对 对的 是的 是 不是 没有 没 有 有没有 谢谢 谢谢您 感谢 多谢 麻烦 麻烦你
    不好意思 请问 问下 问一下 一下 一个 这个 那个 这样 那样 这边 那边 这里 那里 什么 怎么
    怎么样 怎么办 为什么 为啥 多少 哪里 哪个 可以 可不可以 能不能 能 会 要 想 想要 我想 需要
    帮忙 帮我 帮 你 您 我 我们 你们 他 她 他们 它 自己 大家 亲 亲亲 客服 人工 人工客服 转人工
    在线 客服人员 咨询 问题 还是 就是 但是 可是 因为 所以 然后 如果 的话 还有 还 都 也 就 才 又
    再 很 太 非常 已经 现在 今天 昨天 明天 刚才 刚刚 时候 一直 还要 还没 知道 看看 看 说 问
    告诉 一样 或者 而且 那么 这么 之前 之后 以后 以前 马上 一点 有点 东西 情况 处理 解决
    谢 ok okay hello hi 您好请问 收到 明白 了解 稍等 等等 等 下 呃 额 哎 唉 嘿 呵呵
    是不是 是因为 不能 不行 不用 不要 有人 只有 两个 希望 最好 大概 一般 应该 可能 能否 是否
    请 确认 一下子 已 怎样 如何 谁 那个人 东东 先生 女士 小姐 您看 你看 您说 你说 nan null none
    不了 我家 家里 没事 平时 很多 好多 特别 根本 结果 必须 每次 后面 几天 突然 经常 最近 要是
    看到 其他 真的 主要 基本 左右 方便 这次 上次 一次 两天 三天 怎么回事 问问 考虑一下 不会
    能够 觉得 感觉 比较 还行 不错 直接 重新 总是 老是 到底 究竟 居然 其实 反正 一定 肯定
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
# Masked values in shared data ([订单x]) and the name before one in a pasted order card
# (订单编号:[订单x]): what they hide is no subject.
_PLACEHOLDER = re.compile(r"(?:[^\W\d_]{2,8}[:：]\s*)?\[[^\[\]]{1,12}\]")
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Topic:
    """One group of contacts about the same thing."""

    id: int
    keywords: tuple[str, ...]  # most distinctive first
    label: str  # the first keywords joined: "退款 · 订单 · 取消"
    members: tuple[str, ...]  # contact ids, in input order
    centroid: Mapping[str, float]  # the topic's centre: its strongest words, unit length


@dataclass(frozen=True, slots=True)
class TopicModel:
    """The topics of one clustering and the word weights (IDF) they were found with."""

    topics: tuple[Topic, ...]
    idf: Mapping[str, float]
    unassigned: tuple[str, ...] = ()  # contacts with no word of substance (only greetings)

    def assign(
        self, contacts: Iterable[Contact], *, min_similarity: float = 0.1
    ) -> dict[str, int | None]:
        """Each contact's nearest topic by cosine similarity to its centre, or None when no
        topic is at least `min_similarity` alike (a new subject, or nothing said)."""
        return assign_texts(
            {c.id: contact_text(c) for c in contacts},
            self.topics,
            self.idf,
            min_similarity=min_similarity,
        )


# -- what a contact is about ---------------------------------------------------------------


def contact_text(contact: Contact) -> str:
    """What the customer wanted, as text: the first customer turns with substance and the
    agent's summary when the record carries one."""
    said: list[str] = []
    for turn in contact.turns:  # read only as far as the first turns with substance
        if turn.speaker == "customer" and words_of(turn.text):
            said.append(turn.text)
            if len(said) == FIRST_CUSTOMER_TURNS:
                break
    summary = next(
        (v for k in SUMMARY_FIELDS if isinstance(v := contact.extra.get(k), str) and v), ""
    )
    text = "\n".join([*said, summary] if summary else said)
    return text[:MAX_TEXT_CHARS]


def words_of(text: str) -> list[str]:
    """The words of `text` that may say what it is about: jieba's words less stop words,
    single characters and numbers."""
    cleaned = unicodedata.normalize("NFKC", text).lower()
    if "[" in cleaned:
        cleaned = _PLACEHOLDER.sub(" ", cleaned)
    pieces = _jieba().cut(cleaned, False)
    # Nearly every jieba word is letters alone; only the rest are split into runs of them.
    if not all(piece.isalnum() for piece in pieces):
        pieces = [word for piece in pieces for word in _WORD.findall(piece)]
    # Two characters at least, no stop word, no number; a word of ASCII letters needs three
    # ("ok", "a1" say little; "vip", "plus" do).
    return [
        w
        for w in pieces
        if len(w) >= (3 if w.isascii() else 2) and w not in STOP_WORDS and not w.isdigit()
    ]


@cache
def _jieba() -> rjieba.Jieba:
    return rjieba.Jieba()


# -- clustering ------------------------------------------------------------------------------


def find_topics(
    contacts: Iterable[Contact],
    *,
    max_topics: int = 30,
    min_topic_share: float = 0.005,
    min_topic_size: int = 3,
    merge_similarity: float = 0.5,
    seed: int = 0,
) -> TopicModel:
    """Group `contacts` by what the customers wanted (see the module's docstring).

    A group smaller than max(`min_topic_size`, `min_topic_share` × contacts) is folded into
    its nearest neighbour. The same contacts in the same order give the same topics."""
    texts = {c.id: contact_text(c) for c in contacts}
    return find_topics_in_texts(
        texts,
        max_topics=max_topics,
        min_topic_share=min_topic_share,
        min_topic_size=min_topic_size,
        merge_similarity=merge_similarity,
        seed=seed,
    )


def find_topics_in_texts(
    texts: Mapping[str, str],
    *,
    max_topics: int = 30,
    min_topic_share: float = 0.005,
    min_topic_size: int = 3,
    merge_similarity: float = 0.5,
    seed: int = 0,
) -> TopicModel:
    """`find_topics` on each contact's text, by contact id."""
    ids = list(texts)
    docs = [words_of(texts[i]) for i in ids]
    vocabulary, idf = _vocabulary(docs)
    matrix = _tfidf(docs, vocabulary, idf)
    has_words = np.asarray(matrix.getnnz(axis=1) > 0)
    rows = np.flatnonzero(has_words)
    unassigned = tuple(ids[i] for i in np.flatnonzero(~has_words))
    if len(rows) == 0:
        return TopicModel(topics=(), idf={}, unassigned=unassigned)
    x = matrix[rows]
    n = x.shape[0]
    k = max(1, min(max_topics, round(math.sqrt(n / 2)), n))
    labels = _spherical_kmeans(x, k, seed=seed)
    labels = _merge_alike(x, labels, merge_similarity)
    labels = _fold_small(x, labels, max(min_topic_size, math.ceil(min_topic_share * n)))
    words = np.array(sorted(vocabulary, key=vocabulary.__getitem__), dtype=object)
    topics = _described(x, labels, [ids[i] for i in rows], words)
    kept = {w for t in topics for w in t.centroid}
    return TopicModel(
        topics=topics,
        idf={w: float(idf[vocabulary[w]]) for w in sorted(kept)},
        unassigned=unassigned,
    )


def _vocabulary(docs: Sequence[list[str]]) -> tuple[dict[str, int], np.ndarray]:
    """The words worth weighing (in 2 contacts at least, in at most half of them unless
    there are very few) and their smoothed IDF, ln((1 + n) / (1 + df)) + 1."""
    df: dict[str, int] = {}
    for doc in docs:
        for word in set(doc):
            df[word] = df.get(word, 0) + 1
    n = len(docs)
    min_df = 2 if n >= 20 else 1
    max_df = max(0.5 * n, 2)
    kept = sorted(w for w, f in df.items() if min_df <= f <= max_df)
    vocabulary = {w: i for i, w in enumerate(kept)}
    idf = np.array([math.log((1 + n) / (1 + df[w])) + 1 for w in kept])
    return vocabulary, idf


def _tfidf(
    docs: Sequence[list[str]], vocabulary: Mapping[str, int], idf: np.ndarray
) -> sparse.csr_matrix:
    """Rows of unit length; term counts dampened (1 + ln tf) so a repeated word does not
    drown the others."""
    indptr, indices, values = [0], [], []
    for doc in docs:
        counts: dict[int, int] = {}
        for word in doc:
            j = vocabulary.get(word)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        for j, count in sorted(counts.items()):
            indices.append(j)
            values.append((1 + math.log(count)) * idf[j])
        indptr.append(len(indices))
    matrix = sparse.csr_matrix(
        (np.array(values, dtype=np.float64), np.array(indices, dtype=np.int64), indptr),
        shape=(len(docs), len(vocabulary)),
    )
    return _unit_rows(matrix)


def _unit_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return sparse.csr_matrix(sparse.diags(1 / norms) @ matrix)


def _spherical_kmeans(
    x: sparse.csr_matrix, k: int, *, seed: int, iterations: int = 30, restarts: int = 3
) -> np.ndarray:
    """Labels of the best of `restarts` runs (highest total similarity to the centres)."""
    rng = np.random.default_rng(seed)
    best, best_fit = np.zeros(x.shape[0], dtype=np.int64), -1.0
    for _ in range(restarts):
        centres = _kmeans_pp(x, k, rng)
        labels = np.full(x.shape[0], -1, dtype=np.int64)
        for _ in range(iterations):
            similarity = np.asarray(x @ centres.T)
            new = similarity.argmax(axis=1)
            if np.array_equal(new, labels):
                break
            labels = new
            centres = _centres(x, labels, k, similarity)
        fit = float(np.asarray(x @ centres.T).max(axis=1).sum())
        if fit > best_fit:
            best, best_fit = labels, fit
    return best


def _kmeans_pp(x: sparse.csr_matrix, k: int, rng: np.random.Generator) -> np.ndarray:
    """k-means++ seeding on cosine distance: each next centre drawn with probability
    proportional to its squared distance from the nearest centre chosen."""
    n = x.shape[0]
    chosen = [int(rng.integers(n))]
    nearest = 1 - np.asarray(x @ x[chosen[0]].T.toarray()).ravel()
    for _ in range(1, k):
        weights = np.clip(nearest, 0, None) ** 2
        total = weights.sum()
        if total <= 0:
            break  # every contact is a copy of a chosen one: fewer distinct centres
        pick = int(rng.choice(n, p=weights / total))
        chosen.append(pick)
        distance = 1 - np.asarray(x @ x[pick].T.toarray()).ravel()
        nearest = np.minimum(nearest, distance)
    return np.asarray(x[chosen].toarray())


def _centres(
    x: sparse.csr_matrix,
    labels: np.ndarray,
    k: int,
    similarity: np.ndarray,
) -> np.ndarray:
    """Unit-length mean of each group; an emptied group restarts at the contact that fits
    its own centre worst (so k holds)."""
    sums = np.asarray((_membership(labels, k) @ x).toarray())
    fit = similarity[np.arange(len(labels)), labels]
    for group in np.flatnonzero(np.bincount(labels, minlength=k) == 0):
        worst = int(np.argmin(fit))
        sums[group] = x[worst].toarray().ravel()
        fit[worst] = np.inf
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    norms[norms == 0] = 1
    return np.asarray(sums / norms)


def _membership(labels: np.ndarray, k: int) -> sparse.csr_matrix:
    n = len(labels)
    return sparse.csr_matrix((np.ones(n), (labels, np.arange(n))), shape=(k, n))


def _merge_alike(x: sparse.csr_matrix, labels: np.ndarray, threshold: float) -> np.ndarray:
    """Join groups whose centres are at least `threshold` alike (k-means splits a big
    subject in two when k is generous), most alike first, until none are."""
    labels = _renumbered(labels)
    while True:
        k = int(labels.max()) + 1
        if k < 2:
            return labels
        centres = _unit_means(x, labels, k)
        alike = centres @ centres.T
        np.fill_diagonal(alike, -1)
        a, b = np.unravel_index(int(np.argmax(alike)), alike.shape)
        if alike[a, b] < threshold:
            return labels
        labels = _renumbered(np.where(labels == max(a, b), min(a, b), labels))


def _fold_small(x: sparse.csr_matrix, labels: np.ndarray, min_size: int) -> np.ndarray:
    """Move the members of groups below `min_size` to their nearest remaining group, one
    contact at a time (a small group's members need not agree on where they belong)."""
    sizes = np.bincount(labels)
    big = np.flatnonzero(sizes >= min_size)
    if len(big) == 0 or len(big) == len(sizes):
        return labels
    centres = _unit_means(x, labels, len(sizes))[big]
    small = ~np.isin(labels, big)
    nearest = np.asarray(x[np.flatnonzero(small)] @ centres.T).argmax(axis=1)
    labels = labels.copy()
    labels[small] = big[nearest]
    return _renumbered(labels)


def _unit_means(x: sparse.csr_matrix, labels: np.ndarray, k: int) -> np.ndarray:
    sums = (_membership(labels, k) @ x).toarray()
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    norms[norms == 0] = 1
    return np.asarray(sums / norms)


def _renumbered(labels: np.ndarray) -> np.ndarray:
    """Groups numbered 0, 1, … by size, largest first (ties by first member)."""
    groups, first, sizes = np.unique(labels, return_index=True, return_counts=True)
    order = sorted(range(len(groups)), key=lambda g: (-sizes[g], first[g]))
    number = np.empty(int(groups.max()) + 1, dtype=np.int64)
    for new, g in enumerate(order):
        number[groups[g]] = new
    return np.asarray(number[labels])


def _described(
    x: sparse.csr_matrix, labels: np.ndarray, ids: list[str], words: np.ndarray
) -> tuple[Topic, ...]:
    """Each group's keywords, label, members and stored centre."""
    k = int(labels.max()) + 1
    membership = _membership(labels, k)
    present = x.copy()
    present.data[:] = 1
    inside = np.asarray((membership @ present).toarray())  # contacts per group with the word
    sizes = np.bincount(labels, minlength=k).astype(np.float64)
    total = inside.sum(axis=0)
    centres = _unit_means(x, labels, k)
    topics = []
    for g in range(k):
        share_in = inside[g] / sizes[g]
        outside = max(len(labels) - sizes[g], 1)
        share_out = (total - inside[g]) / outside
        # Frequent inside and rarer outside: the share inside times how many times more
        # common it is there (a word every topic has scores low however frequent).
        distinct = share_in * np.log1p(share_in / (share_out + 1 / outside))
        keywords = tuple(
            str(words[j])
            for j in np.argsort(-distinct, kind="stable")[:KEYWORDS]
            if distinct[j] > 0
        )
        strongest = np.argsort(-centres[g], kind="stable")[:CENTROID_TERMS]
        weights = centres[g][strongest]
        norm = float(np.linalg.norm(weights)) or 1.0
        topics.append(
            Topic(
                id=g,
                keywords=keywords,
                label=" · ".join(keywords[:LABEL_WORDS]),
                members=tuple(ids[i] for i in np.flatnonzero(labels == g)),
                centroid={
                    str(words[j]): round(float(w) / norm, 6)
                    for j, w in zip(strongest, weights, strict=True)
                    if w > 0
                },
            )
        )
    return tuple(topics)


def assign_texts(
    texts: Mapping[str, str],
    topics: Sequence[Topic],
    idf: Mapping[str, float],
    *,
    min_similarity: float = 0.1,
) -> dict[str, int | None]:
    """Each text's nearest topic (by id) among `topics`, weighing its words by `idf`; None
    below `min_similarity` or with no topic to choose from."""
    if not topics:
        return dict.fromkeys(texts)
    vocabulary = {w: j for j, w in enumerate(sorted(idf))}
    idf_array = np.array([idf[w] for w in sorted(idf)])
    centres = np.zeros((len(topics), len(vocabulary)))
    for row, topic in enumerate(topics):
        for word, weight in topic.centroid.items():
            if word in vocabulary:
                centres[row, vocabulary[word]] = weight
    ids = list(texts)
    matrix = _tfidf([words_of(texts[i]) for i in ids], vocabulary, idf_array)
    similarity = np.asarray(matrix @ centres.T)
    best = similarity.argmax(axis=1)
    return {
        contact_id: topics[int(best[n])].id if similarity[n, best[n]] >= min_similarity else None
        for n, contact_id in enumerate(ids)
    }


# -- trends ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TopicTrend:
    topic_id: int
    this_week: int
    baseline: float  # mean count of the previous weeks
    expected: float  # this week's count if nothing changed (see topic_trends)
    change: float | None  # this week ÷ baseline − 1; None with no baseline
    p_value: float  # P(a count at least this high | Poisson with the expected mean)
    rising: bool
    spike: bool
    weeks: tuple[int, ...]  # the counts, oldest first, this week last


def topic_trends(
    weekly_counts: Mapping[int, Sequence[int]],
    *,
    previous_weeks: int = 4,
    for_volume: bool = True,
    min_count: int = 5,
    rising_ratio: float = 1.3,
    rising_p: float = 0.05,
    spike_ratio: float = 2.0,
    spike_p: float = 0.001,
) -> list[TopicTrend]:
    """Each topic's count this week (the last of its counts, oldest first; every topic's
    counts cover the same weeks) against up to `previous_weeks` weeks before it, most
    surprising first.

    The rule: under "nothing changed", this week's count is Poisson with mean λ, and
    p = P(X ≥ this week's count). λ is the topic's share of all topics' contacts in the
    previous weeks times all topics' contacts this week (`for_volume`: a week twice as busy
    everywhere flags nothing; a topic that grows beyond the rest does), or without
    `for_volume` the topic's mean of the previous weeks; at least 0.5 either way, so a
    topic new this week is judged against "about none".

    - **spike**: at least `min_count` contacts, at least `spike_ratio` × λ, and p <
      `spike_p` — far beyond what week-to-week noise gives (1 in 1000).
    - **rising**: not a spike, at least `min_count` contacts, at least `rising_ratio` × λ
      and p < `rising_p`.

    `min_count` keeps 1 → 3 contacts from being news however unlikely under λ = 0.5.
    """
    before_total, this_total = _totals(weekly_counts, previous_weeks)
    trends = []
    for topic_id, counts in weekly_counts.items():
        if not counts:
            continue
        this_week = int(counts[-1])
        before = [int(c) for c in counts[:-1]][-previous_weeks:]
        baseline = sum(before) / len(before) if before else 0.0
        if for_volume and before_total > 0:
            expected = max(sum(before) / before_total * this_total, 0.5)
        else:
            expected = max(baseline, 0.5)
        p_value = float(gammainc(this_week, expected)) if this_week > 0 else 1.0
        enough = this_week >= min_count
        spike = enough and this_week >= spike_ratio * expected and p_value < spike_p
        rising = (
            not spike and enough and this_week >= rising_ratio * expected and p_value < rising_p
        )
        trends.append(
            TopicTrend(
                topic_id=topic_id,
                this_week=this_week,
                baseline=baseline,
                expected=expected,
                change=this_week / baseline - 1 if baseline > 0 else None,
                p_value=p_value,
                rising=rising,
                spike=spike,
                weeks=tuple(int(c) for c in counts),
            )
        )
    trends.sort(key=lambda t: (t.p_value, -t.this_week, t.topic_id))
    return trends


def _totals(weekly_counts: Mapping[int, Sequence[int]], previous_weeks: int) -> tuple[int, int]:
    """All topics' contacts in the previous weeks, and this week."""
    before = sum(
        sum(int(c) for c in counts[:-1][-previous_weeks:]) for counts in weekly_counts.values()
    )
    this_week = sum(int(counts[-1]) for counts in weekly_counts.values() if counts)
    return before, this_week
