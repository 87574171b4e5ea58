"""The evaluation check: a grade of 一般 or 差 is followed in time by a second rectification."""

from __future__ import annotations

import copy
import datetime as dt
import random
import typing
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow import (
    Case,
    CaseState,
    CheckContext,
    Evaluation,
    FuzzyDate,
    Grade,
    Level,
    OptionSetting,
    Policy,
    RuleSettings,
    Violation,
)
from rectflow._core.fields import force
from rectflow.checks import evaluation
from rectflow.errors import PolicyError

D = dt.date
EVALUATED = D(2024, 9, 1)
DUE = D(2024, 10, 1)
PLUGINS = rectflow.plugin_manager(load_entry_points=False)


def settings(**options: Any) -> RuleSettings:
    """Rule settings with these option values."""
    return RuleSettings(options={name: OptionSetting(value) for name, value in options.items()})


def run(case: Case, as_of: dt.date, **rules: RuleSettings) -> list[Violation]:
    """The evaluation module's violations, sorted."""
    context = CheckContext(
        as_of=as_of,
        policy=Policy("test", rules=rules),
        rules={rule.code: rule for rule in evaluation.RULES},
    )
    found = evaluation.rectflow_check_case(case=case, context=context)
    return sorted(found, key=Violation.sort_key)


def evaluated(*grades: Grade) -> Case:
    """A reported case evaluated with ``grades``, a month apart from 2024-09-01 backwards (the
    last grade on 2024-09-01)."""
    case = Case(
        "c",
        feedback_on=FuzzyDate.of(D(2024, 1, 10)),
        state=CaseState.REPORTED,
        initial_state=CaseState.REPORTED,
    )
    for months_before, grade in zip(range(len(grades) - 1, -1, -1), grades, strict=True):
        on = EVALUATED.replace(month=EVALUATED.month - months_before)
        rectflow.evaluate(case, Evaluation(on, grade, 72 if grade is Grade.FAIR else None))
    return case


def second(case: Case, on: dt.date) -> None:
    """Start the second rectification on ``on``."""
    rectflow.fire(case, "start_second_rectification", on=on)


@pytest.mark.parametrize("grade", [Grade.FAIR, Grade.POOR])
def test_a_fair_or_poor_grade_without_a_second_rectification_is_an_error_once_due(
    grade: Grade,
) -> None:
    """Due within a month: nothing on 2024-10-01, an error from 2024-10-02."""
    case = evaluated(grade)
    assert run(case, DUE) == []
    [found] = run(case, D(2024, 10, 2))
    assert (found.code, found.level, found.where, found.due, found.actual) == (
        "evaluation.second-rectification",
        Level.ERROR,
        "evaluations[0]",
        DUE,
        D(2024, 10, 2),
    )


def test_the_message_names_the_grade_the_score_and_the_deadline() -> None:
    """In English and in Chinese."""
    [found] = run(evaluated(Grade.FAIR), D(2024, 10, 2))
    assert found.message == (
        "the evaluation of 2024-09-01 graded the rectification fair (一般, score 72), which "
        "calls for a second rectification (二次整改), and none has started as of 2024-10-02: "
        "due within 1 month, by 2024-10-01"
    )
    assert found.message_zh == (
        "2024-09-01整改评估等次为“一般”，应在1个月内（最迟2024-10-01）启动二次整改，"
        "截至2024-10-02未启动"
    )


@pytest.mark.parametrize("grade", [Grade.GOOD, Grade.FAIRLY_GOOD])
def test_a_good_grade_asks_for_nothing(grade: Grade) -> None:
    """好 and 较好."""
    assert run(evaluated(grade), D(2025, 1, 1)) == []


def test_a_second_rectification_in_time_passes_and_a_late_one_is_reported() -> None:
    """Started 09-20: fine. Started 10-15: late, dated when it started."""
    case = evaluated(Grade.POOR)
    second(case, D(2024, 9, 20))
    assert run(case, D(2025, 1, 1)) == []
    late = evaluated(Grade.POOR)
    second(late, D(2024, 10, 15))
    [found] = run(late, D(2025, 1, 1))
    assert (found.due, found.actual) == (DUE, D(2024, 10, 15))
    assert "started on 2024-10-15, later than 1 month after it (2024-10-01)" in found.message


def test_a_second_rectification_before_the_evaluation_does_not_answer_it() -> None:
    """An earlier second rectification answered an earlier evaluation, not this one."""
    case = Case(
        "c",
        feedback_on=FuzzyDate.of(D(2024, 1, 10)),
        state=CaseState.REPORTED,
        initial_state=CaseState.REPORTED,
    )
    second(case, D(2024, 8, 1))
    rectflow.evaluate(case, Evaluation(EVALUATED, Grade.FAIR))
    assert [v.code for v in run(case, D(2024, 10, 2))] == ["evaluation.second-rectification"]


def test_only_the_latest_evaluation_counts() -> None:
    """差, then 较好 a month later: nothing to do; 较好, then 一般: the second rectification."""
    assert run(evaluated(Grade.POOR, Grade.FAIRLY_GOOD), D(2025, 1, 1)) == []
    [found] = run(evaluated(Grade.FAIRLY_GOOD, Grade.FAIR), D(2025, 1, 1))
    assert found.where == "evaluations[1]"


def test_of_two_evaluations_on_one_day_the_one_recorded_last_counts() -> None:
    """Same day: the later record (a correction) decides."""
    case = evaluated(Grade.FAIR)
    rectflow.evaluate(case, Evaluation(EVALUATED, Grade.GOOD))
    assert run(case, D(2025, 1, 1)) == []


def test_the_grades_and_the_window_are_options() -> None:
    """``grades = ["poor"]`` leaves 一般 alone; ``within = "10 days"`` moves the deadline."""
    policy = {"evaluation.second-rectification": settings(grades=["poor"])}
    assert run(evaluated(Grade.FAIR), D(2025, 1, 1), **policy) == []
    policy = {"evaluation.second-rectification": settings(within="10 days")}
    [found] = run(evaluated(Grade.FAIR), D(2024, 9, 12), **policy)
    assert found.due == D(2024, 9, 11)


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"grades": ["excellent"]}, r"grades: \['excellent'\] is not a valid value.*fair"),
        (
            {"grades": "fair"},
            r"grades: 'fair' is a string, not an array; write an array: grades = \[\"fair\"\]",
        ),
        ({"within": "a month"}, r"within"),
    ],
)
def test_bad_options_are_refused_naming_the_option(options: dict[str, Any], words: str) -> None:
    """A grade that does not exist, a grade not in a list, a period that does not read."""
    policy = {"evaluation.second-rectification": settings(**options)}
    with pytest.raises(PolicyError, match=words):
        run(evaluated(Grade.FAIR), D(2025, 1, 1), **policy)


def test_the_grades_a_policy_may_name_are_the_grades_of_the_model() -> None:
    """The option's names and ``rectflow.Grade`` agree, in order."""
    assert typing.get_args(evaluation.GradeName) == tuple(grade.value for grade in Grade)


def test_a_case_never_evaluated_or_a_disabled_rule_says_nothing() -> None:
    """No evaluation, nothing to follow; ``enabled = false``, nothing said."""
    assert run(evaluated(), D(2025, 1, 1)) == []
    off = {"evaluation.second-rectification": RuleSettings(enabled=False)}
    assert run(evaluated(Grade.POOR), D(2025, 1, 1), **off) == []


def test_checked_as_of_a_day_before_the_evaluation_there_is_nothing_to_follow() -> None:
    """rectflow.check judges the case as it stood: before 09-01 no evaluation was recorded."""
    case = evaluated(Grade.POOR)
    report = rectflow.check(case, policy="xuncha", as_of=D(2024, 8, 31), plugins=PLUGINS)
    assert not [v for v in report.violations if v.code == "evaluation.second-rectification"]
    later = rectflow.check(case, policy="xuncha", as_of=D(2024, 10, 2), plugins=PLUGINS)
    found = [v for v in later.violations if v.code == "evaluation.second-rectification"]
    assert [(v.level, v.plugin) for v in found] == [(Level.ERROR, "rectflow.checks.evaluation")]


def test_the_xunshi_preset_reports_it_as_a_warning() -> None:
    """Central practice publishes no grades: the 巡察 practice applies as a warning."""
    report = rectflow.check(
        evaluated(Grade.POOR), policy="xunshi", as_of=D(2024, 10, 2), plugins=PLUGINS
    )
    found = [v for v in report.violations if v.code == "evaluation.second-rectification"]
    assert [v.level for v in found] == [Level.WARNING]


@given(
    case=rs.cases(with_events=True, max_events=40),
    as_of=st.dates(D(2019, 1, 1), D(2030, 12, 31)),
    rnd=st.randoms(use_true_random=False),
)
def test_the_verdict_depends_on_the_latest_evaluation_not_on_the_ledger_order(
    case: Case, as_of: dt.date, rnd: random.Random
) -> None:
    """Reordering the ledger changes nothing; a violation only ever follows a fair or poor
    latest evaluation."""
    copied = copy.deepcopy(case)
    # The ledger's lists are owned by the events: a reordered copy is built with ``force``.
    force(copied, "categories", rnd.sample(copied.categories, len(copied.categories)))
    found = run(case, as_of)
    assert found == run(copied, as_of)
    if found:
        latest = max(enumerate(case.evaluations), key=lambda pair: (pair[1].on, pair[0]))[1]
        assert latest.grade in (Grade.FAIR, Grade.POOR)
