"""How long the monthly quality report takes over 1 M contacts on PostgreSQL.

    .venv/bin/python benchmarks/monthly_report.py                 # 1,000,000 contacts
    .venv/bin/python benchmarks/monthly_report.py --contacts 200000 --keep

Builds its own database, `bench_reports` on the server of DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/bench_reports), migrated like production, and fills it
with COPY: 10 teams of 20 agents, 8 ACD groups, `--contacts` contacts in October 2026, each
with an automatic score (pass/fail, fatal, A/B/C counts), plus a sixth as many spread over
the five months before (the trend); about 1.5 % of contacts reviewed by QA (monitoring
records with failed items, common and individual findings and training needs) and a few
dozen cases. Then it times, best of `--repeat` rounds:

- the baseline: ``SELECT count(*)`` of the month's contacts (the least any report must do);
- the report's data assembly (`reports.selectors.quality_report`, what the page and the
  exports read), the whole center as the scheduled run sees it;
- laying the report out and rendering the XLSX, and the PDF, separately.

It prints each figure and its ratio to the baseline. The target is the data assembly under
2 s. The database is dropped at the end unless --keep (which also reuses a filled one).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from postgres_bench import bench_database, best, copy_rows

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_reports")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lingting.config.settings")

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONTH_START = datetime(2026, 10, 1, tzinfo=SHANGHAI)
ITEMS = [
    ("forbidden_phrases", "服务禁语", "A"),
    ("opening_line", "开头语", "B"),
    ("polite_words", "礼貌用语", "C"),
    ("filler_words", "口头禅", "C"),
    ("identity_check", "核实身份", "B"),
]


def fill(contacts: int, seed: int) -> int:
    """Write the data; the number of contacts written in all."""
    from django.db import connection, transaction

    from lingting.core.models import Agent, Role, Team, User
    from lingting.interactions.models import Queue
    from lingting.quality.models import Scorecard, ScorecardVersion

    rng = random.Random(seed)
    reviewers = [
        User.objects.create_user(f"qa{i}", role=Role.QA_ANALYST, first_name=f"质检{i}")
        for i in range(4)
    ]
    teams = [Team.objects.create(code=f"T{t:02d}", name=f"{t + 1}班") for t in range(10)]
    agents = Agent.objects.bulk_create(
        Agent(code=f"A{a:04d}", name=f"坐席{a}", team=teams[a % 10]) for a in range(200)
    )
    queues = [Queue.objects.create(code=f"ACD-{q:02d}", name=f"业务{q}") for q in range(8)]
    card = Scorecard.objects.create(name="standard", title="标准质检评分表")
    version = ScorecardVersion.objects.create(
        scorecard=card,
        number=1,
        label="bench",
        fingerprint="b" * 64,
        source_text="-",
        is_active=True,
    )
    earlier = contacts // 6
    total = contacts + earlier
    now = datetime.now(SHANGHAI).isoformat()
    contact_rows, score_rows, reviewed = [], [], []
    month_seconds = 31 * 86400
    for i in range(1, total + 1):
        if i <= contacts:
            started = MONTH_START + timedelta(seconds=rng.randrange(month_seconds))
        else:  # the five months before, fewer each month back
            back = 1 + (i % 5)
            started = MONTH_START - timedelta(days=30 * back - rng.randrange(28))
        agent = agents[rng.randrange(len(agents))]
        queue = queues[rng.randrange(len(queues))]
        score = max(0.0, min(100.0, rng.gauss(84, 9)))
        fatal = rng.random() < 0.01
        passed = score >= 60 and not fatal
        a, b, c = int(rng.random() < 0.05), int(rng.random() < 0.15), int(rng.random() < 0.3)
        contact_rows.append(
            f"{i}\tC{i:09d}\tvoice\tinbound\t{queue.pk}\t{agent.pk}\t{started.isoformat()}\t"
            f"{started.isoformat()}\t{(started + timedelta(minutes=5)).isoformat()}\t"
            f"answered\tcustomer\t[]\t[]\t12\t{{}}\t{now}\t{now}\t{i}"
        )
        score_rows.append(
            f"{i}\t{i}\t{version.pk}\t{score:.1f}\t{passed}\t{fatal}\t{a}\t{b}\t{c}\t[]\t{now}"
        )
        if rng.random() < 0.015:
            reviewed.append((i, started))
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor, for COPY
        copy_rows(
            raw,
            "interactions_contact",
            "id, external_id, channel, direction, queue_id, agent_id, queued_at, started_at, "
            "ended_at, disposition, hangup_by, tags, holds, turn_count, extra, imported_at, "
            "updated_at, current_score_id",
            contact_rows,
        )
        copy_rows(
            raw,
            "quality_contactscore",
            "id, contact_id, version_id, score, passed, fatal, severity_a, severity_b, "
            "severity_c, items, scored_at",
            score_rows,
        )
        evaluation_rows, item_rows, finding_rows = [], [], []
        for k, (contact_id, started) in enumerate(reviewed, start=1):
            failed = [item for item in ITEMS if rng.random() < 0.12]
            severities = [s for _i, _t, s in failed]
            score = max(0.0, 100 - 10 * len(failed) - rng.random() * 5)
            evaluation_rows.append(
                f"{k}\t{contact_id}\t{reviewers[k % 4].pk}\tsample\t{version.pk}\t{contact_id}\t"
                f"{score:.1f}\t{score >= 80}\tFalse\t{severities.count('A')}\t"
                f"{severities.count('B')}\t{severities.count('C')}\t总体评价\t"
                f"{bool(failed)}\t\t{'礼貌用语专项培训' if failed else ''}\t"
                f"{(started + timedelta(days=1)).isoformat()}"
            )
            for position, (item, title, severity) in enumerate(failed):
                item_rows.append(
                    f"{k}\t{position}\t{item}\t{title}\t\t{severity}\tFalse\t10\tfail\t10\t"
                    f"fail\tFalse\t\t"
                )
                scope = "common" if rng.random() < 0.4 else "individual"
                finding_rows.append(f"{k}\t{item}\t您好这个我不清楚\t{title}不到位\t{scope}")
        copy_rows(
            raw,
            "quality_evaluation",
            "id, contact_id, reviewer_id, kind, version_id, auto_score_id, score, passed, fatal, "
            "severity_a, severity_b, severity_c, summary, coaching_proposed, coaching_note, "
            "training_need, submitted_at",
            evaluation_rows,
        )
        copy_rows(
            raw,
            "quality_revieweditem",
            "evaluation_id, position, item, title, section, severity, fatal, points, result, "
            "points_lost, auto_result, overturned, reason, note",
            item_rows,
        )
        copy_rows(raw, "quality_finding", "evaluation_id, item, quote, note, scope", finding_rows)
        case_rows = [
            f"{contact_id}\tpoor\t案例{n}\t点评\t[]\t{reviewers[0].pk}\t"
            f"{(started + timedelta(days=2)).isoformat()}\tTrue\t\\N"
            for n, (contact_id, started) in enumerate(reviewed[:: max(1, len(reviewed) // 40)])
            if started >= MONTH_START
        ]
        copy_rows(
            raw,
            "quality_case",
            "contact_id, kind, title, note, tags, created_by_id, created_at, shared, shared_at",
            case_rows,
        )
        for table in ("interactions_contact", "quality_contactscore", "quality_evaluation"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"filled: {total:,} contacts ({contacts:,} in 2026-10), {len(reviewed):,} reviewed, "
        f"{len(item_rows):,} failed items, {len(finding_rows):,} findings, {len(case_rows)} cases"
    )
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the database")
    args = parser.parse_args()

    with bench_database(keep=args.keep):
        from django.db import connection

        from lingting.documents.exports.pdf import render_pdf
        from lingting.documents.exports.xlsx import render_xlsx
        from lingting.documents.periods import PeriodKind, parse_period
        from lingting.interactions.models import Contact
        from lingting.reports.layouts.quality import quality_document
        from lingting.reports.selectors import quality_report

        if not Contact.objects.exists():
            started = time.perf_counter()
            fill(args.contacts, args.seed)
            print(f"fill time: {time.perf_counter() - started:.1f} s")
        period = parse_period(PeriodKind.MONTH, "2026-10")
        low, high = period.bounds(SHANGHAI)

        def baseline() -> None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM interactions_contact "
                    "WHERE started_at >= %s AND started_at < %s",
                    [low, high],
                )
                cursor.fetchone()

        report = quality_report(user=None, period=period)  # warm the caches once
        month = report.totals.current
        base = best(baseline, args.repeat)
        assembly = best(lambda: quality_report(user=None, period=period), args.repeat)
        document = quality_document(report)
        xlsx = best(lambda: render_xlsx(quality_document(report)), args.repeat)
        pdf = best(lambda: render_pdf(quality_document(report)), args.repeat)
        print(
            f"month 2026-10: {month.volume:,} contacts, {month.reviewed:,} reviewed, "
            f"auto pass rate {month.auto_pass_rate:.3f}, reviewed {month.reviewed_pass_rate:.3f}; "
            f"{len(document.sections)} sections"
        )
        print(f"baseline SELECT count(*) of the month      {base:7.3f} s")
        print(
            f"monthly report data assembly               {assembly:7.3f} s  "
            f"= {assembly / base:5.1f} × baseline  (target < 2 s: "
            f"{'met' if assembly < 2 else 'MISSED'})"
        )
        print(f"layout + XLSX render                       {xlsx:7.3f} s  = {xlsx / base:5.1f} ×")
        print(f"layout + PDF render                        {pdf:7.3f} s  = {pdf / base:5.1f} ×")


if __name__ == "__main__":
    main()
