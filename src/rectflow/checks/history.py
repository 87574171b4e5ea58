"""History: where the policy says so, work on the ledger waits for the rectification plan.

Every event already obeys the rules of time that hold for every case (docs/lifecycle.md,
"History runs forward": not before the feedback, not before an earlier event of its target);
``fire`` and loading enforce them. Whether an item may be worked on before the plan (整改方案) is
adopted is a matter of policy: many bodies rectify at once what can be rectified at once
(立行立改), others treat the plan as the start of the work. This rule lets a policy say so, for
the kinds of problem it names.

A fuzzy adoption date ("2024-04") refuses only what is certainly earlier: a day before its
earliest reading.

Rules
=====

history.after-plan
    No event on an item of the kinds named by ``kinds`` (a problem of that kind, or one of its
    measures) is dated before the plan's adoption (``plan.adopted_on``, else the
    ``adopt_plan`` event); while the plan is not adopted, none may be recorded at all. One
    violation per item, at its first such event. The rule also guards every item trigger: a
    trigger fired on such an item before the plan's adoption is refused (at the rule's level;
    an error blocks) and nothing changes.

    * ``kinds``: the problem kinds (``key``, ``specific``, ``recommendation``, ``extended``,
      ``reform``, ``clue``) whose items wait for the plan; default empty: work may start at
      the feedback (立行立改).
    * Level: error (blocks item triggers). Basis: policy: the plan (整改方案) sets the tasks, the
      people and the deadlines (三清单; RULES.md #14).

    PASS (as of 2024-07-01; ``kinds = ["specific"]``)::

        schema = 1
        id = "work-after-plan"
        feedback_on = 2024-03-15
        state = "plan_adopted"

        [plan]
        adopted_on = 2024-03-22

        [[categories]]
        id = "1"

        [[categories.problems]]
        id = "1.1"
        state = "in_progress"

        [[events]]
        seq = 1
        trigger = "adopt_plan"
        target = "case"
        on = 2024-03-22

        [[events]]
        seq = 2
        trigger = "start"
        target = "1.1"
        on = 2024-03-25

    FAIL (as of 2024-07-01; ``kinds = ["specific"]``; 1.1 was started before the plan)::

        schema = 1
        id = "work-before-plan"
        feedback_on = 2024-03-15
        state = "plan_adopted"

        [plan]
        adopted_on = 2024-03-22

        [[categories]]
        id = "1"

        [[categories.problems]]
        id = "1.1"
        state = "in_progress"

        [[events]]
        seq = 1
        trigger = "start"
        target = "1.1"
        on = 2024-03-18

        [[events]]
        seq = 2
        trigger = "adopt_plan"
        target = "case"
        on = 2024-03-22
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

import attrs

from rectflow._core.events import EventRow, RowScan
from rectflow._core.lifecycle import ITEM_LIFECYCLE, Transition
from rectflow._core.model import Case, CaseState, Measure, Problem, ProblemKind
from rectflow._core.report import Level, Violation
from rectflow._i18n import N_
from rectflow._rules.context import CheckContext
from rectflow._rules.hookspecs import hookimpl
from rectflow._rules.rules import Rule, guards_when
from rectflow.checks._where import measure_where, problem_where

__all__ = [
    "RULES",
    "AfterPlanOptions",
    "rectflow_check_case",
    "rectflow_guard_transition",
    "rectflow_rules",
]


def _kinds(kinds: Iterable[str]) -> tuple[ProblemKind, ...]:
    return tuple(ProblemKind(kind) for kind in kinds)


@attrs.frozen
class AfterPlanOptions:
    """Options of ``history.after-plan``.

    Attributes:
        kinds: the problem kinds whose items wait for the plan's adoption; empty (the
            default): work may start at the feedback.
    """

    kinds: tuple[ProblemKind, ...] = attrs.field(default=(), converter=_kinds)


AFTER_PLAN = Rule(
    "history.after-plan",
    Level.ERROR,
    AfterPlanOptions,
    N_("Where the policy names the kinds, work on their items waits for the plan's adoption."),
    basis="policy: the plan (整改方案) sets the tasks, people and deadlines (三清单; RULES.md #14)",
    blocking_triggers=ITEM_LIFECYCLE.triggers,
)

RULES: tuple[Rule, ...] = (AFTER_PLAN,)


@hookimpl
def rectflow_rules() -> Iterable[Rule]:
    """The history rules."""
    return RULES


def _adopted(case: Case) -> dt.date | None:
    """The first day the plan may have been adopted; ``None`` when that is not known."""
    adopted = case.plan_adopted_on
    return adopted.earliest if adopted is not None else None


def _waits(case: Case) -> bool:
    """True when the case shows that its plan is not adopted yet."""
    return case.plan_adopted_on is None and case.state is CaseState.FEEDBACK_RECEIVED


@hookimpl
def rectflow_check_case(case: Case, context: CheckContext) -> Iterable[Violation]:
    """Report each item of the named kinds first worked on before the plan's adoption."""
    if not context.enabled(AFTER_PLAN.code):
        return []
    kinds = context.options(AFTER_PLAN.code, AfterPlanOptions).kinds
    if not kinds or not case.events:
        return []
    return list(_check(case, context, frozenset(kinds)))


def _check(case: Case, context: CheckContext, kinds: frozenset[ProblemKind]) -> Iterator[Violation]:
    adopted = _adopted(case)
    if adopted is None and not _waits(case):
        return
    owners: dict[str, tuple[Problem, Measure | None]] = {}
    for problem in case.problems():
        if any(problem.counts_as(kind) for kind in kinds):
            owners[problem.id] = (problem, None)
            for measure in problem.measures:
                owners[measure.id] = (problem, measure)
    seen: set[str] = set()
    for event in case.events:
        owner = owners.get(event.target)
        if owner is None or event.target in seen or (adopted is not None and event.on >= adopted):
            continue
        seen.add(event.target)
        yield _violation(context, case, owner, event.trigger, event.on, adopted)


def _violation(
    context: CheckContext,
    case: Case,
    owner: tuple[Problem, Measure | None],
    trigger: str,
    on: dt.date,
    adopted: dt.date | None,
) -> Violation:
    problem, measure = owner
    if measure is None:
        where, what, what_zh = problem_where(problem.id), f"problem {problem.id}", "问题"
    else:
        where, what = measure_where(problem.id, measure.id), f"measure {measure.id}"
        what_zh = "整改措施"
    item_id = problem.id if measure is None else measure.id
    if adopted is None:
        when, when_zh = "the plan is not adopted yet", "整改方案尚未制定"
    else:
        when, when_zh = f"the plan was adopted {case.plan_adopted_on}", f"整改方案于{adopted}制定"
    return context.violation(
        AFTER_PLAN.code,
        where=where,
        message=f"{trigger} on {what} dated {on} is before the plan's adoption: {when}",
        message_zh=f"{what_zh}{item_id}的“{trigger}”记录于{on}，早于整改方案的制定（{when_zh}）",
        hint=N_(
            "adopt the plan first (fire adopt_plan or record plan.adopted_on), or correct the "
            "event's date; a policy that allows immediate rectification (立行立改) leaves `kinds` "
            "empty"
        ),
        due=adopted,
        actual=on,
        option="kinds",
    )


def _guard_speaks(context: CheckContext) -> bool:
    """Whether the guard can refuse anything under the policy: the rule on, some kind named."""
    return context.enabled(AFTER_PLAN.code) and bool(
        context.options(AFTER_PLAN.code, AfterPlanOptions).kinds
    )


@hookimpl
@guards_when(_guard_speaks)
def rectflow_guard_transition(
    case: Case, transition: Transition, context: CheckContext
) -> Iterable[Violation]:
    """Refuse an item trigger of the named kinds dated before the plan's adoption."""
    item = transition.item
    if item is None or not context.enabled(AFTER_PLAN.code):
        return []
    kinds = context.options(AFTER_PLAN.code, AfterPlanOptions).kinds
    if not kinds:
        return []
    problem = item if isinstance(item, Problem) else case.problem_of(item.id)
    if not any(problem.counts_as(kind) for kind in kinds):
        return []
    adopted = _adopted_day(case)
    # No adoption known (``_waits`` without reading ``plan_adopted_on`` again: a search of the
    # whole log on every fire of a case whose log holds no ``adopt_plan``).
    if adopted is None and case.state is not CaseState.FEEDBACK_RECEIVED:
        return []
    if adopted is not None and transition.on >= adopted:
        return []
    measure = item if isinstance(item, Measure) else None
    return [
        _violation(context, case, (problem, measure), transition.trigger, transition.on, adopted)
    ]


# What the guard reads of the case on every item trigger, kept from one call to the next: the
# earliest day of the last ``plan.adopted_on`` seen (one entry, replaced whole; a FuzzyDate is
# immutable: the same object, the same day), and the day of the first ``adopt_plan`` in the log,
# folded over only the rows appended since the last call (``case.plan_adopted_on`` searched the
# whole log on every fire).
_plan_seen: tuple[object, dt.date | None] = (None, None)


def _adoption(found: dt.date | None, row: EventRow) -> dt.date | None:
    if found is None and row[1] == "adopt_plan" and row[2] == "case":
        return row[3]
    return found


_first_adoption = RowScan(lambda: None, _adoption)
"""The day of the first ``adopt_plan`` in the rows (``Case.first_fired_on``)."""


def _adopted_day(case: Case) -> dt.date | None:
    """:func:`_adopted` without building a date or searching the whole log on every call."""
    global _plan_seen  # noqa: PLW0603 - a one-entry cache of an immutable value
    plan = case.plan
    adopted_on = plan.adopted_on if plan is not None else None
    if adopted_on is not None:
        seen = _plan_seen
        if seen[0] is not adopted_on:
            seen = _plan_seen = (adopted_on, adopted_on.earliest)
        return seen[1]
    return _first_adoption(case.events._raw())
