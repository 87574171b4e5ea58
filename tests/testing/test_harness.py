"""The stateful harness: what it catches, what it refuses, and the walkthrough that documents it."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import unittest
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import Phase, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.stateful import RuleBasedStateMachine

import rectflow
import rectflow.strategies as rs
from rectflow import Case, CheckContext, Level, Report, Transition, Violation

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[2]
# Detection, not shrinking, is under test here: no shrink phase, no example database.
QUICK = settings(
    max_examples=30,
    stateful_step_count=10,
    deadline=None,
    database=None,
    phases=[Phase.generate],
)
SMALL_CASES = rs.from_policy("xuncha", min_problems=1, max_problems=2, max_measures=2)


def run(test: type[unittest.TestCase]) -> list[str]:
    """Run a workflow test; the tracebacks of its failures and errors (empty when it passed)."""
    result = unittest.TestResult()
    test("runTest").run(result)
    return [text for _, text in (*result.failures, *result.errors)]


def blocking(code: str, where: str = "case") -> Violation:
    """An error-level violation: a guard returning it blocks the transition."""
    return Violation(code, Level.ERROR, where, "blocked by the test", "测试阻止", "none")


class CrashingCheck:
    """A plugin whose check raises once the case has an event."""

    @rectflow.hookimpl
    def rectflow_check_case(self, case: Case, context: CheckContext) -> Iterable[Violation]:
        if case.events:
            raise KeyError("the last event")
        return []


class CrashingGuard:
    """A plugin whose guard raises on every transition."""

    @rectflow.hookimpl
    def rectflow_guard_transition(
        self, case: Case, transition: Transition, context: CheckContext
    ) -> Iterable[Violation]:
        raise ValueError("no guard today")


class MeddlingGuard:
    """A plugin whose guard renames the case and then blocks the transition."""

    @rectflow.hookimpl
    def rectflow_guard_transition(
        self, case: Case, transition: Transition, context: CheckContext
    ) -> Iterable[Violation]:
        case.inspected_body += "!"
        return [blocking("test.meddle")]


class MeddlingCheck:
    """A plugin whose check tags every measure while reading the case (tags are no event's:
    assigning them is allowed, so only the harness's comparison can catch it)."""

    @rectflow.hookimpl
    def rectflow_check_case(self, case: Case, context: CheckContext) -> Iterable[Violation]:
        for measure in case.measures():
            measure.tags = ("checked",)
        return []


class BackdatingCheck:
    """A plugin whose check moves every deadline it finds: a field the events own."""

    @rectflow.hookimpl
    def rectflow_check_case(self, case: Case, context: CheckContext) -> Iterable[Violation]:
        for measure in case.measures():
            if measure.due_on is not None:
                measure.due_on = context.as_of
        return []


class Gatekeeper:
    """A plugin that blocks every transition and counts the transitions it saw."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    @rectflow.hookimpl
    def rectflow_guard_transition(
        self, case: Case, transition: Transition, context: CheckContext
    ) -> Iterable[Violation]:
        self.seen.append(transition.trigger)
        return [blocking("test.gate", transition.target)]


class ClaimsReport:
    """A plugin declaring a rule code the built-in deadline checks already own."""

    @rectflow.hookimpl
    def rectflow_rules(self) -> Iterable[rectflow.Rule]:
        return [rectflow.Rule("deadline.report", Level.ERROR, object, "a second claim")]


class LeapDayLimit:
    """A plugin whose check computes a year after the feedback with ``replace``: it raises
    ValueError when the feedback date's last day is 29 February."""

    @rectflow.hookimpl
    def rectflow_check_case(self, case: Case, context: CheckContext) -> Iterable[Violation]:
        if case.feedback_on is None:
            return []
        feedback = case.feedback_on.latest
        limit = feedback.replace(year=feedback.year + 1)  # the planted bug
        return [] if limit > feedback else [blocking("test.limit")]


def test_the_harness_is_a_unittest_test_case_around_a_state_machine() -> None:
    """workflow_test returns a TestCase class carrying the machine and the settings given."""
    test = rs.workflow_test(settings=QUICK)
    assert issubclass(test, unittest.TestCase)
    assert issubclass(test.machine, RuleBasedStateMachine)  # type: ignore[attr-defined]
    assert test.settings is QUICK  # type: ignore[attr-defined]


def test_the_built_in_checks_pass_the_harness_under_both_presets() -> None:
    """With rectflow's own checks and guards nothing fails: the harness's properties hold."""
    for preset in ("xunshi", "xuncha"):
        assert run(rs.workflow_test(policy=preset, cases=SMALL_CASES, settings=QUICK)) == []


def test_a_whole_plugin_manager_can_be_put_under_the_harness() -> None:
    """plugins= also takes a plugin manager: here every installed plugin, entry points too."""
    manager = rectflow.plugin_manager()
    assert run(rs.workflow_test(plugins=manager, cases=SMALL_CASES, settings=QUICK)) == []


def test_a_plugin_crashing_in_its_check_fails_the_test_naming_the_plugin() -> None:
    """plugin.crashed in a report is a failure that says which plugin raised what."""
    (failure,) = run(rs.workflow_test(plugins=[CrashingCheck()], settings=QUICK))
    assert "plugin 'CrashingCheck' failed checking as of" in failure
    assert "KeyError" in failure


def test_a_plugin_crashing_in_its_guard_fails_the_test_naming_the_plugin() -> None:
    """A guard's crash blocks the transition, and the harness reports it as the plugin's."""
    (failure,) = run(rs.workflow_test(plugins=[CrashingGuard()], settings=QUICK))
    assert "plugin 'CrashingGuard' failed guarding" in failure
    assert "no guard today" in failure


def test_a_failure_prints_the_case_once_as_a_case_file_and_the_plugins_own_traceback() -> None:
    """The failing example shows the case once, as a case file (the step names it by its id,
    not by its repr), and the crashing plugin's own frame and line, not only plugin.crashed."""
    leap_day = dt.date(2024, 2, 29)
    cases = rs.from_policy("xuncha", min_value=leap_day, max_value=leap_day, max_problems=2)
    (failure,) = run(rs.workflow_test(plugins=[LeapDayLimit()], cases=cases, settings=QUICK))
    assert failure.count("the case, as a case file:") == 1
    assert failure.count("feedback_on = 2024-02-29") == 1
    assert "Case(id=" not in failure
    assert "FuzzyDate(" not in failure
    assert re.search(r"state\.take_a_case\(case=<case-\d+: the case file above>\)", failure)
    assert "plugin 'LeapDayLimit' failed checking as of" in failure
    # The plugin's own traceback: its frame in this file, its hook and the line that raised.
    assert f'File "{__file__}"' in failure
    assert ", in rectflow_check_case" in failure
    assert "limit = feedback.replace(year=feedback.year + 1)" in failure
    assert "ValueError: day is out of range for month" in failure


def test_a_guard_crash_shows_the_guards_own_traceback() -> None:
    """A guard that raises is reported with the line of the guard that raised."""
    (failure,) = run(rs.workflow_test(plugins=[CrashingGuard()], settings=QUICK))
    assert ", in rectflow_guard_transition" in failure
    assert 'raise ValueError("no guard today")' in failure


def test_two_instances_of_one_plugin_class_get_distinct_names() -> None:
    """The second instance of a class is registered as <class>-2, and named so in failures."""
    (failure,) = run(rs.workflow_test(plugins=[CrashingCheck(), CrashingCheck()], settings=QUICK))
    assert "plugin 'CrashingCheck' failed" in failure
    assert "plugin 'CrashingCheck-2' failed" in failure


def test_a_guard_that_changes_the_case_and_blocks_is_caught() -> None:
    """A guard's change is refused where it is made (guards run sealed) and fails the test as
    that plugin's crash, naming the field it tried to change."""
    (failure,) = run(rs.workflow_test(plugins=[MeddlingGuard()], settings=QUICK))
    assert "plugin 'MeddlingGuard' raised SealedCaseError" in failure
    assert "Case.inspected_body cannot be changed while guards run" in failure


def test_a_check_that_changes_the_case_is_caught() -> None:
    """Checking must not modify the case it is given."""
    test = rs.workflow_test(plugins=[MeddlingCheck()], cases=SMALL_CASES, settings=QUICK)
    (failure,) = run(test)
    assert "checking the case changed it" in failure


def test_a_check_that_assigns_an_owned_field_crashes_naming_the_event_api() -> None:
    """A deadline moved around the events is refused where it is assigned (OwnedFieldError)
    and fails the test as that plugin's crash, naming the API that records the change."""
    test = rs.workflow_test(plugins=[BackdatingCheck()], cases=SMALL_CASES, settings=QUICK)
    (failure,) = run(test)
    assert "plugin 'BackdatingCheck' raised OwnedFieldError" in failure
    assert "Measure.due_on is changed only by an event" in failure


def test_a_rule_code_claimed_twice_fails_the_test() -> None:
    """plugin.conflict (two plugins, one code) is a failure naming the second plugin."""
    (failure,) = run(rs.workflow_test(plugins=[ClaimsReport()], settings=QUICK))
    assert "plugin 'ClaimsReport' failed checking" in failure
    assert "already declared" in failure


# The edits the event API records without consulting guards: additions to the ledger and
# records of the case (the lifecycle guards nothing of them).
UNGUARDED = {"add_problem", "add_measure", "accountability", "evaluate"}


def test_a_blocked_trigger_changes_nothing_and_the_guards_are_consulted() -> None:
    """With every transition and every guarded edit blocked, the harness fires and edits (the
    guard sees both) and no event lands but the unguarded additions and records."""
    gate = Gatekeeper()
    landed: set[str] = set()

    def only_unguarded_events_land(case: Case, report: Report) -> None:
        landed.update(event.trigger for event in case.events)
        assert {event.trigger for event in case.events} <= UNGUARDED

    test = rs.workflow_test(plugins=[gate], invariants=[only_unguarded_events_land], settings=QUICK)
    assert run(test) == []
    # Legal triggers and edits were tried and blocked.
    assert set(gate.seen) & set(rectflow.ITEM_LIFECYCLE.triggers)
    assert set(gate.seen) & {"assign", "set_due", "extend", "edit_text", "add_evidence"}
    assert landed <= UNGUARDED


def test_accepted_and_refused_triggers_both_happen_without_guards() -> None:
    """Without a blocking guard, events land; illegal and unknown names are tried too."""
    lengths: list[int] = []

    def log_length(case: Case, report: Report) -> None:
        lengths.append(len(case.events))

    assert run(rs.workflow_test(invariants=[log_length], settings=QUICK)) == []
    assert max(lengths) > 0


def test_the_harness_drives_the_supervision_triggers_and_every_edit() -> None:
    """Under the preset's own guards the harness submits items for acceptance, rejects them
    with a reason, accepts them, and records every kind of edit through the public API."""
    fired: set[str] = set()
    reasons: set[str | None] = set()
    acceptors: set[str | None] = set()

    def record(case: Case, report: Report) -> None:
        for event in case.events:
            if event.actor in ("harness", "harness-acceptor"):
                fired.add(event.trigger)
                if event.trigger == "reject":
                    reasons.add(event.note)
                if event.trigger in ("accept", "reject"):
                    acceptors.add(event.actor)

    longer = settings(QUICK, max_examples=120, stateful_step_count=50)
    # Accepted cases give every measure a deadline; drawn ones leave some to set.
    cases = st.one_of(SMALL_CASES, rs.cases(min_problems=1, max_problems=2, max_measures=2))
    assert run(rs.workflow_test(invariants=[record], cases=cases, settings=longer)) == []
    edits = {"assign", "set_due", "extend", "edit_text", "add_evidence", "add_measure"}
    edits |= {"add_problem", "accountability", "evaluate"}
    assert {"submit", "reject", "accept", *edits} - fired == set()
    assert None not in reasons
    # Acceptances and rejections are the acceptor's: acceptance.independent lets them through.
    assert acceptors == {"harness-acceptor"}


def test_a_users_invariant_that_breaks_fails_the_test_with_its_message() -> None:
    """An invariant's AssertionError is the test's failure, its message kept."""

    def never_reopened(case: Case, report: Report) -> None:
        assert all(e.trigger != "start" for e in case.events), "someone started an item"

    (failure,) = run(
        rs.workflow_test(invariants=[never_reopened], cases=SMALL_CASES, settings=QUICK)
    )
    assert "someone started an item" in failure


def test_the_invariants_see_the_check_of_the_current_day() -> None:
    """The report an invariant receives is the check of the case under the policy given."""
    seen: list[tuple[str, str]] = []

    def record(case: Case, report: Report) -> None:
        seen.append((report.case, report.policy))

    assert run(rs.workflow_test(policy="xunshi", invariants=[record], settings=QUICK)) == []
    assert {policy for _, policy in seen} == {"xunshi"}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"policy": "no-such-preset"}, "can't be used"),
        ({"invariants": ["not callable"]}, "must be callables"),
        ({"max_gap_days": -1}, "at least 0"),
    ],
)
def test_impossible_arguments_raise_invalid_argument(
    arguments: dict[str, Any], message: str
) -> None:
    """A policy that does not load, a non-callable invariant, a negative gap: refused at once."""
    with pytest.raises(InvalidArgument, match=message):
        rs.workflow_test(**arguments)


# -- the walkthrough in docs/testing.md -------------------------------------------------------

DOC = REPO / "docs" / "testing.md"
PROFILE = """
from hypothesis import settings
settings.register_profile("doc", max_examples=15, stateful_step_count=8, deadline=None,
                          database=None)
settings.load_profile("doc")
"""


def python_blocks(text: str) -> list[str]:
    """The ```python blocks of a Markdown text, in order."""
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


def test_the_walkthrough_code_runs_as_written(pytester: pytest.Pytester) -> None:
    """Every Python block of docs/testing.md runs: the strategy examples (supervised cases too),
    the three steps of the plugin walkthrough as one module, the plugin without a package, and
    the fixtures."""
    pytest.importorskip("rectflow_example_rules")
    strategies, supervised, step1, step2, step3, local_rule, fixtures = python_blocks(
        DOC.read_text(encoding="utf-8")
    )
    assert step1.startswith("# tests/test_hospital_rules.py")
    pytester.makeconftest(PROFILE)
    pytester.makepyfile(
        # The supervised-cases property uses the first block's imports.
        test_doc_strategies=strategies + "\n\n" + supervised,
        test_doc_hospital=step1 + "\n\n" + step2 + "\n\n" + step3,
        test_doc_local_rule=local_rule,
        test_doc_fixtures=fixtures,
    )
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=8)


@pytest.mark.slow
def test_the_runnable_example_passes_the_plugin_and_catches_the_forgotten_guard() -> None:
    """examples/harness_example.py exits 0: the shipped plugin passes, the forgetful one fails."""
    done = subprocess.run(
        [sys.executable, str(REPO / "examples" / "harness_example.py")],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "as expected: the shipped plugin holds, the forgotten guard was caught" in done.stdout
    assert "was closed without the 纪委" in done.stdout


def test_the_documented_failure_reads_as_the_harness_reports_it() -> None:
    """The failure shown in the walkthrough names the invariant's message and the harness's steps
    as the harness prints them."""
    doc = DOC.read_text(encoding="utf-8")
    shown = doc[doc.index("```text\nAssertionError: measure") :]
    shown = shown[: shown.index("```", 8)]
    for fragment in (
        "the case, as a case file:",
        "state.take_a_case(",
        "state.fire_a_legal_trigger(",
        "state.the_log_replays_and_the_check_runs_and_the_invariants_hold()",
    ):
        assert fragment in shown
    source = (REPO / "src" / "rectflow" / "_testing" / "harness.py").read_text(encoding="utf-8")
    for name in ("take_a_case", "fire_a_legal_trigger", "the_log_replays_and_the_check_runs"):
        assert f"def {name}" in source
    assert "the case, as a case file:" in source


def test_the_harness_example_module_defines_both_tests() -> None:
    """The example exposes the two workflow tests the walkthrough describes."""
    pytest.importorskip("rectflow_example_rules")
    sys.path.insert(0, str(REPO / "examples"))
    try:
        example = __import__("harness_example")
    finally:
        sys.path.remove(str(REPO / "examples"))
    for name in ("TestHospitalRule", "TestForgottenGuard"):
        assert issubclass(getattr(example, name), unittest.TestCase)
    assert isinstance(example.CASES, st.SearchStrategy)


def test_building_a_workflow_test_loads_every_module_of_rectflow() -> None:
    """Hypothesis draws some numbers and texts from the literals of the local modules loaded:
    the harness loads all of rectflow first, so that pool does not follow the import history
    (docs/testing.md, "The same seed explores the same examples")."""
    program = (
        "import pkgutil, sys, rectflow, rectflow.strategies as rs\n"
        "rs.workflow_test()\n"
        "names = [m.name for m in pkgutil.walk_packages(rectflow.__path__, 'rectflow.')]\n"
        "print(len(names), [n for n in names if n not in sys.modules])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=120
    )
    count, missing = done.stdout.split(" ", 1)
    assert int(count) > 100
    # alembic's environment script is run by alembic, not imported.
    assert missing.strip() == "['rectflow._store.migrations.env']"
