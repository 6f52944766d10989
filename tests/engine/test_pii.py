"""Personal-number detection and masking in transcripts (lingting.engine.pii)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from lingting.engine.contacts import Turn
from lingting.engine.pii import (
    VISIBLE_DIGITS,
    PiiFinding,
    PiiKind,
    PiiSpan,
    find_in_text,
    find_personal_numbers,
    has_digits,
    mask_personal_numbers,
    mask_text,
    mask_turn_texts,
    mask_whole_number,
)

# --- reference implementations, written independently of the module -------------------------

ID_REGIONS = ["11", "31", "44", "51", "65", "81"]
SPOKEN = {
    "0": "零〇洞",
    "1": "幺一",
    "2": "两二",
    "3": "三",
    "4": "四",
    "5": "五",
    "6": "六",
    "7": "七",
    "8": "八",
    "9": "九",
}
DIGIT_CHARS = set("0123456789０１２３４５６７８９零〇洞幺一两二三四五六七八九Xx")


def id_check_char(body17: str) -> str:
    weights = [2 ** (17 - i) % 11 for i in range(17)]  # ISO 7064 MOD 11-2 weights
    total = sum(int(d) * w for d, w in zip(body17, weights, strict=True))
    return "10X98765432"[total % 11]


def luhn_check_digit(body: str) -> str:
    total = 0
    for i, char in enumerate(reversed(body)):
        d = int(char) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str(-total % 10)


def luhn_ok(number: str) -> bool:
    return luhn_check_digit(number[:-1]) == number[-1]


digit_strings = st.text(alphabet="0123456789", min_size=1, max_size=1)


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    region = draw(st.sampled_from(ID_REGIONS)) + "".join(draw(digit_strings) for _ in range(4))
    born = draw(st.dates(min_value=date(1920, 1, 1), max_value=date(2020, 12, 31)))
    body = region + born.strftime("%Y%m%d") + "".join(draw(digit_strings) for _ in range(3))
    return body + id_check_char(body)


@st.composite
def card_numbers(draw: st.DrawFn) -> str:
    length = draw(st.integers(min_value=16, max_value=19))
    prefix = draw(st.sampled_from(["62", "4", "51", "35"]))
    body = prefix + "".join(draw(digit_strings) for _ in range(length - 1 - len(prefix)))
    assume(len(set(body)) > 1)
    number = body + luhn_check_digit(body)
    assume(len(number) != 18 or id_check_char(number[:17]) != number[17])  # not also an ID
    return number


@st.composite
def mobiles(draw: st.DrawFn) -> str:
    second = draw(st.sampled_from("3456789"))
    return "1" + second + "".join(draw(digit_strings) for _ in range(9))


@st.composite
def spoken(draw: st.DrawFn, digits: str) -> str:
    return "".join(draw(st.sampled_from(SPOKEN[d])) for d in digits)


def in_fours(number: str) -> str:
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))


def kinds(text: str) -> list[tuple[PiiKind, str]]:
    return [(kind, value) for kind, _, _, value in find_in_text(text)]


def customer(index: int, text: str) -> Turn:
    return Turn(index, "customer", text)


def agent(index: int, text: str) -> Turn:
    return Turn(index, "agent", text)


# --- mobiles ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "我的手机是13812345678",
        "电话 138-1234-5678 谢谢",
        "138 1234 5678",
        "+86 138 1234 5678",
        "+8613812345678",
        "86-138-1234-5678",
        "(+86)13812345678",
        "１３８１２３４５６７８",
        "1 3 8 1 2 3 4 5 6 7 8",
        "您打13812345678，3点以后都在",
    ],
)
def test_mobile_written_forms_are_found(text: str) -> None:
    assert kinds(text) == [(PiiKind.MOBILE, "13812345678")]


def test_country_code_is_part_of_the_span() -> None:
    [(_, start, end, _)] = find_in_text("号码 +86 138 1234 5678。")
    assert (start, end) == (3, 20)


@given(number=mobiles(), data=st.data())
def test_mobile_read_out_in_spoken_chinese_is_found(number: str, data: st.DataObject) -> None:
    said = data.draw(spoken(number))
    assert kinds(f"我的号码是{said}，谢谢") == [(PiiKind.MOBILE, number)]


@pytest.mark.parametrize(
    "text",
    [
        "幺三八幺二三四五六七八",
        "138幺二三四五六七八",
        "幺三八 1234 五六七八",
        "幺三八，幺二三四，五六七八",
        "幺三八、幺二三四、五六七八",
        "号码是幺三八幺二三四五六七八吧",
    ],
)
def test_spoken_and_mixed_mobile_forms_are_found(text: str) -> None:
    assert kinds(text) == [(PiiKind.MOBILE, "13812345678")]


@pytest.mark.parametrize(
    "text",
    [
        "13812345678两个号码都可以",
        "幺三八幺二三四五六七八两个号码都可以",
        "麻烦记一下幺三八幺二三四五六七八一下",
        "第一幺三八幺二三四五六七八",
    ],
)
def test_words_made_of_digit_characters_stay_out_of_the_number(text: str) -> None:
    [(kind, start, end, value)] = find_in_text(text)
    assert (kind, value) == (PiiKind.MOBILE, "13812345678")
    assert len(text[start:end]) == 11


def test_two_numbers_next_to_each_other_are_both_found() -> None:
    assert kinds("13812345678，13987654321") == [
        (PiiKind.MOBILE, "13812345678"),
        (PiiKind.MOBILE, "13987654321"),
    ]


def test_eleven_digits_starting_1_3_to_9_are_a_mobile_without_any_checksum() -> None:
    assert kinds("19999999999") == [(PiiKind.MOBILE, "19999999999")]


# --- landlines --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("座机010-12345678", "01012345678"),
        ("(0571)87654321", "057187654321"),
        ("（0571）87654321", "057187654321"),
        ("02158889999", "02158889999"),
        ("0571 8765 4321", "057187654321"),
        ("0755-2345678", "07552345678"),
        ("洞幺洞 幺二三四五六七八", "01012345678"),
    ],
)
def test_landline_with_area_code_is_found(text: str, value: str) -> None:
    assert kinds(text) == [(PiiKind.LANDLINE, value)]


# --- ID cards ---------------------------------------------------------------------------------


@given(number=id_numbers())
def test_id_card_with_valid_checksum_is_found(number: str) -> None:
    assert kinds(f"身份证号{number}") == [(PiiKind.ID_CARD, number)]


@given(number=id_numbers())
def test_id_card_grouped_or_with_lower_case_x_is_found(number: str) -> None:
    text = f"{number[:6]} {number[6:14]} {number[14:]}".replace("X", "x")
    assert kinds(text) == [(PiiKind.ID_CARD, number)]


@given(number=id_numbers(), data=st.data())
def test_id_card_with_one_digit_changed_is_not_an_id_card(number: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(min_value=0, max_value=17))
    old = number[position]
    new = data.draw(st.sampled_from([c for c in "0123456789X" if c != old]))
    assume(position == 17 or new != "X")
    changed = number[:position] + new + number[position + 1 :]
    # MOD 11-2 catches every single-character error.
    assert PiiKind.ID_CARD not in [kind for kind, _ in kinds(f"身份证{changed}")]


@pytest.mark.parametrize("birth", ["19901332", "18500101", "20991231"])
def test_id_card_with_an_impossible_birth_date_is_not_an_id_card(birth: str) -> None:
    body = "110101" + birth + "123"
    number = body + id_check_char(body)
    assert PiiKind.ID_CARD not in [kind for kind, _ in kinds(number)]


def test_id_card_read_out_in_spoken_chinese_is_found() -> None:
    body = "11010119900307123"
    number = body + id_check_char(body)
    said = "".join(SPOKEN[d][0] if d != "X" else "X" for d in number)
    assert kinds(said) == [(PiiKind.ID_CARD, number)]


# --- bank cards -------------------------------------------------------------------------------


@given(number=card_numbers(), grouped=st.booleans())
def test_luhn_valid_card_is_found(number: str, grouped: bool) -> None:
    text = f"退款卡号 {in_fours(number) if grouped else number} 谢谢"
    assert kinds(text) == [(PiiKind.BANK_CARD, number)]


@given(number=card_numbers(), data=st.data())
def test_card_failing_luhn_is_not_a_bank_card(number: str, data: st.DataObject) -> None:
    last = data.draw(st.sampled_from([d for d in "0123456789" if d != number[-1]]))
    broken = number[:-1] + last
    assert not luhn_ok(broken)
    assert PiiKind.BANK_CARD not in [kind for kind, _ in kinds(f"卡号{broken}")]


def test_digits_grouped_other_than_in_fours_are_not_read_as_one_card() -> None:
    number = "622202123456789012"
    number += luhn_check_digit(number)
    assert kinds(f"{number[:3]} {number[3:10]} {number[10:]}") == []


# --- numbers read out across turns -------------------------------------------------------------


def test_number_split_across_turns_is_one_finding_with_a_span_per_turn() -> None:
    turns = [
        customer(0, "我的号码是138 1234"),
        agent(1, "嗯"),
        customer(2, "5678"),
        agent(3, "好的，请继续"),
    ]
    assert find_personal_numbers(turns) == [
        PiiFinding(PiiKind.MOBILE, "13812345678", (PiiSpan(0, 5, 13), PiiSpan(2, 0, 4)))
    ]


def test_spoken_number_split_across_turns_is_found() -> None:
    turns = [customer(0, "幺三八幺二"), agent(1, "好的，请继续"), customer(2, "三四五六七八吧")]
    [finding] = find_personal_numbers(turns)
    assert (finding.kind, finding.value) == (PiiKind.MOBILE, "13812345678")
    assert [s.turn for s in finding.spans] == [0, 2]


def test_card_read_in_groups_over_four_chat_messages_is_found() -> None:
    number = "622202123456789012"
    number += luhn_check_digit(number)
    turns = [
        customer(0, f"卡号 {number[:4]}"),
        customer(1, number[4:8]),
        customer(2, number[8:12]),
        customer(3, f"{number[12:16]} {number[16:]} 对"),
    ]
    [finding] = find_personal_numbers(turns)
    assert (finding.kind, finding.value) == (PiiKind.BANK_CARD, number)
    assert [s.turn for s in finding.spans] == [0, 1, 2, 3]


def test_span_turn_is_the_turn_index_not_the_position() -> None:
    turns = [customer(7, "138 1234"), customer(9, "5678")]
    [finding] = find_personal_numbers(turns)
    assert [s.turn for s in finding.spans] == [7, 9]


def test_pieces_from_different_speakers_are_not_joined() -> None:
    assert find_personal_numbers([customer(0, "138 1234"), agent(1, "5678")]) == []


def test_pieces_with_a_real_agent_turn_between_are_not_joined() -> None:
    turns = [
        customer(0, "138 1234"),
        agent(1, "您好，请问还有什么可以帮您的吗？我们这边查一下记录"),
        customer(2, "5678"),
    ]
    assert find_personal_numbers(turns) == []


def test_pieces_not_at_the_turn_edges_are_not_joined() -> None:
    turns = [customer(0, "138 1234 是我以前的"), customer(1, "5678")]
    assert find_personal_numbers(turns) == []


def test_complete_numbers_in_turns_are_not_joined_further() -> None:
    turns = [customer(0, "13812345678"), customer(1, "13987654321")]
    assert [f.value for f in find_personal_numbers(turns)] == ["13812345678", "13987654321"]


# --- false-positive traps ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "一共¥138.00",
        "退您1380元",
        "￥13812345678",
        "13812345678元",
        "3.13812345678",
        "2026-10-01 10:30:00",
        "2026/10/01",
        "订单号20261001123456789",
        "订单号：13812345678",
        "运单号 SF1234567890123",
        "SF13812345678",
        "1,381,234,567",
        "请做一下三要素核验",
        "两个月前办的，一二三四五都试过",
        "一一核对，三三两两，七七八八",
        "6222021234567890123",  # 19 digits failing Luhn
        "110101199003071234",  # 18 digits failing both checks
        "客服热线400-830-6666",
    ],
)
def test_not_a_personal_number(text: str) -> None:
    assert find_in_text(text) == []


def test_turns_without_digits_have_no_findings() -> None:
    turns = [customer(0, "你好，我想问一下退款"), agent(1, "好的，请稍等")]
    assert find_personal_numbers(turns) == []
    assert mask_turn_texts(turns) == [t.text for t in turns]


# Text made mostly of what the detector looks at: digits, spoken digits, separators, words.
number_like_text = st.text(
    alphabet=st.sampled_from(list("0123456789 -，,、()）.:/+一二两三幺洞零个下元号码Xx")),
    max_size=80,
) | st.text(max_size=40)


@given(number_like_text)
def test_any_text_yields_spans_inside_it_holding_the_value_digits(text: str) -> None:
    for _, start, end, value in find_in_text(text):
        assert 0 <= start < end <= len(text)
        assert text[start] in DIGIT_CHARS or text[start] in "+＋"
        assert text[end - 1] in DIGIT_CHARS
        assert sum(c in DIGIT_CHARS for c in text[start:end]) >= len(value)


@given(st.lists(st.tuples(st.sampled_from(["customer", "agent"]), number_like_text), max_size=6))
def test_masking_any_conversation_changes_only_digits_into_stars(
    said: list[tuple[str, str]],
) -> None:
    turns = [Turn(i, speaker, text) for i, (speaker, text) in enumerate(said)]
    masked = mask_turn_texts(turns)
    assert len(masked) == len(turns)
    for turn, out in zip(turns, masked, strict=True):
        assert len(out) == len(turn.text)
        for before, after in zip(turn.text, out, strict=True):
            assert after == before or (after == "*" and before in DIGIT_CHARS)


# --- masking ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("手机13812345678", "手机138****5678"),
        ("手机 138-1234-5678", "手机 138-****-5678"),
        ("+86 138 1234 5678", "+86 138 **** 5678"),
        ("幺三八幺二三四五六七八", "幺三八****五六七八"),
        ("010-12345678", "***-****5678"),
    ],
)
def test_mask_shows_only_the_allowed_digits(text: str, masked: str) -> None:
    assert mask_turn_texts([customer(0, text)]) == [masked]


@given(number=id_numbers())
def test_masked_id_card_shows_only_its_last_four(number: str) -> None:
    [masked] = mask_turn_texts([customer(0, f"身份证 {number}。")])
    assert masked == f"身份证 {'*' * 14}{number[-4:]}。"


@given(number=card_numbers(), prose=st.sampled_from(["卡号", "my card: ", "尾号是"]))
def test_mask_keeps_length_and_separators_and_leaks_no_more_than_four_digits(
    number: str, prose: str
) -> None:
    text = f"{prose}{in_fours(number)}，好的"
    [masked] = mask_turn_texts([customer(0, text)])
    assert len(masked) == len(text)
    for before, after in zip(text, masked, strict=True):
        assert after == before or (before.isdigit() and after == "*")
    assert sum(c.isdigit() for c in masked) == 4
    assert masked.replace(" ", "").endswith(number[-4:] + "，好的")


@given(number=mobiles(), data=st.data())
def test_masked_spoken_mobile_keeps_characters_one_for_one(
    number: str, data: st.DataObject
) -> None:
    said = data.draw(spoken(number))
    [masked] = mask_turn_texts([customer(0, f"号码{said}")])
    first, last = VISIBLE_DIGITS[PiiKind.MOBILE]
    assert masked == f"号码{said[:first]}{'*' * (11 - first - last)}{said[-last:]}"


def test_mask_across_turns_counts_visible_digits_over_the_whole_number() -> None:
    turns = [customer(0, "我的号码是138 1234"), agent(1, "嗯"), customer(2, "5678")]
    assert mask_turn_texts(turns) == ["我的号码是138 ****", "嗯", "5678"]


def test_mask_text_keeps_the_last_digits_of_each_span() -> None:
    text = "卡号 6222 0212 3456 7890 和 110101199003071234"
    spans = [(3, 22), (25, 43)]
    assert mask_text(text, spans) == "卡号 **** **** **** 7890 和 **************1234"
    assert mask_text(text, spans, keep_last=0)[3:22] == "**** **** **** ****"


def test_mask_text_hides_a_span_that_would_otherwise_be_shown_whole() -> None:
    assert mask_text("尾号5678", [(2, 6)]) == "尾号****"


def test_mask_text_works_on_characters_not_bytes() -> None:
    text = "电话：幺三八，１２３４，5678。"
    assert mask_text(text, [(3, 16)], keep_first=3) == "电话：幺三八，****，5678。"


def test_free_text_is_masked_at_the_depth_of_a_transcript() -> None:
    text = "回电 13812345678，身份证 11010519491231002X，金额 1280 元，+86 139 8765 4321"
    assert mask_personal_numbers(text) == mask_turn_texts([customer(0, text)])[0]
    assert mask_personal_numbers(text) == (
        "回电 138****5678，身份证 **************002X，金额 1280 元，+86 139 **** 4321"
    )


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),  # as a mobile in text
        ("0571-87654321", "****-****4321"),  # as a landline in text
        ("8765432100", "876***2100"),  # no known shape: still never shown in full
        ("12345", "*****"),
    ],
)
def test_a_whole_number_field_is_masked_like_the_number_it_is(value: str, masked: str) -> None:
    assert mask_whole_number(value) == masked


def test_text_without_a_digit_of_any_kind_holds_no_number() -> None:
    assert not has_digits("您好，请问有什么可以帮您？")
    assert all(map(has_digits, ["尾号5678", "幺三八", "１２３"]))
