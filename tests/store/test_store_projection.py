"""The item projections: read in one pass, and rewritten change by change.

* ``span_rows`` (one walk over the log) gives the rows of the slow reading that replays the case
  as of every day something happened (``reference_spans``), for whole cases and for one group;
* a case changed event by event through the store holds, after every change, the projection
  written from scratch for the case it has become (a save rewrites only the groups its events
  concern);
* a late recording changes how an item stood on days before events of its other fields, and
  the store's answers for those days follow it.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from reference_spans import reference_span_rows
from store_cases import ledger

import rectflow as rf
import rectflow.store
from rectflow import strategies as rs
from rectflow._store.projection import group_ids, item_rows, span_rows
from rectflow._store.tables import item_spans, items, metadata

D = dt.date
# The reference replays the case on every day of its log: a third of the profile's examples.
EXAMPLES = max(1, settings().max_examples // 3)


def _key(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(repr(sorted(row.items())) for row in rows)


@settings(max_examples=EXAMPLES)
@given(case=rs.supervised_cases())
def test_spans_read_in_one_pass_are_those_of_the_case_as_of_each_day(case: rf.Case) -> None:
    """span_rows gives the rows read off case_as_of on every day something happened."""
    assert _key(reference_span_rows(case)) == _key(span_rows(case))


@settings(max_examples=EXAMPLES)
@given(data=st.data(), case=rs.cases(with_events=True))
def test_spans_after_random_events_and_additions_are_those_of_the_case_as_of_each_day(
    data: st.DataObject, case: rf.Case
) -> None:
    """After random triggers and edits (measures and problems added, deadlines moved,
    responsibility changed), span_rows still gives the reference's rows."""
    for step in data.draw(rs.event_sequences(case, max_size=10)):
        step.apply(case)
    assert _key(reference_span_rows(case)) == _key(span_rows(case))


@settings(max_examples=EXAMPLES)
@given(data=st.data(), case=rs.supervised_cases())
def test_the_spans_of_one_group_are_the_whole_cases_spans_of_its_items(
    data: st.DataObject, case: rf.Case
) -> None:
    """span_rows(case, groups) gives exactly the rows of those problems and their measures."""
    problems = [p.id for p in case.problems()]
    chosen = data.draw(st.sets(st.sampled_from(problems))) if problems else set()
    ids = set(group_ids(case, chosen))
    assert _key([r for r in span_rows(case) if r["item_id"] in ids]) == _key(
        span_rows(case, chosen)
    )
    assert _key([r for r in item_rows(case) if r["item_id"] in ids]) == _key(
        item_rows(case, chosen)
    )


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


def _stored(store: rectflow.store.Store, table: sa.Table, case_id: str) -> list[dict[str, Any]]:
    with store.engine.connect() as connection:
        rows = connection.execute(sa.select(table).where(table.c.case_id == case_id))
        return [dict(row._mapping) for row in rows]


def _assert_projection_is_from_scratch(store: rectflow.store.Store, case_id: str) -> None:
    case = store.get(case_id)
    assert _key(_stored(store, items, case_id)) == _key(item_rows(case))
    assert _key(_stored(store, item_spans, case_id)) == _key(span_rows(case))


@settings(max_examples=EXAMPLES)
@given(data=st.data(), case=st.one_of(rs.cases(with_events=True), rs.supervised_cases()))
def test_a_case_changed_event_by_event_holds_the_projection_written_from_scratch(
    sqlite_store: rectflow.store.Store, data: st.DataObject, case: rf.Case
) -> None:
    """Each save rewrites the groups its events concern; after every step the items and spans
    stored are those a fresh projection of the case it has become gives."""
    store = _fresh(sqlite_store)
    store.add(case)
    steps = data.draw(rs.event_sequences(case, max_size=8))
    for step in steps:
        store.apply(case.id, step.apply)
        _assert_projection_is_from_scratch(store, case.id)
    for step in steps:
        step.apply(case)
    case.version = len(steps)
    assert store.get(case.id) == case


def test_a_late_recording_moves_how_an_item_stood_before_a_later_edit(
    tmp_path: Path,
) -> None:
    """A start recorded late (dated before an extension recorded since) changes the measure's
    state on the days between: overdue and counts as of those days follow case_as_of."""
    store = rectflow.store.open(f"sqlite:///{tmp_path / 'ledger.db'}")
    store.init()
    store.add(ledger())
    store.extend("case-1", "m1", D(2024, 7, 1), approver="书记", reason="汛期", on=D(2024, 5, 1))
    store.fire("case-1", "start", item="m1", on=D(2024, 4, 10), recorded_on=D(2024, 5, 2))
    _assert_projection_is_from_scratch(store, "case-1")
    case = store.get("case-1")
    for day in (D(2024, 4, 9), D(2024, 4, 10), D(2024, 4, 30), D(2024, 5, 1), D(2024, 6, 3)):
        expected = sorted(item.id for item in rf.overdue(case, day))
        assert expected == sorted(i.item_id for i in store.overdue(day)), day
        view = rf.case_as_of(case, day)
        states = Counter(("problem", p.state) for p in view.problems())
        states.update(("measure", m.state) for m in view.measures())
        assert dict(states) == store.counts(as_of=day), day
    assert store.counts(as_of=D(2024, 4, 10))[("measure", rf.ItemState.IN_PROGRESS)] == 1
    store.close()
