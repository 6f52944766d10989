"""Deterministic demo data: a contact-center organisation and a month of inbound calls.

`demo_org(seed)` builds the ACD queues, teams and agents (some good, some clearly poor);
`generate_contacts(org, seed=..., start=...)` yields interaction-format records
(`shared/design/FORMATS.md`) in time order: answered calls with timed Mandarin transcripts
and CDR-only abandoned calls. Transcripts are composed from the templates below following
the QA standard of seed 002 (opening/closing lines, 服务禁语, 口头禅, polite words, thanks,
apologies, the 11 order-flow steps), so every automatic check has something to find, and
some harmless look-alikes ("不清楚的话我帮您查一下") so precision shows.

Only `random.Random` seeded from `seed` is used: the same seed gives identical output.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from itertools import accumulate
from typing import Any

# ---------------------------------------------------------------------------------------------
# Organisation data
# ---------------------------------------------------------------------------------------------

DEMO_AS_OF = date(2026, 10, 1)  # "today" for hire dates when demo_org is not told otherwise
NEW_AGENT_DAYS = 90  # hired less than this many days before as_of → a new agent

QUEUES = (
    ("ACD-01", "话费咨询"),
    ("ACD-02", "故障报修"),
    ("ACD-03", "投诉处理"),
    ("ACD-04", "产品订购"),
)
TEAMS_PER_QUEUE = 2
NUMERALS = "一二三四五六七八九十"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程"
    "魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史黎贺顾毛郝龚邵"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉晨雪琳婷宇浩凯佳欣怡梦瑶子涵"

COMPANY = "畅联"
HOTLINE = "4008-100-186"

# ---------------------------------------------------------------------------------------------
# Traffic shape
# ---------------------------------------------------------------------------------------------

TZ = timezone(timedelta(hours=8))  # Asia/Shanghai has no DST: a fixed +08:00 offset
FIRST_HOUR = 8  # calls arrive 08:00–22:00
# Relative arrivals per hour from 08:00; peaks around 10:00 and 15:00.
WEEKDAY_HOURS = (4.0, 7.5, 10.0, 8.5, 5.0, 5.5, 8.0, 9.5, 8.0, 6.0, 4.5, 4.0, 3.0, 2.0)
WEEKEND_HOURS = (3.0, 5.5, 8.0, 7.5, 5.5, 6.0, 7.0, 8.0, 7.0, 6.0, 5.0, 4.5, 3.5, 2.5)
# Monday..Sunday volume factors (mean 1.0): weekdays busier than weekends.
DAY_FACTORS = (1.15, 1.08, 1.04, 1.04, 1.08, 0.85, 0.76)
RING_SECONDS = 4.0
GOOD_RINGS = (50.0, 38.0, 9.0, 2.0, 1.0, 0.0)  # weights for 1..6 rings
BAD_RINGS = (15.0, 30.0, 22.0, 15.0, 11.0, 7.0)
PATIENCE_S = 240  # a caller who would wait longer than this gives up

# ---------------------------------------------------------------------------------------------
# Conversation templates. Slots ({name}, {amount}, ...) are filled per call by _slots().
# ---------------------------------------------------------------------------------------------

LINES: dict[str, tuple[str, ...]] = {
    # opening / greeting
    "open_full": (
        "您好，很高兴为您服务，请问有什么可以帮您？",
        "您好，{company}客服，很高兴为您服务，请问有什么可以帮您？",
        "您好，{company}通信，工号{agent_no}，很高兴为您服务，请问有什么可以帮您？",
        "您好，{agent_no}号客服代表很高兴为您服务，请问有什么可以帮助您？",
    ),
    "open_order": (
        "您好，{company}商城，很高兴为您服务，请问有什么可以帮助您？",
        "您好，{company}商城，很高兴为您服务，请问您需要订购什么产品？",
        "您好，{company}商城{agent_no}号，很高兴为您服务，请问有什么可以帮您？",
    ),
    "open_partial": ("您好，请讲。", "您好，请问有什么事？", "你好，有什么事吗？", "您好。"),
    "open_bad": ("喂，你好。", "喂？说吧。", "喂，什么事？"),
    "cust_hello": ("喂？喂，是客服吗？", "喂，你好？", "有人吗？喂？"),
    "agent_hello_bad": ("嗯，在，你说。", "在的，说吧。", "听得到，什么事？"),
    # identity (三要素 / 核实信息)
    "id_ask": ("请问您贵姓？", "请问您怎么称呼？", "为了方便为您服务，请问您贵姓？"),
    "id_ask_bad": ("你姓什么？", "你叫什么名字？"),
    "my_surname": ("我姓{surname}。", "免贵姓{surname}。", "姓{surname}。"),
    "id_verify": (
        "{name}您好，为了保障您的账户安全，麻烦您提供一下机主身份证号码的后四位。",
        "{name}，请问您是机主本人吗？麻烦您报一下身份证后四位，我核实一下。",
        "好的{name}，请您提供一下机主的身份证后四位，我这边核实一下信息。",
    ),
    "my_id4": ("{id4}。", "是{id4}。", "后四位是{id4}。", "我看看……{id4}。"),
    "id_ok": (
        "好的，信息核对无误，感谢您的配合。",
        "核实通过了，谢谢您。",
        "好的，已经核实，谢谢{name}。",
    ),
    # upset customers and apologies
    "upset_generic": (
        "你们这服务也太差了，打了好几次电话才打进来！",
        "我都等了好久了，你们到底有没有人管？",
        "这个问题我已经反映过好几次了，一直没给我解决！",
        "我真的很生气，你们能不能认真点？",
    ),
    "apology": (
        "非常抱歉给您带来不便，我理解您的心情，我马上帮您处理。",
        "很抱歉让您久等了，请您别着急，我一定尽力帮您解决。",
        "实在对不起，给您添麻烦了，您反映的问题我已经记录下来了。",
        "非常抱歉，是我们的工作没做好，您先消消气，我这就帮您查。",
    ),
    "sorry": (
        "很抱歉给您带来不便，我马上帮您查一下。",
        "给您带来困扰非常抱歉，我这就帮您看看。",
        "不好意思让您遇到这样的问题，我来帮您处理。",
    ),
    "no_apology": (
        "那你说吧，什么问题。",
        "系统就是这么规定的，我们也没办法。",
        "你先别激动，说事。",
        "那你想怎么样？",
    ),
    "rude": (
        "你们这些客服就是摆设，什么都解决不了！",
        "我看你就是不想给我办！",
        "你会不会说话啊？",
    ),
    "insult": ("神经病！", "你是不是神经病啊？", "你去死吧，烦不烦。"),
    # brush-offs (服务禁语) and what the customer says back
    "brushoff": (
        "这个我不清楚。",
        "不知道，系统上看不到。",
        "这个我们也不知道，你去营业厅问问吧。",
        "我不明白你在说什么。",
        "你这话什么意思？",
        "那你想好了再打来吧。",
        "不清楚，你问别人吧。",
    ),
    "brushoff_reply": (
        "你们客服怎么什么都不知道？",
        "啊？那我打电话给你们干嘛？",
        "你这什么态度？",
        "我说得很清楚了啊。",
    ),
    "grudging": ("行吧，我再看看。", "好吧，我再给你看一下。"),
    # helpful lines that look like forbidden phrases but are not
    "helpful": (
        "如果您还有不清楚的地方，可以随时再问我。",
        "不清楚的话我帮您查一下。",
        "如果您不明白的话可以再问我，我再给您详细解释一下。",
        "这些您不知道也没关系，我来帮您核实。",
    ),
    # holds
    "wait_ask": (
        "请您稍等，我帮您{lookup}。",
        "好的，请稍等，我这边帮您{lookup}。",
        "麻烦您稍等一下，我马上帮您{lookup}。",
    ),
    "wait_ask_bad": ("我看一下。", "等着。", "我查查。"),
    "wait_thanks": ("感谢您的耐心等待，", "让您久等了，", "谢谢您的等待，"),
    "quick_look": ("好的，我看一下。", "嗯，我查一下。"),
    # speech too fast
    "too_fast": ("你说慢一点，我没听清。", "啊？你说得太快了，再说一遍。", "等一下，你说慢点。"),
    "repeat": ("好的，我再说一遍，", "不好意思，我慢一点说，"),
    # acknowledgements and closing
    "ack": ("嗯。", "好的。", "哦，这样啊。", "嗯嗯。", "明白了。"),
    "close_ask": (
        "请问还有其他可以帮您的吗？",
        "请问还有其他需要帮助的吗？",
        "{name}，请问还有别的问题吗？",
    ),
    "close_ask_reply": ("没有了，谢谢。", "没了，就这些。", "暂时没有了。", "没有了，谢谢你啊。"),
    "close_bye": (
        "感谢您的来电，祝您生活愉快，再见！",
        "不客气，感谢您的来电，祝您生活愉快，再见！",
        "好的，感谢您的耐心和配合，祝您生活愉快，再见。",
        "感谢您的来电，祝您工作顺利，再见！",
    ),
    "close_bad": ("好，就这样吧。", "行，那挂了。", "没事了吧？那挂了啊。", "嗯，拜拜。"),
    "cust_bye": ("好，再见。", "拜拜。", "好的，谢谢，再见。"),
    "survey": ("请您对本次服务进行评价，非常满意请按1，满意请按2，不满意请按3。",),
    # 话费查询 balance
    "bal_need": (
        "你好，帮我查一下话费还剩多少。",
        "我想查一下我手机还有多少话费。",
        "你好，我的话费余额还有多少啊？",
    ),
    "bal_answer": (
        "您当前的话费余额是{balance}元，本月已产生费用{spent}元。",
        "{name}，查到了，您的账户余额还有{balance}元，本月到目前消费了{spent}元。",
    ),
    "bal_more": ("好的，谢谢。", "行，知道了。", "好，那没事了。"),
    "bal_topup_ask": ("那我再充一百吧，怎么充比较方便？", "我想充点话费，在哪里充？"),
    "bal_topup": (
        "您可以通过{company}营业厅APP或者微信公众号充值，都是实时到账的。",
        "您在{company}APP上就能充，充值后马上到账。",
    ),
    # 话费咨询 high bill
    "bill_need": (
        "你好，我想问一下我{month}的话费怎么是{amount}元，平时才{usual}元左右。",
        "我{month}的话费怎么扣了{amount}块，比平时多了好多，帮我看看怎么回事。",
        "你好，我收到短信说{month}话费{amount}元，我想知道都扣了些什么。",
        "你好，我这个号码{month}话费突然高了很多，能帮我查一下吗？",
    ),
    "lk_bill": ("查询一下您{month}的账单明细", "调取一下您{month}的话费详单"),
    "bill_explain": (
        "{name}，经查询，您{month}除了套餐月费{plan_fee}元之外，还有{service}产生的费用{extra}元。",
        "您{month}的费用包括套餐费{plan_fee}元，另外还有{service}{extra}元，所以总费用比平时高一些。",
        "查到了，主要是{service}收了{extra}元，其余是正常的套餐费{plan_fee}元。",
    ),
    "bill_ask": (
        "{service}？我从来没订过这个啊。",
        "这个{service}是什么时候开通的？我怎么不知道？",
        "那这个{service}能退吗？",
    ),
    "bill_source": (
        "系统显示这个业务是{sub_date}通过短信回复开通的，如果您不需要，我现在就可以帮您退订。",
        "这项业务是{sub_date}开通的，每月自动续费，我可以马上帮您取消。",
    ),
    "bill_refund_ask": ("那你帮我退了吧，之前扣的钱能退回来吗？", "好，取消掉。已经扣的钱怎么办？"),
    "bill_refund": (
        "已经帮您退订成功了，之前的费用我帮您提交了退费申请，审核通过后会在三到五个工作日内"
        "返还到您的话费账户。",
        "退订已经办好了，已扣的{extra}元我帮您申请退还，三到五个工作日内到账，到时候会有短信通知您。",
    ),
    # 流量
    "data_need": (
        "我的流量怎么这么快就用完了，这个月才过了{day}天。",
        "你好，我刚收到短信说流量超了，我想问问怎么回事。",
        "我手机流量是不是有问题？怎么一下子就没了？",
    ),
    "lk_data": ("查一下您本月的流量使用情况", "看一下您的流量明细"),
    "data_explain": (
        "您的{plan}内含{data_gb}G通用流量，目前已经使用了{used_gb}G，主要是视频类应用消耗比较多。",
        "查到了，您本月已经使用了{used_gb}G流量，套餐内是{data_gb}G，超出的部分按套外资费收取。",
    ),
    "data_ask": (
        "那有没有什么划算一点的办法？",
        "那我后面这几天怎么办？",
        "超出的流量怎么收费的？",
    ),
    "data_offer": (
        "您可以办理一个{pack_price}元的流量加油包，包含{pack_gb}G流量，当月有效；如果每个月都不够用，"
        "也可以考虑升级到{new_plan}。",
        "建议您加一个流量包，{pack_price}元{pack_gb}G，比套外流量划算很多。",
    ),
    "data_accept": (
        "那先给我加个流量包吧。",
        "行，那就加一个流量包。",
        "我考虑一下套餐的事，先加个流量包。",
    ),
    "data_done": (
        "好的，已经为您办理成功，立即生效，稍后您会收到短信通知。",
        "流量包已经为您开通了，马上就能用。",
    ),
    # 套餐变更
    "plan_need": (
        "你好，我想把我的套餐换一下，现在这个{plan}太贵了。",
        "我想换个5G套餐，有什么推荐的吗？",
        "你好，我想问一下现在有什么优惠的套餐。",
    ),
    "plan_needs_ask": (
        "请问您平时每个月大概用多少流量，通话多吗？",
        "方便问一下您每个月流量和通话大概用多少吗？",
    ),
    "plan_needs_reply": (
        "流量大概{used_gb}G吧，电话打得不多。",
        "我流量用得多，每个月{used_gb}G左右，电话也就一两百分钟。",
    ),
    "lk_plan": ("查一下适合您的套餐", "看一下您的合约情况"),
    "plan_offer": (
        "根据您的使用情况，建议您选择{new_plan}，每月{new_fee}元，包含{data_gb}G流量和{minutes}分钟通话。",
        "我给您推荐{new_plan}，月费{new_fee}元，流量{data_gb}G，通话{minutes}分钟，比较符合您的使用习惯。",
    ),
    "plan_ask": ("那什么时候生效？", "换了以后有没有违约金？", "那我现在的合约怎么办？"),
    "plan_answer": (
        "套餐变更是次月生效的，从{next_month}1号开始按新套餐计费，没有违约金。",
        "您的合约已经到期了，可以直接变更，下个月1号生效。",
    ),
    "plan_accept": ("行，那就办吧。", "好的，帮我换吧。", "那就这个吧。"),
    "plan_done": (
        "好的，已经为您预约变更成功，稍后会有短信提醒。",
        "已经为您办理好了，{next_month}1号生效。",
    ),
    # 地址变更 / 移机
    "addr_need": (
        "我搬家了，想把宽带移到新地址。",
        "你好，我要改一下宽带的装机地址。",
        "我想办理宽带移机，新家在{district}。",
    ),
    "addr_ask": ("好的，请问您的新地址是？", "请您说一下新地址的详细信息。"),
    "addr_reply": ("{address}。", "新地址是{address}。"),
    "addr_confirm": (
        "我跟您核对一下，新地址是{address}，对吗？",
        "好的，{address}，我确认一下没有记错吧？",
    ),
    "yes": ("对的。", "对，没错。", "是的。"),
    "lk_addr": ("确认一下新地址的资源覆盖情况", "查一下新地址能不能安装"),
    "addr_result": (
        "您的新地址是可以安装的，装维师傅会在{appoint}上门，移机费用是{fee}元。",
        "新地址已经有光纤覆盖，我帮您预约了{appoint}上门移机。",
    ),
    "addr_ask2": ("师傅来之前会打电话吗？", "那旧地址的设备怎么办？"),
    "addr_answer2": (
        "会的，师傅上门前会提前跟您电话联系，请您保持电话畅通。",
        "旧地址的光猫师傅上门时会一起带走，您不用另外处理。",
    ),
    # 宽带故障
    "bb_need": (
        "你好，我家宽带从{when}就上不了网了。",
        "我家宽带断网了，光猫上有个红灯一直在闪。",
        "你好，我家宽带特别卡，网页都打不开。",
        "宽带又断了，这个月都第二次了。",
    ),
    "bb_light": (
        "请问您家里光猫上的指示灯现在是什么状态？",
        "请您看一下光猫上的LOS灯是不是亮红灯？",
    ),
    "bb_light_reply": (
        "有个灯是红的，一闪一闪的。",
        "灯都亮着，就是上不了网。",
        "我看看……有个红灯。",
    ),
    "bb_restart": (
        "麻烦您先把光猫的电源拔掉，等十秒钟再插上试一下。",
        "请您先把光猫和路由器都重启一下，看看能不能恢复。",
    ),
    "bb_restart_reply": (
        "重启过了，还是不行。",
        "我试过好几次了，没用。",
        "好，我试一下……还是不行。",
    ),
    "lk_bb": ("查询一下您所在区域的线路情况", "检测一下您的宽带线路"),
    "bb_result": (
        "经查询，您所在小区的线路出现了故障，维修人员正在抢修，预计{eta}恢复。",
        "系统检测您的线路信号异常，我已经为您登记报修，工单号是{ticket}，装维师傅会在{appoint}上门处理。",
    ),
    "bb_ask": (
        "能不能快点，我在家办公要用网。",
        "那断网这几天的费用怎么算？",
        "好吧，到时候师傅会先打电话吧？",
    ),
    "bb_answer": (
        "我理解您的着急，我已经给您的工单备注了加急，会尽快安排。",
        "故障期间的费用我们会按天给您减免，您不用担心。",
        "会的，师傅上门前会提前和您联系。",
    ),
    # 信号差
    "sig_need": (
        "我在家里手机信号特别差，打电话老是断。",
        "你好，我们小区最近手机信号很差，经常没有服务。",
        "我的手机在家里只有一格信号，上网也特别慢。",
    ),
    "sig_where": ("请问您所在的具体位置是？", "麻烦您提供一下信号差的具体地址。"),
    "sig_where_reply": ("{address}，在屋里基本只有一格信号。", "就在{district}，{address}。"),
    "sig_since": ("请问是最近才出现的，还是一直都这样？", "这种情况大概持续多长时间了？"),
    "sig_since_reply": ("就这半个月吧。", "有{days}了。", "一直都不太好，最近更差了。"),
    "lk_sig": ("查一下附近基站的情况", "看一下您那边的网络覆盖情况"),
    "sig_result": (
        "附近有一个基站正在进行设备升级，预计{eta}完成，之后信号会有改善。",
        "我已经为您提交了网络优化工单，工单号是{ticket}，网优工程师会在{promise}内联系您。",
    ),
    "sig_ask": ("那这几天怎么办？", "要是还不好呢？"),
    "sig_answer": (
        "您可以先打开手机的WiFi通话功能，在家里通话就不受影响了。",
        "如果处理后还没有改善，您可以随时来电，我们会安排工程师上门测试。",
    ),
    # 投诉: 话费争议
    "disp_need": (
        "我要投诉！你们凭什么乱扣我的钱？{month}多扣了{extra}元！",
        "你好，我要投诉你们乱收费，我根本没订过什么{service}。",
        "我{month}的话费莫名其妙多了{extra}块，你们必须给我个说法！",
    ),
    "lk_disp": ("核实一下这笔扣费", "查一下这笔费用的来源"),
    "disp_angry": (
        "我根本没订过，你们这就是乱收费！",
        "什么短信开通？我从来没回过短信！",
        "你们每次都这么说，这是第几次了？",
    ),
    "disp_fix": (
        "这笔费用我们核实后会全额退还给您，同时帮您关闭这项业务。",
        "我马上帮您退订，并申请退还已扣的{extra}元，三个工作日内给您回复。",
    ),
    "disp_ask": ("那以后还会不会再扣？", "钱什么时候能退回来？"),
    "disp_answer": (
        "我已经为您开通了增值业务防护功能，以后不会再被订购了。",
        "退款会在三到五个工作日内到账，到时候会有短信通知您。",
    ),
    "disp_end": ("行吧，你们以后注意点。", "好吧，希望别再有下次。"),
    "disp_thanks": (
        "感谢您的反馈，我们一定会加强管理。",
        "谢谢您的理解和支持，给您带来的不便再次向您表示歉意。",
    ),
    # 投诉: 维修
    "rep_need": (
        "你们的维修师傅约好了{appoint_past}来，结果一直没人来，电话也不接！",
        "我报修都{days}了，到现在还没人来修！",
        "我要投诉你们的装维人员，说好上门结果放我鸽子。",
    ),
    "rep_ask": (
        "请问您报修时登记的电话号码是多少？我帮您查一下工单。",
        "麻烦您提供一下报修的号码，我查一下处理进度。",
    ),
    "rep_reply": ("{phone}。", "就是我现在打的这个号码。"),
    "lk_rep": ("查一下您的维修工单", "看一下工单的处理进度"),
    "rep_result": (
        "我看到您的工单已经超时了，我马上帮您催单，并升级处理，{promise}内会有师傅联系您。",
        "您的工单派给了{district}的装维班组，我已经帮您加急催办，今天之内会有人联系您。",
    ),
    "rep_threat": ("这次再不来我就去工信部投诉了。", "你们要是再拖，我就不用你们家的宽带了。"),
    "rep_calm": (
        "我理解您的心情，这个问题我会一直跟进，处理结果会第一时间回访您。",
        "请您放心，我已经把情况详细备注了，一定会给您一个满意的答复。",
    ),
    # 投诉: 服务态度
    "att_need": (
        "我昨天去你们营业厅办业务，那个工作人员态度特别差。",
        "我要投诉你们营业厅的一个员工，说话特别难听。",
    ),
    "att_detail": (
        "请问您去的是哪个营业厅？大概是什么时间？",
        "方便说一下是哪个营业厅，大概几点钟的事吗？",
    ),
    "att_detail_reply": ("{hall}营业厅，下午三点多。", "就是{hall}那个营业厅，上午十点左右。"),
    "att_record": (
        "好的，我已经详细记录下来，会转给相关部门核实处理，处理结果会在{promise}内回复您。",
        "您反映的情况我已经登记了，工单号是{ticket}，我们会核实后给您回复。",
    ),
    "att_end": ("嗯，你们好好管管。", "行，那我等你们回复。"),
    "att_thanks": ("感谢您的宝贵意见，我们一定会改进。", "谢谢您的监督，我们会认真处理的。"),
    # 产品订购: the 11 order-flow steps of seed 002 §六
    "ord_want": (
        "你好，我看到你们在推{product}，想订一个。",
        "我想订购{product}。",
        "你好，{product}现在还有活动吗？我想买。",
    ),
    "ord_phone": ("{name}您好，请问您的联系电话是？", "请问您的联系电话是多少？"),
    "my_phone": ("{phone}。", "电话是{phone}。"),
    "ord_addr": ("请问收货地址是哪里呢？", "请您说一下收货地址。"),
    "my_addr": ("{address}。", "寄到{address}。"),
    "ord_sell": (
        "{name}，这款{product}{selling}。",
        "我给您介绍一下，这款{product}{selling}，现在活动价只要{price}。",
        "这款{product}最大的特点是{selling}，性价比很高。",
        "{name}，这款{product}的优势是{selling}，现在下单只要{price}。",
    ),
    "ord_sell_reply": ("听起来还不错。", "嗯，然后呢？", "这个价格还行。"),
    "ord_question": ("这个有保修吗？", "买了以后要是不满意能退吗？", "是正品吗？"),
    "ord_warranty": (
        "您放心，都是官方正品，整机保修一年，七天内不满意可以无理由退换。",
        "支持七天无理由退换，保修一年，全国都可以售后。",
    ),
    "ord_needs": (
        "请问您买来主要是自己用还是给家里人用呢？",
        "您平时主要用它来做什么呢？",
        "请问您是给自己买还是给家人买呢？",
    ),
    "ord_needs_reply": ("{need}", "嗯……{need}"),
    "ord_picture": (
        "打个比方，{analogy}。跟{compare}比起来，{advantage}。您看您是要{choice_a}还是{choice_b}？",
        "您可以这样想，{analogy}。而且和{compare}相比，{advantage}。您是选{choice_a}还是{choice_b}呢？",
    ),
    "ord_choice": ("那就要{choice}吧。", "{choice}吧。", "我要{choice}的。"),
    "ord_confirm": (
        "好的，我跟您核对一下订单信息：收货人{name}，电话{phone}，地址{address}，"
        "订购{product}{choice}，价格{price}，对吗？",
        "我再跟您确认一下：{name}，{phone}，收货地址{address}，{product}{choice}一份，共{price}，"
        "没问题吧？",
    ),
    "ord_confirm_reply": ("对的，没问题。", "没错。", "对。"),
    "ord_upsell": (
        "另外，现在订购还可以加{addon_price}元换购{addon}，很多客户都一起买了，您需要吗？",
        "顺便跟您说一下，现在加{addon_price}元就能带走{addon}，比单买便宜一半，您要不要一起带上？",
    ),
    "ord_upsell_reply": ("那也加上吧。", "这个就不用了。", "先不要了，谢谢。"),
    "ord_ending": (
        "您的订单已经提交成功，商品会在三到五个工作日内送达，货到付款，送货前快递员会提前联系您。"
        "如有问题请拨打我们的客服电话{hotline}，我的工号是{agent_no}。",
        "订单已经下好了，我们会在两天内发货，快递员送货前会给您打电话。售后问题可以拨打{hotline}，"
        "我是{agent_no}号客服。",
    ),
    "ord_ending_short": ("好了，订单下好了，过几天就到。", "行，给你下单了。"),
    "ord_bless": ("感谢您的订购，祝您生活愉快，再见！", "感谢您的支持，祝您和家人身体健康，再见！"),
}

FILLER_PREFIXES = ("啊，", "那个，", "这个，", "嗯……这个，", "那个……")
FILLER_ENDINGS = ("啊。", "呀。")

# Step language for scenarios: "c:key" customer says, "a:key" agent says, "A:key" agent
# answers (a poor agent may brush the customer off first), "U:key" upset customer line then
# the agent's apology (or not), "s:" agent apologises for the inconvenience (good agents do),
# "L:key" agent looks something up (hold), "i:" identity check, "n:" agent asks the name,
# "O:" the order flow; a leading "?" makes a step (or steps joined by "+") optional.


@dataclass(frozen=True, slots=True)
class _Scenario:
    key: str
    tags: tuple[str, ...]
    upset: float  # chance the customer is upset (complaints: always)
    script: str  # steps separated by spaces

    @property
    def steps(self) -> list[str]:
        return self.script.split()


SCENARIOS: dict[str, _Scenario] = {
    s.key: s
    for s in (
        _Scenario(
            "balance",
            ("话费查询",),
            0.03,
            "c:bal_need A:bal_answer ?c:bal_topup_ask+A:bal_topup c:bal_more",
        ),
        _Scenario(
            "bill",
            ("话费咨询",),
            0.15,
            "c:bill_need s: i: L:lk_bill A:bill_explain c:bill_ask A:bill_source c:bill_refund_ask"
            " a:bill_refund ?c:ack",
        ),
        _Scenario(
            "data",
            ("流量",),
            0.1,
            "c:data_need s: ?i: L:lk_data A:data_explain c:data_ask A:data_offer c:data_accept"
            " a:data_done",
        ),
        _Scenario(
            "plan",
            ("5G套餐", "套餐变更"),
            0.05,
            "c:plan_need i: a:plan_needs_ask c:plan_needs_reply ?L:lk_plan A:plan_offer c:plan_ask"
            " A:plan_answer c:plan_accept a:plan_done",
        ),
        _Scenario(
            "address",
            ("地址变更", "宽带移机"),
            0.05,
            "c:addr_need i: a:addr_ask c:addr_reply ?a:addr_confirm+c:yes L:lk_addr A:addr_result"
            " c:addr_ask2 A:addr_answer2",
        ),
        _Scenario(
            "broadband",
            ("宽带故障",),
            0.25,
            "c:bb_need s: a:bb_light c:bb_light_reply a:bb_restart c:bb_restart_reply L:lk_bb"
            " A:bb_result c:bb_ask A:bb_answer ?c:ack",
        ),
        _Scenario(
            "signal",
            ("信号差",),
            0.15,
            "c:sig_need s: a:sig_where c:sig_where_reply ?a:sig_since+c:sig_since_reply L:lk_sig"
            " A:sig_result c:sig_ask A:sig_answer",
        ),
        _Scenario(
            "dispute",
            ("话费争议", "投诉"),
            1.0,
            "U:disp_need i: L:lk_disp A:bill_source U:disp_angry a:disp_fix c:disp_ask"
            " A:disp_answer c:disp_end a:disp_thanks",
        ),
        _Scenario(
            "repair",
            ("维修投诉", "投诉"),
            1.0,
            "U:rep_need a:rep_ask c:rep_reply L:lk_rep A:rep_result U:rep_threat a:rep_calm",
        ),
        _Scenario(
            "attitude",
            ("服务态度", "投诉"),
            1.0,
            "U:att_need a:att_detail c:att_detail_reply A:att_record c:att_end a:att_thanks",
        ),
        _Scenario("order", ("产品订购",), 0.03, "O:"),
    )
}

# Scenario mix per queue (by position in QUEUES).
QUEUE_SCENARIOS: tuple[tuple[tuple[str, float], ...], ...] = (
    (("bill", 3.0), ("data", 2.0), ("plan", 2.0), ("balance", 1.5), ("address", 1.0)),
    (("broadband", 3.0), ("signal", 2.0), ("address", 1.0)),
    (("dispute", 3.0), ("repair", 2.0), ("attitude", 1.5)),
    (("order", 5.0), ("plan", 1.0)),
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

_PUNCTUATION = re.compile("[，。？！、；：…“”‘’（）,.?!;: ]")


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoQueue:
    id: str
    name: str


@dataclass(frozen=True)
class DemoTeam:
    id: str
    name: str
    leader_name: str
    queue: str


@dataclass(frozen=True)
class DemoAgent:
    id: str
    name: str
    team: str
    queue: str
    skill: float  # 0..1: how well the agent follows the standard
    hired_on: date
    is_new: bool


@dataclass(frozen=True)
class DemoOrg:
    queues: tuple[DemoQueue, ...]
    teams: tuple[DemoTeam, ...]
    agents: tuple[DemoAgent, ...]


def demo_org(seed: int, agents: int = 40, *, as_of: date = DEMO_AS_OF) -> DemoOrg:
    """Four ACD queues, two teams each, and `agents` agents spread over the teams.

    About 15% of agents are clearly poor (skill < 0.45), 30% middling and the rest good;
    about 20% were hired within the last 90 days before `as_of` (new agents).
    """
    rng = random.Random(f"org:{seed}")
    queues = tuple(DemoQueue(qid, name) for qid, name in QUEUES)
    names = _unique_names(rng, len(queues) * TEAMS_PER_QUEUE + agents)
    teams = tuple(
        DemoTeam(f"T{i + 1:02d}", f"话务{NUMERALS[i % 10]}班", names[i], queues[i // 2].id)
        for i in range(len(queues) * TEAMS_PER_QUEUE)
    )
    grades = _grades(rng, agents)
    people = tuple(
        _agent(rng, i, names[len(teams) + i], teams[_team_of(i, len(queues))], grades[i], as_of)
        for i in range(agents)
    )
    return DemoOrg(queues, teams, people)


def generate_contacts(
    org: DemoOrg,
    *,
    seed: int,
    start: date,
    days: int = 30,
    calls_per_agent_day: int | Callable[[date], int] = 10,
    coaching_from: date | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield interaction-format records for `days` days from `start`, in time order.

    `calls_per_agent_day` may vary by day (a quieter history before the busy month). An
    agent takes calls only from their hire date. From `coaching_from` on, the weakest fifth
    of the agents — those a center would coach first — work better, all but one in three of
    them: their habits become those of an agent 0.35 more skilled, the kind of change a
    coaching programme hopes for, which the demo's effect page then has to find (or not)
    on its own.
    """
    rate = (
        calls_per_agent_day if callable(calls_per_agent_day) else lambda _day: calls_per_agent_day
    )
    rng = random.Random(f"contacts:{seed}")
    styles = {a.id: _style(seed, a) for a in org.agents}
    coached = {**styles, **_coached_styles(seed, org)}
    peak = max(rate(start + timedelta(days=offset)) for offset in range(days)) if days else 0
    pool = max(500, int(len(org.agents) * peak * min(days, 30) * 0.8))
    for offset in range(days):
        day = start + timedelta(days=offset)
        by_queue = [
            tuple(a for a in org.agents if a.queue == q.id and a.hired_on <= day)
            for q in org.queues
        ]
        today = coached if coaching_from is not None and day >= coaching_from else styles
        sim = _DaySim(rng, org, by_queue, today, day, pool)
        yield from sim.run(rate(day))


COACHED_SHARE = 0.2
COACHING_GAIN = 0.35


def _coached_styles(seed: int, org: DemoOrg) -> dict[str, _Style]:
    """The habits, once coached, of the weakest fifth of the agents who respond to it:
    all but every third of them in order of skill, so that who responds does not hinge on
    a lucky draw in a group this small."""
    weakest = sorted(org.agents, key=lambda agent: (agent.skill, agent.id))
    weakest = weakest[: max(1, round(len(weakest) * COACHED_SHARE))]
    return {
        agent.id: _style(seed, replace(agent, skill=min(0.95, agent.skill + COACHING_GAIN)))
        for rank, agent in enumerate(weakest)
        if rank % 3 != 2
    }


# ---------------------------------------------------------------------------------------------
# Organisation helpers
# ---------------------------------------------------------------------------------------------


def _unique_names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        given = "".join(_choice(rng, GIVEN) for _ in range(_choice(rng, (1, 2, 2))))
        name = _choice(rng, SURNAMES) + given
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _team_of(index: int, queues: int) -> int:
    """Deal agents over the queues first, then over each queue's teams."""
    return (index % queues) * TEAMS_PER_QUEUE + (index // queues) % TEAMS_PER_QUEUE


def _grades(rng: random.Random, count: int) -> list[str]:
    bad = max(1, round(count * 0.15)) if count >= 3 else 0
    mid = round(count * 0.3)
    grades = ["bad"] * bad + ["mid"] * mid + ["good"] * (count - bad - mid)
    rng.shuffle(grades)
    return grades


def _agent(
    rng: random.Random, index: int, name: str, team: DemoTeam, grade: str, as_of: date
) -> DemoAgent:
    is_new = rng.random() < 0.2
    if is_new:
        hired = as_of - timedelta(days=rng.randint(14, NEW_AGENT_DAYS - 1))
    else:
        hired = as_of - timedelta(days=rng.randint(NEW_AGENT_DAYS + 30, 8 * 365))
    low, high = {"bad": (0.15, 0.42), "mid": (0.5, 0.72), "good": (0.76, 0.98)}[grade]
    if is_new and grade == "good":
        high = 0.85
    skill = round(rng.uniform(low, high), 2)
    return DemoAgent(f"A{1001 + index}", name, team.id, team.queue, skill, hired, is_new)


# ---------------------------------------------------------------------------------------------
# Agent behaviour
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Style:
    """One agent's habits as probabilities, derived from skill (and a seeded roll or two)."""

    cpm: float  # speech rate, Chinese characters per minute
    fast: bool
    opening: float
    closing: float
    identity: float
    rude_ask: float  # 你姓什么 instead of 您贵姓
    apology: float
    brushoff: float  # per answer
    helpful: float  # per answer
    filler: float  # per agent turn
    impolite: float  # per agent turn: 你 for 您, no 请
    dead_air: float  # per customer → agent hand-over
    interrupt: float  # per call: the agent keeps cutting in this call
    silent_hold: float  # hold without 请稍等
    hold_s: tuple[float, float]
    acw_s: tuple[float, float]
    hangup_first: float
    insult: float  # per call
    order_full: float
    rings: tuple[float, ...]  # cumulative weights for 1..6 rings


def _style(seed: int, agent: DemoAgent) -> _Style:
    rng = random.Random(f"style:{seed}:{agent.id}")
    s = agent.skill
    poor = max(0.0, 0.62 - s)  # 0 for good agents, up to ~0.47
    fast = rng.random() < (0.45 if s < 0.5 else 0.06)
    blend = [s * g + (1 - s) * b for g, b in zip(GOOD_RINGS, BAD_RINGS, strict=True)]
    return _Style(
        cpm=rng.uniform(280, 330) if fast else rng.uniform(180, 230),
        fast=fast,
        opening=min(0.98, 0.2 + 0.82 * s),
        closing=min(0.97, 0.15 + 0.85 * s),
        identity=min(0.95, 0.05 + 0.95 * s),
        rude_ask=0.005 + 0.5 * poor,
        apology=min(0.97, 0.1 + s),
        brushoff=0.004 + 0.55 * poor,
        helpful=0.03 + 0.1 * s,
        filler=0.01 + 0.8 * poor,
        impolite=0.3 * poor,
        dead_air=0.004 + 0.15 * poor,
        interrupt=0.02 + 0.8 * poor,
        silent_hold=0.03 + 1.2 * poor,
        hold_s=(12.0, 55.0) if s >= 0.5 else (20.0, 160.0),
        acw_s=(10.0, 45.0) if s >= 0.5 else (20.0, 120.0),
        hangup_first=0.02 + 0.5 * poor,
        insult=0.009 if s < 0.45 else 0.0,
        order_full=min(0.92, max(0.1, 1.5 * s - 0.5)),
        rings=tuple(accumulate(blend)),
    )


# ---------------------------------------------------------------------------------------------
# One call's conversation
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Beat:
    speaker: str
    text: str
    lead: str = ""  # what comes before the turn: "" pause, "hold", "dead" air, "cut" in


@dataclass(slots=True)
class _Call:
    rng: random.Random
    style: _Style
    slots: dict[str, str]
    upset: bool = False
    apologized: bool = False
    beats: list[_Beat] = field(default_factory=list)
    pending: str = ""  # lead for the next agent turn
    thank_next: bool = False  # next agent turn thanks the customer for waiting
    repeated: bool = False
    agent_hangup: bool = False

    def line(self, key: str) -> str:
        return _choice(self.rng, LINES[key]).format_map(self.slots)

    def customer(self, key: str) -> None:
        self.add("customer", self.line(key))

    def agent(self, key: str) -> None:
        self.agent_text(self.line(key))

    def agent_text(self, text: str) -> None:
        rng, style = self.rng, self.style
        if self.thank_next:
            text, self.thank_next = self.line("wait_thanks") + text, False
        if rng.random() < style.impolite:
            text = text.replace("您", "你").replace("请问", "").replace("请你", "你")
        if rng.random() < style.filler:
            text = _add_filler(rng, text)
        self.add("agent", text)

    def add(self, speaker: str, text: str, lead: str = "") -> None:
        if speaker == "agent" and self.pending:
            lead, self.pending = self.pending, ""
        last = self.beats[-1] if self.beats else None
        if last is not None and last.speaker == speaker and not lead:
            last.text += text
        else:
            self.beats.append(_Beat(speaker, text, lead))


def _add_filler(rng: random.Random, text: str) -> str:
    """One to three 口头禅: 啊，/那个，up front, 这个，mid-way, 啊/呀 at the end."""
    roll, said = rng.random(), text
    if roll > 0.3 and "，" in text[4:]:
        head, _, tail = text.rpartition("，")
        text = f"{head}，{_choice(rng, FILLER_PREFIXES)}{tail}"
    if (roll < 0.2 or roll > 0.6) and text.endswith("。"):
        text = text[:-1] + _choice(rng, FILLER_ENDINGS)
    if roll < 0.6 or text == said:
        text = _choice(rng, FILLER_PREFIXES) + text
    return text


def _compose(call: _Call, scenario: _Scenario, order: bool) -> None:
    steps = scenario.steps
    if call.upset and not any(s.startswith("U:") for s in steps):
        steps.insert(1, "U:upset_generic")
    _opening(call, order)
    for step in steps:
        _step(call, step)
    if call.rng.random() < call.style.insult:
        call.customer("rude")
        call.agent("insult")
        call.agent_hangup = True
    else:
        _closing(call, order)
    while len(call.beats) < 4:
        call.agent("close_bad")
        call.customer("cust_bye")


def _opening(call: _Call, order: bool) -> None:
    rng, style = call.rng, call.style
    if rng.random() < style.opening:
        call.agent("open_order" if order else "open_full")
    elif rng.random() < 0.45:
        call.agent("open_partial")
    elif rng.random() < 0.5:
        call.agent("open_bad")
    else:
        call.customer("cust_hello")
        call.agent("agent_hello_bad")


def _step(call: _Call, step: str) -> None:
    if step.startswith("?"):
        if len(call.beats) < 20 and call.rng.random() < 0.5:
            for part in step[1:].split("+"):
                _step(call, part)
        return
    role, _, key = step.partition(":")
    match role:
        case "c":
            call.customer(key)
        case "a":
            call.agent(key)
        case "A":
            _answer(call, key)
        case "U":
            _upset(call, key)
        case "s":
            if not call.apologized and call.rng.random() < call.style.apology:
                call.agent("sorry")
        case "L":
            _lookup(call, key)
        case "i":
            _identity(call)
        case "n":
            _ask_name(call)
        case "O":
            _order_flow(call)
        case _:
            raise ValueError(f"unknown step {step!r}")


def _answer(call: _Call, key: str) -> None:
    rng, style = call.rng, call.style
    if rng.random() < style.brushoff:
        call.agent("brushoff")
        call.customer("brushoff_reply")
        call.agent("grudging")
    answer = call.line(key)
    call.agent_text(answer)
    if rng.random() < style.helpful:
        call.agent("helpful")
    if style.fast and not call.repeated and rng.random() < 0.35:
        call.repeated = True
        call.customer("too_fast")
        call.agent_text(call.line("repeat") + answer)


def _upset(call: _Call, key: str) -> None:
    call.upset = True
    call.customer(key)
    call.apologized = call.rng.random() < call.style.apology
    call.agent("apology" if call.apologized else "no_apology")


def _lookup(call: _Call, key: str) -> None:
    rng, style = call.rng, call.style
    if rng.random() < 0.2:  # a quick look, no hold; a poor agent may go silent instead
        call.agent("quick_look")
        if rng.random() < style.dead_air * 4:
            call.pending = "dead"
        return
    if rng.random() < style.silent_hold:
        if rng.random() < 0.6:
            call.agent("wait_ask_bad")
    else:
        call.slots["lookup"] = call.line(key)
        call.agent("wait_ask")
        call.thank_next = rng.random() < 0.5 + 0.5 * style.identity
    call.pending = "hold"


def _ask_name(call: _Call) -> None:
    call.agent("id_ask_bad" if call.rng.random() < call.style.rude_ask else "id_ask")


def _identity(call: _Call) -> None:
    rng = call.rng
    if rng.random() < call.style.identity:
        call.agent("id_ask")
        call.customer("my_surname")
        call.agent("id_verify")
        call.customer("my_id4")
        call.agent("id_ok")
    elif rng.random() < 4 * call.style.rude_ask:
        call.agent("id_ask_bad")
        call.customer("my_surname")


def _order_flow(call: _Call) -> None:
    rng = call.rng
    names = [name for name, _ in ORDER_FLOW]
    if rng.random() >= call.style.order_full:
        for dropped in rng.sample(ORDER_OPTIONAL, rng.randint(1, 3)):
            names.remove(dropped)
        if rng.random() < 0.4:  # out of order: 三要素 late, or 下订单 before 听需求
            names.remove("identity")
            names.insert(rng.randint(2, len(names)), "identity")
    steps = dict(ORDER_FLOW)
    for name in names:
        for step in steps[name]:
            _step(call, step)


def _closing(call: _Call, order: bool) -> None:
    rng, style = call.rng, call.style
    if rng.random() < style.closing:
        if not order or rng.random() < 0.6:
            call.agent("close_ask")
            call.customer("close_ask_reply")
        if order:
            call.agent("ord_ending")
            call.agent("ord_bless")
        else:
            call.agent("close_bye")
        if rng.random() < 0.5:
            call.customer("cust_bye")
        if rng.random() < 0.25:
            call.add("system", call.line("survey"))
        call.agent_hangup = rng.random() < style.hangup_first
    else:
        if rng.random() < 0.5:
            call.agent("ord_ending_short" if order else "close_bad")
        call.agent_hangup = rng.random() < 0.3 + style.hangup_first


# ---------------------------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------------------------


def _pause(rng: random.Random) -> float:
    roll = rng.random()
    if roll < 0.88:
        return rng.uniform(0.3, 1.6)
    if roll < 0.98:
        return rng.uniform(1.6, 4.0)
    return rng.uniform(4.0, 8.0)


def _mark_leads(call: _Call) -> None:
    """Interruptions and dead air at hand-overs from customer to agent (and back, if upset)."""
    rng, style = call.rng, call.style
    cut_in = 0.35 if rng.random() < style.interrupt else 0.005
    for prev, beat in itertools.pairwise(call.beats):
        if beat.lead:
            continue
        if beat.speaker == "agent" and prev.speaker == "customer":
            roll = rng.random()
            if roll < cut_in:
                beat.lead = "cut"
            elif roll < cut_in + style.dead_air:
                beat.lead = "dead"
        elif beat.speaker == "customer" and prev.speaker == "agent" and call.upset:
            beat.lead = "cut" if rng.random() < 0.1 else ""


def _timeline(
    call: _Call, customer_cpm: float
) -> tuple[list[dict[str, Any]], list[dict[str, float]]]:
    rng = call.rng
    turns: list[dict[str, Any]] = []
    holds: list[dict[str, float]] = []
    rates = {"agent": call.style.cpm, "customer": customer_cpm, "system": 240.0}
    last_end = dict.fromkeys(rates, 0.0)
    max_end = prev_start = 0.0
    for beat in call.beats:
        chars = len(beat.text) - len(_PUNCTUATION.findall(beat.text))
        duration = max(0.5, chars * 60.0 / rates[beat.speaker] * rng.uniform(0.93, 1.07))
        if not turns:
            start = rng.uniform(0.2, 1.2)
        elif beat.lead == "hold":
            hold_start = max_end + rng.uniform(0.3, 1.0)
            hold_end = hold_start + rng.uniform(*call.style.hold_s)
            holds.append({"start": round(hold_start, 2), "end": round(hold_end, 2)})
            start = hold_end + rng.uniform(0.4, 1.5)
        elif beat.lead == "dead":
            start = max_end + rng.uniform(10.5, 24.0)
        elif beat.lead == "cut":
            start = max(prev_start + 0.4, max_end - rng.uniform(0.6, 1.5))
            start = max(start, last_end[beat.speaker] + 0.05)
        else:
            start = max_end + _pause(rng)
        end = start + duration
        turns.append(
            {
                "speaker": beat.speaker,
                "start": round(start, 2),
                "end": round(end, 2),
                "text": beat.text,
            }
        )
        prev_start, last_end[beat.speaker], max_end = start, end, max(max_end, end)
    return turns, holds


# ---------------------------------------------------------------------------------------------
# A day of traffic
# ---------------------------------------------------------------------------------------------


def _slots(rng: random.Random, agent: DemoAgent, customer: int, day: date) -> dict[str, str]:
    surname = SURNAMES[customer % len(SURNAMES)]
    title = "先生" if (customer // len(SURNAMES)) % 2 else "女士"
    plan, fee = _choice(rng, PLANS)
    new_plan, new_fee = _choice(rng, PLANS)
    product = _choice(rng, PRODUCTS)
    prev_month = 12 if day.month == 1 else day.month - 1
    data_gb = _choice(rng, (10, 20, 30, 40, 60, 100))
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
        "month": _choice(rng, ("上个月", "这个月", f"{prev_month}月份")),
        "next_month": f"{day.month % 12 + 1}月",
        "amount": f"{rng.uniform(120, 480):.2f}",
        "usual": str(fee + rng.randint(0, 20)),
        "plan": plan,
        "plan_fee": str(fee),
        "new_plan": new_plan,
        "new_fee": str(new_fee),
        "data_gb": str(data_gb),
        "used_gb": str(data_gb + rng.randint(-5, 15)),
        "minutes": str(_choice(rng, (300, 500, 1000))),
        "service": _choice(rng, SERVICES),
        "extra": str(_choice(rng, (10, 15, 20, 30, 45, 68, 99))),
        "sub_date": f"{prev_month}月{rng.randint(1, 28)}号",
        "balance": f"{rng.uniform(-20, 260):.2f}",
        "spent": f"{rng.uniform(5, 150):.2f}",
        "pack_price": str(_choice(rng, (10, 20, 30))),
        "pack_gb": str(_choice(rng, (3, 5, 10, 20))),
        "day": str(rng.randint(5, 25)),
        "fee": str(_choice(rng, (0, 50, 100))),
        "appoint": _choice(rng, APPOINTS),
        "appoint_past": _choice(rng, APPOINTS_PAST),
        "when": _choice(rng, WHENS),
        "eta": _choice(rng, ETAS),
        "promise": _choice(rng, PROMISES),
        "days": _choice(rng, DAYS_PHRASES),
        "hall": _choice(rng, HALLS),
        "ticket": f"GD{day:%Y%m%d}{rng.randint(1000, 9999)}",
        "lookup": "",
    }
    slots.update(product)
    slots["choice"] = _choice(rng, (product["choice_a"], product["choice_b"]))
    return slots


def _address(customer: int) -> str:
    district = DISTRICTS[customer % len(DISTRICTS)]
    road = ROADS[customer // 7 % len(ROADS)]
    return (
        f"{district}{road}{customer % 200 + 1}号{customer % 12 + 1}栋"
        f"{customer % 28 + 1}0{customer % 4 + 1}室"
    )


def _choice[T](rng: random.Random, options: Sequence[T]) -> T:
    """rng.choice, about twice as fast (this is the generator's innermost call)."""
    return options[int(rng.random() * len(options))]


def _pick(rng: random.Random, cumulative: Sequence[float]) -> int:
    """Index drawn with the given cumulative weights."""
    return rng.choices(range(len(cumulative)), cum_weights=cumulative)[0]


class _DaySim:
    """Arrivals, queueing and agent availability for one day across all queues."""

    def __init__(
        self,
        rng: random.Random,
        org: DemoOrg,
        by_queue: list[tuple[DemoAgent, ...]],
        styles: dict[str, _Style],
        day: date,
        pool: int,
    ) -> None:
        self.rng, self.org, self.by_queue, self.styles = rng, org, by_queue, styles
        self.day, self.pool = day, pool
        self.midnight = datetime(day.year, day.month, day.day, tzinfo=TZ)
        weekend = day.weekday() >= 5
        self.hours = WEEKEND_HOURS if weekend else WEEKDAY_HOURS
        self.hour_cum = tuple(accumulate(self.hours))
        self.busy: dict[str, float] = {a.id: 0.0 for a in org.agents}
        self.scenario_cum = [tuple(accumulate(w for _, w in mix)) for mix in QUEUE_SCENARIOS]

    def run(self, per_agent: int) -> Iterator[dict[str, Any]]:
        for number, (arrival, qi) in enumerate(self._arrivals(per_agent), start=1):
            yield self._call(f"C{self.day:%Y%m%d}-{number:06d}", arrival, qi)

    def _arrivals(self, per_agent: int) -> list[tuple[int, int]]:
        rng, factor = self.rng, DAY_FACTORS[self.day.weekday()]
        arrivals: list[tuple[int, int]] = []
        for qi, agents in enumerate(self.by_queue):
            count = round(len(agents) * per_agent * factor * rng.uniform(0.9, 1.1))
            for _ in range(count):
                hour = FIRST_HOUR + _pick(rng, self.hour_cum)
                arrivals.append((hour * 3600 + rng.randrange(3600), qi))
        arrivals.sort()
        return arrivals

    def _load(self, second: int) -> float:
        """How busy this hour is, 0..1 (the day's peak hour is 1)."""
        index = min(len(self.hours) - 1, max(0, second // 3600 - FIRST_HOUR))
        return self.hours[index] / max(self.hours)

    def _call(self, contact_id: str, arrival: int, qi: int) -> dict[str, Any]:
        rng = self.rng
        queued = arrival + rng.randint(8, 35)  # time in the IVR menu
        customer = 10000 + rng.randrange(self.pool)
        load = self._load(arrival)
        agents = self.by_queue[qi]
        if not agents or rng.random() < 0.035 + 0.05 * load**1.5:
            return self._abandoned(contact_id, arrival, queued, qi, customer, load)
        ready = queued + int(min(300.0, rng.expovariate(1.0 / (3.0 + 25.0 * load**2))))
        free = [a for a in agents if self.busy[a.id] <= ready]
        agent = _choice(rng, free) if free else min(agents, key=lambda a: self.busy[a.id])
        ready = max(ready, int(self.busy[agent.id]) + rng.randint(1, 5))
        if ready - queued > PATIENCE_S:
            return self._abandoned(contact_id, arrival, queued, qi, customer, load)
        return self._answered(contact_id, arrival, queued, ready, qi, agent, customer)

    def _abandoned(
        self, contact_id: str, arrival: int, queued: int, qi: int, customer: int, load: float
    ) -> dict[str, Any]:
        rng = self.rng
        if rng.random() < 0.2:
            wait = rng.randint(1, 4)  # a short abandon
        else:
            wait = min(PATIENCE_S, 5 + int(rng.expovariate(1.0 / (30.0 + 40.0 * load))))
        return {
            "id": contact_id,
            "channel": "voice",
            "direction": "inbound",
            "queue": self.org.queues[qi].id,
            "customer_id": f"U{customer}",
            "started_at": self._iso(arrival),
            "queued_at": self._iso(queued),
            "ended_at": self._iso(queued + wait),
            "disposition": "abandoned",
            "hangup_by": "customer",
            "wait_s": wait,
        }

    def _answered(
        self,
        contact_id: str,
        arrival: int,
        queued: int,
        ready: int,
        qi: int,
        agent: DemoAgent,
        customer: int,
    ) -> dict[str, Any]:
        rng, style = self.rng, self.styles[agent.id]
        rings = 1 + _pick(rng, style.rings)
        answered = ready + max(1, int(rings * RING_SECONDS - rng.uniform(0.0, 2.0)))
        scenario_key = QUEUE_SCENARIOS[qi][_pick(rng, self.scenario_cum[qi])][0]
        scenario = SCENARIOS[scenario_key]
        call = _Call(rng, style, _slots(rng, agent, customer, self.day))
        call.upset = rng.random() < scenario.upset
        _compose(call, scenario, order=scenario_key == "order")
        _mark_leads(call)
        turns, holds = _timeline(call, rng.uniform(200, 260))
        length = int(max(t["end"] for t in turns) + rng.uniform(0.5, 2.0)) + 1
        hold_s = round(sum((h["end"] - h["start"] for h in holds), 0.0), 1)
        acw = int(rng.uniform(*style.acw_s))
        self.busy[agent.id] = answered + length + acw
        tags = list(scenario.tags)
        if scenario_key == "order":
            tags.append(call.slots["tag"])
        # Handed on to another department (second line, a specialist): more often by agents
        # who cannot settle the matter themselves.
        transferred = rng.random() < 0.02 + 0.08 * (1 - agent.skill)
        return {
            "id": contact_id,
            "channel": "voice",
            "direction": "inbound",
            "queue": self.org.queues[qi].id,
            "agent_id": agent.id,
            "customer_id": f"U{customer}",
            "started_at": self._iso(arrival),
            "queued_at": self._iso(queued),
            "answered_at": self._iso(answered),
            "ended_at": self._iso(answered + length),
            "disposition": "answered",
            "hangup_by": "agent" if call.agent_hangup else "customer",
            "rings": rings,
            "wait_s": answered - queued,
            "talk_s": round(length - hold_s, 1),
            "hold_s": hold_s,
            "holds": holds,
            "acw_s": acw,
            "transferred": transferred,
            "tags": tags,
            "turns": turns,
        }

    def _iso(self, second: int) -> str:
        return (self.midnight + timedelta(seconds=second)).isoformat()
