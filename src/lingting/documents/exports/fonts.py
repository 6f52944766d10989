"""The CJK font the PDF reports embed: LINGTING_REPORT_FONT, else the first that exists of
the usual Debian paths (`make report-font` installs WenQuanYi Micro Hei)."""

from __future__ import annotations

import os
from pathlib import Path

CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
)


class ReportFontMissing(RuntimeError):
    """No CJK font to embed: the message names every path tried and how to fix it."""


def report_font_path() -> Path:
    configured = os.environ.get("LINGTING_REPORT_FONT", "").strip()
    tried = [configured] if configured else list(CANDIDATES)
    for candidate in tried:
        if Path(candidate).is_file():
            return Path(candidate)
    raise ReportFontMissing(
        "no CJK font for PDF reports: looked for "
        + ", ".join(tried)
        + (
            " (set by LINGTING_REPORT_FONT)"
            if configured
            else "; install one (sudo apt-get install fonts-wqy-microhei) or set "
            "LINGTING_REPORT_FONT to a .ttf/.ttc file"
        )
    )
