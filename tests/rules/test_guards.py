"""Guards from the plugins: a blocking rule stops a transition and nothing changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs
import pytest

import rectflow
from rectflow import CaseState, ItemState, Level, Measure, Violation
from rectflow.errors import PolicyError, TransitionNotAllowed

ON = dt.date(2024, 7, 1)


def _case(evidence: tuple[rectflow.Evidence, ...] = ()) -> rectflow.Case:
    measure = Measure(id="1.1.1", state=ItemState.COMPLETED, evidence=evidence)
    problem = rectflow.Problem(id="1.1", measures=[measure])
    return rectflow.Case(
        id="g", state=CaseState.CENTRALISED, categories=[rectflow.Category("1", problems=[problem])]
    )


@pytest.fixture(scope="module")
def plugins() -> rectflow.Plugins:
    """The built-in checks only."""
    return rectflow.plugin_manager(load_entry_points=False)


def test_closing_a_measure_without_evidence_raises_with_the_violations(
    plugins: rectflow.Plugins,
) -> None:
    """evidence.close blocks 销号; the case and its event log are unchanged."""
    case = _case()
    before = attrs.evolve(case)
    guards = rectflow.guards(plugins, "xuncha")
    with pytest.raises(TransitionNotAllowed) as raised:
        rectflow.fire(case, "close", item="1.1.1", on=ON, guards=guards)
    violations = raised.value.violations
    assert [(v.code, v.where, v.plugin) for v in violations] == [
        ("evidence.close", "problems[1.1].measures[1.1.1]", "rectflow.checks.evidence")
    ]
    assert "evidence.close" in str(raised.value)
    assert case.item("1.1.1").state == ItemState.COMPLETED
    assert len(case.events) == 0
    assert case == before


def test_with_evidence_the_same_transition_happens(plugins: rectflow.Plugins) -> None:
    """Evidence listed, the guard has nothing to say and the event is logged."""
    case = _case(evidence=(rectflow.Evidence("会议纪要 2024-06-28"),))
    event = rectflow.fire(
        case, "close", item="1.1.1", on=ON, guards=rectflow.guards(plugins, "xuncha")
    )
    assert (event.trigger, event.target, event.on) == ("close", "1.1.1", ON)
    assert case.item("1.1.1").state == ItemState.CLOSED


def test_a_policy_that_switches_the_rule_off_lets_the_transition_through(
    plugins: rectflow.Plugins,
) -> None:
    """Guards read the policy like checks do."""
    policy = rectflow.Policy("lax", rules={"evidence.close": rectflow.RuleSettings(enabled=False)})
    case = _case()
    rectflow.fire(case, "close", item="1.1.1", on=ON, guards=rectflow.guards(plugins, policy))
    assert case.item("1.1.1").state == ItemState.CLOSED


def test_a_warning_from_a_guard_does_not_block() -> None:
    """Only error-level violations stop a transition."""

    class Cautious:
        @rectflow.hookimpl
        def rectflow_guard_transition(self) -> Iterable[Violation]:
            return [Violation("test.careful", Level.WARNING, "case", "are you sure?")]

    manager = rectflow.plugin_manager(builtins=lambda: (), load_entry_points=False)
    manager.register(Cautious(), name="cautious")
    case = _case()
    rectflow.fire(
        case, "submit_report", on=ON, guards=rectflow.guards(manager, rectflow.Policy("p"))
    )
    assert case.state == CaseState.REPORTED


def test_hook_rectflow_guard_transition_sees_the_pending_transition_as_of_its_date() -> None:
    """The context's as-of date is the transition's date; the state has not changed yet."""
    seen: list[tuple[str, str, str, str, dt.date, str]] = []

    class Spy:
        @rectflow.hookimpl
        def rectflow_guard_transition(
            self,
            case: rectflow.Case,
            transition: rectflow.Transition,
            context: rectflow.CheckContext,
        ) -> Iterable[Violation]:
            item = case.item(transition.target)
            seen.append(
                (
                    transition.trigger,
                    transition.target,
                    transition.source.value,
                    item.state.value,
                    context.as_of,
                    context.policy.name,
                )
            )
            return ()

    manager = rectflow.plugin_manager(builtins=lambda: (), load_entry_points=False)
    manager.register(Spy(), name="spy")
    case = _case(evidence=(rectflow.Evidence("x"),))
    guards = rectflow.guards(manager, rectflow.Policy("p"))
    rectflow.fire(case, "close", item="1.1.1", on=ON, guards=guards)
    assert seen == [("close", "1.1.1", "completed", "completed", ON, "p")]


def test_guards_refuse_an_unknown_policy_before_any_transition(plugins: rectflow.Plugins) -> None:
    """A misspelt preset is a PolicyError with the presets listed, at guards() time."""
    with pytest.raises(PolicyError, match=r"did you mean 'xuncha'\?"):
        rectflow.guards(plugins, "xunca")
