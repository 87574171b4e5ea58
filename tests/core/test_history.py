"""History runs forward: fire and add_measure refuse events dated where history can't have them."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

import rectflow
from rectflow import Case, Category, FuzzyDate, Measure, Problem, add_measure, fire
from rectflow.errors import EventOrderError, InvalidDateError

D = dt.date


def ledger(feedback: FuzzyDate | None = None) -> Case:
    """Problem 1.1 (measures 1.1.1, 1.1.2) and 1.2 (no measures); feedback 2024-03-15."""
    return Case(
        "history",
        feedback_on=FuzzyDate.of(D(2024, 3, 15)) if feedback is None else feedback,
        categories=[
            Category(
                "1",
                problems=[
                    Problem("1.1", measures=[Measure("1.1.1"), Measure("1.1.2")]),
                    Problem("1.2"),
                ],
            )
        ],
    )


def refused(case: Case, trigger: str, **kwargs: object) -> EventOrderError:
    """Fire, expect an EventOrderError, and check that nothing changed."""
    before = copy.deepcopy(case)
    with pytest.raises(EventOrderError) as caught:
        fire(case, trigger, **kwargs)  # type: ignore[arg-type]
    assert before == case
    assert list(before.events) == list(case.events)
    return caught.value


def test_an_event_dated_before_an_earlier_event_of_its_item_is_refused() -> None:
    """Completing 1.1.1 on a day before it was started is refused, naming both dates."""
    case = ledger()
    fire(case, "start", item="1.1.1", on=D(2024, 6, 1))
    error = refused(case, "complete", item="1.1.1", on=D(2024, 5, 20))
    assert ("target", D(2024, 5, 20), D(2024, 6, 1)) == (error.rule, error.on, error.bound)
    assert "event #1 'start' on 1.1.1 (2024-06-01)" in str(error)
    assert "an earlier event of the same item" in str(error)
    assert "date it 2024-06-01 or later" in str(error)


def test_a_late_recording_cannot_go_behind_an_earlier_event_of_its_item() -> None:
    """recorded_on makes a late entry possible, never one before the item's own history."""
    case = ledger()
    fire(case, "start", item="1.1.1", on=D(2024, 6, 1))
    error = refused(case, "complete", item="1.1.1", on=D(2024, 5, 20), recorded_on=D(2024, 7, 1))
    assert error.rule == "target"


def test_a_case_event_dated_before_an_earlier_case_event_is_refused() -> None:
    """The case is a target of its own: its events run forward too."""
    case = ledger()
    fire(case, "adopt_plan", on=D(2024, 3, 22))
    error = refused(case, "start_centralised", on=D(2024, 3, 21))
    assert "the same case" in str(error)


def test_an_event_dated_before_the_feedback_is_refused() -> None:
    """Nothing happens to a case before its feedback; the message names the feedback date."""
    error = refused(ledger(), "adopt_plan", on=D(2024, 3, 14))
    assert ("feedback", D(2024, 3, 15)) == (error.rule, error.bound)
    assert "before the case's feedback (2024-03-15)" in str(error)


def test_a_fuzzy_feedback_refuses_only_days_before_its_earliest_reading() -> None:
    """Feedback "2024-03" (some day in March): 1 March may be after it, 29 February is not."""
    case = ledger(FuzzyDate(2024, 3))
    fire(case, "adopt_plan", on=D(2024, 3, 1))
    error = refused(ledger(FuzzyDate(2024, 3)), "adopt_plan", on=D(2024, 2, 29))
    assert "at the earliest 2024-03-01" in str(error)
    assert len(case.events) == 1


def test_an_event_dated_before_one_already_recorded_needs_recorded_on() -> None:
    """Back-dating across targets is a late recording: refused without recorded_on, accepted
    with it, and the event keeps both days."""
    case = ledger()
    fire(case, "adopt_plan", on=D(2024, 3, 22))
    error = refused(case, "start", item="1.2", on=D(2024, 3, 18))
    assert ("log", D(2024, 3, 22)) == (error.rule, error.bound)
    assert "give recorded_on" in error.fix
    assert "--recorded-on" in error.fix
    event = fire(case, "start", item="1.2", on=D(2024, 3, 18), recorded_on=D(2024, 3, 25))
    assert (D(2024, 3, 18), D(2024, 3, 25)) == (event.on, event.recorded_on)
    assert event == case.events[-1]


def test_recorded_on_before_the_day_it_happened_is_refused() -> None:
    """An event cannot be recorded before it happened."""
    error = refused(ledger(), "start", item="1.2", on=D(2024, 4, 2), recorded_on=D(2024, 4, 1))
    assert error.rule == "recorded"
    assert "before the day it happened" in str(error)


def test_recorded_on_before_an_earlier_recording_is_refused() -> None:
    """The log is written forward: a late entry is recorded no earlier than the one before it."""
    case = ledger()
    fire(case, "start", item="1.1.1", on=D(2024, 4, 1), recorded_on=D(2024, 5, 1))
    error = refused(case, "start", item="1.2", on=D(2024, 4, 2), recorded_on=D(2024, 4, 30))
    assert ("log", D(2024, 5, 1)) == (error.rule, error.bound)
    assert "recorded 2024-05-01" in str(error)


def test_reopening_a_problem_concerns_each_of_its_measures() -> None:
    """A problem's reopen may not be dated before the last event of one of its measures, and a
    measure's event may not be dated before its problem's reopening."""
    case = ledger()
    for trigger, on in (("start", D(2024, 4, 1)), ("complete", D(2024, 4, 10))):
        for measure in ("1.1.1", "1.1.2"):
            fire(case, trigger, item=measure, on=on)
    fire(case, "close", item="1.1.2", on=D(2024, 5, 1))
    error = refused(case, "reopen", item="1.1", on=D(2024, 4, 20), recorded_on=D(2024, 5, 2))
    assert "1.1.2, which it concerns" in str(error)
    fire(case, "reopen", item="1.1", on=D(2024, 6, 1))
    error = refused(case, "start", item="1.1.1", on=D(2024, 5, 20), recorded_on=D(2024, 6, 2))
    assert "1.1, whose event concerns 1.1.1" in str(error)


def test_measures_of_one_problem_are_separate_targets() -> None:
    """A late entry on one measure may go behind a sibling's later event."""
    case = ledger()
    fire(case, "start", item="1.1.1", on=D(2024, 4, 10))
    event = fire(case, "start", item="1.1.2", on=D(2024, 4, 1), recorded_on=D(2024, 4, 10))
    assert D(2024, 4, 1) == event.on


def test_adding_a_measure_concerns_its_problem() -> None:
    """A measure added to 1.2 may not be dated before 1.2's own last event; it keeps its dates."""
    case = ledger()
    fire(case, "start", item="1.2", on=D(2024, 5, 1))
    before = copy.deepcopy(case)
    with pytest.raises(EventOrderError, match=r"before event #1 'start' on 1\.2"):
        add_measure(case, "1.2", Measure("1.2.1"), on=D(2024, 4, 1), recorded_on=D(2024, 5, 2))
    assert before == case
    event = add_measure(case, "1.2", Measure("1.2.1"), on=D(2024, 5, 3))
    assert (event.trigger, event.recorded_on) == (rectflow.ADD_MEASURE, None)


def test_recorded_on_must_be_a_day() -> None:
    """A date-time or a string is not a recording day."""
    with pytest.raises(InvalidDateError, match="recorded_on"):
        fire(
            ledger(),
            "adopt_plan",
            on=D(2024, 4, 1),
            recorded_on=dt.datetime(2024, 4, 2, 9, 0),  # type: ignore[arg-type]
        )
