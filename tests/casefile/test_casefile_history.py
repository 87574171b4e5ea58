"""Case files keep history forward in time: an out-of-order log is refused on load, naming the
event, its line and the fix; a late recording's ``recorded_on`` round-trips and is omitted when
absent."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given, reject

import rectflow
import rectflow.strategies as rs
from rectflow import dumps_case, fire, loads_case
from rectflow.errors import CaseFileError, EventOrderError

HEAD = """\
schema = 1
id = "order"
feedback_on = 2024-03-15
state = "{case_state}"

[[categories]]
id = "1"

[[categories.problems]]
id = "1.1"
state = "{state}"
"""
EVENT = """
[[events]]
seq = {seq}
trigger = "{trigger}"
target = "{target}"
on = {on}
"""


def document(
    *events: tuple[str, str, str],
    state: str = "in_progress",
    case_state: str = "plan_adopted",
    extra: str = "",
) -> str:
    """A case file whose log holds ``events`` (trigger, target, on) in that order."""
    text = HEAD.format(state=state, case_state=case_state)
    for seq, (trigger, target, on) in enumerate(events, 1):
        text += EVENT.format(seq=seq, trigger=trigger, target=target, on=on)
        if seq == len(events):
            text += extra
    return text


def refused(text: str) -> CaseFileError:
    """Load ``text`` and return the CaseFileError it raises."""
    with pytest.raises(CaseFileError) as caught:
        loads_case(text, source="order.toml")
    return caught.value


def line_of(text: str, fragment: str) -> int:
    """The 1-based line of the last occurrence of ``fragment``."""
    return text[: text.rindex(fragment)].count("\n") + 1


def test_an_event_before_an_earlier_event_of_its_item_is_refused_on_load() -> None:
    """complete 1.1 dated before its start: the error names event #3, its line and the fix."""
    text = document(
        ("adopt_plan", "case", "2024-03-20"),
        ("start", "1.1", "2024-04-10"),
        ("complete", "1.1", "2024-04-01"),
        state="completed",
    )
    error = refused(text)
    assert error.key_path == "events[2].on"
    assert error.line == line_of(text, "on = 2024-04-01")
    assert "event #3 'complete' on 1.1 dated 2024-04-01" in error.reason
    assert "event #2 'start' on 1.1 (2024-04-10)" in error.reason
    assert "renumber seq" in error.fix


def test_an_event_before_the_feedback_is_refused_on_load() -> None:
    """The first event of a case dated before its feedback."""
    error = refused(document(("adopt_plan", "case", "2024-03-01"), ("start", "1.1", "2024-04-01")))
    assert error.key_path == "events[0].on"
    assert "before the case's feedback (2024-03-15)" in error.reason


def test_a_back_dated_event_without_recorded_on_is_refused_on_load() -> None:
    """A log dated backwards across targets must say it was recorded late."""
    text = document(("adopt_plan", "case", "2024-03-22"), ("start", "1.1", "2024-03-18"))
    error = refused(text)
    assert error.key_path == "events[1].on"
    assert "add recorded_on = <the day it was recorded, 2024-03-22 or later>" in error.fix
    late = document(
        ("adopt_plan", "case", "2024-03-22"),
        ("start", "1.1", "2024-03-18"),
        extra="recorded_on = 2024-03-25\n",
    )
    case = loads_case(late)
    assert case.events[1].recorded_on == dt.date(2024, 3, 25)


def test_a_recorded_on_before_the_event_or_the_log_is_refused_on_load() -> None:
    """recorded_on before on, or before the previous event's recording, names recorded_on."""
    before_on = document(("start", "1.1", "2024-04-02"), extra="recorded_on = 2024-04-01\n")
    assert refused(before_on).key_path == "events[0].recorded_on"
    behind = document(
        ("adopt_plan", "case", "2024-03-22"),
        ("start", "1.1", "2024-03-18"),
        extra="recorded_on = 2024-03-21\n",
    )
    error = refused(behind)
    assert error.key_path == "events[1].recorded_on"
    assert "2024-03-22 or later" in error.fix


def test_recorded_on_is_written_only_for_a_late_recording() -> None:
    """Existing files stay as they are: no recorded_on key unless an event has one."""
    case = loads_case(document(("start", "1.1", "2024-04-01"), case_state="feedback_received"))
    assert "recorded_on" not in dumps_case(case)
    fire(case, "adopt_plan", on=dt.date(2024, 3, 20), recorded_on=dt.date(2024, 4, 2))
    text = dumps_case(case)
    assert "recorded_on = 2024-04-02" in text
    assert loads_case(text) == case


@given(rs.cases(with_events=True, max_events=8))
def test_a_late_recording_round_trips_through_a_case_file(case: rectflow.Case) -> None:
    """A late entry (dated at the feedback, recorded with the last event) appended to a
    generated case loads back equal, recorded_on included."""
    assume(case.feedback_on is not None and len(case.events) > 0)
    assert case.feedback_on is not None
    on, last = case.feedback_on.latest, case.events[-1]
    assume(on < last.on)
    targets = [None, *(p.id for p in case.problems()), *(m.id for m in case.measures())]
    for target in targets:
        for trigger in rectflow.allowed_triggers(case, target):
            try:
                # A note, because some triggers (reject) refuse to be fired without a reason.
                fire(case, trigger, item=target, on=on, recorded_on=last.on, note="补记")
            except EventOrderError:
                continue
            assert loads_case(dumps_case(case)) == case
            assert case.events[-1].recorded_on == last.on
            return
    reject()
