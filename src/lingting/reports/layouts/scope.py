"""The scope a report's heading names: the part of the centre its reader may see."""

from __future__ import annotations

from django.utils.translation import gettext as _


def scope_heading(label: str) -> str:
    """The reader's part of the centre as a heading names it; all of it: 全中心."""
    return label or _("全中心")
