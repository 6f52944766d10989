"""What a centre's work orders start with: the ten 95598 types of seed 004
(004_2e6e1fc8a5fa7dff.txt, the Qinghai centre's figures): 故障报修, 投诉, 举报, 意见, 建议,
表扬, 服务申请, 订阅, 业务咨询, 催办; and seed 004's escalation ladder (投诉升级) with the
default threat words. The migrations seed a new database from these; the `ensure`
services put back what a flushed one lacks.

The seed names the types, not their time limits: the limits below are starting values a
centre changes on its own (fault repairs on the natural clock, the rest in working days).
"""

from typing import Any

from lingting.core.models import Role
from lingting.engine.escalation import DEFAULT_THREAT_WORDS
from lingting.workorders.models import EscalationLevel, EscalationSettings, WorkOrderType

PHONE = {"name": "phone", "label": "联系电话", "type": "phone", "required": True}
ADDRESS = {"name": "address", "label": "地址", "type": "text", "required": False}


def _days(normal: float, high: float, urgent: float) -> dict[str, Any]:
    return {
        "normal": {"clock": "business", "workdays": normal},
        "high": {"clock": "business", "workdays": high},
        "urgent": {"clock": "business", "workdays": urgent},
    }


TYPES: list[dict[str, Any]] = [
    {
        "code": "fault",
        "name": "故障报修",
        "default_priority": "high",
        "sla": {
            "normal": {"clock": "natural", "hours": 24},
            "high": {"clock": "natural", "hours": 8},
            "urgent": {"clock": "natural", "hours": 2},
        },
        "fields": [
            PHONE,
            {"name": "address", "label": "故障地址", "type": "text", "required": True},
            {
                "name": "fault_kind",
                "label": "故障类别",
                "type": "choice",
                "required": True,
                "choices": ["停电", "电压异常", "计量装置", "其他"],
            },
        ],
    },
    {
        "code": "complaint",
        "name": "投诉",
        "sla": _days(5, 2, 1),
        "fields": [
            PHONE,
            {"name": "subject", "label": "投诉对象", "type": "text", "required": False},
        ],
    },
    {
        "code": "report",
        "name": "举报",
        "sla": _days(5, 3, 1),
        "fields": [
            PHONE,
            {"name": "subject", "label": "被举报对象", "type": "text", "required": True},
        ],
    },
    {"code": "opinion", "name": "意见", "sla": _days(5, 3, 1), "fields": [PHONE]},
    {"code": "suggestion", "name": "建议", "sla": _days(5, 3, 1), "fields": [PHONE]},
    {
        "code": "praise",
        "name": "表扬",
        "sla": _days(5, 3, 1),
        "needs_callback": False,
        "fields": [{"name": "praised", "label": "表扬对象", "type": "text", "required": False}],
    },
    {"code": "service", "name": "服务申请", "sla": _days(3, 2, 1), "fields": [PHONE, ADDRESS]},
    {
        "code": "subscription",
        "name": "订阅",
        "sla": _days(3, 2, 1),
        "needs_callback": False,
        "fields": [PHONE],
    },
    {
        "code": "consultation",
        "name": "业务咨询",
        "sla": {
            "normal": {"clock": "business", "workdays": 1},
            "high": {"clock": "business", "hours": 4},
            "urgent": {"clock": "business", "hours": 2},
        },
        "needs_callback": False,
        "fields": [PHONE],
    },
    {
        "code": "urging",
        "name": "催办",
        "default_priority": "high",
        "sla": {
            "normal": {"clock": "business", "workdays": 1},
            "high": {"clock": "business", "hours": 4},
            "urgent": {"clock": "business", "hours": 2},
        },
        "fields": [
            PHONE,
            {"name": "earlier", "label": "原工单号", "type": "text", "required": False},
        ],
    },
]


def workorder_types_ensure() -> int:
    """Add whichever of the starting types is missing (a type a centre has changed is left
    as it is); returns how many were added. The migration seeds them on a new database."""
    added = 0
    for spec in TYPES:
        _type, created = WorkOrderType.objects.get_or_create(code=spec["code"], defaults=spec)
        added += created
    return added


# Seed 004's four rungs (话务现场投诉升级, "按顺序引导"), with starting triggers a centre tunes:
# the duty team leader at the deadline, at a second urge or at a threat; each line above
# further past the deadline or after more urges.
LADDER: list[dict[str, Any]] = [
    {
        "rank": 1,
        "name": "值班长/现场班长",
        "timeout_percent": 100,
        "urges": 2,
        "on_threat": True,
        "roles": [Role.TEAM_LEADER.value],
        "tell_department_lead": True,
    },
    {
        "rank": 2,
        "name": "地市分公司投诉热线",
        "timeout_percent": 150,
        "urges": 3,
        "roles": [Role.OPERATIONS_MANAGER.value],
        "tell_department_lead": True,
    },
    {
        "rank": 3,
        "name": "省服务监督热线",
        "timeout_percent": 200,
        "urges": 4,
        "roles": [Role.OPERATIONS_MANAGER.value],
    },
    {
        "rank": 4,
        "name": "集团客户服务监督热线",
        "timeout_percent": 300,
        "urges": 5,
        "roles": [Role.OPERATIONS_MANAGER.value, Role.ADMIN.value],
    },
]
# The types whose orders climb the ladder, and those a repeat never links (a second
# consultation or praise is no repeat complaint); the others link repeats within 30 days.
ESCALATING_TYPES = ("complaint", "report", "fault", "urging")
NEVER_REPEATED_TYPES = ("suggestion", "praise", "subscription", "consultation")


def escalation_ladder_ensure() -> bool:
    """Seed 004's ladder (with the types that escalate or never link repeats) and the
    default threat words where there are none (a flushed database); True when something
    was added. The migration seeds a new database."""
    added = False
    if not EscalationLevel.objects.exists():
        for spec in LADDER:
            EscalationLevel.objects.create(**spec)
        WorkOrderType.objects.filter(code__in=ESCALATING_TYPES).update(escalates=True)
        WorkOrderType.objects.filter(code__in=NEVER_REPEATED_TYPES).update(repeat_days=0)
        added = True
    if not EscalationSettings.objects.exists():
        EscalationSettings.objects.create(threat_words=list(DEFAULT_THREAT_WORDS))
        added = True
    return added
