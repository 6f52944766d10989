"""Topics (客户之声) found in real chats: the JDDC sample, and how long finding them takes.

    .venv/bin/python benchmarks/topics_jddc.py [--data PATH] [--copies N]

The sample is 994 JD.com chats (shared/data/jddc/jddc_2019_sample.jsonl; see that folder's
README). It prints each topic found (size, label, keywords, two of its customers' first
words), the seconds taken, and then the same on `--copies` copies of the sample (each chat's
customer turns with a word or two of another chat mixed in, so that no two are identical),
the speed figure at volume: ~100,000 contacts should take well under a minute on a laptop.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC
from pathlib import Path

import orjson

from lingting.engine.contacts import Contact, Turn, contact_from_record
from lingting.engine.topics import contact_text, find_topics

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/jddc/jddc_2019_sample.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--copies", type=int, default=100)
    args = parser.parse_args()
    if not args.data.exists():
        raise SystemExit(f"no JDDC sample at {args.data} (see shared/data/README.md)")
    contacts = [
        contact_from_record(orjson.loads(line), tz=UTC)
        for line in args.data.read_bytes().splitlines()
        if line.strip()
    ]
    began = time.perf_counter()
    model = find_topics(contacts)
    seconds = time.perf_counter() - began
    by_id = {c.id: c for c in contacts}
    print(f"{len(contacts)} chats → {len(model.topics)} topics in {seconds:.2f} s")
    print(f"{len(model.unassigned)} chats with nothing but greetings (no topic)")
    for topic in model.topics:
        print(f"\n#{topic.id}  {len(topic.members):4d}  {topic.label}")
        print(f"      keywords: {', '.join(topic.keywords)}")
        for member in topic.members[:2]:
            print(f"      · {contact_text(by_id[member])[:60]!r}")
    if args.copies > 1:
        many = _copies(contacts, args.copies)
        began = time.perf_counter()
        big = find_topics(many)
        seconds = time.perf_counter() - began
        print(
            f"\n{len(many):,} contacts → {len(big.topics)} topics in {seconds:.1f} s"
            f" ({len(many) / seconds:,.0f} contacts/s)"
        )
        began = time.perf_counter()
        big.assign(many[:10_000])
        seconds = time.perf_counter() - began
        print(f"assigning 10,000 new contacts to them: {seconds:.2f} s")


def _copies(contacts: list[Contact], copies: int) -> list[Contact]:
    """`copies` × the sample, each copy's customer turns given one word of another chat."""
    rng = random.Random(0)
    words = [w for c in contacts for t in c.turns if t.speaker == "customer" for w in t.text[:8]]
    many = []
    for n in range(copies):
        for contact in contacts:
            turns = tuple(
                Turn(t.index, t.speaker, t.text + rng.choice(words) if n else t.text)
                for t in contact.turns
                if t.speaker == "customer"
            )
            many.append(contact._replace(id=f"{contact.id}-{n}", turns=turns))
    return many


if __name__ == "__main__":
    main()
