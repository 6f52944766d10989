"""The built-in standard scorecard (seed 002 §五): its shape, its traps, and real contacts.

The real-data tests read the JDDC and STC-3 samples from `../shared/data` (never copied into
the repository) and check outcomes that were verified by reading the turns by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson
import pytest

from lingting.engine.contacts import Contact, Turn, contact_from_record
from lingting.engine.results import ContactResult, ItemResult
from lingting.engine.scorecard import CompiledScorecard, Scorecard
from lingting.engine.scorecard_checks import run_examples
from lingting.engine.scorecard_yaml import builtin_scorecard

STABLE_IDS = {
    "opening",
    "closing",
    "forbidden_phrases",
    "insults",
    "filler_words",
    "polite_words",
    "thanks",
    "apology",
    "identity_check",
    "order_flow",
    "answer_speed",
    "speech_rate",
    "dead_air",
    "interruption",
    "hold",
    "agent_hangup_first",
    "abusive_caller",
}
# Judged from the recording (`audio`), 0-point prompts beside the stable ids.
SOUND_IDS = {"volume", "level_gap", "customer_raised_voice"}
DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
JDDC = DATA / "jddc" / "jddc_2019_sample.jsonl"
STC3 = DATA / "stc3" / "stc3_dch1_test_cn.jsonl"
needs_data = pytest.mark.skipif(
    not (JDDC.is_file() and STC3.is_file()),
    reason=f"real contact samples not found under {DATA} (they live outside the repository)",
)


@pytest.fixture(scope="module")
def standard() -> Scorecard:
    return builtin_scorecard()


@pytest.fixture(scope="module")
def compiled(standard: Scorecard) -> CompiledScorecard:
    return standard.compile()


def chat(*lines: str) -> Contact:
    """Lines are agent turns unless they start with "customer: "."""
    turns = []
    for index, line in enumerate(lines):
        speaker, _, text = line.partition(": ") if line.startswith("customer: ") else ("", "", line)
        turns.append(Turn(index, speaker or "agent", text))
    return Contact(id="c1", turns=tuple(turns))


def item(result: ContactResult, item_id: str) -> ItemResult:
    return next(i for i in result.items if i.item == item_id)


# --- shape --------------------------------------------------------------------------------


def test_standard_has_every_stable_item_id_as_an_automatic_item(standard: Scorecard) -> None:
    automatic = {i.id for i in standard.items if i.kind == "auto"}

    assert automatic == STABLE_IDS | SOUND_IDS


def test_standard_follows_the_seven_sections_of_the_standard(standard: Scorecard) -> None:
    assert [s.title for s in standard.sections] == [
        "产品业务知识",
        "服务用语",
        "服务态度",
        "沟通技巧",
        "营销意识",
        "订单流程",
        "其他",
    ]
    assert all(s.title_en and s.title_en != s.title for s in standard.sections)


def test_standard_points_add_up_to_100_and_every_item_has_both_titles(standard: Scorecard) -> None:
    assert standard.total_points == 100
    assert standard.pass_mark == 80
    for entry in standard.items:
        assert entry.title_en, entry.id
        assert entry.title_en != entry.title, entry.id
        assert entry.description, entry.id


def test_insults_are_fatal_and_forbidden_phrases_severity_a(standard: Scorecard) -> None:
    assert standard.item("insults").fatal
    assert standard.item("forbidden_phrases").severity == "A"
    assert [i.id for i in standard.items if i.fatal] == ["insults"]


def test_judgement_items_are_manual(standard: Scorecard) -> None:
    manual = {i.id for i in standard.items if i.kind == "manual"}

    assert {"info_accurate", "no_false_promises", "mandarin", "smile", "no_shirking"} <= manual
    assert {"private_calls", "malicious_guidance", "attacking_colleagues"} <= manual
    assert sum(i.id.startswith("marketing_") for i in standard.items) == 5


def test_every_automatic_item_carries_examples_and_they_all_hold(standard: Scorecard) -> None:
    for entry in standard.items:
        if entry.kind == "auto":
            assert entry.examples.must_trigger, entry.id
            assert entry.examples.must_not_trigger, entry.id

    report = run_examples(standard)

    assert report.ok, "\n".join(f.describe() for f in report.failures)
    assert report.checked >= 60


# --- traps: the precision a reviewer relies on ---------------------------------------------


@pytest.mark.parametrize(
    "helpful",
    [
        "不清楚的话我帮您查一下",
        "如果您不明白可以再问我",
        "您不知道也没关系，我帮您看",
        "有什么不明白随时联系小妹哦",
        "不知道您是否方便提供一下订单号",
        "电脑亮度过高会看不清楚的",
    ],
)
def test_helpful_bu_zhidao_bu_qingchu_is_not_a_forbidden_phrase(
    compiled: CompiledScorecard, helpful: str
) -> None:
    assert item(compiled.score(chat(helpful)), "forbidden_phrases").result == "pass"


@pytest.mark.parametrize(
    "brush_off", ["这个问题我也不知道", "这个我们不清楚的哦", "小妹这边不知道呢", "我也不明白"]
)
def test_brush_off_is_a_forbidden_phrase(compiled: CompiledScorecard, brush_off: str) -> None:
    result = item(compiled.score(chat(brush_off)), "forbidden_phrases")

    assert result.result == "fail"
    assert result.severity == "A"


def test_asking_which_order_is_meant_is_not_a_brush_off(compiled: CompiledScorecard) -> None:
    # Borderline by design: the agent asks for what is needed to help (documented in the YAML).
    result = compiled.score(chat("我不知道您说的是哪个订单，麻烦提供一下"))

    assert item(result, "forbidden_phrases").result == "pass"


@pytest.mark.parametrize("calling", ["喂，你听得到吗？", "喂喂", "喂？还在吗"])
def test_calling_the_customer_wei_is_forbidden(compiled: CompiledScorecard, calling: str) -> None:
    result = compiled.score(chat("您好，请问有什么可以帮您", "customer: 我查话费", calling))

    assert item(result, "forbidden_phrases").result == "fail"


def test_wei_nin_hao_greeting_costs_the_opening_not_a_forbidden_phrase(
    compiled: CompiledScorecard,
) -> None:
    result = compiled.score(chat("喂，您好", "customer: 我查话费"))

    assert item(result, "forbidden_phrases").result == "pass"
    opening = item(result, "opening")
    assert opening.result == "fail"
    assert [e.text for e in opening.evidence] == ["喂"]


def test_feeding_a_baby_is_not_calling_the_customer_wei(compiled: CompiledScorecard) -> None:
    result = compiled.score(chat("您好", "这款奶瓶适合喂奶，也可以喂水"))

    assert item(result, "forbidden_phrases").result == "pass"


def test_insult_quoted_by_the_customer_is_not_the_agents(compiled: CompiledScorecard) -> None:
    result = compiled.score(chat("customer: 神经病吧你们", "非常抱歉给您带来不便"))

    assert item(result, "insults").result == "pass"
    assert result.fatal is False


def test_agent_insult_zeroes_the_contact(compiled: CompiledScorecard) -> None:
    result = compiled.score(chat("您好", "customer: 你们怎么回事", "你是不是神经病"))

    assert item(result, "insults").result == "fail"
    assert (result.score, result.fatal, result.passed) == (0.0, True, False)


@pytest.mark.parametrize(
    "normal",
    [
        "这个月的话费是五十八元，这个套餐包含三个G流量",
        "好的呀，您的订单已经发货了，预计明天下午送达，请您注意查收，有问题随时联系我们",
    ],
)
def test_words_like_zhege_yue_are_not_filler(compiled: CompiledScorecard, normal: str) -> None:
    assert item(compiled.score(chat(normal)), "filler_words").result == "pass"


def test_filler_words_cost_one_point_each_up_to_the_item(compiled: CompiledScorecard) -> None:
    result = item(compiled.score(chat("啊，这个，这个这个套餐呀，啊，就是")), "filler_words")

    assert result.result == "fail"
    assert len(result.evidence) == 5
    assert result.points_lost == 2


# The abusive-caller protocol of seed 004 篇5: warn, warn again, then end the call.
FIRST_WARNING = "我很理解您的心情，但请您使用文明语言，否则很抱歉，我们将结束这次通话。"
SECOND_WARNING = "请您尊重本次对话。"
ENDING = "感谢您的使用，再见"


def test_abusive_caller_warned_twice_then_ended_passes(compiled: CompiledScorecard) -> None:
    contact = chat(
        "您好，请问有什么可以帮您",
        "customer: 你他妈的到底会不会办",
        FIRST_WARNING,
        "customer: 废物",
        SECOND_WARNING,
        "customer: 滚蛋",
        ENDING,
    )

    assert item(compiled.score(contact), "abusive_caller").result == "pass"


def test_ending_an_abusive_call_after_one_warning_fails_the_contact(
    compiled: CompiledScorecard,
) -> None:
    contact = chat("您好", "customer: 你他妈的会不会办", FIRST_WARNING, "customer: 废物", ENDING)

    result = compiled.score(contact)
    protocol = item(result, "abusive_caller")

    assert protocol.result == "fail"
    assert protocol.detail.endswith("缺少步骤：第二次警告")
    assert [e.text for e in protocol.evidence] == ["他妈的", ENDING]
    assert result.passed is False  # an A-class item, whatever its 0 points


def test_hanging_up_on_an_abusive_caller_without_warnings_fails(
    compiled: CompiledScorecard,
) -> None:
    turns = chat("您好", "customer: 你个傻逼", "您稍等").turns
    contact = Contact(id="c1", channel="voice", turns=turns, hangup_by="agent")

    protocol = item(compiled.score(contact), "abusive_caller")

    assert protocol.result == "fail"
    assert "客服挂机结束之前" in protocol.detail


def test_swearing_back_at_an_abusive_caller_breaks_the_protocol(
    compiled: CompiledScorecard,
) -> None:
    result = compiled.score(chat("您好", "customer: 你个傻逼", "你才是傻逼"))

    assert item(result, "abusive_caller").result == "fail"
    assert item(result, "insults").result == "fail"


def test_a_caller_who_swore_and_calmed_down_is_served_as_usual(
    compiled: CompiledScorecard,
) -> None:
    contact = chat(
        "您好",
        "customer: 你们这帮傻逼，办个业务这么慢",
        "非常抱歉让您久等了，我马上为您办理",
        "customer: 好吧",
        "已经为您办好了，感谢您的来电，再见",
    )

    assert item(compiled.score(contact), "abusive_caller").result == "pass"
    assert item(compiled.score(chat("您好", "感谢您的使用，再见")), "abusive_caller").result == "na"


def test_order_flow_applies_only_to_order_calls(compiled: CompiledScorecard) -> None:
    enquiry = compiled.score(chat("您好", "customer: 我想查话费"))

    assert item(enquiry, "order_flow").result == "na"
    assert item(enquiry, "identity_check").result == "na"


def test_chat_has_no_timing_items(compiled: CompiledScorecard) -> None:
    result = compiled.score(chat("您好，请问有什么可以帮您", "customer: 查话费"))

    for item_id in ("speech_rate", "dead_air", "interruption", "hold", "answer_speed"):
        assert item(result, item_id).result == "na", item_id


# --- real contacts ------------------------------------------------------------------------

TZ = ZoneInfo("Asia/Shanghai")

# Every agent turn in both samples that contains 不知道/不清楚/不明白, read and labelled by
# hand: True = a brush-off the standard forbids, False = a helpful or polite use.
LABELLED_TURNS = {
    ("JDDC-2c4adbb2-06b", 5): True,  # 这个我们也不清楚的 电脑亮度过高会看不清楚的
    ("JDDC-5d2778ec-b84", 7): True,  # 这个具体不清楚的 建议关注一下
    ("JDDC-9ff25ed21c26", 5): True,  # 小妹这边不知道呢，不过如果您没接到，会在之后再次给您回电的
    ("JDDC-afe4f275b897", 21): True,  # 这个我们不清楚的哦
    ("JDDC-f4bdb4dcfb56", 5): True,  # 这个小妹也不知道呢
    ("JDDC-4634d301-05b", 7): False,  # …有什么不明白的随时咨询我们哦
    ("JDDC-4943b800ea28", 7): False,  # …有什么不明白随时联系小妹哦
    ("JDDC-8c08ee70-216", 13): False,  # …暂时不知道您的问题我是否为您解决完毕…
    ("JDDC-94f4ca8a758a", 9): False,  # …有什么不明白随时联系小妹哦
    ("JDDC-a10b96d4-28e", 11): False,  # …暂时不知道您的问题我是否为您解决完毕…
    ("JDDC-daf65799ee00", 5): False,  # 您看下有什么不明白的请您告知我…
    ("JDDC-db477150c171", 7): False,  # …有什么不明白随时联系小妹哦
    ("JDDC-f7cd1a0a7231", 7): False,  # …有什么不明白随时联系小妹哦
    ("JDDC-fe8873634da2", 9): False,  # 有什么不明白随时联系小妹哦…
    ("STC3-3685243040737360", 1): False,  # …不知道能否远程协助呀，亲？
}


def real_contacts() -> Iterator[Contact]:
    for path in (JDDC, STC3):
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                yield contact_from_record(orjson.loads(line), tz=TZ)


@pytest.fixture(scope="module")
def real_results(compiled: CompiledScorecard) -> dict[str, tuple[Contact, ContactResult]]:
    return {c.id: (c, compiled.score(c)) for c in real_contacts()}


@needs_data
def test_every_real_contact_scores(real_results: dict[str, tuple[Contact, ContactResult]]) -> None:
    assert len(real_results) == 994 + 390
    for contact, result in real_results.values():
        assert [i.item for i in result.items][:4] == [
            "info_accurate",
            "no_false_promises",
            "info_complete",
            "identity_check",
        ]
        for entry in result.items:
            for evidence in entry.evidence:
                turn = contact.turns[evidence.turn]
                assert turn.text[evidence.start_char : evidence.end_char] == evidence.text


@needs_data
def test_hand_labelled_bu_zhidao_turns_are_judged_like_a_reviewer(
    real_results: dict[str, tuple[Contact, ContactResult]],
) -> None:
    flagged_turns = {
        (contact_id, e.turn)
        for contact_id, (_, result) in real_results.items()
        for e in item(result, "forbidden_phrases").evidence
    }
    judged = {key: key in flagged_turns for key in LABELLED_TURNS}

    true_positives = sum(judged[k] and LABELLED_TURNS[k] for k in judged)
    false_positives = sum(judged[k] and not LABELLED_TURNS[k] for k in judged)
    false_negatives = sum(LABELLED_TURNS[k] and not judged[k] for k in judged)
    assert (true_positives, false_positives, false_negatives) == (5, 0, 0)


@needs_data
def test_forbidden_phrases_flag_only_the_five_brush_offs_in_all_1384_contacts(
    real_results: dict[str, tuple[Contact, ContactResult]],
) -> None:
    failed = {
        contact_id
        for contact_id, (_, result) in real_results.items()
        if item(result, "forbidden_phrases").result == "fail"
    }

    assert failed == {
        contact_id for (contact_id, _), brush_off in LABELLED_TURNS.items() if brush_off
    }


@needs_data
def test_brush_off_and_helpful_use_in_one_turn_are_told_apart(
    real_results: dict[str, tuple[Contact, ContactResult]],
) -> None:
    contact, result = real_results["JDDC-2c4adbb2-06b"]

    (evidence,) = item(result, "forbidden_phrases").evidence
    text = contact.turns[5].text
    assert text.startswith("这个我们也不清楚的")
    assert (evidence.turn, evidence.start_char, evidence.text) == (
        5,
        text.index("不清楚"),
        "不清楚",
    )


@needs_data
def test_real_customer_insult_is_not_held_against_the_agent(
    real_results: dict[str, tuple[Contact, ContactResult]],
) -> None:
    contact, result = real_results["STC3-4009856073374746"]

    assert "神经病" in contact.turns[4].text
    assert contact.turns[4].speaker == "customer"
    assert item(result, "insults").result == "pass"
    assert not any(r.fatal for _, r in real_results.values())


@needs_data
def test_real_complaints_and_suggestions(
    real_results: dict[str, tuple[Contact, ContactResult]],
) -> None:
    def outcome(contact_id: str, item_id: str) -> str:
        return item(real_results[contact_id][1], item_id).result

    # "不到一个月就坏了，这种我可忍受不了" — the agent only files a request: no apology.
    assert outcome("JDDC-938e7544ad2c", "apology") == "fail"
    # "很理解您迫切的希望收到商品的心情" counts as acknowledging the customer.
    assert outcome("JDDC-1a392e84acdb", "apology") == "pass"
    # "换新保是只要坏了就可以换新是吗?" asks about the warranty; nothing went wrong.
    assert outcome("JDDC-0547567a-4de", "apology") == "na"
    # "建议你们能多保留一两年京东支付的数据" → "好的哈，我们会改善的哦": no thanks.
    assert outcome("JDDC-6fd63072784f", "thanks") == "fail"
    # "意见与建议反馈" is the chat's menu title, not the customer's suggestion.
    assert outcome("JDDC-313517ab4a87", "thanks") == "na"
    # "财源滚滚" in a blessing is not "滚".
    assert outcome("JDDC-2df6a653-cf8", "insults") == "pass"
