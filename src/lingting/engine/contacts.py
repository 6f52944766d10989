"""The transcript model: one contact (a call, a chat, a message thread) and its turns.

`contact_from_record` turns one decoded line of the interaction format
(`shared/design/FORMATS.md`) into a `Contact`, or raises `ContactError` with a reason a
person can act on. The same function serves the CLI, the web import and workers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from types import MappingProxyType
from typing import Any, Final, final

from lingting.engine.call_sound import CallSound, SoundError, call_sound
from lingting.engine.record_class import Record

SPEAKERS: Final = frozenset({"agent", "customer", "system", "bot"})
# Each speaker's one string object: a turn holds it, not the copy the JSON reader made, so
# every later comparison and lookup by speaker (dozens per contact) starts with identity.
_SPEAKER_NAMES: Final = {speaker: speaker for speaker in SPEAKERS}

# What every store and every report can hold. A time must be a day inside Python's (and so
# the database driver's) calendar of years 1–9999 in UTC, so that it still has a local day
# and hour in every time zone; a number a whole signed or unsigned 64-bit integer (what a
# JSON reader gives exactly); a duration at most a year (no contact lasts longer, and sums
# of such stay far from overflow); rings fit the database's small integer.
EARLIEST: Final = datetime.min.replace(tzinfo=UTC) + timedelta(days=1)
LATEST: Final = datetime.max.replace(tzinfo=UTC) - timedelta(days=1)
_WHOLE_MIN: Final = -(2**63)
_WHOLE_MAX: Final = 2**64 - 1
MAX_SECONDS: Final = 366 * 86400
MAX_RINGS: Final = 32767


class ContactError(ValueError):
    """A record that cannot be a contact; the message says why, for a person to fix."""


@final
class Turn(Record):
    """One utterance. A `Record`, not a dataclass: a contact is built per line of input and
    turns are the bulk of it."""

    _fields = ("index", "speaker", "text", "start", "end")
    __slots__ = _fields

    def __init__(
        self,
        index: int,
        speaker: str,
        text: str,
        start: float | None = None,
        end: float | None = None,
    ) -> None:
        self.index = index  # the position in the conversation, as FORMATS.md evidence names it
        self.speaker = speaker
        self.text = text
        self.start = start
        self.end = end


@dataclass(frozen=True, slots=True)
class Hold:
    """A period the agent put the customer on hold, in seconds from the contact's start."""

    start: float
    end: float


@final
class Contact(Record):
    """One contact as the engine reads it (FORMATS.md). A `Record`, not a frozen dataclass:
    one is built for every line of every input, and a frozen dataclass sets each of its 23
    fields through object.__setattr__."""

    _fields = (
        "id",
        "turns",
        "channel",
        "direction",
        "queue",
        "agent_id",
        "customer_id",
        "queued_at",
        "started_at",
        "answered_at",
        "ended_at",
        "disposition",
        "hangup_by",
        "tags",
        "rings",
        "wait_s",
        "talk_s",
        "hold_s",
        "acw_s",
        "holds",
        "recording",
        "extra",
        "audio",
    )
    __slots__ = _fields

    def __init__(
        self,
        id: str,
        turns: tuple[Turn, ...] = (),
        channel: str | None = None,
        direction: str | None = None,
        queue: str | None = None,
        agent_id: str | None = None,
        customer_id: str | None = None,
        queued_at: datetime | None = None,
        started_at: datetime | None = None,
        answered_at: datetime | None = None,
        ended_at: datetime | None = None,
        disposition: str | None = None,
        hangup_by: str | None = None,
        tags: tuple[str, ...] = (),
        rings: int | None = None,
        wait_s: float | None = None,
        talk_s: float | None = None,
        hold_s: float | None = None,
        acw_s: float | None = None,
        holds: tuple[Hold, ...] = (),
        recording: str | None = None,
        extra: Mapping[str, Any] = MappingProxyType({}),
        audio: CallSound | None = None,
    ) -> None:
        self.id = id
        self.turns = turns
        self.channel = channel
        self.direction = direction
        self.queue = queue
        self.agent_id = agent_id
        self.customer_id = customer_id
        self.queued_at = queued_at
        self.started_at = started_at
        self.answered_at = answered_at
        self.ended_at = ended_at
        self.disposition = disposition
        self.hangup_by = hangup_by
        self.tags = tags
        self.rings = rings
        self.wait_s = wait_s
        self.talk_s = talk_s
        self.hold_s = hold_s
        self.acw_s = acw_s
        self.holds = holds
        self.recording = recording
        self.extra = extra  # fields beyond the format, as read
        self.audio = audio  # what listening to the recording found

    @property
    def is_timed(self) -> bool:
        """True when every turn carries start and end times (a call transcript)."""
        return bool(self.turns) and all(t.start is not None for t in self.turns)


def contact_from_record(record: Any, *, tz: tzinfo) -> Contact:
    """Validate one decoded record and build its `Contact`.

    Times without an offset are read in `tz`. Raises `ContactError` naming the field.
    """
    if not isinstance(record, dict):
        raise ContactError(f"a contact must be a JSON object, not {_json_type(record)}")
    contact_id = record.get("id")
    if contact_id is None or contact_id == "":
        raise ContactError("missing 'id'")
    if not isinstance(contact_id, str) and not _is_whole(contact_id):
        raise ContactError(f"'id' must be a string, not {_json_type(contact_id)}")

    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    # Only the fields the record has are read (most records have few of them)...
    try:
        for name, value in record.items():
            read = _READERS.get(name)
            if read is not None:
                if value is not None:
                    values[name] = read(name, value, tz)
            elif name not in _READ_APART:
                extra[name] = value
    except ContactError:
        # ...but a record with several problems is told the first one in `_READERS` order,
        # whatever the order of its keys.
        for name, read in _READERS.items():
            if record.get(name) is not None:
                read(name, record[name], tz)
        raise
    recording = record.get("recording")
    if recording is not None and not isinstance(recording, str):
        extra["recording"], recording = recording, None
    # Positionally, in `Contact._fields` order: compiled, a call by keyword matches every
    # name against the 23 parameters, and this runs for every line of every input.
    return Contact(
        str(contact_id),
        values.get("turns", ()),
        values.get("channel"),
        values.get("direction"),
        values.get("queue"),
        values.get("agent_id"),
        values.get("customer_id"),
        values.get("queued_at"),
        values.get("started_at"),
        values.get("answered_at"),
        values.get("ended_at"),
        values.get("disposition"),
        values.get("hangup_by"),
        values.get("tags", ()),
        values.get("rings"),
        values.get("wait_s"),
        values.get("talk_s"),
        values.get("hold_s"),
        values.get("acw_s"),
        values.get("holds", ()),
        recording,
        extra,
        values.get("audio"),
    )


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "true/false"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)


def _is_whole(value: Any) -> bool:
    """A JSON integer a code may be written as: no bool, no float, 64 bits at most."""
    return type(value) is int and _WHOLE_MIN <= value <= _WHOLE_MAX


def _text(name: str, value: Any, tz: tzinfo) -> str:
    if isinstance(value, str):
        return value
    if _is_whole(value):
        return str(value)
    raise ContactError(f"'{name}' must be a string, not {_json_type(value)}")


def _time(name: str, value: Any, tz: tzinfo) -> datetime | None:
    if value == "":
        return None
    if not isinstance(value, str):
        raise ContactError(f"'{name}' must be an ISO 8601 time string, not {_json_type(value)}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ContactError(
            f"'{name}' is not an ISO 8601 time: {value[:40]!r} (e.g. 2026-10-01T09:00:05+08:00)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    try:
        inside = EARLIEST <= moment <= LATEST
    except OverflowError:  # a local time whose UTC value falls before year 1 or after 9999
        inside = False
    if not inside:
        raise ContactError(
            f"'{name}' is out of range: {value[:40]!r} (a time from 0001-01-02 to 9999-12-30 UTC)"
        )
    return moment


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ContactError(f"{where} must be a number of seconds, not {_json_type(value)}")
    try:
        number = float(value)
    except OverflowError:  # an integer beyond any float
        number = math.inf
    if math.isnan(number) or (math.isinf(number) and isinstance(value, float)):
        raise ContactError(f"{where} must be a finite number")
    if number < 0:
        raise ContactError(f"{where} is negative ({number:g})")
    if number > MAX_SECONDS:
        raise ContactError(f"{where} is more than a year ({MAX_SECONDS} s): {number:g}")
    return number


def _shown(value: Any) -> str:
    if type(value) is int and not _is_whole(value):
        return "a number beyond 64 bits"
    return repr(value)[:40]


def _seconds(name: str, value: Any, tz: tzinfo) -> float:
    return _number(value, f"'{name}'")


def _rings(name: str, value: Any, tz: tzinfo) -> int:
    if type(value) is not int or not 0 <= value <= MAX_RINGS:
        # (`repr` of a huge integer is an error in itself: Python caps int-to-text.)
        shown = "a larger number" if type(value) is int and value > MAX_RINGS else _shown(value)
        raise ContactError(f"'rings' must be a whole number from 0 to {MAX_RINGS}, not {shown}")
    return value


def _audio(name: str, value: Any, tz: tzinfo) -> CallSound:
    try:
        return call_sound(value)
    except SoundError as error:
        raise ContactError(str(error)) from None


def _tags(name: str, tags: Any, tz: tzinfo) -> tuple[str, ...]:
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ContactError("'tags' must be an array of strings")
    return tuple(tags)


def _turns(name: str, raw: Any, tz: tzinfo) -> tuple[Turn, ...]:
    if not isinstance(raw, list):
        raise ContactError(f"'turns' must be an array, not {_json_type(raw)}")
    turns: list[Turn] = []
    timed = 0
    last_start = 0.0
    speaking_until: dict[str, float] = {}
    # Every line of every input passes through this loop: messages are formatted only
    # when something is wrong.
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            raise ContactError(f"turn {index} must be an object, not {_json_type(item)}")
        said_by = item.get("speaker")
        speaker = _SPEAKER_NAMES.get(said_by) if isinstance(said_by, str) else None
        if speaker is None:
            raise ContactError(
                f"turn {index}: 'speaker' must be one of agent, customer, system, bot,"
                f" not {said_by!r}"
            )
        text = item.get("text")
        if type(text) is not str:
            raise ContactError(f"turn {index}: 'text' must be a string, not {_json_type(text)}")
        start, end = item.get("start"), item.get("end")
        if start is None and end is None:
            turns.append(Turn(index, speaker, text))
            continue
        timed += 1
        start_s, end_s = _turn_times(index, start, end)
        if start_s < last_start:
            raise ContactError(
                f"turn {index}: starts at {start}s, before the previous turn's start"
                f" ({last_start}s); turns must be in time order"
            )
        # The other party may talk over a speaker (that is an interruption), but one speaker
        # cannot say two things at once: that is a broken transcript.
        if start_s < speaking_until.get(speaker, 0.0):
            raise ContactError(
                f"turn {index}: overlaps the previous {speaker} turn, which ends at "
                f"{speaking_until[speaker]}s"
            )
        speaking_until[speaker] = end_s
        last_start = start_s
        turns.append(Turn(index, speaker, text, start_s, end_s))
    if 0 < timed < len(turns):
        raise ContactError("some turns have times and some do not: give times for all or none")
    return tuple(turns)


def _turn_times(index: int, start: Any, end: Any) -> tuple[float, float]:
    if start is None or end is None:
        raise ContactError(f"turn {index}: give both 'start' and 'end', or neither")
    start_s = _number(start, f"turn {index}: 'start'")
    end_s = _number(end, f"turn {index}: 'end'")
    if end_s < start_s:
        raise ContactError(f"turn {index}: 'end' ({end}) is before 'start' ({start})")
    return start_s, end_s


def _holds(name: str, raw: Any, tz: tzinfo) -> tuple[Hold, ...]:
    if not isinstance(raw, list):
        raise ContactError(f"'holds' must be an array, not {_json_type(raw)}")
    holds: list[Hold] = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            raise ContactError(f"hold {index} must be an object with 'start' and 'end'")
        start = _number(item.get("start"), f"hold {index}: 'start'")
        end = _number(item.get("end"), f"hold {index}: 'end'")
        if end < start:
            raise ContactError(f"hold {index}: 'end' is before 'start'")
        holds.append(Hold(start, end))
    return tuple(holds)


# How each field the model reads is checked and converted, in the order problems are
# reported: the first bad field in this order is named. Everything else in a record is
# kept verbatim in `Contact.extra`, but for these two, read apart.
_READERS: Final[dict[str, Callable[[str, Any, tzinfo], Any]]] = {
    **dict.fromkeys(("channel", "direction", "queue", "agent_id", "customer_id"), _text),
    "disposition": _text,
    "hangup_by": _text,
    **dict.fromkeys(("queued_at", "started_at", "answered_at", "ended_at"), _time),
    **dict.fromkeys(("wait_s", "talk_s", "hold_s", "acw_s"), _seconds),
    "rings": _rings,
    "tags": _tags,
    "turns": _turns,
    "holds": _holds,
    "audio": _audio,
}
_READ_APART: Final = frozenset({"id", "recording"})
