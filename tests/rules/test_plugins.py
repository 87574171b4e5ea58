"""The plugin manager: built-ins and entry points, disabling, crash containment, hooks."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import subprocess
import sys
from collections.abc import Iterable, Iterator

import attrs
import pytest

import rectflow
from rectflow import Level, Violation
from rectflow._rules.plugins import CORE_PLUGIN, plugin_manager
from rectflow.errors import UnknownCalendarError

AS_OF = dt.date(2024, 6, 1)


@attrs.frozen
class NoOptions:
    """A rule without options."""


def _rule(code: str, level: Level = Level.WARNING) -> rectflow.Rule:
    return rectflow.Rule(code, level, NoOptions, f"test rule {code}")


class Reporter:
    """Reports one violation of ``test.reporter`` per case."""

    @rectflow.hookimpl
    def rectflow_rules(self) -> Iterable[rectflow.Rule]:
        return (_rule("test.reporter"),)

    @rectflow.hookimpl
    def rectflow_check_case(
        self, case: rectflow.Case, context: rectflow.CheckContext
    ) -> Iterable[Violation]:
        return [
            context.violation(
                "test.reporter", where="case", message=f"seen {case.id}", message_zh="", hint="-"
            )
        ]


class Crasher:
    """Raises in every hook it implements."""

    @rectflow.hookimpl
    def rectflow_check_case(
        self, case: rectflow.Case, context: rectflow.CheckContext
    ) -> Iterable[Violation]:
        raise ZeroDivisionError("division by zero in a plugin")


class LateCrasher:
    """Yields one violation, then raises while being iterated."""

    @rectflow.hookimpl
    def rectflow_check_case(
        self, case: rectflow.Case, context: rectflow.CheckContext
    ) -> Iterator[Violation]:
        yield Violation("test.late", Level.INFO, "case", "first")
        raise KeyError("missing")


def _manager(*plugins: tuple[str, object], **kwargs: object) -> rectflow.Plugins:
    manager = plugin_manager(builtins=lambda: (), load_entry_points=False, **kwargs)  # type: ignore[arg-type]
    for name, plugin in plugins:
        manager.register(plugin, name=name)
    return manager


def _check(manager: rectflow.Plugins) -> rectflow.Report:
    return rectflow.check(
        rectflow.Case(id="c"), policy=rectflow.Policy("test"), as_of=AS_OF, plugins=manager
    )


def test_importing_rectflow_builds_no_manager_and_loads_no_plugin() -> None:
    """`import rectflow` imports no check module and no entry point."""
    probe = (
        "import sys, rectflow; "
        "print(sorted(m for m in sys.modules if m.startswith(('rectflow.checks', "
        "'rectflow_cn_workdays', 'rectflow_example_rules'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_builtin_checks_are_registered_under_their_module_names() -> None:
    """Every module of BUILTIN_CHECKS is a plugin named rectflow.checks.<module>."""
    from rectflow.checks import BUILTIN_CHECKS

    manager = plugin_manager(load_entry_points=False)
    expected = {f"rectflow.checks.{m.__name__.rsplit('.', 1)[-1]}" for m in BUILTIN_CHECKS}
    assert expected | {CORE_PLUGIN} == set(manager.names())
    assert "rectflow.checks.deadline" in manager.names()


def test_the_installed_entry_point_plugins_are_loaded_by_their_entry_point_names() -> None:
    """The two plugins of this repository register through the `rectflow` group."""
    installed = {e.name for e in importlib.metadata.entry_points(group="rectflow")}
    assert {"cn-workdays", "example-rules"} <= installed
    assert {"cn-workdays", "example-rules"} <= set(plugin_manager().names())


def test_a_disabled_plugin_is_not_registered_and_its_rules_are_unknown() -> None:
    """disable= drops a built-in and an entry point by name."""
    manager = plugin_manager(disable=["rectflow.checks.deadline", "example-rules"])
    assert "rectflow.checks.deadline" not in manager.names()
    assert "example-rules" not in manager.names()
    assert not any(code.startswith("deadline.") for code in manager.rules)
    assert "hospital.procurement-discipline" not in manager.rules
    assert tuple(sorted(manager.disabled)) == ("example-rules", "rectflow.checks.deadline")


def test_the_environment_variable_disables_plugins_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """RECTFLOW_DISABLE is a comma-separated list of plugin names."""
    monkeypatch.setenv("RECTFLOW_DISABLE", " example-rules , cn-workdays,")
    manager = plugin_manager()
    assert {"example-rules", "cn-workdays"}.isdisjoint(manager.names())
    assert manager.calendar_names() == ("weekdays",)


def test_a_crashing_plugin_becomes_plugin_crashed_and_the_others_still_report() -> None:
    """The crash names the plugin and the exception; the other plugin's violation is there."""
    report = _check(_manager(("crasher", Crasher()), ("reporter", Reporter())))
    codes = [(v.code, v.plugin) for v in report.violations]
    assert codes == [("plugin.crashed", "crasher"), ("test.reporter", "reporter")]
    crash = report.violations[0]
    assert crash.level == Level.ERROR
    assert "'crasher'" in crash.message
    assert "ZeroDivisionError: division by zero in a plugin" in crash.message
    assert not report.ok


def test_a_crash_while_iterating_a_plugins_result_drops_its_partial_result() -> None:
    """A generator that raises midway reports the crash, not half its findings."""
    report = _check(_manager(("late", LateCrasher())))
    assert [(v.code, v.plugin) for v in report.violations] == [("plugin.crashed", "late")]
    assert "KeyError" in report.violations[0].message


def test_a_plugin_returning_something_else_than_violations_is_reported() -> None:
    """Returning a string where violations are expected is the plugin's bug, shown as a crash."""

    class Wrong:
        @rectflow.hookimpl
        def rectflow_check_case(self, case: rectflow.Case) -> Iterable[object]:
            return ["not a violation"]

    report = _check(_manager(("wrong", Wrong())))
    assert [v.code for v in report.violations] == ["plugin.crashed"]
    assert "is not a Violation" in report.violations[0].message


def test_every_violation_names_the_plugin_that_reported_it() -> None:
    """The manager fills Violation.plugin, overwriting whatever a plugin put there."""

    class Impostor:
        @rectflow.hookimpl
        def rectflow_check_case(self) -> Iterable[Violation]:
            return [Violation("test.x", Level.INFO, "case", "m", plugin="someone-else")]

    report = _check(_manager(("impostor", Impostor()), ("reporter", Reporter())))
    assert {"impostor", "reporter"} == {v.plugin for v in report.violations}


def test_an_entry_point_that_fails_to_import_is_reported_in_every_report(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A broken third-party package is a plugin.crashed violation, not a traceback."""
    broken = importlib.metadata.EntryPoint(
        name="broken", value="rectflow_no_such_module_anywhere", group="rectflow"
    )
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda **_: [broken])
    manager = plugin_manager(builtins=lambda: ())
    first, second = _check(manager), _check(manager)
    for report in (first, second):
        assert [(v.code, v.plugin) for v in report.violations] == [("plugin.crashed", "broken")]
        assert "ModuleNotFoundError" in report.violations[0].message


def test_two_plugins_declaring_one_rule_code_is_a_conflict_not_a_silent_override() -> None:
    """The first declaration stands; the second is reported as plugin.conflict."""

    class Again:
        @rectflow.hookimpl
        def rectflow_rules(self) -> Iterable[rectflow.Rule]:
            return (_rule("test.reporter", Level.ERROR),)

    manager = _manager(("reporter", Reporter()), ("again", Again()))
    owner = manager.rule_owner("test.reporter")
    assert owner in {"reporter", "again"}
    conflicts = [v for v in _check(manager).violations if v.code == "plugin.conflict"]
    assert len(conflicts) == 1
    assert "test.reporter" in conflicts[0].message


def test_hook_rectflow_rules_declarations_are_collected_by_code() -> None:
    """Rules from every plugin, sorted by code, each with the plugin that declares it."""
    manager = _manager(("reporter", Reporter()))
    assert list(manager.rules) == ["test.reporter"]
    assert manager.rule_owner("test.reporter") == "reporter"
    assert manager.rule_owner("no.such") is None


def test_hook_rectflow_check_case_receives_the_case_and_the_context() -> None:
    """The implementation sees the case and a context with the as-of date and the policy."""
    seen: list[tuple[str, dt.date, str]] = []

    class Spy:
        @rectflow.hookimpl
        def rectflow_check_case(
            self, case: rectflow.Case, context: rectflow.CheckContext
        ) -> Iterable[Violation]:
            seen.append((case.id, context.as_of, context.policy.name))
            return ()

    _check(_manager(("spy", Spy())))
    assert seen == [("c", AS_OF, "test")]


def test_hook_rectflow_calendar_first_result_wins_and_weekdays_is_the_core_fallback() -> None:
    """A plugin's calendar answers for its name; `weekdays` comes from the core."""

    @attrs.frozen
    class Everyday:
        name: str = "everyday"

        def caveat(self, first: dt.date, last: dt.date) -> str | None:
            return None

        def is_working_day(self, day: dt.date) -> bool:
            return True

    class Provider:
        @rectflow.hookimpl
        def rectflow_calendar(self, name: str) -> rectflow.Calendar | None:
            return Everyday() if name in {"everyday", "weekdays"} else None

        @rectflow.hookimpl
        def rectflow_calendar_names(self) -> Iterable[str]:
            return ("everyday",)

    manager = _manager(("provider", Provider()))
    assert Everyday() == manager.calendar("everyday")
    # The core's weekdays is tried last, so a plugin may replace it.
    assert Everyday() == manager.calendar("weekdays")
    assert rectflow.WeekdayCalendar() == _manager().calendar("weekdays")


def test_hook_rectflow_calendar_names_lists_every_provided_calendar() -> None:
    """An unknown calendar name is an error that lists the known ones."""
    manager = plugin_manager(builtins=lambda: ())
    assert manager.calendar_names() == ("cn", "weekdays")
    with pytest.raises(UnknownCalendarError) as raised:
        manager.calendar("mars")
    assert raised.value.known == ("cn", "weekdays")
    assert "no calendar named 'mars' (known: cn, weekdays)" in str(raised.value)


def test_hook_rectflow_policy_presets_a_later_plugin_overrides_a_shipped_preset() -> None:
    """The core ships xunshi and xuncha; a plugin may add presets or replace one by name."""

    class Presets:
        @rectflow.hookimpl
        def rectflow_policy_presets(self) -> Iterable[tuple[str, str]]:
            return (("hospital", 'schema = 1\nname = "hospital"\n'), ("xuncha", "replaced"))

    assert {"xunshi", "xuncha"} <= set(_manager().presets())
    presets = _manager(("presets", Presets())).presets()
    assert presets["hospital"] == 'schema = 1\nname = "hospital"\n'
    assert presets["xuncha"] == "replaced"


def test_hook_rectflow_guard_transition_crash_blocks_with_plugin_crashed() -> None:
    """A guard that raises is reported as an error, so the transition does not happen."""

    class BadGuard:
        @rectflow.hookimpl
        def rectflow_guard_transition(self) -> Iterable[Violation]:
            raise RuntimeError("guard bug")

    case = rectflow.Case(id="c")
    guards = rectflow.guards(_manager(("bad", BadGuard())), rectflow.Policy("test"))
    with pytest.raises(rectflow.errors.TransitionNotAllowed) as raised:
        rectflow.fire(case, "adopt_plan", on=AS_OF, guards=guards)
    assert [v.code for v in raised.value.violations] == ["plugin.crashed"]
    assert case.state == rectflow.CaseState.FEEDBACK_RECEIVED
    assert len(case.events) == 0


def test_registering_invalidates_the_rules_cache() -> None:
    """Rules are read once, and again after the plugins change."""
    manager = _manager()
    assert dict(manager.rules) == {}
    manager.register(Reporter(), name="reporter")
    assert list(manager.rules) == ["test.reporter"]
    manager.unregister("reporter")
    assert dict(manager.rules) == {}


def test_a_disabled_builtin_leaves_its_rules_configurable_but_silent() -> None:
    """The presets name every built-in rule: they still load, and the disabled rules never run."""
    manager = plugin_manager(disable=["rectflow.checks.deadline"], load_entry_points=False)
    assert "deadline.report" in manager.known_rules
    assert "deadline.report" not in manager.rules
    case = rectflow.Case(id="c", feedback_on=rectflow.FuzzyDate.parse("2024-01-02"))
    report = rectflow.check(case, policy="xuncha", as_of=AS_OF, plugins=manager)
    assert not [v for v in report.violations if v.code.startswith("deadline.")]
    enabled = rectflow.check(
        case, policy="xuncha", as_of=AS_OF, plugins=plugin_manager(load_entry_points=False)
    )
    assert [v for v in enabled.violations if v.code == "deadline.report"]


def test_a_users_configuration_error_raised_in_a_plugin_is_not_called_a_crash() -> None:
    """A PolicyError from context.options is the policy's fault: it propagates (CLI: exit 2)."""

    class Strict:
        @rectflow.hookimpl
        def rectflow_check_case(self, context: rectflow.CheckContext) -> Iterable[Violation]:
            raise rectflow.errors.PolicyError("p", "rules", "bad", "fix it")

    with pytest.raises(rectflow.errors.PolicyError, match="bad"):
        _check(_manager(("strict", Strict())))
