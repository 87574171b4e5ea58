"""Evidence: closing an item (销号) needs evidence; a reopened item needs a new measure.

Closing (对账销号) is the verified end of a ledger item: the ledger must show what proves it
done. A follow-up review (回头看) that finds a problem rebounding (反弹回潮) reopens it, and the
body must then add a measure rather than repeat the old ones.

Only measures carry evidence in the model; a problem with measures is closed through them. A
problem without measures has nowhere to record evidence, so ``evidence.close`` does not judge it.

Each rule below gives its options (with units and defaults), its level and basis, and a PASS
and a FAIL example: complete case files (docs/case-file.md), checked as of the date given, with
the options given (tests/checks/test_check_docs.py checks every example).

Rules
=====

evidence.close
    Every closed measure lists evidence (``evidence``: references to the documents that prove
    it done). The rule also guards the ``close`` trigger: closing a measure that lists no
    evidence is refused (at the rule's level; an error blocks) and nothing changes.

    * No options.
    * Level: error (blocks ``close``). Basis: practice: 对账销号, "建账-更新-销号" (RULES.md #25,
      #26).

    PASS (as of 2024-07-01)::

        schema = 1
        id = "closed-with-evidence"
        feedback_on = 2024-03-28

        [[categories]]
        id = "1"

        [[categories.problems]]
        id = "1.1"
        state = "closed"

        [[categories.problems.measures]]
        id = "1.1.1"
        initial_state = "closed"
        state = "closed"
        evidence = ["院党委会纪要〔2024〕5号"]

    FAIL (as of 2024-07-01)::

        schema = 1
        id = "closed-without-evidence"
        feedback_on = 2024-03-28

        [[categories]]
        id = "1"

        [[categories.problems]]
        id = "1.1"
        state = "closed"

        [[categories.problems.measures]]
        id = "1.1.1"
        initial_state = "closed"
        state = "closed"

evidence.reopened-measure
    An item reopened by a ``reopen`` event gets a new measure (``added_on`` on or after its
    latest reopening) within ``within``: for a reopened problem, one of its own; for a reopened
    measure, one of its problem's. Until ``within`` has passed as of the check's date there is
    still time.

    * ``within``: a period (days, working days or months); default ``"0 days"`` (the new
      measure is due the day the item is reopened).
    * Level: error. Basis: practice: a rebound (反弹回潮) found by a review is rectified again
      (RULES.md #27, #38).

    PASS (as of 2024-10-01)::

        schema = 1
        id = "reopened-with-new-measure"
        feedback_on = 2024-03-28

        [[categories]]
        id = "2"

        [[categories.problems]]
        id = "2.1"
        state = "reopened"
        measures = [
            { id = "2.1.1", initial_state = "completed", state = "reopened" },
            { id = "2.1.2", added_on = 2024-09-05 },
        ]

        [[events]]
        seq = 1
        trigger = "reopen"
        target = "2.1.1"
        on = 2024-09-01

    FAIL (as of 2024-10-01; no measure added to 2.1 since 2024-09-01)::

        schema = 1
        id = "reopened-without-new-measure"
        feedback_on = 2024-03-28

        [[categories]]
        id = "2"

        [[categories.problems]]
        id = "2.1"
        state = "reopened"
        measures = [{ id = "2.1.1", initial_state = "completed", state = "reopened" }]

        [[events]]
        seq = 1
        trigger = "reopen"
        target = "2.1.1"
        on = 2024-09-01
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

import attrs

from rectflow._core.lifecycle import Transition
from rectflow._core.model import Case, ItemState, Measure, Problem
from rectflow._core.report import Level, Violation
from rectflow._rules.calendar import Duration, Unit
from rectflow._rules.context import CheckContext
from rectflow._rules.hookspecs import hookimpl
from rectflow._rules.rules import Rule
from rectflow.checks._emit import Emitter
from rectflow.checks._timing import duration_zh
from rectflow.checks._where import measure_where, problem_where

__all__ = [
    "RULES",
    "CloseOptions",
    "ReopenedMeasureOptions",
    "rectflow_check_case",
    "rectflow_guard_transition",
    "rectflow_rules",
]


@attrs.frozen
class CloseOptions:
    """Options of ``evidence.close``: none."""


@attrs.frozen
class ReopenedMeasureOptions:
    """Options of ``evidence.reopened-measure``.

    Attributes:
        within: the new measure is added within this period after the reopening.
    """

    within: Duration = attrs.field(default=Duration(0, Unit.DAYS))


CLOSE = Rule(
    "evidence.close",
    Level.ERROR,
    CloseOptions,
    "Closing an item (销号) needs evidence.",
    basis="practice: 对账销号 — an item is closed against the ledger's evidence (RULES.md #25)",
    blocking_triggers=("close",),
)
REOPENED_MEASURE = Rule(
    "evidence.reopened-measure",
    Level.ERROR,
    ReopenedMeasureOptions,
    "A reopened item gets a new measure.",
    basis="practice: a rebound (反弹回潮) found by a review is rectified again (RULES.md #27)",
)

RULES: tuple[Rule, ...] = (CLOSE, REOPENED_MEASURE)


@hookimpl
def rectflow_rules() -> Iterable[Rule]:
    """The evidence rules."""
    return RULES


@hookimpl
def rectflow_check_case(case: Case, context: CheckContext) -> Iterable[Violation]:
    """Check closed measures for evidence and reopened items for a new measure."""
    found: list[Violation] = []
    if context.enabled(CLOSE.code):
        found.extend(_check_closed(case, context))
    if context.enabled(REOPENED_MEASURE.code):
        found.extend(_check_reopened(case, context))
    return found


@hookimpl
def rectflow_guard_transition(
    case: Case, transition: Transition, context: CheckContext
) -> Iterable[Violation]:
    """Refuse to close a measure that lists no evidence."""
    measure = transition.item
    if (
        transition.trigger != "close"
        or not isinstance(measure, Measure)
        or measure.evidence
        or not context.enabled(CLOSE.code)
    ):
        return []
    problem = case.problem_of(measure.id)
    return [
        context.violation(
            CLOSE.code,
            where=measure_where(problem.id, measure.id),
            message=f"measure {measure.id} can't be closed: it lists no evidence",
            message_zh=f"整改措施{measure.id}未提供佐证材料，不能对账销号",
            hint=_PROVE,
        )
    ]


_PROVE = "add references to the documents that prove it done to the measure's evidence"


def _check_closed(case: Case, context: CheckContext) -> Iterator[Violation]:
    emit = Emitter(context, CLOSE.code)
    closed = ItemState.CLOSED
    for category in case.categories:
        for problem in category.problems:
            for measure in problem.measures:
                if measure.state is closed and not measure.evidence:
                    yield emit(
                        measure_where(problem.id, measure.id),
                        f"measure {measure.id} is closed but lists no evidence",
                        f"整改措施{measure.id}已销号，但未提供佐证材料",
                        _PROVE,
                    )


def _check_reopened(case: Case, context: CheckContext) -> Iterator[Violation]:
    reopened: dict[str, dt.date] = {}
    for event in case.events:
        if event.trigger == "reopen" and event.target != "case":
            known = reopened.get(event.target)
            if known is None or event.on > known:
                reopened[event.target] = event.on
    if not reopened:
        return
    within = context.options(REOPENED_MEASURE.code, ReopenedMeasureOptions).within
    for problem, item in _reopened_items(case, reopened):
        on = reopened[item.id]
        if any(m.added_on is not None and m.added_on >= on for m in problem.measures):
            continue
        due = context.due(on, within)
        if context.as_of <= due.on:
            continue
        yield _no_new_measure(context, problem, item, on, due.on, within)


def _reopened_items(
    case: Case, reopened: dict[str, dt.date]
) -> Iterator[tuple[Problem, Problem | Measure]]:
    """Each reopened item in the ledger with its problem (items no longer there are skipped)."""
    for problem in case.problems():
        if problem.id in reopened:
            yield problem, problem
        for measure in problem.measures:
            if measure.id in reopened:
                yield problem, measure


def _no_new_measure(
    context: CheckContext,
    problem: Problem,
    item: Problem | Measure,
    on: dt.date,
    due: dt.date,
    within: Duration,
) -> Violation:
    as_of = context.as_of
    if isinstance(item, Problem):
        where = problem_where(problem.id)
        what, what_zh = f"problem {problem.id}", f"问题{problem.id}"
    else:
        where = measure_where(problem.id, item.id)
        what, what_zh = f"measure {item.id} (problem {problem.id})", f"整改措施{item.id}"
    grace = f" within {within}" if within.amount else ""
    message = (
        f"{what} was reopened on {on} and its problem has no measure added since, as of "
        f"{as_of}: a new measure was due{grace} by {due}"
    )
    return context.violation(
        REOPENED_MEASURE.code,
        where=where,
        message=message,
        message_zh=(
            f"{what_zh}于{on}反弹回潮、重新整改，截至{as_of}所属问题未新增整改措施"
            f"（应在{duration_zh(within)}内、最迟{due}新增）"
        ),
        hint=f"add a new measure to problem {problem.id} with added_on on or after {on}",
        due=due,
        actual=as_of,
        option="within",
    )
