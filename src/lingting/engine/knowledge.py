"""Knowledge articles (业务金库) as plain data: what an article says, read from an import
record, and the readable difference between two of its versions.

An article is one of four kinds (seed 000 §3(1), seed 003, seed 004 篇5): a standard answer
(a question, the other ways customers ask it, and the answer), a policy or tariff, a case,
or a script for a scenario — ordered steps, each with the words to say, the words that show
it was said, and the words never to say in it. The web app stores these as versions of an
article; imports (`lingting knowledge-import`, the demo's vault) and the scorecard checks of
scripts read them from here.

An import record, one a JSON line or a YAML list item:

    code: KB-0101                # optional: the same code again updates that article
    kind: answer                 # answer | policy | case | script
    title: 怎样查询话费余额
    question: 怎么查话费余额？     # answers: the standard question
    alternates: [话费还剩多少, 查余额]
    body: 发送短信 CXYE 到 10001 …
    steps:                       # scripts: in the order they are said
      - name: 第一次警告
        say: 先生/女士，请您文明用语，否则我将结束通话。
        words: [文明用语]          # any of these shows the step was said
        avoid: [闭嘴]              # never to be said in it
    category: 话费/查询
    products: [5G畅享套餐]
    tags: [话费]
    queues: [ACD-01]
    effective_from: 2026-01-01   # shown from this day
    expires_on: 2026-12-31       # shown until this day, its last
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

import yaml

from lingting.engine.reader import LineError, sniff_file_encoding
from lingting.engine.records import SHOWN_CHARS, RecordError, parse_records, read_json_records

MAX_TITLE_CHARS = 200
MAX_BODY_CHARS = 20_000
MAX_LIST_ITEMS = 50
MAX_STEPS = 30


class ArticleKind(StrEnum):
    ANSWER = "answer"
    POLICY = "policy"
    CASE = "case"
    SCRIPT = "script"


class ArticleError(ValueError):
    """A record that is no article; the message names the field, for a person to fix."""


@dataclass(frozen=True, slots=True)
class ScriptStep:
    """One step of a script: what to say, the words that show it was said (any one), and
    the words never to say in it."""

    name: str
    say: str
    words: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "say": self.say, "words": [*self.words], "avoid": [*self.avoid]}


@dataclass(frozen=True, slots=True)
class ArticleContent:
    """What one version of an article says (its life cycle and dates live beside it)."""

    kind: ArticleKind
    title: str
    body: str = ""
    question: str = ""
    alternates: tuple[str, ...] = ()
    steps: tuple[ScriptStep, ...] = ()
    category: str = ""
    products: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    queues: tuple[str, ...] = ()

    @property
    def wordings(self) -> tuple[str, ...]:
        """The ways a customer asks what this article answers (title first for the rest)."""
        first = self.question or self.title
        return (first, *(a for a in self.alternates if a != first))

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "title": self.title,
            "question": self.question,
            "alternates": [*self.alternates],
            "body": self.body,
            "steps": [step.to_dict() for step in self.steps],
            "category": self.category,
            "products": [*self.products],
            "tags": [*self.tags],
            "queues": [*self.queues],
        }


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """An import record: the content, and the code and dates that place it."""

    content: ArticleContent
    code: str = ""
    effective_from: date | None = None
    expires_on: date | None = None


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field that differs between two versions, as runs of kept, removed and added text."""

    field: str
    runs: tuple[tuple[str, str], ...]  # ("=" kept | "-" removed | "+" added, text)


def article_record(record: Mapping[str, Any]) -> ArticleRecord:
    """The article a record describes, or `ArticleError` naming what is wrong."""
    if not isinstance(record, Mapping):
        raise ArticleError("an article must be an object with at least kind and title")
    unknown = set(record) - _FIELDS
    if unknown:
        raise ArticleError(f"unknown field {sorted(unknown)[0]!r}")
    kind_name = _text(record, "kind", required=True)
    try:
        kind = ArticleKind(kind_name)
    except ValueError:
        names = ", ".join(k.value for k in ArticleKind)
        raise ArticleError(f"kind {kind_name!r} is none of {names}") from None
    content = article_content(
        kind=kind,
        title=_text(record, "title", required=True, limit=MAX_TITLE_CHARS),
        body=_text(record, "body", limit=MAX_BODY_CHARS),
        question=_text(record, "question", limit=MAX_TITLE_CHARS),
        alternates=_texts(record, "alternates"),
        steps=_steps(record.get("steps")),
        category=_text(record, "category", limit=MAX_TITLE_CHARS),
        products=_texts(record, "products"),
        tags=_texts(record, "tags"),
        queues=_texts(record, "queues"),
    )
    effective_from = _date(record, "effective_from")
    expires_on = _date(record, "expires_on")
    if effective_from and expires_on and expires_on < effective_from:
        raise ArticleError("expires_on is before effective_from")
    return ArticleRecord(content, _text(record, "code", limit=64), effective_from, expires_on)


def read_articles(path: str) -> Iterator[tuple[int, ArticleRecord] | LineError]:
    """(line number, article) for each record of a .jsonl file, or each item of a .yaml
    file's list (numbered by the line it starts on); a bad record is its line's error."""
    if not path.lower().endswith((".yaml", ".yml")):
        yield from parse_records(read_json_records(path), _as_article)
        return
    with open(path, "rb") as stream:
        text = stream.read().decode(sniff_file_encoding(path))
    lines = text.splitlines() or [""]
    loader = yaml.SafeLoader(text)
    try:
        document = loader.get_single_node()
        items = document.value if isinstance(document, yaml.SequenceNode) else None
        if document is not None and items is None:
            yield LineError(1, "a YAML file of articles must be a list of articles", "")
            return
        for item in items or ():
            line = item.start_mark.line + 1
            try:
                yield line, article_record(loader.construct_object(item, deep=True))
            except (ArticleError, yaml.YAMLError) as error:
                yield LineError(line, str(error), lines[line - 1][:SHOWN_CHARS])
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        yield LineError(mark.line + 1 if mark else 1, f"not valid YAML: {error.problem}", "")
    finally:
        loader.dispose()


def _as_article(record: dict[str, Any]) -> ArticleRecord:
    try:
        return article_record(record)
    except ArticleError as error:
        raise RecordError(str(error)) from None


def article_content(
    *,
    kind: ArticleKind,
    title: str,
    body: str = "",
    question: str = "",
    alternates: Sequence[str] = (),
    steps: Sequence[ScriptStep] = (),
    category: str = "",
    products: Sequence[str] = (),
    tags: Sequence[str] = (),
    queues: Sequence[str] = (),
) -> ArticleContent:
    """Content checked for what each kind needs: a title always, a question for an
    answer, steps for a script (and only for a script), some text for the rest."""
    title = title.strip()
    if not title:
        raise ArticleError("title is empty")
    if kind is ArticleKind.ANSWER and not (question.strip() or alternates):
        question = title
    if kind is ArticleKind.SCRIPT and not steps:
        raise ArticleError("a script needs at least one step")
    if kind is not ArticleKind.SCRIPT and steps:
        raise ArticleError(f"only a script has steps, not a {kind.value}")
    if kind is not ArticleKind.SCRIPT and not body.strip():
        raise ArticleError("body is empty")
    return ArticleContent(
        kind=kind,
        title=title,
        body=body.strip(),
        question=question.strip(),
        alternates=_distinct(alternates),
        steps=tuple(steps),
        category=category.strip().strip("/"),
        products=_distinct(products),
        tags=_distinct(tags),
        queues=_distinct(queues),
    )


def content_from_dict(data: Mapping[str, Any]) -> ArticleContent:
    """Content as `ArticleContent.to_dict` wrote it (a stored version)."""
    return ArticleContent(
        kind=ArticleKind(data["kind"]),
        title=data["title"],
        body=data.get("body", ""),
        question=data.get("question", ""),
        alternates=tuple(data.get("alternates", ())),
        steps=tuple(
            ScriptStep(s["name"], s["say"], tuple(s.get("words", ())), tuple(s.get("avoid", ())))
            for s in data.get("steps", ())
        ),
        category=data.get("category", ""),
        products=tuple(data.get("products", ())),
        tags=tuple(data.get("tags", ())),
        queues=tuple(data.get("queues", ())),
    )


def content_changes(old: ArticleContent, new: ArticleContent) -> list[FieldChange]:
    """The fields that differ, each as runs of kept, removed and added text. Chinese has no
    spaces to diff words by, so Han characters are compared one by one; a number or a Latin
    word as a whole (10元 → 15元 reads as -10 +15, never as 1 kept, -0 +5)."""
    before, after = _diffable(old), _diffable(new)
    return [
        FieldChange(name, _runs(before[name], after[name]))
        for name in before
        if before[name] != after[name]
    ]


def _diffable(content: ArticleContent) -> dict[str, str]:
    steps = "\n".join(
        f"{n}. {s.name}：{s.say}"
        + (f"（听到：{'、'.join(s.words)}）" if s.words else "")
        + (f"（禁说：{'、'.join(s.avoid)}）" if s.avoid else "")
        for n, s in enumerate(content.steps, start=1)
    )
    return {
        "title": content.title,
        "question": content.question,
        "alternates": "\n".join(content.alternates),
        "body": content.body,
        "steps": steps,
        "category": content.category,
        "products": "、".join(content.products),
        "tags": "、".join(content.tags),
        "queues": "、".join(content.queues),
    }


def _runs(old: str, new: str) -> tuple[tuple[str, str], ...]:
    before, after = _DIFF_TOKEN.findall(old), _DIFF_TOKEN.findall(new)
    runs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(("=", "".join(before[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("-", "".join(before[i1:i2])))
        if j2 > j1:
            runs.append(("+", "".join(after[j1:j2])))
    return tuple(runs)


_DIFF_TOKEN = re.compile(r"[0-9A-Za-z.%]+|\s+|.", re.DOTALL)
_FIELDS = frozenset(
    {
        "code",
        "kind",
        "title",
        "question",
        "alternates",
        "body",
        "steps",
        "category",
        "products",
        "tags",
        "queues",
        "effective_from",
        "expires_on",
    }
)
_STEP_FIELDS = frozenset({"name", "say", "words", "avoid"})


def _text(record: Mapping[str, Any], name: str, *, required: bool = False, limit: int = 0) -> str:
    value = record.get(name)
    if value is None or value == "":
        if required:
            raise ArticleError(f"{name} is missing")
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ArticleError(f"{name} must be text")
    text = str(value).strip()
    if limit and len(text) > limit:
        raise ArticleError(f"{name} is longer than {limit} characters")
    return text


def _texts(record: Mapping[str, Any], name: str) -> tuple[str, ...]:
    value = record.get(name)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ArticleError(f"{name} must be a list of texts")
    if len(value) > MAX_LIST_ITEMS:
        raise ArticleError(f"{name} has more than {MAX_LIST_ITEMS} items")
    if any(len(v) > MAX_TITLE_CHARS for v in value):
        raise ArticleError(f"an item of {name} is longer than {MAX_TITLE_CHARS} characters")
    return _distinct(value)


def _steps(value: Any) -> tuple[ScriptStep, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not value:
        raise ArticleError("steps must be a list of steps")
    if len(value) > MAX_STEPS:
        raise ArticleError(f"a script has at most {MAX_STEPS} steps")
    steps = []
    for number, step in enumerate(value, start=1):
        if not isinstance(step, Mapping):
            raise ArticleError(f"step {number} must be an object with name and say")
        unknown = set(step) - _STEP_FIELDS
        if unknown:
            raise ArticleError(f"step {number}: unknown field {sorted(unknown)[0]!r}")
        try:
            steps.append(
                ScriptStep(
                    name=_text(step, "name", required=True, limit=MAX_TITLE_CHARS),
                    say=_text(step, "say", required=True, limit=MAX_BODY_CHARS),
                    words=_texts(step, "words"),
                    avoid=_texts(step, "avoid"),
                )
            )
        except ArticleError as error:
            raise ArticleError(f"step {number}: {error}") from None
    return tuple(steps)


def _date(record: Mapping[str, Any], name: str) -> date | None:
    value = record.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ArticleError(f"{name} must be a date like 2026-12-31")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ArticleError(f"{name} {value!r} is no date like 2026-12-31") from None


def _distinct(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in values if v.strip()))
