"""How the contact record's codes (speaker, channel, direction, disposition) read in the
UI, in the user's language."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SPEAKER_LABELS: dict[str, Promise] = {
    "agent": _("坐席"),
    "customer": _("客户"),
    "system": _("系统"),
    "bot": _("机器人"),
}
CHANNEL_LABELS: dict[str, Promise] = {
    "voice": _("语音"),
    "chat": _("在线"),
    "sms": _("短信"),
    "email": _("邮件"),
    "video": _("视频"),
}
DIRECTION_LABELS: dict[str, Promise] = {"inbound": _("呼入"), "outbound": _("呼出")}
DISPOSITION_LABELS: dict[str, Promise] = {
    "answered": _("已接听"),
    "abandoned": _("放弃"),
    "ivr": _("IVR 自助"),
    "transferred": _("已转接"),
}


def label_of(labels: dict[str, Promise], value: str) -> str:
    """`value`'s label, or the value itself when the file carried a code we do not name."""
    return str(labels[value]) if value in labels else value
