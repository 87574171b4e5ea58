"""Evaluation: a poor grade sends the case back for a second rectification (二次整改).

An evaluation (整改评估) grades a case's rectification 好, 较好, 一般 or 差, usually with a
deduction-based score out of 100 (:class:`rectflow.Evaluation`, recorded with
:func:`rectflow.evaluate`). Where a grade of 一般 or 差 is given, the body rectifies again: the
case's ``start_second_rectification`` trigger takes it back to centralised rectification.
Whether the evaluation itself came in time is ``deadline.evaluation``.

The rule below gives its options (with units and defaults), its level and basis, and a PASS and
a FAIL example: complete case files (docs/case-file.md), checked as of the date given, with the
options given (tests/checks/test_check_docs.py checks every example).

Rules
=====

evaluation.second-rectification
    When the latest evaluation (by its date; of two on one day, the one recorded last) has a
    grade in ``grades``, the case fires ``start_second_rectification`` on or after the
    evaluation's day and within ``within`` after it. None by then is a violation once that day
    has passed as of the check's date; one fired later than that is reported as late. An
    evaluation with a better grade asks for nothing.

    * ``grades``: a list of ``good``, ``fairly_good``, ``fair``, ``poor`` (好, 较好, 一般, 差);
      default ``["fair", "poor"]``.
    * ``within``: a period (days, working days or months); default ``"1 month"``.
    * Level: error. Basis: practice: "被评定为‘一般’‘差’两个等次的，督促二次整改" (镇安县;
      RULES.md #36); the four grades (RULES.md #33).

    PASS (as of 2024-12-01)::

        schema = 2
        id = "second-rectification-started"
        feedback_on = 2024-01-10
        initial_state = "reported"
        state = "centralised"
        evaluations = [{ on = 2024-09-01, grade = "fair", score = 72 }]

        [[events]]
        seq = 1
        trigger = "start_second_rectification"
        target = "case"
        on = 2024-09-20

    FAIL (as of 2024-12-01; graded 一般 on 2024-09-01, nothing started by 2024-10-01)::

        schema = 2
        id = "second-rectification-missing"
        feedback_on = 2024-01-10
        initial_state = "reported"
        state = "reported"
        evaluations = [{ on = 2024-09-01, grade = "fair", score = 72 }]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

import attrs

from rectflow._core.kinds import Grade
from rectflow._core.labels import GRADE_ZH
from rectflow._core.model import Case
from rectflow._core.report import Level, Violation
from rectflow._i18n import N_, Msg
from rectflow._rules.calendar import Duration, Unit
from rectflow._rules.context import CheckContext
from rectflow._rules.hookspecs import hookimpl
from rectflow._rules.rules import Rule
from rectflow.checks._timing import duration_zh

__all__ = [
    "RULES",
    "GradeName",
    "SecondRectificationOptions",
    "rectflow_check_case",
    "rectflow_rules",
]

SECOND_RECTIFICATION = "start_second_rectification"
"""The case trigger that starts a second rectification."""

GradeName = Literal["good", "fairly_good", "fair", "poor"]
"""A grade as a policy names it: a :class:`rectflow.Grade`'s value."""

_GRADES = tuple(grade.value for grade in Grade)


def _valid_grades(
    _: object, __: attrs.Attribute[tuple[GradeName, ...]], value: tuple[str, ...]
) -> None:
    unknown = [grade for grade in value if grade not in _GRADES]
    if unknown:
        raise ValueError(
            Msg(
                "unknown grade(s) {unknown}: use {known}", unknown=unknown, known=", ".join(_GRADES)
            )
        )


@attrs.frozen
class SecondRectificationOptions:
    """Options of ``evaluation.second-rectification``.

    Attributes:
        grades: the grades that call for a second rectification: of good, fairly_good, fair,
            poor (好, 较好, 一般, 差).
        within: the second rectification starts within this period after the evaluation.
    """

    grades: tuple[GradeName, ...] = attrs.field(
        default=("fair", "poor"), converter=tuple, validator=_valid_grades
    )
    within: Duration = attrs.field(default=Duration(1, Unit.MONTHS))


SECOND = Rule(
    "evaluation.second-rectification",
    Level.ERROR,
    SecondRectificationOptions,
    N_("A grade of 一般 or 差 is followed in time by a second rectification."),
    basis="practice: 被评定为“一般”“差”两个等次的，督促二次整改 (镇安县; RULES.md #36)",
)

RULES: tuple[Rule, ...] = (SECOND,)


@hookimpl
def rectflow_rules() -> Iterable[Rule]:
    """The evaluation rules."""
    return RULES


@hookimpl
def rectflow_check_case(case: Case, context: CheckContext) -> Iterable[Violation]:
    """Check that a poor latest evaluation is followed by a second rectification in time."""
    if not case.evaluations or not context.enabled(SECOND.code):
        return []
    return list(_check(case, context))


def _check(case: Case, context: CheckContext) -> Iterator[Violation]:
    options = context.options(SECOND.code, SecondRectificationOptions)
    index, latest = max(enumerate(case.evaluations), key=lambda pair: (pair[1].on, pair[0]))
    if latest.grade.value not in options.grades:
        return
    started = next(
        (
            row[3]
            for row in case.events._raw()  # rectflow's own loop: rows, not Event objects
            if row[1] == SECOND_RECTIFICATION and row[3] >= latest.on
        ),
        None,
    )
    due = context.due(latest.on, options.within).on
    as_of = context.as_of
    if started is not None and started <= due:
        return
    if started is None and as_of <= due:
        return  # there is still time
    grade, grade_zh = latest.grade.value, GRADE_ZH[latest.grade]
    score = f", score {latest.score:g}" if latest.score is not None else ""
    within, within_zh = options.within, duration_zh(options.within)
    what = f"the evaluation of {latest.on} graded the rectification {grade} ({grade_zh}{score})"
    what_zh = f"{latest.on}整改评估等次为“{grade_zh}”"
    if started is None:
        message = (
            f"{what}, which calls for a second rectification (二次整改), and none has started "
            f"as of {as_of}: due within {within}, by {due}"
        )
        message_zh = f"{what_zh}，应在{within_zh}内（最迟{due}）启动二次整改，截至{as_of}未启动"
        actual = as_of
    else:
        message = (
            f"{what}; the second rectification (二次整改) it calls for started on {started}, "
            f"later than {within} after it ({due})"
        )
        message_zh = f"{what_zh}，二次整改于{started}启动，晚于应启动期限{due}（{within_zh}内）"
        actual = started
    yield context.violation(
        SECOND.code,
        where=f"evaluations[{index}]",
        message=message,
        message_zh=message_zh,
        hint=N_(
            "start the second rectification: fire start_second_rectification on the case "
            "(with its date), and rectify the problems the evaluation found"
        ),
        due=due,
        actual=actual,
        option="within",
    )
