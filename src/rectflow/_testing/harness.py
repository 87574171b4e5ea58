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

from hypothesis import HealthCheck, Phase, note
from hypothesis import settings as Settings  # noqa: N812 - the parameter is called settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from rectflow._casefile.files import dumps_case
from rectflow._core.lifecycle import CASE_LIFECYCLE, ITEM_LIFECYCLE, fire, replay
from rectflow._core.model import Case
from rectflow._core.report import Report, Violation
from rectflow._rules.check import Checker
from rectflow._rules.plugins import CONFLICT, CRASHED, Plugins, plugin_manager
from rectflow._rules.policy import Policy
from rectflow._rules.policy_file import load_named_policy
from rectflow._testing.drawing import (
    _shift,
)
from rectflow._testing.strategies import (
    _legal_moves,
)
from rectflow.errors import (
    PolicyError,
    TransitionNotAllowed,
    UnknownItemError,
    UnknownTriggerError,
)

__all__ = ["Invariant", "workflow_test"]

Invariant = Callable[[Case, Report], None]
"""A user's invariant: called with the case and its report after every step; raises
``AssertionError`` when the case breaks it."""

Move = tuple[str, str | None]


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


def _any_moves(case: Case) -> st.SearchStrategy[Move]:
    """Any trigger of the right lifecycle on the case or any item, allowed or not."""
    ids = [i for p in case.problems() for i in (p.id, *(m.id for m in p.measures))]
    moves: list[Move] = [(t, None) for t in CASE_LIFECYCLE.triggers]
    moves += [(t, i) for i in ids for t in ITEM_LIFECYCLE.triggers]
    return st.sampled_from(moves)


# Names no lifecycle knows, and triggers of the other lifecycle (an item trigger on the case).
_NONSENSE: tuple[Move, ...] = (
    ("no_such_trigger", None),
    ("start", "no-such-item"),
    ("close", None),
    ("adopt_plan", "1.1"),
)


def _case_file(case: Case) -> str:
    """The case as case-file text, to read (and load) when a test fails; its repr if it has none."""
    try:
        return dumps_case(case)
    except Exception:  # a user's strategy may draw a case no case file can hold
        return repr(case)


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
            self.case = Case("none")
            # A copy of the case as it stood after the last step (the replayed one): what a
            # refused trigger and a check must leave the case equal to.
            self.snapshot = self.case
            self.on = dt.date(2024, 1, 1)

        @initialize(case=cases)
        def take_a_case(self, case: Case) -> None:
            self.case, self.snapshot = case, copy.deepcopy(case)
            self.on = _start_day(case)
            note(f"the case, as a case file:\n{_case_file(case)}")

        def fire(self, trigger: str, item: str | None, days: int) -> None:
            case = self.case
            on = _shift(self.on, days)
            logged = len(case.events)
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
            _expect(case == self.snapshot, f"{what} changed the case")

        @rule(data=st.data(), days=st.integers(0, max_gap_days))
        def fire_a_legal_trigger(self, data: st.DataObject, days: int) -> None:
            # The guards may still refuse it: that is the point of testing them.
            trigger, item = data.draw(st.sampled_from(_legal_moves(self.case)), label="move")
            self.fire(trigger, item, days)

        @rule(data=st.data(), days=st.integers(0, max_gap_days))
        def fire_any_trigger(self, data: st.DataObject, days: int) -> None:
            trigger, item = data.draw(_any_moves(self.case), label="move")
            self.fire(trigger, item, days)

        @rule(move=st.sampled_from(_NONSENSE))
        def fire_a_trigger_that_does_not_exist(self, move: Move) -> None:
            self.fire(*move, 0)

        @rule(days=st.integers(1, 400))
        def let_time_pass(self, days: int) -> None:
            self.on = _shift(self.on, days)

        @invariant()
        def the_log_replays_and_the_check_runs_and_the_invariants_hold(self) -> None:
            case = self.case
            rebuilt = replay(case)
            _expect(rebuilt == case, "the event log replays to another case")
            report = checker.check(case, self.on)
            _fail_on_crashes(report.violations, f"checking as of {self.on}")
            _expect(case == rebuilt, "checking the case changed it")
            for check in invariants:
                check(case, report)
            self.snapshot = rebuilt

    return Workflow


def _default_settings() -> Settings:
    """The active profile's settings, without deadlines and without the explain phase.

    A step's time varies with the case's size, so a deadline would only be noise; the explain
    phase traces every line while shrinking (before Python 3.12), which makes a failing
    workflow take minutes to shrink instead of seconds.
    """
    return Settings(
        deadline=None,
        phases=[phase for phase in Phase if phase is not Phase.explain],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


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
    on any item, or an unknown name) on a day that never goes back, or let days pass. The
    events it fires have the actor ``harness``, which tells them from a drawn case's history
    (fired without guards). After
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
        cases: where the cases come from (default:
            :func:`~rectflow.strategies.from_policy` of the policy, cases it accepts before any
            trigger is fired).
        settings: hypothesis settings for the test (``max_examples``,
            ``stateful_step_count``); default: the active profile's, with no deadline and
            without the explain phase (which makes shrinking slow).
        max_gap_days: the most days between one trigger and the next.

    Returns:
        A :class:`unittest.TestCase` subclass; its ``machine`` attribute is the underlying
        :class:`hypothesis.stateful.RuleBasedStateMachine`.

    Raises:
        InvalidArgument: the policy does not load, an invariant is not callable, or
            ``max_gap_days`` is negative.
    """
    from rectflow._testing.accepted import from_policy  # noqa: PLC0415 - accepted imports this module

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
    # hypothesis reads the settings off the test class in runTest.
    test.settings = settings if settings is not None else _default_settings()  # type: ignore[attr-defined]
    test.machine = machine  # type: ignore[attr-defined]  # for run_state_machine_as_test
    return test
