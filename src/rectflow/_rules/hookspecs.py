"""The plugin contract: every hook rectflow calls, typed and documented.

Plugins implement hooks with :data:`hookimpl` (also exported as ``rectflow.hookimpl``) and are
found through the ``rectflow`` entry-point group. The built-in checks are plugins of exactly the
same kind. docs/hooks.md gives each hook its signature and an example.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from rectflow._core.lifecycle import Transition
    from rectflow._core.model import Case
    from rectflow._core.report import Violation
    from rectflow._rules.calendar import Calendar
    from rectflow._rules.context import CheckContext
    from rectflow._rules.rules import Rule

__all__ = [
    "PROJECT",
    "hookimpl",
    "hookspec",
    "rectflow_calendar",
    "rectflow_calendar_names",
    "rectflow_check_case",
    "rectflow_guard_transition",
    "rectflow_policy_presets",
    "rectflow_rules",
]

PROJECT = "rectflow"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def rectflow_rules() -> Iterable[Rule]:
    """Declare the rules a plugin checks.

    Called once when a plugin manager is built, to know every rule code, its default level and
    its options class: strict policy loading, ``rectflow policy init`` and the docs use them.

    Returns:
        The plugin's :class:`rectflow.Rule` declarations.
    """
    raise NotImplementedError


@hookspec
def rectflow_check_case(case: Case, context: CheckContext) -> Iterable[Violation]:
    """Check a case as of ``context.as_of`` under ``context.policy``.

    Called once per case by :func:`rectflow.check`. Skip rules that
    ``context.enabled(code)`` says are off; read options with ``context.options(code, cls)``;
    build violations with ``context.violation(...)``. Must not modify the case. The result must
    not depend on the order of the ledger. An exception is caught and reported as a
    ``plugin.crashed`` violation naming the plugin; the other plugins still run.

    Args:
        case: the case to check.
        context: the as-of date, the policy, the calendar and the declared rules.

    Returns:
        The violations found (an empty iterable when none).
    """
    raise NotImplementedError


@hookspec
def rectflow_guard_transition(
    case: Case, transition: Transition, context: CheckContext
) -> Iterable[Violation]:
    """Judge a transition before it happens.

    Called by :func:`rectflow.fire` (through :func:`rectflow.guards`) before the state
    changes. An error-level violation blocks the transition: ``fire`` raises
    :class:`rectflow.errors.TransitionNotAllowed` carrying the violations and nothing changes.
    Warnings do not block.

    Args:
        case: the case as it is before the transition.
        transition: the trigger, the target, the source and destination states, the date.
        context: the as-of date (the transition's date), the policy and the calendar.

    Returns:
        The violations the transition would cause.
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def rectflow_calendar(name: str) -> Calendar | None:
    """Provide the working-day calendar called ``name`` (e.g. ``"cn"``).

    Called when a policy or ``--calendar`` names a calendar. The first plugin that returns one
    wins; return ``None`` for names you do not provide. Without any, ``weekdays`` (Monday-Friday,
    holidays not considered) is the core's own.

    Args:
        name: the calendar's name.

    Returns:
        A :class:`rectflow.Calendar`, or ``None``.
    """
    raise NotImplementedError


@hookspec
def rectflow_calendar_names() -> Iterable[str]:
    """Name the calendars this plugin provides through :func:`rectflow_calendar`.

    Called to list the known calendars: in the error for a policy or ``--calendar`` naming a
    calendar no plugin provides, and by ``rectflow policy init``. A calendar plugin implements
    both hooks.

    Returns:
        The names :func:`rectflow_calendar` answers to (e.g. ``("cn",)``).
    """
    raise NotImplementedError


@hookspec
def rectflow_policy_presets() -> Iterable[tuple[str, str]]:
    """Contribute policy presets.

    Called by ``rectflow policy list`` and when a policy is asked for by name.

    Returns:
        ``(name, toml_text)`` pairs; the text is a policy file (docs/policies.md).
    """
    raise NotImplementedError
