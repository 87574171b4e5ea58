"""The event log: :class:`Event` (one change, immutable) and :class:`EventLog` (a case's events,
append-only, kept as plain tuples so the garbage collector need not walk them).

An event is a fired trigger (a state change) or an edit (an assignment of responsibility, an
extension, evidence added …); an edit carries what it changed in :attr:`Event.data`, an
:class:`EventData`: both the value before and the value after, so the log alone tells the whole
history of every field the events own.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Generic, SupportsIndex, TypeVar, overload

import attrs

from rectflow._core.fields import DAY, POSITIVE, TEXT, Spec, checked, optional, slot_setters
from rectflow._i18n import N_
from rectflow.errors import InvalidFieldError

__all__ = ["DataValue", "Event", "EventData", "EventLog", "EventRow", "RowScan"]

_OPT_TEXT = optional(TEXT)
_OPT_DAY = optional(DAY)

DataValue = str | int | float | bool | dt.date
"""What an event's data holds: text, a number, a flag or a day (``None`` is left out)."""

_DATA_TYPES = (str, int, float, bool, dt.date)


class EventData(Mapping[str, DataValue]):
    """What an edit event changed, read like a read-only dict: ``event.data["due_on"]``.

    Keys are sorted and absent values (``None``) are left out, so two events that say the same
    thing hold equal data; it is hashable and immutable, kept as a tuple of pairs.
    """

    __slots__ = ("_pairs",)

    def __init__(
        self, values: Mapping[str, DataValue | None] | Iterable[tuple[str, Any]] = ()
    ) -> None:
        items = values.items() if isinstance(values, Mapping) else values
        pairs = tuple(sorted((k, v) for k, v in items if v is not None))
        for key, value in pairs:
            if type(key) is not str or type(value) not in _DATA_TYPES:
                raise InvalidFieldError(
                    "Event",
                    "data",
                    {key: value},
                    N_("a table of str keys to str, int, float, bool or datetime.date values"),
                    N_("pass plain values (an enum member's .value, a day as datetime.date)"),
                )
        self._pairs: tuple[tuple[str, DataValue], ...] = pairs

    @classmethod
    def _of_pairs(cls, pairs: tuple[tuple[str, DataValue], ...]) -> EventData:
        data = cls.__new__(cls)
        data._pairs = pairs
        return data

    def __getitem__(self, key: str) -> DataValue:
        for name, value in self._pairs:
            if name == key:
                return value
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._pairs)

    def __len__(self) -> int:
        return len(self._pairs)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, EventData):
            return self._pairs == other._pairs
        if isinstance(other, Mapping):
            return dict(self._pairs) == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._pairs)

    def __repr__(self) -> str:
        return f"EventData({dict(self._pairs)!r})"

    def __bool__(self) -> bool:
        return bool(self._pairs)


NO_DATA = EventData()
"""The data of an event that carries none (a fired trigger)."""


_DATA = Spec(
    "type({v}) is _EventData",
    lambda v: type(v) is EventData,
    "an EventData",
    lambda _v: "pass EventData({...}) of plain values, e.g. EventData({'due_on': day})",
    {"_EventData": EventData},
)


@attrs.frozen(slots=True)
@checked(
    seq=POSITIVE,
    trigger=TEXT,
    target=TEXT,
    on=DAY,
    actor=_OPT_TEXT,
    note=_OPT_TEXT,
    recorded_on=_OPT_DAY,
    data=_DATA,
)
class Event:
    """One change to a case: immutable once recorded.

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
        data: what an edit changed (empty for a fired trigger): e.g. an ``extend`` holds
            ``due_on``, ``previous_due_on``, ``approver`` and ``reason``
            (docs/supervision.md lists every kind).
    """

    seq: int
    trigger: str
    target: str
    on: dt.date
    actor: str | None = None
    note: str | None = None
    recorded_on: dt.date | None = None
    data: EventData = NO_DATA


EventRow = tuple[
    int, str, str, dt.date, str | None, str | None, dt.date | None, tuple[tuple[str, Any], ...]
]
"""An event as the log keeps it: ``(seq, trigger, target, on, actor, note, recorded_on,
data pairs)``."""


def _trusted_event_maker() -> Callable[..., Event]:
    """``Event(*row)`` without the field checks, for rows the log already holds (they were
    checked when their event was built); generated from the fields, so it follows them. Each
    field is stored through its slot's own descriptor, which costs less than
    ``object.__setattr__``'s look-up by name (``fire`` builds one per event it returns)."""
    names = [field.name for field in attrs.fields(Event)]
    source = (
        f"def event_of_row({', '.join(names)}):\n"
        "    event = _new(Event)\n"
        + "".join(f"    _set_{name}(event, {name})\n" for name in names[:-1])
        + f"    _set_{names[-1]}(event, _data(data) if data else _NO_DATA)\n"
        + "    return event\n"
    )
    scope: dict[str, Any] = {
        "_new": object.__new__,
        "Event": Event,
        "_data": EventData._of_pairs,
        "_NO_DATA": NO_DATA,
        **{f"_set_{n}": set_ for n, set_ in zip(names, slot_setters(Event, *names), strict=True)},
    }
    exec(source, scope)  # noqa: S102 - a fixed template over Event's own field names
    maker: Callable[..., Event] = scope["event_of_row"]
    return maker


_event_of_row = _trusted_event_maker()

_ROW_SLOT = Event.__dict__["data"]  # where a pending event keeps its row (see _PendingEvent)
_get_row = _ROW_SLOT.__get__
_set_row = _ROW_SLOT.__set__
_set_class = object.__dict__["__class__"].__set__


def _settle(event: Event) -> None:
    """Give a :class:`_PendingEvent` its fields from its row and make it a plain ``Event``."""
    row = _get_row(event)
    if type(row) is tuple:  # not settled yet (two threads may race here: both write the same)
        for set_field, value in zip(_SETTERS, row[:7], strict=True):
            set_field(event, value)
        _set_row(event, EventData._of_pairs(row[7]) if row[7] else NO_DATA)
    _set_class(event, Event)


def _pending_field(name: str) -> property:
    getter = Event.__dict__[name].__get__

    def read(event: Event) -> Any:
        _settle(event)
        return getter(event)

    return property(read, doc=f"{name}, read from the log's row on first use")


class _PendingEvent(Event):
    """The :class:`Event` ``fire`` returns, before anything reads it.

    Building a frozen ``Event`` (eight checked-free slot stores) cost about as much as the whole
    transition, and most callers of ``fire`` drop what it returns. So ``fire`` hands back this
    subclass of ``Event``, of the same layout, holding the row the log keeps and nothing else;
    the first read of any field (or of ``__class__``, which ``==``, ``repr``, ``attrs.evolve``,
    ``attrs.asdict`` and cattrs go through, or a copy or a pickle) fills every field from the
    row and turns the object into a plain ``Event``, for good. It is an ``Event`` throughout
    (``isinstance`` holds; ``type(...) is Event`` from the first read on).
    """

    __slots__ = ()

    # Made by calling the class with no argument (``fire``: cheaper than ``object.__new__``),
    # then given its row; attrs' ``__init__`` of ``Event`` is not run.
    __init__ = object.__init__

    # The fields, read through the row until the first read settles the object.
    seq = _pending_field("seq")
    trigger = _pending_field("trigger")
    target = _pending_field("target")
    on = _pending_field("on")
    actor = _pending_field("actor")
    note = _pending_field("note")
    recorded_on = _pending_field("recorded_on")
    data = _pending_field("data")

    @property  # type: ignore[misc]
    def __class__(self) -> type[Event]:  # type: ignore[override]
        _settle(self)
        return Event

    def __reduce_ex__(self, protocol: SupportsIndex) -> Any:
        _settle(self)
        return self.__reduce_ex__(protocol)  # Event's own, now

    def __getstate__(self) -> Any:
        _settle(self)
        return self.__getstate__()


_FIELD_NAMES = tuple(field.name for field in attrs.fields(Event))
_SETTERS = slot_setters(Event, *_FIELD_NAMES[:-1])  # data is set by _settle itself


def _pending_event(row: EventRow) -> Event:
    """The :class:`Event` of a row just appended to a log, built when first read."""
    event: Event = _PendingEvent()
    _set_row(event, row)
    return event


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
                        "Case",
                        "events",
                        event,
                        N_("Event objects"),
                        N_("pass a list of Event(...)"),
                    )
            self._rows = [
                (e.seq, e.trigger, e.target, e.on, e.actor, e.note, e.recorded_on, e.data._pairs)
                for e in events
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
                event.data._pairs,
            )
        )

    @classmethod
    def _of_rows(cls, rows: list[EventRow]) -> EventLog:
        """A log holding ``rows`` (the list itself), for a loader that checked each one."""
        log = cls()
        log._rows = rows
        return log

    def _raw(self) -> list[EventRow]:
        """The rows themselves, for rectflow's own hot loops (replay); never to be changed."""
        return self._rows


def _to_log(events: Sequence[Event] | EventLog) -> EventLog:
    return events if isinstance(events, EventLog) else EventLog(events)


_T = TypeVar("_T")


class RowScan(Generic[_T]):
    """A fold over an event log's rows kept from one call to the next, for a guard that reads
    the log on every fire: ``scan(rows)`` is ``step`` applied to ``start()`` and each row in
    order, but while ``rows`` is the same list as last time, at least as long, with the same
    row last folded, only the rows appended since are folded (the log is append-only; a row
    taken back and another appended in its place starts the fold again). One entry, of the last
    log scanned, replaced whole, so a thread never reads another's half; ``step`` may grow the
    value in place (callers read it and let it go)."""

    __slots__ = ("_seen", "_start", "_step")

    def __init__(self, start: Callable[[], _T], step: Callable[[_T, EventRow], _T]) -> None:
        self._start, self._step = start, step
        self._seen: tuple[list[EventRow] | None, int, object, _T | None] = (None, 0, None, None)

    def __call__(self, rows: list[EventRow]) -> _T:
        seen_rows, folded, last, value = self._seen
        count = len(rows)
        if seen_rows is rows and folded <= count and (folded == 0 or rows[folded - 1] is last):
            if folded == count:
                return value  # type: ignore[return-value]  # set with the rows it was folded from
            start = folded
        else:
            start, value = 0, self._start()
        step = self._step
        for index in range(start, count):
            value = step(value, rows[index])  # type: ignore[arg-type]
        self._seen = (rows, count, rows[count - 1] if count else None, value)
        return value  # type: ignore[return-value]
