"""Properties of the store, over random cases (SQLite, a fresh database file per run):

* the cross-case "overdue as of D" (one SQL query over the item spans) is what
  ``rectflow.overdue(case, D)`` gives, on every day something happened and the days between;
* the counts by kind and state as of D are those of ``rectflow.case_as_of(case, D)``;
* a case file imported and exported loads equal to the file's case;
* a case got again unchanged (the copy the store kept) equals one loaded and verified anew.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rectflow as rf
import rectflow.store
from rectflow import strategies as rs
from rectflow._store.tables import metadata

# Each example replays its case on every day around an event: a third of the profile's examples
# (20 in a developer's loop, 100 in CI) keeps the module to seconds.
EXAMPLES = max(1, settings().max_examples // 3)


@pytest.fixture(scope="module")
def sqlite_store() -> Iterator[rectflow.store.Store]:
    """One SQLite store for the module's examples (each example empties it first)."""
    with tempfile.TemporaryDirectory() as folder:
        store = rectflow.store.open(f"sqlite:///{Path(folder) / 'ledger.db'}")
        store.init()
        yield store
        store.close()


def _fresh(store: rectflow.store.Store) -> rectflow.store.Store:
    with store.engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            connection.execute(table.delete())
    return store


def _days(case: rf.Case) -> list[dt.date]:
    """Every event's day, the day before and after each, and each measure's addition."""
    days: set[dt.date] = set()
    for event in case.events:
        days.update((event.on - dt.timedelta(days=1), event.on, event.on + dt.timedelta(days=1)))
    days.update(m.added_on for m in case.measures() if m.added_on is not None)
    return sorted(days)


@settings(max_examples=EXAMPLES)
@given(case=rs.supervised_cases())
def test_overdue_from_the_store_is_overdue_of_the_case_as_of_the_day(
    sqlite_store: rectflow.store.Store, case: rf.Case
) -> None:
    """For every day around an event, the store's overdue items (and their departments then)
    are rectflow.overdue's."""
    store = _fresh(sqlite_store)
    store.add(case)
    for day in _days(case):
        view = rf.case_as_of(case, day)
        expected = sorted(
            (item.id, item.responsibility.department if item.responsibility else None)
            for item in rf.overdue(case, day)
        )
        found = sorted((i.item_id, i.department) for i in store.overdue(day))
        assert expected == found, day
        assert [i.due_on for i in store.overdue(day)] == [
            view.item(i.item_id).due_on for i in store.overdue(day)
        ]


@settings(max_examples=EXAMPLES)
@given(case=rs.supervised_cases())
def test_counts_as_of_a_day_are_those_of_the_case_as_of_that_day(
    sqlite_store: rectflow.store.Store, case: rf.Case
) -> None:
    """counts(as_of=D) counts the problems and measures of case_as_of(case, D) by state."""
    store = _fresh(sqlite_store)
    store.add(case)
    for day in _days(case):
        view = rf.case_as_of(case, day)
        expected = Counter(("problem", p.state) for p in view.problems())
        expected.update(("measure", m.state) for m in view.measures())
        assert dict(expected) == store.counts(as_of=day), day


@settings(max_examples=EXAMPLES)
@given(case=st.one_of(rs.cases(), rs.supervised_cases()))
def test_a_case_file_imported_and_exported_loads_equal(
    sqlite_store: rectflow.store.Store, case: rf.Case
) -> None:
    """export(import(file)) loads to the file's case: log, version and all."""
    store = _fresh(sqlite_store)
    with tempfile.TemporaryDirectory() as folder:
        source, copy = Path(folder) / "in.toml", Path(folder) / "out.toml"
        source.write_text(rf.dumps_case(case), encoding="utf-8")
        (case_id,) = store.import_files([source])
        store.export(case_id, copy)
        assert rf.load_case(copy) == rf.load_case(source)


@settings(max_examples=EXAMPLES)
@given(case=st.one_of(rs.cases(), rs.supervised_cases()))
def test_a_case_got_again_unchanged_is_the_case_verified_the_first_time(
    sqlite_store: rectflow.store.Store, case: rf.Case
) -> None:
    """The second get of an unchanged case (the copy the store kept of the case it verified)
    equals the first, the case added and a load by a store that never saw it, in every field
    and as case-file text, and is an object of its own."""
    store = _fresh(sqlite_store)
    store.add(case)
    first = store.get(case.id)
    again = store.get(case.id)
    fresh = rectflow.store.open(store.engine).get(case.id)
    assert again is not first
    assert again == first == case == fresh
    assert rf.dumps_case(again) == rf.dumps_case(fresh)
