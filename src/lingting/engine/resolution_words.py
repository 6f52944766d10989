"""The resolution lexicon: what a customer says when the problem is solved, or is not.

Kept apart from `resolution.py` so the lists can grow without touching the rules. Each
list is a kind of cue; `resolution.py` decides what each kind means and which wins.
"""

from __future__ import annotations

# The customer accepts the answer.
CONFIRMED = (
    "好的",
    "好滴",
    "好哒",
    "好了",
    "嗯嗯",
    "恩恩",
    "哦哦",
    "明白了",
    "知道了",
    "懂了",
    "清楚了",
    "了解了",
    "可以了",
    "解决了",
    "收到了",
    "没问题了",
    "搞定了",
    "那我等着",
    "我等着",
    "我再等等",
    "等你们回",
    "等你回",
    "等您回",
    "等消息",
    "等你们通知",
    "等通知",
    "可以可以",
    "👌",
    "ok",
    "OK",
    "Ok",
)

# The customer thanks or closes the conversation.
THANKED = ("谢谢", "多谢", "感谢", "谢啦", "谢了", "辛苦了", "辛苦您", "辛苦你")
ENDED = (
    "拜拜",
    "再见",
    "没有了",
    "没有其他",
    "没其他",
    "没事了",
    "就这样吧",
    "没别的",
    "没有啦",
    "没有咯",
    "没有哦",
    "没有呢",
)

# Whole-turn replies that are too short or too common to match inside other words
# (钱没了 is not a goodbye; 没了 alone, answering 还有其他问题吗, is).
WHOLE_TURN_ENDED = ("没了", "没有", "没", "没事")
WHOLE_TURN_CONFIRMED = ("好", "行", "嗯", "恩", "哦", "可以", "对", "是的", "收到", "明白", "好吧")

# After an answer, the customer says it still does not work. Only "still" phrases:
# 还没到 alone is how a problem is first told, not a verdict on the answer.
STILL_BROKEN = (
    "还是不行",
    "还是不可以",
    "还是没",
    "还是不对",
    "还是一样",
    "还不行",
    "依然没",
    "仍然没",
    "还没解决",
    "没解决",
    "没有解决",
    "没用",
    "没有用",
    "不管用",
    "不对啊",
    "不对呀",
    "不对吧",
    "没帮到",
    "没帮上",
)

# The customer gives up on getting it solved: 那就算了.
GAVE_UP = ("那算了", "那就算了", "算了吧", "算了算了")

# Asking for someone above the agent: the contact did not solve it at this level.
SUPERVISOR = (
    "找你们领导",
    "找领导",
    "你们领导",
    "叫领导",
    "找你们经理",
    "你们经理",
    "找主管",
    "你们主管",
    "找上级",
)

# Asking for a human agent: usually to get past a bot, so later words can still settle it.
HANDOFF = ("转人工", "人工服务")

# A threat to take it outside: the strongest sign the customer is not satisfied.
THREAT = ("投诉", "12315", "工信部", "消协", "消费者协会", "工商局", "媒体", "曝光", "起诉", "报警")

# Complaints that leave the contact unresolved when no agent answer follows them.
COMPLAINT = (
    "不满意",
    "差评",
    "太差",
    "垃圾",
    "什么态度",
    "太慢",
    "无语",
    "坑人",
    "骗子",
    "太过分",
    "失望",
    "扯淡",
    "扯犊子",
)

# Key phrases of a question; the same one in two customer turns with an agent turn between
# is the question asked again because the answer did not settle it.
QUESTION = (
    "什么时候到",
    "什么时候能到",
    "什么时候发货",
    "什么时候送",
    "什么时候退",
    "什么时候到账",
    "多久到",
    "多久能到",
    "多久发货",
    "到哪了",
    "到哪里了",
    "怎么还没",
    "为什么还没",
    "能不能退",
    "可以退吗",
    "能退吗",
    "怎么回事",
)

# Phrases that contain a cue but mean something else; matched only to hide it.
NEUTRAL = (
    "没用过",
    "没有用过",
    "不客气",
    "不用谢",
    "好了吗",
    "好了没",
    "没了",  # the 没 of 没了再见 negates nothing
    # conditions, not verdicts: 明天要是还不行，我再联系
    "要是还不行",
    "如果还不行",
    "要是还没",
    "如果还没",
    "还不行的话",
    "的话就算了",
    "的话算了",
)

NEGATORS = ("不", "没", "没有", "不是", "并不", "不会", "别")
