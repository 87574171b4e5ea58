"""Responsibility: every measure says who answers for it and by when (责任清单, 任务清单).

The central expectation is three lists — problems, tasks and responsibilities — and the seed
notices all say their plans "明确责任领导、责任部门、责任人和完成时限". These rules check that the
ledger's measures carry them. Whether the due dates are *met* is ``deadline.overdue``.

Each rule below gives its options (with units and defaults), its level and basis, and a PASS
and a FAIL example: complete case files (docs/case-file.md), checked as of the date given, with
the options given (tests/checks/test_check_docs.py checks every example).

Rules
=====

responsibility.assigned
    Every measure names whom the policy requires: ``require = ["any"]`` (the default) asks for
    at least one of a responsible leader, department or person; naming roles asks for each of
    them, e.g. ``require = ["department", "person"]``.

    * ``require``: a list of ``leader``, ``department``, ``person``, or ``["any"]``; default
      ``["any"]``.
    * Level: error. Basis: the responsibility list (责任清单; RULES.md #14).

    PASS (as of 2024-07-01)::

        schema = 1
        id = "assigned"
        feedback_on = 2024-03-28

        [[categories]]
        id = "1"

        [[categories.problems]]
        id = "1.1"

        [[categories.problems.measures]]
        id = "1.1.1"
        due_on = 2024-06-30
        responsibility = { department = "医务部" }

    FAIL (with ``require = ["department", "person"]``; as of 2024-07-01; no person)::

        schema = 1
        id = "no-person"
        feedback_on = 2024-03-28

        [[categories]]
        id = "1"

        [[categories.problems]]
        id = "1.1"

        [[categories.problems.measures]]
        id = "1.1.1"
        due_on = 2024-06-30
        responsibility = { department = "医务部" }

responsibility.due-date
    Every measure has a due date (整改时限, ``due_on``). Long-term measures (长期坚持) are
    exempt unless ``exempt_long_term = false``: their time limit is "long-term".

    * ``exempt_long_term``: a boolean; default ``true``.
    * Level: error. Basis: the task list (任务清单; RULES.md #14).

    PASS (as of 2024-07-01)::

        schema = 1
        id = "dated"
        feedback_on = 2024-03-28

        [[categories]]
        id = "1"

        [[categories.problems]]
        id = "1.1"

        [[categories.problems.measures]]
        id = "1.1.1"
        due_on = 2024-06-30
        responsibility = { department = "医务部" }

    FAIL (as of 2024-07-01)::

        schema = 1
        id = "undated"
        feedback_on = 2024-03-28

        [[categories]]
        id = "1"

        [[categories.problems]]
        id = "1.1"

        [[categories.problems.measures]]
        id = "1.1.1"
        responsibility = { department = "医务部" }
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

import attrs

from rectflow._core.model import Case, ItemState, Responsibility
from rectflow._core.report import Level, Violation
from rectflow._i18n import N_, Msg
from rectflow._rules.context import CheckContext
from rectflow._rules.hookspecs import hookimpl
from rectflow._rules.rules import Rule
from rectflow.checks._emit import Emitter
from rectflow.checks._where import measure_where

__all__ = [
    "RULES",
    "AssignedOptions",
    "DueDateOptions",
    "Role",
    "rectflow_check_case",
    "rectflow_rules",
]

Role = Literal["any", "leader", "department", "person"]
_ROLES = ("any", "leader", "department", "person")
_ROLE_ZH = {"leader": "责任领导", "department": "责任部门", "person": "责任人"}


def _valid_require(
    _: object, __: attrs.Attribute[tuple[Role, ...]], value: tuple[str, ...]
) -> None:
    unknown = [role for role in value if role not in _ROLES]
    if unknown:
        raise ValueError(
            Msg("unknown role(s) {unknown}: use {known}", unknown=unknown, known=", ".join(_ROLES))
        )
    if "any" in value and len(value) > 1:
        raise ValueError(Msg.of(N_('"any" stands alone: list the roles instead, or just ["any"]')))


@attrs.frozen
class AssignedOptions:
    """Options of ``responsibility.assigned``.

    Attributes:
        require: the roles every measure names (``leader``, ``department``, ``person``), or
            ``("any",)``: at least one of them.
    """

    require: tuple[Role, ...] = attrs.field(
        default=("any",), converter=tuple, validator=_valid_require
    )


@attrs.frozen
class DueDateOptions:
    """Options of ``responsibility.due-date``.

    Attributes:
        exempt_long_term: long-term (长期坚持) measures need no due date.
    """

    exempt_long_term: bool = True


_LISTS = "the three lists: problems, tasks, responsibilities (三清单; RULES.md #14)"
ASSIGNED = Rule(
    "responsibility.assigned",
    Level.ERROR,
    AssignedOptions,
    N_("Every measure names a responsible leader, department or person as the policy requires."),
    basis=_LISTS,
)
DUE_DATE = Rule(
    "responsibility.due-date",
    Level.ERROR,
    DueDateOptions,
    N_("Every measure has a due date."),
    basis=_LISTS,
)

RULES: tuple[Rule, ...] = (ASSIGNED, DUE_DATE)


@hookimpl
def rectflow_rules() -> Iterable[Rule]:
    """The responsibility rules."""
    return RULES


@hookimpl
def rectflow_check_case(case: Case, context: CheckContext) -> Iterable[Violation]:
    """Check every measure for a responsibility and a due date."""
    assigned, dated = context.enabled(ASSIGNED.code), context.enabled(DUE_DATE.code)
    if not (assigned or dated):
        return []
    return list(_check_measures(case, context, assigned=assigned, dated=dated))


def _check_measures(
    case: Case, context: CheckContext, *, assigned: bool, dated: bool
) -> Iterator[Violation]:
    # One pass, a few attribute reads per measure; roles, levels and bases are resolved once.
    roles: tuple[str, ...] = ()
    if assigned:
        require = context.options(ASSIGNED.code, AssignedOptions).require
        roles = () if require == ("any",) else tuple(r for r in _ROLES if r in require)
    exempt = dated and context.options(DUE_DATE.code, DueDateOptions).exempt_long_term
    unassigned, undated = Emitter(context, ASSIGNED.code), Emitter(context, DUE_DATE.code)
    long_term = ItemState.LONG_TERM
    for category in case.categories:
        for problem in category.problems:
            for measure in problem.measures:
                if assigned:
                    who = measure.responsibility
                    if who is None or (who.is_empty() if not roles else _missing(who, roles)):
                        yield _unassigned(unassigned, problem.id, measure.id, who, roles)
                if dated and measure.due_on is None and not (exempt and measure.state is long_term):
                    yield undated(
                        measure_where(problem.id, measure.id),
                        f"measure {measure.id} has no due date",
                        f"整改措施{measure.id}未明确整改时限",
                        "set the measure's due_on (整改时限)",
                    )


def _missing(who: Responsibility, roles: tuple[str, ...]) -> bool:
    return any(getattr(who, role) is None for role in roles)


def _unassigned(
    emit: Emitter,
    problem_id: str,
    measure_id: str,
    who: Responsibility | None,
    roles: tuple[str, ...],
) -> Violation:
    if roles:
        lacking = [r for r in roles if who is None or getattr(who, r) is None]
        message = f"measure {measure_id} lacks " + " and ".join(
            f"a responsible {r}" for r in lacking
        )
        names_zh = "、".join(_ROLE_ZH[r] for r in lacking)
    else:
        message = f"measure {measure_id} names no responsible leader, department or person"
        names_zh = "责任领导、责任部门或责任人"
    return emit(
        measure_where(problem_id, measure_id),
        message,
        f"整改措施{measure_id}未明确{names_zh}",
        "name them in the measure's responsibility (leader, department, person)",
    )
