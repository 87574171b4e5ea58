"""Checking cases and guarding transitions with the registered plugins under a policy.

:func:`check` runs every plugin's ``rectflow_check_case`` on a case as of a date and returns a
:class:`rectflow.Report`; :func:`guards` turns the ``rectflow_guard_transition`` hook into guard
callables for :func:`rectflow.fire`. :class:`Checker` does the work once per policy, for callers
that check many cases.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from rectflow._core.asof import MovedIndexes, as_of_view
from rectflow._core.lifecycle import Guard, Transition
from rectflow._core.model import Case
from rectflow._core.report import Report, Violation
from rectflow._rules.calendar import Calendar, WeekdayFallback
from rectflow._rules.context import CheckContext
from rectflow._rules.plugins import Plugins, plugin_manager, speaking
from rectflow._rules.policy import Policy
from rectflow._rules.policy_file import load_named_policy, validate_policy
from rectflow._rules.schedules import with_schedules
from rectflow.errors import InvalidDateError, PolicyError, UnknownCalendarError

__all__ = ["Checker", "check", "guards"]


def _calendar(plugins: Plugins, policy: Policy) -> Calendar:
    try:
        calendar = plugins.calendar(policy.calendar.name, isolated=True)
    except UnknownCalendarError as error:
        raise PolicyError(
            policy.name,
            "calendar.name",
            f"no calendar named {error.name!r}",
            f"use one of: {', '.join(error.known)}, or install the plugin that provides it "
            "(rectflow-cn-workdays provides 'cn')",
        ) from error
    # Years the calendar does not know yet, from the policy's schedule files.
    calendar = with_schedules(calendar, policy.calendar.schedules)
    if policy.calendar.unknown_years == "weekdays":
        return WeekdayFallback(calendar)
    return calendar


@attrs.define
class Checker:
    """A policy made ready against the registered plugins: check many cases with it.

    Building one validates the policy against the plugins' rules (unknown rule codes, option
    names and values) and finds its calendar, so errors in the policy surface before any case
    is read.

    Attributes:
        plugins: the plugin manager.
        policy: the policy in force.
        calendar: the policy's calendar (with the Monday-Friday fallback when it asks for one).

    Raises:
        PolicyError: the policy names a rule, an option or a calendar that is not there.
    """

    plugins: Plugins
    policy: Policy
    calendar: Calendar = attrs.field(init=False)
    # Options depend on the policy and the rule only: built once, shared by every context.
    _options: dict[str, Any] = attrs.field(init=False, factory=dict, repr=False)
    # Per trigger: pluggy's guard implementations as last seen, and the plugins' guard calls
    # that can speak under this policy (``plugins.speaking``); the policy is frozen, so only a
    # plugin registered or removed makes it ask again.
    _speaking: dict[str, tuple[list[Any], list[Any]]] = attrs.field(
        init=False, factory=dict, repr=False, eq=False
    )
    _guard_hook: Any = attrs.field(init=False, default=None, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        validate_policy(self.policy, self.plugins.known_rules, source=self.policy.name)
        self.calendar = _calendar(self.plugins, self.policy)
        self._guard_hook = self.plugins.manager.hook.rectflow_guard_transition

    def context(self, as_of: dt.date) -> CheckContext:
        """A fresh context for one run of the checks as of ``as_of``."""
        if type(as_of) is not dt.date:
            raise InvalidDateError(as_of, "as_of must be a datetime.date (a day, no time)")
        context = CheckContext(as_of, self.policy, self.calendar, dict(self.plugins.rules))
        context.share_options(self._options)
        return context

    def check(self, case: Case, as_of: dt.date, *, file: str | None = None) -> Report:
        """Check ``case`` as of ``as_of``: every plugin's violations, sorted, in a report.

        The plugins see the case as it stood on ``as_of`` (:func:`rectflow.case_as_of`); the
        paths in the report point into ``case`` itself.
        """
        context = self.context(as_of)
        view, moved = as_of_view(case, as_of)
        violations = self.plugins.check_case(view, context)
        if moved:
            violations = _moved_back(violations, moved)
        return Report(
            case=case.id,
            as_of=as_of,
            policy=self.policy.name,
            violations=violations,
            caveats=context.caveats,
            file=file,
        )

    def guard(self, case: Case, transition: Transition) -> Iterable[Violation]:
        """The guard plugins' violations for ``transition``, judged as of its date (in a fresh
        context, as :meth:`context` gives; ``fire`` has checked the date).

        Built-in guards that declared they say nothing under this policy
        (``rules.guards_when``) are left out, and when no guard is left for the trigger no
        context is built: every guard that is called still gets a context of its transition's
        own."""
        calls = self._speaking_for(transition.trigger)
        if not calls:
            return ()
        plugins = self.plugins
        context = CheckContext._fresh(
            transition.on, self.policy, self.calendar, plugins.rules, self._options
        )
        return plugins._guard_with(calls, case, transition, context)

    def silent_for(self, trigger: str) -> bool:
        """True when no guard can return anything for ``trigger`` under this policy, whatever
        the case: every guard of the trigger is a built-in one that declared itself silent
        under the policy (``rules.guards_when``). ``fire`` then asks none (``Guard``)."""
        return not self._speaking_for(trigger)

    def _speaking_for(self, trigger: str) -> list[Any]:
        """The plugins' guard calls for ``trigger`` that can speak under this policy, kept
        while pluggy's implementations of the hook are the same objects (as ``Plugins``
        keeps its own orders): a plugin registered or removed makes it ask again."""
        impls = self._guard_hook.get_hookimpls()
        known = self._speaking.get(trigger)
        if known is None or known[0] != impls:
            # The declarations read the policy alone: any day serves for their context.
            calls = self.plugins._guards_for(trigger)
            known = (impls, speaking(calls, self.context(_ANY_DAY)))
            self._speaking[trigger] = known
        return known[1]


_ANY_DAY = dt.date(2000, 1, 1)


class _PolicyGuard:
    """What :func:`guards` returns: a :class:`Checker`'s guard, which also tells ``fire`` the
    triggers it has nothing to say of (``silent_for``), so that ``fire`` builds no transition
    for it to judge."""

    __slots__ = ("_guard", "_policy", "silent_for")

    def __init__(self, checker: Checker) -> None:
        self._guard = checker.guard
        self._policy = checker.policy.name
        self.silent_for = checker.silent_for

    def __call__(self, case: Case, transition: Transition) -> Iterable[Violation]:
        return self._guard(case, transition)

    def __repr__(self) -> str:
        return f"<guard of policy {self._policy!r}>"


_INDEXED = re.compile(r"^(disclosures|reviews|milestones)\[(\d+)\]")


def _moved_back(violations: Sequence[Violation], moved: MovedIndexes) -> list[Violation]:
    """Paths into a view that left out later entries, turned into paths into the case."""

    def back(violation: Violation) -> Violation:
        match = _INDEXED.match(violation.where)
        if match is None or match[1] not in moved:
            return violation
        original = moved[match[1]][int(match[2])]
        where = f"{match[1]}[{original}]{violation.where[match.end() :]}"
        return attrs.evolve(violation, where=where)

    return [back(v) for v in violations]


def _resolve(policy: Policy | str, plugins: Plugins) -> Policy:
    if isinstance(policy, Policy):
        return policy
    return load_named_policy(policy, plugins)


def check(
    case: Case,
    *,
    policy: Policy | str,
    as_of: dt.date,
    plugins: Plugins | None = None,
    file: str | None = None,
) -> Report:
    """Check a case as of a date under a policy.

    Args:
        case: the case.
        policy: a :class:`rectflow.Policy`, a preset's name (``"xuncha"``) or a policy file.
        as_of: the date to judge at (never the clock); the case is judged as it stood then
            (:func:`rectflow.case_as_of`).
        plugins: the plugin manager (:func:`rectflow.plugin_manager`); built when ``None``, so
            pass one when checking many cases.
        file: the case file the case came from, for the report.

    Returns:
        The :class:`rectflow.Report`: violations worst first, and the calendar's caveats.

    Raises:
        PolicyError: the policy is unknown or names a rule, option or calendar that is not there.
    """
    plugins = plugins if plugins is not None else plugin_manager()
    return Checker(plugins, _resolve(policy, plugins)).check(case, as_of, file=file)


def guards(plugins: Plugins | None, policy: Policy | str) -> list[Guard]:
    """Guards for :func:`rectflow.fire` from the plugins' ``rectflow_guard_transition``.

    Each transition is judged as of its own date. An error-level violation (a crash included)
    blocks it: ``fire`` raises :class:`rectflow.errors.TransitionNotAllowed` carrying the
    violations, and the case and its event log are unchanged.

    Args:
        plugins: the plugin manager; built when ``None``.
        policy: a :class:`rectflow.Policy`, a preset's name or a policy file.

    Returns:
        The guards to pass as ``fire(..., guards=...)``.
    """
    plugins = plugins if plugins is not None else plugin_manager()
    return [_PolicyGuard(Checker(plugins, _resolve(policy, plugins)))]
