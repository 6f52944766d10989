"""Speech rate: spoken characters a minute, from timed text (recognised or supplied).

Seed 004 篇8 (the smiling-voice training of a telecom center) sets the target: "语速控制在每分钟
200个字左右, 保持表达清晰、准确为基础" — about 200 characters a minute. "About" is a band, not
a point: `TARGET_CPM`, 150–260 a minute, the band of the standard scorecard's `speech_rate`
item and the default of a `speech_rate` rule that names none.

Characters are counted as the scoring rules count them (`spoken_length`: ideographs, letters
and digits; never punctuation, spaces or symbols), over the time the speaker held the turn,
its start to its end. A speaker's rate over a call is their characters over their seconds,
summed over the timed turns that have both (what the `speech_rate` rule judges), so that one
long turn weighs more than a quick 好的.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from lingting.engine.rules.scan import spoken_length

TARGET_CPM = (150.0, 260.0)


def chars_per_minute(chars: int, seconds: float) -> float | None:
    """`chars` spoken in `seconds`, a minute; None when either is nothing."""
    if chars <= 0 or seconds <= 0:
        return None
    return 60.0 * chars / seconds


def turn_speech_rate(text: str, start: float, end: float) -> float | None:
    """One turn's rate, in characters a minute."""
    return chars_per_minute(spoken_length(text), end - start)


def speaker_speech_rate(turns: Iterable[Mapping[str, Any]], speaker: str) -> float | None:
    """The rate of `speaker` over a call's turns in the interaction format (`speaker`, `text`,
    `start`, `end`); turns without times are left out, and None when no timed turn speaks."""
    chars, seconds = 0, 0.0
    for turn in turns:
        start, end = turn.get("start"), turn.get("end")
        if turn.get("speaker") != speaker or start is None or end is None:
            continue
        spoken = spoken_length(turn.get("text") or "")
        if spoken and end > start:
            chars += spoken
            seconds += end - start
    return chars_per_minute(chars, seconds)
