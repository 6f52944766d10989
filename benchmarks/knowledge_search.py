"""How long a search of the knowledge vault takes on a demo-sized vault (300 articles).

    .venv/bin/python benchmarks/knowledge_search.py                       # SQLite (in memory)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_knowledge \\
        .venv/bin/python benchmarks/knowledge_search.py                   # PostgreSQL

Builds its own migrated database (SQLite in memory, or the PostgreSQL database DATABASE_URL
names, dropped at the end), writes `--articles` live articles of the four kinds about the
demo's telecom, power and payment topics, indexes them as the services do
(knowledge.search_index), then times, best of `--repeat` rounds, `knowledge_search` — what
the search page reads: the matching ids and scores, the filters, the first 50 articles with
their marked titles and snippets — for a two-character word, a traditional query, pinyin
initials, a synonym, a filtered query and a query that finds nothing, and beside it the
index's query alone (folding, segmenting, FTS5 or tsquery). Also the time to reindex the
whole vault (what saving the owners' words costs).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lingting.config.settings")

TOPICS = [
    ("停电", "用电/故障"),
    ("电费", "用电/缴费"),
    ("抄表", "用电/计量"),
    ("宽带", "宽带/故障"),
    ("话费", "话费/查询"),
    ("流量", "话费/流量"),
    ("套餐", "话费/套餐"),
    ("副卡", "号码/副卡"),
    ("携号转网", "号码/转网"),
    ("花呗", "支付/花呗"),
    ("信用卡", "支付/信用卡"),
    ("退费", "话费/退费"),
]
ENDINGS = ["怎么办", "如何办理", "收费标准", "常见问题", "到账时间"]
KINDS = ["answer", "policy", "case", "script"]


def best(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def fill(count: int) -> None:
    from django.utils import timezone

    from lingting.engine.knowledge import ArticleKind, ScriptStep, article_content
    from lingting.knowledge.models import Article, ArticleVersion, VersionState

    for n in range(count):
        topic, category = TOPICS[n % len(TOPICS)]
        kind = ArticleKind(KINDS[n % len(KINDS)])
        title = f"{topic}{ENDINGS[n // len(TOPICS) % len(ENDINGS)]}（{n}）"
        content = article_content(
            kind=kind,
            title=title,
            question=f"请问{topic}{ENDINGS[n % len(ENDINGS)]}？" if kind == "answer" else "",
            alternates=[f"{topic}的问题"] if kind == "answer" else [],
            body=(
                f"客户来电咨询{topic}时，先核实身份，再查询账户状态。"
                f"如遇系统繁忙，请告知客户稍后回电，并在工单中记录{topic}的情况。" * 3
            ),
            steps=[ScriptStep(name="安抚", say=f"非常理解您对{topic}的着急，我马上为您处理。")]
            if kind == "script"
            else [],
            category=category,
            products=["5G畅享套餐"] if n % 3 == 0 else [],
            tags=[topic],
        )
        article = Article.objects.create(
            code=f"KB-{n:05d}", kind=kind.value, title=content.title, category=category
        )
        article.live = ArticleVersion.objects.create(
            article=article,
            number=1,
            state=VersionState.PUBLISHED,
            content=content.to_dict(),
            published_at=timezone.now(),
        )
        article.save(update_fields=["live"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    settings = connection.settings_dict
    settings["TEST"]["NAME"] = None if connection.vendor == "sqlite" else settings["NAME"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        from lingting.knowledge.search import article_scores, vault_searcher
        from lingting.knowledge.search_index import article_reindex_all
        from lingting.knowledge.selectors.search import SearchFilters, knowledge_search

        fill(args.articles)
        vault_searcher()  # the segmenter is built once per process: not a search's time
        reindex = best(article_reindex_all, 3)
        print(
            f"{connection.vendor}, {args.articles} articles; reindex all: {reindex * 1000:.0f} ms"
        )
        today = timezone.localdate()
        for label, query, filters in [
            ("two-character word 停电", "停电", SearchFilters()),
            ("traditional 話費", "話費", SearchFilters()),
            ("pinyin initials td", "td", SearchFilters()),
            ("synonym 蚂蚁花呗", "蚂蚁花呗", SearchFilters()),
            ("two words 宽带 怎么办", "宽带怎么办", SearchFilters()),
            ("filtered 套餐 by product", "套餐", SearchFilters(product="5G畅享套餐")),
            ("nothing found 火星", "火星", SearchFilters()),
        ]:
            results = knowledge_search(text=query, filters=filters, day=today, shown_only=True)
            seconds = best(
                lambda q=query, f=filters: knowledge_search(
                    text=q, filters=f, day=today, shown_only=True
                ),
                args.repeat,
            )
            index_only = best(
                lambda q=query: article_scores(vault_searcher().query(q)), args.repeat
            )
            print(
                f"  {label:<28} {results.total:>4} found  page's read {seconds * 1000:5.1f} ms"
                f"  (the index's query alone {index_only * 1000:4.1f} ms)"
            )
    finally:
        connection.close()
        connection.creation.destroy_test_db(name, verbosity=0, keepdb=False)


if __name__ == "__main__":
    main()
