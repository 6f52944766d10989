"""How fast `customer_emotion` reads customer turns, on the JDDC sample chats.

    .venv/bin/python benchmarks/emotion_speed.py [--data PATH] [--rounds N]

The sample is 994 JD.com chats (shared/data/jddc/jddc_2019_sample.jsonl; see that folder's
README). It prints customer turns/s and contacts/s on one core, and how the sample's
customers came out (emotion counts per turn, peaks, contacts calmed) as a sanity check.
`lingting score` needs ≥ 20,000 contacts/s on 2 cores with everything on, so emotion should
take well under 50 µs a contact.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from datetime import UTC
from pathlib import Path

import orjson

from lingting.engine.contacts import Contact, contact_from_record
from lingting.engine.emotion import customer_emotion

DEFAULT_DATA = Path("/work/shared/data/jddc/jddc_2019_sample.jsonl")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    contacts = load_contacts(args.data)
    customer_turns = sum(1 for c in contacts for t in c.turns if t.speaker == "customer")
    customer_emotion(contacts[0].turns)  # build the automaton outside the timing
    began = time.perf_counter()
    for _ in range(args.rounds):
        for contact in contacts:
            customer_emotion(contact.turns)
    seconds = time.perf_counter() - began
    print(f"{len(contacts)} contacts, {customer_turns} customer turns, {args.rounds} rounds")
    print(f"{customer_turns * args.rounds / seconds:,.0f} customer turns/s")
    print(f"{len(contacts) * args.rounds / seconds:,.0f} contacts/s (one core)")
    print(f"{seconds / (len(contacts) * args.rounds) * 1e6:.1f} µs per contact")
    _summary(contacts)


def load_contacts(path: Path) -> list[Contact]:
    """The contacts of a JSON-lines file such as the JDDC sample (also used by the agent
    tone and resolution benchmarks)."""
    return [
        contact_from_record(orjson.loads(line), tz=UTC)
        for line in path.read_bytes().splitlines()
        if line.strip()
    ]


def _summary(contacts: list[Contact]) -> None:
    per_turn: Counter[str] = Counter()
    peaks: Counter[str] = Counter()
    calmed = 0
    for contact in contacts:
        result = customer_emotion(contact.turns)
        per_turn.update(turn.emotion for turn in result.turns)
        peaks[result.peak] += 1
        calmed += result.calmed
    print("turn emotions:", dict(per_turn.most_common()))
    print("peaks:", dict(peaks.most_common()))
    print(f"calmed: {calmed} of {len(contacts)}")


if __name__ == "__main__":
    main()
