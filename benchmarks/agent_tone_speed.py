"""How fast `agent_tone` reads agent turns, on the JDDC sample chats.

    .venv/bin/python benchmarks/agent_tone_speed.py [--data PATH] [--rounds N] [--examples N]

The sample is 994 JD.com chats (shared/data/jddc/jddc_2019_sample.jsonl; see that folder's
README). It prints agent turns/s and contacts/s on one core, how the sample's agents came
out (tone counts per turn, worst tone per contact, apologies and soothing), and a few turns
of each unfriendly tone with their evidence, for a person to check. `lingting score` needs
≥ 20,000 contacts/s on 2 cores with everything on, so tone should take well under 50 µs a
contact.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from emotion_speed import DEFAULT_DATA, load_contacts

from lingting.engine.agent_tone import UNFRIENDLY, agent_tone
from lingting.engine.contacts import Contact


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--examples", type=int, default=3)
    args = parser.parse_args()
    contacts = load_contacts(args.data)
    agent_turns = sum(1 for c in contacts for t in c.turns if t.speaker == "agent")
    agent_tone(contacts[0].turns)  # build the automaton outside the timing
    began = time.perf_counter()
    for _ in range(args.rounds):
        for contact in contacts:
            agent_tone(contact.turns)
    seconds = time.perf_counter() - began
    print(f"{len(contacts)} contacts, {agent_turns} agent turns, {args.rounds} rounds")
    print(f"{agent_turns * args.rounds / seconds:,.0f} agent turns/s")
    print(f"{len(contacts) * args.rounds / seconds:,.0f} contacts/s (one core)")
    print(f"{seconds / (len(contacts) * args.rounds) * 1e6:.1f} µs per contact")
    _summary(contacts, args.examples)


def _summary(contacts: list[Contact], examples: int) -> None:
    per_turn: Counter[str] = Counter()
    worst: Counter[str] = Counter()
    shown: Counter[str] = Counter()
    apologised = soothed = 0
    for contact in contacts:
        result = agent_tone(contact.turns)
        per_turn.update(turn.tone for turn in result.turns)
        worst[result.worst] += 1
        apologised += result.apologised
        soothed += result.soothed
        texts = {turn.index: turn.text for turn in contact.turns}
        for turn in result.turns:
            if turn.tone in UNFRIENDLY and shown[turn.tone] < examples:
                shown[turn.tone] += 1
                cues = ", ".join(f"{c.text}({c.kind})" for c in turn.evidence)
                print(f"  {turn.tone} {turn.intensity}: {texts[turn.turn][:60]} ← {cues}")
    print("turn tones:", dict(per_turn.most_common()))
    print("worst per contact:", dict(worst.most_common()))
    print(f"apologised: {apologised}, soothed: {soothed} of {len(contacts)}")


if __name__ == "__main__":
    main()
