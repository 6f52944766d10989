"""Searching the knowledge vault's words: folding, two-character words, synonyms, pinyin
initials, and the owners' lists read with the line of any mistake."""

from __future__ import annotations

import pytest

from lingting.engine.knowledge_search import (
    LONELY_SYNONYM,
    NOT_A_WORD,
    ArticleTerms,
    KnowledgeSearcher,
    WordsError,
    fold,
    marked,
    marked_snippet,
    read_synonyms,
    read_word_list,
)


@pytest.fixture(scope="module")
def searcher() -> KnowledgeSearcher:
    return KnowledgeSearcher()


def finds(searcher: KnowledgeSearcher, query: str, terms: ArticleTerms) -> bool:
    """Whether `query` finds an article of `terms`, as the databases match (every group by
    one of its words in the head or body, or the initials by prefix)."""
    words = set(terms.head.split()) | set(terms.body.split())
    q = searcher.query(query)
    by_words = bool(q.groups) and all(any(w in words for w in group) for group in q.groups)
    by_initials = bool(q.initials) and any(i.startswith(q.initials) for i in terms.initials.split())
    return by_words or by_initials


def test_fold_makes_full_width_half_width_traditional_simplified_and_lower_case() -> None:
    assert fold("ＴＤ話費５Ｇ") == "td话费5g"


def test_a_two_character_word_finds_the_sentence_that_says_it(
    searcher: KnowledgeSearcher,
) -> None:
    article = searcher.article_terms(head=["停电咨询"], body=["我家停电了，什么时候来电？"])
    assert finds(searcher, "停电", article)
    assert finds(searcher, "话费", searcher.article_terms(head=["查询电话费"], body=[]))
    assert finds(searcher, "花呗", searcher.article_terms(head=[], body=["花呗怎么还款"]))


def test_traditional_and_full_width_queries_find_simplified_text(
    searcher: KnowledgeSearcher,
) -> None:
    article = searcher.article_terms(head=["话费余额查询"], body=["发送 CXYE 到 10001"])
    assert finds(searcher, "話費", article)
    assert finds(searcher, "ＣＸＹＥ", article)


def test_characters_across_two_words_find_nothing(searcher: KnowledgeSearcher) -> None:
    article = searcher.article_terms(head=["宽带套餐"], body=[])
    assert not finds(searcher, "带套", article)


def test_synonyms_find_each_other_both_ways(searcher: KnowledgeSearcher) -> None:
    power_cut = searcher.article_terms(head=["断电了怎么办"], body=[])
    assert finds(searcher, "停电", power_cut)
    assert finds(searcher, "没电", power_cut)
    assert finds(searcher, "蚂蚁花呗", searcher.article_terms(head=["花呗账单"], body=[]))
    assert finds(searcher, "花呗", searcher.article_terms(head=["蚂蚁花呗账单"], body=[]))


def test_an_owners_synonyms_and_words_are_used() -> None:
    own = KnowledgeSearcher(own_words=["畅享卡"], own_synonyms=[("宽带", "光猫")])
    assert finds(own, "光猫", own.article_terms(head=["宽带故障报修"], body=[]))
    assert own.query("畅享卡怎么办").groups[0] == ("畅享卡",)
    assert not finds(KnowledgeSearcher(), "光猫", own.article_terms(head=["宽带"], body=[]))


def test_pinyin_initials_find_the_title(searcher: KnowledgeSearcher) -> None:
    article = searcher.article_terms(head=["停电了怎么办"], body=["请先查看电闸"])
    assert finds(searcher, "td", article)
    assert finds(searcher, "tdl", article)
    assert finds(searcher, "ＴＤ", article)
    assert finds(searcher, "zmb", article)
    assert not finds(searcher, "qxck", article)  # the body's initials are not indexed


def test_every_word_of_the_query_must_match(searcher: KnowledgeSearcher) -> None:
    article = searcher.article_terms(head=["宽带报修"], body=["上门维修"])
    assert finds(searcher, "宽带维修", article)
    assert not finds(searcher, "宽带退订", article)


def test_marked_marks_the_words_in_the_original_text() -> None:
    assert marked("我家停電了", ["停电"]) == [("我家", False), ("停電", True), ("了", False)]
    assert marked("ＴＤ测试", ["td"]) == [("ＴＤ", True), ("测试", False)]


def test_marked_snippet_shows_the_first_match_with_text_around() -> None:
    body = "很长的开头" * 10 + "遇到停电请先检查电闸。"
    parts = marked_snippet(["无关", body], ["停电"], before=4, after=4)
    assert parts[0] == ("…", False)
    assert ("停电", True) in parts
    assert parts[-1] == ("…", False)
    assert marked_snippet(["开头的文字"], ["没有"]) == [("开头的文字", False)]


def test_word_lists_name_the_line_of_a_mistake() -> None:
    assert read_word_list("# 产品\n畅享卡\n\n５Ｇ套餐\n") == ("畅享卡", "5g套餐")
    assert read_synonyms("停电 断电、没电\n話費/电话费") == (
        ("停电", "断电", "没电"),
        ("话费", "电话费"),
    )
    with pytest.raises(WordsError) as error:
        read_word_list("畅享卡\n流量 包")
    assert (error.value.line, error.value.problem) == (2, NOT_A_WORD)
    with pytest.raises(WordsError) as error:
        read_synonyms("停电 断电\n\n停机")
    assert (error.value.line, error.value.problem) == (3, LONELY_SYNONYM)


def test_the_particles_of_a_question_are_not_required(searcher: KnowledgeSearcher) -> None:
    article = searcher.article_terms(head=["断电怎么处理"], body=[])
    assert finds(searcher, "请问没电了吗", article)
    assert searcher.query("了").groups == (("了",),)  # nothing else: searched as it is
