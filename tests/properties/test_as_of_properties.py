"""As of a day is as it stood then: judging a case at a past day equals judging the case that
only the events up to that day built (DESIGN.md invariant 3), for every prefix of a random log."""

from __future__ import annotations

import copy
import datetime as dt

from hypothesis import assume, given
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow import Case

PLUGINS = rectflow.plugin_manager(load_entry_points=False)
CHECKER = rectflow.Checker(PLUGINS, rectflow.policy("xuncha", PLUGINS))
DAY = dt.timedelta(days=1)


def fired(case: Case, steps: list[rs.Step]) -> Case:
    """A copy of ``case`` with ``steps`` applied in order, as a host system would have."""
    built = copy.deepcopy(case)
    for step in steps:
        step.apply(built)
    return built


def prefix_days(steps: list[rs.Step], k: int) -> list[dt.date]:
    """The days on which exactly the first ``k`` steps had happened (first and last of them)."""
    if not steps:
        return []
    first = steps[k - 1].on if k else steps[0].on - 30 * DAY
    last = steps[k].on - DAY if k < len(steps) else steps[-1].on + 30 * DAY
    return [first, last] if first <= last else []


@given(st.data())
def test_status_and_overdue_as_of_a_day_equal_those_of_the_log_up_to_that_day(
    data: st.DataObject,
) -> None:
    """For every prefix of a random legal log and each day it covers, status(case, as_of=d)
    and overdue(case, d) equal those of the case built by firing only that prefix."""
    start = data.draw(rs.cases(allow_imported=True, max_problems=4), label="case")
    steps = data.draw(rs.event_sequences(start, max_size=15, max_gap_days=20), label="steps")
    full = fired(start, steps)
    for k in range(len(steps) + 1):
        then = fired(start, steps[:k])
        for day in prefix_days(steps, k):
            assert rectflow.status(then, as_of=day) == rectflow.status(full, as_of=day)
            assert rectflow.overdue(then, day) == rectflow.overdue(full, day)
            assert rectflow.case_as_of(full, day) == rectflow.case_as_of(then, day)


@given(st.data())
def test_check_as_of_a_day_equals_the_check_of_the_log_up_to_that_day(
    data: st.DataObject,
) -> None:
    """The checks judge the case as it stood: the report as of a day inside the log equals the
    report on the case built by the events up to that day."""
    start = data.draw(rs.cases(allow_imported=True, max_problems=4), label="case")
    steps = data.draw(rs.event_sequences(start, min_size=1, max_size=15), label="steps")
    k = data.draw(st.integers(0, len(steps)), label="prefix")
    days = prefix_days(steps, k)
    if not days:
        return
    day = data.draw(st.sampled_from(days), label="day")
    assert CHECKER.check(fired(start, steps[:k]), day) == CHECKER.check(fired(start, steps), day)


def concerns(case: Case, item: str | None) -> set[str]:
    """The states an event on ``item`` concerns: a problem's reopening reaches its measures."""
    if item is None:
        return {"case"}
    found = case.item(item)
    if isinstance(found, rectflow.Problem):
        return {item, *(m.id for m in found.measures)}
    return {item}


@given(st.data())
def test_a_log_with_late_recordings_is_judged_as_the_history_it_records(
    data: st.DataObject,
) -> None:
    """Recording one event late (moved behind later events of other targets, with recorded_on)
    is accepted, saves and loads back, and every as-of day sees the same status and overdue
    items as the log recorded in date order."""
    start = data.draw(rs.cases(allow_imported=True, max_problems=4), label="case")
    # Triggers only: which events an edit concerns is the footprint's business, not this test's.
    steps = data.draw(
        rs.event_sequences(start, min_size=2, max_size=12, edits=False), label="steps"
    )
    i = data.draw(st.integers(0, len(steps) - 2), label="moved")
    j = data.draw(st.integers(i + 1, len(steps) - 1), label="behind")
    moved = steps[i]
    reach = concerns(start, moved.item)
    assume(all(not concerns(start, step.item) & reach for step in steps[i + 1 : j + 1]))
    late = fired(start, [*steps[:i], *steps[i + 1 : j + 1]])
    recorded = steps[j].on if steps[j].on > moved.on else None
    moved.apply(late, recorded_on=recorded)
    for step in steps[j + 1 :]:
        step.apply(late)
    assert rectflow.loads_case(rectflow.dumps_case(late)) == late
    in_order = fired(start, steps)
    for day in {step.on + shift for step in steps for shift in (-DAY, 0 * DAY)}:
        assert rectflow.status(late, as_of=day) == rectflow.status(in_order, as_of=day)
        assert rectflow.overdue(late, day) == rectflow.overdue(in_order, day)
