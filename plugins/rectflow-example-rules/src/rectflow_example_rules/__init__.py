"""A hospital's own rule, as a rectflow plugin: procurement measures answer to the 纪委.

Rule ``hospital.procurement-discipline``: every measure tagged ``procurement`` must name the
discipline committee (纪委) among its responsible departments, because the hospital's party
committee decided that procurement rectification is supervised by it. Closing (销号) such a
measure is blocked while it does not.

Options (``[rules."hospital.procurement-discipline".options]`` in a policy):

* ``tag`` (text, default ``"procurement"``): the measure tag the rule applies to.
* ``departments`` (list of text, default ``["纪委"]``): a measure passes when its responsible
  department contains one of these words (``院纪委``, ``纪委办公室`` contain ``纪委``).

PASS (a case file's measure)::

    [[categories.problems.measures]]
    id = "1.1.1"
    tags = ["procurement"]
    responsibility = { department = "院纪委、采购中心" }

FAIL::

    [[categories.problems.measures]]
    id = "1.1.1"
    tags = ["procurement"]
    responsibility = { department = "采购中心" }
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import attrs

import rectflow

__all__ = ["CODE", "RULE", "ProcurementOptions", "measures_without_discipline"]

CODE = "hospital.procurement-discipline"


@attrs.frozen
class ProcurementOptions:
    """The rule's options; the defaults are the policy defaults."""

    tag: str = attrs.field(
        default="procurement", metadata={"help": "the measure tag the rule applies to (text)"}
    )
    departments: tuple[str, ...] = attrs.field(
        default=("纪委",),
        converter=tuple,
        metadata={
            "help": "a responsible department containing one of these words passes (list of text)"
        },
    )


RULE = rectflow.Rule(
    code=CODE,
    level=rectflow.Level.ERROR,
    options=ProcurementOptions,
    summary="measures tagged procurement name the discipline committee (纪委) as responsible",
    basis="hospital party committee decision on procurement rectification (local rule)",
    blocking_triggers=("close", "accept"),
)


def _passes(measure: rectflow.Measure, options: ProcurementOptions) -> bool:
    department = measure.responsibility.department if measure.responsibility else None
    return bool(department) and any(word in department for word in options.departments)


def measures_without_discipline(
    case: rectflow.Case, options: ProcurementOptions
) -> Iterator[tuple[rectflow.Problem, rectflow.Measure]]:
    """The tagged measures whose responsible department names none of the departments."""
    for problem in case.problems():
        for measure in problem.measures:
            if options.tag in measure.tags and not _passes(measure, options):
                yield problem, measure


def _violation(
    context: rectflow.CheckContext, problem: rectflow.Problem, measure: rectflow.Measure
) -> rectflow.Violation:
    options = context.options(CODE, ProcurementOptions)
    wanted = " or ".join(options.departments)
    return context.violation(
        CODE,
        where=f"problems[{problem.id}].measures[{measure.id}]",
        message=f"measure {measure.id} is tagged {options.tag!r} but {wanted} is not among its "
        "responsible departments",
        message_zh=f"整改措施 {measure.id} 属于{options.tag}事项,责任部门中没有{wanted}",
        hint=f"add {options.departments[0]} to the measure's responsibility.department",
    )


@rectflow.hookimpl
def rectflow_rules() -> Iterable[rectflow.Rule]:
    """Declare the hospital's rule."""
    return (RULE,)


@rectflow.hookimpl
def rectflow_check_case(
    case: rectflow.Case, context: rectflow.CheckContext
) -> Iterable[rectflow.Violation]:
    """Every tagged measure without the discipline committee, in ledger-independent order."""
    if not context.enabled(CODE):
        return []
    options = context.options(CODE, ProcurementOptions)
    return [_violation(context, p, m) for p, m in measures_without_discipline(case, options)]


@rectflow.hookimpl
def rectflow_guard_transition(
    case: rectflow.Case, transition: rectflow.Transition, context: rectflow.CheckContext
) -> Iterable[rectflow.Violation]:
    """Closing a tagged measure without the discipline committee is blocked."""
    measure = transition.item
    if (
        transition.trigger not in RULE.blocking_triggers
        or not isinstance(measure, rectflow.Measure)
        or not context.enabled(CODE)
    ):
        return []
    options = context.options(CODE, ProcurementOptions)
    if options.tag not in measure.tags or _passes(measure, options):
        return []
    return [_violation(context, case.problem_of(measure.id), measure)]
