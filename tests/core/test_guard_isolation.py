"""Guards see, never touch: a guard that changes the case changes nothing that is kept or saved, and
a refused fire leaves the case exactly as it was, whatever a guard did."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

import rectflow
from rectflow import (
    Case,
    CaseState,
    Category,
    ItemState,
    Level,
    Measure,
    Problem,
    StatedCount,
    Transition,
    Violation,
    fire,
    load_case,
    save_case,
)
from rectflow.errors import OwnedFieldError, SealedCaseError, TransitionNotAllowed

ON = dt.date(2024, 7, 1)


def make_case() -> Case:
    """A reported case: one problem of two measures, one completed, one with stated counts."""
    measures = [Measure("1.1.1", state=ItemState.COMPLETED, initial_state=ItemState.COMPLETED)]
    measures.append(Measure("1.1.2"))
    return Case(
        "g",
        state=CaseState.REPORTED,
        initial_state=CaseState.REPORTED,
        stated_counts=[StatedCount("measures", 2, {ItemState.COMPLETED: 1})],
        categories=[Category("1", problems=[Problem("1.1", measures=measures)])],
    )


def assign_state(case: Case, transition: Transition) -> Iterable[Violation]:
    """Closes another measure behind fire's back."""
    case.item("1.1.2").state = ItemState.CLOSED
    return ()


def assign_case_field(case: Case, transition: Transition) -> Iterable[Violation]:
    """Rewrites the case's body."""
    case.inspected_body = "篡改"
    return ()


def append_measure(case: Case, transition: Transition) -> Iterable[Violation]:
    """Slips a measure into the ledger."""
    case.categories[0].problems[0].measures.append(Measure("9.9.9"))
    return ()


def replace_measure(case: Case, transition: Transition) -> Iterable[Violation]:
    """Swaps a measure for a look-alike (same length, another object)."""
    measures = case.categories[0].problems[0].measures
    measures[1] = Measure("1.1.2", state=ItemState.CLOSED)
    return ()


def rewrite_counts(case: Case, transition: Transition) -> Iterable[Violation]:
    """Changes a stated count in place."""
    case.stated_counts[0].by_state[ItemState.COMPLETED] = 2
    return ()


def log_an_event(case: Case, transition: Transition) -> Iterable[Violation]:
    """Appends an event behind fire (through the log's private writer)."""
    case.events._append(rectflow.Event(1, "start", "1.1.2", ON))
    return ()


def change_then_block(case: Case, transition: Transition) -> Iterable[Violation]:
    """Empties the ledger, then blocks."""
    case.categories.clear()
    return [Violation("test.block", Level.ERROR, "case", "no")]


MUTATING = [
    assign_state,
    assign_case_field,
    append_measure,
    replace_measure,
    rewrite_counts,
    change_then_block,
]


@pytest.mark.parametrize("guard", MUTATING, ids=lambda g: g.__name__)
def test_a_guard_changing_the_case_is_stopped_where_it_changes_it(
    guard: Callable[..., Any],
) -> None:
    """Assigning a field, or changing a list or a table in place, raises SealedCaseError inside
    the guard; fire changes nothing."""
    case = make_case()
    before = copy.deepcopy(case)
    with pytest.raises(SealedCaseError):
        fire(case, "close", item="1.1.1", on=ON, guards=[guard])
    assert case == before


def test_an_event_appended_by_a_guard_is_undone_and_the_fire_refused() -> None:
    """The log's private writer is not sealed: what it appended is removed again."""
    case = make_case()
    before = copy.deepcopy(case)
    with pytest.raises(TransitionNotAllowed) as raised:
        fire(case, "close", item="1.1.1", on=ON, guards=[log_an_event])
    assert "a guard appended to the case's event log" in str(raised.value)
    assert case == before


def test_the_model_owns_its_lists() -> None:
    """A list given to a constructor is copied into one the events own; changing the original
    later does not change the case (and the copy reads and compares as a list)."""
    given = [Measure("1.1.1")]
    problem = Problem("1.1", measures=given)
    given.append(Measure("1.1.2"))
    assert problem.measures == [Measure("1.1.1")]
    with pytest.raises(OwnedFieldError):  # the events own the ledger's lists, guards or not
        problem.measures.append(Measure("1.1.3"))
    assert [m.id for m in problem.measures] == ["1.1.1"]


def test_the_case_still_fires_after_a_misbehaving_guard_was_refused() -> None:
    """Nothing stays sealed after a guard raised: the next fire and assignment work."""
    case = make_case()
    with pytest.raises(SealedCaseError):
        fire(case, "close", item="1.1.1", on=ON, guards=[assign_state])
    fire(case, "close", item="1.1.1", on=ON)
    case.inspected_body = "某某医院党委"
    assert case.item("1.1.1").state is ItemState.CLOSED


def test_a_guard_may_build_its_own_objects_and_read_everything() -> None:
    """Sealing stops assignment to the case, not reading it or making new values."""
    seen: list[tuple[str, int]] = []

    def reader(case: Case, transition: Transition) -> Iterable[Violation]:
        copy_ = Measure("x", text="草稿")  # built, not assigned
        seen.append((copy_.text, sum(1 for _ in case.measures())))
        return ()

    case = make_case()
    fire(case, "close", item="1.1.1", on=ON, guards=[reader])
    assert seen == [("草稿", 2)]


class MutatingPlugin:
    """A guard plugin that closes measure 1.1.2 and appends a measure while it is asked."""

    @rectflow.hookimpl
    def rectflow_guard_transition(self, case: Case) -> Iterable[Violation]:
        case.categories[0].problems[0].measures.append(Measure("9.9.9"))
        case.item("1.1.2").state = ItemState.CLOSED
        return ()


def test_a_mutating_guard_plugin_changes_nothing_that_is_saved(tmp_path: Path) -> None:
    """Through rectflow.guards: the plugin's write is a crash (plugin.crashed), the fire is
    refused, the case is as it was and the file saved afterwards holds no trace of it."""
    manager = rectflow.plugin_manager(builtins=lambda: (), load_entry_points=False)
    manager.register(MutatingPlugin(), name="mutating")
    guards = rectflow.guards(manager, rectflow.Policy("p"))
    case = make_case()
    path = tmp_path / "case.toml"
    save_case(case, path)
    before = copy.deepcopy(case)
    with pytest.raises(TransitionNotAllowed):
        fire(case, "close", item="1.1.1", on=ON, guards=guards)
    assert case == before
    save_case(case, path)
    loaded = load_case(path)
    assert [m.id for m in loaded.measures()] == ["1.1.1", "1.1.2"]
    assert loaded.item("1.1.2").state is ItemState.OPEN
