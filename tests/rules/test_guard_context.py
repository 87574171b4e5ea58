"""The fast paths of a guarded fire (issue 14) hand the guards what the slow ones did: a fresh
context per transition, equal field for field to ``Checker.context``'s, and every guard that
judges the trigger, in the same order, with its own arguments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import rectflow
from rectflow import Case, Category, FuzzyDate, Measure, Problem, Transition, Violation, fire
from rectflow._rules.check import Checker
from rectflow._rules.context import CheckContext
from rectflow._rules.policy_file import load_named_policy

DAY = dt.date(2021, 6, 1)


def fields_of(context: CheckContext) -> dict[str, Any]:
    return {f.name: getattr(context, f.name) for f in attrs.fields(CheckContext)}


@given(as_of=st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)))
@settings(max_examples=30, deadline=None)
def test_a_fresh_context_is_the_one_checker_context_builds(as_of: dt.date) -> None:
    """Every field of CheckContext is set by _fresh, to what Checker.context gives, and each
    context has its own rules and caveats (the options cache is shared by design)."""
    plugins = rectflow.plugin_manager(load_entry_points=False)
    checker = Checker(plugins, load_named_policy("xuncha", plugins))
    slow = checker.context(as_of)
    fast = CheckContext._fresh(
        as_of, checker.policy, checker.calendar, plugins.rules, checker._options
    )
    assert fields_of(fast) == fields_of(slow)
    again = CheckContext._fresh(
        as_of, checker.policy, checker.calendar, plugins.rules, checker._options
    )
    assert again.rules is not fast.rules
    assert again._caveats is not fast._caveats


class Recorder:
    """A third-party guard plugin: records what it is handed, in the order it is called."""

    def __init__(self, name: str, calls: list[tuple[str, Any, Any, Any]]) -> None:
        self.name = name
        self.calls = calls

    @rectflow.hookimpl
    def rectflow_guard_transition(
        self, context: CheckContext, transition: Transition, case: Case
    ) -> Iterable[Violation]:
        self.calls.append((self.name, case, transition, context))
        return []


def test_every_guard_that_judges_the_trigger_is_called_with_its_arguments() -> None:
    """Third-party guards (arguments in any order) are called on every trigger, each with a
    fresh context naming it as the reporter; built-in guards that declare their triggers are
    still skipped for the others."""
    plugins = rectflow.plugin_manager(load_entry_points=False)
    calls: list[tuple[str, Any, Any, Any]] = []
    plugins.register(Recorder("one", calls), "one")
    plugins.register(Recorder("two", calls), "two")
    guards = rectflow.guards(plugins, "xuncha")
    case = Case(
        "g",
        feedback_on=FuzzyDate.of(DAY),
        categories=[Category("1", "方面", [Problem("1.1", measures=[Measure("1.1.1")])])],
    )
    fire(case, "adopt_plan", on=DAY)
    fire(case, "start", item="1.1.1", on=DAY, guards=guards)
    fire(case, "complete", item="1.1.1", on=DAY, guards=guards)
    assert [(name, t.trigger) for name, _, t, _ in calls] == [
        ("one", "start"),
        ("two", "start"),
        ("one", "complete"),
        ("two", "complete"),
    ]
    assert all(c is case for _, c, _, _ in calls)
    contexts = [context for _, _, _, context in calls]
    assert len({id(context) for context in contexts[::2]}) == 2  # one per transition
    assert all(isinstance(context, CheckContext) for context in contexts)
    assert [context.as_of for context in contexts] == [DAY] * 4
