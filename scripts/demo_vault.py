"""Write the demo's knowledge vault, src/lingting/demo/vault/*.yaml, from the tables below.

The vault answers for the demo's two centres: 畅联's telecom hotline (queues ACD-01…04 of
`demo.generator.organisation`, scenarios and products of `demo.generator.scenarios`) and
the 95598 power line (`demo.generator.hotline`, the work-order types of
`workorders.seeds`). One catalogue (PLANS, BROADBAND, DEVICES and the tariffs beside them)
feeds every article that names a price, so an amount reads the same wherever it appears.

Each YAML file is a list of import records (`lingting.engine.knowledge.article_record`);
a record resting on a seed has a comment naming the seed file above it. Codes are numbered
in table order per prefix: add an article at the end of the last table of its prefix, so
the codes already imported stay with their articles.

    .venv/bin/python scripts/demo_vault.py
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

VAULT = Path(__file__).resolve().parent.parent / "src" / "lingting" / "demo" / "vault"
SEED_004 = "seed 004_2e6e1fc8a5fa7dff.txt"
SCRIPTS_SEED = f"{SEED_004} 篇5 客服参考服务用语"
TIBETAN_SEED = f"{SEED_004} 藏语话务受理（95598藏语服务）"
DEMANDS_SEED = f"{SEED_004} 藏区客户主要诉求（95598）"
WORKORDER_SEED = f"{SEED_004} 95598工单类型（workorders.seeds）"
SEED_002 = "seed 002_f4942d10a60ebc33.txt"

COMPANY = "畅联"
HOTLINE = "4008-100-186"
SMS_NUMBER = "10001"
APP = "畅联营业厅APP"

# Queues (demo.generator.organisation.QUEUES, demo.generator.hotline.LINE_QUEUES).
BILLING, FAULTS, COMPLAINTS, ORDERS = "ACD-01", "ACD-02", "ACD-03", "ACD-04"
POWER, AMDO, KHAM = "95598", "95598-AD", "95598-KB"
POWER_LINE = (POWER, AMDO, KHAM)


@dataclass(frozen=True)
class Article:
    record: dict[str, Any]
    source: str = ""  # the seed the article rests on, written as a comment above it


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split("|") if part.strip()]


def answer(
    category: str,
    tags: str,
    queues: str,
    question: str,
    alternates: str,
    body: str,
    *,
    products: str = "",
    title: str = "",
    source: str = "",
) -> Article:
    """A standard answer; `alternates`, `tags`, `queues`, `products` are "|"-separated."""
    return Article(
        _record(
            "answer",
            title or question.rstrip("？?"),
            body,
            category,
            tags,
            queues,
            products,
            question=question,
            alternates=_split(alternates),
        ),
        source,
    )


def policy(
    category: str,
    tags: str,
    queues: str,
    title: str,
    body: str,
    *,
    products: str = "",
    effective_from: date | None = None,
    expires_on: date | None = None,
    source: str = "",
) -> Article:
    record = _record("policy", title, body, category, tags, queues, products)
    if effective_from:
        record["effective_from"] = effective_from
    if expires_on:
        record["expires_on"] = expires_on
    return Article(record, source)


def case(
    category: str, tags: str, queues: str, title: str, body: str, *, source: str = ""
) -> Article:
    return Article(_record("case", title, body, category, tags, queues, ""), source)


@dataclass(frozen=True)
class Step:
    name: str
    say: str
    words: str = ""
    avoid: str = ""

    def record(self) -> dict[str, Any]:
        step: dict[str, Any] = {"name": self.name, "say": self.say}
        if self.words:
            step["words"] = _split(self.words)
        if self.avoid:
            step["avoid"] = _split(self.avoid)
        return step


def script(
    category: str,
    tags: str,
    queues: str,
    title: str,
    body: str,
    steps: list[Step],
    *,
    source: str = "",
) -> Article:
    record = _record("script", title, body, category, tags, queues, "")
    record["steps"] = [step.record() for step in steps]
    return Article(record, source)


def _record(
    kind: str,
    title: str,
    body: str,
    category: str,
    tags: str,
    queues: str,
    products: str,
    **extra: Any,
) -> dict[str, Any]:
    record: dict[str, Any] = {"kind": kind, "title": title, **extra}
    if body:
        record["body"] = body
    record["category"] = category
    for name, value in (("products", products), ("tags", tags), ("queues", queues)):
        if value:
            record[name] = _split(value)
    return record


# --- 畅联's catalogue ------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    name: str
    fee: int
    data_gb: int
    minutes: int
    who: str  # who it suits
    extras: str = ""  # what else it includes
    broadband: str = ""  # the broadband speed it includes
    shared_cards: int = 0  # 副卡 included, sharing the data and minutes
    contract_months: int = 0
    five_g: bool = True
    tags: tuple[str, ...] = field(default=("5G套餐",))


PLANS = (
    Plan("19元保号套餐", 19, 1, 50, "只接电话、主要想保留号码的用户", five_g=False, tags=("保号",)),
    Plan(
        "39元大流量卡",
        39,
        30,
        100,
        "刷视频多、电话少的年轻用户",
        extras="另含30GB定向流量（抖音、微信、腾讯视频等常用App）",
        five_g=False,
        tags=("流量",),
    ),
    Plan("59元5G融合套餐", 59, 40, 300, "一个人住、家里要装宽带的用户", broadband="100M"),
    Plan(
        "99元家庭融合套餐",
        99,
        60,
        500,
        "两口之家",
        broadband="300M",
        shared_cards=1,
        tags=("5G套餐", "家庭融合"),
    ),
    Plan("5G畅享129元套餐", 129, 100, 800, "流量用得多、经常出差的用户", contract_months=12),
    Plan(
        "5G家庭融合套餐",
        129,
        100,
        1000,
        "三口之家",
        broadband="1000M",
        shared_cards=2,
        extras="第三张副卡每月加10元",
        contract_months=12,
        tags=("5G套餐", "家庭融合"),
    ),
    Plan(
        "169元5G尊享套餐",
        169,
        150,
        1500,
        "商务用户和流量大户",
        extras="每月送一个视频会员（腾讯视频、爱奇艺、优酷三选一）、国际漫游日包每月3天免费",
        broadband="1000M",
        contract_months=24,
    ),
)
PLAN_NAMES = "|".join(plan.name for plan in PLANS)

OVER_DATA = "套外流量每GB 5元，不足1GB按1GB收"
OVER_VOICE = "套外国内通话每分钟0.15元"
SMS_PRICE = "国内短信每条0.1元"
EXTRA_CARD = 10  # 副卡, yuan a month
PACKS = ((10, 3), (20, 8), (30, 15))  # 流量加油包: yuan, GB, valid in the month bought
DAY_PACK = (5, 1)  # 日包: yuan, GB, valid that day
SUSPEND_FEE = 5  # 停机保号, yuan a month
SUSPEND_MONTHS = 12
LOW_BALANCE = 10  # yuan: the reminder's threshold
PORT_DAYS = 120  # 携号转网: days on the network first
POINTS = "每消费1元积1分，100积分可抵1元话费"
REFUND_DAYS = "3到5个工作日"
MOVE_FEE = 50  # 宽带移机, after the free first one
MOVE_FEE_NEW_LINE = 100  # where the new address needs a new line


@dataclass(frozen=True)
class Broadband:
    speed: str
    year_fee: int
    two_year_fee: int
    router: str


BROADBAND = (
    Broadband("100M", 480, 900, "光猫免费借用"),
    Broadband("300M", 720, 1380, "光猫免费借用，另送一台双频路由器"),
    Broadband("1000M", 1200, 2200, "光猫免费借用，另送一台WiFi6路由器"),
)
GIGABIT = "千兆宽带"


@dataclass(frozen=True)
class Device:
    name: str
    price: str
    what: str
    options: str
    tags: str


DEVICES = (
    Device(
        "畅联5G手机X20",
        "1999元",
        "5G芯片、5000毫安电池、一亿像素主摄",
        "黑色、白色两种颜色，8GB+256GB一个版本",
        "5G手机",
    ),
    Device(
        "智能摄像头",
        "199元",
        "360度旋转、红外夜视、有人移动时推送提醒到手机",
        "标准版199元；云存储版加60元，含一年云存储（录像保存30天）",
        "智能家居",
    ),
    Device(
        "5G随身WiFi",
        "399元",
        "插卡即用，最多同时连10台设备，续航12小时",
        "流量可选月包（每月49元60GB）或年包（每年499元，每月60GB）",
        "随身WiFi",
    ),
)


# --- 畅联: standard answers ---------------------------------------------------------------


def telecom_answers() -> list[Article]:
    hall_hours = "营业厅营业时间为每天9:00至18:00"
    return [
        answer(
            "话费/查询",
            "话费查询",
            BILLING,
            "怎么查话费余额？",
            "我话费还剩多少|帮我查一下余额|手机里还有多少钱|查下我还有多少话费",
            f"可以自己查：发送短信CXYE到{SMS_NUMBER}，回复里有当前余额和本月已产生的费用；"
            f"也可以打开{APP}，首页就显示余额；或拨打{HOTLINE}按1听语音播报。"
            "余额是实时的，本月费用在月底出账后才是最终金额。",
        ),
        answer(
            "话费/充值",
            "话费查询|充值",
            BILLING,
            "怎么充话费？",
            "在哪里交话费|话费怎么充比较方便|能不能用微信充话费|充值多久到账",
            f"{APP}、畅联微信公众号、支付宝和各营业厅都能充值，线上充值实时到账，"
            "到账后会收到短信。充值卡充值拨打10001按提示输入卡密。"
            f"{hall_hours}。",
        ),
        answer(
            "话费/充值",
            "充值",
            BILLING,
            "充了话费没到账怎么办？",
            "充值了余额没变|话费充了没到|钱扣了话费没到账|充错号码了怎么办",
            "线上充值一般1分钟内到账。超过30分钟没到账，请提供付款截图和充值时间，"
            "我们登记核查，确认未到账的一般在24小时内补到账或原路退款。"
            "充错了号码：号码有人使用的无法直接退回，可以提供付款凭证申请协调，请不要再次充值。",
        ),
        answer(
            "话费/账单",
            "话费咨询|账单",
            BILLING,
            "每个月的账单什么时候出？",
            "什么时候出账|账单几号出|月结话费什么时候能看|话费账单在哪看",
            f"每月1日出上个月的账单，3日前会发短信告知上月费用。账单和近6个月的详单可以在"
            f"{APP}“我的—账单”里查看，也可以发送短信ZD到{SMS_NUMBER}获取账单。",
        ),
        answer(
            "话费/账单",
            "话费咨询|账单",
            BILLING,
            "话费比平时高很多是怎么回事？",
            "这个月话费怎么这么多|话费突然高了|多扣了好多钱|我话费怎么变贵了|话费为什么比上个月多",
            "先按时间核对账单：常见原因是①订了增值业务（视频会员包、彩铃、短信提醒等）；"
            f"②流量或通话超出套餐（{OVER_DATA}，{OVER_VOICE}）；③国际漫游费用；"
            "④套餐变更当月按新旧套餐分段计费。核实身份后可以调出账单明细逐项说明，"
            f"不是本人订购的增值业务可以当场退订并申请退费，{REFUND_DAYS}退回话费账户。",
        ),
        answer(
            "话费/账单",
            "话费咨询|详单",
            BILLING,
            "怎么查通话详单？",
            "查通话记录|我要打印详单|上网详单在哪里看|流量明细怎么查",
            f"{APP}“我的—账单—详单”可查近6个月的通话、短信和上网详单，需短信验证码验证。"
            "超过6个月或需要盖章的纸质详单，请本人带身份证到营业厅打印。",
        ),
        answer(
            "话费/增值业务",
            "话费咨询|增值业务|退订",
            BILLING,
            "怎么查我开了哪些业务并退订？",
            "我订了什么业务|怎么退订增值业务|乱七八糟的业务怎么取消|查一下有没有扣费的业务",
            f"发送短信0000到{SMS_NUMBER}，会回复您已订购的全部增值业务，按回复提示的序号即可退订；"
            f"也可以在{APP}“我的—已订业务”里查看和退订。退订当月仍按月收费的业务不再续费，"
            f"下月起停止扣费；非本人订购的可以申请退费，{REFUND_DAYS}退回话费账户。",
        ),
        answer(
            "话费/增值业务",
            "增值业务|投诉",
            BILLING + "|" + COMPLAINTS,
            "我没订过的业务为什么扣费？",
            "莫名其妙多了个业务|我没开通过这个东西|谁给我开的会员|没同意就给我开通了",
            "先核实开通记录：系统会显示开通时间和渠道（短信回复、App、营业厅）。"
            "确认不是本人意愿订购的，当场退订，并为已扣费用提交退费申请，"
            f"{REFUND_DAYS}退回话费账户并短信通知；同时可免费开通“增值业务防护”，"
            "以后通过短信等方式的订购都会被拦截。",
        ),
        answer(
            "话费/增值业务",
            "增值业务",
            BILLING,
            "增值业务防护是什么？",
            "怎么防止乱订业务|能不能关掉短信订购|开个防扣费的功能|业务防护怎么开",
            "增值业务防护是免费功能，开通后第三方增值业务只能由本人在营业厅或"
            f"{APP}确认订购，短信回复等渠道的订购会被拦截。拨打{HOTLINE}或在App里即可开通，立即生效。",
        ),
        answer(
            "话费/增值业务",
            "增值业务|彩铃",
            BILLING,
            "彩铃怎么开通和取消？",
            "彩铃每月多少钱|取消彩铃|我不要彩铃了|怎么换彩铃",
            f"彩铃业务每月5元，在{APP}“彩铃”里开通、换铃音或取消；取消后次月起不再收费。"
            "部分套餐含免费彩铃，以账单为准。",
        ),
        answer(
            "话费/增值业务",
            "增值业务",
            BILLING,
            "视频会员包多少钱？",
            "视频会员怎么收费|视频包是什么|开视频会员|视频会员包怎么取消",
            "视频会员包每月15元，含一个视频平台的月度会员，按月自动续费，可随时退订，"
            "退订后当月仍可使用、次月起不再收费。169元5G尊享套餐每月已含一个视频会员，不必另订。",
        ),
        answer(
            "话费/增值业务",
            "增值业务",
            BILLING,
            "短信提醒服务是什么，怎么取消？",
            "每月扣3块钱的短信提醒|短信提醒服务取消|为什么有个短信提醒收费",
            "短信提醒服务每月3元，按月推送余额、账单、积分等提醒。余额不足、停机等重要提醒"
            f"不订这个服务也会免费发送。取消：发送0000到{SMS_NUMBER}按提示退订。",
        ),
        answer(
            "话费/退费",
            "退费",
            BILLING,
            "退费多久能到账？",
            "钱什么时候退回来|退款到哪里|退费进度怎么查|说好的退费怎么还没到",
            f"退费审核通过后{REFUND_DAYS}退回话费账户，到账会有短信通知；"
            "销户退余额的，退到本人银行卡，约7个工作日。超过时限没到，请提供退费申请的时间，我们为您催办。",
        ),
        answer(
            "话费/停复机",
            "停机|复机",
            BILLING,
            "欠费停机了怎么恢复？",
            "手机停机了怎么办|交了钱怎么还是停机|充值后多久复机|欠费了打不出去",
            f"余额低于{LOW_BALANCE}元会短信提醒；余额低于0元先单向停机（能接听，不能拨打和上网），"
            "欠费满30天双向停机。充值补足欠费后系统自动复机，一般30分钟内恢复；"
            "超过30分钟还没恢复，请重启手机，仍不行可来电为您手工复机。",
        ),
        answer(
            "话费/停复机",
            "停机|保号",
            BILLING,
            "出国一段时间不用号码，怎么办停机保号？",
            "号码暂时不用怎么保留|停机保号多少钱|要出国半年号码怎么办|暂停号码",
            f"可以办理停机保号，每月{SUSPEND_FEE}元，最长{SUSPEND_MONTHS}个月，期间号码保留，"
            "不能打电话、上网和收短信。本人带身份证到营业厅或在App办理，"
            "需结清欠费；回来后在App或营业厅申请复机，立即恢复原套餐。"
            "也可以改成19元保号套餐，能正常接电话。",
        ),
        answer(
            "话费/停复机",
            "挂失|补卡",
            BILLING,
            "手机丢了怎么挂失？",
            "手机被偷了|卡丢了怎么办|挂失号码|怎么补办手机卡",
            f"请马上挂失：拨打{HOTLINE}，核实身份后立即停机，挂失免费。"
            "之后本人带身份证到任一营业厅补卡，补卡免费，原号码和套餐不变；"
            "补卡后旧卡失效。也可在App“挂失/解挂”中自助挂失。",
        ),
        answer(
            "号码/携号转网",
            "携号转网",
            BILLING,
            "怎么办理携号转网？",
            "我想转到别的运营商|号码不变换运营商|携转怎么办|携号转网要什么条件",
            f"条件：号码实名是本人、在网满{PORT_DAYS}天、无欠费、不在合约期内（或已解约）、"
            f"号码状态正常。发送SQXZ#姓名#身份证号到{SMS_NUMBER}获取授权码（有效期48小时），"
            "再带身份证和授权码到要转入的运营商办理。转出前请把余额用完或申请退还，积分转出后清零。",
        ),
        answer(
            "号码/携号转网",
            "携号转网",
            BILLING,
            "为什么我不能携号转网？",
            "携号转网被拒绝了|授权码发不下来|说我不符合携转条件",
            "常见原因：在网不满120天；有欠费；在合约期内（如合约购机、5G畅享129元套餐的12个月合约）；"
            "号码是单位实名；有未结清的分期。回复的短信会写明原因，"
            "处理后再发一次申请即可。合约期内可以在营业厅申请解约，按剩余月份收违约金。",
        ),
        answer(
            "号码/携号转网",
            "携号转网",
            BILLING + "|" + ORDERS,
            "别的运营商的号码能转到畅联吗？",
            "携号转入畅联|我想把号转过来|转到你们家要怎么办",
            "可以。先在原运营商获取携号转网授权码，再带身份证到畅联营业厅办理转入，"
            "选好畅联的套餐，当场换卡，一般2小时内完成切换，期间可能短暂无信号。",
        ),
        answer(
            "话费/发票",
            "发票",
            BILLING,
            "话费发票怎么开？",
            "我要开发票|电子发票在哪里|怎么开话费票|报销要发票",
            f"在{APP}“我的—发票”开电子发票：月结发票每月5日后可开上个月的，充值发票充值后即可开。"
            "同一笔费用只能开一种（开了充值发票，月结发票里就不再含这部分），以免重复开票。"
            "发票抬头可以填个人或单位，单位需填税号。",
        ),
        answer(
            "话费/发票",
            "发票",
            BILLING,
            "发票开错了能重开吗？",
            "发票抬头写错了|税号填错了|发票作废重开|开错票了",
            "电子发票开错的，可以在App“我的—发票—已开发票”里申请红冲，红冲后重新开具，"
            "一般当天完成。已经报销入账的发票请先和单位财务确认再红冲。",
        ),
        answer(
            "话费/发票",
            "发票",
            BILLING,
            "单位要增值税专用发票怎么办？",
            "能开专票吗|公司报销要专票|专用发票怎么开",
            "专用发票需以单位名义实名的号码办理：带营业执照复印件、开户行和账号信息到营业厅申请，"
            "开通后每月可在营业厅领取或邮寄。个人实名的号码只能开普通发票。",
        ),
        answer(
            "积分/兑换",
            "积分",
            BILLING,
            "积分怎么查，能换什么？",
            "我有多少积分|积分怎么用|积分兑换话费|积分有什么用",
            f"{POINTS}。在{APP}“我的—积分”查询和兑换，可换话费、流量包或积分商城的礼品。"
            "当年获得的积分在次年12月31日清零。",
        ),
        answer(
            "积分/兑换",
            "积分",
            BILLING,
            "积分快过期了怎么办？",
            "积分清零了吗|积分什么时候过期|积分能不能延期",
            "积分不能延期：当年获得的积分次年12月31日清零，清零前一个月会短信提醒。"
            "快到期的积分可以先换话费，100积分抵1元，兑换后立即到账。",
        ),
        answer(
            "流量/查询",
            "流量",
            BILLING,
            "怎么查流量还剩多少？",
            "我流量还有多少|查下剩余流量|流量用了多少|这个月流量还够不够",
            f"发送短信CXLL到{SMS_NUMBER}，或打开{APP}首页查看，通用流量、定向流量分开显示。"
            "剩余流量到20%、10%和用完时都会短信提醒。",
        ),
        answer(
            "流量/超出",
            "流量",
            BILLING,
            "流量超了怎么收费？",
            "套外流量多少钱|流量用超了怎么算|超出的流量怎么扣费|超流量会不会扣很多钱",
            f"{OVER_DATA}，当月套外流量费最高收到300元，达到后限速不再收费。"
            "经常超出的，加一个加油包或升级套餐更划算。",
        ),
        answer(
            "流量/加油包",
            "流量|加油包",
            BILLING + "|" + ORDERS,
            "流量不够用了怎么办？",
            "有没有流量包|加点流量|买流量包|流量用完了还有几天怎么办",
            "可以订流量加油包："
            + "；".join(f"{price}元{gb}GB" for price, gb in PACKS)
            + "，订购后立即生效，当月有效，月底没用完的不结转；"
            f"只用一天的可以订日包，{DAY_PACK[0]}元{DAY_PACK[1]}GB当天有效。"
            "每个月都不够的，建议换成流量更多的套餐。",
        ),
        answer(
            "流量/加油包",
            "流量|加油包",
            BILLING,
            "流量加油包能退吗？",
            "加油包订错了|流量包退订|买了流量包不想要了",
            "加油包订购后立即生效，已经开始使用的不能退；订购后24小时内一点没用的，可以来电申请退订退费。"
            "加油包只在当月有效，不会自动续订。",
        ),
        answer(
            "流量/异常",
            "流量",
            BILLING,
            "流量用得特别快正常吗？",
            "流量跑得太快了|没怎么用流量就没了|流量偷跑|后台偷流量",
            "常见原因是视频、直播、系统和App自动更新、相册云同步。请在手机设置里查看各App的流量用量，"
            "关掉不需要的后台更新和云同步；核实身份后我们可以调出上网详单按时间段核对，"
            "确有计费错误的退还。",
        ),
        answer(
            "流量/定向",
            "流量",
            BILLING,
            "定向流量是什么，哪些App能用？",
            "定向流量怎么用|为什么定向流量没扣|定向流量和通用流量区别",
            "定向流量只在指定App里用：39元大流量卡的30GB定向流量可用于抖音、微信、腾讯视频等常用App，"
            "清单在App“套餐详情”里。用App里的外链、小程序或开热点时走的是通用流量。",
        ),
        answer(
            "流量/热点",
            "流量",
            BILLING,
            "手机开热点用的是哪个流量？",
            "开热点扣什么流量|热点算不算套餐流量|给电脑开热点",
            "开热点用的是套餐内的通用流量，定向流量不能用于热点。笔记本等设备更新系统很费流量，开热点时请留意。",
        ),
        answer(
            "套餐/变更",
            "5G套餐|套餐变更",
            BILLING + "|" + ORDERS,
            "怎么换套餐？",
            "我想换个便宜点的套餐|改套餐|换5G套餐|套餐能不能换",
            f"在{APP}“套餐变更”或来电都可以办理。变更次月1日生效，当月仍按原套餐；"
            "没有合约的可以随时变更，没有违约金。合约期内只能换更高的套餐，合约到期后才能换低的。",
        ),
        answer(
            "套餐/变更",
            "套餐变更",
            BILLING,
            "换套餐当月就能生效吗？",
            "套餐变更什么时候生效|能不能马上换|换了套餐什么时候开始算",
            "套餐变更统一次月1日生效，避免当月分段计费造成流量和分钟数不好算。"
            "当月急需流量的，可以先订一个加油包。",
        ),
        answer(
            "套餐/合约",
            "套餐变更|合约",
            BILLING,
            "合约期内能不能降套餐？",
            "合约没到期能换便宜的吗|有合约能改套餐吗|违约金多少",
            "合约期内可以升档，不能降档。确需提前解约的，在营业厅办理，违约金按剩余月份计算"
            "（合约购机按剩余月份的购机优惠折算）。合约到期前一个月会短信提醒。",
        ),
        answer(
            "套餐/副卡",
            "副卡|家庭融合",
            BILLING + "|" + ORDERS,
            "怎么给家人办副卡？",
            "加一张副卡|副卡多少钱|副卡怎么收费|给孩子办一张副卡",
            f"融合套餐可以加副卡，副卡每张每月{EXTRA_CARD}元，和主卡共享流量和通话分钟数。"
            "99元家庭融合套餐含1张、5G家庭融合套餐含2张副卡；主卡本人带身份证和副卡使用人证件到营业厅办理。",
        ),
        answer(
            "套餐/推荐",
            "5G套餐",
            BILLING + "|" + ORDERS,
            "有什么划算的套餐推荐？",
            "现在有什么优惠套餐|推荐个套餐|哪个套餐最便宜|5G套餐有哪些",
            "按用量推荐：流量用得少的选19元保号套餐或39元大流量卡；一个人要装宽带选59元5G融合套餐；"
            "两口之家选99元家庭融合套餐；三口之家选5G家庭融合套餐（每月129元，含千兆宽带和两张副卡）；"
            "流量大户选5G畅享129元套餐或169元5G尊享套餐。先问清每月流量和通话用量再推荐。",
            products=PLAN_NAMES,
        ),
        answer(
            "套餐/5G",
            "5G套餐",
            BILLING,
            "没有5G手机能办5G套餐吗？",
            "4G手机能用5G套餐吗|5G套餐要换手机吗|我手机不是5G的",
            "可以办，4G手机用5G套餐时按4G网速上网，套餐内的流量和通话都能正常用，换了5G手机后自动享受5G网速。",
        ),
        answer(
            "套餐/5G",
            "5G套餐|信号差",
            FAULTS,
            "为什么我的5G手机不显示5G？",
            "5G信号不显示|办了5G套餐还是4G|手机上没有5G标志",
            "请检查：①手机设置里“5G网络”开关是否打开；②所在位置是否有5G覆盖（覆盖地图在App“网络覆盖”里）；"
            "③是否是5G套餐（19元保号套餐和39元大流量卡只有4G网速）。都没问题仍不显示的，可登记网络优化工单。",
        ),
        answer(
            "宽带/办理",
            "宽带新装",
            ORDERS,
            "怎么办宽带？",
            "装宽带多少钱|我想装个宽带|宽带怎么收费|新装宽带要多久",
            "单宽带："
            + "；".join(
                f"{bb.speed}一年{bb.year_fee}元、两年{bb.two_year_fee}元" for bb in BROADBAND
            )
            + "，免初装费，"
            "光猫免费借用。也可以办含宽带的融合套餐，更划算。有资源的地址受理后48小时内上门安装。",
            products=GIGABIT,
        ),
        answer(
            "宽带/办理",
            "宽带新装",
            ORDERS,
            "我家能不能装宽带？",
            "小区有没有你们的宽带|查一下能不能装|我家有光纤覆盖吗",
            "报出详细地址（到门牌号）就能查资源：已覆盖的直接预约上门；暂未覆盖的登记需求，"
            "片区建设后会短信通知。",
        ),
        answer(
            "宽带/移机",
            "宽带移机|地址变更",
            BILLING + "|" + FAULTS,
            "搬家了宽带怎么移机？",
            "宽带移到新家|改宽带地址|宽带移机多少钱|搬家宽带怎么办",
            f"先查新地址有没有资源。有资源的：每个宽带账号首次移机免费，之后每次{MOVE_FEE}元；"
            f"新地址需要新拉线路的收{MOVE_FEE_NEW_LINE}元。装维师傅上门前会电话联系，"
            "旧地址的光猫由师傅上门时带走。移机不改变宽带到期时间。",
        ),
        answer(
            "宽带/故障",
            "宽带故障",
            FAULTS,
            "宽带上不了网怎么办？",
            "宽带断网了|家里网断了|光猫红灯闪|宽带连不上|网络一直转圈",
            "先看光猫指示灯：LOS灯红灯闪是光纤线路问题，请直接报修；灯都正常的，把光猫和路由器断电10秒再插上；"
            "只有WiFi上不了网的，用网线直连电脑试一下。仍不行的登记报修，城区24小时内、郊区48小时内修复，"
            "师傅上门前会电话联系。",
        ),
        answer(
            "宽带/故障",
            "宽带故障",
            FAULTS,
            "宽带网速很慢怎么办？",
            "宽带特别卡|网速达不到|千兆宽带才几十兆|晚上网特别慢",
            "测速请用网线连电脑测，WiFi受距离、墙体和设备影响，千兆宽带用WiFi一般只有三五百兆。"
            "重启光猫和路由器后仍明显达不到签约速率的，登记报修，师傅上门检测线路和设备。",
        ),
        answer(
            "宽带/故障",
            "宽带故障|减免",
            FAULTS + "|" + COMPLAINTS,
            "宽带断网好几天，费用怎么算？",
            "断网的天数能退钱吗|宽带坏了还收费吗|断网补偿",
            "因线路或设备故障断网超过24小时的，按断网天数减免宽带月费，修复后自动计算，"
            "在下月账单里体现。客户自己的电脑、路由器问题不在减免范围内。",
        ),
        answer(
            "宽带/续费",
            "宽带续费",
            BILLING + "|" + ORDERS,
            "宽带到期了怎么续费？",
            "宽带快到期了|宽带续约|宽带续费多少钱",
            "到期前30天会短信提醒。续费价格和新装相同（"
            + "；".join(f"{bb.speed}一年{bb.year_fee}元" for bb in BROADBAND)
            + f"），在{APP}“宽带续费”或营业厅办理。到期未续费的，宽带暂停，续费后2小时内恢复。",
        ),
        answer(
            "宽带/拆机",
            "宽带拆机",
            BILLING,
            "宽带不想用了怎么拆机？",
            "宽带销户|退宽带|宽带怎么取消",
            "本人带身份证到营业厅办理拆机，并归还光猫（或预约师傅上门取回）；包年未到期的按剩余月份退还费用，"
            "光猫损坏或不归还的按100元赔偿。融合套餐里的宽带需连同套餐一起变更。",
        ),
        answer(
            "网络/信号",
            "信号差",
            FAULTS,
            "家里手机信号差怎么办？",
            "屋里只有一格信号|打电话老断|小区信号不好|没有服务",
            "请说一下具体地址和出现的时间。可以先打开手机的WiFi通话（VoWiFi），家里连着WiFi时通话不受信号影响；"
            "我们登记网络优化工单，网优工程师48小时内联系您，必要时上门测试。",
        ),
        answer(
            "网络/信号",
            "信号差|WiFi通话",
            FAULTS,
            "WiFi通话怎么开？",
            "VoWiFi怎么用|用WiFi打电话|WiFi通话收费吗",
            "WiFi通话免费开通，在手机“设置—移动网络—WiFi通话”打开即可（需手机支持）。"
            "通话按正常国内通话计算分钟数，不额外收费。",
        ),
        answer(
            "短信/验证码",
            "短信验证码",
            FAULTS,
            "收不到验证码怎么办？",
            "验证码收不到|短信一直收不到|银行验证码没收到|登录收不到短信",
            "先检查：①手机安全软件或系统的“骚扰拦截”里有没有；②是否设置了短信屏蔽或黑名单；"
            "③短信收件箱是否已满；④重启手机。号码短信功能正常仍收不到的，可以先选App里的语音验证码，"
            "同时登记工单排查。大面积收不到时请看当天的必读通告。",
        ),
        answer(
            "国际/漫游",
            "国际漫游",
            BILLING + "|" + ORDERS,
            "出国怎么用手机？",
            "国际漫游怎么开|出国上网|漫游包多少钱|去国外手机能用吗",
            "国际漫游免费开通，出国前在App或来电开好。建议订国际漫游包，多数国家和地区日包每天25元，"
            "含1GB高速流量，用完降速不断网。169元5G尊享套餐每月有3天免费日包。"
            "没订漫游包时按当地标准资费收费，较贵。",
        ),
        answer(
            "服务/营业厅",
            "营业厅",
            BILLING,
            "营业厅在哪里，几点开门？",
            "附近有没有营业厅|营业厅上班时间|周末营业厅开吗",
            f"{hall_hours}，节假日照常营业。人民路、万达广场、火车站、解放大道、体育中心都有营业厅，"
            "App“附近营业厅”可导航和预约取号。",
        ),
        answer(
            "服务/热线",
            "热线",
            BILLING,
            "人工客服几点上班？",
            "客服电话多少|人工服务时间|怎么转人工|客服怎么打不通",
            f"客服热线{HOTLINE}，语音自助24小时；人工服务每天8:00至22:00。"
            "高峰时段（上午9点到11点）排队较久，可以用App在线客服或稍后再拨。",
        ),
        answer(
            "服务/实名",
            "实名",
            BILLING,
            "号码实名信息怎么修改？",
            "号码过户|改实名|手机号转给家人|换机主",
            "号码过户需原机主和新机主双方带身份证到营业厅办理，结清费用，合约期内需先解约。"
            "过户后积分清零，套餐可保留或重新选择。",
        ),
        answer(
            "服务/实名",
            "实名",
            BILLING,
            "我名下有几个号码怎么查？",
            "查名下号码|身份证办了几张卡|一证通查",
            "可以用工信部“一证通查”服务查询本人身份证名下各运营商的号码数量；"
            f"畅联的号码也可在{APP}实名认证后查看。发现不是本人办理的，带身份证到营业厅核实处理。",
        ),
        answer(
            "服务/销户",
            "销户",
            BILLING,
            "手机号不用了怎么销户？",
            "注销手机号|号码不要了|销号怎么办",
            "本人带身份证到营业厅办理销户，需结清费用、不在合约期内。余额退到本人银行卡，约7个工作日；"
            "积分销户后清零，请先兑换。欠费不销户的，号码会在欠费90天后被回收，欠费仍需缴清。",
        ),
        answer(
            "投诉/受理",
            "投诉",
            COMPLAINTS,
            "我要投诉怎么处理？",
            "我要投诉|投诉你们|找你们领导|投诉多久有结果",
            "投诉由投诉处理组受理，登记后生成工单号，一般投诉2个工作日内回复，复杂的5个工作日内回复，"
            "处理结果会回访。对结果不满意可以要求升级处理。",
        ),
        answer(
            "投诉/进度",
            "投诉|催办",
            COMPLAINTS,
            "我投诉了怎么还没人联系我？",
            "投诉没回复|工单怎么没人管|催一下我的投诉|投诉进度",
            "请提供工单号或登记时的号码，我们查看进度：未超时的加急催办；已超时的立即升级，"
            "并把您今天来电的诉求写进工单，相关部门会尽快给您答复。",
            source=SCRIPTS_SEED,
        ),
        answer(
            "投诉/营业厅",
            "服务态度|投诉",
            COMPLAINTS,
            "营业厅工作人员态度差怎么投诉？",
            "营业员态度不好|营业厅的人说话难听|投诉营业厅员工",
            "请说明营业厅名称、时间和经过，我们登记工单转相关部门核实，按内部规定处理，"
            "48小时内回复您处理结果。",
        ),
        answer(
            "服务/工号",
            "服务规范",
            BILLING + "|" + COMPLAINTS,
            "你叫什么名字？",
            "你工号多少|报一下你的名字|你是哪个客服",
            "客服代表按规定只报工号：“我的工号是xxx，工号就是我的身份代表，您记下工号就能找到我。”",
            title="客户询问客服代表姓名或工号",
            source=SCRIPTS_SEED,
        ),
        answer(
            "订购/配送",
            "产品订购",
            ORDERS,
            "网上买的手机多久能送到？",
            "订的东西什么时候到|发货了吗|物流怎么查|快递到哪了",
            "下单后48小时内发货，城区一般2至3天送达，发货后短信里有快递单号，"
            f"也可以在{APP}“我的订单”查看物流。",
        ),
        answer(
            "订购/售后",
            "产品订购|售后",
            ORDERS,
            "买的东西不满意能退吗？",
            "七天无理由|怎么退货|买错了能换吗|退货运费谁出",
            "支持七天无理由退换，商品和包装完好、配件齐全即可，退回运费由畅联承担；"
            "质量问题15天内可换新，一年内免费保修，全国都能售后。",
        ),
    ]


# --- 畅联: one set of articles per product (templates × catalogue) --------------------------


def _plan_summary(plan: Plan) -> str:
    parts = [
        f"{plan.name}每月{plan.fee}元，含国内通用流量{plan.data_gb}GB、国内通话{plan.minutes}分钟"
    ]
    if plan.broadband:
        parts.append(f"含{_speed_name(plan.broadband)}（光猫免费借用）")
    if plan.shared_cards:
        parts.append(f"含{plan.shared_cards}张副卡，与主卡共享流量和通话")
    if plan.extras:
        parts.append(plan.extras)
    parts.append("5G网速" if plan.five_g else "4G网速")
    return "，".join(parts) + "。"


def _speed_name(speed: str) -> str:
    return GIGABIT if speed == "1000M" else f"{speed}宽带"


def _plan_terms(plan: Plan) -> str:
    contract = (
        f"合约期{plan.contract_months}个月，合约期内只能升档"
        if plan.contract_months
        else "无合约，可随时变更"
    )
    return f"{contract}；{OVER_DATA}；{OVER_VOICE}；{SMS_PRICE}；国内接听免费。"


def plan_articles(plan: Plan) -> list[Article]:
    tags = "|".join(plan.tags)
    queues = BILLING + "|" + ORDERS
    short = plan.name.replace("套餐", "")
    articles = [
        answer(
            "套餐/资费",
            tags,
            queues,
            f"{plan.name}包含什么？",
            f"{plan.name}每月多少钱|{short}有多少流量|{plan.name}介绍一下|{short}怎么收费",
            _plan_summary(plan) + f"适合{plan.who}。" + _plan_terms(plan),
            products=plan.name,
        ),
        answer(
            "套餐/办理",
            tags + "|套餐变更",
            queues,
            f"怎么办理{plan.name}？",
            f"我想办{plan.name}|改成{short}|{plan.name}在哪办|{plan.name}能在网上办吗",
            f"新号码：{APP}或营业厅选号办理，带身份证，当天开通。老用户改成{plan.name}："
            "来电、App或营业厅都能办，次月1日生效。"
            + (
                f"套餐含{_speed_name(plan.broadband)}，办理时一并预约装机，有资源的48小时内上门。"
                if plan.broadband
                else ""
            ),
            products=plan.name,
        ),
        answer(
            "套餐/流量",
            tags + "|流量",
            BILLING,
            f"{plan.name}的流量用完了怎么办？",
            f"{short}流量不够用|{plan.name}超流量了|{plan.name}能加流量吗",
            f"{plan.name}的{plan.data_gb}GB用完后，{OVER_DATA}。可以订加油包（"
            + "、".join(f"{price}元{gb}GB" for price, gb in PACKS)
            + "，当月有效）。"
            + (
                "连续几个月都超出的，建议换流量更多的套餐。"
                if plan.data_gb < max(p.data_gb for p in PLANS)
                else "这已是流量最多的套餐，经常不够用的可以每月搭配加油包。"
            ),
            products=plan.name,
        ),
    ]
    if plan.shared_cards:
        articles.append(
            answer(
                "套餐/副卡",
                tags + "|副卡",
                queues,
                f"{plan.name}的副卡怎么用？",
                f"{plan.name}送几张副卡|{short}副卡共享流量吗|{plan.name}还能加副卡吗",
                f"{plan.name}含{plan.shared_cards}张副卡，副卡和主卡共享{plan.data_gb}GB流量和"
                f"{plan.minutes}分钟通话，副卡不再单收月费；再加副卡每张每月{EXTRA_CARD}元，最多加到4张。"
                "副卡的通话和流量记在主卡账单上。",
                products=plan.name,
            )
        )
    if plan.broadband:
        articles.append(
            answer(
                "套餐/宽带",
                tags + "|宽带新装",
                queues,
                f"{plan.name}的宽带是多少兆？",
                f"{plan.name}带宽带吗|{short}的宽带能提速吗|{plan.name}宽带要另交钱吗",
                f"{plan.name}含{_speed_name(plan.broadband)}，不另收宽带费，光猫免费借用。"
                + (
                    "想提速的可以换含千兆宽带的融合套餐，次月1日生效；线路已支持千兆的不用上门，"
                    "需要换光猫的师傅上门更换。"
                    if plan.broadband != "1000M"
                    else "千兆是目前最高速率，用WiFi达不到时建议换WiFi6路由器或用网线连接。"
                ),
                products=plan.name + "|" + _speed_name(plan.broadband),
            )
        )
    articles.append(
        policy(
            "套餐/资费",
            tags + "|资费",
            queues,
            f"{plan.name}资费说明",
            _plan_summary(plan) + _plan_terms(plan) + "套餐内流量、分钟数当月有效，不结转。",
            products=plan.name,
        )
    )
    return articles


def broadband_articles(bb: Broadband) -> list[Article]:
    name = _speed_name(bb.speed)
    return [
        answer(
            "宽带/资费",
            "宽带新装",
            ORDERS,
            f"{name}多少钱？",
            f"{bb.speed}宽带一年多少钱|{name}怎么收费|{name}包年价格",
            f"{name}一年{bb.year_fee}元、两年{bb.two_year_fee}元，免初装费，{bb.router}。"
            "到期前30天短信提醒续费，续费价格相同。",
            products=name,
        ),
        answer(
            "宽带/资费",
            "宽带新装",
            ORDERS,
            f"{name}适合什么家庭？",
            f"我家该装多少兆的|{name}够不够用|{name}能同时几个人用",
            {
                "100M": "100M适合一两个人上网、看高清视频，日常够用。",
                "300M": "300M适合三四口之家，几台手机加一台电视同时看视频不卡。",
                "1000M": "千兆适合人多、设备多或要上网课、在家办公、看4K电视的家庭；"
                "要跑满千兆需用网线或WiFi6设备。",
            }[bb.speed],
            products=name,
        ),
    ]


def device_articles(device: Device) -> list[Article]:
    return [
        answer(
            "终端/介绍",
            device.tags + "|产品订购",
            ORDERS,
            f"{device.name}多少钱？",
            f"{device.name}怎么卖|{device.name}有什么功能|介绍一下{device.name}",
            f"{device.name}售价{device.price}，{device.what}。{device.options}。",
            products=device.name,
        ),
        answer(
            "终端/订购",
            device.tags + "|产品订购",
            ORDERS,
            f"怎么买{device.name}？",
            f"我想订{device.name}|{device.name}在哪买|{device.name}能送货上门吗",
            f"来电、{APP}商城或营业厅都能订购。电话订购需核对姓名、联系电话和收货地址，"
            "下单后48小时内发货，城区2至3天送达，支持货到付款。",
            products=device.name,
        ),
        answer(
            "终端/售后",
            device.tags + "|售后",
            ORDERS,
            f"{device.name}保修多久？",
            f"{device.name}坏了怎么办|{device.name}能退吗|{device.name}是正品吗",
            f"{device.name}是官方正品，整机保修一年，七天无理由退换，质量问题15天内换新，"
            "全国都能售后；人为损坏、进水不在免费保修范围。",
            products=device.name,
        ),
    ]


# --- 畅联: policies and tariffs, cases ----------------------------------------------------


def telecom_policies() -> list[Article]:
    return [
        policy(
            "资费/通用",
            "资费",
            BILLING,
            "套外资费标准",
            f"所有套餐适用：{OVER_DATA}，当月套外流量费封顶300元，达到后限速至128kbps不再收费；"
            f"{OVER_VOICE}；{SMS_PRICE}；国内接听免费，来电显示免费。国际及港澳台资费另计。",
        ),
        policy(
            "资费/流量",
            "流量|加油包",
            BILLING + "|" + ORDERS,
            "流量加油包和日包资费",
            "加油包："
            + "；".join(f"{price}元{gb}GB" for price, gb in PACKS)
            + f"。订购后立即生效，当月有效，不结转、不续订。日包{DAY_PACK[0]}元{DAY_PACK[1]}GB，"
            "当日24点前有效。加油包订购后24小时内未使用的可申请退订退费，使用后不退。",
        ),
        policy(
            "话费/停复机",
            "停机|复机",
            BILLING,
            "停机与复机规定",
            f"余额低于{LOW_BALANCE}元短信提醒；余额低于0元单向停机；欠费满30天双向停机；"
            "欠费满90天号码进入回收，欠费仍需缴清。充值补足欠费后自动复机，30分钟内恢复。"
            f"停机保号每月{SUSPEND_FEE}元，最长{SUSPEND_MONTHS}个月；挂失停机免费，挂失后补卡免费。",
        ),
        policy(
            "号码/携号转网",
            "携号转网",
            BILLING,
            "携号转网办理规定",
            f"转出条件：实名本人、在网满{PORT_DAYS}天、无欠费、无未到期合约和分期、号码状态正常。"
            f"授权码：发送SQXZ#姓名#身份证号到{SMS_NUMBER}获取，48小时内有效。"
            "不得以任何方式阻挠、拖延转出，不得在客户申请后推销挽留超过一次。转出后积分清零，余额可申请退还。",
        ),
        policy(
            "话费/发票",
            "发票",
            BILLING,
            "发票开具规定",
            "月结发票：每月5日后开具上月费用；充值发票：充值后即可开具。同一笔费用只能开一种，"
            "以免重复开票。专用发票仅限单位实名号码，需营业执照及开户信息。开错的电子发票可红冲后重开。",
        ),
        policy(
            "积分/规则",
            "积分",
            BILLING,
            "积分规则",
            f"{POINTS}；当年获得的积分次年12月31日清零，清零前一个月短信提醒。"
            "积分不能转让、不能兑现；携号转出、销户、过户后积分清零。",
        ),
        policy(
            "话费/退费",
            "退费",
            BILLING + "|" + COMPLAINTS,
            "退费规定",
            f"非本人意愿订购的增值业务、计费差错：核实后全额退还，{REFUND_DAYS}退回话费账户并短信通知。"
            "销户余额退到本人银行卡，约7个工作日。加油包使用后、套餐内已用资源不退。"
            "客服代表可当场受理退费申请，金额超过200元的由班长审核。",
        ),
        policy(
            "宽带/服务时限",
            "宽带新装|宽带故障|宽带移机",
            ORDERS + "|" + FAULTS,
            "宽带装机、移机和维修时限",
            "新装：有资源的地址受理后48小时内上门安装。移机：首次免费，之后每次"
            f"{MOVE_FEE}元，需新拉线路的{MOVE_FEE_NEW_LINE}元，受理后72小时内上门。"
            "维修：城区24小时、郊区48小时内修复；约好上门的，师傅提前30分钟电话联系。"
            "因网络原因断网超过24小时的按天减免月费。",
        ),
        policy(
            "话费/增值业务",
            "增值业务",
            BILLING,
            "增值业务订购规范",
            "增值业务须经客户明确同意并二次确认后开通，开通后短信告知资费和退订方式。"
            "客服代表推荐时须说清月费和自动续费，客户拒绝后不得再次推荐。"
            "客户反映未同意订购的，先退订，再按退费规定处理。",
        ),
        policy(
            "终端/合约",
            "5G手机|合约",
            ORDERS,
            "畅联5G手机X20合约购机规定",
            "选择5G畅享129元套餐或169元5G尊享套餐并签24个月合约，畅联5G手机X20立减500元，到手价1499元。"
            "合约期内不能降档、不能携号转出；提前解约按剩余月份退还购机优惠（每月约20.8元）。",
            products="畅联5G手机X20|5G畅享129元套餐|169元5G尊享套餐",
        ),
        policy(
            "活动/流量",
            "流量|加油包|活动",
            BILLING + "|" + ORDERS,
            "2026暑期流量畅享季（已结束）",
            "2026年7月1日至8月31日，30元15GB加油包半价15元，每个号码每月限订2次。活动已结束，"
            "9月1日起恢复原价；客户问起时说明活动已结束，可推荐日常加油包或换套餐。",
            effective_from=date(2026, 7, 1),
            expires_on=date(2026, 8, 31),
        ),
        policy(
            "活动/宽带",
            "宽带续费|活动",
            BILLING + "|" + ORDERS,
            "冬季千兆宽带续费优惠",
            "2026年12月1日至2027年2月28日，千兆宽带老用户续两年2000元（原价2200元），"
            "续一年送3个月智能摄像头云存储。活动开始前客户预约的，12月1日起按优惠价办理。",
            products=GIGABIT + "|智能摄像头",
            effective_from=date(2026, 12, 1),
            expires_on=date(2027, 2, 28),
        ),
        policy(
            "活动/套餐",
            "5G套餐|家庭融合|活动",
            ORDERS,
            "5G家庭融合套餐新装送首月",
            "2026年9月1日至12月31日新办5G家庭融合套餐的，首月月费全免，千兆宽带免费送WiFi6路由器。"
            "老用户由其他套餐改办的不享受首月免费。",
            products="5G家庭融合套餐|" + GIGABIT,
            effective_from=date(2026, 9, 1),
            expires_on=date(2026, 12, 31),
        ),
        policy(
            "服务/投诉时限",
            "投诉",
            COMPLAINTS,
            "投诉处理时限",
            "一般投诉2个工作日内回复，复杂投诉5个工作日内回复；客户提到工信部、媒体的，当天上报班长并加急。"
            "同一问题工单未超时又来电的，加急并告知客户保持电话畅通；已超时的立即升级。",
            source=SCRIPTS_SEED,
        ),
        policy(
            "服务/热线",
            "热线|服务规范",
            BILLING + "|" + FAULTS + "|" + COMPLAINTS + "|" + ORDERS,
            "客服代表服务规范",
            "接听使用标准开头语并报工号；只报工号不报姓名；核实身份后再查询或办理业务；"
            "不能当场答复的，说明时限并登记；结束前确认客户没有其他问题再使用结束语。",
            source=SCRIPTS_SEED,
        ),
    ]


def telecom_cases() -> list[Article]:
    return [
        case(
            "案例/故障",
            "短信验证码|短信故障",
            BILLING + "|" + FAULTS,
            "短信平台升级后大面积收不到验证码",
            "情况：一次短信平台升级后的第二天起，大量客户来电反映收不到验证码，两个队列的相关来电"
            "四天内从不到2%涨到近三分之一。处理：确认是平台故障后，统一口径说明原因和预计恢复时间，"
            "引导客户使用语音验证码，登记工单、恢复后短信通知；不要再让客户逐一排查手机设置。"
            "教训：故障第一天就应发必读通告统一口径，避免坐席各说各的。",
        ),
        case(
            "案例/增值业务",
            "增值业务|话费争议|投诉",
            COMPLAINTS,
            "客户投诉视频会员包被误订",
            "情况：客户账单多出15元视频会员包，称从未订过，情绪激烈。处理：坐席先致歉，查到是短信回复开通，"
            "未争辩“您回复过短信”，而是当场退订、申请退还已扣费用并开通增值业务防护，"
            "客户满意结束。要点：先解决再解释，退费时限说清楚（3到5个工作日）。",
        ),
        case(
            "案例/宽带",
            "维修投诉|宽带故障|投诉",
            COMPLAINTS + "|" + FAULTS,
            "装维师傅爽约，客户扬言投诉工信部",
            "情况：客户报修后约好上门两次未到，来电称要去工信部投诉。处理：坐席查到工单已超时，"
            "立即升级并加急，承诺当天由装维班组长联系，并把客户来电诉求写入工单；"
            "当天修复后回访，按断网天数减免月费。要点：不推脱、不承诺做不到的时间。",
        ),
        case(
            "案例/携号转网",
            "携号转网",
            BILLING,
            "客户因合约期未满无法携转",
            "情况：客户要求携号转网，收到“合约期内”的拒绝短信后来电指责故意阻挠。处理：坐席说明合约购机的"
            "剩余月份和解约需退还的优惠金额，让客户自己选择；客户选择解约后当天可再次申请授权码。"
            "要点：说清条件和金额，不做挽留推销。",
        ),
        case(
            "案例/信号",
            "信号差",
            FAULTS,
            "新建小区室内无信号",
            "情况：某新建小区多位业主反映屋里只有一格信号。处理：登记网络优化工单并合并同小区工单，"
            "期间指导开通WiFi通话；网优核实后增设室内分布系统，完工后逐户回访。"
            "要点：同一地址多张工单要合并处理并统一回访。",
        ),
    ]


# --- scripts (话术) by scenario, seed 004 篇5 "客服参考服务用语" ---------------------------

ALL_TELECOM = "|".join((BILLING, FAULTS, COMPLAINTS, ORDERS))
RUDE = "闭嘴|你有病|神经病|爱打不打|不关我的事|我也没办法"


def service_scripts(company: str, queues: str, hotline: str, prefix: str) -> list[Article]:
    """The scripts every line follows, worded for `company` (its name in the greeting)."""
    return [
        script(
            f"{prefix}/开头",
            "服务规范|开头语",
            queues,
            "开头语（问候）",
            "每通电话的开头：问候、报公司和工号、主动询问。",
            [
                Step(
                    "问候并报工号",
                    f"您好，{company}客服，工号xxx，很高兴为您服务，请问有什么可以帮您？",
                    f"您好|{company}|工号",
                    "喂|干嘛|什么事",
                ),
            ],
            source=SCRIPTS_SEED,
        ),
        script(
            f"{prefix}/身份核实",
            "服务规范|身份核实",
            queues,
            "询问客户身份",
            "查询账户信息或办理业务前核实身份；不得要求客户报出完整密码。",
            [
                Step("询问称呼", "您好，请问您贵姓？", "贵姓|怎么称呼"),
                Step(
                    "核对号码",
                    "您的电话号码是xxx，对吗？",
                    "电话号码|号码是",
                ),
                Step(
                    "核对证件",
                    "为了保护您的信息安全，麻烦您提供一下机主身份证号码的后四位。",
                    "后四位|信息安全",
                    "把密码告诉我|完整的身份证号",
                ),
            ],
            source=SCRIPTS_SEED,
        ),
        script(
            f"{prefix}/沟通",
            "服务规范|沟通",
            queues,
            "客户表达不清时",
            "客户表达有歧义、不清晰或不完整时，用确认句复述，不要猜。",
            [
                Step("确认意思", "您好，请问您的意思是……？", "您的意思是"),
                Step(
                    "复述理解",
                    "您好，您的问题是……您看我理解得对吗？",
                    "理解得对吗|我理解",
                ),
                Step(
                    "请客户补充",
                    "您好，您能否把您的问题再详细地描述一遍？",
                    "详细地描述|再说一下",
                    "你说清楚点|听不懂",
                ),
            ],
            source=SCRIPTS_SEED,
        ),
        script(
            f"{prefix}/工号",
            "服务规范|工号",
            queues,
            "客户询问客服代表的工号或姓名",
            "只报工号；客户坚持要姓名时说明公司规定。",
            [
                Step("报工号", "我的工号是xxx。", "工号是"),
                Step(
                    "说明只报工号",
                    f"公司规定只能报工号，请您放心，{hotline}客服热线，工号就是我的身份代表，"
                    "您只要记下工号就可以找到我。",
                    "身份代表|记下工号",
                    "不能告诉你|关你什么事",
                ),
            ],
            source=SCRIPTS_SEED,
        ),
        script(
            f"{prefix}/转接",
            "服务规范|转接",
            queues,
            "客户指定找某个客服代表",
            "先主动提供服务；客户坚持的再转接，指定的客服代表不在线时说明并继续服务。",
            [
                Step(
                    "主动提供服务",
                    "您好！我们这里的每一个客服代表都可以为您提供优质服务，请问您是否方便告诉我您的问题呢？",
                    "每一个客服代表|您的问题",
                ),
                Step(
                    "转接或说明",
                    "您好，现在为您转接xxx号客服代表，请稍等，非常抱歉给您带来不便。"
                    "（不在线时：xxx号客服代表已下班，请问您是否方便告诉我您的问题，我帮您看看。）",
                    "为您转接|已下班|我帮您看看",
                    "他不在|找不到",
                ),
            ],
            source=SCRIPTS_SEED,
        ),
        script(
            f"{prefix}/安抚",
            "服务规范|安抚|投诉",
            queues,
            "客户抱怨",
            "先致歉和共情，记录问题，再问是否需要补充；避免多次重复同一句安抚语。",
            [
                Step(
                    "致歉共情",
                    "很抱歉，我理解您的心情。",
                    "很抱歉|理解您的心情",
                    "这不是我的问题|你冷静一点|不是我们的错",
                ),
                Step(
                    "记录并反馈",
                    "您所反映的问题我已记录下来，马上为您反馈。",
                    "记录下来|为您反馈",
                ),
                Step("询问补充", "请问还有其它需要补充吗？", "需要补充"),
            ],
            source=SCRIPTS_SEED,
        ),
        script(
            f"{prefix}/安抚",
            "服务规范|安抚|投诉",
            queues,
            "客户情绪激动或对问题纠缠不清",
            "不与客户争辩；记录问题、向上反馈、说明会尽快联系。",
            [
                Step(
                    "致歉共情",
                    "很抱歉给您带来不便了，您的心情我非常理解。",
                    "带来不便|非常理解",
                    "你别激动|吼什么|你讲不讲道理",
                ),
                Step(
                    "记录上报",
                    "这样吧，我这边把您的问题记录下来向上级部门反馈，会尽快联系您处理的，好吗？",
                    "记录下来|向上级部门反馈|尽快联系您",
                ),
            ],
            source=SCRIPTS_SEED,
        ),
        script(
            f"{prefix}/投诉",
            "投诉|安抚",
            queues,
            "无法当场答复的投诉",
            "记录投诉后致歉、说明由专业人员答复，并告知时限和工单号。",
            [
                Step(
                    "致歉",
                    f"感谢您使用{company}的服务，给您带来的不便，我们表示诚挚的歉意！",
                    "诚挚的歉意|带来的不便",
                ),
                Step(
                    "说明后续",
                    "同时请您放心，您的问题我已经记录下来，稍候会由专业人员给您答复。",
                    "记录下来|专业人员给您答复",
                    "我也不知道|你自己去问",
                ),
                Step("致谢", "谢谢您的理解！", "谢谢您的理解"),
            ],
            source=SCRIPTS_SEED,
        ),
        script(
            f"{prefix}/投诉",
            "投诉|重复投诉|催办",
            queues,
            "重复投诉（已有处理中的投诉工单）",
            "先查工单：未超时的加急并请客户保持电话畅通；已超时的致歉、把今天的诉求转告处理部门。",
            [
                Step(
                    "未超时：加急",
                    "对于您反映的问题，我们马上为您加急处理，请您保持联系电话畅通即可。",
                    "加急处理|保持联系电话畅通",
                    "再等等吧|还没到时间",
                ),
                Step(
                    "已超时：致歉并转告",
                    "很抱歉，您反映的问题我们相关部门正在紧急核查和协调中，对此我们也非常着急，"
                    "我会将您今天来电的紧急需求第一时间转告相关处理部门并做详细说明。",
                    "紧急核查|第一时间转告",
                    "不归我管|你找他们去",
                ),
                Step(
                    "致谢",
                    "您的理解就是对我们最大的支持，感谢您与我们保持联系，请您放心。",
                    "最大的支持|请您放心",
                ),
            ],
            source=SCRIPTS_SEED,
        ),
        script(
            f"{prefix}/辱骂",
            "辱骂|服务规范",
            queues,
            "辱骂、无理取闹的来电（两次警告后结束通话）",
            "确定属无理取闹、粗言辱骂、下流暧昧等情形时使用：第一次警告、第二次警告，客户仍无改善的请示"
            "值班长，值班长确认后用结束语结束通话并记录。两次警告都说过才能结束通话。",
            [
                Step(
                    "第一次警告",
                    "我很理解您的心情，也希望能协助解决此问题，但请您使用文明语言，否则很抱歉，"
                    "我们将结束这次通话。",
                    "文明语言|文明用语",
                    RUDE,
                ),
                Step("第二次警告", "请您尊重本次对话。", "尊重本次对话", RUDE),
                Step(
                    "请示值班长",
                    "（客户仍无改善）请示值班长是否能关闭会话，值班长核实并确认。",
                    "值班长",
                ),
                Step("结束通话", "感谢您的使用，再见。", "感谢您的使用", RUDE),
            ],
            source=SCRIPTS_SEED,
        ),
        script(
            f"{prefix}/投诉",
            "投诉|服务态度",
            queues,
            "客户投诉客服代表态度差或工作差错",
            "代表公司致歉，说明会反馈核实，感谢意见。",
            [
                Step(
                    "致歉",
                    "对于同事给您带来的不便，我们深感抱歉。",
                    "深感抱歉",
                    "他不是故意的|不可能",
                ),
                Step(
                    "反馈核实",
                    "我会立即向上反馈，按照内部考核规定核实处理。",
                    "向上反馈|核实处理",
                ),
                Step(
                    "致谢",
                    "非常感谢您提出的宝贵意见，我们将竭力改进，谢谢！",
                    "宝贵意见|竭力改进",
                ),
            ],
            source=SCRIPTS_SEED,
        ),
        script(
            f"{prefix}/投诉",
            "投诉|热线",
            queues,
            "客户投诉热线难接通",
            "话务高峰排队久的解释，不推给客户。",
            [
                Step(
                    "致歉并解释",
                    "给您带来的不便，我们深感抱歉！热线繁忙可能是由于话务的短暂剧增而造成，"
                    "我们将会不断地提升服务能力，希望能得到您的理解与支持，谢谢！",
                    "深感抱歉|话务的短暂剧增|提升服务能力",
                    "人多没办法|你晚点打",
                ),
            ],
            source=SCRIPTS_SEED,
        ),
        script(
            f"{prefix}/其他",
            "服务规范|无法满足",
            queues,
            "客户要求无法满足",
            "不能办到时明确说明并转交意见，不敷衍承诺。",
            [
                Step(
                    "说明并转交",
                    "很抱歉，我们暂时没有此项服务，我们会将您所提出的要求转交相关部门，我们会努力做得更好。",
                    "暂时没有此项服务|转交相关部门",
                    "肯定可以|我保证",
                ),
            ],
            source=SCRIPTS_SEED,
        ),
        script(
            f"{prefix}/其他",
            "服务规范|致谢",
            queues,
            "客户致谢、致歉或提建议",
            "客户道谢、道歉或提建议时的回应。",
            [
                Step(
                    "回应致谢",
                    "您太客气了，能为您服务我感到很荣幸。",
                    "您太客气了|很荣幸",
                ),
                Step("回应致歉", "没关系，请不必介怀。", "没关系|不必介怀"),
                Step(
                    "回应建议",
                    "您好，感谢您宝贵的建议，我们定会竭尽全力做到最好的。",
                    "宝贵的建议",
                ),
            ],
            source=SCRIPTS_SEED,
        ),
        script(
            f"{prefix}/结束",
            "服务规范|结束语",
            queues,
            "结束语",
            "结束前确认客户没有其他问题，再用欢送语；不能先于客户挂机。",
            [
                Step("确认无疑问", "请问还有其它可以帮您的吗？", "还有其它|还有什么"),
                Step(
                    "欢送语",
                    "感谢您的支持与配合，祝您生活愉快，再见！",
                    "祝您生活愉快|再见",
                    "没事我挂了|就这样吧",
                ),
            ],
            source=SCRIPTS_SEED,
        ),
    ]


def order_script() -> Article:
    return script(
        "话术/订购",
        "产品订购",
        ORDERS,
        "电话订购流程",
        "产品订购队列的订单流程（seed 002 第六部分：订单流程），每一步都要做到，信息必须复核。",
        [
            Step("开头语", f"您好，{COMPANY}客服，工号xxx，很高兴为您服务。", "您好|工号"),
            Step("确认需求", "请问您想订购哪款产品呢？", "订购"),
            Step(
                "核实信息",
                "请问您贵姓？您的联系电话是？收货地址是哪里呢？",
                "贵姓|联系电话|收货地址",
            ),
            Step(
                "介绍卖点",
                "这款产品的特点是……现在活动价是……",
                "特点|优势|活动价",
                "全网最低|绝对不会坏|随便退",
            ),
            Step("了解需求", "请问您买来主要是自己用还是给家里人用呢？", "自己用|家里人|平时主要"),
            Step(
                "描绘使用场景并二选一",
                "打个比方……您看您是要A还是B呢？",
                "打个比方|您可以这样想|还是",
            ),
            Step(
                "复核订单",
                "跟您核对一下订单：产品是……，价格……，收货地址……，联系电话……，对吗？",
                "核对一下|对吗",
            ),
            Step("推荐配件", "另外还有一个……只要……元，需要一起订吗？", "另外|一起"),
            Step("结束语", "感谢您的来电，祝您生活愉快，再见！", "感谢您的来电|再见"),
        ],
        source=SEED_002,
    )


# --- 95598: the power line's tariffs and promises -----------------------------------------

TIERS = ((2160, 0.3771), (4200, 0.4271), (None, 0.6771))  # kWh a year, yuan per kWh
TIER_MONTHLY = (180, 350)
BIG_FAMILY_KWH = 100  # kWh a month added to each tier for households of five or more
PEAK = ("8:00至22:00", 0.4071)
VALLEY = ("22:00至次日8:00", 0.2371)
ARRIVAL = "城区45分钟、农村90分钟、特殊边远地区2小时"
RESTORE_HOURS = 24  # after arrears are paid
PREPAID_LOW = 20  # yuan: 费控 reminder
LATE_FEE = "每日按欠费金额的千分之一"
SOLAR_PRICE = 0.3247  # 上网电价, yuan per kWh (燃煤基准价)
GRID_APP = "网上国网App"


def _tiers() -> str:
    first, second, third = TIERS
    return (
        f"第一档年用电量{first[0]}千瓦时及以内，每千瓦时{first[1]}元；"
        f"第二档{first[0] + 1}至{second[0]}千瓦时，每千瓦时{second[1]}元（加0.05元）；"
        f"第三档{second[0]}千瓦时以上，每千瓦时{third[1]}元（加0.3元）"
    )


def _peak_valley() -> str:
    return f"高峰{PEAK[0]}每千瓦时{PEAK[1]}元，低谷{VALLEY[0]}每千瓦时{VALLEY[1]}元"


def power_answers() -> list[Article]:
    line = "|".join(POWER_LINE)
    return [
        # 停电报修
        answer(
            "停电/报修",
            "停电报修|故障报修",
            line,
            "家里停电了怎么办？",
            "我家没电了|突然停电了|停电了找谁|家里断电了怎么报修|整栋楼都没电了",
            "先看邻居家有没有电：邻居也没电的，可能是线路故障或计划停电，95598可查停电信息并登记报修；"
            "只有自己家没电的，先看电表是否有余额（费控电表欠费会自动停电），再看家里的空气开关是否跳闸。"
            f"属于供电公司设备故障的，抢修人员到达现场时限：{ARRIVAL}。",
        ),
        answer(
            "停电/报修",
            "停电报修|故障报修",
            line,
            "报修后多久能来人？",
            "抢修多久到|电工什么时候来|报修了怎么还没人来|修电要等多久",
            f"抢修人员到达现场的承诺时限：{ARRIVAL}，从受理报修开始计算；修复时间视故障情况而定。"
            "超过时限没到的，可以来电催办，我们会加急并反馈给抢修班组。",
        ),
        answer(
            "停电/报修",
            "停电报修|客户内部故障",
            line,
            "家里跳闸了供电公司管吗？",
            "空开跳了推不上去|家里线路坏了谁来修|屋里电线冒烟|漏保一直跳",
            "以电表为分界：电表及表前的线路和设备由供电公司负责，免费抢修；电表出线以后的家里线路、开关、电器"
            "属客户资产，由客户自己找有资质的电工处理，供电公司可以帮您联系，费用由客户承担。"
            "有冒烟、焦味的先拉下总开关，注意安全。",
        ),
        answer(
            "停电/报修",
            "停电报修|电压异常",
            line,
            "家里电压不稳、灯一闪一闪怎么办？",
            "电压低|电压太高把电器烧了|灯忽明忽暗|空调开不起来说电压低",
            "请登记“电压异常”报修，我们派人上门测量。确因供电公司设备原因导致电压超标损坏家用电器的，"
            "可以在7日内提出家电损坏赔偿申请，保留好损坏的电器和购买凭证。",
        ),
        answer(
            "停电/报修",
            "停电报修|家电损坏",
            line,
            "停电来电把电器烧坏了能赔吗？",
            "电器烧了谁赔|来电后电视坏了|家电损坏赔偿|冰箱被电压打坏了",
            "因供电公司责任（如电压异常、零线断线）造成家用电器损坏的，7日内提出申请，"
            "供电公司核实后按规定修复或赔偿；属客户内部线路原因或雷击等不可抗力的，不在赔偿范围。"
            "请保留损坏电器和购买凭证，不要自行丢弃或维修。",
        ),
        answer(
            "停电/报修",
            "停电报修|安全",
            line,
            "看到电线掉地上了怎么办？",
            "路边电线断了|电线杆倒了|变压器冒火|树压到电线了",
            "请远离断线至少8米，不要靠近、不要触碰，提醒路人绕行，马上报95598并说清楚具体位置；"
            "这类报修按紧急处理。",
        ),
        answer(
            "停电/报修",
            "停电报修|误报",
            line,
            "报修后自己来电了要怎么办？",
            "已经来电了取消报修|刚才报修的现在好了|自己恢复了还用来吗",
            "请再拨95598或在App里说明已恢复供电，我们为您取消报修，抢修人员就不再上门；"
            "如果时有时无，请不要取消，让抢修人员检查线路。",
            source=DEMANDS_SEED,
        ),
        # 停电信息
        answer(
            "停电/信息",
            "停电信息|计划停电",
            line,
            "怎么查什么时候停电？",
            "明天停不停电|查一下停电通知|我们小区什么时候停电|停电信息在哪里看",
            f"在{GRID_APP}“停电信息”或95598网站输入户号或地址查询，也可以直接来电查询。"
            "计划检修停电提前7天公告，临时检修停电提前24小时公告；订阅了停电通知的会收到短信。",
            source=DEMANDS_SEED,
        ),
        answer(
            "停电/信息",
            "停电信息|计划停电",
            line,
            "计划停电什么时候来电？",
            "检修停电几点来电|说好的来电时间怎么还没来|计划停电延长了吗",
            "公告里写明了停电起止时间，一般按时恢复；遇到施工延误会延迟，"
            "延迟来电的我们立即联系现场了解原因和预计时间，并为您登记催办。",
            source=DEMANDS_SEED,
        ),
        answer(
            "停电/信息",
            "停电信息|订阅",
            line,
            "怎么订阅停电通知？",
            "停电了能不能发短信通知我|订阅停电短信|停电提醒怎么开",
            f"在{GRID_APP}绑定户号后开启“停电通知”，或来电登记订阅，计划停电和故障停电都会短信通知，"
            "免费。也可以同时订阅电费通知。",
        ),
        # 电费缴纳
        answer(
            "电费/缴纳",
            "电费缴纳",
            line,
            "电费怎么交？",
            "在哪交电费|电费能用微信交吗|交电费的方法|怎么在手机上交电费",
            f"{GRID_APP}、微信和支付宝的“生活缴费”、银行代扣、供电营业厅都能交，线上缴费实时到账。"
            "交费时核对户号和户名，交错户号的请尽快来电。",
        ),
        answer(
            "电费/缴纳",
            "电费缴纳|户号",
            line,
            "我家的户号怎么查？",
            "不知道户号|用电户号是多少|户号在哪看|交电费要户号",
            f"户号在电费账单、缴费凭证或电表箱上的标签上；也可以在{GRID_APP}用户主身份证绑定后查看，"
            "或来电报出户主姓名和详细地址，核实后告诉您。",
        ),
        answer(
            "电费/缴纳",
            "电费缴纳|交错",
            line,
            "电费交错户号了怎么办？",
            "给别人家交了电费|户号输错了|交错电费能退吗",
            "请提供付款凭证、交错的户号和本人户号，我们登记后由营业厅核实；对方户尚未用掉的可以调回，"
            "一般5个工作日内处理完毕。已经被对方户抵扣欠费的，需协商处理。",
        ),
        answer(
            "电费/缴纳",
            "电费缴纳|代扣",
            line,
            "怎么办理银行代扣电费？",
            "电费自动扣款|绑定银行卡交电费|代扣怎么开",
            f"在{GRID_APP}“缴费—代扣签约”绑定本人银行卡，或带户号和银行卡到银行柜台签约，"
            "每月电费发行后自动扣缴；卡里余额不足扣款失败的会短信提醒。",
        ),
        answer(
            "电费/查询",
            "电费查询",
            line,
            "怎么查电费和用电量？",
            "查一下我家电费|这个月用了多少度电|电费余额多少|电费账单在哪",
            f"{GRID_APP}绑定户号后可查每月电量电费、余额和日用电量；也可以来电报户号查询。"
            "每月1日至5日发行上月电费，发行后短信通知。",
            source=DEMANDS_SEED,
        ),
        answer(
            "电费/查询",
            "电费查询|电费突增",
            line,
            "这个月电费怎么突然这么多？",
            "电费突然高了|平时一百多这个月三百|电费不对|是不是电表走快了",
            "先对比用电量：冬夏季开空调、电暖器，家里添了电器，或者年用电量进入第二、三档，电费都会明显增加。"
            f"阶梯电价按年累计：{_tiers()}。用电量确实和用电情况对不上的，可以申请核实抄表数据或电表校验。",
            source=DEMANDS_SEED,
        ),
        answer(
            "电费/查询",
            "电费查询",
            line,
            "没怎么用电为什么还有电费？",
            "家里没人住也有电量|出门一个月电表还在走|空房子也要交电费",
            "冰箱、路由器、热水器保温、电器待机都会用电；请把总开关拉下看电表是否还走："
            "拉闸后仍在走的，可能是表后线路漏电或表计问题，可以申请现场核查或电表校验。",
        ),
        answer(
            "电费/发票",
            "电费发票",
            line,
            "电费发票怎么开？",
            "交电费要发票|电费电子发票|单位报销电费发票",
            f"在{GRID_APP}“电费发票”开具电子发票，按月开具已结清的电费；单位需要专用发票的，"
            "带营业执照和开票信息到供电营业厅办理。",
        ),
        answer(
            "电费/违约金",
            "电费缴纳|违约金",
            line,
            "晚交电费要交滞纳金吗？",
            "电费逾期了|违约金怎么算|晚几天交电费有罚款吗",
            f"超过缴费期限未交的，居民用户{LATE_FEE}收取电费违约金，从逾期的第二天起算。"
            "建议开通代扣或预存电费，避免逾期。",
        ),
        answer(
            "电费/预存",
            "电费缴纳|预存",
            line,
            "电费能预存吗？",
            "多交点电费放着|提前交电费|预交电费",
            "可以，任何渠道交的超出当月电费的部分都自动作为预存，后面每月发行电费时自动抵扣，余额可随时查询。",
            source=DEMANDS_SEED,
        ),
        # 阶梯电价
        answer(
            "电价/阶梯",
            "阶梯电价",
            line,
            "阶梯电价怎么算？",
            "阶梯电价是什么|第二档电价多少|电价怎么分档|一度电多少钱",
            f"居民“一户一表”用户按年累计用电量分档：{_tiers()}。每年1月1日重新累计，"
            f"折合每月约{TIER_MONTHLY[0]}千瓦时、{TIER_MONTHLY[1]}千瓦时两个分档点。",
        ),
        answer(
            "电价/阶梯",
            "阶梯电价|多人口",
            line,
            "家里人口多可以多给点阶梯电量吗？",
            "一户多人口怎么申请|家里人多电费进第三档了|五口人阶梯电价",
            f"户籍人口5人及以上的家庭，可以申请每月增加{BIG_FAMILY_KWH}千瓦时的阶梯电量基数。"
            "带户口本、户主身份证到供电营业厅申请，审核后次月起执行，每年核实一次。",
        ),
        answer(
            "电价/阶梯",
            "阶梯电价",
            line,
            "阶梯电价什么时候清零？",
            "阶梯电量什么时候重新算|第三档明年还是第三档吗|阶梯年度",
            "阶梯电量按自然年累计，每年1月1日清零重新累计；年中新装或过户的，按剩余月份折算当年的分档电量。",
        ),
        answer(
            "电价/阶梯",
            "阶梯电价|合表",
            line,
            "为什么我家不执行阶梯电价？",
            "合表用户电价|学校宿舍电价|执行的什么电价",
            "阶梯电价只对“一户一表”的居民用户执行；多户共用一块表的合表用户、学校、养老院等执行居民合表电价，"
            "不分档。电价类别写在电费账单上。",
        ),
        # 峰谷电价
        answer(
            "电价/峰谷",
            "峰谷电价",
            line,
            "峰谷电价怎么收费？",
            "峰谷电是什么|晚上用电便宜吗|谷电几点开始|峰谷电价多少钱",
            f"居民可自愿选择峰谷电价：{_peak_valley()}。"
            "峰谷电价和阶梯电价同时执行，分档按全年总电量计算。晚上用电多（如电采暖、充电）的家庭更划算。",
        ),
        answer(
            "电价/峰谷",
            "峰谷电价",
            line,
            "怎么申请峰谷电价？",
            "开通峰谷电|改成峰谷计费|峰谷电价办理",
            f"户主在{GRID_APP}“峰谷电价”申请，或带身份证到营业厅办理，智能电表无需换表，次月1日起执行。"
            "选择后至少执行满12个月才能申请取消。",
        ),
        answer(
            "电价/峰谷",
            "峰谷电价",
            line,
            "峰谷电价划算吗？",
            "我适不适合峰谷电|开了峰谷电费反而高了|峰谷电要不要开",
            f"看晚上用电占多少：{_peak_valley()}，夜间（22点以后）用电占两成以上的家庭就能省钱，占得越多省得越多；"
            "白天用电为主的开了反而贵。可以在App里看日用电量曲线再决定。",
        ),
        # 新装增容
        answer(
            "业扩/新装",
            "新装|业扩报装",
            line,
            "新房子怎么申请通电？",
            "新装电表|新房装电|怎么开户用电|申请用电要什么材料",
            f"居民新装：户主身份证、房产证明（购房合同、不动产证等），在{GRID_APP}“新装”或营业厅申请，免费；"
            "资料齐全、具备装表条件的，受理后3个工作日内装表接电。",
            source=DEMANDS_SEED,
        ),
        answer(
            "业扩/新装",
            "新装|业扩报装",
            line,
            "开小店要装电表怎么办？",
            "商铺用电申请|门面房装电|小商户新装|店里要用电",
            "低压非居民新装：营业执照（或身份证）、房屋产权或租赁证明，线上或营业厅申请，免费；"
            "具备条件的受理后5个工作日内装表接电，执行一般工商业电价。",
        ),
        answer(
            "业扩/增容",
            "增容|业扩报装",
            line,
            "家里电器多了要增容怎么办？",
            "电表容量不够|老是跳闸想加大容量|增容怎么申请|加大电表",
            "带户主身份证和房产证明在App或营业厅申请增容，供电公司免费更换电表和表前线路；"
            "表后的家里线路需要相应加粗，由客户自己找电工改造。受理后5个工作日内完成。",
        ),
        answer(
            "业扩/费用",
            "业扩报装|收费",
            line,
            "装电表要交钱吗？",
            "新装收不收费|装表费多少|有人说装电表要交钱",
            "居民和低压小微企业新装、增容，供电公司不收取任何费用，电表由供电公司免费提供；"
            "表后线路由客户自理。有人以供电公司名义收取装表费的，请拨95598举报。",
            source=DEMANDS_SEED,
        ),
        answer(
            "业扩/进度",
            "业扩报装|催办",
            line,
            "申请新装后怎么查进度？",
            "装表进度|申请了怎么还没装|新装办到哪一步了",
            f"在{GRID_APP}“办电进度”查看，或来电报申请编号查询；超过承诺时限未装表的，我们登记催办。",
        ),
        # 过户、更名
        answer(
            "业务/过户",
            "过户",
            line,
            "买了二手房电表怎么过户？",
            "电表户名怎么改|房子卖了电费户名|二手房过户电|更名",
            "新户主带身份证和不动产证（或购房合同），结清原户电费后在App或营业厅申请过户，免费，当场办理。"
            "过户前的欠费由原户主承担，建议交房时一起抄好表底数。",
        ),
        answer(
            "业务/过户",
            "过户|租房",
            line,
            "租房的人能办电费业务吗？",
            "我是租户能不能改户名|房东不在怎么办业务|租户交电费",
            "租户可以交电费、查电量；过户、增容等需户主办理，或户主出具委托书、带双方身份证代办。",
        ),
        answer(
            "业务/销户",
            "销户",
            line,
            "房子拆了电表怎么销户？",
            "不用电了销户|拆表|电表不要了",
            "户主带身份证在营业厅申请销户，结清电费，供电公司上门拆表，预存余额退到户主银行卡，约7个工作日。",
        ),
        # 电表
        answer(
            "电表/校验",
            "电表|计量装置",
            line,
            "觉得电表不准怎么办？",
            "电表走得快|怀疑电表有问题|申请校表|电表准不准",
            "可以申请电表校验，免费：在App或来电登记，5个工作日内上门或送检。误差超出允许范围（±2%）的，"
            "更换电表并按误差退补电费，退补期限从上次校验或换表起算；合格的，向您出示校验结果。",
        ),
        answer(
            "电表/智能电表",
            "电表|费控",
            line,
            "智能电表怎么看余额？",
            "电表上的数字怎么看|电表显示余额|电表怎么看用了多少度",
            "按电表上的显示按钮可轮换显示：当前总电量、剩余金额、时段电量等，以“元”为单位的是剩余金额。"
            f"剩余不足{PREPAID_LOW}元时短信提醒，也可在{GRID_APP}查询。",
        ),
        answer(
            "电表/故障",
            "电表|计量装置|故障报修",
            line,
            "电表不亮了或者冒烟了怎么办？",
            "电表黑屏了|电表烧了|电表箱冒烟|电表坏了",
            "电表属供电公司资产，坏了免费更换，请报修“计量装置”故障；冒烟、着火时先远离，不要用水泼，"
            "马上拨95598。换表时会拍照留存新旧表底数。",
        ),
        answer(
            "电表/换表",
            "电表",
            line,
            "供电公司换了电表，电费会变吗？",
            "换表后电费贵了|为什么给我换电表|新电表走得快",
            "换表是定期轮换或升级智能电表，电价不变；新表出厂都经过检定，换表时拍照留存旧表底数，"
            "旧表电量会计入当月。换表后电费明显变化的，可以申请校验。",
        ),
        # 欠费停电与复电
        answer(
            "欠费/复电",
            "欠费停电|复电",
            line,
            "交了电费什么时候来电？",
            "交了费怎么还没电|欠费停电交钱后多久恢复|复电要多久|缴费后没来电",
            f"费控电表欠费停电的，缴清后系统自动下发复电指令，一般2小时内恢复，最长不超过{RESTORE_HOURS}小时；"
            "有的电表需要按一下表上的复电按钮。超过2小时没来电的，来电登记复电，我们催办。",
            source=DEMANDS_SEED,
        ),
        answer(
            "欠费/停电",
            "欠费停电",
            line,
            "没通知就给我停电了？",
            "欠费停电不通知|怎么突然就停电了|停电前应该通知吧",
            f"费控用户余额不足{PREPAID_LOW}元时短信提醒，余额用完后自动停电；非费控用户欠费，停电前7天送达"
            "停电通知，停电前30分钟再通知一次。请核对预留的手机号是否有效，号码变了请及时更新。",
            source=DEMANDS_SEED,
        ),
        answer(
            "欠费/停电",
            "欠费停电|误报",
            line,
            "怎么知道是欠费停电还是故障停电？",
            "是不是欠费停的电|我家停电是不是没交钱|查一下是不是欠费",
            f"看电表：显示剩余金额为0或负数、或有“拉闸”提示的多为欠费停电，缴费即可；"
            f"也可以在{GRID_APP}查余额或来电报户号查询。邻居也停电的一般是线路故障或计划停电。",
            source=DEMANDS_SEED,
        ),
        answer(
            "欠费/复电",
            "欠费停电|复电|夜间",
            line,
            "半夜欠费停电了能马上复电吗？",
            "晚上交费能来电吗|周末欠费停电|节假日复电",
            "可以，缴费和复电全天24小时都能办理，节假日也一样；线上缴费后系统自动复电，"
            "一般2小时内恢复。",
        ),
        # 光伏并网
        answer(
            "新能源/光伏",
            "光伏并网",
            line,
            "家里装光伏怎么申请并网？",
            "屋顶光伏并网|光伏发电上网|分布式光伏怎么办|装太阳能发电",
            f"自然人分布式光伏：带身份证、房产证明在{GRID_APP}“新能源”或营业厅申请，免费接入。"
            "流程：受理申请→2个工作日内现场勘查→出具接入方案→客户安装→申请并网验收→验收合格装表并网。"
            "居民项目从受理到并网，供电公司环节合计不超过30个工作日。",
        ),
        answer(
            "新能源/光伏",
            "光伏并网|上网电价",
            line,
            "光伏发的电卖给电网多少钱？",
            "光伏上网电价|余电上网怎么结算|光伏电费怎么给我|光伏有没有补贴",
            f"上网电量按燃煤基准价每千瓦时{SOLAR_PRICE}元结算，按月结算，转到登记的银行卡；"
            "2022年起新建的居民项目没有国家补贴。可选择“全额上网”或“自发自用、余电上网”。",
        ),
        answer(
            "新能源/光伏",
            "光伏并网|催办",
            line,
            "光伏申请了很久还没并网怎么办？",
            "光伏验收拖了很久|光伏装好了不给并网|光伏并网进度",
            f"在{GRID_APP}查进度；超过承诺时限的，报申请编号，我们登记催办并反馈给营销部门。"
            "常见原因是资料不全、台区容量不够需改造，这些会在接入方案中说明。",
        ),
        answer(
            "新能源/光伏",
            "光伏并网|电表",
            line,
            "光伏结算的钱怎么没到账？",
            "光伏电费没打过来|光伏结算查询|上网电费什么时候到",
            "每月电费发行后结算上月上网电量，款项约在次月20日前转到登记的银行卡；银行卡信息变了的请及时更新。"
            "在App“新能源—结算”可查每月结算单。",
        ),
        # 充电桩报装
        answer(
            "新能源/充电桩",
            "充电桩报装",
            line,
            "小区里装充电桩怎么申请？",
            "私人充电桩报装|电动车充电桩要什么材料|车位装充电桩|充电桩怎么装表",
            f"居民自用充电桩：身份证、车位产权证明或一年以上租赁合同、物业同意安装的证明（无物业的由居委会出具）、"
            f"购车证明，在{GRID_APP}“充电桩报装”或营业厅申请，免费；具备条件的受理后5个工作日内装表接电。",
        ),
        answer(
            "新能源/充电桩",
            "充电桩报装|电价",
            line,
            "充电桩用电多少钱一度？",
            "充电桩电价|充电桩执行什么电价|电动车充电电费",
            f"单独装表的居民自用充电桩执行居民峰谷电价：{_peak_valley()}，不执行阶梯电价。"
            "晚上22点以后充电最省钱，多数车可以在车机上设置预约充电。",
        ),
        answer(
            "新能源/充电桩",
            "充电桩报装|物业",
            line,
            "物业不让装充电桩怎么办？",
            "物业不同意装桩|物业不开证明|没有物业证明能装吗",
            "供电公司负责装表接电，需要物业同意安装的证明来确认车位具备条件；物业不配合的，可向街道、"
            "住建部门反映，供电公司可以提供政策说明协助沟通。",
        ),
        # 藏语服务
        answer(
            "服务/藏语",
            "藏语服务",
            AMDO + "|" + KHAM + "|" + POWER,
            "有没有藏语客服？",
            "能说藏语吗|藏语服务|我普通话说不好|康巴话有人听得懂吗",
            "95598设有藏语安多语座席，24小时服务，拨通后按语音提示选择藏语服务；康巴语座席正在配备，"
            "已有一名康巴语客服代表，暂时接不通时由安多语座席先受理。",
            source=DEMANDS_SEED,
        ),
        # 服务渠道
        answer(
            "服务/渠道",
            "服务渠道",
            line,
            "95598几点有人接？",
            "95598二十四小时吗|晚上打95598有人吗|过年95598上班吗",
            "95598全年24小时人工服务，节假日照常；也可以用网上国网App、95598网站办理和查询。",
            source=DEMANDS_SEED,
        ),
        answer(
            "服务/渠道",
            "服务渠道|网上国网",
            line,
            "网上国网App能办哪些业务？",
            "网上国网怎么用|App上能交电费吗|网上国网绑定户号",
            "可以交电费、查电量电费、开发票、查停电信息、报修、新装增容、过户、峰谷电价、光伏和充电桩报装、"
            "查办电进度。注册后用户主身份证绑定户号即可。",
        ),
    ]


# One answer per 95598 work-order type (workorders.seeds.TYPES): how a customer raises it.
WORKORDER_ANSWERS = (
    (
        "故障报修",
        "我要报修|电出问题了找谁|报个故障",
        f"请说清故障地址、联系电话和故障类别（停电、电压异常、计量装置、其他），受理后派抢修，到达现场时限：{ARRIVAL}。",
    ),
    (
        "投诉",
        "我要投诉供电所|投诉抄表员|投诉你们服务",
        "请说明投诉对象、时间、经过和您的诉求，受理后生成工单，一般5个工作日内办结并回访；"
        "同一问题工单在办理中又来电的，我们加急并补充您的诉求。",
    ),
    (
        "举报",
        "举报偷电|有人私拉电线|举报乱收费",
        "窃电、私拉乱接、以供电公司名义乱收费等都可以举报，请说明被举报对象、地点和经过，"
        "可以匿名，我们为举报人保密；查实的窃电举报按规定给予奖励。",
    ),
    (
        "意见",
        "我有意见|对你们有意见要提|反映个问题",
        "请说明您的意见，我们登记后转相关部门，5个工作日内回复处理情况。",
    ),
    (
        "建议",
        "提个建议|我建议你们|给供电公司提建议",
        "感谢您的建议！请说明具体内容，我们登记后转相关部门研究，采纳情况会回复您。",
    ),
    (
        "表扬",
        "表扬抢修师傅|我要表扬你们员工|感谢那个电工",
        "感谢您的认可！请说明表扬对象（姓名、班组或供电所）和事情经过，我们会转达并记入表扬记录，无需回访。",
    ),
    (
        "服务申请",
        "申请上门服务|申请校表|申请复电登记",
        "电表校验、欠费复电登记、停电原因核实、用电检查等都属于服务申请，请说明需求、地址和联系电话，"
        "一般3个工作日内处理。",
    ),
    (
        "订阅",
        "订阅电费短信|订停电通知|取消短信订阅",
        "可以订阅或取消电费通知、停电通知短信，说清户号和接收短信的手机号即可，立即生效，免费。",
    ),
    (
        "业务咨询",
        "问个电费的问题|咨询一下办电|想了解一下政策",
        "电价、电费、停电信息、办电流程、材料和费用等都可以咨询，能当场答复的当场答复；"
        "需要核实的登记业务咨询工单，1个工作日内回复。",
    ),
    (
        "催办",
        "催一下我的工单|报修很久了没人来|怎么还没处理",
        "请提供原工单号或登记时的电话，我们查进度：未超时的加急并请您保持电话畅通；"
        "已超时的立即催办升级，把您今天来电的诉求补充进工单。",
    ),
)


def workorder_answers() -> list[Article]:
    line = "|".join(POWER_LINE)
    return [
        answer(
            "工单/受理",
            f"{name}|工单",
            line,
            f"怎么反映{name}？",
            alternates,
            body,
            title=f"95598受理：{name}",
            source=WORKORDER_SEED,
        )
        for name, alternates, body in WORKORDER_ANSWERS
    ]


def power_more_answers() -> list[Article]:
    line = "|".join(POWER_LINE)
    return [
        answer(
            "业扩/临时用电",
            "临时用电|业扩报装",
            line,
            "装修、盖房子要临时用电怎么办？",
            "临时用电申请|工地用电|自建房施工用电",
            "带身份证、用地或施工证明申请临时用电，单独装表计量，期限一般不超过3年，到期需拆除或转正式用电；"
            "临时用电执行相应类别电价。",
        ),
        answer(
            "业扩/移表",
            "移表",
            line,
            "电表位置不方便能移吗？",
            "电表挪个位置|移电表|电表箱要移走",
            "可以申请移表，供电公司上门勘查后实施；因客户原因（装修、改建）移表的，表前线路移动产生的材料费由客户承担，"
            "因供电公司改造需要移表的免费。",
        ),
        answer(
            "电价/电采暖",
            "电采暖|峰谷电价",
            line,
            "冬天用电采暖电费怎么省？",
            "电暖器费电|煤改电电价|电采暖用峰谷划算吗",
            f"建议申请峰谷电价，把蓄热式电暖器、热水器设在低谷时段运行：{_peak_valley()}。"
            "煤改电用户有采暖季电价优惠的，按当地政策执行，可来电核实户号是否在清单内。",
        ),
        answer(
            "电费/账单",
            "电费查询|账单",
            line,
            "电费账单上的项目怎么看？",
            "电费单看不懂|账单上的示数是什么|本期电量怎么算的",
            "电费账单上有：上次和本次电表示数（两者相减是本期电量）、执行的电价类别、阶梯累计电量、"
            "本期电费、预存余额和欠费。峰谷用户分别列出峰、谷电量。",
        ),
        answer(
            "电费/查询",
            "电费查询|抄表",
            line,
            "现在还有人上门抄表吗？",
            "抄表员多久来一次|电表是自动抄的吗|估抄",
            "智能电表由系统远程自动抄表，每月抄一次，不用上门；远程抄表失败的才安排人员现场补抄。"
            "对抄表数有疑问的，可以对照电表显示的总电量核对。",
        ),
        answer(
            "停电/补偿",
            "停电|赔偿",
            line,
            "停电时间长能有补偿吗？",
            "停电这么久赔不赔|停电损失谁负责|停电耽误生意",
            "计划停电和依法依规的停电不予赔偿；因供电公司责任造成的停电损失，客户可以提出申请，"
            "按供用电合同和有关规定核实处理。停电导致的家电损坏见家电赔偿规定。",
        ),
        answer(
            "停电/特殊天气",
            "停电报修|特殊天气",
            line,
            "下大雪停电了什么时候能恢复？",
            "暴雨停电|大风刮断电线|雪灾停电抢修",
            "极端天气造成的停电，抢修队伍会全力抢修，但受道路和安全条件影响可能比平时慢；"
            "我们登记您的地址并告知预计恢复时间，恢复后短信通知。请远离倒杆断线，注意保暖和安全用电。",
            source=DEMANDS_SEED,
        ),
        answer(
            "服务/信息补充",
            "信息补充|工单",
            line,
            "刚才报修的电话留错了怎么改？",
            "补充联系电话|报修地址说错了|再留一个电话",
            "请报原工单号或报修时的号码，我们把正确的电话、地址补充到原工单，抢修人员会按新信息联系您，不用重新报修。",
            source=DEMANDS_SEED,
        ),
        answer(
            "欠费/短信",
            "费控|订阅",
            line,
            "电费余额不足的短信能不能不发？",
            "不想收电费短信|取消余额提醒|费控短信太多了",
            "余额不足和停电前的提醒是为了避免突然停电，建议保留；确实不需要的可以取消电费通知订阅，"
            "但欠费停电前的通知仍会发送。",
            source=DEMANDS_SEED,
        ),
        answer(
            "电表/费控",
            "费控",
            line,
            "什么是费控电表？",
            "预付费电表|先交钱后用电|费控是什么意思",
            f"费控是“先交费、后用电”：系统每天按用电量从预存电费中扣减，余额不足{PREPAID_LOW}元短信提醒，"
            "余额用完自动停电，缴费后自动复电。",
        ),
        answer(
            "安全/用电",
            "安全用电",
            line,
            "怎样安全用电？",
            "家里用电注意什么|电线老化怎么办|漏电保护器有必要装吗",
            "家里应装漏电保护器并每月按一次试验按钮；老旧电线及时更换，不私拉乱接，大功率电器不共用插座；"
            "电器着火先断电，不能用水泼。",
        ),
        answer(
            "举报/窃电",
            "举报|窃电",
            line,
            "发现有人偷电怎么举报？",
            "邻居偷电|私接电表|绕表用电",
            "拨打95598举报，说明地点和情况，可匿名，我们为举报人保密；查实后依法追补电费并收取违约使用电费，"
            "按规定奖励举报人。",
        ),
        answer(
            "服务/营业厅",
            "营业厅",
            line,
            "供电营业厅在哪儿？",
            "附近的供电所|营业厅几点上班|线下办电去哪",
            f"在{GRID_APP}“营业网点”查附近的供电营业厅和地址，营业厅工作日8:30至17:30办理业务；"
            "多数业务在App上就能办，不用跑营业厅。",
        ),
        answer(
            "业扩/新装",
            "新装|农村",
            line,
            "农村自建房怎么申请用电？",
            "村里新盖的房子通电|牧区装电|农村新装电表",
            "带身份证和宅基地证明（或村委会出具的证明）申请，免费；牧区、偏远地区距离线路较远的，"
            "供电公司勘查后出具方案，时限会在方案中告知。",
        ),
        answer(
            "新能源/光伏",
            "光伏并网|安全",
            line,
            "有人上门推销光伏说电网包收购靠谱吗？",
            "光伏推销|光伏贷|光伏公司说供电局合作",
            "供电公司不与任何光伏企业合作推销，也不承诺收益；上网电量按燃煤基准价结算。"
            "签合同前请核实企业资质、贷款条款，接入手续必须由户主本人向供电公司申请。",
        ),
    ]


def power_policies() -> list[Article]:
    line = "|".join(POWER_LINE)
    return [
        policy(
            "电价/阶梯",
            "阶梯电价|电价",
            line,
            "居民阶梯电价标准",
            f"适用于“一户一表”居民用户，按年累计：{_tiers()}。每年1月1日清零；户籍人口5人及以上每月增加{BIG_FAMILY_KWH}千瓦时分档基数。",
        ),
        policy(
            "电价/峰谷",
            "峰谷电价|电价",
            line,
            "居民峰谷分时电价",
            f"居民自愿选择：{_peak_valley()}。与阶梯电价叠加执行；选择后执行满12个月方可取消；次月1日起执行。",
        ),
        policy(
            "电价/充电桩",
            "充电桩报装|电价",
            line,
            "居民自用充电桩电价",
            f"单独装表的居民自用充电桩执行居民峰谷电价（{_peak_valley()}），不执行阶梯电价；公共充电设施执行一般工商业电价。",
        ),
        policy(
            "新能源/光伏",
            "光伏并网|上网电价",
            line,
            "分布式光伏上网电价与结算",
            f"上网电量按燃煤基准价每千瓦时{SOLAR_PRICE}元结算，按月结算至登记银行卡；2022年起新建居民项目不再享受国家补贴；接入免费。",
        ),
        policy(
            "服务/承诺",
            "停电报修|服务承诺",
            line,
            "故障抢修到达时限",
            f"供电企业抢修人员到达现场时限：{ARRIVAL}。受理后立即派单，超时未到达的客户来电按催办加急处理。",
        ),
        policy(
            "服务/承诺",
            "复电|欠费停电|服务承诺",
            line,
            "欠费停电与复电规定",
            f"费控用户余额不足{PREPAID_LOW}元短信提醒，余额用完自动停电；非费控用户停电前7天送达通知、停电前30分钟再通知。缴清欠费后{RESTORE_HOURS}小时内恢复供电（远程费控一般2小时内）。",
            source=DEMANDS_SEED,
        ),
        policy(
            "服务/承诺",
            "计划停电|停电信息",
            line,
            "停电公告时限",
            "计划检修停电提前7天公告，临时检修停电提前24小时公告；重要用户、医院等另行电话通知。",
            source=DEMANDS_SEED,
        ),
        policy(
            "服务/承诺",
            "新装|业扩报装|服务承诺",
            line,
            "办电时限",
            "居民新装：资料齐全、具备条件的3个工作日内装表接电；低压非居民5个工作日；增容5个工作日；居民分布式光伏供电公司环节合计不超过30个工作日；充电桩5个工作日。",
            source=DEMANDS_SEED,
        ),
        policy(
            "电费/违约金",
            "电费缴纳|违约金",
            line,
            "电费违约金规定",
            f"居民用户逾期未交电费的，{LATE_FEE}计收违约金，自逾期次日起算；因供电企业原因造成的逾期不计违约金。",
        ),
        policy(
            "电表/校验",
            "电表|计量装置",
            line,
            "电能表校验与退补规定",
            "客户申请校验免费，5个工作日内完成；误差超出±2%的，更换电表并按误差退补电费，退补期限从上次校验或换表之日起算，最长不超过一年。",
        ),
        policy(
            "服务/家电赔偿",
            "家电损坏|赔偿",
            line,
            "居民家用电器损坏处理办法",
            "因供电企业责任造成的家电损坏，客户应在7日内提出；供电企业24小时内派人调查，能修复的负责修复，不能修复的按购买时间折旧赔偿。",
        ),
        policy(
            "活动/电费",
            "电费缴纳|活动",
            line,
            "网上国网交电费立减活动（已结束）",
            "2026年6月1日至9月30日，首次在网上国网App交电费满100元立减5元，每户限一次。活动已结束，客户问起时说明已结束。",
            effective_from=date(2026, 6, 1),
            expires_on=date(2026, 9, 30),
        ),
        policy(
            "电价/电采暖",
            "电采暖|峰谷电价",
            line,
            "2026-2027采暖季电采暖低谷电价延长",
            "2026年11月15日至2027年3月15日采暖季，已登记的煤改电用户低谷时段延长为20:00至次日8:00，低谷电价不变。",
            effective_from=date(2026, 11, 15),
            expires_on=date(2027, 3, 15),
        ),
        policy(
            "服务/藏语",
            "藏语服务|服务规范",
            AMDO + "|" + KHAM,
            "藏语话务受理要求",
            "遵照95598话务受理规范，问候语用“得姆”（您好），结束语用“扎西德勒”（吉祥如意）；避免生硬的专业术语，用简单易懂的话解释；耐心倾听，引导客户说清地址和诉求。藏历新年等节日使用节日问候语。",
            source=TIBETAN_SEED,
        ),
        policy(
            "服务/应急",
            "特殊天气|停电报修",
            line,
            "大面积停电应急受理要求",
            "遇突发故障大范围停电时启动人员应急预案：统一口径说明停电范围和预计恢复时间，合并同一故障的报修，不再逐户派单；特殊情况、重大舆情及时上报值班长。",
            source=TIBETAN_SEED,
        ),
    ]


def power_cases() -> list[Article]:
    line = "|".join(POWER_LINE)
    return [
        case(
            "案例/报修",
            "停电报修|误报",
            line,
            "欠费停电被误报为故障",
            "情况：客户报修家里停电，抢修人员到场发现是费控电表余额为零。处理：受理报修时先请客户看电表余额或查询户号，确认欠费的引导缴费，避免无效派单。藏区此类误报最为集中。",
            source=DEMANDS_SEED,
        ),
        case(
            "案例/复电",
            "复电|催办",
            line,
            "缴费后超过两小时未复电",
            "情况：客户晚上在App缴费后两小时仍无电，来电投诉。处理：坐席查到复电指令下发失败，登记复电催办并通知当班抢修人员手动复电，40分钟后恢复，次日回访。要点：复电类诉求按催办加急，不能只让客户等待。",
            source=DEMANDS_SEED,
        ),
        case(
            "案例/电费",
            "电费突增|电费查询",
            line,
            "冬季电费突增的核实",
            "情况：客户反映12月电费是平时的三倍。处理：坐席调出日用电量，发现12月起每天夜间用电大增，客户想起新装了电暖器；坐席解释阶梯分档并推荐峰谷电价，客户申请峰谷电价。要点：先用数据说话，再给省钱办法。",
            source=DEMANDS_SEED,
        ),
        case(
            "案例/光伏",
            "光伏并网|催办",
            line,
            "光伏并网验收超时",
            "情况：客户光伏装好一个月未验收，来电要求马上并网。处理：坐席查到验收申请已超时，登记催办并升级营销部门，三天内完成验收并网。要点：说清已超时并道歉，给出明确的下一步时间。",
        ),
        case(
            "案例/藏语",
            "藏语服务",
            AMDO + "|" + KHAM,
            "康巴语客户来电",
            "情况：玉树地区客户用康巴语报修，当班安多语座席听不太懂。处理：座席用普通话和简单藏语确认地址和停电情况先受理派单，同时登记由康巴语客服代表当班时回访确认。要点：先受理不耽误抢修，再安排懂康巴语的同事回访。",
            source=TIBETAN_SEED,
        ),
        case(
            "案例/辱骂",
            "辱骂|服务规范",
            line,
            "客户因停电辱骂坐席",
            "情况：大面积停电时一位客户反复辱骂坐席。处理：坐席先安抚并说明抢修进度；客户继续辱骂，坐席按规范两次提醒文明用语，仍无改善，请示值班长后说“感谢您的使用，再见”结束通话并记录。要点：两次提醒都要说到，结束前要请示。",
            source=SCRIPTS_SEED,
        ),
    ]


def power_scripts() -> list[Article]:
    line = "|".join(POWER_LINE)
    tibetan = AMDO + "|" + KHAM
    return [
        script(
            "95598话术/藏语",
            "藏语服务|开头语|结束语",
            tibetan,
            "藏语座席开头语和结束语",
            "藏语座席的问候与结束语（得姆、扎西德勒）。",
            [
                Step(
                    "藏语问候",
                    "得姆（您好），95598藏语服务，工号xxx，请问有什么可以帮您？",
                    "得姆|95598",
                ),
                Step("确认无疑问", "请问还有其它可以帮您的吗？", "还有其它"),
                Step("藏语结束语", "扎西德勒（吉祥如意），再见！", "扎西德勒"),
            ],
            source=TIBETAN_SEED,
        ),
        script(
            "95598话术/报修",
            "停电报修|故障报修",
            line,
            "停电报修受理",
            "先排除欠费和客户内部故障，再登记故障地址、电话、类别并告知到达时限。",
            [
                Step(
                    "确认停电范围",
                    "请问您邻居家有电吗？是整栋楼都没电还是只有您家？",
                    "邻居|整栋楼|只有您家",
                ),
                Step(
                    "排除欠费",
                    "麻烦您看一下电表上的剩余金额，是不是显示为零？",
                    "电表|剩余金额|余额",
                ),
                Step(
                    "登记信息",
                    "请您提供一下详细的故障地址和联系电话。",
                    "故障地址|联系电话",
                    "你自己去找电工",
                ),
                Step(
                    "告知时限",
                    f"已经为您登记报修，抢修人员会在规定时限内到达现场（{ARRIVAL}），请保持电话畅通。",
                    "登记报修|到达现场|保持电话畅通",
                    "不知道什么时候|等着吧",
                ),
            ],
        ),
        script(
            "95598话术/复电",
            "欠费停电|复电",
            line,
            "欠费停电复电受理",
            "核实缴费，告知复电时限，超时的登记复电催办。",
            [
                Step(
                    "核实缴费",
                    "请问您是什么时间、通过什么渠道缴的费？我帮您查一下到账情况。",
                    "缴的费|到账",
                ),
                Step(
                    "告知时限",
                    "缴费已经到账，系统会自动复电，一般2小时内恢复，最长不超过24小时。",
                    "自动复电|2小时",
                ),
                Step(
                    "超时登记",
                    "已经超过2小时了，我马上为您登记复电催办，会尽快为您恢复供电。",
                    "复电催办|尽快",
                    "再等等吧",
                ),
            ],
            source=DEMANDS_SEED,
        ),
        script(
            "95598话术/应急",
            "特殊天气|停电报修",
            line,
            "大面积停电时的统一答复",
            "大范围停电期间的统一口径，见“大面积停电应急受理要求”。",
            [
                Step(
                    "致歉说明",
                    "非常抱歉，受恶劣天气影响，您所在区域线路发生故障，抢修人员正在全力抢修。",
                    "非常抱歉|全力抢修",
                ),
                Step(
                    "告知预计时间",
                    "预计恢复时间是xxx，恢复后会给您发短信通知。",
                    "预计恢复|短信通知",
                    "不清楚|我也不知道",
                ),
                Step("安全提醒", "请您远离倒杆断线，注意用电安全。", "远离|注意"),
            ],
            source=TIBETAN_SEED,
        ),
    ]


# More everyday questions, one line each: (category, tags, queues, question, alternates, body).
TELECOM_MORE = (
    (
        "号码/服务密码",
        "服务密码",
        BILLING,
        "服务密码忘了怎么办？",
        "重置服务密码|密码输错被锁了|服务密码是什么",
        f"服务密码是6位数字，办业务、查详单时用。忘记的可以在{APP}用短信验证码加人脸识别重置，或本人带身份证到营业厅重置；连续输错5次锁定24小时。",
    ),
    (
        "号码/SIM卡",
        "补卡|SIM卡",
        BILLING,
        "手机显示要输PUK码怎么办？",
        "卡被锁了|PUK码是多少|SIM卡锁了",
        "PIN码连续输错3次会要求输入PUK码，核实机主身份后可以告诉您PUK码；PUK码输错10次SIM卡永久锁死，只能到营业厅免费补卡。",
    ),
    (
        "号码/SIM卡",
        "补卡|SIM卡|5G套餐",
        BILLING,
        "旧卡能用5G吗，要换卡吗？",
        "换5G卡|老卡不支持5G|换卡收费吗",
        "2019年以前办的卡部分不支持5G，可到营业厅免费换5G卡，号码和套餐不变，换卡后旧卡立即失效。",
    ),
    (
        "网络/上网",
        "流量|停机",
        FAULTS,
        "能打电话但是上不了网怎么回事？",
        "手机不能上网|流量开关开了也没网|4G图标不见了",
        "请检查：①是否单向停机（余额低于0元不能上网）；②手机“移动数据”开关；③是否开了飞行模式后没恢复；④重启手机。都正常仍上不了网的，登记网络故障工单。",
    ),
    (
        "短信/发送",
        "短信",
        FAULTS,
        "短信发不出去怎么办？",
        "短信发送失败|发短信一直转圈|短信显示感叹号",
        "先确认余额和号码状态正常，检查短信中心号码设置是否被改动，重启手机。给某一个号码发不出去的，可能是对方号码问题。仍不行的登记工单排查。",
    ),
    (
        "安全/防诈",
        "防诈骗|骚扰电话",
        BILLING + "|" + FAULTS,
        "老接到骚扰电话怎么办？",
        "骚扰电话太多|推销电话拦截|诈骗电话怎么举报",
        f"可以在{APP}免费开通“骚扰电话拦截”，标记过的骚扰号码自动拦截；诈骗电话、短信可以发送到12381举报。畅联客服不会索要验证码和银行卡密码。",
    ),
    (
        "话费/余额",
        "退费|话费查询",
        BILLING,
        "话费余额能退吗？",
        "余额退现金|话费充多了能退吗|余额转给别人",
        "在网使用期间的余额不能提现或转给其他号码，可以一直用于抵扣话费；销户或携号转出时，余额退到本人银行卡，约7个工作日。赠送的话费不退。",
    ),
    (
        "流量/结转",
        "流量",
        BILLING,
        "套餐流量用不完能结转吗？",
        "剩下的流量下个月能用吗|流量清零了|流量结转",
        "套餐内流量和通话分钟数当月有效，不结转到下月；加油包也只在当月有效。经常用不完的可以换更低的套餐，次月生效。",
    ),
    (
        "宽带/WiFi",
        "宽带故障|WiFi",
        FAULTS,
        "WiFi密码忘了怎么改？",
        "改WiFi名字|路由器密码忘了|怎么改无线密码",
        "看光猫或路由器背面标签上的管理地址和默认密码，登录后在“无线设置”里修改；改不了的可以来电，我们远程帮您重置光猫WiFi密码（路由器是自购的需按说明书恢复出厂设置）。",
    ),
    (
        "宽带/账号",
        "宽带故障",
        FAULTS,
        "宽带账号密码忘了怎么办？",
        "宽带拨号密码|宽带账号是多少|重装系统后连不上宽带",
        "核实机主身份后可以告诉您宽带账号，并通过短信把新密码发到预留手机；多数光猫已自动拨号，无需在电脑上输入账号密码。",
    ),
    (
        "宽带/光猫",
        "宽带故障|光猫",
        FAULTS,
        "光猫坏了要自己买吗？",
        "光猫换新|光猫烧了|光猫收费吗",
        "光猫是免费借用的，正常使用中坏了免费更换，报修后师傅上门更换；人为损坏（摔坏、进水）的按100元赔偿。",
    ),
    (
        "宽带/IPTV",
        "IPTV|宽带新装",
        ORDERS,
        "IPTV电视怎么收费？",
        "装个网络电视|IPTV多少钱|电视盒子怎么办",
        "IPTV每月加10元，需已有畅联宽带，机顶盒免费借用，可回看7天节目。办理后师傅上门安装调试。",
    ),
    (
        "宽带/提速",
        "宽带新装|宽带续费",
        ORDERS,
        "宽带能提速吗？",
        "100M升300M|升级千兆|宽带提速多少钱",
        "可以，按新速率的价格补差价："
        + "；".join(f"{bb.speed}一年{bb.year_fee}元" for bb in BROADBAND)
        + "，按剩余月份折算。线路支持的当天生效，需换光猫的师傅上门更换。",
    ),
    (
        "套餐/副卡",
        "副卡",
        BILLING,
        "副卡不想要了怎么取消？",
        "取消副卡|副卡销户|减一张副卡",
        "主卡机主带身份证到营业厅办理，副卡可销户或转成独立号码（需副卡使用人实名），次月1日生效；套餐内含的副卡取消后月费不减。",
    ),
    (
        "套餐/流量",
        "流量|副卡",
        BILLING,
        "主副卡流量怎么共享？",
        "副卡能用主卡流量吗|共享流量谁先用|副卡用超了",
        "融合套餐的主卡和副卡共用一个流量池和通话分钟数，谁用谁扣，没有先后；用完后主副卡都按套外资费计费，费用记在主卡账单上。",
    ),
    (
        "国际/漫游",
        "国际漫游",
        BILLING,
        "去香港澳门用手机怎么收费？",
        "港澳台漫游|去香港要开什么|澳门上网",
        "港澳台按国际及港澳台漫游收费，需先开通漫游功能；建议订港澳台日包每天25元，含1GB高速流量。169元5G尊享套餐每月的3天免费日包也可在港澳台使用。",
    ),
    (
        "国际/漫游",
        "国际漫游",
        BILLING,
        "在国外接电话要钱吗？",
        "漫游接听收费吗|国外接电话扣多少|出国来电",
        "在境外接听电话按当地接听资费收费，接收短信免费；不想产生费用的可以关闭漫游功能或开启呼叫转移到语音信箱。",
    ),
    (
        "服务/App",
        "App",
        BILLING,
        "营业厅App登录不上怎么办？",
        "App收不到验证码|App登不上去|App闪退",
        "请更新到最新版本，用手机号加短信验证码登录；收不到验证码的可以选“本机号码一键登录”。仍有问题的可以用微信公众号办理，或来电由我们查账户状态。",
    ),
    (
        "服务/营业厅",
        "营业厅",
        BILLING,
        "去营业厅能预约吗？",
        "营业厅排队|预约取号|营业厅人多吗",
        f"可以，在{APP}“附近营业厅”预约时段取号，到店直接办理；老年人、残障人士可以走绿色通道。",
    ),
    (
        "话费/代扣",
        "充值|代扣",
        BILLING,
        "话费能绑银行卡自动交吗？",
        "话费自动充值|余额不足自动充|银行代扣话费",
        f"可以在{APP}开通“自动充值”：余额低于{LOW_BALANCE}元时从绑定的银行卡或支付宝自动充50元，可随时关闭。",
    ),
    (
        "终端/随身WiFi",
        "随身WiFi",
        ORDERS,
        "5G随身WiFi的流量怎么买？",
        "随身WiFi流量包|随身WiFi月包多少钱|随身WiFi年包",
        "5G随身WiFi配专用流量卡：月包每月49元60GB，年包每年499元、每月60GB，当月用不完不结转；用超了可以订同样的加油包。",
    ),
    (
        "终端/摄像头",
        "智能家居",
        ORDERS,
        "智能摄像头怎么看回放？",
        "摄像头录像在哪看|云存储怎么用|摄像头存多久",
        "标准版把录像存在摄像头里的存储卡上；云存储版录像保存30天，在手机App“回放”里按时间查看。云存储到期后可续费每年60元。",
    ),
    (
        "终端/合约机",
        "5G手机|合约",
        ORDERS,
        "合约机是什么意思？",
        "买手机送话费|合约购机划算吗|签合约买手机",
        "合约购机是选指定套餐并承诺在网一段时间，换取购机优惠：畅联5G手机X20选5G畅享129元套餐或169元5G尊享套餐签24个月，手机立减500元。合约期内不能降档和携号转出。",
    ),
)

POWER_MORE = (
    (
        "电价/阶梯",
        "阶梯电价",
        "我家现在是第几档电价？",
        "查阶梯档位|今年用了多少度|快到第二档了吗",
        f"在{GRID_APP}“阶梯电量”可查今年累计电量和所在档位，或来电报户号查询。分档：{_tiers()}。",
    ),
    (
        "电价/峰谷",
        "峰谷电价",
        "峰谷电价怎么取消？",
        "不想要峰谷电了|改回普通电价|取消分时电价",
        "执行满12个月后可以在App或营业厅申请取消，次月1日起恢复普通阶梯电价；不满12个月的暂不能取消。",
    ),
    (
        "电费/退费",
        "电费缴纳|退费",
        "预存的电费能退吗？",
        "多交的电费退回来|电费余额退款|搬走了电费余额",
        "预存电费一般用于抵扣以后的电费；销户或过户时，余额可以退到原户主本人银行卡，约7个工作日。",
    ),
    (
        "电费/户号",
        "电费查询|户号",
        "一个人能绑定几个户号？",
        "帮父母交电费|绑定老家的户号|App加户号",
        f"{GRID_APP}一个账号可以绑定多个户号，帮家人的户号交费查电量都可以；过户等业务仍需户主本人办理。",
    ),
    (
        "线路/迁改",
        "线路迁移",
        "电线杆挡着我家门口能移吗？",
        "线杆迁移|电线从我家房顶过|线路改道",
        "可以提出线路迁改申请，供电公司现场勘查后出具方案；因客户需要迁改的，费用一般由提出方承担，因规划建设需要的按规定处理。",
    ),
    (
        "线路/树障",
        "安全|停电报修",
        "树枝碰到电线了谁来处理？",
        "树挨着电线|修剪树枝|树压电线",
        "树木接近电力线路有停电和触电风险，请不要自己修剪，报95598说明位置，供电公司安排人员处理。",
    ),
    (
        "线路/噪音",
        "意见|变压器",
        "楼下变压器声音很大怎么办？",
        "变压器嗡嗡响|配电房噪音|变压器有辐射吗",
        "登记意见工单，供电公司派人现场检测噪音；变压器的电磁场强度远低于国家标准限值，可以放心。",
    ),
    (
        "停电/重要",
        "停电报修|特殊用户",
        "家里有病人用呼吸机，停电怎么办？",
        "家里有人用医疗设备|停电影响氧气机|特殊用户登记",
        "可以登记为需要特别关注的用户，计划停电会提前电话通知；建议为医疗设备配备不间断电源。突发停电时请说明情况，我们按紧急报修处理。",
    ),
    (
        "电费/转供电",
        "转供电|举报",
        "物业收的电费比国家电价高合法吗？",
        "物业加价收电费|商场转供电|房东电费一度一块五",
        "转供电主体（物业、商场等）不得在电费中加收其他费用，只能按电网销售电价收取；有加价的可以向当地市场监管部门或拨打95598反映。",
    ),
    (
        "新能源/充电桩",
        "充电桩报装",
        "充电桩要自己买吗？",
        "充电桩谁来装|7千瓦的桩|充电桩多大功率",
        "充电桩本身由客户自购（可找车企或有资质的安装单位），供电公司免费单独装表并接电。居民自用一般是7千瓦交流桩，单相电源即可。",
    ),
    (
        "新能源/光伏",
        "光伏并网",
        "光伏能从全额上网改成自发自用吗？",
        "改余电上网|光伏模式变更|光伏自用",
        "可以申请变更消纳方式，一年只能变更一次，供电公司现场确认后调整计量方式，次月起按新方式结算。",
    ),
    (
        "服务/网站",
        "服务渠道",
        "95598网站能做什么？",
        "95598官网|网上报修|网站查停电",
        "95598网站可以查停电信息、电费，提交报修和咨询、投诉建议，和网上国网App的数据一样。",
    ),
    (
        "停电/信息",
        "计划停电|节假日",
        "节假日也会停电检修吗？",
        "过年会不会停电|国庆停电检修|节日保电",
        "重要节假日和藏历新年等节日期间原则上不安排计划检修停电，遇到故障抢修除外。",
    ),
    (
        "电表/表箱",
        "电表|故障报修",
        "电表箱门坏了谁管？",
        "表箱锁坏了|电表箱生锈|表箱没门",
        "电表箱属供电公司资产，损坏的报修“计量装置”类故障，免费维修更换；请勿自行打开表箱。",
    ),
    (
        "欠费/违约金",
        "违约金|欠费停电",
        "停电期间还收违约金吗？",
        "欠费停电了违约金还在算吗|违约金太多了",
        f"违约金按欠费金额和逾期天数计算（{LATE_FEE}），停电期间欠费未交的仍会计收；缴清后停止计算。",
    ),
    (
        "业扩/增容",
        "增容|三相电",
        "家里要装三相电怎么申请？",
        "单相改三相|装380的电|三相电表",
        "居民用电一般为单相220伏；装大功率设备需要三相电的，申请增容改造，供电公司勘查台区容量后出具方案，免费更换三相电表，表后线路客户自理。",
    ),
    (
        "服务/藏语",
        "藏语服务",
        "藏语客服能办哪些业务？",
        "藏语能报修吗|藏语交电费咨询|藏语投诉",
        "和普通话座席一样，报修、停电信息查询、电量电费查询、办电咨询、投诉建议都能用藏语办理。",
    ),
)


def _more(rows: tuple[tuple[str, ...], ...]) -> list[Article]:
    return [
        answer(category, tags, queues, question, alternates, body)
        for category, tags, queues, question, alternates, body in rows
    ]


def telecom_all_answers() -> list[Article]:
    return telecom_answers() + _more(TELECOM_MORE)


def power_all_answers() -> list[Article]:
    return (
        power_answers()
        + workorder_answers()
        + power_more_answers()
        + _more(_on_the_line(POWER_MORE))
    )


# More policies and cases, one line each: (category, tags, queues, title, body).
TELECOM_MORE_POLICIES = (
    (
        "资费/增值业务",
        "增值业务|资费",
        BILLING,
        "增值业务资费一览",
        "彩铃每月5元；视频会员包每月15元；短信提醒服务每月3元；IPTV每月10元（需畅联宽带）；副卡每张每月10元；"
        "智能摄像头云存储每年60元；5G随身WiFi流量月包每月49元60GB、年包每年499元。均可随时退订，退订次月生效。",
    ),
    (
        "资费/国际漫游",
        "国际漫游|资费",
        BILLING,
        "国际及港澳台漫游资费",
        "漫游功能免费开通。漫游日包每天25元含1GB高速流量，用完降速不断网，多数国家和地区及港澳台适用；"
        "未订日包按当地标准资费收费。境外接听按当地资费收费，接收短信免费。169元5G尊享套餐每月含3天免费日包。",
    ),
    (
        "宽带/光猫",
        "光猫|宽带故障",
        FAULTS + "|" + BILLING,
        "光猫借用与赔偿规定",
        "光猫免费借用，正常使用损坏免费更换；人为损坏或拆机未归还按100元赔偿。自购路由器不在保修范围。",
    ),
    (
        "宽带/减免",
        "宽带故障|减免",
        FAULTS + "|" + COMPLAINTS,
        "宽带故障减免规定",
        "因畅联网络或设备原因断网超过24小时的，按断网天数减免宽带月费（包年按月均折算），修复后自动计算，"
        "在下月账单中体现；客户自有设备原因不减免。",
    ),
    (
        "号码/过户",
        "实名|过户",
        BILLING,
        "号码过户与销户规定",
        "过户需原、新机主双方持身份证到营业厅办理，结清费用，合约期内需先解约；过户、销户后积分清零。"
        "销户余额退到本人银行卡，约7个工作日。欠费90天未缴的号码回收，欠费仍需缴清。",
    ),
    (
        "服务/信息安全",
        "身份核实|服务规范",
        ALL_TELECOM,
        "客户信息保护规定",
        "查询账单、详单或办理业务前必须核实身份（姓名、号码、证件后四位或服务密码）；不得向他人透露机主信息，"
        "不得要求客户说出完整密码或验证码。通话中不复述完整身份证号和银行卡号。",
    ),
    (
        "终端/售后",
        "售后|产品订购",
        ORDERS,
        "终端售后服务政策",
        "畅联销售的终端均为官方正品：七天无理由退换（商品及包装完好、配件齐全），质量问题15天内换新，"
        "整机保修一年，全国联保；人为损坏、进水不在免费保修范围。退货运费由畅联承担。",
    ),
    (
        "服务/营业厅",
        "营业厅|服务规范",
        BILLING,
        "营业厅服务规定",
        "营业厅每天9:00至18:00营业，节假日照常；老年人、残障人士、孕妇走绿色通道优先办理；"
        "App预约取号的到店优先叫号。",
    ),
    (
        "安全/防诈",
        "防诈骗|骚扰电话",
        BILLING + "|" + FAULTS,
        "防范电信诈骗告知",
        "畅联客服不会以任何理由索要验证码、银行卡密码，不会要求客户转账到“安全账户”。"
        "客户反映疑似诈骗的，提醒其不要转账，引导拨打110或发送诈骗号码到12381举报。",
    ),
)

POWER_MORE_POLICIES = (
    (
        "业扩/新装",
        "新装|业扩报装",
        "居民用电新装材料和流程",
        "材料：户主身份证、房产证明（不动产证、购房合同或宅基地证明）。流程：线上或营业厅申请→现场勘查→装表接电，"
        "资料齐全、具备条件的3个工作日内完成，全程免费。",
    ),
    (
        "业务/过户",
        "过户",
        "居民用电过户规定",
        "新户主持身份证和房产证明申请，原户电费须结清；免费，当场办理；过户前的欠费由原户主承担。",
    ),
    (
        "电价/多人口",
        "阶梯电价|多人口",
        "居民一户多人口阶梯电量规定",
        f"户籍人口5人及以上的“一户一表”居民，每月增加{BIG_FAMILY_KWH}千瓦时阶梯分档基数；"
        "持户口本和户主身份证申请，审核后次月执行，每年复核一次，人口减少的应主动申报。",
    ),
    (
        "新能源/光伏",
        "光伏并网",
        "居民分布式光伏接入流程",
        "受理申请→2个工作日内现场勘查→出具接入方案→客户按方案安装→申请并网验收→验收合格装表并网。"
        "供电公司环节合计不超过30个工作日，接入、计量装置、并网调试全部免费。",
    ),
    (
        "新能源/充电桩",
        "充电桩报装",
        "居民自用充电桩报装规定",
        "材料：身份证、车位产权证明或一年以上租赁合同、物业同意安装证明（无物业的由居委会出具）、购车证明。"
        "单独装表，受理后5个工作日内装表接电，免费；充电桩由客户自购。",
    ),
    (
        "业扩/临时用电",
        "临时用电",
        "临时用电规定",
        "临时用电须单独装表计量，期限一般不超过3年，期满拆除或转为正式用电；按用电类别执行相应电价。",
    ),
    (
        "电费/转供电",
        "转供电",
        "转供电收费规定",
        "物业、商场等转供电主体只能按电网销售电价向终端用户收取电费，不得加价或加收其他费用；"
        "公共部位用电、损耗等应通过物业费等方式另行解决。",
    ),
    (
        "用电检查/窃电",
        "窃电|举报",
        "窃电和违约用电处理",
        "查实窃电的，追补电费并收取三倍违约使用电费，情节严重的移送公安机关；举报属实的按规定奖励举报人，"
        "并为举报人保密。私自增容、转供等违约用电按供用电合同处理。",
    ),
    (
        "服务/特殊用户",
        "特殊用户|计划停电",
        "需特别关注用户登记",
        "家中有依赖医疗设备的病人等情况的，可登记为需特别关注的用户：计划停电提前电话通知，突发停电按紧急报修处理。",
    ),
)

TELECOM_MORE_CASES = (
    (
        "案例/漫游",
        "国际漫游|话费争议|投诉",
        BILLING + "|" + COMPLAINTS,
        "出国未订日包产生高额漫游费",
        "情况：客户出国一周没订漫游日包，回国后账单多了800多元，来电投诉。处理：坐席先致歉，说明按当地标准资费计费的原因，"
        "查到漫游期间未收到提醒短信，按规定申请按日包价格重新计费，退还差额。要点：先查提醒是否送达，再谈退费。",
    ),
    (
        "案例/移机",
        "宽带移机|话费争议",
        BILLING + "|" + FAULTS,
        "移机收费引起争议",
        "情况：客户第二次移机被收50元，认为移机应免费。处理：坐席说明每个宽带账号首次移机免费、之后每次50元的规定，"
        "并查出首次移机是前年办的；客户接受。要点：收费规定先说清，再查历史记录。",
    ),
    (
        "案例/套餐",
        "套餐变更|合约",
        BILLING,
        "合约期内要求降套餐",
        "情况：5G畅享129元套餐客户合约期第5个月要求降到59元套餐。处理：坐席说明合约期内只能升档，"
        "介绍到期时间，并根据实际用量推荐先关闭不用的增值业务；客户同意合约到期后再变更，坐席登记提醒。",
    ),
)

POWER_MORE_CASES = (
    (
        "案例/转供电",
        "转供电|举报",
        "商铺反映物业加价收电费",
        "情况：商场商户反映物业按每千瓦时1.5元收电费。处理：坐席说明转供电不得加价的规定，登记意见工单，"
        "并告知可向市场监管部门反映；营销部门上门核实后督促物业整改。",
    ),
    (
        "案例/家电",
        "家电损坏|赔偿",
        "零线断线烧坏家电的赔偿",
        "情况：小区零线断线，多户电视、冰箱烧坏。处理：坐席合并同一故障的报修，登记家电损坏赔偿申请，"
        "提醒客户保留电器和凭证；供电公司24小时内上门调查，按折旧赔偿。要点：7日内申请，不要自行丢弃电器。",
    ),
    (
        "案例/多人口",
        "阶梯电价|多人口",
        "五口之家电费进入第三档",
        "情况：客户家七口人，秋季电费已按第三档收费。处理：坐席介绍一户多人口政策，客户次日带户口本办理，"
        "次月起每月增加100千瓦时分档基数。要点：电费咨询时主动问家庭人口。",
    ),
)


def _more_policies(rows: tuple[tuple[str, ...], ...]) -> list[Article]:
    return [
        policy(category, tags, queues, title, body) for category, tags, queues, title, body in rows
    ]


def _more_cases(rows: tuple[tuple[str, ...], ...]) -> list[Article]:
    return [
        case(category, tags, queues, title, body) for category, tags, queues, title, body in rows
    ]


def _on_the_line(rows: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """Rows without queues, given the power line's: (category, tags, queues, …)."""
    return tuple((row[0], row[1], "|".join(POWER_LINE), *row[2:]) for row in rows)


def telecom_all_policies() -> list[Article]:
    return telecom_policies() + _more_policies(TELECOM_MORE_POLICIES)


def telecom_all_cases() -> list[Article]:
    return telecom_cases() + _more_cases(TELECOM_MORE_CASES)


def power_all_policies() -> list[Article]:
    return power_policies() + _more_policies(_on_the_line(POWER_MORE_POLICIES))


def power_all_cases() -> list[Article]:
    return power_cases() + _more_cases(_on_the_line(POWER_MORE_CASES))


# --- the files ------------------------------------------------------------------------------


def telecom_products() -> list[Article]:
    articles = [article for plan in PLANS for article in plan_articles(plan)]
    articles += [article for bb in BROADBAND for article in broadband_articles(bb)]
    return articles + [article for device in DEVICES for article in device_articles(device)]


def telecom_scripts() -> list[Article]:
    return [*service_scripts(COMPANY, ALL_TELECOM, HOTLINE, "话术"), order_script()]


def power_line_scripts() -> list[Article]:
    generic = service_scripts("国网95598", "|".join(POWER_LINE), "95598", "95598话术")
    return generic + power_scripts()


# (file, code prefix, articles) in code order: a prefix's numbers run on across its files.
FILES = (
    ("tel_answers.yaml", "KB-TEL", telecom_all_answers),
    ("tel_products.yaml", "KB-TEL", telecom_products),
    ("tel_policies.yaml", "KB-TEL", telecom_all_policies),
    ("tel_cases.yaml", "KB-TEL", telecom_all_cases),
    ("tel_scripts.yaml", "KB-TEL", telecom_scripts),
    ("pwr_answers.yaml", "KB-PWR", power_all_answers),
    ("pwr_policies.yaml", "KB-PWR", power_all_policies),
    ("pwr_cases.yaml", "KB-PWR", power_all_cases),
    ("pwr_scripts.yaml", "KB-PWR", power_line_scripts),
)
HEADER = (
    "# The demo's knowledge vault: import records for lingting.engine.knowledge.article_record.\n"
    "# Written by scripts/demo_vault.py; edit the tables there and run it again.\n"
)


def main() -> None:
    VAULT.mkdir(parents=True, exist_ok=True)
    numbers: dict[str, int] = {}
    for name, prefix, articles in FILES:
        chunks = [HEADER]
        for article in articles():
            numbers[prefix] = numbers.get(prefix, 0) + 1
            record = {"code": f"{prefix}-{numbers[prefix]:04d}", **article.record}
            if article.source:
                chunks.append(f"# 出处: {article.source}\n")
            chunks.append(
                yaml.safe_dump(
                    [record],
                    allow_unicode=True,
                    sort_keys=False,
                    width=1000,
                    default_flow_style=None,
                )
            )
        (VAULT / name).write_text("".join(chunks), encoding="utf-8")
    print(", ".join(f"{prefix}: {count}" for prefix, count in numbers.items()))


if __name__ == "__main__":
    main()
