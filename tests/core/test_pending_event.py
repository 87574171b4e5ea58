"""The Event ``fire`` returns is built from the log's row when first read (issue 14: building it
eagerly cost about a whole baseline fire). Whatever is done with it first — a field read,
``==`` either way round, ``hash``, ``repr``, a copy, a pickle, ``attrs.evolve`` or ``asdict`` —
it behaves as the ``Event`` the log reads back, and becomes a plain ``Event``."""

from __future__ import annotations

import copy
import datetime as dt
import pickle
from collections.abc import Callable
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import rectflow
from rectflow import Case, Category, Event, FuzzyDate, Measure, Problem, fire
from rectflow._core.events import _event_of_row, _pending_event

DAY = dt.date(2021, 6, 1)

texts = st.none() | st.text(max_size=8)
days = st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31))
pairs = st.lists(
    st.tuples(st.text(min_size=1, max_size=5), st.integers() | st.text(max_size=5) | days),
    max_size=3,
    unique_by=lambda pair: pair[0],
).map(lambda found: tuple(sorted(found)))
rows = st.tuples(
    st.integers(1, 10_000),
    st.text(min_size=1, max_size=10),
    st.text(min_size=1, max_size=10),
    days,
    texts,
    texts,
    st.none() | days,
    pairs,
)


def same_field(name: str) -> Callable[[Event, Event], object]:
    return lambda e, r: getattr(e, name) == getattr(r, name)


FIRST_USES: dict[str, Callable[[Event, Event], object]] = {
    **{f.name: same_field(f.name) for f in attrs.fields(Event)},
    "eq": lambda e, r: e == r,
    "eq_reflected": lambda e, r: r == e,
    "ne": lambda e, r: (e != r) is False,
    "hash": lambda e, r: hash(e) == hash(r),
    "repr": lambda e, r: repr(e) == repr(r),
    "class": lambda e, r: e.__class__ is Event,
    "deepcopy": lambda e, r: copy.deepcopy(e) == r,
    "copy": lambda e, r: copy.copy(e) == r,
    "pickle": lambda e, r: pickle.loads(pickle.dumps(e)) == r,  # noqa: S301 - our own bytes
    "evolve": lambda e, r: attrs.evolve(e, note="n") == attrs.evolve(r, note="n"),
    "asdict": lambda e, r: attrs.asdict(e) == attrs.asdict(r),
    "astuple": lambda e, r: attrs.astuple(e) == attrs.astuple(r),
    "in_set": lambda e, r: e in {r},
    "match": lambda e, r: matched(e) == (r.seq, r.trigger, r.target),
}


def matched(event: object) -> tuple[int, str, str] | None:
    match event:
        case Event(seq, trigger, target):
            return (seq, trigger, target)
    return None


@given(row=rows, first=st.sampled_from(sorted(FIRST_USES)))
@settings(max_examples=300, deadline=None)
def test_a_pending_event_is_the_event_of_its_row(row: Any, first: str) -> None:
    """Whatever touches it first, it answers as the eagerly built Event, then is one."""
    pending, eager = _pending_event(row), _event_of_row(*row)
    assert isinstance(pending, Event)
    assert FIRST_USES[first](pending, eager)
    assert type(pending) is Event
    assert pending == eager
    assert hash(pending) == hash(eager)
    assert attrs.astuple(pending) == attrs.astuple(eager)


def test_a_pending_event_stays_frozen() -> None:
    """Assigning a field raises before and after it is read."""
    pending = _pending_event((1, "start", "1.1", DAY, None, None, None, ()))
    for _ in range(2):
        try:
            pending.note = "x"  # type: ignore[misc]
        except attrs.exceptions.FrozenInstanceError:
            pass
        else:
            raise AssertionError("a pending event took an assignment")
        assert pending.note is None


@given(
    fired=st.lists(
        st.tuples(st.sampled_from(["1.1.1", "1.1.2", "1.2"]), texts, texts), min_size=1, max_size=6
    )
)
@settings(max_examples=60, deadline=None)
def test_fire_returns_what_the_log_keeps(fired: list[tuple[str, str | None, str | None]]) -> None:
    """Each Event fire returns equals the log's, field for field, read before or after later
    fires."""
    case = Case(
        "p",
        feedback_on=FuzzyDate.of(DAY),
        categories=[
            Category(
                "1",
                "方面",
                [
                    Problem("1.1", measures=[Measure("1.1.1"), Measure("1.1.2")]),
                    Problem("1.2"),
                ],
            )
        ],
    )
    returned: list[Event] = []
    for n, (item, actor, note) in enumerate(fired):
        trigger = "start" if case.item(item).state is rectflow.ItemState.OPEN else "complete"
        try:
            returned.append(fire(case, trigger, item=item, on=DAY, actor=actor, note=note))
        except rectflow.errors.TransitionNotAllowed:
            continue
        if n % 2:
            assert returned[-1] == case.events[-1]
    assert returned == list(case.events)
    assert [attrs.astuple(e) for e in returned] == [attrs.astuple(e) for e in case.events]
