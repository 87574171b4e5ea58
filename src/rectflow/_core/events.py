"""The event log: :class:`Event` (one fired trigger, immutable) and :class:`EventLog` (a case's
events, append-only, kept as plain tuples so the garbage collector need not walk them).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, overload

import attrs

from rectflow._core.fields import DAY, POSITIVE, TEXT, checked, optional
from rectflow.errors import InvalidFieldError

__all__ = ["Event", "EventLog", "EventRow"]

_OPT_TEXT = optional(TEXT)
_OPT_DAY = optional(DAY)


@attrs.frozen(slots=True)
@checked(
    seq=POSITIVE,
    trigger=TEXT,
    target=TEXT,
    on=DAY,
    actor=_OPT_TEXT,
    note=_OPT_TEXT,
    recorded_on=_OPT_DAY,
)
class Event:
    """One fired trigger: immutable once recorded.

    Attributes:
        seq: its 1-based position in the case's log.
        trigger: the trigger's name.
        target: the item id, or ``"case"``.
        on: the day it happened.
        actor: who fired it.
        note: a free note.
        recorded_on: the day it was recorded, when that is later than ``on`` (a late
            recording); ``None`` when it was recorded as it happened. The log is written
            forward: each event's recorded day (``recorded_on``, else ``on``) is no earlier than
            the one before it (docs/lifecycle.md, "History runs forward").
    """

    seq: int
    trigger: str
    target: str
    on: dt.date
    actor: str | None = None
    note: str | None = None
    recorded_on: dt.date | None = None


EventRow = tuple[int, str, str, dt.date, str | None, str | None, dt.date | None]
"""An event as the log keeps it: ``(seq, trigger, target, on, actor, note, recorded_on)``."""


def _trusted_event_maker() -> Callable[..., Event]:
    """``Event(*row)`` without the field checks, for rows the log already holds (they were
    checked when their event was built); generated from the fields, so it follows them."""
    names = [field.name for field in attrs.fields(Event)]
    source = (
        f"def event_of_row({', '.join(names)}):\n"
        "    event = _new(Event)\n"
        + "".join(f"    _set(event, {name!r}, {name})\n" for name in names)
        + "    return event\n"
    )
    scope: dict[str, Any] = {"_new": object.__new__, "_set": object.__setattr__, "Event": Event}
    exec(source, scope)  # noqa: S102 - a fixed template over Event's own field names
    maker: Callable[..., Event] = scope["event_of_row"]
    return maker


_event_of_row = _trusted_event_maker()


class EventLog(Sequence[Event]):
    """A case's events, append-only: there is no public way to edit or remove one.

    ``rectflow.fire`` and ``rectflow.add_measure`` are its only writers. It reads like a tuple
    of :class:`Event`.

    The log keeps each event as a plain tuple and builds the :class:`Event` when it is read: a
    tuple of numbers, strings, dates and ``None`` is untracked by CPython's cyclic garbage
    collector, whereas every ``Event`` object would be walked by every full collection for as
    long as the case lives (2.5 million events made firing twice as slow, see
    ``bench/lifecycle.py``).
    """

    __slots__ = ("_rows",)

    def __init__(self, events: Iterable[Event] = ()) -> None:
        if isinstance(events, EventLog):
            self._rows: list[EventRow] = list(events._rows)
        else:
            events = list(events)
            for event in events:
                if not isinstance(event, Event):
                    raise InvalidFieldError(
                        "Case", "events", event, "Event objects", "pass a list of Event(...)"
                    )
            self._rows = [
                (e.seq, e.trigger, e.target, e.on, e.actor, e.note, e.recorded_on) for e in events
            ]

    @overload
    def __getitem__(self, index: int) -> Event: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Event, ...]: ...
    def __getitem__(self, index: int | slice) -> Event | tuple[Event, ...]:
        if isinstance(index, slice):
            return tuple(itertools.starmap(_event_of_row, self._rows[index]))
        return _event_of_row(*self._rows[index])

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Event]:
        return itertools.starmap(_event_of_row, self._rows)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, EventLog):
            return self._rows == other._rows
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable by appending

    def __repr__(self) -> str:
        return f"EventLog({list(self)!r})"

    def __deepcopy__(self, memo: dict[int, object]) -> EventLog:
        # Rows are immutable: a copy of the log shares them.
        return EventLog(self)

    def _append(self, event: Event) -> None:
        self._rows.append(
            (
                event.seq,
                event.trigger,
                event.target,
                event.on,
                event.actor,
                event.note,
                event.recorded_on,
            )
        )

    def _raw(self) -> list[EventRow]:
        """The rows themselves, for rectflow's own hot loops (replay); never to be changed."""
        return self._rows


def _to_log(events: Sequence[Event] | EventLog) -> EventLog:
    return events if isinstance(events, EventLog) else EventLog(events)
