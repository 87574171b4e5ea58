"""As of a day means as it stood then: case_as_of, and status and overdue through it."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest

import rectflow
from rectflow import (
    Case,
    CaseState,
    Category,
    Disclosure,
    FuzzyDate,
    ItemState,
    Measure,
    Period,
    Plan,
    Problem,
    Review,
    add_measure,
    case_as_of,
    fire,
    overdue,
    status,
)
from rectflow.errors import InvalidDateError, UnknownItemError

D = dt.date
SYNTHETIC = (
    Path(__file__).resolve().parents[2]
    / "examples"
    / "cases"
    / "synthetic-hongqiao-first-people-hospital.toml"
)


def worked() -> Case:
    """1.1.1 due 2024-05-31: started 04-01, completed 06-20; feedback 2024-03-15."""
    case = Case(
        "as-of",
        feedback_on=FuzzyDate.of(D(2024, 3, 15)),
        categories=[
            Category(
                "1", problems=[Problem("1.1", measures=[Measure("1.1.1", due_on=D(2024, 5, 31))])]
            )
        ],
    )
    fire(case, "adopt_plan", on=D(2024, 3, 22))
    fire(case, "start", item="1.1.1", on=D(2024, 4, 1))
    fire(case, "complete", item="1.1.1", on=D(2024, 6, 20))
    return case


def test_the_synthetic_case_as_of_1_july_2024_shows_3_3_2_completed() -> None:
    """3.3.2 was completed on 2024-06-20 (and reopened in 2025): on 2024-07-01 it stood
    completed, was not overdue, and the case was reviewed, not continuing."""
    case = rectflow.load_case(SYNTHETIC)
    assert case.item("3.3.2").state is ItemState.IN_PROGRESS  # as it stands today
    st = status(case, as_of=D(2024, 7, 1))
    assert st.state is CaseState.REVIEWED
    assert "3.3.2" not in [item.id for item in st.overdue]
    assert case_as_of(case, D(2024, 7, 1)).item("3.3.2").state is ItemState.COMPLETED
    assert case_as_of(case, D(2024, 6, 19)).item("3.3.2").state is ItemState.IN_PROGRESS


def test_the_synthetic_case_as_of_1_july_2024_leaves_out_the_measures_added_in_2025() -> None:
    """2.1.4, 2.1.5 and 3.3.3 joined the ledger on 2025-03-20: not counted on 2024-07-01."""
    case = rectflow.load_case(SYNTHETIC)
    then = case_as_of(case, D(2024, 7, 1))
    ids = {m.id for m in then.measures()}
    assert not {"2.1.4", "2.1.5", "3.3.3"} & ids
    assert sum(status(case, as_of=D(2024, 7, 1)).measures.values()) == len(ids) == 23


def test_status_and_overdue_replay_the_log_up_to_the_day() -> None:
    """Before the completion the measure was late; after it, it was not."""
    case = worked()
    assert [m.id for m in overdue(case, D(2024, 6, 10))] == ["1.1.1"]
    assert overdue(case, D(2024, 6, 21)) == []
    assert status(case, as_of=D(2024, 6, 10)).measures == {ItemState.IN_PROGRESS: 1}
    assert status(case, as_of=D(2024, 3, 31)).measures == {ItemState.OPEN: 1}
    assert status(case, as_of=D(2024, 3, 21)).state is CaseState.FEEDBACK_RECEIVED


def test_case_as_of_keeps_the_events_up_to_the_day_and_changes_nothing() -> None:
    """The copy's log ends at the day; the case itself keeps every event and state."""
    case = worked()
    before = copy.deepcopy(case)
    then = case_as_of(case, D(2024, 4, 1))
    assert [e.seq for e in then.events] == [1, 2]
    assert before == case
    assert then is not case
    assert case_as_of(case, D(2024, 12, 31)) == case
    assert case_as_of(case, D(2024, 12, 31)) is not case


def test_a_measure_added_after_the_day_is_left_out() -> None:
    """add_measure dated after the day: the measure is not in the problem then."""
    case = worked()
    add_measure(case, "1.1", Measure("1.1.2", due_on=D(2024, 8, 1)), on=D(2024, 7, 1))
    then = case_as_of(case, D(2024, 6, 30))
    assert [m.id for m in then.item("1.1").measures] == ["1.1.1"]  # type: ignore[union-attr]
    assert then.item("1.1").state is ItemState.COMPLETED
    with pytest.raises(rectflow.errors.UnknownItemError):
        then.item("1.1.2")
    assert case.item("1.1").state is ItemState.IN_PROGRESS


def test_a_late_recording_counts_from_the_day_it_happened() -> None:
    """An event recorded on 07-01 that happened on 06-01 counts as of 06-15."""
    case = worked()
    late = D(2024, 7, 1)
    rectflow.add_problem(
        case, "1", Problem("1.2", due_on=D(2024, 6, 10)), on=D(2024, 4, 20), recorded_on=late
    )
    fire(case, "start", item="1.2", on=D(2024, 5, 1), recorded_on=late)
    fire(case, "complete", item="1.2", on=D(2024, 6, 1), recorded_on=late)
    assert case_as_of(case, D(2024, 6, 15)).item("1.2").state is ItemState.COMPLETED
    assert [m.id for m in overdue(case, D(2024, 6, 15))] == ["1.1.1"]  # 1.2 was done by then
    assert [e.seq for e in case_as_of(case, D(2024, 5, 15)).events] == [1, 2, 4, 5]
    # Before its addition the problem is not in the ledger at all.
    with pytest.raises(UnknownItemError):
        case_as_of(case, D(2024, 4, 10)).item("1.2")


def test_dated_facts_after_the_day_are_left_out_and_fuzzy_ones_kept_while_possible() -> None:
    """Disclosures, reviews, the report, the plan's adoption, the centralised period's end and
    a clue's transfer after the day are absent then; a fuzzy date that may be earlier stays."""
    case = worked()
    case.plan = Plan(FuzzyDate.of(D(2024, 3, 22)))
    case.centralised = Period(FuzzyDate.of(D(2024, 3, 25)), FuzzyDate.of(D(2024, 6, 25)))
    case.report_on = FuzzyDate(2024, 6)
    case.disclosures = [
        Disclosure(FuzzyDate.of(D(2024, 7, 5))),
        Disclosure(FuzzyDate(2024, 6)),
    ]
    case.reviews = [Review(D(2024, 9, 1))]
    then = case_as_of(case, D(2024, 6, 1))
    assert then.centralised == Period(FuzzyDate.of(D(2024, 3, 25)))
    assert then.report_on == FuzzyDate(2024, 6)  # may be 1 June: kept
    assert [d.published_on for d in then.disclosures] == [FuzzyDate(2024, 6)]
    assert then.reviews == []
    earlier = case_as_of(case, D(2024, 3, 20))
    assert earlier.plan == Plan(None)
    assert earlier.centralised is None
    assert earlier.report_on is None


def test_an_as_of_day_must_be_a_day() -> None:
    """A date-time is refused, as elsewhere."""
    with pytest.raises(InvalidDateError):
        case_as_of(worked(), dt.datetime(2024, 6, 1, 8, 0))  # type: ignore[arg-type]
