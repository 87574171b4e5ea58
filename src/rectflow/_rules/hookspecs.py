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
    import datetime as dt

    from rectflow._core.events import Event
    from rectflow._core.lifecycle import Transition
    from rectflow._core.model import Case
    from rectflow._core.report import Violation
    from rectflow._rules.calendar import Calendar
    from rectflow._rules.context import CheckContext
    from rectflow._rules.ladder import EscalationNotice
    from rectflow._rules.rules import Rule

__all__ = [
    "PROJECT",
    "hookimpl",
    "hookspec",
    "rectflow_calendar",
    "rectflow_calendar_names",
    "rectflow_check_case",
    "rectflow_escalation_notices",
    "rectflow_event_recorded",
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


@hookspec
def rectflow_event_recorded(case: Case, event: Event) -> None:
    """Be told of an event just recorded, to notify someone or sync a ticket.

    Called by the command line after each event it records and saves (``rectflow fire`` and
    the editing commands), once per event, in the order recorded; a host that records events
    through the Python API calls :meth:`rectflow.Plugins.event_recorded` itself. The event is
    already in ``case.events``; the hook must not modify the case. What it raises is reported
    as a ``plugin.crashed`` violation naming the plugin; the event stays recorded, the other
    plugins are still called and the command's exit code does not change.

    Args:
        case: the case as it is after the event.
        event: the event recorded (``case.events[-1]``).
    """
    raise NotImplementedError


@hookspec
def rectflow_escalation_notices(notices: tuple[EscalationNotice, ...], as_of: dt.date) -> None:
    """Deliver an agenda's escalation notices (e-mail, DingTalk, WeCom, tickets).

    Called once per agenda run that asks for it (``rectflow agenda --notify``, or
    :func:`rectflow.agenda` with ``notify=True``), with every notice of the run, even when there
    is none (an empty tuple), sorted by urgency. rectflow never sends anything itself; never
    called without the explicit request. What the hook raises is reported as a
    ``plugin.crashed`` violation naming the plugin; the other plugins are still called.

    Args:
        notices: the run's notices (:class:`rectflow.EscalationNotice`), most urgent first.
        as_of: the day the agenda was computed for.
    """
    raise NotImplementedError
