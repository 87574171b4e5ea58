"""The responsibility checks: every measure names who answers for it, and a due date."""

from __future__ import annotations

import copy
import datetime as dt
import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow import (
    Case,
    Category,
    CheckContext,
    ItemState,
    Level,
    Measure,
    OptionSetting,
    Policy,
    Problem,
    Responsibility,
    RuleSettings,
    Violation,
)
from rectflow._core.fields import force
from rectflow.checks import responsibility
from rectflow.errors import PolicyError

D = dt.date
AS_OF = D(2024, 7, 1)
DUE = D(2024, 6, 30)


def settings(**options: Any) -> RuleSettings:
    """Rule settings with these option values."""
    return RuleSettings(options={name: OptionSetting(value) for name, value in options.items()})


def run(case: Case, **rules: RuleSettings) -> list[Violation]:
    """The responsibility module's violations, sorted."""
    context = CheckContext(
        as_of=AS_OF,
        policy=Policy("test", rules=rules),
        rules={rule.code: rule for rule in responsibility.RULES},
    )
    found = responsibility.rectflow_check_case(case=case, context=context)
    return sorted(found, key=Violation.sort_key)


def case_of(*measures: Measure) -> Case:
    """A case whose one problem ``2.1`` has ``measures``."""
    return Case("c", categories=[Category("2", problems=[Problem("2.1", measures=list(measures))])])


def test_a_measure_naming_a_department_and_a_due_date_passes() -> None:
    """Any one of leader, department or person will do by default."""
    assert (
        run(
            case_of(
                Measure("2.1.1", responsibility=Responsibility(department="医务部"), due_on=DUE)
            )
        )
        == []
    )


@pytest.mark.parametrize(
    "who", [None, Responsibility()], ids=["no responsibility", "an empty responsibility"]
)
def test_a_measure_naming_no_one_is_an_error_at_its_place(who: Responsibility | None) -> None:
    """Neither a missing nor an empty responsibility names anyone."""
    [found] = run(case_of(Measure("2.1.1", responsibility=who, due_on=DUE)))
    assert (
        found.code,
        found.level,
        found.where,
    ) == ("responsibility.assigned", Level.ERROR, "problems[2.1].measures[2.1.1]")
    assert "names no responsible leader, department or person" in found.message


def test_a_policy_requiring_roles_names_each_missing_one() -> None:
    """``require = ["department", "person"]``: a department alone lacks the person."""
    policy = {"responsibility.assigned": settings(require=["department", "person"])}
    case = case_of(Measure("2.1.1", responsibility=Responsibility(department="医务部"), due_on=DUE))
    [found] = run(case, **policy)
    assert found.message == "measure 2.1.1 lacks a responsible person"
    assert "责任人" in found.message_zh
    rectflow.assign(
        case, "2.1.1", Responsibility(department="医务部", person="张某"), on=D(2024, 7, 1)
    )
    assert run(case, **policy) == []


def test_a_policy_naming_an_unknown_role_is_refused() -> None:
    """Strict options: the error names the option and the value."""
    with pytest.raises(PolicyError, match=r"responsibility\.assigned.*require.*boss"):
        run(case_of(Measure("2.1.1")), **{"responsibility.assigned": settings(require=["boss"])})


def test_a_measure_without_a_due_date_is_an_error() -> None:
    """整改时限 belongs to every task."""
    [found] = run(case_of(Measure("2.1.1", responsibility=Responsibility(person="张某"))))
    assert (
        found.code,
        found.message,
    ) == ("responsibility.due-date", "measure 2.1.1 has no due date")


def test_long_term_measures_need_no_due_date_unless_the_policy_says_so() -> None:
    """长期坚持: exempt by default; ``exempt_long_term = false`` asks for one."""
    measure = Measure(
        "2.1.1",
        responsibility=Responsibility(person="张某"),
        state=ItemState.LONG_TERM,
        initial_state=ItemState.LONG_TERM,
    )
    assert run(case_of(measure)) == []
    strict = {"responsibility.due-date": settings(exempt_long_term=False)}
    assert [v.code for v in run(case_of(measure), **strict)] == ["responsibility.due-date"]


def test_both_rules_report_the_same_measure_independently() -> None:
    """One violation per rule and measure, sorted by place."""
    case = case_of(Measure("2.1.2"), Measure("2.1.1"))
    assert [(v.where, v.code) for v in run(case)] == [
        ("problems[2.1].measures[2.1.1]", "responsibility.assigned"),
        ("problems[2.1].measures[2.1.1]", "responsibility.due-date"),
        ("problems[2.1].measures[2.1.2]", "responsibility.assigned"),
        ("problems[2.1].measures[2.1.2]", "responsibility.due-date"),
    ]


def shuffled(case: Case, rnd: random.Random) -> Case:
    """A deep copy with categories, problems and measures in another order."""
    copied = copy.deepcopy(case)
    # The ledger's lists are owned by the events: a reordered copy is what an import of the
    # same ledger in another order would build, so the test sets them with ``force``.
    force(copied, "categories", rnd.sample(copied.categories, len(copied.categories)))
    for category in copied.categories:
        force(category, "problems", rnd.sample(category.problems, len(category.problems)))
        for problem in category.problems:
            force(problem, "measures", rnd.sample(problem.measures, len(problem.measures)))
    copied.reindex()
    return copied


@given(
    case=rs.cases(allow_imported=True),
    require=st.sampled_from([["any"], ["department"], ["leader", "person"]]),
    rnd=st.randoms(use_true_random=False),
)
def test_the_violations_do_not_depend_on_the_order_of_the_ledger(
    case: Case, require: list[str], rnd: random.Random
) -> None:
    """Shuffling categories, problems and measures gives the same sorted violations."""
    policy = {"responsibility.assigned": settings(require=require)}
    assert run(case, **policy) == run(shuffled(case, rnd), **policy)


def test_rectflow_check_reports_responsibility_under_the_plugin_name() -> None:
    """Through the plugin manager."""
    report = rectflow.check(case_of(Measure("2.1.1")), policy=Policy("test"), as_of=AS_OF)
    found = sorted(
        v.code for v in report.violations if v.plugin == "rectflow.checks.responsibility"
    )
    assert found == ["responsibility.assigned", "responsibility.due-date"]
