"""history.after-plan: where the policy names the kinds, work on their items waits for the plan."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

import rectflow
from rectflow import Case, Category, Evidence, FuzzyDate, Measure, Plan, Problem, ProblemKind, fire
from rectflow.errors import TransitionNotAllowed

D = dt.date
PLUGINS = rectflow.plugin_manager(load_entry_points=False)


def policy(kinds: list[str]) -> rectflow.Policy:
    """The xuncha preset with ``history.after-plan`` naming ``kinds``."""
    preset = rectflow.policy("xuncha", PLUGINS)
    rules = dict(preset.rules)
    rules["history.after-plan"] = rectflow.RuleSettings(
        options={"kinds": rectflow.OptionSetting(kinds)}
    )
    return rectflow.Policy("after-plan", rules=rules)


def ledger() -> Case:
    """A specific problem 1.1 (measure 1.1.1, with evidence) and a clue 2.1; feedback 03-15."""
    return Case(
        "after-plan",
        feedback_on=FuzzyDate.of(D(2024, 3, 15)),
        categories=[
            Category(
                "1",
                problems=[Problem("1.1", measures=[Measure("1.1.1", evidence=(Evidence("x"),))])],
            ),
            Category("2", problems=[Problem("2.1", kind=ProblemKind.CLUE)]),
        ],
    )


def codes(case: Case, kinds: list[str]) -> list[str]:
    """The items history.after-plan reports under ``kinds``, as of 2024-07-01."""
    report = rectflow.check(case, policy=policy(kinds), as_of=D(2024, 7, 1), plugins=PLUGINS)
    return [v.where for v in report.violations if v.code == "history.after-plan"]


def test_the_presets_let_work_start_at_the_feedback() -> None:
    """立行立改: with the preset as shipped, starting an item before the plan is allowed."""
    case = ledger()
    guards = rectflow.guards(PLUGINS, "xuncha")
    fire(case, "start", item="1.1.1", on=D(2024, 3, 18), guards=guards)
    assert rectflow.check(case, policy="xuncha", as_of=D(2024, 4, 1), plugins=PLUGINS).violations
    assert codes(case, []) == []


def test_a_policy_naming_the_kind_refuses_work_before_the_plan_and_changes_nothing() -> None:
    """With kinds = ["specific"], starting 1.1.1 before adopt_plan is refused; the clue is not."""
    case = ledger()
    guards = rectflow.guards(PLUGINS, policy(["specific"]))
    before = copy.deepcopy(case)
    with pytest.raises(TransitionNotAllowed, match=r"history\.after-plan.*plan is not adopted"):
        fire(case, "start", item="1.1.1", on=D(2024, 3, 18), guards=guards)
    assert before == case
    fire(case, "start", item="2.1", on=D(2024, 3, 18), guards=guards)
    fire(case, "adopt_plan", on=D(2024, 3, 22), guards=guards)
    fire(case, "start", item="1.1.1", on=D(2024, 3, 22), guards=guards)
    assert codes(case, ["specific"]) == []


def test_a_fuzzy_adoption_refuses_only_days_certainly_before_it() -> None:
    """Plan adopted "2024-04": 1 April may be after it, 31 March is not."""
    case = ledger()
    case.plan = Plan(FuzzyDate(2024, 4))
    guards = rectflow.guards(PLUGINS, policy(["specific"]))
    with pytest.raises(TransitionNotAllowed, match="adopted 2024-04"):
        fire(case, "start", item="1.1.1", on=D(2024, 3, 31), guards=guards)
    fire(case, "start", item="1.1.1", on=D(2024, 4, 1), guards=guards)


def test_the_check_reports_work_recorded_before_the_plan_once_per_item() -> None:
    """A log that started 1.1.1 before the plan (without guards) is reported at 1.1.1."""
    case = ledger()
    fire(case, "start", item="1.1.1", on=D(2024, 3, 18))
    fire(case, "adopt_plan", on=D(2024, 3, 22))
    fire(case, "complete", item="1.1.1", on=D(2024, 3, 25))
    assert codes(case, ["specific"]) == ["problems[1.1].measures[1.1.1]"]
    assert codes(case, ["key"]) == []
