"""Readable labels for the result codes stored on records (pass/fail/na)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def result_label(code: str) -> str:
    """通过 / 扣分 / 不适用 for pass / fail / na; anything else as it is."""
    labels = {"pass": _("通过"), "fail": _("扣分"), "na": _("不适用"), "manual": _("待人工")}
    return labels.get(code, code)
