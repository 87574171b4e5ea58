"""The stateful harness: a hypothesis state machine that works a case with random triggers and
edits.

:func:`workflow_test` returns a :class:`unittest.TestCase` (pytest and unittest both run it) whose
one test draws a case, then fires random triggers on the case and its items — the legal ones the
lifecycle allows (a rejection with its reason), any trigger on any item with or without a reason,
and names that do not exist — and records legal edits through the public API (``assign``,
``set_due``, ``extend``, ``edit_text``, ``add_evidence``, ``add_measure``, ``add_problem``,
``record_accountability``, ``evaluate``), with the guards of the given plugins under the given
policy, and lets time pass. Half of the legal moves are ones whose
(state, trigger) pair the example has not tried yet (before, on or after the target's due date),
and time often passes to exactly an item's due date, the day before or after it, a month's end
or a 29 February. After every step that changed the case or the day it checks that

* a refused trigger or edit (illegal, unknown, a rejection without its reason, or blocked by a
  guard) changed nothing: the case equals its copy from before and the event log is as long as
  it was;
* an accepted trigger or edit appended exactly its event;
* the event log replays to the case (:func:`rectflow.replay`);
* :func:`rectflow.check` runs without a plugin crashing (a ``plugin.crashed`` or
  ``plugin.conflict`` violation fails the test, naming the plugin) and without changing the case;
* each of the user's invariants, called with the case and the check's report, returns quietly.

Hypothesis shrinks a failure to a short sequence of steps and prints it: the case once, as a case
file, then the steps; a plugin's crash carries the plugin's own traceback (its hook is called
again alone, outside the isolation that turned the crash into a violation).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import importlib
import pkgutil
import re
import unittest
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, cast

import attrs
from hypothesis import HealthCheck, Phase
from hypothesis import note as note_later
from hypothesis import settings as Settings  # noqa: N812 - the parameter is called settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from rectflow._casefile.files import dumps_case
from rectflow._core.events import Event
from rectflow._core.lifecycle import (
    CASE_LIFECYCLE,
    ITEM_LIFECYCLE,
    REASON_REQUIRED,
    Transition,
    fire,
    replay,
)
from rectflow._core.model import Case
from rectflow._core.report import Report, Violation
from rectflow._rules.check import Checker
from rectflow._rules.plugins import CONFLICT, CRASHED, Plugins, plugin_manager
from rectflow._rules.policy import Policy
from rectflow._rules.policy_file import load_named_policy
from rectflow._testing.drawing import _REASONS, _leap_days, _month_end, _shift
from rectflow._testing.steps import _edit, legal_moves
from rectflow._testing.strategies import _new_problem
from rectflow.errors import (
    MissingReasonError,
    PolicyError,
    TransitionNotAllowed,
    UnknownItemError,
    UnknownTriggerError,
)

__all__ = ["ACCEPTOR", "ACTOR", "Invariant", "workflow_test"]

Invariant = Callable[[Case, Report], None]
"""A user's invariant: called with the case and its report after every step; raises
``AssertionError`` when the case breaks it."""

Move = tuple[str, str | None]

STEPS = 50
"""The harness's default number of steps per example (hypothesis's own default): with the
acceptance triggers and the edits to spread over, 30 steps missed a forgotten guard in 2 runs of
10 (docs/testing.md, "What the defaults find")."""
_HYPOTHESIS_STEPS = 50  # hypothesis's default stateful_step_count: a profile that kept it


# Modules that are not importable on their own: alembic runs its environment script itself.
_NOT_MODULES = frozenset({"rectflow._store.migrations.env"})
_loaded = False


def _load_every_module() -> None:
    """Import every module of rectflow, once per process, before the harness draws anything.

    Hypothesis draws one number or text in twenty from the literals of the *local* modules
    (modules outside site-packages, test files excepted) that ``sys.modules`` holds when a test
    case starts. With rectflow installed editable, as in its own repository, that pool grew
    with whatever the process had imported: the same seed explored other examples after
    ``import rectflow._dashboard.page`` (rectflow's lazy ``__init__`` makes the set vary from
    process to process), and the planted forgotten guard was found in 6 fresh runs of 10 in a
    bare process but 9 after the dashboard was imported. With all of rectflow loaded first, the
    pool holds the same literals whatever came before. A module whose optional dependency is
    not installed is left out: the pool then depends on the environment, not the history.
    """
    global _loaded  # noqa: PLW0603 - once per process
    if _loaded:
        return
    package = importlib.import_module("rectflow")
    for module in pkgutil.walk_packages(package.__path__, "rectflow."):
        if module.name in _NOT_MODULES:
            continue
        try:
            importlib.import_module(module.name)
        except ImportError:  # an optional dependency is missing
            continue
    _loaded = True


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


_HOOK = re.compile(r" in (rectflow_[a-z_]+)")


def _again(
    plugins: Plugins, plugin: str, hook: str, kwargs: Mapping[str, Any]
) -> BaseException | None:
    """What ``plugin``'s own ``hook`` raises when called again alone, outside the isolation that
    turned its crash into a violation; None when it does not raise this time."""
    for impl in getattr(plugins.manager.hook, hook).get_hookimpls():
        if impl.plugin_name != plugin or impl.hookwrapper or impl.wrapper:
            continue
        try:
            result = impl.function(*(kwargs[arg] for arg in impl.argnames))
            if result is not None and not isinstance(result, str | bytes):
                list(result)
        except (KeyboardInterrupt, GeneratorExit):
            raise
        except BaseException as error:  # the plugin's own exception, SystemExit included
            return error
    return None


def _fail_on_crashes(
    violations: Iterable[Violation],
    during: str,
    again: Callable[[str, str], BaseException | None] | None = None,
) -> None:
    """Fail the test when a plugin crashed or two plugins claim one rule code.

    ``again(plugin, hook)`` calls the crashed plugin's hook once more, alone: what it raises
    becomes the failure's cause, so the report shows the plugin's own traceback (its file, line
    and code), not only the ``plugin.crashed`` message.
    """
    broken = [v for v in violations if v.code in (CRASHED, CONFLICT)]
    if not broken:
        return
    message = "; ".join(f"plugin {v.plugin!r} failed {during}: {v.message}" for v in broken)
    cause = None
    for v in broken:
        hook = _HOOK.search(v.message)
        if again is not None and v.code == CRASHED and v.plugin and hook is not None:
            cause = again(v.plugin, hook[1])
            if cause is not None:
                break
    if cause is None:
        raise AssertionError(message)
    raise AssertionError(
        f"{message}\n(the traceback above is {cause.__class__.__name__} from the plugin's own "
        "code, called again alone with the same case)"
    ) from cause


def _expect(condition: bool, message: str) -> None:
    """Fail the test with ``message`` (an ``assert`` would vanish under ``python -O``)."""
    if not condition:
        raise AssertionError(message)


# Names no lifecycle knows, and triggers of the other lifecycle (an item trigger on the case).
_NONSENSE: tuple[Move, ...] = (
    ("no_such_trigger", None),
    ("start", "no-such-item"),
    ("close", None),
    ("adopt_plan", "1.1"),
)


ACTOR = "harness"
"""The actor of the triggers and edits the harness makes."""
ACCEPTOR = "harness-acceptor"
"""The actor of its acceptances and rejections: the acceptor differs from those who did the work
(the presets' ``acceptance.independent`` refuses an acceptance by them)."""
_ACCEPTANCE = frozenset({"accept", "reject"})
_REASON = st.sampled_from(_REASONS)
_EDIT_OR_TRIGGER = st.integers(0, 2)  # 0: an edit; a third of the rule's steps
_MAYBE_REASON = st.one_of(st.none(), st.just(""), _REASON)


def _any_moves(case: Case) -> st.SearchStrategy[Move]:
    """Any trigger of the right lifecycle on the case or any item, allowed or not, and a few
    names that do not exist."""
    ids = [i for p in case.problems() for i in (p.id, *(m.id for m in p.measures))]
    moves: list[Move] = [(t, None) for t in CASE_LIFECYCLE.triggers]
    moves += [(t, i) for i in ids for t in ITEM_LIFECYCLE.triggers]
    return st.sampled_from([*moves, *_NONSENSE])


def _case_file(case: Case) -> str:
    """The case as case-file text, to read (and load) when a test fails; its repr if it has none."""
    try:
        return dumps_case(case)
    except Exception:  # a user's strategy may draw a case no case file can hold
        return repr(case)


class _Drawn:
    """A drawn case as the failing steps show it: by its id, the case file being printed above
    (hypothesis would otherwise print the case a second time, as a long ``repr``). A plain
    class: hypothesis prints an attrs instance field by field, whatever its ``__repr__``."""

    __slots__ = ("case",)

    def __init__(self, case: Case) -> None:
        self.case = case

    def __repr__(self) -> str:
        return f"<{self.case.id}: the case file above>"


@st.composite
def _drawn(draw: st.DrawFn, cases: st.SearchStrategy[Case]) -> _Drawn:
    # A composite, not .map: hypothesis prints a mapped value as the call that made it, with
    # the whole case inside.
    return _Drawn(draw(cases))


class _Later:
    """A note written only if hypothesis prints it (the failing example's final run): every
    example runs its steps many times while searching and shrinking, and never shows them. A
    plain class, for the reason :class:`_Drawn` is one."""

    __slots__ = ("write",)

    def __init__(self, write: Callable[[], str]) -> None:
        self.write = write

    def __repr__(self) -> str:
        return self.write()


def _start_day(case: Case) -> dt.date:
    """The first day the harness fires on: the feedback date's last day, or the last event."""
    days = [e.on for e in case.events]
    if case.feedback_on is not None:
        days.append(case.feedback_on.latest)
    return max(days) if days else dt.date(2024, 1, 1)


Pair = tuple[str, str, str, str]
"""A (lifecycle, state, trigger, day) quadruple the harness has tried; the day says where the
target's due date lies (``before due``, ``on due``, ``after due``), or is empty."""


def _pair(case: Case, move: Move, on: dt.date) -> Pair | None:
    """What ``move`` on ``on`` tries: the lifecycle, the target's state, the trigger, and the day
    against the target's due date; None for an unknown item."""
    trigger, item = move
    if item is None:
        return (CASE_LIFECYCLE.name, case.state.value, trigger, "")
    try:
        target = case.item(item)
    except UnknownItemError:
        return None
    due = target.due_on
    when = (
        "" if due is None else "before due" if on < due else "on due" if on == due else "after due"
    )
    return (ITEM_LIFECYCLE.name, target.state.value, trigger, when)


def _days_rules_live_on(case: Case, on: dt.date) -> list[int]:
    """How many days from ``on`` to the days after it that rules live on, nearest first: each
    item's due date and the days either side of it, the month's end, the next 29 February."""
    days = {_month_end(on), _month_end(_shift(_month_end(on), 1))}
    due = [p.due_on for p in case.problems()] + [m.due_on for m in case.measures()]
    for day in (d for d in due if d is not None):
        days.update(_shift(day, offset) for offset in (-1, 0, 1))
    days.update(_leap_days(_shift(on, 1), _shift(on, 4 * 366))[:1])
    return sorted((day - on).days for day in days if day > on)


def _machine(
    checker: Checker,
    cases: st.SearchStrategy[Case],
    invariants: tuple[Invariant, ...],
    max_gap_days: int,
) -> type[RuleBasedStateMachine]:
    """The state machine class, closed over what :func:`workflow_test` was given."""
    plugins = checker.plugins

    class Workflow(RuleBasedStateMachine):
        """Works one case with random triggers; see the module docstring."""

        def __init__(self) -> None:
            super().__init__()
            self.case = Case("none")
            # A copy of the case as it stood after the last step (the replayed one): what a
            # refused trigger and a check must leave the case equal to.
            self.snapshot = self.case
            self.on = dt.date(2024, 1, 1)
            # The (lifecycle, state, trigger) pairs tried in this example: untried ones are
            # preferred, so every trigger of every state gets its turn.
            self.tried: set[Pair] = set()
            self.logged = True  # an event landed (or a case was drawn) since the last replay
            self.checked_on: dt.date | None = None  # the day of the last check, if still valid
            self.pending: Transition | None = None  # what the guards were last asked about

        @initialize(case=_drawn(cases))
        def take_a_case(self, case: _Drawn) -> None:
            # The check after this step replays the case and keeps the replayed copy as the
            # snapshot: no copy is needed here.
            self.case = self.snapshot = case.case
            self.on = _start_day(self.case)
            drawn = self.case
            note_later(_Later(lambda: f"the case, as a case file:\n{_case_file(drawn)}"))

        def guard(self, case: Case, transition: Transition) -> Iterable[Violation]:
            self.pending = transition
            return checker.guard(case, transition)

        def guard_again(self, plugin: str, hook: str) -> BaseException | None:
            """The plugin's guard called again alone on a copy of the case (for its traceback)."""
            pending = self.pending
            if pending is None or hook != "rectflow_guard_transition":
                return None
            case = copy.deepcopy(self.case)
            item = None if pending.item is None else case.item(pending.item.id)
            kwargs = {
                "case": case,
                "transition": attrs.evolve(pending, item=item),
                "context": checker.context(pending.on),
            }
            return _again(plugins, plugin, hook, kwargs)

        def check_again(self, plugin: str, hook: str) -> BaseException | None:
            """The plugin's check called again alone on a copy of the case (for its traceback)."""
            if hook != "rectflow_check_case":
                return None
            kwargs = {"case": copy.deepcopy(self.case), "context": checker.context(self.on)}
            return _again(plugins, plugin, hook, kwargs)

        def fire(self, trigger: str, item: str | None, days: int, note: str | None) -> None:
            case = self.case
            on = _shift(self.on, days)
            logged = len(case.events)
            pair = _pair(case, (trigger, item), on)
            if pair is not None:
                self.tried.add(pair)
            try:
                event = fire(
                    case,
                    trigger,
                    item=item,
                    on=on,
                    actor=ACCEPTOR if trigger in _ACCEPTANCE else ACTOR,
                    note=note,
                    guards=[self.guard],
                )
            except TransitionNotAllowed as refused:
                _fail_on_crashes(refused.violations, f"guarding {trigger}", self.guard_again)
                note_later(_Later(functools.partial("refused: {}".format, refused)))
            except (UnknownTriggerError, UnknownItemError, MissingReasonError) as unknown:
                note_later(_Later(functools.partial("refused: {}".format, unknown)))
            else:
                self.accepted(event, logged, on)
                return
            self.unchanged(f"the refused {trigger} on {item or 'the case'}", logged)

        def accepted(self, event: Event, logged: int, on: dt.date) -> None:
            """An accepted trigger or edit appended exactly its event."""
            case = self.case
            _expect(len(case.events) == logged + 1, "an accepted change logs one event")
            _expect(case.events[-1] == event, "the event recorded is the last one logged")
            self.on, self.logged = on, True

        def unchanged(self, what: str, logged: int) -> None:
            """A refused trigger or edit changed nothing."""
            _expect(len(self.case.events) == logged, f"{what} changed the event log")
            _expect(self.case == self.snapshot, f"{what} changed the case")

        @rule(data=st.data(), days=st.integers(0, max_gap_days))
        def fire_a_legal_trigger(self, data: st.DataObject, days: int) -> None:
            # The guards may still refuse it: that is the point of testing them. Half the time
            # the move is one whose (state, trigger) pair this example has not tried yet, on a
            # day before, on or after the target's due date. A rejection says why.
            moves = legal_moves(self.case)
            on = _shift(self.on, days)
            untried = [m for m in moves if _pair(self.case, m, on) not in self.tried]
            choices = st.sampled_from(moves)
            if untried:
                choices = st.one_of(st.sampled_from(untried), choices)
            trigger, item = data.draw(choices, label="move")
            reason = data.draw(_REASON, label="reason") if trigger in REASON_REQUIRED else None
            self.fire(trigger, item, days, reason)

        @rule(data=st.data(), days=st.integers(0, max_gap_days))
        def fire_any_trigger_or_record_an_edit(self, data: st.DataObject, days: int) -> None:
            # One rule for both, an edit a third of the time, so that legal triggers keep their
            # share of the steps: a rule of its own for edits took a quarter of them
            # (tests/testing/test_harness_finds.py found its planted forgotten guard in 5 fresh
            # runs of 10 then, in 7 with an edit half the time here, in 9 so).
            if data.draw(_EDIT_OR_TRIGGER, label="edit") == 0:
                self.record_an_edit(data, days)
                return
            # Any trigger, with a reason or without one (a rejection without is refused).
            trigger, item = data.draw(_any_moves(self.case), label="move")
            self.fire(trigger, item, days, data.draw(_MAYBE_REASON, label="note"))

        def record_an_edit(self, data: st.DataObject, days: int) -> None:
            # A legal edit through the public API (a responsibility assigned, a deadline set or
            # extended, a text edited, evidence, a problem or measure added, accountability, an
            # evaluation), with the guards where the API takes them; they may refuse it.
            case = self.case
            on = _shift(self.on, days)
            # DataObject.draw draws as a composite's draw does (its typing says otherwise).
            step = _edit(cast("st.DrawFn", data.draw), case, on, _new_problem, ACTOR)
            if step is None:
                return  # nothing of the kind drawn to edit (no deadline to extend …)
            note_later(_Later(functools.partial("edit: {!r}".format, step)))
            logged = len(case.events)
            try:
                event = step.apply(case, guards=[self.guard])
            except TransitionNotAllowed as refused:
                _fail_on_crashes(refused.violations, f"guarding {step.trigger}", self.guard_again)
                note_later(_Later(functools.partial("refused: {}".format, refused)))
            else:
                self.accepted(event, logged, on)
                return
            self.unchanged(f"the refused {step.trigger} on {step.item or 'the case'}", logged)

        @rule(data=st.data())
        def let_time_pass(self, data: st.DataObject) -> None:
            # Any number of days, or just as many as reach a day rules live on: an item's due
            # date or a day either side of it, a month's end, a 29 February.
            days = st.integers(1, 400)
            targets = _days_rules_live_on(self.case, self.on)
            if targets:
                days = st.one_of(days, st.sampled_from(targets))
            self.on = _shift(self.on, data.draw(days, label="days"))

        @invariant()
        def the_log_replays_and_the_check_runs_and_the_invariants_hold(self) -> None:
            case = self.case
            if self.logged:
                rebuilt = replay(case)
                _expect(rebuilt == case, "the event log replays to another case")
                self.snapshot, self.logged, self.checked_on = rebuilt, False, None
            elif self.checked_on == self.on:
                return  # nothing changed since the last check: neither case nor day
            report = checker.check(case, self.on)
            _fail_on_crashes(report.violations, f"checking as of {self.on}", self.check_again)
            _expect(case == self.snapshot, "checking the case changed it")
            for check in invariants:
                check(case, report)
            self.checked_on = self.on

    return Workflow


def _default_settings() -> Settings:
    """The active profile's settings, without deadlines and without the explain phase; 50 steps
    unless the profile chose a number of its own.

    A step's time varies with the case's size, so a deadline would only be noise; the explain
    phase traces every line while shrinking (before Python 3.12), which makes a failing
    workflow take minutes to shrink instead of seconds.
    """
    active = Settings()
    steps = active.stateful_step_count
    return Settings(
        stateful_step_count=STEPS if steps == _HYPOTHESIS_STEPS else steps,
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
    on any item, or an unknown name; a rejection with a reason or without) or record a legal
    edit through the public API, on a day that never goes back, or let days pass. The events it
    records have the actor ``harness``, which tells them from a drawn case's history (recorded
    without guards). After every step the harness checks that a refused trigger or edit
    changed nothing, that the event log
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

    _load_every_module()
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
        # Small ledgers: each step checks the whole case, and a failure shrinks by running its
        # steps again hundreds of times; a few items each reach more of their lifecycle.
        cases = from_policy(resolved, plugins=manager, max_problems=3, max_measures=2)
    machine = _machine(checker, cases, checks, max_gap_days)
    machine.__name__ = machine.__qualname__ = f"Workflow_{resolved.name}"
    test: type[unittest.TestCase] = machine.TestCase
    # hypothesis reads the settings off the test class in runTest.
    test.settings = settings if settings is not None else _default_settings()  # type: ignore[attr-defined]
    test.machine = machine  # type: ignore[attr-defined]  # for run_state_machine_as_test
    return test
