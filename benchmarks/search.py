"""How long a search of the contact list takes over 1 M contacts with transcripts on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search \\
        .venv/bin/python benchmarks/search.py                    # 1,000,000 contacts
    .venv/bin/python benchmarks/search.py --contacts 200000 --keep

Builds its own database (the one DATABASE_URL names, default bench_search), migrated like
production, and fills it with COPY: `--contacts` contacts of the demo center, their turns
(~13 a contact) and their search documents and phone numbers. The transcripts come from a
pool of `--pool` demo calls (lingting.demo.generator) that the contacts take in turn, each
indexed as the import's task indexes it (interactions.search_index); one pool call in
`--rare` also has the customer say 我家停电了, so 停电 is a rare word and 宽带 (in the demo's
broadband calls) a common one. The GIN index is built after the load, as a restore would.

Then it times, best of `--repeat` rounds, for a QA supervisor (who sees every contact):

- the baselines: ``SELECT count(*)`` of the contacts, and ``LIKE '%停电%'`` over the turns
  (what a search without an index has to do);
- the contact list searching 停电, then 宽带: `contact_page_for`, the first page of 50 with
  its capped count and the snippets, as the page and the API read it;
- 停电 for an agent (only their own contacts).

It prints each figure and its ratio to the count(*) baseline; the target is a two-character
word under 500 ms. The database is dropped at the end unless --keep (which also reuses a
filled one).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from postgres_bench import bench_database, best, copy_rows

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_search")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lingting.config.settings")

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 1, 1, tzinfo=SHANGHAI)
AGENTS = 200
RARE_TURN = "我家停电了，都三个小时了，什么时候能来电？"
GIN_INDEX = "interactions_searchdocument_words_gin"  # migration 0006


def _text(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def pool_of(size: int, rare: int, seed: int) -> list[dict[str, Any]]:
    """Demo calls with their search entries computed once."""
    from lingting.demo.generator.organisation import demo_org
    from lingting.demo.generator.traffic import generate_contacts
    from lingting.engine.contacts import Turn
    from lingting.interactions.search import search_segmenter
    from lingting.interactions.search_index import search_entry_of

    org = demo_org(seed, agents=40)
    records = generate_contacts(
        org, seed=seed, start=date(2026, 1, 1), days=size // 300 + 2, calls_per_agent_day=10
    )
    segmenter = search_segmenter()
    pool = []
    for n, record in enumerate(islice(records, size)):
        turns = [(t["speaker"], t["text"]) for t in record.get("turns") or ()]
        if n % rare == 0:
            turns.insert(1, ("customer", RARE_TURN))
        tags = list(record.get("tags") or ())
        terms, numbers = search_entry_of(
            segmenter,
            [Turn(i, speaker, text) for i, (speaker, text) in enumerate(turns)],
            tags=tags,
            customer=None,
            extra={},
        )
        pool.append(
            {
                "turns": [
                    f"{i}\t{speaker}\t{_text(text)}" for i, (speaker, text) in enumerate(turns)
                ],
                "tags": _text(json.dumps(tags, ensure_ascii=False)),
                "terms": terms,
                "numbers": sorted(numbers),
            }
        )
    return pool


def fill(contacts: int, pool_size: int, rare: int, seed: int) -> None:
    from django.db import connection, transaction

    from lingting.core.models import Agent, Role, Team, User
    from lingting.interactions.models import Queue

    rng = random.Random(seed)
    started = time.perf_counter()
    pool = pool_of(pool_size, rare, seed)
    print(f"pool of {len(pool):,} demo calls indexed in {time.perf_counter() - started:.1f} s")
    User.objects.create_user("qa", role=Role.QA_SUPERVISOR)
    teams = [Team.objects.create(code=f"T{t:02d}", name=f"{t + 1}班") for t in range(10)]
    agents = Agent.objects.bulk_create(
        Agent(code=f"A{a:04d}", name=f"坐席{a}", team=teams[a % 10]) for a in range(AGENTS)
    )
    agent_user = User.objects.create_user("agent", role=Role.AGENT)
    Agent.objects.filter(pk=agents[0].pk).update(user=agent_user)
    queues = [Queue.objects.create(code=f"ACD-{q:02d}", name=f"业务{q}") for q in range(8)]
    now = datetime.now(SHANGHAI).isoformat()
    year = 365 * 86400

    def contact_rows() -> Any:
        for i in range(1, contacts + 1):
            at = (START + timedelta(seconds=rng.randrange(year))).isoformat()
            entry = pool[i % len(pool)]
            yield (
                f"{i}\tC{i:09d}\tvoice\tinbound\t{rng.choice(queues).pk}\t{rng.choice(agents).pk}\t"
                f"{at}\t{at}\tanswered\tcustomer\t{entry['tags']}\t[]\t{len(entry['turns'])}\t"
                f"{{}}\t{now}\t{now}"
            )

    def turn_rows() -> Any:
        for i in range(1, contacts + 1):
            for turn in pool[i % len(pool)]["turns"]:
                yield f"{i}\t{turn}"

    def document_rows() -> Any:
        for i in range(1, contacts + 1):
            terms = pool[i % len(pool)]["terms"]
            if terms:
                yield f"{i}\t{terms}"

    def number_rows() -> Any:
        for i in range(1, contacts + 1):
            for number in pool[i % len(pool)]["numbers"]:
                yield f"{i}\t{number}"

    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        cursor.execute(f"DROP INDEX {GIN_INDEX}")
        steps: list[tuple[str, Callable[[], int]]] = [
            (
                "contacts",
                lambda: copy_rows(
                    raw,
                    "interactions_contact",
                    "id, external_id, channel, direction, queue_id, agent_id, queued_at, "
                    "started_at, disposition, hangup_by, tags, holds, turn_count, extra, "
                    "imported_at, updated_at",
                    contact_rows(),
                ),
            ),
            (
                "turns",
                lambda: copy_rows(
                    raw, "interactions_turn", 'contact_id, "index", speaker, text', turn_rows()
                ),
            ),
            (
                "search documents",
                lambda: copy_rows(
                    raw, "interactions_searchdocument", "contact_id, terms", document_rows()
                ),
            ),
            (
                "phone numbers",
                lambda: copy_rows(
                    raw, "interactions_phonenumber", "contact_id, number", number_rows()
                ),
            ),
        ]
        for what, step in steps:
            began = time.perf_counter()
            count = step()
            print(f"copied {count:,} {what} in {time.perf_counter() - began:.1f} s")
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('interactions_contact', 'id'),"
            " (SELECT max(id) FROM interactions_contact))"
        )
    # After the commit: the deferred foreign-key checks of the COPYs must have run.
    with transaction.atomic(), connection.cursor() as cursor:
        began = time.perf_counter()
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cursor.execute(f"CREATE INDEX {GIN_INDEX} ON interactions_searchdocument USING gin (words)")
        print(f"GIN index built in {time.perf_counter() - began:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--pool", type=int, default=20_000, help="distinct demo transcripts")
    parser.add_argument("--rare", type=int, default=200, help="one pool call in N says 停电")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the database")
    args = parser.parse_args()

    with bench_database(keep=args.keep):
        from django.db import connection

        from lingting.core.models import User
        from lingting.interactions.models import Contact
        from lingting.quality.contact_filters import ContactFilters
        from lingting.quality.selectors.contacts import ContactPage, contact_page_for

        if not Contact.objects.exists():
            began = time.perf_counter()
            fill(args.contacts, args.pool, args.rare, args.seed)
            print(f"fill time: {time.perf_counter() - began:.1f} s")
        supervisor = User.objects.get(username="qa")
        agent = User.objects.get(username="agent")

        def sql(statement: str) -> Callable[[], object]:
            def run() -> object:
                with connection.cursor() as cursor:
                    cursor.execute(statement)
                    return cursor.fetchone()

            return run

        def search(user: User, word: str) -> Callable[[], ContactPage]:
            filters = ContactFilters(query=word)
            return lambda: contact_page_for(user=user, filters=filters, page_number=1)

        count = best(sql("SELECT count(*) FROM interactions_contact"), args.repeat)
        like = best(
            sql(
                "SELECT count(DISTINCT contact_id) FROM interactions_turn WHERE text LIKE '%停电%'"
            ),
            min(args.repeat, 2),
        )
        contacts = Contact.objects.count()
        print(f"{contacts:,} contacts")
        print(f"baseline SELECT count(*) of the contacts      {count:7.3f} s")
        print(
            f"LIKE '%停电%' over the turns (no index)        {like:7.3f} s  = {like / count:6.1f} ×"
        )
        for label, user, word in [
            ("search 停电 (rare), QA supervisor", supervisor, "停电"),
            ("search 宽带 (common), QA supervisor", supervisor, "宽带"),
            ("search 停电, an agent (own contacts)", agent, "停电"),
        ]:
            page = search(user, word)()
            took = best(search(user, word), args.repeat)
            found = f"{page.total:,}{'+' if page.total_is_capped else ''}"
            print(
                f"{label:<44}{took:7.3f} s  = {took / count:6.1f} ×  ({found} found; "
                f"target < 0.5 s: {'met' if took < 0.5 else 'MISSED'})"
            )


if __name__ == "__main__":
    main()
