"""The agent-tone lexicon: how an agent sounds, cue by cue, each with a weight 0–1.

Kept apart from `agent_tone.py` so the lists can grow without touching the analysis. A cue's
weight is how strongly it signals its tone on its own, before degree words and punctuation.

Some cues are also forbidden phrases of the standard scorecard (说了多少遍, 你自己看): the
tone describes the turn (for predicted satisfaction and the soothing rule), it is not a
second deduction. Most cues lie below that level: 你听我说, 系统就这样, 没办法, 这都不会.
"""

from __future__ import annotations

from lingting.engine import emotion_words

# The customer lexicon's degree words and negators, less 好: in an agent's 好的 it scales
# nothing, and it is the commonest match of all (a fifth of every hit on the JDDC sample).
DEGREE = {word: weight for word, weight in emotion_words.DEGREE.items() if word != "好"}
NEGATORS = emotion_words.NEGATORS

__all__ = [
    "APOLOGY",
    "BLAMING",
    "CONDESCENDING",
    "DEGREE",
    "DISMISSIVE",
    "IMPATIENT",
    "NEGATORS",
    "NEUTRAL",
    "SOOTHING",
    "WARM",
]

IMPATIENT = {
    "我已经说过了": 0.6,
    "已经说过了": 0.55,
    "我刚才说了": 0.45,
    "刚才已经说了": 0.5,
    "说过很多次": 0.65,
    "说了多少遍": 0.8,
    "说了好几遍": 0.7,
    "都说了": 0.5,
    "你听我说": 0.5,
    "你先听我说": 0.55,
    "您听我说": 0.35,
    "你到底要怎样": 0.8,
    "你到底想怎么样": 0.8,
    "你到底要干什么": 0.8,
    "你到底想干什么": 0.8,
    "快点": 0.45,
    "听不懂吗": 0.8,
    "看不懂吗": 0.75,
    "不是跟你说了吗": 0.75,
    "不是跟你说了": 0.7,
    "不是说了吗": 0.7,
    "我不是说了吗": 0.75,
    "有完没完": 0.85,
    "着什么急": 0.65,
    "急什么": 0.6,
    "急也没用": 0.6,
    "催也没用": 0.6,
    "等着吧": 0.5,
    "别问了": 0.65,
    "别再问了": 0.7,
}

BLAMING = {
    "这不是我们的问题": 0.8,
    "不是我们的问题": 0.75,
    "不是我们这边的问题": 0.75,
    "不关我们的事": 0.7,
    "跟我们没关系": 0.7,
    "和我们没关系": 0.7,
    "是你自己": 0.6,
    "你自己没看": 0.7,
    "您自己没看": 0.6,
    "你自己的问题": 0.8,
    "是你的问题": 0.75,
    "是您的问题": 0.65,
    "是你的原因": 0.7,
    "是您的原因": 0.6,
    "怪不得别人": 0.7,
    "怪你自己": 0.8,
    "只能怪": 0.5,
    "谁让你": 0.75,
    "谁叫你": 0.75,
    "你没仔细看": 0.6,
    "您没仔细看": 0.5,
    "那是快递的事": 0.6,
    "是快递的问题": 0.5,
    "那是厂家的事": 0.6,
    "系统就这样": 0.55,
    "系统就是这样": 0.55,
    "规定就是这样": 0.5,
}

DISMISSIVE = {
    "没办法": 0.3,  # alone mostly an honest limit (没办法修改价格); 真的没办法 is not
    "真没办法": 0.4,
    "也没办法": 0.5,
    "我也没办法": 0.6,
    "我们也没办法": 0.6,
    "那就没办法了": 0.6,
    "不归我们管": 0.7,
    "不归我管": 0.7,
    "我管不了": 0.65,
    "你自己去": 0.6,
    "你自己看": 0.65,
    "自己看吧": 0.6,
    "你自己查": 0.6,
    "爱怎么样怎么样": 0.85,
    "爱怎么样就怎么样": 0.85,
    "爱买不买": 0.9,
    "随便你": 0.7,
    "随你便": 0.7,
    "我也不知道": 0.55,
    "也不知道": 0.5,  # 这个小妹也不知道呢
    "我也不清楚": 0.5,
    "也不清楚": 0.45,
    "这是规定": 0.4,  # 这是规定呢, said instead of a way out
    "就这样吧": 0.5,
    "你找别人": 0.6,
    "问别人去": 0.65,
    "不是我负责": 0.55,
}

# Talking down to the customer; reported as dismissive, with its own evidence kind.
CONDESCENDING = {
    "这都不会": 0.7,
    "这都不懂": 0.7,
    "这都不知道": 0.65,
    "这么简单": 0.5,
    "连这个都": 0.65,
    "你看清楚": 0.55,
    "看清楚再": 0.6,
    "不识字": 0.85,
}

# Warmth beyond routine politeness: a single 您 or 请 is how every agent talks, so they
# are not cues; 麻烦您 and 请您 weigh too little to make a turn warm alone.
WARM = {
    "感谢您的耐心": 0.7,
    "感谢您的理解": 0.6,
    "感谢您的支持": 0.5,
    "谢谢您的耐心": 0.7,
    "谢谢您的理解": 0.6,
    "很高兴为您服务": 0.6,
    "很乐意为您": 0.6,
    "辛苦您了": 0.6,
    "让您久等了": 0.6,
    "久等了": 0.5,
    "祝您生活愉快": 0.5,
    "非常感谢": 0.5,
    "感谢您": 0.35,
    "谢谢您": 0.3,
    "麻烦您": 0.25,
    "请您": 0.2,
}

APOLOGY = {
    "对不起": 0.6,
    "抱歉": 0.6,
    "不好意思": 0.5,
    "给您添麻烦了": 0.7,
    "给您带来不便": 0.7,
    "深表歉意": 0.75,
    "请您谅解": 0.55,
    "请谅解": 0.5,
}

SOOTHING = {
    "理解您的心情": 0.7,
    "理解您": 0.55,
    "请您别着急": 0.65,
    "您别着急": 0.6,
    "别着急": 0.55,
    "不要着急": 0.55,
    "您先别急": 0.6,
    "别担心": 0.55,
    "不用担心": 0.55,
    "请您放心": 0.55,
    "您放心": 0.5,
    "马上为您处理": 0.5,
    "一定帮您": 0.55,
    "一定会帮您": 0.55,
}

# Phrases that contain a cue but are not one: they take part only to hide what is inside.
NEUTRAL = (
    "快点击",
    "尽快点",
    "有没有办法",
    "急什么时候",
    "是你自己的吗",
    "您听我说明",
)
