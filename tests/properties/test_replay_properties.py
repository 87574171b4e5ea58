"""Properties of the event log and case files over random cases and legal event sequences."""

from __future__ import annotations

import copy
import json

from hypothesis import given
from hypothesis import strategies as st

import rectflow.strategies as rs
from rectflow import (
    Case,
    dumps_case,
    loads_case,
    replay,
    structure_case,
    unstructure_case,
)


@given(rs.cases(allow_imported=True))
def test_a_case_without_events_reads_back_equal(case: Case) -> None:
    """load(dump(case)) == case for cases in their initial states."""
    assert loads_case(dumps_case(case)) == case


@given(rs.cases(with_events=True, allow_imported=True))
def test_a_case_with_events_reads_back_equal(case: Case) -> None:
    """load(dump(case)) == case when events were fired through rectflow.fire."""
    assert loads_case(dumps_case(case)) == case


@given(st.data(), rs.cases(allow_imported=True))
def test_replaying_random_legal_events_gives_back_the_case(data: st.DataObject, case: Case) -> None:
    """After any legal sequence of triggers and edits, replay from the initial states rebuilds
    the same case."""
    for step in data.draw(rs.event_sequences(case, max_size=25)):
        step.apply(case)
    assert replay(case) == case


@given(rs.cases(with_events=True, allow_imported=True))
def test_loading_after_dumping_equals_replaying(case: Case) -> None:
    """Loading replays the log: what it gives equals replay(case), and both equal the case."""
    loaded = loads_case(dumps_case(case))
    assert loaded == replay(case) == case


@given(rs.cases(with_events=True))
def test_the_document_round_trips_through_json(case: Case) -> None:
    """unstructure_case -> JSON (default=str) -> structure_case gives back the case."""
    text = json.dumps(unstructure_case(case), default=str, ensure_ascii=False)
    assert structure_case(json.loads(text)) == case


@given(st.data(), rs.cases(with_events=True))
def test_firing_only_appends_to_the_log(data: st.DataObject, case: Case) -> None:
    """Events already recorded are never changed by later firings."""
    before = list(copy.deepcopy(case).events)
    steps = data.draw(rs.event_sequences(case, max_size=10))
    for step in steps:
        step.apply(case)
    assert list(case.events)[: len(before)] == before
    assert len(case.events) == len(before) + len(steps)


@given(rs.cases(with_events=True))
def test_dumping_is_deterministic_and_stable_under_reload(case: Case) -> None:
    """The same case always dumps to the same text, also after a load."""
    text = dumps_case(case)
    assert dumps_case(loads_case(text)) == text == dumps_case(case)
