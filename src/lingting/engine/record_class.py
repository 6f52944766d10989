"""`Record`: the base of the engine's value classes on the scoring path.

Scoring builds some twenty-five small values per contact (verdicts, cues, the meaning
readers' results, the contact and its result). As named tuples each was made by a
Python-level `__new__`, even where `accel` compiled the code around it, and that alone was
a seventh of the time of scoring a contact. A plain class that `accel` compiles is a C
struct made by a C constructor, several times faster, with fields read as memory loads.

`Record` gives such classes what the named tuples gave their users: equality and a hash
by value, a readable repr, unpacking, `_replace` and pickling, all from the class's
`_fields`. A subclass lists its fields in `_fields` (also its `__slots__`, in pure
Python) and sets them in `__init__`; it is immutable by convention, as nothing assigns to
a record after making it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar, Self


class Record:
    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in self._fields])

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({shown})"

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values())

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), self._values())

    def _replace(self, **changes: Any) -> Self:
        """A copy with some fields changed."""
        values = dict(zip(self._fields, self._values(), strict=True))
        values.update(changes)
        return type(self)(**values)
