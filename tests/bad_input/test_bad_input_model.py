"""A host program without a type checker, passing whatever JSON or a form gave it: the model raises
InvalidFieldError at the line that built the object, or the object is valid and every check runs
on it without a crash blamed on rectflow's own plugins, and it saves and loads back equal (or the
save refuses it, naming where)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rectflow
from rectflow import (
    Case,
    Category,
    FuzzyDate,
    Inspection,
    ItemState,
    Measure,
    Problem,
    Responsibility,
    dumps_case,
    loads_case,
)
from rectflow.errors import CaseFileError, InvalidFieldError

# What a web form or a JSON document hands a host program: strings, numbers, nulls, lists.
LOOSE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 2030),
    st.floats(allow_nan=False, width=16),
    st.sampled_from(["", "open", "xuncha", "2024-05-01", "2024-05", "1.1", "办公室"]),
    st.lists(st.sampled_from(["a", "招标"]), max_size=2),
    st.just(dt.date(2024, 5, 1)),
    st.just(dt.datetime(2024, 5, 1, 9, 30)),
    st.just(FuzzyDate(2024, 5)),
    st.just(ItemState.COMPLETED),
    st.just(("a",)),
)
MEASURE_FIELDS = ("id", "text", "responsibility", "due_on", "state", "evidence", "tags")
CASE_FIELDS = ("id", "inspected_body", "feedback_on", "report_on", "version")


@pytest.fixture(scope="module")
def plugins() -> rectflow.Plugins:
    """The built-in checks."""
    return rectflow.plugin_manager(load_entry_points=False)


def build(
    measure_values: dict[str, Any], case_values: dict[str, Any], kind: Any
) -> Case | InvalidFieldError:
    """The case a host program would build, or the error the model raised while building it."""
    try:
        measure = Measure(**{"id": "1.1.1", **measure_values})
        problem = Problem("1.1", measures=[measure])
        return Case(
            **{"id": "c", **case_values},
            inspection=Inspection(kind=kind),
            categories=[Category("1", problems=[problem])],
        )
    except InvalidFieldError as error:
        return error


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    measure_values=st.dictionaries(st.sampled_from(MEASURE_FIELDS), LOOSE, max_size=3),
    case_values=st.dictionaries(st.sampled_from(CASE_FIELDS), LOOSE, max_size=2),
    kind=st.one_of(st.just(rectflow.InspectionKind.XUNCHA), LOOSE),
)
def test_loose_values_raise_where_built_or_make_a_case_that_checks_and_saves(
    plugins: rectflow.Plugins,
    measure_values: dict[str, Any],
    case_values: dict[str, Any],
    kind: Any,
) -> None:
    """Never a TypeError from deep inside, never plugin.crashed; saved and read back equal, or
    refused by the save with the key path."""
    built = build(measure_values, case_values, kind)
    if isinstance(built, InvalidFieldError):
        assert built.owner in {"Measure", "Case", "Inspection"}
        assert built.fix
        return
    report = rectflow.check(built, policy="xuncha", as_of=dt.date(2025, 1, 1), plugins=plugins)
    assert [v for v in report.violations if v.code == "plugin.crashed"] == []
    try:
        text = dumps_case(built)
    except CaseFileError as refused:  # e.g. a state no event led to: refused with its place
        refused_at = refused.key_path
    else:
        assert loads_case(text) == built
        return
    assert refused_at


def test_a_responsibility_given_as_a_dict_is_refused_at_the_measure() -> None:
    """JSON gives a table; the model wants a Responsibility, and says so."""
    with pytest.raises(InvalidFieldError) as raised:
        Measure("1.1.1", responsibility={"leader": "王伟"})  # type: ignore[arg-type]
    assert (raised.value.owner, raised.value.field) == ("Measure", "responsibility")
    assert "Responsibility(...)" in raised.value.fix
    assert Measure("1.1.1", responsibility=Responsibility(leader="王伟")).responsibility


def test_a_case_file_written_from_loose_values_never_exists(tmp_path: Path) -> None:
    """Refused at construction, so save_case is never reached and no file appears."""
    path = tmp_path / "case.toml"
    with pytest.raises(InvalidFieldError):
        rectflow.save_case(Case("c", feedback_on="2024-05-01"), path)  # type: ignore[arg-type]
    assert not path.exists()
