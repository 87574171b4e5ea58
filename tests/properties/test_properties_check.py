"""Properties of checking: deterministic, blind to the ledger's order, and monotone in time for
overdue items that are still open."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow import Case, Level, Policy, Report, check, default_as_of, overdue
from rectflow._core.fields import force

BUILTINS = rectflow.plugin_manager(load_entry_points=False)
POLICIES = st.sampled_from(["xunshi", "xuncha"]) | rs.policies()
OVERDUE = "deadline.overdue"


def judged(case: Case, policy: Policy | str, as_of: dt.date) -> Report:
    return check(case, policy=policy, as_of=as_of, plugins=BUILTINS)


def a_day_for(case: Case, data: st.DataObject) -> dt.date:
    """A day from the case's own default as-of day up to two years after it."""
    return default_as_of(case)[0] + dt.timedelta(days=data.draw(st.integers(0, 730), label="days"))


def overdue_places(report: Report) -> set[str]:
    return {v.where for v in report.violations if v.code == OVERDUE}


@given(data=st.data(), case=rs.cases(allow_imported=True, with_events=True), policy=POLICIES)
def test_a_later_as_of_day_never_drops_an_overdue_violation_of_an_item_still_open(
    data: st.DataObject, case: Case, policy: Policy | str
) -> None:
    """For the same case (items unchanged), every measure overdue as of a day is still overdue
    as of any later day."""
    early = a_day_for(case, data)
    late = early + dt.timedelta(days=data.draw(st.integers(0, 1000), label="later by"))
    assert overdue_places(judged(case, policy, early)) <= overdue_places(judged(case, policy, late))


@pytest.mark.parametrize("preset", ["xunshi", "xuncha"])
@given(data=st.data(), case=rs.cases(allow_imported=True, with_events=True))
def test_the_overdue_rule_and_the_status_agree_on_which_measures_are_late(
    preset: str, data: st.DataObject, case: Case
) -> None:
    """Under the presets (long-term items exempt), deadline.overdue calls late exactly the
    measures rectflow.overdue() lists (its info about lateness against an original deadline,
    for an item done by its extended one, calls nothing late)."""
    day = a_day_for(case, data)
    listed = {
        f"problems[{case.problem_of(item.id).id}].measures[{item.id}]"
        for item in overdue(case, day)
        if isinstance(item, rectflow.Measure)
    }
    late = {
        v.where
        for v in judged(case, preset, day).violations
        if v.code == OVERDUE and v.level is not Level.INFO
    }
    assert late == listed


@given(data=st.data(), case=rs.cases(allow_imported=True, with_events=True), policy=POLICIES)
def test_checking_twice_gives_the_same_report(
    data: st.DataObject, case: Case, policy: Policy | str
) -> None:
    """The same case, policy and day always give the same report, and leave the case alone."""
    day = a_day_for(case, data)
    before = copy.deepcopy(case)
    assert judged(case, policy, day) == judged(case, policy, day)
    assert case == before


def shuffled(case: Case, data: st.DataObject) -> Case:
    """A copy of the case with its categories, problems and measures in a drawn order.

    The ledger's lists are the events' (no event reorders them): the hand-made copy is put in
    order with ``force``, as rectflow's own builders do."""
    copied = copy.deepcopy(case)
    force(copied, "categories", data.draw(st.permutations(copied.categories), label="categories"))
    for category in copied.categories:
        force(category, "problems", data.draw(st.permutations(category.problems), label="problems"))
        for problem in category.problems:
            order = data.draw(st.permutations(problem.measures), label="measures")
            force(problem, "measures", order)
    copied.reindex()
    return copied


@given(data=st.data(), case=rs.cases(allow_imported=True, with_events=True), policy=POLICIES)
def test_the_report_does_not_depend_on_the_order_of_the_ledger(
    data: st.DataObject, case: Case, policy: Policy | str
) -> None:
    """Reordering categories, problems and measures changes no violation, message or caveat."""
    day = a_day_for(case, data)
    assert judged(shuffled(case, data), policy, day) == judged(case, policy, day)
