"""As of a day is as it stood then: judging a case at a past day equals judging the case that
only the events up to that day built (DESIGN.md invariant 3), for every prefix of a random log."""

from __future__ import annotations

import copy
import datetime as dt

from hypothesis import assume, given
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow import Case, fire

PLUGINS = rectflow.plugin_manager(load_entry_points=False)
CHECKER = rectflow.Checker(PLUGINS, rectflow.policy("xuncha", PLUGINS))
DAY = dt.timedelta(days=1)


def fired(case: Case, steps: list[tuple[str, str | None, dt.date]]) -> Case:
    """A copy of ``case`` with ``steps`` fired in order, as a host system would have."""
    built = copy.deepcopy(case)
    for trigger, item, on in steps:
        fire(built, trigger, item=item, on=on)
    return built


def prefix_days(steps: list[tuple[str, str | None, dt.date]], k: int) -> list[dt.date]:
    """The days on which exactly the first ``k`` steps had happened (first and last of them)."""
    if not steps:
        return []
    first = steps[k - 1][2] if k else steps[0][2] - 30 * DAY
    last = steps[k][2] - DAY if k < len(steps) else steps[-1][2] + 30 * DAY
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
    steps = data.draw(rs.event_sequences(start, min_size=2, max_size=12), label="steps")
    i = data.draw(st.integers(0, len(steps) - 2), label="moved")
    j = data.draw(st.integers(i + 1, len(steps) - 1), label="behind")
    moved = steps[i]
    reach = concerns(start, moved[1])
    assume(all(not concerns(start, step[1]) & reach for step in steps[i + 1 : j + 1]))
    late = copy.deepcopy(start)
    for trigger, item, on in [*steps[:i], *steps[i + 1 : j + 1]]:
        fire(late, trigger, item=item, on=on)
    recorded = steps[j][2] if steps[j][2] > moved[2] else None
    fire(late, moved[0], item=moved[1], on=moved[2], recorded_on=recorded)
    for trigger, item, on in steps[j + 1 :]:
        fire(late, trigger, item=item, on=on)
    assert rectflow.loads_case(rectflow.dumps_case(late)) == late
    in_order = fired(start, steps)
    for day in {on + shift for _, _, on in steps for shift in (-DAY, 0 * DAY)}:
        assert rectflow.status(late, as_of=day) == rectflow.status(in_order, as_of=day)
        assert rectflow.overdue(late, day) == rectflow.overdue(in_order, day)
