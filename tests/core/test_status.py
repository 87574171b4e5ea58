"""Where a case stands as of a day: what is overdue, which day by default, counts by state."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow import (
    Case,
    CaseState,
    Category,
    Disclosure,
    FuzzyDate,
    Inspection,
    ItemState,
    Measure,
    Milestone,
    Period,
    Plan,
    Problem,
    Review,
    fire,
)
from rectflow._core.status import default_as_of, overdue, status
from rectflow.errors import MissingDateError

DUE = dt.date(2021, 6, 30)


def one_of_each(state: ItemState, due: dt.date | None = DUE) -> Case:
    """A measure and a problem without measures, both in ``state`` and due on ``due``."""
    return Case(
        "c",
        categories=[
            Category(
                "1",
                "",
                [
                    Problem("1.1", measures=[Measure("1.1.1", due_on=due, state=state)]),
                    Problem("1.2", state=state, due_on=due),
                ],
            )
        ],
    )


@pytest.mark.parametrize(
    "state",
    [ItemState.OPEN, ItemState.IN_PROGRESS, ItemState.BASICALLY_COMPLETED, ItemState.REOPENED],
)
def test_an_unfinished_item_past_its_due_day_is_overdue(state: ItemState) -> None:
    """Measures and problems without measures are late the day after their due day."""
    case = one_of_each(state)
    assert [i.id for i in overdue(case, DUE + dt.timedelta(days=1))] == ["1.1.1", "1.2"]


@pytest.mark.parametrize("state", [ItemState.COMPLETED, ItemState.CLOSED, ItemState.LONG_TERM])
def test_done_or_long_term_items_are_never_overdue(state: ItemState) -> None:
    """Completed, closed and long-term (长期坚持) items have no deadline left to miss."""
    assert overdue(one_of_each(state), dt.date(2030, 1, 1)) == []


def test_the_due_day_itself_is_not_late() -> None:
    """On the due day the item is still in time."""
    assert overdue(one_of_each(ItemState.IN_PROGRESS), DUE) == []


def test_items_without_a_due_date_are_never_overdue() -> None:
    """No deadline, nothing to miss (the responsibility check reports the missing date)."""
    assert overdue(one_of_each(ItemState.OPEN, due=None), dt.date(2030, 1, 1)) == []


def test_a_problem_with_measures_is_late_through_its_measures_only() -> None:
    """A due date on a problem that has measures does not make the problem itself overdue."""
    case = Case(
        "c",
        categories=[
            Category(
                "1",
                "",
                [
                    Problem(
                        "1.1",
                        due_on=DUE,
                        measures=[Measure("1.1.1", due_on=DUE + dt.timedelta(days=9))],
                    )
                ],
            )
        ],
    )
    assert overdue(case, DUE + dt.timedelta(days=5)) == []
    assert [i.id for i in overdue(case, DUE + dt.timedelta(days=10))] == ["1.1.1"]


@given(
    rs.cases(with_events=True, allow_imported=True),
    st.dates(dt.date(2000, 1, 1), dt.date(2040, 1, 1)),
)
def test_overdue_is_exactly_the_unfinished_items_past_due(case: Case, as_of: dt.date) -> None:
    """Against a direct reading of the rule, on generated cases and days: the case as it stood
    that day (rectflow.case_as_of), its items of known state due before the day and unfinished."""
    finished = {ItemState.COMPLETED, ItemState.CLOSED, ItemState.LONG_TERM}
    expected = []
    for problem in rectflow.case_as_of(case, as_of).problems():
        tracked = problem.measures or [problem]
        expected += [
            i.id
            for i in tracked
            if i.due_on and i.due_on < as_of and i.state not in finished and i.state_known
        ]
    assert [i.id for i in overdue(case, as_of)] == expected


# -- the default as-of day ---------------------------------------------------------------------


def test_the_default_day_is_the_last_event_date() -> None:
    """With events, the latest event's date, and the sentence names that event."""
    case = one_of_each(ItemState.OPEN)
    case.state = CaseState.FEEDBACK_RECEIVED
    case.categories[0].problems[1].state = ItemState.OPEN
    case.categories[0].problems[0].measures[0].state = ItemState.OPEN
    fire(case, "adopt_plan", on=dt.date(2021, 2, 1))
    fire(case, "start", item="1.1.1", on=dt.date(2021, 3, 9), actor="办公室")
    assert default_as_of(case) == (
        dt.date(2021, 3, 9),
        "the case's last event: #2 start on 1.1.1",
    )


def test_without_events_the_default_day_is_the_latest_stated_date() -> None:
    """Feedback, plan, periods, report, milestones, disclosures and reviews all count."""
    case = Case(
        "c",
        inspection=Inspection(onsite=Period(FuzzyDate.parse("2020-08-early"))),
        feedback_on=FuzzyDate.parse("2020-11-20"),
        plan=Plan(adopted_on=FuzzyDate.parse("2020-12-03")),
        centralised=Period(FuzzyDate.parse("2020-12-03"), FuzzyDate.parse("2021-02-28")),
        milestones=[Milestone("专题民主生活会", FuzzyDate.parse("2021-01"))],
        disclosures=[Disclosure(published_on=FuzzyDate.parse("2021-03-12"))],
    )
    assert default_as_of(case) == (
        dt.date(2021, 3, 12),
        "no events; the latest date the case states: disclosures[0].published_on = 2021-03-12",
    )
    case.reviews.append(Review(dt.date(2021, 9, 1)))
    assert default_as_of(case)[0] == dt.date(2021, 9, 1)


def test_a_fuzzy_latest_date_is_taken_at_its_first_day() -> None:
    """A month-precision publication date counts from its first day, and the reason says so."""
    case = Case(
        "c",
        feedback_on=FuzzyDate.parse("2021-01-05"),
        disclosures=[Disclosure(published_on=FuzzyDate.parse("2021-06"))],
    )
    assert default_as_of(case) == (
        dt.date(2021, 6, 1),
        "no events; the latest date the case states: disclosures[0].published_on = 2021-06 "
        "(taken as its first day, 2021-06-01)",
    )


def test_a_case_without_events_or_dates_needs_an_as_of_day() -> None:
    """Nothing to go by: MissingDateError says how to give the day; the clock is not read."""
    with pytest.raises(MissingDateError, match="--as-of") as caught:
        default_as_of(Case("empty"))
    assert (caught.value.case_id, caught.value.what) == ("empty", "as-of date")


# -- the status summary ------------------------------------------------------------------------


def test_status_counts_items_by_state_in_lifecycle_order() -> None:
    """Zero counts are left out; the overdue list and the as-of reason come along."""
    case = Case(
        "c",
        inspected_body="某单位党委",
        categories=[
            Category(
                "1",
                "",
                [
                    Problem(
                        "1.1",
                        measures=[
                            Measure("1.1.1", state=ItemState.COMPLETED),
                            Measure("1.1.2", state=ItemState.OPEN, due_on=DUE),
                        ],
                    ),
                    Problem("1.2", state=ItemState.CLOSED),
                ],
            )
        ],
    )
    result = status(case, as_of=dt.date(2021, 7, 1))
    assert (
        result.case_id,
        result.inspected_body,
        result.state,
        result.as_of,
        result.as_of_reason,
        dict(result.problems),
        list(result.problems),
        dict(result.measures),
        [i.id for i in result.overdue],
    ) == (
        "c",
        "某单位党委",
        CaseState.FEEDBACK_RECEIVED,
        dt.date(2021, 7, 1),
        "given",
        {ItemState.IN_PROGRESS: 1, ItemState.CLOSED: 1},
        [ItemState.IN_PROGRESS, ItemState.CLOSED],
        {ItemState.OPEN: 1, ItemState.COMPLETED: 1},
        ["1.1.2"],
    )


def test_status_without_a_day_uses_the_default_one() -> None:
    """``status(case)`` judges at :func:`default_as_of` and keeps its reason."""
    case = Case("c", feedback_on=FuzzyDate.parse("2021-01-05"))
    result = status(case)
    assert (result.as_of, result.as_of_reason) == default_as_of(case)
