"""Checks a supervisor runs before putting a scorecard to work.

- `run_examples`: every item's own examples (must_trigger / must_not_trigger) still behave,
  so an edited phrase list cannot silently stop catching what it was written to catch.
- `diff_scorecards`: replaying an old and a new version over real contacts shows exactly
  which contacts, and which items, a change would re-score — before anyone is re-scored.

Both return plain dataclasses; the CLI decides how to print them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lingting.engine.contacts import Contact
from lingting.engine.results import ContactResult, ItemResult, Outcome
from lingting.engine.scorecard import CompiledScorecard, Example, Item, Scorecard


@dataclass(frozen=True, slots=True)
class ExampleFailure:
    """One example that did not come out as its item says it should."""

    item: str
    expected: str  # "must_trigger" (the item must fail) or "must_not_trigger"
    example: str  # the example as written, "speaker: text / speaker: text"
    outcome: Outcome
    detail: str
    evidence: tuple[str, ...]  # the words the item pointed at, if any

    def describe(self) -> str:
        wanted = "fail" if self.expected == "must_trigger" else "not fail"
        found = f" ({self.detail})" if self.detail else ""
        words = f"; it pointed at {', '.join(self.evidence)}" if self.evidence else ""
        return (
            f"item '{self.item}': expected to {wanted} on “{self.example}”,"
            f" but it was {self.outcome}{found}{words}"
        )


@dataclass(frozen=True, slots=True)
class ExamplesReport:
    scorecard: str
    version: str
    checked: int
    failures: tuple[ExampleFailure, ...]

    @property
    def ok(self) -> bool:
        return not self.failures

    def describe(self) -> str:
        lines = [failure.describe() for failure in self.failures]
        verdict = "all pass" if self.ok else f"{len(self.failures)} failed"
        lines.append(f"{self.scorecard} {self.version}: {self.checked} examples, {verdict}")
        return "\n".join(lines)


def run_examples(scorecard: Scorecard) -> ExamplesReport:
    """Score every item's examples with the whole scorecard and report each miss."""
    compiled = scorecard.compile()
    failures: list[ExampleFailure] = []
    checked = 0
    for item in scorecard.items:
        for expected, examples in (
            ("must_trigger", item.examples.must_trigger),
            ("must_not_trigger", item.examples.must_not_trigger),
        ):
            for example in examples:
                checked += 1
                failure = _check_example(compiled, item, expected, example)
                if failure is not None:
                    failures.append(failure)
    return ExamplesReport(scorecard.name, scorecard.version_label, checked, tuple(failures))


def _check_example(
    compiled: CompiledScorecard, item: Item, expected: str, example: Example
) -> ExampleFailure | None:
    result = _item_result(compiled.score(example.contact), item.id)
    triggered = result.result == "fail"
    if triggered == (expected == "must_trigger"):
        return None
    return ExampleFailure(
        item=item.id,
        expected=expected,
        example=example.text,
        outcome=result.result,
        detail=result.detail,
        evidence=tuple(e.text for e in result.evidence),
    )


def _item_result(result: ContactResult, item_id: str) -> ItemResult:
    return next(r for r in result.items if r.item == item_id)


@dataclass(frozen=True, slots=True)
class ItemFlip:
    """One item whose result differs between the two versions (None: not in that version)."""

    item: str
    title: str
    old_result: Outcome | None
    old_points_lost: float | None
    new_result: Outcome | None
    new_points_lost: float | None

    def describe(self) -> str:
        def side(result: Outcome | None, lost: float | None) -> str:
            return "—" if result is None else f"{result} −{lost:g}" if lost else result

        old = side(self.old_result, self.old_points_lost)
        new = side(self.new_result, self.new_points_lost)
        return f"{self.item} {self.title}: {old} → {new}"


@dataclass(frozen=True, slots=True)
class Flip:
    """A contact the new version would score differently."""

    contact_id: str
    old_score: float
    new_score: float
    old_passed: bool
    new_passed: bool
    old_fatal: bool
    new_fatal: bool
    items: tuple[ItemFlip, ...]

    @property
    def pass_changed(self) -> bool:
        return self.old_passed != self.new_passed

    def describe(self) -> str:
        verdicts = {True: "合格", False: "不合格"}
        head = f"{self.contact_id}: {self.old_score:g} → {self.new_score:g}"
        if self.pass_changed:
            head += f" ({verdicts[self.old_passed]} → {verdicts[self.new_passed]})"
        return "\n".join([head, *(f"  {item.describe()}" for item in self.items)])


def diff_scorecards(old: Scorecard, new: Scorecard, contacts: Iterable[Contact]) -> Iterator[Flip]:
    """Score each contact with both versions; yield those whose result would change."""
    old_compiled, new_compiled = old.compile(), new.compile()
    for contact in contacts:
        flip = _compare(old_compiled.score(contact), new_compiled.score(contact))
        if flip is not None:
            yield flip


def _compare(old: ContactResult, new: ContactResult) -> Flip | None:
    items = tuple(_item_flips(old, new))
    unchanged = old.score == new.score and old.passed == new.passed and old.fatal == new.fatal
    if unchanged and not items:
        return None
    return Flip(
        contact_id=old.id,
        old_score=old.score,
        new_score=new.score,
        old_passed=old.passed,
        new_passed=new.passed,
        old_fatal=old.fatal,
        new_fatal=new.fatal,
        items=items,
    )


def _item_flips(old: ContactResult, new: ContactResult) -> Iterator[ItemFlip]:
    """Changed items, in the new version's order, then items the new version dropped."""
    old_items = {r.item: r for r in old.items}
    new_ids = {r.item for r in new.items}
    for after in new.items:
        before = old_items.get(after.item)
        if before is None:
            yield ItemFlip(after.item, after.title, None, None, after.result, after.points_lost)
        elif (before.result, before.points_lost) != (after.result, after.points_lost):
            yield ItemFlip(
                after.item,
                after.title,
                before.result,
                before.points_lost,
                after.result,
                after.points_lost,
            )
    for before in old.items:
        if before.item not in new_ids:
            yield ItemFlip(before.item, before.title, before.result, before.points_lost, None, None)


@dataclass(frozen=True, slots=True)
class ItemRate:
    """How often one item failed (was hit) on the previewed contacts, by each version."""

    item: str
    title: str
    old_failed: int | None  # None: the item is not in that version
    new_failed: int | None


@dataclass(frozen=True, slots=True)
class Preview:
    """A new version against the one in force, over the same contacts: each item's hits
    and every contact that would flip (`diff_scorecards`' flips)."""

    contacts: int
    old_passed: int
    new_passed: int
    items: tuple[ItemRate, ...]
    flips: tuple[Flip, ...]


def preview_scorecards(old: Scorecard, new: Scorecard, contacts: Iterable[Contact]) -> Preview:
    """`diff_scorecards` that also counts each item's failures under both versions, scoring
    each contact once per version."""
    old_compiled, new_compiled = old.compile(), new.compile()
    old_failed: dict[str, int] = {item.id: 0 for item in old.items}
    new_failed: dict[str, int] = {item.id: 0 for item in new.items}
    flips: list[Flip] = []
    counted = old_passed = new_passed = 0
    for contact in contacts:
        before, after = old_compiled.score(contact), new_compiled.score(contact)
        counted += 1
        old_passed += before.passed
        new_passed += after.passed
        _count_failures(before, old_failed)
        _count_failures(after, new_failed)
        flip = _compare(before, after)
        if flip is not None:
            flips.append(flip)
    titles = {item.id: item.title for item in (*old.items, *new.items)}
    order = [item.id for item in new.items] + [i.id for i in old.items if i.id not in new_failed]
    rates = tuple(
        ItemRate(item_id, titles[item_id], old_failed.get(item_id), new_failed.get(item_id))
        for item_id in order
    )
    return Preview(counted, old_passed, new_passed, rates, tuple(flips))


def _count_failures(result: ContactResult, counts: dict[str, int]) -> None:
    for item in result.items:
        if item.result == "fail":
            counts[item.item] += 1
