"""What the demo's calls are about: each scenario's script of steps, the mix of scenarios per
queue, the order flow, and the values (`call_slots`) a call's lines are filled with."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from lingting.demo.generator.draws import choice
from lingting.demo.generator.organisation import SURNAMES, DemoAgent

COMPANY = "畅联"
HOTLINE = "4008-100-186"

# Step language for scenarios: "c:key" customer says, "a:key" agent says, "A:key" agent
# answers (a poor agent may brush the customer off first), "U:key" upset customer line then
# the agent's apology (or not), "s:" agent apologises for the inconvenience (good agents do),
# "L:key" agent looks something up (hold), "i:" identity check, "n:" agent asks the name,
# "O:" the order flow; a leading "?" makes a step (or steps joined by "+") optional.


@dataclass(frozen=True, slots=True)
class Scenario:
    key: str
    tags: tuple[str, ...]
    upset: float  # chance the customer is upset (complaints: always)
    script: str  # steps separated by spaces

    @property
    def steps(self) -> list[str]:
        return self.script.split()


SCENARIOS: dict[str, Scenario] = {
    s.key: s
    for s in (
        Scenario(
            "balance",
            ("话费查询",),
            0.03,
            "c:bal_need A:bal_answer ?c:bal_topup_ask+A:bal_topup c:bal_more",
        ),
        Scenario(
            "bill",
            ("话费咨询",),
            0.15,
            "c:bill_need s: i: L:lk_bill A:bill_explain c:bill_ask A:bill_source c:bill_refund_ask"
            " a:bill_refund ?c:ack",
        ),
        Scenario(
            "data",
            ("流量",),
            0.1,
            "c:data_need s: ?i: L:lk_data A:data_explain c:data_ask A:data_offer c:data_accept"
            " a:data_done",
        ),
        Scenario(
            "plan",
            ("5G套餐", "套餐变更"),
            0.05,
            "c:plan_need i: a:plan_needs_ask c:plan_needs_reply ?L:lk_plan A:plan_offer c:plan_ask"
            " A:plan_answer c:plan_accept a:plan_done",
        ),
        Scenario(
            "address",
            ("地址变更", "宽带移机"),
            0.05,
            "c:addr_need i: a:addr_ask c:addr_reply ?a:addr_confirm+c:yes L:lk_addr A:addr_result"
            " c:addr_ask2 A:addr_answer2",
        ),
        Scenario(
            "broadband",
            ("宽带故障",),
            0.25,
            "c:bb_need s: a:bb_light c:bb_light_reply a:bb_restart c:bb_restart_reply L:lk_bb"
            " A:bb_result c:bb_ask A:bb_answer ?c:ack",
        ),
        Scenario(
            "signal",
            ("信号差",),
            0.15,
            "c:sig_need s: a:sig_where c:sig_where_reply ?a:sig_since+c:sig_since_reply L:lk_sig"
            " A:sig_result c:sig_ask A:sig_answer",
        ),
        Scenario(
            "dispute",
            ("话费争议", "投诉"),
            1.0,
            "U:disp_need i: L:lk_disp A:bill_source U:disp_angry a:disp_fix c:disp_ask"
            " A:disp_answer c:disp_end a:disp_thanks",
        ),
        Scenario(
            "repair",
            ("维修投诉", "投诉"),
            1.0,
            "U:rep_need a:rep_ask c:rep_reply L:lk_rep A:rep_result U:rep_threat a:rep_calm",
        ),
        Scenario(
            "attitude",
            ("服务态度", "投诉"),
            1.0,
            "U:att_need a:att_detail c:att_detail_reply A:att_record c:att_end a:att_thanks",
        ),
        Scenario("order", ("产品订购",), 0.03, "O:"),
        # Not in any queue's mix: the calls of a `Surge` (SMS_OUTAGE), and the odd caller
        # before it whose phone blocks the codes.
        Scenario(
            "sms",
            ("短信验证码",),
            0.05,
            "c:sms_need a:sms_since c:sms_since_reply L:lk_sms A:sms_check ?c:ack",
        ),
        Scenario(
            "sms_outage",
            ("短信验证码", "短信故障"),
            0.35,
            "c:sms_need s: a:sms_since c:sms_since_reply ?c:sms_more L:lk_sms A:sms_result"
            " c:sms_ask A:sms_answer ?c:ack",
        ),
    )
}

# Scenario mix per queue (by position in QUEUES).
QUEUE_SCENARIOS: tuple[tuple[tuple[str, float], ...], ...] = (
    (("bill", 3.0), ("data", 2.0), ("plan", 2.0), ("balance", 1.5), ("address", 1.0)),
    (("broadband", 3.0), ("signal", 2.0), ("address", 1.0)),
    (("dispute", 3.0), ("repair", 2.0), ("attitude", 1.5)),
    (("order", 5.0), ("plan", 1.0)),
)


SURGE_DAYS = 7  # a surge's week: the last week of the demo, the one the topics page reads


@dataclass(frozen=True, slots=True)
class Surge:
    """A wave of calls about one new problem: from `start` on, day by day, `shares` of the
    answered calls to the queues at `queues` (positions in QUEUES) are about `scenario`;
    before it, `background` of them are about `usual` (the same subject's everyday calls)."""

    scenario: str
    usual: str
    start: date
    shares: tuple[float, ...]
    background: float
    queues: frozenset[int]

    def share(self, day: date) -> tuple[str, float]:
        """The scenario of the day's calls about the subject, and their share."""
        offset = (day - self.start).days
        if 0 <= offset < len(self.shares):
            return self.scenario, self.shares[offset]
        return self.usual, self.background


def sms_outage(last_day: date) -> Surge:
    """The week ending `last_day`: the night before it, an upgrade of the SMS platform left
    many customers without text messages, verification codes above all. Calls to the
    service and fault queues about it rise from a few to nearly a third in four days (the
    usual share is under 2 in 100: a phone that blocks them) and are still many at the end
    of the week, when the fix is not in yet."""
    return Surge(
        scenario="sms_outage",
        usual="sms",
        start=last_day - timedelta(days=SURGE_DAYS - 1),
        shares=(0.05, 0.12, 0.2, 0.28, 0.32, 0.3, 0.26),
        background=0.015,
        queues=frozenset({0, 1}),
    )


# The order flow after the opening (seed 002 §六 steps 3–9); steps 10–11 are the closing.
ORDER_FLOW: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("want", ("c:ord_want",)),
    ("identity", ("n:", "c:my_surname", "a:ord_phone", "c:my_phone", "a:ord_addr", "c:my_addr")),
    ("selling", ("a:ord_sell", "?c:ord_sell_reply", "?c:ord_question+A:ord_warranty")),
    ("needs", ("a:ord_needs", "c:ord_needs_reply")),
    ("picture", ("a:ord_picture", "c:ord_choice")),
    ("confirm", ("a:ord_confirm", "c:ord_confirm_reply")),
    ("upsell", ("a:ord_upsell", "c:ord_upsell_reply")),
)
ORDER_OPTIONAL = ("selling", "needs", "picture", "confirm", "upsell")

PRODUCTS: tuple[dict[str, str], ...] = (
    {
        "product": "畅联5G手机X20",
        "tag": "5G手机",
        "price": "1999元",
        "selling": "采用最新的5G芯片，电池五千毫安，拍照有一亿像素",
        "need": "主要是给我爸用的，他的手机太旧了。",
        "analogy": "它就像随身带了一个相机，出去旅游不用再背单反",
        "compare": "您现在用的4G手机",
        "advantage": "网速快了将近十倍，看视频基本不用缓冲",
        "choice_a": "黑色",
        "choice_b": "白色",
        "addon": "一个原装快充充电器",
        "addon_price": "29",
    },
    {
        "product": "千兆宽带",
        "tag": "宽带新装",
        "price": "一年1200元",
        "selling": "是千兆光纤入户，还送一台WiFi6路由器",
        "need": "家里人多，孩子上网课，现在的网老卡。",
        "analogy": "就好比把家门口的小路换成了八车道的高速公路",
        "compare": "普通的百兆宽带",
        "advantage": "家里好几台设备一起用也不会卡",
        "choice_a": "一年期",
        "choice_b": "两年期",
        "addon": "一个智能摄像头",
        "addon_price": "99",
    },
    {
        "product": "智能摄像头",
        "tag": "智能家居",
        "price": "199元",
        "selling": "支持360度旋转和夜视，手机上随时能看家里的情况",
        "need": "家里有老人，想上班的时候能看看家里。",
        "analogy": "就像在家里多了一个看家的帮手",
        "compare": "普通的监控",
        "advantage": "有人移动会自动推送提醒到您手机上",
        "choice_a": "标准版",
        "choice_b": "云存储版",
        "addon": "一年云存储服务",
        "addon_price": "60",
    },
    {
        "product": "5G随身WiFi",
        "tag": "随身WiFi",
        "price": "399元",
        "selling": "插卡即用，可以同时连十台设备，续航十二个小时",
        "need": "我经常出差，酒店的网不好用。",
        "analogy": "就好比随身带着一个小基站",
        "compare": "手机开热点",
        "advantage": "不费手机电，信号也更稳定",
        "choice_a": "月包",
        "choice_b": "年包",
        "addon": "一个车载充电器",
        "addon_price": "19",
    },
    {
        "product": "5G家庭融合套餐",
        "tag": "5G套餐",
        "price": "每月129元",
        "selling": "一个套餐包含三张手机卡和千兆宽带",
        "need": "我们家三口人，现在每个人单独交话费挺贵的。",
        "analogy": "就像把全家的话费装进一个钱包里",
        "compare": "分开办三个套餐",
        "advantage": "每个月能省一百多块钱",
        "choice_a": "两张副卡",
        "choice_b": "三张副卡",
        "addon": "IPTV电视",
        "addon_price": "10",
    },
)

PLANS = (
    ("5G畅享129元套餐", 129),
    ("39元大流量卡", 39),
    ("59元5G融合套餐", 59),
    ("99元家庭融合套餐", 99),
    ("19元保号套餐", 19),
    ("169元5G尊享套餐", 169),
)
SERVICES = ("视频会员包", "彩铃业务", "10元流量加油包", "游戏点券", "国际漫游包", "短信提醒服务")
DISTRICTS = ("朝阳区", "海淀区", "西城区", "浦东新区", "天河区", "武侯区", "江汉区", "鼓楼区")
ROADS = ("建国路", "人民路", "解放大道", "中山路", "长江路", "和平街", "新华路", "学院路")
HALLS = ("人民路", "万达广场", "火车站", "解放大道", "体育中心")
APPOINTS = ("明天上午九点到十二点", "明天下午两点到五点", "后天上午", "今天下午")
APPOINTS_PAST = ("昨天下午", "今天上午", "前天")
WHENS = ("昨天晚上", "今天早上", "前天", "中午")
ETAS = ("今天下午六点前", "明天中午之前", "两个小时内", "今晚十点前")
PROMISES = ("24小时", "48小时", "两个工作日")
DAYS_PHRASES = ("两天", "三天", "一个星期")


def call_slots(rng: random.Random, agent: DemoAgent, customer: int, day: date) -> dict[str, str]:
    surname = SURNAMES[customer % len(SURNAMES)]
    title = "先生" if (customer // len(SURNAMES)) % 2 else "女士"
    plan, fee = choice(rng, PLANS)
    new_plan, new_fee = choice(rng, PLANS)
    product = choice(rng, PRODUCTS)
    prev_month = 12 if day.month == 1 else day.month - 1
    data_gb = choice(rng, (10, 20, 30, 40, 60, 100))
    slots = {
        "company": COMPANY,
        "hotline": HOTLINE,
        "agent_no": agent.id[1:],
        "surname": surname,
        "name": surname + title,
        "phone": f"1{3 + customer % 7}{customer * 7919 % 10**9:09d}",
        "id4": f"{customer * 31 % 1000:03d}{'0123456789X'[customer % 11]}",
        "district": DISTRICTS[customer % len(DISTRICTS)],
        "address": _address(customer),
        "month": choice(rng, ("上个月", "这个月", f"{prev_month}月份")),
        "next_month": f"{day.month % 12 + 1}月",
        "amount": f"{rng.uniform(120, 480):.2f}",
        "usual": str(fee + rng.randint(0, 20)),
        "plan": plan,
        "plan_fee": str(fee),
        "new_plan": new_plan,
        "new_fee": str(new_fee),
        "data_gb": str(data_gb),
        "used_gb": str(data_gb + rng.randint(-5, 15)),
        "minutes": str(choice(rng, (300, 500, 1000))),
        "service": choice(rng, SERVICES),
        "extra": str(choice(rng, (10, 15, 20, 30, 45, 68, 99))),
        "sub_date": f"{prev_month}月{rng.randint(1, 28)}号",
        "balance": f"{rng.uniform(-20, 260):.2f}",
        "spent": f"{rng.uniform(5, 150):.2f}",
        "pack_price": str(choice(rng, (10, 20, 30))),
        "pack_gb": str(choice(rng, (3, 5, 10, 20))),
        "day": str(rng.randint(5, 25)),
        "fee": str(choice(rng, (0, 50, 100))),
        "appoint": choice(rng, APPOINTS),
        "appoint_past": choice(rng, APPOINTS_PAST),
        "when": choice(rng, WHENS),
        "eta": choice(rng, ETAS),
        "promise": choice(rng, PROMISES),
        "days": choice(rng, DAYS_PHRASES),
        "hall": choice(rng, HALLS),
        "ticket": f"GD{day:%Y%m%d}{rng.randint(1000, 9999)}",
        "lookup": "",
    }
    slots.update(product)
    slots["choice"] = choice(rng, (product["choice_a"], product["choice_b"]))
    return slots


def _address(customer: int) -> str:
    district = DISTRICTS[customer % len(DISTRICTS)]
    road = ROADS[customer // 7 % len(ROADS)]
    return (
        f"{district}{road}{customer % 200 + 1}号{customer % 12 + 1}栋"
        f"{customer % 28 + 1}0{customer % 4 + 1}室"
    )
