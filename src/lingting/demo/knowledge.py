"""Demo step: the knowledge vault (业务金库) of the demo's two centres, published.

The articles are the YAML files beside this module (`vault/*.yaml`, written by
scripts/demo_vault.py): standard answers, tariffs and offers, cases and scripts for 畅联's
queues and the 95598 line. They go in through the same import as a knowledge owner's
(`article_import`), by the QA supervisor, who reviews them in the same step; their codes
make a second run update the same articles, and leave the unchanged ones as they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lingting.core.models import User
from lingting.engine.knowledge import ArticleRecord, read_articles
from lingting.engine.reader import LineError
from lingting.knowledge.services.articles import article_import

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
