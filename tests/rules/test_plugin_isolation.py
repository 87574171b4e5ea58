"""Isolation: whatever a plugin raises or returns, in any hook, is its crash, never the run's."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import rectflow
from rectflow import Duration, Level, Violation
from rectflow._core.report import render_json, render_text
from rectflow._rules.plugins import plugin_manager
from rectflow.errors import PluginError, TransitionNotAllowed

AS_OF = dt.date(2024, 6, 1)
FIFTEEN = Duration.parse("15 working days")


def _manager(*plugins: tuple[str, object]) -> rectflow.Plugins:
    manager = plugin_manager(builtins=lambda: (), load_entry_points=False)
    for name, plugin in plugins:
        manager.register(plugin, name=name)
    return manager


def _check(manager: rectflow.Plugins, policy: rectflow.Policy | None = None) -> rectflow.Report:
    policy = policy if policy is not None else rectflow.Policy("test")
    return rectflow.check(rectflow.Case(id="c"), policy=policy, as_of=AS_OF, plugins=manager)


def _crashes(report: rectflow.Report) -> list[tuple[str | None, str]]:
    return [(v.plugin, v.message) for v in report.violations if v.code == "plugin.crashed"]


class Reporter:
    """Reports one info per case, so a test sees that the other plugins still ran."""

    @rectflow.hookimpl
    def rectflow_check_case(self) -> Iterable[Violation]:
        return [Violation("test.seen", Level.INFO, "case", "seen")]


def _raising(error: BaseException) -> object:
    class Raiser:
        @rectflow.hookimpl
        def rectflow_check_case(self) -> Iterable[Violation]:
            raise error

        @rectflow.hookimpl
        def rectflow_guard_transition(self) -> Iterable[Violation]:
            raise error

    return Raiser()


# -- what counts as a crash -------------------------------------------------------------------


@pytest.mark.parametrize(
    "error",
    [
        SystemExit(0),
        SystemExit(),
        SystemExit("bye"),
        GeneratorExit(),
        BaseExceptionGroup("g", [SystemExit(3)]),
    ],
    ids=["exit-0", "exit", "exit-text", "generator-exit", "group"],
)
def test_a_check_raising_systemexit_or_generatorexit_is_a_crash_not_a_silent_exit(
    error: BaseException,
) -> None:
    """sys.exit() in a check no longer ends the run: plugin.crashed, and the others report."""
    report = _check(_manager(("quitter", _raising(error)), ("reporter", Reporter())))
    ((plugin, message),) = _crashes(report)
    assert plugin == "quitter"
    assert f"raised {type(error).__name__}" in message
    assert "test.seen" in {v.code for v in report.violations}
    assert not report.ok


def test_a_guard_raising_systemexit_blocks_the_transition_and_changes_nothing() -> None:
    """A guard that calls sys.exit() is a blocking crash: fire raises, the case is untouched."""
    case = rectflow.Case(id="c")
    guards = rectflow.guards(_manager(("quitter", _raising(SystemExit(0)))), rectflow.Policy("t"))
    with pytest.raises(TransitionNotAllowed) as raised:
        rectflow.fire(case, "adopt_plan", on=AS_OF, guards=guards)
    assert [(v.code, v.plugin) for v in raised.value.violations] == [("plugin.crashed", "quitter")]
    assert "raised SystemExit" in raised.value.violations[0].message
    assert (case.state, len(case.events)) == (rectflow.CaseState.FEEDBACK_RECEIVED, 0)


def test_keyboard_interrupt_still_stops_the_run() -> None:
    """Ctrl-C is how a person stops a plugin that hangs: it is never swallowed as a crash."""
    with pytest.raises(KeyboardInterrupt):
        _check(_manager(("interrupted", _raising(KeyboardInterrupt()))))
    group = BaseExceptionGroup("g", [KeyboardInterrupt()])
    with pytest.raises(BaseExceptionGroup):
        _check(_manager(("interrupted", _raising(group))))


def test_a_generator_raising_generatorexit_midway_drops_its_partial_result() -> None:
    """A generator raising GeneratorExit after one finding is a crash; nothing of it is kept."""

    class Midway:
        @rectflow.hookimpl
        def rectflow_check_case(self) -> Iterator[Violation]:
            yield Violation("test.partial", Level.ERROR, "case", "partial")
            raise GeneratorExit

    report = _check(_manager(("midway", Midway())))
    assert [(v.code, v.plugin) for v in report.violations] == [("plugin.crashed", "midway")]


def test_an_exception_whose_message_raises_is_still_reported() -> None:
    """A plugin's exception with a broken __str__ is named by its type."""

    class UnprintableError(Exception):
        def __str__(self) -> str:
            raise RuntimeError("no text")

    ((plugin, message),) = _crashes(_check(_manager(("odd", _raising(UnprintableError())))))
    assert (plugin, "raised UnprintableError in rectflow_check_case" in message) == ("odd", True)


@pytest.fixture
def module_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder on sys.path for plugin modules written by a test; they are forgotten after it."""
    monkeypatch.syspath_prepend(str(tmp_path))
    before = set(sys.modules)
    yield tmp_path  # type: ignore[misc]
    for name in set(sys.modules) - before:
        del sys.modules[name]


def _entry_points(monkeypatch: pytest.MonkeyPatch, **modules: str) -> None:
    """Make the `rectflow` group hold exactly these entry points (name -> module)."""
    entries = [
        importlib.metadata.EntryPoint(name=name, value=module, group="rectflow")
        for name, module in modules.items()
    ]
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda **_: entries)


def test_an_entry_point_calling_sys_exit_at_import_is_reported_not_an_exit(
    module_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plugin module that exits while it is imported is plugin.crashed in every report."""
    (module_dir / "rectflow_quits_on_import.py").write_text("import sys\nsys.exit(0)\n")
    _entry_points(monkeypatch, quitter="rectflow_quits_on_import")
    manager = plugin_manager(builtins=lambda: ())
    for report in (_check(manager), _check(manager)):
        ((plugin, message),) = _crashes(report)
        assert plugin == "quitter"
        assert "raised SystemExit: 0 in loading entry point rectflow_quits_on_import" in message


# -- wrong shapes ------------------------------------------------------------------------------


def _returning(*items: object) -> object:
    class Returner:
        @rectflow.hookimpl
        def rectflow_check_case(self) -> Iterable[object]:
            return list(items)

    return Returner()


GOOD = Violation("test.x", Level.WARNING, "case", "m")


@pytest.mark.parametrize(
    ("item", "said"),
    [
        (attrs.evolve(GOOD, level="error"), "level is 'error', not a rectflow.Level"),
        (attrs.evolve(GOOD, code=5), "code is 5, not a str"),
        (attrs.evolve(GOOD, where=None), "where is None, not a str"),
        (attrs.evolve(GOOD, message=b"m"), "message is b'm', not a str"),
        (attrs.evolve(GOOD, due="2024-01-01"), "due is '2024-01-01', not a datetime.date"),
        (
            attrs.evolve(GOOD, actual=dt.datetime(2024, 1, 1, 9, 0)),
            "actual is datetime.datetime(2024, 1, 1, 9, 0), not a datetime.date",
        ),
        (attrs.evolve(GOOD, basis=3), "basis is 3, not a str or None"),
        ("x" * 500, "which is not a Violation"),
    ],
    ids=["level", "code", "where", "message", "due", "datetime", "basis", "long-string"],
)
def test_a_violation_with_fields_of_the_wrong_type_is_a_crash_not_a_broken_report(
    item: object, said: str
) -> None:
    """The report stays sortable and renderable; the plugin is named with what was wrong."""
    report = _check(_manager(("sloppy", _returning(GOOD, item)), ("reporter", Reporter())))
    ((plugin, message),) = _crashes(report)
    assert plugin == "sloppy"
    assert said in message
    assert len(message) < 400
    assert "test.x" not in {v.code for v in report.violations}
    assert render_json([report], "en")
    assert render_text([report], "en")


def test_a_string_or_a_number_instead_of_a_list_is_a_crash() -> None:
    """A str is not read as a list of characters, an int is not iterable: both are crashes."""

    class Text:
        @rectflow.hookimpl
        def rectflow_check_case(self) -> object:
            return "all good"

    class Number:
        @rectflow.hookimpl
        def rectflow_check_case(self) -> object:
            return 3

    report = _check(_manager(("text", Text()), ("number", Number())))
    crashes = dict(_crashes(report))
    assert "returned str 'all good', not a list" in crashes["text"]
    assert "TypeError" in crashes["number"]


def test_a_violation_subclass_cannot_redefine_what_blocks() -> None:
    """A subclass claiming an error does not block is stored as a plain Violation: it blocks."""

    @attrs.frozen(slots=True)
    class NeverBlocks(Violation):
        @property
        def blocking(self) -> bool:
            return False

    class Sneaky:
        @rectflow.hookimpl
        def rectflow_guard_transition(self) -> Iterable[Violation]:
            return [NeverBlocks("test.sneaky", Level.ERROR, "case", "no")]

    case = rectflow.Case(id="c")
    guards = rectflow.guards(_manager(("sneaky", Sneaky())), rectflow.Policy("t"))
    with pytest.raises(TransitionNotAllowed) as raised:
        rectflow.fire(case, "adopt_plan", on=AS_OF, guards=guards)
    assert [type(v) for v in raised.value.violations] == [Violation]
    assert len(case.events) == 0


@pytest.mark.parametrize(
    ("presets", "said"),
    [
        ({"hospital": "schema = 1"}, "returned 'hospital', which is not a (name, toml_text) pair"),
        ([("a", "b", "c")], "which is not a (name, toml_text) pair"),
        ([("hospital", None)], "preset 'hospital' whose text is None, not a str"),
        ([(None, "schema = 1")], "a preset named None, not a non-empty str"),
        ("xuncha", "returned str 'xuncha', not a list"),
    ],
    ids=["dict", "triple", "no-text", "no-name", "string"],
)
def test_presets_of_the_wrong_shape_are_a_crash_and_the_shipped_presets_still_load(
    presets: object, said: str
) -> None:
    """policy list/show and --policy NAME keep working; the broken plugin is reported."""

    class Presets:
        @rectflow.hookimpl
        def rectflow_policy_presets(self) -> object:
            return presets

    manager = plugin_manager(load_entry_points=False)
    manager.register(Presets(), name="presets")
    assert {"xuncha", "xunshi"} <= set(manager.presets())
    report = rectflow.check(rectflow.Case(id="c"), policy="xuncha", as_of=AS_OF, plugins=manager)
    crashes = dict(_crashes(report))
    assert said in crashes["presets"]
    assert "none of its presets is offered" in crashes["presets"]


@attrs.frozen
class NoOptions:
    """No options."""


@attrs.frozen
class NeedsAValue:
    """An options class that cannot be built from defaults.

    Attributes:
        value: no default.
    """

    value: int


@pytest.mark.parametrize(
    ("rule", "said"),
    [
        ("test.rule", "returned 'test.rule', which is not a Rule"),
        (rectflow.Rule(5, Level.ERROR, NoOptions, "s"), "code is 5, not a non-empty str"),  # type: ignore[arg-type]
        (rectflow.Rule("t.a", "error", NoOptions, "s"), "level 'error', not a rectflow.Level"),  # type: ignore[arg-type]
        (rectflow.Rule("t.b", Level.ERROR, dict, "s"), "which is not an attrs class"),
        (rectflow.Rule("t.c", Level.ERROR, NeedsAValue, "s"), "do not build with their defaults"),
        (
            rectflow.Rule("t.d", Level.ERROR, NoOptions, "s", blocking_triggers="close"),  # type: ignore[arg-type]
            "blocking_triggers 'close', not a tuple of str",
        ),
    ],
    ids=["not-a-rule", "code", "level", "options", "no-defaults", "triggers"],
)
def test_a_rule_declaration_of_the_wrong_type_is_a_crash_and_the_rule_is_ignored(
    rule: object, said: str
) -> None:
    """The well-formed rule of the same plugin is kept; the policy still validates."""

    class Declares:
        @rectflow.hookimpl
        def rectflow_rules(self) -> Iterable[object]:
            return [rule, rectflow.Rule("test.fine", Level.INFO, NoOptions, "fine")]

    manager = _manager(("declares", Declares()))
    assert list(manager.rules) == ["test.fine"]
    crashes = dict(_crashes(_check(manager)))
    assert said in crashes["declares"]
    assert "that rule was ignored" in crashes["declares"]


# -- calendars --------------------------------------------------------------------------------


class RaisingCalendarHook:
    """A calendar plugin whose lookup raises for every name, as a broken install would."""

    @rectflow.hookimpl
    def rectflow_calendar(self, name: str) -> rectflow.Calendar | None:
        raise SystemExit(f"no calendar today ({name})")

    @rectflow.hookimpl
    def rectflow_calendar_names(self) -> Iterable[str]:
        return ("broken",)


def test_a_raising_calendar_plugin_leaves_the_builtin_calendar_working() -> None:
    """weekdays still comes from the core; the crash is in every check report."""
    manager = _manager(("broken-cal", RaisingCalendarHook()), ("reporter", Reporter()))
    assert manager.calendar("weekdays") == rectflow.WeekdayCalendar()
    report = _check(manager)
    ((plugin, message),) = _crashes(report)
    assert plugin == "broken-cal"
    assert "raised SystemExit: no calendar today (weekdays) in rectflow_calendar('weekdays')" in (
        message
    )
    assert "test.seen" in {v.code for v in report.violations}


def test_a_raising_calendar_plugin_does_not_block_guarded_transitions() -> None:
    """fire with guards works: a lookup crash is a load problem, not a guard's verdict."""
    manager = _manager(("broken-cal", RaisingCalendarHook()))
    case = rectflow.Case(id="c")
    rectflow.fire(
        case, "adopt_plan", on=AS_OF, guards=rectflow.guards(manager, rectflow.Policy("t"))
    )
    assert case.state == rectflow.CaseState.PLAN_ADOPTED


def test_the_calendar_a_policy_names_crashing_at_lookup_is_one_clear_error() -> None:
    """No silent fallback: PluginError names the plugin and says no one else provides it."""
    manager = _manager(("broken-cal", RaisingCalendarHook()))
    policy = rectflow.Policy("t", calendar=rectflow.CalendarSettings(name="broken"))
    with pytest.raises(PluginError) as raised:
        _check(manager, policy)
    assert raised.value.plugin == "broken-cal"
    assert "no other plugin provides calendar 'broken'" in str(raised.value)
    assert "--disable broken-cal" in str(raised.value)


@attrs.frozen
class Weird:
    """A calendar whose answers are configurable, to break the contract in each way."""

    answer: Any = True
    caveat_text: Any = None
    raises: BaseException | None = None
    name: str = "weird"

    def is_working_day(self, day: dt.date) -> bool:
        if self.raises is not None:
            raise self.raises
        return self.answer  # type: ignore[no-any-return]

    def caveat(self, first: dt.date, last: dt.date) -> str | None:
        return self.caveat_text  # type: ignore[no-any-return]


def _providing(calendar: object) -> object:
    class Provider:
        @rectflow.hookimpl
        def rectflow_calendar(self, name: str) -> object:
            return calendar if name == "weird" else None

        @rectflow.hookimpl
        def rectflow_calendar_names(self) -> Iterable[str]:
            return ("weird",)

    return Provider()


@attrs.frozen
class WithinOptions:
    """Options.

    Attributes:
        within: the period.
    """

    within: Duration = attrs.field(default=FIFTEEN)


class CountsWorkingDays:
    """A check that counts 15 working days with the policy's calendar."""

    @rectflow.hookimpl
    def rectflow_rules(self) -> Iterable[rectflow.Rule]:
        return (rectflow.Rule("test.count", Level.INFO, WithinOptions, "count"),)

    @rectflow.hookimpl
    def rectflow_check_case(self, context: rectflow.CheckContext) -> Iterable[Violation]:
        due = context.due(dt.date(2024, 1, 2), FIFTEEN)
        return [
            context.violation(
                "test.count", where="case", message=str(due.on), message_zh="", hint=""
            )
        ]


WEIRD = rectflow.Policy("t", calendar=rectflow.CalendarSettings(name="weird"))


@pytest.mark.parametrize(
    ("calendar", "said"),
    [
        (
            Weird(raises=RuntimeError("boom")),
            "raised RuntimeError: boom in Calendar.is_working_day",
        ),
        (Weird(raises=SystemExit(1)), "raised SystemExit: 1 in Calendar.is_working_day"),
        (Weird(answer=None), "returned None for 2024-01-03, not a bool"),
        (Weird(answer="yes"), "returned 'yes' for 2024-01-03, not a bool"),
        (Weird(caveat_text=7), "returned 7, not a str or None in Calendar.caveat"),
        (Weird(answer=False), "gave no working day in the 366 days after 2024-01-02"),
    ],
    ids=["raises", "exits", "none", "text", "caveat", "never-works"],
)
def test_a_calendar_failing_during_a_check_is_blamed_on_the_calendars_plugin(
    calendar: Weird, said: str
) -> None:
    """The check that was counting did not run, and the report says both names."""
    manager = _manager(("weird-cal", _providing(calendar)), ("counter", CountsWorkingDays()))
    ((plugin, message),) = _crashes(_check(manager, WEIRD))
    assert plugin == "weird-cal"
    assert said in message
    assert "the checks of 'counter' did not run" in message


@pytest.mark.parametrize(
    ("returned", "said"),
    [
        (42, "returned 42 for calendar 'weird', which is not a calendar"),
        (attrs.evolve(Weird(), name=None), "which is not a calendar"),
        ("weird", "which is not a calendar"),
    ],
    ids=["int", "nameless", "string"],
)
def test_a_calendar_that_is_not_a_calendar_is_a_crash_and_is_not_used(
    returned: object, said: str
) -> None:
    """The lookup reports the plugin; the next provider (here none) is asked."""
    manager = _manager(("weird-cal", _providing(returned)))
    with pytest.raises(PluginError, match="no other plugin provides calendar 'weird'"):
        manager.calendar("weird")
    assert said in manager.problems[0].message
    assert manager.calendar("weekdays") == rectflow.WeekdayCalendar()


def test_calendar_names_of_the_wrong_type_are_reported_and_the_others_listed() -> None:
    """A plugin naming its calendars with non-strings is a crash; the core's name stays."""

    class Names:
        @rectflow.hookimpl
        def rectflow_calendar_names(self) -> Iterable[object]:
            return (None,)

    manager = _manager(("names", Names()))
    assert manager.calendar_names() == ("weekdays",)
    assert "calendar name None, not a non-empty str" in manager.problems[0].message


def test_a_working_calendar_plugin_is_unchanged_by_isolation() -> None:
    """The answer a healthy calendar gives goes through as it is, caveat included."""
    manager = _manager(("weird-cal", _providing(Weird(caveat_text="no holidays here"))))
    calendar = manager.calendar("weird", isolated=True)
    due = rectflow.add_duration(dt.date(2024, 1, 1), FIFTEEN, calendar)
    assert due == rectflow.Due(dt.date(2024, 1, 16), "no holidays here")
    assert manager.calendar("weird") == Weird(caveat_text="no holidays here")


class ExitsEverywhere:
    """Calls sys.exit in every declaration hook."""

    @rectflow.hookimpl
    def rectflow_rules(self) -> Iterable[rectflow.Rule]:
        sys.exit("rules")

    @rectflow.hookimpl
    def rectflow_policy_presets(self) -> Iterable[tuple[str, str]]:
        sys.exit("presets")

    @rectflow.hookimpl
    def rectflow_calendar_names(self) -> Iterable[str]:
        sys.exit("names")


def test_sys_exit_in_the_declaration_hooks_is_a_crash_of_each_and_the_rest_still_works() -> None:
    """Rules, presets and calendar names: each exit is reported; the core's still answer."""
    manager = plugin_manager(load_entry_points=False)
    manager.register(ExitsEverywhere(), name="exits")
    assert "deadline.report" in manager.rules
    assert {"xuncha", "xunshi"} <= set(manager.presets())
    assert manager.calendar_names() == ("weekdays",)
    report = rectflow.check(rectflow.Case(id="c"), policy="xuncha", as_of=AS_OF, plugins=manager)
    messages = sorted(message for plugin, message in _crashes(report) if plugin == "exits")
    assert messages == [
        "plugin 'exits' raised SystemExit: names in rectflow_calendar_names; "
        "its calendar names were not listed",
        "plugin 'exits' raised SystemExit: presets in rectflow_policy_presets; "
        "none of its presets is offered",
        "plugin 'exits' raised SystemExit: rules in rectflow_rules; its rules were not declared",
    ]


class Eraser:
    """Asks to run before everyone (trylast, for pluggy) and wipes what the others would see."""

    @rectflow.hookimpl(trylast=True)
    def rectflow_check_case(
        self, case: rectflow.Case, context: rectflow.CheckContext
    ) -> Iterable[Violation]:
        case.feedback_on = None
        context.as_of = dt.date.min
        return []

    @rectflow.hookimpl(trylast=True)
    def rectflow_rules(self) -> Iterable[rectflow.Rule]:
        return (rectflow.Rule("deadline.plan", Level.INFO, NoOptions, "mine now"),)


def test_a_plugin_cannot_run_before_the_builtin_checks_to_hide_a_case_from_them() -> None:
    """The built-ins run first: a late plan is still reported, and deadline.plan stays theirs."""
    manager = plugin_manager(load_entry_points=False)
    manager.register(Eraser(), name="eraser")
    case = rectflow.Case(id="c", feedback_on=rectflow.FuzzyDate.parse("2024-01-05"))
    report = rectflow.check(case, policy="xuncha", as_of=AS_OF, plugins=manager)
    assert "deadline.plan" in {v.code for v in report.violations}
    assert manager.rule_owner("deadline.plan") == "rectflow.checks.deadline"
    assert [v.plugin for v in report.violations if v.code == "plugin.conflict"] == ["eraser"]
