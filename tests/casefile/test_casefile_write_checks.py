"""Nothing unreadable is written: dumps_case and save_case refuse, with the key path, any case that
load_case would refuse, and leave the file on disk as it was."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow import (
    Case,
    Category,
    ItemState,
    Measure,
    Problem,
    StatedCount,
    dumps_case,
    fire,
    loads_case,
    save_case,
)
from rectflow.errors import CaseFileError

ON = dt.date(2024, 5, 1)


def small_case() -> Case:
    """A case with one problem of two measures, one of them started."""
    problem = Problem("1.1", measures=[Measure("1.1.1"), Measure("1.1.2")])
    case = Case("c", categories=[Category("1", problems=[problem])])
    fire(case, "start", item="1.1.1", on=ON)
    return case


def refusal(case: Case) -> CaseFileError:
    """The error dumps_case raises for ``case``."""
    with pytest.raises(CaseFileError) as raised:
        dumps_case(case)
    return raised.value


def test_a_wrong_type_put_in_a_list_is_refused_with_its_key_path() -> None:
    """A string put in a problem's measures behind the event API (``list.append`` on the
    model's own list, as a careless host could) is caught by the save."""
    case = small_case()
    list.append(case.categories[0].problems[0].measures, "1.1.3")
    error = refusal(case)
    assert error.key_path == "categories[0].problems[0].measures[2]"
    assert "list of Measure" in error.reason


def test_a_wrong_type_set_behind_the_checks_is_refused_naming_the_field() -> None:
    """object.__setattr__ gets past the model's checks, not past the save."""
    case = small_case()
    object.__setattr__(case.item("1.1.2"), "due_on", "2024-06-30")
    error = refusal(case)
    assert error.key_path == "categories[0].problems[0].measures[1].due_on"
    assert "Measure.due_on" in error.reason


def test_a_date_where_a_fuzzy_date_belongs_is_refused_naming_the_field() -> None:
    """feedback_on holds a FuzzyDate; a datetime.date there cannot be written."""
    case = small_case()
    object.__setattr__(case, "feedback_on", ON)
    error = refusal(case)
    assert error.key_path == "feedback_on"
    assert "FuzzyDate.of(" in error.reason


def test_a_duplicate_id_is_refused_with_the_key_path_of_the_second() -> None:
    """Problems and measures share one namespace, as the loader says."""
    case = small_case()
    list.append(case.categories[0].problems[0].measures, Measure("1.1.1"))  # behind the API
    error = refusal(case)
    assert error.key_path == "categories[0].problems[0].measures[2].id"
    assert "duplicate item id '1.1.1'" in error.reason


def test_a_stored_state_the_log_does_not_produce_is_refused() -> None:
    """A state set around fire (a valid ItemState, behind the model's refusal) disagrees with
    the event log."""
    case = small_case()
    object.__setattr__(case.item("1.1.2"), "state", ItemState.CLOSED)
    error = refusal(case)
    assert error.key_path == "categories[0].problems[0].measures[1].state"
    assert "disagrees with the events" in error.reason


def test_a_count_table_with_a_wrong_key_is_refused() -> None:
    """by_state is checked when built; changed in place it is checked when written."""
    case = small_case()
    count = StatedCount("measures", 2, {ItemState.COMPLETED: 1})
    case.stated_counts.append(count)
    count.by_state[ItemState.OPEN] = "one"  # type: ignore[assignment]
    error = refusal(case)
    assert error.key_path == "stated_counts[0].by_state"


def test_text_that_is_not_unicode_is_refused_with_its_key_path() -> None:
    """A lone surrogate (bytes decoded with surrogateescape) has no UTF-8 form."""
    case = small_case()
    rectflow.edit_text(case, "1.1.2", "整改\udcff", on=ON)
    error = refusal(case)
    assert error.key_path == "categories[0].problems[0].measures[1].text"
    assert "lone surrogate" in error.reason


def test_save_case_refuses_before_touching_the_file(tmp_path: Path) -> None:
    """The old file stays byte for byte, the version is unchanged, no temporary file is left."""
    path = tmp_path / "case.toml"
    case = small_case()
    save_case(case, path)
    before = path.read_bytes()
    object.__setattr__(case.item("1.1.2"), "state", ItemState.CLOSED)
    with pytest.raises(CaseFileError) as raised:
        save_case(case, path)
    assert raised.value.path == path
    assert raised.value.key_path == "categories[0].problems[0].measures[1].state"
    assert path.read_bytes() == before
    assert case.version == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.toml"]


# -- properties --------------------------------------------------------------------------------


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(case=rs.cases(with_events=True, allow_imported=True))
def test_whatever_dumps_case_accepts_loads_case_reads_back_equal(case: Case) -> None:
    """The write check and the loader agree on every case the strategies draw."""
    assert loads_case(dumps_case(case)) == case


def _items(case: Case) -> list[tuple[str, Any]]:
    """(key path, item) for every problem and measure."""
    found: list[tuple[str, Any]] = []
    for c, category in enumerate(case.categories):
        for p, problem in enumerate(category.problems):
            found.append((f"categories[{c}].problems[{p}]", problem))
            found.extend(
                (f"categories[{c}].problems[{p}].measures[{m}]", measure)
                for m, measure in enumerate(problem.measures)
            )
    return found


WRONG_VALUES = {
    "text": [5, None, b"x", 1.5],
    "tags": [["a"], "a", (1,)],
    "due_on": ["2024-05-01", dt.datetime(2024, 5, 1, 9), 20240501],
    "initial_state": ["open", 1, None],
}


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=rs.cases(min_problems=1, max_categories=2, with_events=True),
    data=st.data(),
    corruption=st.sampled_from(["wrong type", "duplicate id", "state"]),
)
def test_random_corruptions_of_a_valid_case_are_refused_with_their_key_path(
    case: Case, data: st.DataObject, corruption: str
) -> None:
    """Wrong types, duplicate ids and states the log does not produce never reach a file."""
    items = _items(case)
    if not items:
        return
    where, item = data.draw(st.sampled_from(items))
    if corruption == "wrong type":
        field = data.draw(st.sampled_from(sorted(WRONG_VALUES)))
        if field == "text" and isinstance(item, Problem):
            field = "title"
        value = data.draw(st.sampled_from(WRONG_VALUES[field if field != "title" else "text"]))
        object.__setattr__(item, field, value)
        expected = f"{where}.{field}"
    elif corruption == "duplicate id":
        other_where, other = data.draw(st.sampled_from(items))
        if other is item:
            return
        object.__setattr__(item, "id", other.id)
        _, second = sorted([where, other_where], key=lambda w: items_order(items, w))
        expected = f"{second}.id"
    else:
        if isinstance(item, Problem) and item.measures:
            return  # its state comes from its measures
        wrong = data.draw(st.sampled_from([s for s in ItemState if s is not item.state]))
        object.__setattr__(item, "_state" if isinstance(item, Problem) else "state", wrong)
        # The problem's state (derived from its measures, compared first) may disagree first.
        expected = f"{where}.state"
        alternatives = {expected, f"{where.split('.measures')[0]}.state"}
    before = copy.deepcopy(case)
    with pytest.raises(CaseFileError) as raised:
        dumps_case(case)
    if corruption == "state":
        assert raised.value.key_path in alternatives
    else:
        assert raised.value.key_path == expected
    assert case == before  # refusing changes nothing


def items_order(items: list[tuple[str, Any]], where: str) -> int:
    """The position of ``where`` in ledger order."""
    return [w for w, _ in items].index(where)
