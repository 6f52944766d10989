"""A small hand-written knowledge base and confirmed pairs for the FAQ matcher's tests."""

from __future__ import annotations

from lingting.engine.faq import FaqEntry, Pair

ENTRIES = [
    FaqEntry("repay", "花呗怎么还款", "在支付宝“我的-花呗”里点“还款”。", ("花呗如何还钱",)),
    FaqEntry("limit", "借呗额度怎么提升", "按时还款、多用支付宝,额度会逐步提升。"),
    FaqEntry("phone", "如何修改绑定的手机号码", "在“设置-账号与安全-手机号”里更换。"),
    FaqEntry("refund", "退款多久能到账", "原路退回,一般1到7个工作日到账。"),
    FaqEntry("broadband", "宽带坏了怎么报修", "拨打客服热线或在营业厅APP里报修。"),
    FaqEntry("bill", "怎么查询本月话费", "发送短信CXHF到10001查询。"),
    FaqEntry("plan", "5G套餐怎么办理", "在营业厅APP“套餐办理”里选择5G套餐。"),
    FaqEntry("overdue", "花呗逾期了会怎么样", "逾期会产生罚息并影响信用记录。"),
]

# Confirmed pairs as a center would export them: (question, other wording, same intent).
_SAME = [
    ("花呗怎么还款", ["怎么还花呗的钱", "花呗还款在哪里", "我要还花呗", "花呗在哪还钱"]),
    ("借呗额度怎么提升", ["借呗怎么提额", "怎样提高借呗额度", "借呗额度太低了能提吗"]),
    ("如何修改绑定的手机号码", ["换手机号了怎么改", "手机号码换了怎么修改", "怎么更换绑定手机"]),
    ("退款多久能到账", ["退款什么时候到", "钱退了几天到账", "退的钱多久能收到"]),
    ("宽带坏了怎么报修", ["宽带上不了网找谁修", "家里宽带断了怎么报修", "网络坏了报修"]),
    ("怎么查询本月话费", ["这个月话费多少怎么查", "查一下话费", "本月花了多少话费"]),
    ("5G套餐怎么办理", ["我想办5G套餐", "怎么开通5G套餐", "5G套餐在哪办"]),
    ("花呗逾期了会怎么样", ["花呗晚还几天有什么后果", "花呗逾期有影响吗", "花呗没按时还会怎样"]),
]


def training_pairs() -> list[Pair]:
    pairs = [Pair(question, other, True) for question, others in _SAME for other in others]
    questions = [question for question, _ in _SAME]
    for n, (_question, others) in enumerate(_SAME):
        wrong = questions[(n + 1) % len(questions)]
        pairs.extend(Pair(wrong, other, False) for other in others[:2])
    return pairs
