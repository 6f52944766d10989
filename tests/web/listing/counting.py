"""One list, counted at 20 rows and at 200: the same number of queries, or an N+1.

Each page is asked for twice at each size and only the second answer is counted: the first
catches the tallies up and fills the caches, which costs the same at any size once the rows
are there, and is not what a reader of the list waits for.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

FEW, MANY = 20, 200

AddRows = Callable[[range], object]


def queries_of(client: Client, url: str, *, shows: str) -> list[str]:
    """The SQL of one warm GET of `url`, which must show `shows` (so an empty page, or a
    refusal, never passes for a cheap one)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    assert shows in response.content.decode(), f"{url} does not show {shows!r}"
    return [query["sql"] for query in queries.captured_queries]


def assert_queries_flat(client: Client, url: str, *, add_rows: AddRows, shown: str) -> None:
    """Add rows 0–19 and count; add rows 20–199 and count again: the two are equal.

    `add_rows(numbers)` writes the rows numbered so; `shown` is a text the list shows once
    they are written, with `{n}` the number of the newest (which any first page or capped
    list holds) and `{count}` how many there are: "L-{n:03d}", "{count} 名坐席"."""
    add_rows(range(FEW))
    few = queries_of(client, url, shows=shown.format(n=FEW - 1, count=FEW))
    add_rows(range(FEW, MANY))
    many = queries_of(client, url, shows=shown.format(n=MANY - 1, count=MANY))
    assert len(many) == len(few), _growth(few, many)


def _growth(few: list[str], many: list[str]) -> str:
    """The statements asked more often at 200 rows than at 20: where the N+1 is."""
    more = Counter(map(_shape, many)) - Counter(map(_shape, few))
    lines = [f"{count}× {sql[:300]}" for sql, count in more.most_common(5)]
    return f"{len(few)} queries at {FEW} rows, {len(many)} at {MANY}:\n" + "\n".join(lines)


def _shape(sql: str) -> str:
    """A statement without its values: the same query for another row reads the same."""
    return re.sub(r"\(\?(, \?)*\)", "(?)", re.sub(r"'[^']*'|\b\d+\b", "?", sql))
