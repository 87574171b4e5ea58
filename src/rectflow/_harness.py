"""The stateful harness: a hypothesis state machine that works a case with random triggers.

:func:`workflow_test` returns a :class:`unittest.TestCase` (pytest and unittest both run it) whose
one test draws a case, then fires random triggers on the case and its items — the legal ones the
lifecycle allows, any trigger on any item, and names that do not exist — with the guards of the
given plugins under the given policy, and lets time pass. After every step it checks that

* a refused trigger (illegal, unknown, or blocked by a guard) changed nothing: the case equals
  its copy from before and the event log is as long as it was;
* an accepted trigger appended exactly its event;
* the event log replays to the case (:func:`rectflow.replay`);
* :func:`rectflow.check` runs without a plugin crashing (a ``plugin.crashed`` or
  ``plugin.conflict`` violation fails the test, naming the plugin) and without changing the case;
* each of the user's invariants, called with the case and the check's report, returns quietly.

Hypothesis shrinks a failure to a short sequence of steps and prints it.
"""

from __future__ import annotations

import copy
import datetime as dt
import unittest
from collections.abc import Callable, Iterable, Sequence

from hypothesis import note
from hypothesis import settings as Settings  # noqa: N812 - the parameter is called settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from rectflow._check import Checker
from rectflow._lifecycle import CASE_LIFECYCLE, ITEM_LIFECYCLE, fire, replay
from rectflow._model import Case
from rectflow._plugins import CONFLICT, CRASHED, Plugins, plugin_manager
from rectflow._policy import Policy
from rectflow._policy_file import load_named_policy
from rectflow._report import Report, Violation
from rectflow.errors import (
    PolicyError,
    TransitionNotAllowed,
    UnknownItemError,
    UnknownTriggerError,
)
from rectflow.strategies import _legal_moves, _shift

__all__ = ["Invariant", "workflow_test"]

Invariant = Callable[[Case, Report], None]
"""A user's invariant: called with the case and its report after every step; raises
``AssertionError`` when the case breaks it."""

Move = tuple[str, str | None]
_NO_SUCH_TRIGGER = "no_such_trigger"
_NO_SUCH_ITEM = "no-such-item"


def _plugins(plugins: Plugins | Iterable[object] | None) -> Plugins:
    """A plugin manager: the one given, or the built-in checks plus the plugin objects given."""
    if isinstance(plugins, Plugins):
        return plugins
    manager = plugin_manager(load_entry_points=False)
    for plugin in plugins or ():
        # A module by its name, an instance by its class's: failures then name the plugin.
        base = getattr(plugin, "__name__", None) or type(plugin).__qualname__
        name, n = base, 1
        while manager.manager.has_plugin(name):
            n += 1
            name = f"{base}-{n}"
        manager.register(plugin, name)
    return manager


def _fail_on_crashes(violations: Iterable[Violation], during: str) -> None:
    """Fail the test when a plugin crashed or two plugins claim one rule code."""
    broken = [v for v in violations if v.code in (CRASHED, CONFLICT)]
    if broken:
        raise AssertionError(
            "; ".join(f"plugin {v.plugin!r} failed {during}: {v.message}" for v in broken)
        )


def _expect(condition: bool, message: str) -> None:
    """Fail the test with ``message`` (an ``assert`` would vanish under ``python -O``)."""
    if not condition:
        raise AssertionError(message)


def _moves(case: Case) -> st.SearchStrategy[Move]:
    """Legal moves first (what a failure shrinks to), then any trigger anywhere, then nonsense."""
    ids = [i for p in case.problems() for i in (p.id, *(m.id for m in p.measures))]
    anything: list[Move] = [(t, None) for t in CASE_LIFECYCLE.triggers]
    anything += [(t, i) for i in ids for t in ITEM_LIFECYCLE.triggers]
    nonsense: list[Move] = [
        (_NO_SUCH_TRIGGER, None),
        ("start", _NO_SUCH_ITEM),
        # A trigger of the other lifecycle: an item trigger on the case and the other way round.
        ("close", None),
        *((("adopt_plan", ids[0]),) if ids else ()),
    ]
    return st.one_of(
        st.sampled_from(_legal_moves(case)), st.sampled_from(anything), st.sampled_from(nonsense)
    )


def _start_day(case: Case) -> dt.date:
    """The first day the harness fires on: the feedback date's last day, or the last event."""
    days = [e.on for e in case.events]
    if case.feedback_on is not None:
        days.append(case.feedback_on.latest)
    return max(days) if days else dt.date(2024, 1, 1)


def _machine(
    checker: Checker,
    cases: st.SearchStrategy[Case],
    invariants: tuple[Invariant, ...],
    max_gap_days: int,
) -> type[RuleBasedStateMachine]:
    """The state machine class, closed over what :func:`workflow_test` was given."""
    guards = [checker.guard]

    class Workflow(RuleBasedStateMachine):
        """Works one case with random triggers; see the module docstring."""

        def __init__(self) -> None:
            super().__init__()
            self.case: Case | None = None
            self.on = dt.date(2024, 1, 1)

        @initialize(case=cases)
        def take_a_case(self, case: Case) -> None:
            self.case = case
            self.on = _start_day(case)
            note(f"case {case.id}: {case.state.value}, {len(list(case.problems()))} problems")

        @rule(data=st.data())
        def fire_a_trigger(self, data: st.DataObject) -> None:
            case = self.case
            if case is None:  # pragma: no cover - the initialize rule always runs first
                return
            trigger, item = data.draw(_moves(case), label="trigger, item")
            on = _shift(self.on, data.draw(st.integers(0, max_gap_days), label="days later"))
            before, logged = copy.deepcopy(case), len(case.events)
            try:
                event = fire(case, trigger, item=item, on=on, actor="harness", guards=guards)
            except TransitionNotAllowed as refused:
                _fail_on_crashes(refused.violations, f"guarding {trigger}")
                note(f"refused: {refused}")
            except (UnknownTriggerError, UnknownItemError) as unknown:
                note(f"refused: {unknown}")
            else:
                _expect(len(case.events) == logged + 1, "an accepted trigger logs one event")
                _expect(case.events[-1] == event, "the event fired is the last one logged")
                self.on = on
                return
            what = f"the refused {trigger} on {item or 'the case'}"
            _expect(len(case.events) == logged, f"{what} changed the event log")
            _expect(case == before, f"{what} changed the case")

        @rule(days=st.integers(1, 400))
        def time_passes(self, days: int) -> None:
            self.on = _shift(self.on, days)

        @invariant()
        def the_event_log_replays_to_the_case(self) -> None:
            if self.case is not None:
                _expect(
                    replay(self.case) == self.case, "replaying the event log gives another case"
                )

        @invariant()
        def check_runs_and_the_invariants_hold(self) -> None:
            case = self.case
            if case is None:
                return
            before = copy.deepcopy(case)
            report = checker.check(case, self.on)
            _fail_on_crashes(report.violations, f"checking as of {self.on}")
            _expect(case == before, "checking the case changed it")
            for check in invariants:
                check(case, report)

    return Workflow


def workflow_test(
    *,
    plugins: Plugins | Iterable[object] | None = None,
    policy: Policy | str = "xuncha",
    invariants: Sequence[Invariant] = (),
    cases: st.SearchStrategy[Case] | None = None,
    settings: Settings | None = None,
    max_gap_days: int = 30,
) -> type[unittest.TestCase]:
    """A stateful test of a workflow: random triggers on random items, with the plugins' guards.

    Assign the result to a name starting with ``Test`` in a test module and pytest (or unittest)
    runs it::

        import rectflow.strategies as rs
        import my_plugin

        TestMyPlugin = rs.workflow_test(plugins=[my_plugin], policy="xuncha")

    Each example draws a case, then steps: fire a trigger (legal by the lifecycle, any trigger
    on any item, or an unknown name) on a day that never goes back, or let days pass. After
    every step the harness checks that a refused trigger changed nothing, that the event log
    replays to the case, that checking the case under the policy crashes no plugin and changes
    nothing, and that every invariant holds.

    Args:
        plugins: a plugin manager (:func:`rectflow.plugin_manager`), or plugin objects (modules,
            instances) to register beside the built-in checks (default: the built-in checks
            only; installed entry points are not loaded, so the test sees what you give it).
        policy: the policy (a :class:`rectflow.Policy`, a preset's name or a file) whose guards
            apply and under which the case is checked.
        invariants: callables ``(case, report) -> None`` that raise ``AssertionError`` when the
            case breaks them; ``report`` is the check of the case as of the current day.
        cases: where the cases come from (default: :func:`from_policy` of the policy, cases it
            accepts before any trigger is fired).
        settings: hypothesis settings for the test (``max_examples``,
            ``stateful_step_count``); default: the active profile's.
        max_gap_days: the most days between one trigger and the next.

    Returns:
        A :class:`unittest.TestCase` subclass; its ``machine`` attribute is the underlying
        :class:`hypothesis.stateful.RuleBasedStateMachine`.

    Raises:
        InvalidArgument: the policy does not load, an invariant is not callable, or
            ``max_gap_days`` is negative.
    """
    from rectflow.strategies import from_policy  # noqa: PLC0415 - strategies imports this module

    manager = _plugins(plugins)
    try:
        resolved = policy if isinstance(policy, Policy) else load_named_policy(policy, manager)
        checker = Checker(manager, resolved)
    except PolicyError as error:
        raise InvalidArgument(f"policy={policy!r} can't be used: {error}") from None
    checks = tuple(invariants)
    for check in checks:
        if not callable(check):
            raise InvalidArgument(f"invariants must be callables (case, report); got {check!r}")
    if max_gap_days < 0:
        raise InvalidArgument(f"max_gap_days={max_gap_days} must be at least 0")
    if cases is None:
        cases = from_policy(resolved, plugins=manager)
    machine = _machine(checker, cases, checks, max_gap_days)
    machine.__name__ = machine.__qualname__ = f"Workflow_{resolved.name}"
    test: type[unittest.TestCase] = machine.TestCase
    if settings is not None:
        test.settings = settings  # type: ignore[attr-defined]  # hypothesis reads it in runTest
    test.machine = machine  # type: ignore[attr-defined]  # for run_state_machine_as_test
    return test
