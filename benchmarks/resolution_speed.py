"""How fast `contact_resolution` decides, on the JDDC sample chats.

    .venv/bin/python benchmarks/resolution_speed.py [--data PATH] [--rounds N] [--show N]

The sample is 994 JD.com chats (shared/data/jddc/jddc_2019_sample.jsonl; see that folder's
README). It prints contacts/s on one core and how the sample came out (resolved true, false
and null, and the reasons) as a sanity check; `--show N` prints N contacts of each reason
with their evidence for reading by hand. `lingting score` needs ≥ 20,000 contacts/s on 2
cores with everything on, so resolution should take well under 50 µs a contact.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from emotion_speed import DEFAULT_DATA, load_contacts

from lingting.engine.contacts import Contact
from lingting.engine.resolution import Resolution, contact_resolution


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--show", type=int, default=0)
    args = parser.parse_args()
    contacts = load_contacts(args.data)
    contact_resolution(contacts[0].turns)  # build the automaton outside the timing
    began = time.perf_counter()
    for _ in range(args.rounds):
        for contact in contacts:
            contact_resolution(contact.turns)
    seconds = time.perf_counter() - began
    print(f"{len(contacts)} contacts, {args.rounds} rounds")
    print(f"{len(contacts) * args.rounds / seconds:,.0f} contacts/s (one core)")
    print(f"{seconds / (len(contacts) * args.rounds) * 1e6:.1f} µs per contact")
    results = [(contact, contact_resolution(contact.turns)) for contact in contacts]
    print("resolved:", dict(Counter(str(r.resolved) for _, r in results).most_common()))
    print("reasons:", dict(Counter(r.reason for _, r in results).most_common()))
    if args.show:
        _show(results, args.show)


def _show(results: list[tuple[Contact, Resolution]], per_reason: int) -> None:
    shown: Counter[str] = Counter()
    for contact, result in results:
        if shown[result.reason] >= per_reason:
            continue
        shown[result.reason] += 1
        print(f"--- {contact.id} {result.resolved} {result.reason}")
        for turn in contact.turns[-4:]:
            print(f"  {turn.index} {turn.speaker}: {turn.text[:70]}")
        print("  evidence:", [(c.turn, c.text, c.kind) for c in result.evidence])


if __name__ == "__main__":
    main()
