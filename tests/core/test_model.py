"""The domain model: derived problem states, the ledger's lookups, and the dates a case knows."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rectflow
from rectflow import (
    Case,
    Category,
    Event,
    FuzzyDate,
    ItemState,
    Measure,
    Plan,
    Problem,
    ProblemKind,
    Responsibility,
    derive_problem_state,
    fire,
)
from rectflow._core.fields import force
from rectflow.errors import OwnedFieldError, UnknownItemError

S = ItemState
DONE = (S.COMPLETED, S.SUBMITTED, S.CLOSED)
SETTLED = (S.COMPLETED, S.SUBMITTED, S.CLOSED, S.LONG_TERM, S.BASICALLY_COMPLETED)
states = st.lists(st.sampled_from(ItemState), min_size=1, max_size=12)


# -- a problem's state derives from its measures -----------------------------------------------


@pytest.mark.parametrize(
    ("measures", "expected"),
    [
        ([S.CLOSED, S.CLOSED], S.CLOSED),
        ([S.COMPLETED, S.CLOSED], S.COMPLETED),
        ([S.COMPLETED, S.COMPLETED], S.COMPLETED),
        ([S.COMPLETED, S.LONG_TERM], S.LONG_TERM),
        ([S.CLOSED, S.LONG_TERM, S.LONG_TERM], S.LONG_TERM),
        ([S.COMPLETED, S.BASICALLY_COMPLETED], S.BASICALLY_COMPLETED),
        ([S.LONG_TERM, S.BASICALLY_COMPLETED], S.BASICALLY_COMPLETED),
        ([S.COMPLETED, S.IN_PROGRESS], S.IN_PROGRESS),
        ([S.OPEN, S.COMPLETED], S.IN_PROGRESS),
        ([S.OPEN, S.OPEN], S.OPEN),
        ([S.CLOSED, S.REOPENED], S.REOPENED),
        ([S.IN_PROGRESS, S.REOPENED, S.OPEN], S.REOPENED),
        ([S.OPEN, S.IN_PROGRESS], S.IN_PROGRESS),
    ],
)
def test_a_problem_state_summarises_its_measures(
    measures: list[ItemState], expected: ItemState
) -> None:
    """Worked examples of the summary rule (see derive_problem_state's docstring)."""
    assert expected == derive_problem_state(measures)


@given(st.sampled_from(ItemState))
def test_a_problem_with_one_measure_has_that_measure_state(state: ItemState) -> None:
    """With a single measure, the problem is wherever its measure is."""
    assert state == derive_problem_state([state])


@given(states.flatmap(lambda m: st.tuples(st.just(m), st.permutations(m))))
def test_the_order_of_measures_does_not_matter(
    both: tuple[list[ItemState], list[ItemState]],
) -> None:
    """The summary depends on which states occur, not on the ledger order."""
    measures, shuffled = both
    assert derive_problem_state(measures) == derive_problem_state(shuffled)


@given(st.lists(st.sampled_from(DONE), min_size=1))
def test_all_measures_done_means_the_problem_is_done(measures: list[ItemState]) -> None:
    """All closed → closed; all submitted for acceptance or closed → submitted; all completed,
    submitted or closed → completed."""
    unique = set(measures)
    if unique == {S.CLOSED}:
        expected = S.CLOSED
    elif unique <= {S.SUBMITTED, S.CLOSED}:
        expected = S.SUBMITTED
    else:
        expected = S.COMPLETED
    assert expected == derive_problem_state(measures)


@given(states)
def test_a_problem_is_done_only_when_every_measure_is(measures: list[ItemState]) -> None:
    """The problem is completed or closed exactly when all its measures are."""
    done = derive_problem_state(measures) in DONE
    assert all(m in DONE for m in measures) == done


@given(states)
def test_a_reopened_measure_reopens_an_unsettled_problem(measures: list[ItemState]) -> None:
    """Any reopened measure makes the problem reopened; without one it is never reopened."""
    derived = derive_problem_state(measures)
    assert (S.REOPENED in measures) == (derived is S.REOPENED)


@given(states)
def test_a_problem_is_open_only_when_nothing_started(measures: list[ItemState]) -> None:
    """Open means every measure is still open."""
    assert (set(measures) == {S.OPEN}) == (derive_problem_state(measures) is S.OPEN)


@given(states)
def test_a_settled_problem_has_only_settled_measures(measures: list[ItemState]) -> None:
    """Long-term or basically completed needs every measure settled, and one of those two."""
    derived = derive_problem_state(measures)
    if derived in (S.LONG_TERM, S.BASICALLY_COMPLETED):
        assert all(m in SETTLED for m in measures)
        assert derived in measures


def test_a_problem_with_measures_ignores_its_own_state() -> None:
    """Its stored state is kept as ``own_state`` but its ``state`` comes from the measures."""
    problem = Problem("1", state=S.CLOSED, measures=[Measure("1.1", state=S.IN_PROGRESS)])
    assert (problem.state, problem.own_state) == (S.IN_PROGRESS, S.CLOSED)


def test_a_problem_without_measures_keeps_its_own_state() -> None:
    """A problem without measures has the state it is built with, and events change it."""
    problem = Problem("1", state=S.LONG_TERM)
    assert (problem.state, problem.own_state) == (S.LONG_TERM, S.LONG_TERM)


def test_a_problem_s_state_is_not_assigned_around_the_events() -> None:
    """Assigning ``state`` is refused with the event API to use, and changes nothing."""
    problem = Problem("1", state=S.LONG_TERM)
    with pytest.raises(OwnedFieldError, match=r"rectflow\.fire"):
        problem.state = S.CLOSED
    assert problem.state is S.LONG_TERM


def test_a_problem_counts_as_a_kind_it_is_flagged_with() -> None:
    """A specific problem tagged ``reform`` counts as specific and as reform, not as key."""
    problem = Problem("1", kind=ProblemKind.SPECIFIC, tags=("reform",))
    assert [
        problem.counts_as(k) for k in (ProblemKind.SPECIFIC, ProblemKind.REFORM, ProblemKind.KEY)
    ] == [True, True, False]


def test_a_responsibility_naming_no_one_is_empty() -> None:
    """Any of leader, department or person makes a responsibility non-empty."""
    assert Responsibility().is_empty()
    assert not Responsibility(department="办公室").is_empty()


# -- the ledger --------------------------------------------------------------------------------


def ledger() -> Case:
    """Two categories, three problems, four measures."""
    return Case(
        "c1",
        categories=[
            Category(
                "1",
                "",
                [
                    Problem("1.1", measures=[Measure("1.1.1"), Measure("1.1.2")]),
                    Problem("1.2", measures=[Measure("1.2.1")]),
                ],
            ),
            Category("2", "", [Problem("2.1", measures=[Measure("2.1.1")])]),
        ],
    )


def test_problems_and_measures_come_in_ledger_order() -> None:
    """Category by category, problem by problem."""
    case = ledger()
    assert (
        [p.id for p in case.problems()],
        [m.id for m in case.measures()],
    ) == (["1.1", "1.2", "2.1"], ["1.1.1", "1.1.2", "1.2.1", "2.1.1"])


def test_item_finds_problems_and_measures_by_id() -> None:
    """Problems and measures share one id namespace."""
    case = ledger()
    assert (case.item("1.2").id, case.item("2.1.1").id) == ("1.2", "2.1.1")


def test_item_finds_an_item_added_after_the_index_was_built() -> None:
    """A missing id rebuilds the index once, so newly added items are found."""
    case = ledger()
    case.item("1.1")
    rectflow.add_measure(case, "2.1", Measure("2.1.2"), on=dt.date(2024, 5, 1))
    assert case.item("2.1.2").id == "2.1.2"


def test_the_ledger_lists_refuse_changes_in_place() -> None:
    """Appending to, removing from or replacing a list the events own raises
    OwnedFieldError naming the event API, and the case stays as it was."""
    case = ledger()
    before = copy.deepcopy(case)
    changes: list[Callable[[], object]] = [
        lambda: case.categories[1].problems[0].measures.append(Measure("2.1.2")),
        case.categories[0].problems.pop,
        case.categories.clear,
        lambda: case.categories[0].problems.__setitem__(0, Problem("9")),
        lambda: case.accountability.append("x"),
    ]
    for change in changes:
        with pytest.raises(OwnedFieldError, match="add_problem"):
            change()
    assert case == before


def test_an_unknown_item_raises_unknown_item_error() -> None:
    """The error names the id and the case, and is a KeyError too."""
    with pytest.raises(UnknownItemError) as caught:
        ledger().item("3.1")
    assert (
        caught.value.item_id,
        caught.value.case_id,
        isinstance(caught.value, KeyError),
    ) == ("3.1", "c1", True)


def test_reindex_forgets_removed_items() -> None:
    """After removing a problem and reindexing, its id is unknown."""
    case = ledger()
    case.item("1.2")
    # Removing an item is no event the ledger records: only a host's own tooling does it.
    force(case.categories[0], "problems", case.categories[0].problems[:1])
    case.reindex()
    with pytest.raises(UnknownItemError):
        case.item("1.2")


def test_problem_of_finds_a_measure_problem() -> None:
    """``problem_of`` goes from a measure up to its problem; unknown ids raise."""
    case = ledger()
    assert case.problem_of("1.1.2").id == "1.1"
    with pytest.raises(UnknownItemError):
        case.problem_of("1.1")


def test_the_index_is_not_part_of_equality() -> None:
    """Looking an item up does not make a case unequal to an untouched copy."""
    looked_up = ledger()
    looked_up.item("2.1.1")
    assert ledger() == looked_up


# -- dates a case knows ------------------------------------------------------------------------


def test_last_event_on_is_the_latest_event_date() -> None:
    """The latest date in the log, whatever the order; None for an empty log."""
    case = ledger()
    assert case.last_event_on is None
    fire(case, "adopt_plan", on=dt.date(2021, 5, 1))
    # Recorded after the plan's adoption, though it happened before it: a late recording.
    fire(case, "start", item="1.1.1", on=dt.date(2021, 4, 1), recorded_on=dt.date(2021, 5, 2))
    assert dt.date(2021, 5, 1) == case.last_event_on


def test_first_fired_on_finds_the_first_firing_on_a_target() -> None:
    """The first event with that trigger on that target, or None."""
    case = Case(
        "c",
        events=[
            Event(1, "start", "1.1", dt.date(2021, 1, 2)),
            Event(2, "start", "1.2", dt.date(2021, 1, 3)),
            Event(3, "adopt_plan", "case", dt.date(2021, 1, 4)),
        ],
    )
    assert (dt.date(2021, 1, 3), dt.date(2021, 1, 4), None) == (
        case.first_fired_on("start", "1.2"),
        case.first_fired_on("adopt_plan"),
        case.first_fired_on("submit_report"),
    )


def test_stated_dates_win_over_event_dates() -> None:
    """``reported_on`` and ``plan_adopted_on`` prefer what the case states."""
    events = [
        Event(1, "adopt_plan", "case", dt.date(2021, 1, 4)),
        Event(2, "start_centralised", "case", dt.date(2021, 1, 5)),
        Event(3, "submit_report", "case", dt.date(2021, 3, 1)),
    ]
    from_events = Case("c", events=events)
    stated = Case(
        "c",
        events=events,
        plan=Plan(adopted_on=FuzzyDate.parse("2021-01-early")),
        report_on=FuzzyDate.parse("2021-02"),
    )
    assert (FuzzyDate(2021, 3, 1), FuzzyDate(2021, 1, 4)) == (
        from_events.reported_on,
        from_events.plan_adopted_on,
    )
    assert (FuzzyDate.parse("2021-02"), FuzzyDate.parse("2021-01-early")) == (
        stated.reported_on,
        stated.plan_adopted_on,
    )
    assert (Case("c").reported_on, Case("c", plan=Plan()).plan_adopted_on) == (None, None)


def test_a_case_built_from_a_list_of_events_holds_an_event_log() -> None:
    """The constructor turns a plain list into the append-only log."""
    case = Case("c", events=[Event(1, "adopt_plan", "case", dt.date(2021, 1, 4))])
    assert (type(case.events).__name__, len(case.events)) == ("EventLog", 1)
