"""When each turn of a call is said: speech rates, pauses, holds, dead air and agents
cutting in, as the transcript's timed turns and the call's holds."""

from __future__ import annotations

import itertools
import random
import re
from typing import Any

from lingting.demo.generator.conversation import Call

_PUNCTUATION = re.compile("[，。？！、；：…“”‘’（）,.?!;: ]")


def _pause(rng: random.Random) -> float:
    roll = rng.random()
    if roll < 0.88:
        return rng.uniform(0.3, 1.6)
    if roll < 0.98:
        return rng.uniform(1.6, 4.0)
    return rng.uniform(4.0, 8.0)


def mark_leads(call: Call) -> None:
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


def timeline(
    call: Call, customer_cpm: float
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
