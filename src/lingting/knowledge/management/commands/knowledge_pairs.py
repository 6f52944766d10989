"""`lingting knowledge_pairs OUT.tsv`: the pairs agents confirmed in the console, for
`lingting faq-train`."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from lingting.knowledge.selectors.bot import training_pairs


class Command(BaseCommand):
    help = (
        "Write the question pairs agents confirmed when they answered a handed-off chat "
        "from an article (FORMATS.md, faq-train: question<TAB>other wording<TAB>1|0): the "
        "customer's words with the article's question (1), and with the question of the "
        "article the bot had wrongly answered with (0). Then: lingting faq-train OUT.tsv "
        "--out MODEL_DIR."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("out", metavar="OUT.tsv")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = training_pairs()
        with open(options["out"], "w", encoding="utf-8") as out:
            for question, wording, same in rows:
                out.write(f"{_cell(question)}\t{_cell(wording)}\t{int(same)}\n")
        self.stdout.write(f"{len(rows)} pairs written to {options['out']}")


def _cell(text: str) -> str:
    return " ".join(text.split())  # a tab or line break inside would break the row
