"""Demo step: the knowledge vault (业务金库) of the demo's two centres, published.

The articles are the YAML files beside this module (`vault/*.yaml`, written by
scripts/demo_vault.py): standard answers, tariffs and offers, cases and scripts for 畅联's
queues and the 95598 line. They go in through the same import as a knowledge owner's
(`article_import`), by the QA supervisor, who reviews them in the same step; their codes
make a second run update the same articles, and leave the unchanged ones as they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from lingting.core.models import Team, User
from lingting.engine.bulletin_checks import check_questions
from lingting.engine.knowledge import ArticleRecord, read_articles
from lingting.engine.reader import LineError
from lingting.knowledge.models import BotConversation, Bulletin
from lingting.knowledge.selectors.bulletins import bulletin_questions
from lingting.knowledge.services.articles import article_import
from lingting.knowledge.services.bot import conversation_start, customer_say
from lingting.knowledge.services.bulletins import bulletin_acknowledge, bulletin_publish

VAULT = Path(__file__).parent / "vault"


class VaultError(ValueError):
    """A vault file that is no list of articles; the message names the file and line."""


def demo_knowledge(*, users: dict[str, User]) -> str:
    """Import and publish every vault file as `users["qa_zhao"]` (a knowledge owner and
    reviewer). Returns a one-line summary, naming the records the import refused."""
    created = updated = unchanged = 0
    refused: list[str] = []
    for path in sorted(VAULT.glob("*.yaml")):
        result = article_import(actor=users["qa_zhao"], records=vault_records(path), publish=True)
        created += result.created
        updated += result.updated
        unchanged += result.unchanged
        refused += [f"{path.name}:{error.line}: {error.reason}" for error in result.errors]
    summary = (
        f"knowledge vault: {created} articles published, {updated} updated, {unchanged} unchanged"
    )
    return summary + (f"; refused {'; '.join(refused)}" if refused else "")


def vault_records(path: Path) -> Iterator[tuple[int, ArticleRecord]]:
    """The articles of one vault file with the line each starts on (the demo's own files:
    a bad record is a mistake in them, and stops the demo naming file and line)."""
    for item in read_articles(str(path)):
        if isinstance(item, LineError):
            raise VaultError(f"{path.name}:{item.line}: {item.reason}")
        yield item


# Must-reads the demo's leader and manager sent (seed 003: what changed in the business
# material, read and checked); the first agent has read the first.
DEMO_BULLETINS = (
    {
        "title": "5G畅享129元套餐流量调整（12 月 10 日起）",
        "body": "自 12 月 10 日起，5G畅享129元套餐月租不变，国内通用流量增加 10GB；老用户次月"
        "自动生效，无需办理。客户问到时以知识库“5G畅享129元套餐包含什么”为准。",
        "questions": [
            {
                "text": "老用户需要办理什么才能享受这次流量调整？",
                "options": ["拨打客服申请", "无需办理，次月自动生效", "到营业厅变更套餐"],
                "answer": 1,
            },
        ],
        "teams": "leader",
    },
    {
        "title": "冬季用电高峰服务提示",
        "body": "采暖季用电负荷高，计划停电信息以“网上国网”公告为准；客户报修停电时先核实"
        "是否在计划停电范围内，再按停电报修话术受理。",
        "questions": [],
        "teams": "all",
    },
)
# What the demo's customers asked the bot (the widget on /bot/demo/).
DEMO_CHATS = (
    ("话费还剩多少怎么查",),
    ("宽带上不了网怎么办",),
    ("家里突然没电了",),
    ("这个月话费怎么这么多", "转人工"),
    ("你们到底管不管！！！宽带坏了三天了",),
    ("我的快递丢了谁来赔",),
    ("怎么办理携号转网",),
    ("停机保号怎么收费",),
)


def demo_bulletins(*, users: dict[str, User]) -> str:
    """Send the demo's must-reads once (a second run finds them sent)."""
    if Bulletin.objects.exists():
        return "must-reads: already sent"
    leader, manager = users["leader_wang"], users["manager_chen"]
    sent = []
    for spec in DEMO_BULLETINS:
        own = list(Team.objects.filter(leader=leader))
        sent.append(
            bulletin_publish(
                actor=leader if spec["teams"] == "leader" else manager,
                title=str(spec["title"]),
                body=str(spec["body"]),
                deadline=timezone.now() + timedelta(days=3),
                teams=own if spec["teams"] == "leader" else list(Team.objects.all()),
                questions=check_questions(spec["questions"]),  # type: ignore[arg-type]
            )
        )
    answer = [q.answer for q in bulletin_questions(sent[0])]
    bulletin_acknowledge(user=users["agent_li"], bulletin=sent[0], answers=answer)
    receipts = sum(b.receipts.count() for b in sent)
    return f"must-reads: {len(sent)} sent to {receipts} people"


def demo_chats() -> str:
    """A few customers' chats with the bot, once: answered, handed off, unanswerable (out of
    the bot's hours, a handoff waits for the customer's number)."""
    if BotConversation.objects.exists():
        return "bot chats: already there"
    # Left open, not closed into contacts: they happen now, and the demo's contacts keep to
    # the demo's own weeks (a chat is stored as a contact when it ends: try it on /bot/demo/).
    for messages in DEMO_CHATS:
        conversation = conversation_start()
        for text in messages:
            customer_say(conversation, text)
    waiting = BotConversation.objects.exclude(handoff_reason="").count()
    return f"bot chats: {len(DEMO_CHATS)}, {waiting} handed to people (/knowledge/console/)"
