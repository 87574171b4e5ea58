"""Extensions of deadlines (延期): the checks and the guard of ``deadline.extensions``.

The rule's declaration, options and documentation are in :mod:`rectflow.checks.deadline`, which
calls these with its options.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Protocol

import attrs

from rectflow._core.lifecycle import Transition
from rectflow._core.model import Case, Measure, Problem
from rectflow._core.report import Violation
from rectflow._core.supervision import Extension, extensions, item_facts
from rectflow._i18n import N_
from rectflow._rules.context import CheckContext
from rectflow.checks._where import item_words, measure_where, problem_where

__all__ = ["Limits", "check_extensions", "guard_extension", "valid_roles"]


class Limits(Protocol):
    """What the rule's options say (``deadline.ExtensionsOptions``)."""

    @property
    def max_extensions(self) -> int | None: ...

    @property
    def approver_roles(self) -> tuple[str, ...]: ...


def valid_roles(_: object, __: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    """Refuse a blank role name (it could never match an extension's role)."""
    blank = [role for role in value if not isinstance(role, str) or not role.strip()]
    if blank:
        raise ValueError(f'approver_roles holds {blank!r}: name each role, e.g. "领导小组"')


def check_extensions(
    case: Case, context: CheckContext, code: str, options: Limits
) -> list[Violation]:
    """Items extended more often than allowed, and extensions by roles not named: one pass
    over the log (:func:`rectflow.item_facts`) and one over the ledger."""
    if options.max_extensions is None and not options.approver_roles:
        return []
    extended = {item: f.extensions for item, f in item_facts(case).items() if f.extensions}
    if not extended:
        return []
    found: list[Violation] = []
    for problem in case.problems():
        if problem.id in extended:
            found.extend(_judge(context, code, options, problem, problem.id, extended[problem.id]))
        for measure in problem.measures:
            if measure.id in extended:
                found.extend(
                    _judge(context, code, options, measure, problem.id, extended[measure.id])
                )
    return found


def _named(item: Problem | Measure, problem_id: str) -> tuple[str, str, str]:
    """The item's path, and its name in English and in Chinese."""
    what, what_zh = item_words(item)
    if isinstance(item, Problem):
        return problem_where(item.id), what, what_zh
    return measure_where(problem_id, item.id), what, what_zh


def _role_text(role: str | None) -> tuple[str, str]:
    if role is None:
        return "no role recorded", "未记录批准人职责"
    return f"role {role}", f"职责：{role}"


def _judge(
    context: CheckContext,
    code: str,
    options: Limits,
    item: Problem | Measure,
    problem_id: str,
    made: Sequence[Extension],
) -> Iterator[Violation]:
    where, what, what_zh = _named(item, problem_id)
    most = options.max_extensions
    if most is not None and len(made) > most:
        over = made[most]
        yield context.violation(
            code,
            where=where,
            message=(
                f"{what} has {len(made)} approved extensions, more than the {most} the policy "
                f"allows: extension {most + 1}, approved {over.on} by {over.approver}, moved the "
                f"deadline from {over.previous_due_on} to {over.due_on}"
            ),
            message_zh=(
                f"{what_zh}经{len(made)}次延期，超过允许的{most}次：第{most + 1}次延期于{over.on}"
                f"经{over.approver}批准，完成时限由{over.previous_due_on}调整为{over.due_on}"
            ),
            hint=N_(
                "complete the item by its deadline; past the policy's extensions, escalate "
                "(告诫书, 问责) rather than extend"
            ),
            actual=over.on,
            option="max_extensions",
        )
    roles = options.approver_roles
    if not roles:
        return
    named = "、".join(roles)
    for extension in made:
        if extension.role in roles:
            continue
        role, role_zh = _role_text(extension.role)
        yield context.violation(
            code,
            where=where,
            message=(
                f"the extension of {what} approved {extension.on} by {extension.approver} "
                f"({role}) is not approved by a role the policy names ({', '.join(roles)})"
            ),
            message_zh=(
                f"{what_zh}于{extension.on}的延期由{extension.approver}批准（{role_zh}），"
                f"不属于有权批准延期的{named}"
            ),
            hint=N_(
                "have one of the named roles approve extensions, and record the role "
                "(rectflow.extend(…, role=…))"
            ),
            actual=extension.on,
            option="approver_roles",
        )


def guard_extension(
    case: Case, transition: Transition, context: CheckContext, code: str, options: Limits
) -> list[Violation]:
    """The refusals of a pending ``extend``: past the limit, or by a role not named."""
    item = transition.item
    if item is None:
        return []
    most, roles = options.max_extensions, options.approver_roles
    if most is None and not roles:
        return []
    problem_id = item.id if isinstance(item, Problem) else case.problem_of(item.id).id
    where, what, what_zh = _named(item, problem_id)
    found: list[Violation] = []
    if most is not None:
        count = len(extensions(case, item.id)) + 1
        if count > most:
            found.append(
                context.violation(
                    code,
                    where=where,
                    message=(
                        f"{what} can't be extended again: this would be its extension "
                        f"{count}, and the policy allows {most}"
                    ),
                    message_zh=f"{what_zh}不能再延期：这将是第{count}次延期，超过允许的{most}次",
                    hint=N_("complete the item by its deadline, or escalate (告诫书, 问责)"),
                    actual=transition.on,
                    option="max_extensions",
                )
            )
    role = transition.data.get("role")
    if roles and role not in roles:
        approver = transition.data.get("approver")
        shown, shown_zh = _role_text(role if isinstance(role, str) else None)
        found.append(
            context.violation(
                code,
                where=where,
                message=(
                    f"the extension of {what} can't be approved by {approver} ({shown}): the "
                    f"policy names {', '.join(roles)}"
                ),
                message_zh=(
                    f"{what_zh}的延期不能由{approver}批准（{shown_zh}），有权批准的是"
                    f"{'、'.join(roles)}"
                ),
                hint=N_(
                    "have one of the named roles approve it and pass role=… to rectflow.extend"
                ),
                actual=transition.on,
                option="approver_roles",
            )
        )
    return found
