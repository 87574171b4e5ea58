"""The event log: append-only, immutable events, and replay giving back the same case."""

from __future__ import annotations

import copy
import datetime as dt
import gc

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rectflow.strategies as rs
from rectflow import (
    Case,
    CaseState,
    Category,
    Event,
    EventLog,
    ItemState,
    Measure,
    Problem,
    allowed_triggers,
    fire,
    replay,
)
from rectflow._core.lifecycle import replay_in_place, reset_states
from rectflow.errors import TransitionNotAllowed

DAY = dt.date(2021, 3, 1)


def small_case() -> Case:
    """Two categories: a problem with three measures, and a problem without measures."""
    return Case(
        "c1",
        categories=[
            Category("1", "", [Problem("1.1", measures=[Measure(f"1.1.{i}") for i in (1, 2, 3)])]),
            Category("2", "", [Problem("2.1")]),
        ],
    )


def whole_lifecycle() -> Case:
    """A case walked through its whole lifecycle, including a review that reopens a problem."""
    case = small_case()
    day = iter(dt.date(2021, 1, 1) + dt.timedelta(days=n) for n in range(1000))
    for trigger in ("adopt_plan", "start_centralised"):
        fire(case, trigger, on=next(day))
    for item in ("1.1.1", "1.1.2", "1.1.3", "2.1"):
        fire(case, "start", item=item, on=next(day), actor="办公室")
    fire(case, "complete", item="1.1.1", on=next(day))
    fire(case, "mark_long_term", item="1.1.2", on=next(day))
    fire(case, "mark_basically_completed", item="1.1.3", on=next(day))
    fire(case, "complete", item="2.1", on=next(day))
    for trigger in ("submit_report", "disclose", "close_public_period", "review"):
        fire(case, trigger, on=next(day))
    fire(case, "reopen", item="1.1", on=next(day), note="回头看: 反弹回潮")
    fire(case, "reopen_case", on=next(day))
    for item in ("1.1.1", "1.1.2", "1.1.3"):
        for trigger in ("start", "complete", "close"):
            fire(case, trigger, item=item, on=next(day))
    for trigger in ("close",):
        fire(case, trigger, item="2.1", on=next(day))
    for trigger in ("review", "close_case"):
        fire(case, trigger, on=next(day), actor="市委巡察办")
    return case


# -- append-only -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "append",
        "extend",
        "insert",
        "pop",
        "remove",
        "clear",
        "__setitem__",
        "__delitem__",
        "__iadd__",
        "sort",
        "reverse",
    ],
)
def test_the_event_log_has_no_public_mutator(name: str) -> None:
    """An EventLog cannot be edited through any list-like method."""
    assert not hasattr(EventLog(), name)


def test_item_assignment_and_deletion_are_refused() -> None:
    """``log[0] = e`` and ``del log[0]`` raise TypeError and leave the log as it was."""
    case = whole_lifecycle()
    before = list(case.events)
    with pytest.raises(TypeError):
        case.events[0] = before[1]  # type: ignore[index]
    with pytest.raises(TypeError):
        del case.events[0]  # type: ignore[attr-defined]
    assert before == list(case.events)


def test_a_slice_of_the_log_is_a_tuple() -> None:
    """Slicing gives an immutable copy, not a view that could change the log."""
    case = whole_lifecycle()
    assert isinstance(case.events[:3], tuple)
    assert list(case.events[:3]) == list(case.events)[:3]


@pytest.mark.parametrize("field", [f.name for f in attrs.fields(Event)])
def test_a_recorded_event_is_frozen(field: str) -> None:
    """Every field of an Event refuses assignment."""
    event = Event(1, "start", "1.1.1", DAY)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(event, field, None)
    assert Event(1, "start", "1.1.1", DAY) == event


def test_events_are_numbered_from_one_in_firing_order() -> None:
    """``seq`` is the event's 1-based position in the log."""
    case = whole_lifecycle()
    assert list(range(1, len(case.events) + 1)) == [e.seq for e in case.events]


def test_a_refused_trigger_records_nothing() -> None:
    """Only transitions that happen are logged."""
    case = small_case()
    with pytest.raises(TransitionNotAllowed):
        fire(case, "close", item="1.1.1", on=DAY)
    assert len(case.events) == 0


def test_a_copied_case_does_not_share_appends() -> None:
    """A deep copy of a case has its own log: firing on one leaves the other's log alone."""
    case = whole_lifecycle()
    twin = copy.deepcopy(case)
    fire(twin, "reopen_case", on=DAY)
    assert len(case.events) + 1 == len(twin.events)


# -- replay ------------------------------------------------------------------------------------


def test_replay_gives_back_the_same_case_after_a_whole_lifecycle() -> None:
    """Rebuilding the case from its initial states and its events gives an equal case."""
    case = whole_lifecycle()
    assert (
        case.state,
        [m.state for m in case.measures()],
    ) == (CaseState.CLOSED, [ItemState.CLOSED] * 3)
    assert case == replay(case)


def test_replay_does_not_touch_the_original() -> None:
    """``replay`` works on a copy."""
    case = whole_lifecycle()
    snapshot = copy.deepcopy(case)
    rebuilt = replay(case)
    assert rebuilt is not case
    assert snapshot == case


def test_replay_in_place_restores_states_that_were_reset() -> None:
    """Resetting every state loses the work; replaying the log brings it back."""
    case = whole_lifecycle()
    expected = copy.deepcopy(case)
    reset_states(case)
    assert case.state == CaseState.FEEDBACK_RECEIVED
    replay_in_place(case)
    assert expected == case


def test_replay_starts_from_imported_initial_states() -> None:
    """An item imported as completed replays its ``close`` from ``completed``, not ``open``."""
    case = Case(
        "c2",
        categories=[
            Category(
                "1",
                "",
                [Problem("1.1", measures=[Measure("1.1.1", initial_state=ItemState.COMPLETED)])],
            )
        ],
        initial_state=CaseState.REPORTED,
    )
    reset_states(case)
    fire(case, "close", item="1.1.1", on=DAY)
    fire(case, "disclose", on=DAY)
    assert case == replay(case)
    assert (case.state, case.item("1.1.1").state) == (CaseState.DISCLOSED, ItemState.CLOSED)


def test_replay_refuses_a_log_that_does_not_follow() -> None:
    """An event the lifecycle does not allow where it stands names its sequence number."""
    case = Case(
        "c3",
        categories=[Category("1", "", [Problem("1.1", measures=[Measure("1.1.1")])])],
        events=[Event(1, "start", "1.1.1", DAY), Event(2, "close", "1.1.1", DAY)],
    )
    with pytest.raises(TransitionNotAllowed, match="event #2") as caught:
        replay(case)
    assert (
        caught.value.target,
        caught.value.state,
        caught.value.trigger,
    ) == ("1.1.1", "in_progress", "close")


def test_replay_refuses_an_own_trigger_on_a_problem_with_measures() -> None:
    """A log that starts a problem whose state derives from its measures is not replayable."""
    case = Case(
        "c4",
        categories=[Category("1", "", [Problem("1.1", measures=[Measure("1.1.1")])])],
        events=[Event(1, "start", "1.1", DAY)],
    )
    with pytest.raises(TransitionNotAllowed, match="event #1"):
        replay(case)


@given(st.data())
def test_replay_equals_the_case_after_any_legal_sequence(data: st.DataObject) -> None:
    """Firing random allowed triggers on random targets, replay gives back the same case."""
    case = small_case()
    targets = [None, "1.1", "1.1.1", "1.1.2", "1.1.3", "2.1"]
    day = dt.date(2020, 1, 1)
    for _ in range(data.draw(st.integers(0, 40), label="steps")):
        target = data.draw(st.sampled_from(targets), label="target")
        allowed = allowed_triggers(case, target)
        if not allowed:
            continue
        trigger = data.draw(st.sampled_from(allowed), label="trigger")
        day += dt.timedelta(days=data.draw(st.integers(0, 30)))
        # A rejection (驳回) says why; the other triggers take no note.
        fire(case, trigger, item=target, on=day, note="材料不全" if trigger == "reject" else None)
    assert case == replay(case)


@given(st.data())
def test_replay_equals_any_generated_case_after_its_legal_event_sequence(
    data: st.DataObject,
) -> None:
    """On cases from rectflow.strategies (imported states too), any legal sequence of triggers
    and edits applied through the public API replays to an equal case."""
    case = data.draw(rs.cases(allow_imported=data.draw(st.booleans())), label="case")
    steps = data.draw(rs.event_sequences(case, max_size=30), label="steps")
    for step in steps:
        step.apply(case)
    assert len(steps) == len(case.events)
    assert replay(case) == case


def test_a_logged_event_costs_the_garbage_collector_nothing() -> None:
    """The log keeps rows the cyclic GC stops tracking, so millions of events add no collection
    time (bench/lifecycle.py measures why); reading still gives Event objects."""
    case = whole_lifecycle()
    gc.collect()
    assert [gc.is_tracked(row) for row in case.events._raw()] == [False] * len(case.events)
    assert all(type(event) is Event for event in case.events)


def test_a_log_built_from_events_reads_them_back_equal() -> None:
    """Events given to the constructor come back equal, by index, slice and iteration."""
    events = [Event(1, "start", "1.1.1", DAY, "办公室"), Event(2, "adopt_plan", "case", DAY)]
    log = EventLog(events)
    assert (list(log), log[1], log[:1], EventLog(log)) == (events, events[1], (events[0],), log)
    assert repr(log) == f"EventLog({events!r})"
